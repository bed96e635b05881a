/**
 * The Delivery API emulator: deterministic allocation, audiences, QA forcing, response tokens,
 * event tokens, merged activities, notifications, Target's 400 body, and the same provider output
 * for Adobe's SDK and @mboxgen/runtime pointed at it.
 */
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createTargetClient } from "@mboxgen/runtime";
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

  it("serves audience-targeted activities only to qualifying mbox parameters; several activities merge", async () => {
    const outside = await deliver(execute("visitor-2", {}, { region: "us" }));
    expect(outside.body.execute.mboxes[0].options).toHaveLength(1);
    const inside = await deliver(execute("visitor-2", {}, { region: "ch" }));
    expect(inside.body.execute.mboxes[0].options).toHaveLength(2);
    expect(inside.body.execute.mboxes[0].options.map((option: any) => option.responseTokens["activity.id"])).toEqual([101, 102]);
  });

  it("forces experiences with qaMode.previewIndexes (1-based); an index past the last forces nothing", async () => {
    const forced = await deliver(execute("visitor-3", { qaMode: { token: "example-qa-token", previewIndexes: [{ activityIndex: 2, experienceIndex: 3 }] } }));
    const tokens = forced.body.execute.mboxes[0].options.map((option: any) => option.responseTokens);
    expect(tokens.find((token: any) => token["activity.id"] === 102)).toMatchObject({ "experience.name": "EU express", "offer.id": 1013 });
    const pastTheLast = await deliver(execute("visitor-3", { qaMode: { token: "example-qa-token", previewIndexes: [{ activityIndex: 2, experienceIndex: 9 }] } }));
    expect(pastTheLast.body.execute).toEqual((await deliver(execute("visitor-3", { qaMode: { token: "example-qa-token" } }))).body.execute);
    const wrongToken = await deliver(execute("visitor-3", { qaMode: { token: "nope", previewIndexes: [] } }));
    expect(wrongToken).toEqual({ status: 400, body: { status: 400, message: "Invalid QA token" } });
  });

  it("puts response tokens on every option and event tokens on prefetched ones", async () => {
    const { body } = await deliver({ id: { tntId: "visitor-4" }, context: { channel: "web" }, prefetch: { mboxes: [{ name: "promo-strip", index: 1 }] } });
    for (const option of body.prefetch.mboxes[0].options) {
      expect(Object.keys(option.responseTokens).sort()).toEqual(
        ["activity.id", "activity.name", "activity.type", "experience.id", "experience.name", "offer.id", "offer.name"].sort(),
      );
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
      expect(messages).toContain(`activities.json /mboxes/m/0/type: invalid activities file: "type" must be one of "ab", "xt", "ap"; ${fix} [ACTIVITIES_INVALID]`);
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
});
