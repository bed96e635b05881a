/**
 * The emulator's Edge Network endpoints on the wire: both request formats (the Web SDK's `/v1`
 * with `events` and `configId`, the Server API's `/v2` with `event` and `dataStreamId`), any
 * region and base path, collect (204), identity (the kndctr cookie as Adobe's protobuf, read back
 * from `meta.state.entries` or the Cookie header), QA links through the page URL, Adobe's problem
 * bodies, and display events counted per proposition, also when merged into another event.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { ecidOfIdentityCookie, identityCookieValue } from "../../generator/emulator/edge-network.js";
import type { RunningEmulator } from "../../generator/index.js";
import { exampleActivities, startTestEmulator } from "../support/openfeature.js";

let emulator: RunningEmulator;
beforeAll(async () => {
  emulator = await startTestEmulator();
});
afterAll(async () => {
  await emulator.close();
});

const post = async (path: string, body: unknown, headers: Record<string, string> = {}) => {
  const response = await fetch(`${emulator.url}${path}`, { method: "POST", headers: { "content-type": "text/plain; charset=UTF-8", ...headers }, body: typeof body === "string" ? body : JSON.stringify(body) });
  const text = await response.text();
  return { status: response.status, headers: response.headers, body: text === "" ? undefined : (JSON.parse(text) as Record<string, any>) };
};
const fetchEvent = (scopes: string[], extra: Record<string, unknown> = {}) => ({ xdm: { web: { webPageDetails: { URL: "https://shop.example/" } } }, query: { personalization: { schemas: ["https://ns.adobe.com/personalization/json-content-item"], decisionScopes: scopes } }, ...extra });
const handleOf = (body: Record<string, any> | undefined, type: string) => (body?.handle as Array<{ type: string; payload: any[] }>).filter((handle) => handle.type === type).flatMap((handle) => handle.payload);

describe("the emulator's Edge Network", () => {
  it("answers the Web SDK's format on any base path and region, with propositions, identity, region and cookies", async () => {
    for (const path of ["/ee/v1/interact?configId=d&requestId=r1", "/ee/or2/v1/interact?configId=d", "/custom-ee/emulator/v1/interact?configId=d"]) {
      const { status, body } = await post(path, { events: [fetchEvent(["hero-banner", "__view__", "unknown-mbox"])], query: { identity: { fetch: ["ECID"] } }, meta: { state: { domain: "shop.example", cookiesEnabled: true } } });
      expect(status).toBe(200);
      const propositions = handleOf(body, "personalization:decisions");
      expect(propositions.map((proposition) => proposition.scope)).toEqual(["hero-banner"]);
      expect(propositions[0].items[0]).toMatchObject({ schema: "https://ns.adobe.com/personalization/json-content-item", data: { format: "application/json", content: expect.any(Object) }, meta: { "activity.id": expect.any(String), "experience.name": expect.any(String) } });
      expect(propositions[0].id).toMatch(/^AT:/);
      expect(JSON.parse(Buffer.from(propositions[0].id.slice(3), "base64").toString())).toEqual({ activityId: propositions[0].scopeDetails.activity.id, experienceId: propositions[0].scopeDetails.experience.id });
      const [identity] = handleOf(body, "identity:result");
      expect(identity.namespace).toEqual({ code: "ECID" });
      const cookies = handleOf(body, "state:store");
      expect(cookies.map((cookie) => cookie.key)).toEqual(["kndctr_EMULATOR_AdobeOrg_identity", "kndctr_EMULATOR_AdobeOrg_cluster"]);
      expect(ecidOfIdentityCookie(cookies[0].value)).toBe(identity.id);
      expect(handleOf(body, "locationHint:result")).toContainEqual({ scope: "EdgeNetwork", hint: "emulator", ttlSeconds: 1800 });
    }
  });

  it("keeps the visitor from the identity cookie (meta.state.entries or Cookie header), also for another organization's cookie", async () => {
    const ecid = "41234567890123456789012345678901234567";
    const entries = [{ key: "kndctr_OTHER0_AdobeOrg_identity", value: identityCookieValue(ecid) }];
    const viaMeta = await post("/ee/v1/interact?configId=d", { events: [fetchEvent(["hero-banner"])], query: { identity: { fetch: ["ECID"] } }, meta: { state: { entries } } });
    expect(handleOf(viaMeta.body, "identity:result")[0].id).toBe(ecid);
    expect(handleOf(viaMeta.body, "state:store").map((cookie) => cookie.key)).toContain("kndctr_OTHER0_AdobeOrg_identity");
    const viaHeader = await post("/ee/v2/interact?dataStreamId=d", { event: fetchEvent(["hero-banner"]), query: { identity: { fetch: ["ECID"] } } }, { cookie: `a=b; kndctr_EMULATOR_AdobeOrg_identity=${encodeURIComponent(identityCookieValue(ecid))}` });
    expect(handleOf(viaHeader.body, "identity:result")[0].id).toBe(ecid);
    expect(handleOf(viaHeader.body, "personalization:decisions")).toEqual(handleOf(viaMeta.body, "personalization:decisions"));
  });

  it("writes the identity cookie as Adobe's protobuf, which round-trips", () => {
    const ecid = "05907638112924484241029082405297151763";
    expect(identityCookieValue(ecid)).toBe(Buffer.from([0x0a, 38, ...Buffer.from(ecid)]).toString("base64"));
    expect(ecidOfIdentityCookie(identityCookieValue(ecid))).toBe(ecid);
    // Adobe's documented cookie (with metadata after the ECID) reads too; garbage does not.
    expect(ecidOfIdentityCookie("CiYwNTkwNzYzODExMjkyNDQ4NDI0MTAyOTA4MjQwNTI5NzE1MTc2M1IOCL-pwpv9LxgBKgNPUjLwAb-pwpv9Lw==")).toBe(ecid);
    expect(ecidOfIdentityCookie("bm90IGEgcHJvdG9idWY=")).toBeUndefined();
  });

  it("answers collect with 204 and counts what it carried", async () => {
    const before = emulator.stats.edge.events;
    const { status, body } = await post("/ee/v1/collect?configId=d", { events: [{ xdm: { eventType: "web.webpagedetails.pageViews" } }] });
    expect(status).toBe(204);
    expect(body).toBeUndefined();
    expect(emulator.stats.edge.events).toBe(before + 1);
  });

  it("counts display events per Target proposition and per mbox, also merged into another event, ignoring other providers", async () => {
    const { body } = await post("/ee/v2/interact?dataStreamId=d", { event: fetchEvent(["hero-banner", "promo-strip"], { data: { __adobe: { target: { region: "us" } } } }), query: { identity: { fetch: ["ECID"] } } });
    const propositions = handleOf(body, "personalization:decisions").map(({ id, scope, scopeDetails }) => ({ id, scope, scopeDetails }));
    expect(propositions).toHaveLength(2);
    const impressions = { ...emulator.stats.impressions };
    const displays = { ...emulator.stats.edge.displays };
    const ajo = { id: "ajo-1", scope: "hero-banner", scopeDetails: { decisionProvider: "AJO" } };
    await post("/ee/v2/interact?dataStreamId=d", { event: { xdm: { eventType: "decisioning.propositionDisplay", _experience: { decisioning: { propositions: [...propositions, ajo], propositionEventType: { display: 1 } } } } } });
    // The Web SDK merges pending display notifications into the next event: its own type, propositionEventType.display.
    await post("/ee/v1/interact?configId=d", { events: [{ xdm: { eventType: "web.webpagedetails.pageViews", _experience: { decisioning: { propositions: [propositions[0]], propositionEventType: { display: 1 } } } } }] });
    expect(emulator.stats.impressions["hero-banner"]).toBe((impressions["hero-banner"] ?? 0) + 2);
    expect(emulator.stats.impressions["promo-strip"]).toBe((impressions["promo-strip"] ?? 0) + 1);
    expect(emulator.stats.edge.displays[propositions[0]!.id]).toBe((displays[propositions[0]!.id] ?? 0) + 2);
    expect(emulator.stats.edge.displays["ajo-1"]).toBeUndefined();
  });

  it("forces experiences with a QA link in the page URL (at_preview_token, at_preview_index)", async () => {
    const { qaToken } = exampleActivities();
    const experiences = new Set<string>();
    // Activity index 4 of the file's order is hero-banner's A/B test (201), of three experiences.
    for (const index of ["4_1", "4_2", "4_3"]) {
      const url = `https://shop.example/?at_preview_token=${qaToken}&at_preview_index=${index}&at_preview_listed_activities_only=true`;
      const { body } = await post("/ee/v2/interact?dataStreamId=d", { event: { xdm: { web: { webPageDetails: { URL: url } } } }, query: { personalization: { decisionScopes: ["hero-banner"] } } });
      const [proposition] = handleOf(body, "personalization:decisions");
      experiences.add(`${proposition.scopeDetails.activity.id}:${proposition.scopeDetails.experience.id}`);
    }
    expect([...experiences].sort()).toEqual(["201:0", "201:1", "201:2"]);
    const wrong = await post("/ee/v2/interact?dataStreamId=d", { event: { xdm: { web: { webPageDetails: { URL: "https://shop.example/?at_preview_token=wrong&at_preview_index=1_1" } } } }, query: { personalization: { decisionScopes: ["hero-banner"] } } });
    expect(wrong.status).toBe(400);
    expect(wrong.body).toMatchObject({ status: 400, title: "Target decisioning failed", detail: "Invalid QA token" });
  });

  it.each([
    ["no datastream id", "/ee/v1/interact", "{}", "EXEG-0003-400", /configId query parameter is required/],
    ["a body that is not JSON", "/ee/v2/interact?dataStreamId=d", "{", "EXEG-0201-400", /not valid JSON/],
    ["a v1 body without events", "/ee/v1/interact?configId=d", "{\"event\":{}}", "EXEG-0201-400", /events array/],
    ["a v2 body without an event", "/ee/v2/interact?dataStreamId=d", "[]", "EXEG-0201-400", /JSON object/],
  ])("answers %s with Adobe's problem body", async (_name, path, body, code, detail) => {
    const answer = await post(path, body);
    expect(answer.status).toBe(400);
    expect(answer.body).toMatchObject({ type: `https://ns.adobe.com/aep/errors/${code}`, status: 400, title: expect.any(String), detail: expect.stringMatching(detail) });
  });

  it("echoes the page's origin with credentials, as the Web SDK's fetch needs", async () => {
    const { headers } = await post("/ee/v1/interact?configId=d", { events: [fetchEvent(["hero-banner"])] }, { origin: "https://shop.example" });
    expect(headers.get("access-control-allow-origin")).toBe("https://shop.example");
    expect(headers.get("access-control-allow-credentials")).toBe("true");
  });
});
