/**
 * TargetWebProvider through the real `@openfeature/web-sdk` in Node, against the emulator:
 * synchronous evaluation after one Delivery API call for all its mboxes, reconciling only when a
 * context change changes what Target decides on, the errors (PROVIDER_NOT_READY before any data,
 * FLAG_NOT_FOUND, TYPE_MISMATCH), stale values after a failed refetch; and the server's snapshot:
 * ready at once, the server's values, no call for them, each display notification sent once
 * (counted by the emulator from the wire), hostile offer content embedded intact. OpenFeature's
 * OFREP web provider agrees with it.
 */
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import type { GetOffersOptions, SendNotificationsOptions } from "@mboxgen/runtime";
import { OFREPWebProvider } from "@openfeature/ofrep-web-provider";
import { ClientProviderEvents, ErrorCode, OpenFeature as WebOpenFeature, ProviderStatus, type Provider as WebProvider } from "@openfeature/web-sdk";
import { OpenFeature } from "@openfeature/server-sdk";
import { embedSnapshot, TargetWebProvider, type TargetWebClient } from "@mboxgen/openfeature/web";
import { demoEngineeringFlags, heroBanner, promoStrip } from "../../fixtures/example/expected/index.js";
import type { RunningEmulator } from "../../generator/index.js";
import { exampleActivities, inTransaction, onDeviceClientFor, openFeatureClient, remoteClientFor, startTestEmulator } from "../support/openfeature.js";
import { waitFor } from "../support/processes.js";

let emulator: RunningEmulator;
let domains = 0;
beforeAll(async () => {
  emulator = await startTestEmulator();
});
afterEach(async () => {
  await WebOpenFeature.clearProviders();
});
afterAll(async () => {
  await WebOpenFeature.close();
  await OpenFeature.close();
  await emulator.close();
});

/** A client over the emulator that counts its decision and notification calls. */
function counted(): TargetWebClient & { decisions: GetOffersOptions[]; notifications: SendNotificationsOptions[] } {
  const remote = remoteClientFor(emulator);
  const decisions: GetOffersOptions[] = [];
  const notifications: SendNotificationsOptions[] = [];
  return {
    decisions,
    notifications,
    getOffers: (options) => (decisions.push(options), remote.getOffers(options)),
    sendNotifications: (options) => (notifications.push(options), remote.sendNotifications(options)),
  };
}

const impressionsSince = (before: Record<string, number>) => Object.fromEntries(Object.entries(emulator.stats.impressions).map(([mbox, count]) => [mbox, count - (before[mbox] ?? 0)]).filter(([, count]) => count !== 0));

describe("TargetWebProvider", () => {
  it("answers synchronously after one call for all its mboxes, and refetches only when the decisions would change", async () => {
    const client = counted();
    const domain = `web-${(domains += 1)}`;
    await WebOpenFeature.setContext(domain, { targetingKey: "web-visitor-1", region: "eu" });
    await WebOpenFeature.setProviderAndWait(domain, new TargetWebProvider({ client, mboxes: [demoEngineeringFlags, heroBanner, promoStrip] }));
    const flags = WebOpenFeature.getClient(domain);
    expect(client.decisions).toHaveLength(1);
    expect(client.decisions[0]!.request!.prefetch!.mboxes!.map((mbox) => mbox.name)).toEqual(["demo-engineering-flags", "hero-banner", "promo-strip"]);
    const eu = flags.getNumberDetails("demo-engineering-flags.searchProviderId", 0);
    expect(eu).toMatchObject({ value: 143, reason: "TARGETING_MATCH" });
    expect(["EU classic", "EU one-page", "EU express"]).toContain(eu.variant);

    const events: string[] = [];
    for (const type of [ClientProviderEvents.Reconciling, ClientProviderEvents.ContextChanged]) flags.addHandler(type, () => void events.push(type));
    // An equal context (the SDK calls onContextChange for every setContext): nothing is fetched.
    await WebOpenFeature.setContext(domain, { region: "eu", targetingKey: "web-visitor-1" });
    expect(client.decisions).toHaveLength(1);
    // Another region: another decision.
    await WebOpenFeature.setContext(domain, { targetingKey: "web-visitor-1", region: "us" });
    expect(client.decisions).toHaveLength(2);
    expect(events).toContain(ClientProviderEvents.Reconciling);
    expect(events.at(-1)).toBe(ClientProviderEvents.ContextChanged);
    const us = flags.getNumberDetails("demo-engineering-flags.searchProviderId", 0);
    expect(us.flagMetadata["activity.id"]).toBe(101);
    expect(us.reason).toBe("SPLIT");
  });

  it("gives each visitor what TargetProvider gives it on the server", async () => {
    const { client: server } = await openFeatureClient({ client: remoteClientFor(emulator), mboxes: [demoEngineeringFlags, heroBanner] });
    const domain = `web-${(domains += 1)}`;
    await WebOpenFeature.setProviderAndWait(domain, new TargetWebProvider({ client: counted(), mboxes: [demoEngineeringFlags, heroBanner], cookie: false }));
    const browser = WebOpenFeature.getClient(domain);
    for (let visitor = 0; visitor < 16; visitor += 1) {
      const context = { targetingKey: `same-web-${visitor}`, ...(visitor % 2 === 0 ? { region: "ch" } : {}) };
      await WebOpenFeature.setContext(domain, context);
      for (const key of ["demo-engineering-flags.max-items", "hero-banner.headline", "demo-engineering-flags.checkoutFlow"]) {
        const ours = key.endsWith("items") ? browser.getNumberDetails(key, -1) : browser.getStringDetails(key, "x");
        const theirs = key.endsWith("items") ? await server.getNumberDetails(key, -1, context) : await server.getStringDetails(key, "x", context);
        expect({ value: ours.value, variant: ours.variant, reason: ours.reason }, `${key} ${JSON.stringify(context)}`).toEqual({ value: theirs.value, variant: theirs.variant, reason: theirs.reason });
      }
    }
  });

  it("errors: not ready before any data, unknown flags, wrong types; stale values after a failed refetch", async () => {
    let release!: () => void;
    const slow: TargetWebClient = { ...counted(), ready: new Promise<void>((resolve) => (release = resolve)) };
    const domain = `web-${(domains += 1)}`;
    WebOpenFeature.setProvider(domain, new TargetWebProvider({ client: slow, mboxes: [demoEngineeringFlags], cookie: false }));
    const flags = WebOpenFeature.getClient(domain);
    expect(flags.getBooleanDetails("demo-engineering-flags.hasLegacyAccess", true)).toMatchObject({ value: true, errorCode: ErrorCode.PROVIDER_NOT_READY });
    release();
    await waitFor(() => flags.providerStatus === ProviderStatus.READY, 3000);
    expect(flags.getNumberDetails("hero-banner.headline", 1)).toMatchObject({ value: 1, errorCode: ErrorCode.FLAG_NOT_FOUND });
    expect(flags.getBooleanDetails("demo-engineering-flags.searchProviderId", false)).toMatchObject({ value: false, errorCode: ErrorCode.TYPE_MISMATCH });

    const failing = counted();
    let fail = false;
    const flaky: TargetWebClient = { ...failing, getOffers: (options) => (fail ? Promise.reject(new Error("offline")) : failing.getOffers(options)) };
    const staleDomain = `web-${(domains += 1)}`;
    await WebOpenFeature.setContext(staleDomain, { targetingKey: "stale-visitor", region: "eu" });
    await WebOpenFeature.setProviderAndWait(staleDomain, new TargetWebProvider({ client: flaky, mboxes: [demoEngineeringFlags], cookie: false }));
    fail = true;
    await WebOpenFeature.setContext(staleDomain, { targetingKey: "stale-visitor", region: "us" });
    const stale = WebOpenFeature.getClient(staleDomain).getNumberDetails("demo-engineering-flags.searchProviderId", 0);
    expect(stale).toMatchObject({ value: 143, reason: "STALE" });
  });
});

describe("starting from the server's snapshot", () => {
  it("is ready at once with the server's values, makes no call for them, and notifies each mbox once", async () => {
    const { client: server, provider } = await openFeatureClient({ client: remoteClientFor(emulator), mboxes: [demoEngineeringFlags, heroBanner, promoStrip] });
    const before = { ...emulator.stats.impressions };
    const context = { targetingKey: "snapshot-visitor", region: "eu", url: "https://shop.example/" };
    // The server renders with two mboxes, then snapshots the page (three mboxes) in the same transaction.
    const { rendered, embedded } = await inTransaction(context, async () => {
      const rendered = { searchProviderId: await server.getNumberValue("demo-engineering-flags.searchProviderId", 0), headline: await server.getStringValue("hero-banner.headline", "") };
      return { rendered, embedded: embedSnapshot(await provider.snapshot({})) };
    });
    const client = counted();
    const domain = `web-${(domains += 1)}`;
    WebOpenFeature.setProvider(domain, new TargetWebProvider({ client, mboxes: [demoEngineeringFlags, heroBanner, promoStrip], bootstrap: JSON.parse(embedded), cookie: false }));
    const flags = WebOpenFeature.getClient(domain);
    expect(flags.providerStatus).toBe(ProviderStatus.READY);
    expect(flags.getNumberValue("demo-engineering-flags.searchProviderId", 0)).toBe(rendered.searchProviderId);
    expect(flags.getStringDetails("hero-banner.headline", "")).toMatchObject({ value: rendered.headline, reason: "CACHED" });
    // The same context in the browser: still no call.
    await WebOpenFeature.setContext(domain, context);
    flags.getStringValue("promo-strip.message", "");
    expect(client.decisions).toEqual([]);
    // The server notified the two mboxes it rendered; the browser notifies the third, once.
    flags.getStringValue("promo-strip.message", "");
    await waitFor(() => client.notifications.length === 1, 3000);
    await new Promise((resolve) => setTimeout(resolve, 50));
    expect(client.notifications.flatMap((call) => call.request.notifications!.map((notification) => notification.mbox!.name))).toEqual(["promo-strip"]);
    expect(impressionsSince(before)).toEqual({ "demo-engineering-flags": 1, "hero-banner": 1, "promo-strip": 1 });
  });

  it("embeds hostile offer content intact and inert in an inline script", async () => {
    const hostile = { text: "</script><script>alert(1)</script>", comment: "<!-- -->", separators: "a\u2028b\u2029c", template: "${x}`", amp: "&amp;" };
    const activities = exampleActivities();
    activities.mboxes["hero-banner"] = [{ id: 7, name: "Hostile", type: "xt", experiences: [{ id: 0, name: "</script>", weight: 1, offer: { id: 7, name: "<!--", content: { headline: hostile.text, theme: "dark", extra: hostile } } }] }];
    await emulator.setActivities(activities);
    try {
      const { provider } = await openFeatureClient({ client: remoteClientFor(emulator), mboxes: ["hero-banner"] });
      const embedded = embedSnapshot(await provider.snapshot({ targetingKey: "hostile-visitor" }));
      expect(embedded).not.toMatch(/<\/script|<!--|[\u2028\u2029]/i);
      // As a browser reads it: the script element's text, evaluated.
      const read = new Function(`return ${embedded};`)() as { mboxes: Record<string, { offer: Record<string, unknown>; responseTokens: Record<string, unknown> }> };
      expect(read.mboxes["hero-banner"]!.offer).toEqual({ headline: hostile.text, theme: "dark", extra: hostile });
      expect(read.mboxes["hero-banner"]!.responseTokens["experience.name"]).toBe("</script>");
      const domain = `web-${(domains += 1)}`;
      WebOpenFeature.setProvider(domain, new TargetWebProvider({ client: counted(), mboxes: ["hero-banner"], bootstrap: JSON.parse(embedded), cookie: false }));
      expect(WebOpenFeature.getClient(domain).getStringValue("hero-banner.headline", "")).toBe(hostile.text);
    } finally {
      await emulator.setActivities(exampleActivities());
    }
  });
});

describe("OpenFeature's OFREP web provider", () => {
  it("agrees with TargetWebProvider (on-device, which knows every mbox's keys as the emulator does)", async () => {
    const ours = `web-${(domains += 1)}`;
    const theirs = `web-${(domains += 1)}`;
    const context = { targetingKey: "ofrep-web-0", region: "eu" };
    await WebOpenFeature.setContext(ours, context);
    await WebOpenFeature.setContext(theirs, context);
    const onDevice = onDeviceClientFor(emulator);
    await onDevice.ready;
    await WebOpenFeature.setProviderAndWait(ours, new TargetWebProvider({ client: onDevice, mboxes: ["demo-engineering-flags", "hero-banner"], cookie: false }));
    await WebOpenFeature.setProviderAndWait(theirs, new OFREPWebProvider({ baseUrl: emulator.url, pollInterval: 0, cacheMode: "disabled" }) as unknown as WebProvider);
    for (let visitor = 0; visitor < 10; visitor += 1) {
      const next = { targetingKey: `ofrep-web-${visitor}`, region: visitor % 2 ? "us" : "eu" };
      await WebOpenFeature.setContext(ours, next);
      await WebOpenFeature.setContext(theirs, next);
      for (const key of ["demo-engineering-flags.searchProviderId", "hero-banner.theme"]) {
        const [a, b] = [ours, theirs].map((domain) => (key.endsWith("Id") ? WebOpenFeature.getClient(domain).getNumberDetails(key, -1) : WebOpenFeature.getClient(domain).getStringDetails(key, "x")));
        expect({ value: b!.value, variant: b!.variant, reason: b!.reason }, key).toEqual({ value: a!.value, variant: a!.variant, reason: a!.reason });
      }
    }
    await onDevice.close();
  });
});
