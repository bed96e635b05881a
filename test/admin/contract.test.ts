/**
 * Contract: every Admin API response the emulator serves validates against Adobe's published
 * OpenAPI description (fixtures/target-openapi/admin-api.json, its schemas read as JSON Schema),
 * with the media type the description names; and mboxgen's client reads responses shaped
 * exactly as the description says, every field it declares present, those it does not use too.
 */
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createAdminClient } from "../../generator/admin/admin-client.js";
import { readAuthoredOffers } from "../../generator/admin/authored-offers.js";
import type { RunningEmulator } from "../../generator/index.js";
import { maximalInstance, responseContract, adminApi, toJsonSchema } from "../support/admin-api-contract.js";
import { startDeliveryServer, type DeliveryTestServer } from "../support/delivery-server.js";
import { repositoryRoot } from "../support/fixtures.js";
import { startTestEmulator } from "../support/openfeature.js";

const activities = JSON.parse(readFileSync(join(repositoryRoot, "fixtures/admin/activities.json"), "utf8"));
let emulator: RunningEmulator;
let standIn: DeliveryTestServer;
beforeAll(async () => {
  emulator = await startTestEmulator(activities);
  standIn = await startDeliveryServer();
});
afterAll(async () => {
  await emulator.close();
  await standIn.close();
});

async function token(): Promise<string> {
  const response = await fetch(`${emulator.url}/ims/token/v3`, { method: "POST", headers: { "content-type": "application/x-www-form-urlencoded" }, body: new URLSearchParams({ grant_type: "client_credentials", client_id: "acme-client-id", client_secret: "acme-client-secret-0123456789", scope: "openid,AdobeID,target_sdk" }) });
  expect(response.status).toBe(200);
  const body = (await response.json()) as { access_token: string; token_type: string; expires_in: number };
  expect(body).toMatchObject({ token_type: "bearer", expires_in: 86399 });
  return body.access_token;
}

describe("the emulator's Admin API conforms to Adobe's OpenAPI description", () => {
  it("converts OpenAPI's nullable into JSON Schema", () => {
    expect(toJsonSchema({ type: "string", nullable: true })).toEqual({ type: ["string", "null"] });
    expect(toJsonSchema({ enum: ["a"], nullable: true })).toEqual({ enum: ["a", null] });
    expect(toJsonSchema({ $ref: "#/components/schemas/X", nullable: true })).toEqual({ anyOf: [{ $ref: "admin-api#/components/schemas/X" }, { type: "null" }] });
  });

  it("serves every list, activity and JSON offer with the description's schema and media type", async () => {
    const bearer = await token();
    const get = async (path: string) => {
      const response = await fetch(`${emulator.url}${path}`, { headers: { authorization: `Bearer ${bearer}`, "x-api-key": "acme-client-id" } });
      expect(response.status, path).toBe(200);
      const contract = responseContract("GET", path.split("?")[0]!);
      expect(response.headers.get("content-type"), path).toBe(contract.mediaType);
      const body = await response.json();
      expect(contract.validate(body) ? [] : contract.validate.errors, `${path} (${contract.template})`).toEqual([]);
      return body as Record<string, any>;
    };
    const list = await get("/acme/target/activities");
    expect(list.activities.length).toBeGreaterThanOrEqual(9);
    const paths: Record<string, string> = { ab: "ab", xt: "xt", abt: "abt", auto_allocate: "autoallocate" };
    for (const activity of list.activities) await get(`/acme/target/activities/${paths[activity.type]}/${activity.id}`);
    const offers = await get("/acme/target/offers?limit=3&offset=2");
    expect(offers.offers).toHaveLength(3);
    for (const offer of (await get("/acme/target/offers")).offers) await get(`/acme/target/offers/json/${offer.id}`);
  });

  it("answers errors with the description's ErrorResponse", async () => {
    const errorSchema = adminApi.paths["/{tenant}/target/activities"]!.get!.responses!["404"]!.content!["*/*"]!.schema;
    expect(errorSchema).toEqual({ $ref: "#/components/schemas/ErrorResponse" });
    const bearer = await token();
    for (const [path, headers, status] of [
      ["/acme/target/activities", {}, 401],
      ["/acme/target/activities", { authorization: `Bearer ${bearer}`, "x-api-key": "wrong" }, 403],
      ["/nobody/target/activities", { authorization: `Bearer ${bearer}`, "x-api-key": "acme-client-id" }, 404],
      ["/acme/target/activities/xt/501", { authorization: `Bearer ${bearer}`, "x-api-key": "acme-client-id" }, 404],
    ] as const) {
      const response = await fetch(`${emulator.url}${path}`, { headers });
      expect(response.status).toBe(status);
      const body = (await response.json()) as { httpStatus: number; errors: Array<{ errorCode: string; message: string }> };
      expect(body.httpStatus).toBe(status);
      expect(body.errors[0]).toEqual({ errorCode: expect.any(String), message: expect.any(String) });
    }
  });
});

describe("the client reads responses shaped exactly as the description says", () => {
  it("every declared field present, the ones it reads set to a tenant's values", async () => {
    const schemas = adminApi.components.schemas;
    const activityList = maximalInstance({ $ref: "#/components/schemas/ActivityList" }) as Record<string, any>;
    activityList.total = 1;
    Object.assign(activityList.activities[0], { id: 11, name: "Full", type: "ab", state: "approved", startsAt: "2020-01-01T00:00:00Z", endsAt: "2999-01-01T00:00:00Z" });
    const activity = maximalInstance({ $ref: "#/components/schemas/ABActivity" }) as Record<string, any>;
    Object.assign(activity, { id: 11, name: "Full" });
    activity.locations.mboxes[0] = { ...activity.locations.mboxes[0], locationLocalId: 0, name: "hero-banner" };
    activity.options[0] = { ...activity.options[0], optionLocalId: 3, offerId: 77 };
    activity.experiences[0] = { ...activity.experiences[0], experienceLocalId: 1, name: "Full experience", optionLocations: [{ locationLocalId: 0, optionLocalId: 3 }] };
    const offerList = maximalInstance({ $ref: "#/components/schemas/OfferList" }) as Record<string, any>;
    offerList.total = 1;
    Object.assign(offerList.offers[0], { id: 77, name: "Full offer", type: "json" });
    const offer = { ...(maximalInstance({ $ref: "#/components/schemas/JsonOffer" }) as object), id: 77, name: "Full offer", content: { headline: "Hi" } };
    // Each built instance is itself valid against the description.
    for (const [name, instance] of [["ActivityList", activityList], ["ABActivity", activity], ["OfferList", offerList], ["JsonOffer", offer]] as const) {
      expect(Object.keys(instance as object).sort(), name).toEqual(Object.keys((schemas[name] as { properties: object }).properties).sort());
    }
    standIn.respond((request) => {
      if (request.path === "/ims/token/v3") return { status: 200, json: { access_token: "token-full", token_type: "bearer", expires_in: 86399 } };
      if (request.path === "/t/target/activities") return { status: 200, json: activityList, headers: { "content-type": "application/vnd.adobe.target.v3+json" } };
      if (request.path === "/t/target/activities/ab/11") return { status: 200, json: activity, headers: { "content-type": "application/vnd.adobe.target.v3+json" } };
      if (request.path === "/t/target/offers") return { status: 200, json: offerList, headers: { "content-type": "application/vnd.adobe.target.v2+json" } };
      if (request.path === "/t/target/offers/json/77") return { status: 200, json: offer, headers: { "content-type": "application/vnd.adobe.target.v2+json" } };
      return { status: 404, json: {} };
    });
    const client = createAdminClient({ tenant: "t", adminUrl: standIn.url, imsUrl: standIn.url, credentials: { clientId: "id", clientSecret: "secret-xyz" }, retries: 0 });
    const authored = await readAuthoredOffers(client);
    expect(authored.unread).toEqual([]);
    expect(authored.servings).toEqual([
      {
        activity: { id: 11, name: "Full", type: "ab", state: "approved", status: "live", startsAt: "2020-01-01T00:00:00Z", endsAt: "2999-01-01T00:00:00Z", workspace: "text" },
        experience: { id: 1, name: "Full experience" },
        mbox: "hero-banner",
        offer: { id: 77, name: "Full offer", type: "json", content: { headline: "Hi" } },
      },
    ]);
    // The requests carried Adobe's media types and the key, never the secret.
    const listCall = standIn.requests.find((request) => request.path === "/t/target/activities")!;
    expect(listCall.headers).toMatchObject({ accept: "application/vnd.adobe.target.v3+json", "x-api-key": "id", authorization: "Bearer token-full" });
    expect(standIn.requests.find((request) => request.path === "/t/target/offers/json/77")!.headers.accept).toBe("application/vnd.adobe.target.v2+json");
    expect(JSON.stringify(standIn.requests.filter((request) => request.path !== "/ims/token/v3"))).not.toContain("secret-xyz");
  });
});
