/**
 * The on-device client's life (issue #8): readiness and events, hybrid routing, notifications,
 * polling with ETags through a flapping server, and faults (404, 500, garbage, wrong version, bad
 * `.bin` header, geo lookup failure, failed notifications). The client keeps deciding with the
 * last good artifact or rejects with a typed error, never leaves an unhandled rejection, and after
 * `close()` no timer keeps a Node process alive.
 */
import { execFileSync } from "node:child_process";
import { join } from "node:path";
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from "vitest";
import {
  createTargetClient,
  isTargetError,
  TargetArtifactError,
  TargetHttpError,
  TargetNotReadyError,
  TargetTimeoutError,
  type OnDeviceClientOptions,
  type TargetEvent,
} from "@mboxgen/runtime/on-device";
import { demoEngineeringFlags } from "../../fixtures/example/expected/index.js";
import { loadTestArtifacts } from "../support/adobe-suites.js";
import { createFakeTarget, obfuscateArtifact, type FakeTarget } from "../support/fake-target.js";
import { repositoryRoot } from "../support/fixtures.js";

const artifacts = loadTestArtifacts();
const FLAGS = artifacts.TEST_ARTIFACT_FEATURE_FLAG;
const unhandled: unknown[] = [];
const onUnhandled = (reason: unknown) => unhandled.push(reason);
beforeAll(() => process.on("unhandledRejection", onUnhandled));
afterAll(() => process.off("unhandledRejection", onUnhandled));
afterEach(async () => {
  vi.useRealTimers();
  await new Promise((resolve) => setTimeout(resolve, 10));
  expect(unhandled).toEqual([]);
});

function client(target: FakeTarget, options: Partial<OnDeviceClientOptions> = {}) {
  return createTargetClient({ client: "someClientId", organizationId: "someOrgId@AdobeOrg", decisioningMethod: "on-device", pollingInterval: 0, fetch: target.fetch, retryDelay: 1, ...options });
}

const flagsRequest = { id: { tntId: "visitor-1" }, context: { channel: "web" as const } };

describe("readiness and events", () => {
  it("downloads the artifact from Adobe's default URL, pings for a location hint, then is ready", async () => {
    const target = createFakeTarget();
    target.serveArtifact({ json: FLAGS, etag: '"v1"' });
    const events: TargetEvent[] = [];
    const record = (event: TargetEvent) => events.push(event);
    const ours = client(target, { events: { clientReady: record, artifactDownloadSucceeded: record, geoLocationUpdated: record } });
    expect(ours.isReady()).toBe(false);
    await ours.ready;
    expect(ours.isReady()).toBe(true);
    expect(target.requests.map((request) => `${request.method} ${request.url.split("?")[0]}`)).toEqual([
      "POST https://someClientId.tt.omtrdc.net/rest/v1/delivery",
      "GET https://assets.adobetarget.com/someClientId/production/v1/rules.json",
    ]);
    expect(target.requests[0]!.url).toContain("sessionId=ping123");
    expect(events.map((event) => event.type)).toEqual(["artifactDownloadSucceeded", "geoLocationUpdated", "clientReady"]);
    expect(events[0]).toMatchObject({ artifactLocation: "https://assets.adobetarget.com/someClientId/production/v1/rules.json", artifactPayload: FLAGS });
    expect(ours.getRawArtifact()).toEqual(FLAGS);
    await ours.close();
  });

  it("no ping with a targetLocationHint; the property token and environment shape the URL; .bin by format", async () => {
    const target = createFakeTarget();
    target.serveArtifact({ bytes: obfuscateArtifact(FLAGS, "someOrgId@AdobeOrg") });
    const ours = client(target, { targetLocationHint: "35", propertyToken: "token-1", environment: "Staging", artifactFormat: "bin" });
    await ours.ready;
    expect(target.requests.map((request) => request.url)).toEqual(["https://assets.adobetarget.com/someClientId/staging/v1/token-1/rules.bin"]);
    await ours.close();
  });

  it("on-device before the artifact arrives rejects with Adobe's message and a typed error; hybrid goes to the Delivery API", async () => {
    const target = createFakeTarget();
    target.serveArtifact({ hang: true });
    const onDevice = client(target, { targetLocationHint: "35" });
    const error = await onDevice.getAttributes(["mbox-feature-flags"]).catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(TargetNotReadyError);
    expect((error as Error).message).toBe("Unable to fulfill request; decisioning engine not ready.");
    expect(isTargetError(error) && error.kind).toBe("not-ready");
    await onDevice.close();

    const hybrid = client(target, { decisioningMethod: "hybrid", targetLocationHint: "35" });
    const attributes = await hybrid.getAttributes(["mbox-feature-flags"], { request: flagsRequest });
    expect(attributes.getResponse().meta.decisioningMethod).toBe("server-side");
    expect(target.requests.at(-1)!.url).toMatch(/^https:\/\/mboxedge35\.tt\.omtrdc\.net\/rest\/v1\/delivery\?/);
    await hybrid.close();
  });

  it("a server-side client is ready at once and loads no artifact", async () => {
    const target = createFakeTarget();
    const ours = client(target, { decisioningMethod: "server-side" });
    await ours.ready;
    expect(ours.isReady()).toBe(false);
    await ours.getOffers({ request: { ...flagsRequest, execute: { mboxes: [{ name: "m", index: 1 }] } } });
    expect(target.requests.map((request) => request.method)).toEqual(["POST"]);
    await ours.close();
  });
});

describe("decisions", () => {
  it("getAttributes on the device: the JSON offer, meta, one display notification on the next tick", async () => {
    const target = createFakeTarget();
    target.serveArtifact({ json: FLAGS });
    const ours = client(target, { targetLocationHint: "35" });
    await ours.ready;
    const attributes = await ours.getAttributes(["mbox-feature-flags"], { request: flagsRequest });
    expect(Object.keys(attributes.asObject("mbox-feature-flags")).sort()).toEqual(["customerFeedbackValue", "paymentExperience", "paymentGatewayVersion", "showFeatureX"]);
    expect(attributes.getResponse().meta).toEqual({ decisioningMethod: "on-device", remoteMboxes: [], remoteViews: [] });
    expect(target.notifications()).toHaveLength(0);
    await new Promise((resolve) => setTimeout(resolve, 5));
    const [notification] = target.notifications();
    expect(notification!.body.notifications).toEqual([expect.objectContaining({ type: "display", mbox: { name: "mbox-feature-flags" }, tokens: [expect.any(String)] })]);
    expect(notification!.url).toContain(`sessionId=${attributes.getResponse().targetCookie.value.split("#")[1]}`);
    await ours.close();
  });

  it("hybrid: decided here when every mbox is local, the whole call remote when one is not", async () => {
    const target = createFakeTarget();
    const artifact = { ...FLAGS, localMboxes: ["mbox-feature-flags"], remoteMboxes: ["remote-only"] };
    target.serveArtifact({ json: artifact });
    const ours = client(target, { decisioningMethod: "hybrid", targetLocationHint: "35" });
    await ours.ready;
    const local = await ours.getAttributes(["mbox-feature-flags"], { request: flagsRequest });
    expect(local.getResponse().meta).toEqual({ decisioningMethod: "on-device", remoteMboxes: [], remoteViews: [] });
    const mixed = await ours.getAttributes(["mbox-feature-flags", "remote-only"], { request: flagsRequest });
    expect(mixed.getResponse().meta).toEqual({ decisioningMethod: "server-side", remoteMboxes: ["remote-only"], remoteViews: [] });
    const deliveryCall = target.requests.at(-1)!;
    expect(deliveryCall.body.execute.mboxes.map((mbox: { name: string }) => mbox.name)).toEqual(["mbox-feature-flags", "remote-only"]);
    // on-device keeps the remote mbox blank, with status 206
    const partial = await ours.getOffers({ decisioningMethod: "on-device", request: { ...flagsRequest, execute: { mboxes: [{ name: "remote-only", index: 1 }] } } });
    expect(partial.response.status).toBe(206);
    expect(partial.meta.remoteMboxes).toEqual(["remote-only"]);
    await ours.close();
  });

  it("generated modules work unchanged over it, with the same fallback rules", async () => {
    const target = createFakeTarget();
    const artifact = structuredClone(FLAGS);
    // The consequence's name is the mbox a decision answers for.
    artifact.rules.mboxes["demo-engineering-flags"] = structuredClone(artifact.rules.mboxes["mbox-feature-flags"]);
    for (const rule of artifact.rules.mboxes["demo-engineering-flags"]) {
      rule.consequence.name = "demo-engineering-flags";
      rule.consequence.options[0].content = { searchProviderId: 7, "max-items": 2.5 };
    }
    artifact.localMboxes = [...artifact.localMboxes, "demo-engineering-flags"];
    target.serveArtifact({ json: artifact });
    const ours = client(target, { targetLocationHint: "35" });
    await ours.ready;
    const reasons: string[] = [];
    const flags = await demoEngineeringFlags.fetch(ours, { request: flagsRequest, onFallback: (event) => reasons.push(`${event.key}:${event.reason}`) });
    expect(flags.searchProviderId()).toBe(7);
    expect(flags.maxItems()).toBe(24);
    expect(flags.error).toBeUndefined();
    expect(reasons).toEqual(["max-items:invalid"]);
    await ours.close();
    const notReady = client(createFakeTarget(), { targetLocationHint: "35" });
    const fallback = await demoEngineeringFlags.fetch(notReady);
    expect(fallback.error).toBeInstanceOf(TargetNotReadyError);
    expect(fallback.searchProviderId()).toBe(143);
    await notReady.close();
  });

  it("a rule with an unknown operator or no meta does not match, and is logged once", async () => {
    const target = createFakeTarget();
    const artifact = structuredClone(FLAGS);
    const [first, second] = artifact.rules.mboxes["mbox-feature-flags"];
    first.condition = { regexMatch: [{ var: "page.url" }, "x"] };
    delete second.meta;
    target.serveArtifact({ json: artifact });
    const errors: unknown[][] = [];
    const ours = client(target, { targetLocationHint: "35", logger: { error: (...messages) => errors.push(messages) } });
    await ours.ready;
    for (let call = 0; call < 3; call += 1) {
      const attributes = await ours.getAttributes(["mbox-feature-flags"], { request: flagsRequest });
      expect(attributes.asObject("mbox-feature-flags")).toEqual({});
    }
    expect(errors.map(([message]) => message)).toEqual([
      expect.stringMatching(/^On-device rule .* does not match: its condition failed: Unrecognized operation regexMatch$/),
      expect.stringMatching(/^On-device rule .* does not match: the rule has no meta$/),
    ]);
    await ours.close();
  });
});

describe("faults", () => {
  it.each<[string, Parameters<FakeTarget["serveArtifact"]>[0], RegExp, number]>([
    ["a 404 (not retried)", { status: 404, text: "nope" }, /rules\.json could not be downloaded: GET .* failed with HTTP 404/, 1],
    ["a 500 (retried twice)", { status: 500, text: "boom" }, /failed with HTTP 500/, 3],
    ["garbage JSON", { json: undefined as unknown as object }, /is not JSON/, 1],
    ["an unsupported version", { json: artifacts.TEST_ARTIFACT_UNSUPPORTED }, /The decisioning artifact version \(99\.0\.0\) is not supported/, 1],
    ["a .bin with a bad header", { bytes: new TextEncoder().encode("NOPE:001 not an artifact at all..........") }, /is not an obfuscated artifact/, 1],
  ])("%s: ready rejects with a TargetArtifactError, the failure is reported, on-device calls reject typed", async (_, answer, message, downloads) => {
    const target = createFakeTarget();
    target.serveArtifact(answer);
    const failures: TargetEvent[] = [];
    const errors: unknown[] = [];
    const isBin = "bytes" in answer;
    const ours = client(target, { targetLocationHint: "35", events: { artifactDownloadFailed: (event) => failures.push(event) }, logger: { error: (text) => errors.push(text) }, ...(isBin ? { artifactFormat: "bin" as const } : {}) });
    const error = await ours.ready.catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(TargetArtifactError);
    expect((error as Error).message).toMatch(message);
    expect(failures).toHaveLength(1);
    expect(failures[0]!.error).toBe(error);
    expect(errors).toEqual([(error as Error).message]);
    expect(target.requests.filter((request) => request.method === "GET")).toHaveLength(downloads);
    await expect(ours.getAttributes(["mbox-feature-flags"])).rejects.toBeInstanceOf(TargetNotReadyError);
    await ours.close();
  });

  it("polling while the server flaps: 304 reuses, a 500 keeps the last good artifact, a new one replaces it", async () => {
    vi.useFakeTimers();
    const target = createFakeTarget();
    const second = structuredClone(FLAGS);
    for (const rule of second.rules.mboxes["mbox-feature-flags"]) rule.consequence.options[0].content = { version: 2 };
    target.serveArtifact({ json: FLAGS, etag: '"v1"' }, { json: FLAGS, etag: '"v1"' }, { status: 500 }, { status: 503 }, { status: 500 }, { json: second, etag: '"v2"' });
    const failures: TargetEvent[] = [];
    const successes: TargetEvent[] = [];
    const ours = client(target, { targetLocationHint: "35", pollingInterval: 300_000, events: { artifactDownloadFailed: (event) => failures.push(event), artifactDownloadSucceeded: (event) => successes.push(event) } });
    await vi.advanceTimersByTimeAsync(0);
    await ours.ready;
    const decide = async () => (await ours.getAttributes(["mbox-feature-flags"], { request: flagsRequest })).asObject("mbox-feature-flags");
    const first = await decide();
    await vi.advanceTimersByTimeAsync(300_000); // 304
    const gets = () => target.requests.filter((request) => request.method === "GET");
    expect(gets().at(-1)!.headers["If-None-Match"]).toBe('"v1"');
    expect(await decide()).toEqual(first);
    await vi.advanceTimersByTimeAsync(301_000); // 500, 503, 500: retried, then failed
    expect(failures).toHaveLength(1);
    expect(failures[0]!.error).toBeInstanceOf(TargetArtifactError);
    expect(await decide()).toEqual(first);
    await vi.advanceTimersByTimeAsync(300_000); // the new artifact (the poll after the failure)
    expect(await decide()).toEqual({ version: 2 });
    expect(successes).toHaveLength(2);
    await ours.close();
    const afterClose = gets().length;
    await vi.advanceTimersByTimeAsync(3_000_000);
    expect(gets()).toHaveLength(afterClose);
  });

  it("a geo lookup that fails rejects the call with a typed error; generated accessors fall back", async () => {
    const target = createFakeTarget();
    target.serveArtifact({ json: artifacts.TEST_ARTIFACT_GEO });
    target.serveGeo({ status: 503 });
    const ours = client(target, { targetLocationHint: "35", retries: 0 });
    await ours.ready;
    const request = { id: { tntId: "v" }, context: { channel: "web" as const, geo: { ipAddress: "203.0.113.7" } }, execute: { mboxes: [{ name: "mbox-geography", index: 1 }] } };
    const error = await ours.getOffers({ request }).catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(TargetHttpError);
    expect((error as TargetHttpError).status).toBe(503);
    const geoCall = target.requests.find((call) => call.url.endsWith("/v1/geo"))!;
    expect(geoCall.headers["x-forwarded-for"]).toBe("203.0.113.7");
    await ours.close();
  });

  it("a failed notification send is reported through events and the logger, never unhandled", async () => {
    const target = createFakeTarget();
    target.serveArtifact({ json: FLAGS });
    target.serveDelivery(() => ({ status: 400, json: { status: 400, message: "bad notification" } }));
    const reported: TargetEvent[] = [];
    const errors: unknown[] = [];
    const ours = client(target, { targetLocationHint: "35", events: { sendNotificationError: (event) => reported.push(event) }, logger: { error: (text) => errors.push(text) } });
    await ours.ready;
    await ours.getAttributes(["mbox-feature-flags"], { request: flagsRequest });
    await ours.close(); // flushes the notification
    expect(reported).toHaveLength(1);
    expect(reported[0]!.error).toBeInstanceOf(TargetHttpError);
    expect(errors).toContain("Sending on-device display notifications failed");
  });

  it("the notifications of one tick share one timeout: a hanging Delivery API times each out and aborts it, and the next tick starts afresh", async () => {
    const target = createFakeTarget();
    target.serveArtifact({ json: FLAGS });
    target.serveDelivery(() => ({ hang: true }));
    const reported: TargetEvent[] = [];
    const ours = client(target, { targetLocationHint: "35", timeout: 100, retries: 0, events: { sendNotificationError: (event) => reported.push(event) } });
    await ours.ready;
    const started = Date.now();
    await Promise.all(["visitor-1", "visitor-2", "visitor-3"].map((tntId) => ours.getAttributes(["mbox-feature-flags"], { request: { ...flagsRequest, id: { tntId } } })));
    await vi.waitFor(() => expect(reported).toHaveLength(3), { timeout: 2000 });
    expect(Date.now() - started).toBeLessThan(1000);
    expect(reported.map((event) => (event.error as Error).constructor)).toEqual([TargetTimeoutError, TargetTimeoutError, TargetTimeoutError]);
    expect(target.notifications()).toHaveLength(3);

    // A later tick gets a timeout of its own, not the one that fired.
    target.serveDelivery(() => ({ status: 200, json: { status: 200, id: {} } }));
    await ours.getAttributes(["mbox-feature-flags"], { request: flagsRequest });
    await ours.close();
    expect(target.notifications()).toHaveLength(4);
    expect(reported).toHaveLength(3);
  });

  it("after close() no timer keeps a Node process alive, polling and notifications included", () => {
    const script = `
      import { createTargetClient } from "@mboxgen/runtime/on-device";
      const artifact = ${JSON.stringify(FLAGS)};
      const fetch = async (url) => url.includes("rules.json") ? Response.json(artifact) : Response.json({ status: 200, id: {} });
      const client = createTargetClient({ client: "c", organizationId: "o", decisioningMethod: "on-device", fetch, pollingInterval: 300000 });
      await client.ready;
      await client.getAttributes(["mbox-feature-flags"], { request: { id: { tntId: "v" }, context: { channel: "web" } } });
      await client.close();
      process.stdout.write("closed");
    `;
    const started = Date.now();
    const output = execFileSync(process.execPath, ["--input-type=module", "-e", script], { cwd: join(repositoryRoot, "test"), encoding: "utf8", timeout: 10_000 });
    expect(output).toBe("closed");
    expect(Date.now() - started).toBeLessThan(5_000);
  });
});
