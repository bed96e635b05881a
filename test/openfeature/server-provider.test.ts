/**
 * TargetProvider through the real `@openfeature/server-sdk`, against the emulator, remote and
 * on-device: every flag type and its details (variant, reason, metadata), the error codes, hooks
 * seeing the details, context merging, and the same values and variants as the generated
 * accessors for many visitors of split activities.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { TargetResponseError, type TargetClient } from "@mboxgen/runtime";
import type { OnDeviceTargetClient } from "@mboxgen/runtime/on-device";
import { ErrorCode, OpenFeature, type EvaluationDetails, type FlagValue, type Hook } from "@openfeature/server-sdk";
import { demoEngineeringFlags, heroBanner, promoStrip } from "../../fixtures/example/expected/index.js";
import type { RunningEmulator } from "../../generator/index.js";
import { inTransaction, onDeviceClientFor, openFeatureClient, remoteClientFor, startTestEmulator } from "../support/openfeature.js";

let emulator: RunningEmulator;
let remote: TargetClient;
let onDevice: OnDeviceTargetClient;

beforeAll(async () => {
  emulator = await startTestEmulator();
  remote = remoteClientFor(emulator);
  onDevice = onDeviceClientFor(emulator);
  await onDevice.ready;
});
afterAll(async () => {
  await OpenFeature.close();
  await onDevice.close();
  await emulator.close();
});

describe.each(["remote", "on-device"] as const)("TargetProvider (%s)", (method) => {
  const targetClient = () => (method === "remote" ? remote : onDevice);

  it("resolves every flag type with Target's variant, reason and metadata", async () => {
    const { client } = await openFeatureClient({ client: targetClient(), mboxes: [demoEngineeringFlags, heroBanner, promoStrip] });
    const context = { targetingKey: "visitor-eu-1", region: "eu" };
    const number = await client.getNumberDetails("demo-engineering-flags.searchProviderId", 0, context);
    expect(number).toMatchObject({ value: 143, reason: "TARGETING_MATCH", flagKey: "demo-engineering-flags.searchProviderId" });
    expect(["EU classic", "EU one-page", "EU express"]).toContain(number.variant);
    expect(number.flagMetadata).toMatchObject({ mbox: "demo-engineering-flags", "activity.id": 102, "activity.name": "Checkout and CDN by region", "experience.name": number.variant!, "activity.decisioningMethod": method === "remote" ? "server-side" : "on-device" });
    expect(Object.values(number.flagMetadata).every((value) => ["string", "number", "boolean"].includes(typeof value))).toBe(true);

    const string = await client.getStringDetails("demo-engineering-flags.cdnHostname", "", context);
    expect(string.value).toMatch(/^cdn-eu2?\.example\.com$/);
    const checkout = await client.getStringValue("demo-engineering-flags.checkoutFlow", "", context);
    expect(["classic", "one-page", "express"]).toContain(checkout);

    // An A/B activity allocates: SPLIT.
    const headline = await client.getStringDetails("hero-banner.headline", "", { targetingKey: "visitor-us-1", region: "us" });
    expect(headline.reason).toBe("SPLIT");
    expect(["Welcome", "Summer sale", "Free shipping"]).toContain(headline.variant);

    const whole = await client.getObjectDetails("hero-banner", {}, { targetingKey: "visitor-us-1", region: "us" });
    expect(whole.reason).toBe("SPLIT");
    expect(whole.value).toMatchObject({ headline: headline.value });
    const cta = await client.getObjectValue("hero-banner.cta", {}, { targetingKey: "visitor-us-1", region: "us" });
    expect(typeof cta).toBe("object");
  });

  it("boolean flags, and a schema default when the offer leaves the key out (DEFAULT)", async () => {
    const { client } = await openFeatureClient({ client: targetClient(), mboxes: [demoEngineeringFlags] });
    // Find visitors of each EU experience: "EU classic" has no hasLegacyAccess, the others false.
    const seen = new Map<string, EvaluationDetails<boolean>>();
    for (let visitor = 0; seen.size < 3 && visitor < 200; visitor += 1) {
      const details = await client.getBooleanDetails("demo-engineering-flags.hasLegacyAccess", true, { targetingKey: `bool-${visitor}`, region: "ch" });
      const variant = (await client.getNumberDetails("demo-engineering-flags.searchProviderId", 0, { targetingKey: `bool-${visitor}`, region: "ch" })).variant!;
      seen.set(variant, details);
    }
    expect(seen.get("EU one-page")).toMatchObject({ value: false, reason: "TARGETING_MATCH", variant: "EU one-page" });
    // No schema default for hasLegacyAccess: the caller's default, reason DEFAULT, no error.
    expect(seen.get("EU classic")).toMatchObject({ value: true, reason: "DEFAULT" });
    expect(seen.get("EU classic")!.errorCode).toBeUndefined();
    // A key with a schema default the offer leaves out: the schema's default.
    const flow = await client.getStringDetails("demo-engineering-flags.checkoutFlow", "caller-default", { targetingKey: "no-region" });
    expect(flow).toMatchObject({ value: "classic", reason: "DEFAULT" });
  });

  it("maps every fallback of the accessors to an OpenFeature error code with a message that says why", async () => {
    const { client } = await openFeatureClient({ client: targetClient(), mboxes: [demoEngineeringFlags] });
    const context = { targetingKey: "errors-1", region: "eu" };
    const notFound = await client.getNumberDetails("demo-engineering-flags.noSuchKey", 7, context);
    expect(notFound).toMatchObject({ value: 7, reason: "ERROR", errorCode: ErrorCode.FLAG_NOT_FOUND });
    expect(notFound.errorMessage).toContain('no key "noSuchKey" in its schema');
    // Asking for a boolean where the value is a number: TYPE_MISMATCH, never a coerced value.
    const mismatch = await client.getBooleanDetails("demo-engineering-flags.searchProviderId", false, context);
    expect(mismatch).toMatchObject({ value: false, reason: "ERROR", errorCode: ErrorCode.TYPE_MISMATCH });
    expect(mismatch.errorMessage).toContain("asked for as a boolean, but its value is a number (143)");
    const wholeAsString = await client.getStringDetails("demo-engineering-flags", "x", context);
    expect(wholeAsString.errorCode).toBe(ErrorCode.TYPE_MISMATCH);
  });

  it("hooks see the details, and contexts merge (global, client, transaction, invocation)", async () => {
    const { client, domain } = await openFeatureClient({ client: targetClient(), mboxes: [demoEngineeringFlags] });
    const seen: Array<{ details: EvaluationDetails<FlagValue>; context: Record<string, unknown> }> = [];
    const hook: Hook = { after: (hookContext, details) => void seen.push({ details, context: { ...hookContext.context } }) };
    client.addHooks(hook);
    client.setContext({ region: "us" });
    const value = await inTransaction({ targetingKey: "merged-1" }, () => client.getNumberValue("demo-engineering-flags.searchProviderId", 0, { region: "eu" }));
    expect(value).toBe(143);
    expect(seen).toHaveLength(1);
    expect(seen[0]!.details).toMatchObject({ value: 143, reason: "TARGETING_MATCH", flagKey: "demo-engineering-flags.searchProviderId" });
    expect(seen[0]!.context).toMatchObject({ targetingKey: "merged-1", region: "eu" });
    // The client context alone (region us): the A/B activity, not the EU one.
    const us = await inTransaction({ targetingKey: "merged-1" }, () => client.getNumberDetails("demo-engineering-flags.searchProviderId", 0));
    expect(us.flagMetadata["activity.id"]).toBe(101);
    expect(domain).toMatch(/^mboxgen-test-/);
  });

  it("gives every visitor the values and variant the generated accessors give them", async () => {
    const { client } = await openFeatureClient({ client: targetClient(), mboxes: [demoEngineeringFlags, heroBanner] });
    for (let visitor = 0; visitor < 60; visitor += 1) {
      const region = ["eu", "ch", "us", undefined][visitor % 4];
      const tntId = `same-${method}-${visitor}`;
      const request = { id: { tntId }, context: { channel: "web" as const }, execute: { mboxes: [{ name: "demo-engineering-flags", index: 1, ...(region ? { parameters: { region } } : {}) }] } };
      const envelope = await targetClient().getOffers({ request: { ...request, prefetch: { mboxes: request.execute.mboxes }, execute: undefined } as never });
      const flags = demoEngineeringFlags.from({ asObject: (mbox: string) => ((envelope.response as any).prefetch?.mboxes?.find((entry: any) => entry.name === mbox)?.options?.[0]?.content ?? {}) });
      const context = { targetingKey: tntId, ...(region ? { region } : {}) };
      const details = await client.getNumberDetails("demo-engineering-flags.max-items", -1, context);
      expect(details.value, tntId).toBe(flags.maxItems());
      expect(await client.getStringValue("demo-engineering-flags.cdnHostname", "", context)).toBe(flags.cdnHostname());
      expect(await client.getStringValue("demo-engineering-flags.checkoutFlow", "", context)).toBe(flags.checkoutFlow());
      const option = (envelope.response as any).prefetch?.mboxes?.[0]?.options?.[0];
      expect(details.variant, tntId).toBe(option?.responseTokens?.["experience.name"]);
    }
  });
});

describe("failures", () => {
  it("a Target that is down is GENERAL, a body that is not a Delivery API response PARSE_ERROR; both give the default", async () => {
    const down = await startTestEmulator();
    const downClient = remoteClientFor(down);
    await down.close();
    const { client } = await openFeatureClient({ client: downClient, mboxes: [demoEngineeringFlags] });
    const details = await client.getNumberDetails("demo-engineering-flags.searchProviderId", 5, { targetingKey: "down" });
    expect(details).toMatchObject({ value: 5, reason: "ERROR", errorCode: ErrorCode.GENERAL });
    expect(details.errorMessage).toContain('the Target call for mbox "demo-engineering-flags" failed');

    const garbage = { getOffers: () => Promise.reject(new TargetResponseError(undefined, undefined, "a 2xx body that is not a Delivery API response")), sendNotifications: async () => ({}) };
    const { client: garbageClient } = await openFeatureClient({ client: garbage });
    const parse = await garbageClient.getNumberDetails("demo-engineering-flags.searchProviderId", 5, { targetingKey: "garbage" });
    expect(parse).toMatchObject({ value: 5, errorCode: ErrorCode.PARSE_ERROR });
  });

  it("an on-device client that is not ready is PROVIDER_NOT_READY", async () => {
    const { TargetNotReadyError } = await import("@mboxgen/runtime/on-device");
    const notReady = { getOffers: () => Promise.reject(new TargetNotReadyError("Unable to fulfill request; decisioning engine not ready.")), sendNotifications: async () => ({}) };
    const { client } = await openFeatureClient({ client: notReady });
    const details = await client.getBooleanDetails("some-mbox.flag", true, { targetingKey: "x" });
    expect(details).toMatchObject({ value: true, reason: "ERROR", errorCode: ErrorCode.PROVIDER_NOT_READY });
  });

  it("HTML content cannot be read as a flag: PARSE_ERROR", async () => {
    const html = {
      getOffers: async () => ({ request: {}, response: { status: 200, prefetch: { mboxes: [{ index: 1, name: "html-mbox", options: [{ type: "html", content: "<p>hi</p>", eventToken: "t" }] }] } }, meta: { decisioningMethod: "server-side" } }),
      sendNotifications: async () => ({}),
    };
    const { client } = await openFeatureClient({ client: html as never });
    const details = await client.getStringDetails("html-mbox.text", "d", { targetingKey: "x" });
    expect(details).toMatchObject({ value: "d", errorCode: ErrorCode.PARSE_ERROR });
  });

  it("a value that fails the schema is TYPE_MISMATCH naming what the schema expects", async () => {
    const invalid = {
      getOffers: async () => ({ request: {}, response: { status: 200, prefetch: { mboxes: [{ index: 1, name: "demo-engineering-flags", options: [{ type: "json", content: { "max-items": 1000, searchProviderId: "x" }, eventToken: "t" }] }] } }, meta: { decisioningMethod: "server-side" } }),
      sendNotifications: async () => ({}),
    };
    const { client } = await openFeatureClient({ client: invalid as never, mboxes: [demoEngineeringFlags] });
    const details = await client.getNumberDetails("demo-engineering-flags.max-items", 24, { targetingKey: "x" });
    expect(details).toMatchObject({ value: 24, reason: "ERROR", errorCode: ErrorCode.TYPE_MISMATCH });
    expect(details.errorMessage).toBe('Target\'s value for flag "demo-engineering-flags.max-items" (1000) does not match its schema: expected an integer ≥ 1 and ≤ 100');
  });

  it("rejects a client that is not a Target client, and descriptors that are not generated", () => {
    return import("@mboxgen/openfeature/server").then(({ TargetProvider }) => {
      expect(() => new TargetProvider({ client: {} as never })).toThrow(/must be a Target client/);
      expect(() => new TargetProvider({ client: remote, mboxes: [{ mbox: "fake" }] })).toThrow(/descriptors of generated modules/);
    });
  });
});
