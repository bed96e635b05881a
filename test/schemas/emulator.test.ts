/**
 * The Delivery API emulator: deterministic allocation, audiences, QA forcing, response tokens,
 * event tokens, the first qualifying activity of a mbox, notifications, Target's 400 body, the same
 * provider output for Adobe's SDK and @mboxgen/runtime pointed at it, the rules artifact it serves
 * (ETag, 304), and the same decisions for remote and on-device apps.
 */
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createTargetClient } from "@mboxgen/runtime";
import { createTargetClient as createOnDeviceClient } from "@mboxgen/runtime/on-device";
import { GeneratorErrors, parseActivities, startEmulator, type RunningEmulator } from "../../generator/index.js";
import { createAdobeClient } from "../support/adobe-sdk.js";
import { repositoryRoot } from "../support/fixtures.js";
import { describeProvider, maskRandomIds } from "../support/normalize.js";

const activities = JSON.parse(readFileSync(join(repositoryRoot, "fixtures/example/activities.json"), "utf8"));
const mboxes = ["demo-engineering-flags", "hero-banner", "promo-strip"];
let emulator: RunningEmulator;

beforeAll(async () => {
  emulator = await startEmulator({ activities });
});
afterAll(() => emulator.close());

async function deliver(body: unknown, query = "imsOrgId=EMU%40AdobeOrg&sessionId=s1") {
  const response = await fetch(`${emulator.url}/rest/v1/delivery?${query}`, { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify(body) });
  return { status: response.status, body: (await response.json()) as any };
}

const execute = (tntId: string | undefined, extra: Record<string, unknown> = {}, parameters?: Record<string, string>) => ({
  ...(tntId ? { id: { tntId } } : {}),
  context: { channel: "web" },
  execute: { mboxes: mboxes.map((name, index) => ({ name, index: index + 1, ...(parameters ? { parameters } : {}) })) },
  ...extra,
});

describe("mboxgen emulate", () => {
  it("allocates each visitor deterministically and gives new visitors a tntId without a cluster", async () => {
    const first = await deliver(execute("visitor-1"));
    const again = await deliver(execute("visitor-1"));
    expect(first.status).toBe(200);
    expect(again.body.execute).toEqual(first.body.execute);
    const fresh = await deliver(execute(undefined));
    expect(fresh.body.id.tntId).toMatch(/^[0-9a-f]{32}$/);
    expect(fresh.body.edgeHost).toBeUndefined();
  });

  it("spreads visitors over experiences by weight", async () => {
    const counts = new Map<string, number>();
    for (let visitor = 0; visitor < 300; visitor += 1) {
      const { body } = await deliver(execute(`v-${visitor}`));
      const tokens = body.execute.mboxes[0].options[0].responseTokens;
      counts.set(tokens["experience.name"], (counts.get(tokens["experience.name"]) ?? 0) + 1);
    }
    expect([...counts.keys()].sort()).toEqual(["Control", "Elastic", "Vector"]);
    for (const count of counts.values()) expect(count).toBeGreaterThan(60);
  });

  it("serves the first activity of a mbox whose audience qualifies (file order is priority, as Target's rules)", async () => {
    const activityOf = (body: any) => body.execute.mboxes[0].options.map((option: any) => option.responseTokens["activity.id"]);
    expect(activityOf((await deliver(execute("visitor-2", {}, { region: "us" }))).body)).toEqual([101]);
    expect(activityOf((await deliver(execute("visitor-2", {}, { region: "ch" }))).body)).toEqual([102]);
    expect(activityOf((await deliver(execute("visitor-2"))).body)).toEqual([101]);
  });

  it("forces experiences with qaMode.previewIndexes (1-based); an index past the last forces nothing", async () => {
    // Activity 1 of the file is 102, audience-targeted: forced, it is served without its audience.
    const forced = await deliver(execute("visitor-3", { qaMode: { token: "example-qa-token", previewIndexes: [{ activityIndex: 1, experienceIndex: 3 }] } }));
    const tokens = forced.body.execute.mboxes[0].options.map((option: any) => option.responseTokens);
    expect(tokens).toEqual([expect.objectContaining({ "activity.id": 102, "experience.name": "EU express", "offer.id": 1013 })]);
    const pastTheLast = await deliver(execute("visitor-3", { qaMode: { token: "example-qa-token", previewIndexes: [{ activityIndex: 1, experienceIndex: 9 }] } }));
    expect(pastTheLast.body.execute).toEqual((await deliver(execute("visitor-3", { qaMode: { token: "example-qa-token" } }))).body.execute);
    const wrongToken = await deliver(execute("visitor-3", { qaMode: { token: "nope", previewIndexes: [] } }));
    expect(wrongToken).toEqual({ status: 400, body: { status: 400, message: "Invalid QA token" } });
  });

  it("puts response tokens on every option and event tokens on prefetched ones", async () => {
    const { body } = await deliver({ id: { tntId: "visitor-4" }, context: { channel: "web" }, prefetch: { mboxes: [{ name: "promo-strip", index: 1 }] } });
    for (const option of body.prefetch.mboxes[0].options) {
      expect(Object.keys(option.responseTokens).sort()).toEqual(
        ["activity.decisioningMethod", "activity.id", "activity.name", "activity.type", "experience.id", "experience.name", "offer.id", "offer.name", "option.id", "option.name"].sort(),
      );
      expect(option.responseTokens["activity.decisioningMethod"]).toBe("server-side");
      expect(option.eventToken).toMatch(/^[A-Za-z0-9+/=]+$/);
    }
  });

  it("accepts display notifications", async () => {
    const before = emulator.stats.notifications;
    const { status, body } = await deliver({
      context: { channel: "web" },
      notifications: [{ id: "n1", type: "display", timestamp: Date.now(), mbox: { name: "promo-strip" }, tokens: ["t"] }],
    });
    expect(status).toBe(200);
    expect(body.notifications).toEqual([{ id: "n1" }]);
    expect(emulator.stats.notifications).toBe(before + 1);
  });

  it("answers malformed requests with Target's 400 body", async () => {
    expect(await deliver({ execute: { mboxes: [] } })).toEqual({ status: 400, body: { status: 400, message: "Invalid request: context is required" } });
    expect(await deliver({ context: { channel: "web" }, execute: { mboxes: [{ name: "x" }] } })).toEqual({
      status: 400,
      body: { status: 400, message: "Invalid request: execute.mboxes[].index is required" },
    });
    expect((await deliver(execute("v"), "imsOrgId=x")).status).toBe(400);
    const notJson = await fetch(`${emulator.url}/rest/v1/delivery?imsOrgId=x&sessionId=s`, { method: "POST", body: "{" });
    expect(notJson.status).toBe(400);
  });

  it("rejects an invalid activities file with JSON pointers", () => {
    const broken = { mboxes: { m: [{ id: 1, name: "a", type: "mvt", experiences: [] }] } };
    try {
      parseActivities(broken, { file: "activities.json" });
      throw new Error("accepted");
    } catch (error) {
      expect(error).toBeInstanceOf(GeneratorErrors);
      const messages = (error as GeneratorErrors).errors.map((each) => each.message);
      const fix = `correct it against ${join(repositoryRoot, "generator/emulator/activities.schema.json")} (an example: ${join(repositoryRoot, "fixtures/example/activities.json")})`;
      expect(messages).toContain(`activities.json /mboxes/m/0/type: invalid activities file: "type" must be one of "ab", "xt", "ap", "abt", "autoallocate"; ${fix} [ACTIVITIES_INVALID]`);
      expect(messages).toContain(`activities.json /mboxes/m/0/experiences: invalid activities file: "experiences" must not be empty; ${fix} [ACTIVITIES_INVALID]`);
    }
  });

  it("gives Adobe's SDK and @mboxgen/runtime the same provider output", async () => {
    for (const visitor of ["visitor-ada", "visitor-grace", "visitor-linus"]) {
      const request = { id: { tntId: visitor }, context: { channel: "web" as const }, execute: { mboxes: [{ name: "demo-engineering-flags", index: 1, parameters: { region: "eu" } }] } };
      const adobe = await createAdobeClient(emulator.serverDomain).getAttributes(mboxes, { request });
      const ours = await createTargetClient({ client: "emulator", organizationId: "MOCKORG@AdobeOrg", serverDomain: emulator.serverDomain, secure: false }).getAttributes(mboxes, { request });
      const described = (provider: Parameters<typeof describeProvider>[0]) => JSON.parse(maskRandomIds(JSON.stringify(describeProvider(provider, mboxes))));
      expect(described(ours)).toEqual(described(adobe));
      expect(ours.asObject("demo-engineering-flags")).toHaveProperty("checkoutFlow");
    }
  });

  it("serves its rules artifact at Adobe's path with an ETag, and a 304 for the same ETag", async () => {
    const first = await fetch(emulator.artifactUrl);
    expect(first.status).toBe(200);
    const etag = first.headers.get("etag")!;
    expect(etag).toMatch(/^"[0-9a-f]{16}"$/);
    const artifact = (await first.json()) as any;
    expect(artifact).toMatchObject({ version: "1.0.0", meta: { clientCode: "emulator" }, localMboxes: mboxes });
    expect(artifact.rules.mboxes["promo-strip"]).toHaveLength(6);
    expect((await fetch(emulator.artifactUrl, { headers: { "If-None-Match": etag } })).status).toBe(304);
    expect((await fetch(`${emulator.url}/emulator/staging/v1/some-property/rules.json`)).status).toBe(200);
  });

  it("a remote app and an on-device app get the same experience for the same visitor", async () => {
    const remote = createTargetClient({ client: "emulator", organizationId: "EMU@AdobeOrg", serverDomain: emulator.serverDomain, secure: false });
    const onDevice = createOnDeviceClient({ client: "emulator", organizationId: "EMU@AdobeOrg", serverDomain: emulator.serverDomain, secure: false, decisioningMethod: "on-device", artifactLocation: emulator.artifactUrl, pollingInterval: 0 });
    await onDevice.ready;
    const seen = new Set<string>();
    for (let visitor = 0; visitor < 120; visitor += 1) {
      const region = ["eu", "us", "ch", "jp"][visitor % 4]!;
      const request = { id: { tntId: `same-${visitor}` }, context: { channel: "web" as const }, execute: { mboxes: mboxes.map((name, index) => ({ name, index: index + 1, parameters: { region } })) } };
      const [fromServer, fromDevice] = await Promise.all([remote.getAttributes(mboxes, { request }), onDevice.getAttributes(mboxes, { request })]);
      expect(fromDevice.asObject(), `visitor ${visitor}`).toEqual(fromServer.asObject());
      seen.add(JSON.stringify(fromServer.asObject()));
    }
    expect(seen.size).toBeGreaterThan(10);
    await onDevice.close();
  });
});
