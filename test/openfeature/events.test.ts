/**
 * TargetProvider's lifecycle through the real `@openfeature/server-sdk`, on-device: ready once the
 * artifact is loaded, an error when it cannot be, CONFIGURATION_CHANGED with the changed flag keys
 * when a polled artifact changes, STALE when the artifact cannot be refreshed for long and READY
 * again when it can; onClose stops listening and sends what waits. Tracking reports a conversion
 * the way Target models one, and a failed report reaches the logger only.
 */
import { afterEach, describe, expect, it, vi } from "vitest";
import { createTargetClient, type OnDeviceClientOptions } from "@mboxgen/runtime/on-device";
import { OpenFeature, ProviderEvents, ProviderStatus, type EventDetails } from "@openfeature/server-sdk";
import { TargetProvider } from "@mboxgen/openfeature/server";
import { loadTestArtifacts } from "../support/adobe-suites.js";
import { createFakeTarget, type FakeTarget } from "../support/fake-target.js";

const FLAGS = loadTestArtifacts().TEST_ARTIFACT_FEATURE_FLAG;
let domain = 0;

afterEach(() => {
  vi.useRealTimers();
});

function onDevice(target: FakeTarget, options: Partial<OnDeviceClientOptions> = {}) {
  return createTargetClient({ client: "someClientId", organizationId: "someOrgId@AdobeOrg", decisioningMethod: "on-device", targetLocationHint: "35", fetch: target.fetch, retryDelay: 1, pollingInterval: 300_000, ...options });
}

function changed(artifact: typeof FLAGS, content: Record<string, unknown>) {
  const next = structuredClone(artifact);
  for (const rule of next.rules.mboxes["mbox-feature-flags"]) rule.consequence.options[0].content = content;
  return next;
}

async function register(provider: TargetProvider) {
  const name = `mboxgen-events-${(domain += 1)}`;
  const events: Array<{ type: string; details: EventDetails | undefined }> = [];
  const client = OpenFeature.getClient(name);
  for (const type of [ProviderEvents.Ready, ProviderEvents.Error, ProviderEvents.Stale, ProviderEvents.ConfigurationChanged]) client.addHandler(type, (details) => void events.push({ type, details }));
  return { name, client, events };
}

describe("TargetProvider's lifecycle (on-device)", () => {
  it("is ready once the artifact is loaded, then reports a changed artifact with the flag keys it changes", async () => {
    vi.useFakeTimers();
    const target = createFakeTarget();
    target.serveArtifact({ json: FLAGS, etag: '"v1"' }, { json: FLAGS, etag: '"v1"' }, { json: changed(FLAGS, { paymentExperience: "new", rollout: 2 }), etag: '"v2"' });
    const targetClient = onDevice(target);
    const provider = new TargetProvider({ client: targetClient });
    const { name, client, events } = await register(provider);
    const ready = OpenFeature.setProviderAndWait(name, provider);
    await vi.advanceTimersByTimeAsync(0);
    await ready;
    expect(client.providerStatus).toBe(ProviderStatus.READY);
    await vi.advanceTimersByTimeAsync(300_000); // 304: nothing changed
    expect(events.map((event) => event.type)).toEqual([ProviderEvents.Ready]);
    await vi.advanceTimersByTimeAsync(300_000); // a new artifact
    const change = events.find((event) => event.type === ProviderEvents.ConfigurationChanged);
    expect(change?.details?.flagsChanged).toEqual(["mbox-feature-flags", "mbox-feature-flags.customerFeedbackValue", "mbox-feature-flags.paymentExperience", "mbox-feature-flags.paymentGatewayVersion", "mbox-feature-flags.rollout", "mbox-feature-flags.showFeatureX"]);
    await OpenFeature.clearProviders();
    await targetClient.close();
  });

  it("turns STALE when downloads fail for longer than staleAfter, and READY again with a fresh artifact", async () => {
    vi.useFakeTimers();
    const target = createFakeTarget();
    target.serveArtifact({ json: FLAGS, etag: '"v1"' }, { status: 500 }, { status: 500 }, { status: 500 }, { status: 500 }, { status: 500 }, { status: 500 }, { status: 500 }, { status: 500 }, { status: 500 }, { json: changed(FLAGS, { paymentExperience: "back" }), etag: '"v3"' });
    const targetClient = onDevice(target, { retries: 2 });
    const provider = new TargetProvider({ client: targetClient, staleAfter: 500_000 });
    const { name, client, events } = await register(provider);
    const ready = OpenFeature.setProviderAndWait(name, provider);
    await vi.advanceTimersByTimeAsync(0);
    await ready;
    await vi.advanceTimersByTimeAsync(301_000); // first failure: fresh 300 s ago, under staleAfter
    expect(events.map((event) => event.type)).toEqual([ProviderEvents.Ready]);
    await vi.advanceTimersByTimeAsync(301_000); // second failure, 600 s without a fresh artifact
    expect(events.map((event) => event.type)).toEqual([ProviderEvents.Ready, ProviderEvents.Stale]);
    expect(client.providerStatus).toBe(ProviderStatus.STALE);
    // Still deciding from the last good artifact meanwhile.
    expect(await client.getStringValue("mbox-feature-flags.paymentExperience", "x", { targetingKey: "stale-visitor" })).not.toBe("x");
    await vi.advanceTimersByTimeAsync(301_000); // third failure: stays stale, no new event
    expect(events.filter((event) => event.type === ProviderEvents.Stale)).toHaveLength(1);
    await vi.advanceTimersByTimeAsync(301_000); // fresh again
    expect(events.map((event) => event.type)).toEqual([ProviderEvents.Ready, ProviderEvents.Stale, ProviderEvents.Ready, ProviderEvents.ConfigurationChanged]);
    expect(client.providerStatus).toBe(ProviderStatus.READY);
    await OpenFeature.clearProviders();
    await targetClient.close();
  });

  it("an artifact that cannot be loaded is a provider error; evaluations give defaults", async () => {
    const target = createFakeTarget();
    target.serveArtifact({ status: 404, text: "no artifact" });
    const targetClient = onDevice(target, { pollingInterval: 0 });
    const provider = new TargetProvider({ client: targetClient });
    const { name, client, events } = await register(provider);
    await expect(OpenFeature.setProviderAndWait(name, provider)).rejects.toBeDefined();
    expect(events.map((event) => event.type)).toEqual([ProviderEvents.Error]);
    expect(client.providerStatus).toBe(ProviderStatus.ERROR);
    expect(await client.getBooleanValue("mbox-feature-flags.showFeatureX", false, { targetingKey: "v" })).toBe(false);
    await OpenFeature.clearProviders();
    await targetClient.close();
  });

  it("onClose sends the notifications waiting, and stops listening to the client", async () => {
    const target = createFakeTarget();
    target.serveArtifact({ json: FLAGS, etag: '"v1"' });
    const targetClient = onDevice(target, { pollingInterval: 0 });
    const provider = new TargetProvider({ client: targetClient });
    const { name, client } = await register(provider);
    await OpenFeature.setProviderAndWait(name, provider);
    await client.getStringValue("mbox-feature-flags.paymentExperience", "x", { targetingKey: "closing" });
    await OpenFeature.clearProviders(); // calls onClose
    const notifications = target.requests.filter((request) => request.body?.notifications);
    expect(notifications).toHaveLength(1);
    expect(notifications[0]!.body.notifications[0]).toMatchObject({ type: "display", mbox: { name: "mbox-feature-flags" } });
    await targetClient.close();
  });
});

describe("tracking", () => {
  it("reports a conversion as an execute call of the event's mbox with the order, never to the caller when it fails", async () => {
    const target = createFakeTarget();
    target.serveArtifact({ json: FLAGS });
    const targetClient = onDevice(target, { pollingInterval: 0 });
    const errors: string[] = [];
    const warnings: string[] = [];
    const provider = new TargetProvider({ client: targetClient, logger: { error: (message: string) => void errors.push(message), warn: (message: string) => void warnings.push(message) } });
    const { name, client } = await register(provider);
    await OpenFeature.setProviderAndWait(name, provider);
    client.track("orderConfirmPage", { targetingKey: "buyer-1", url: "https://shop.example/thanks", region: "eu" }, { value: 42.5, orderId: "o-17", productIds: ["p1", "p2"], coupon: "SPRING", when: new Date(0) });
    await vi.waitFor(() => expect(target.requests.some((request) => request.body?.execute)).toBe(true));
    const conversion = target.requests.find((request) => request.body?.execute)!;
    expect(conversion.body.execute.mboxes).toEqual([{ name: "orderConfirmPage", index: 1, parameters: { region: "eu", coupon: "SPRING", when: "1970-01-01T00:00:00.000Z" }, order: { total: 42.5, id: "o-17", purchasedProductIds: ["p1", "p2"] } }]);
    expect(conversion.body.id.tntId).toBe("buyer-1");
    expect(conversion.body.context.address.url).toBe("https://shop.example/thanks");

    target.serveDelivery(() => ({ status: 503, json: { status: 503, message: "down" } }));
    expect(() => client.track("orderConfirmPage", { targetingKey: "buyer-2" }, { value: 1 })).not.toThrow();
    await vi.waitFor(() => expect(errors).toHaveLength(1), { timeout: 5000 });
    expect(errors[0]).toMatch(/^Target tracking of "orderConfirmPage" failed: /);
    target.serveDelivery((body) => ({ status: 200, json: { status: 200, requestId: "r", client: "c", id: body?.id ?? {} } }));
    client.track("orderConfirmPage", { targetingKey: "buyer-3" }, { nested: [[1]] as never });
    await vi.waitFor(() => expect(warnings).toEqual(['Target tracking of "orderConfirmPage": detail "nested": an array with items that are not strings, numbers, booleans or dates, so it is not sent to Target']), { timeout: 5000 });
    await OpenFeature.clearProviders();
    await targetClient.close();
  });
});
