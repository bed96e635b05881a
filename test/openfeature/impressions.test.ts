/**
 * Target's reports stay right through OpenFeature: the emulator counts impressions from the wire
 * (one per mbox of an `execute`, one per mbox of a display notification) while pages read flags
 * through TargetProvider. One impression per evaluated mbox per page view, however many of its
 * flags are read, in parallel or in sequence; none for an mbox fetched but never read; one Target
 * call per page view (remote) and none on-device; stale values never cross page views.
 */
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import type { GetOffersOptions, SendNotificationsOptions } from "@mboxgen/runtime";
import { OpenFeature } from "@openfeature/server-sdk";
import type { TargetProviderClient } from "@mboxgen/openfeature/server";
import { demoEngineeringFlags, heroBanner, promoStrip } from "../../fixtures/example/expected/index.js";
import type { RunningEmulator } from "../../generator/index.js";
import { inTransaction, onDeviceClientFor, openFeatureClient, remoteClientFor, startTestEmulator } from "../support/openfeature.js";
import { waitFor } from "../support/processes.js";

let emulator: RunningEmulator;
const closers: Array<() => Promise<void>> = [];

beforeAll(async () => {
  emulator = await startTestEmulator();
});
afterEach(async () => {
  for (const close of closers.splice(0)) await close();
});
afterAll(async () => {
  await OpenFeature.close();
  await emulator.close();
});

/** A client that counts its decision calls and notification calls. */
function counted(client: TargetProviderClient): TargetProviderClient & { decisions: GetOffersOptions[]; notifications: SendNotificationsOptions[] } {
  const decisions: GetOffersOptions[] = [];
  const notifications: SendNotificationsOptions[] = [];
  return {
    decisions,
    notifications,
    ready: client.ready,
    getOffers: (options) => (decisions.push(options), client.getOffers(options)),
    sendNotifications: (options) => (notifications.push(options), client.sendNotifications(options)),
  };
}

const impressionsSince = (before: Record<string, number>) => Object.fromEntries(Object.entries(emulator.stats.impressions).map(([mbox, count]) => [mbox, count - (before[mbox] ?? 0)]).filter(([, count]) => count !== 0));

async function settled(expected: Record<string, number>, before: Record<string, number>): Promise<Record<string, number>> {
  await waitFor(() => JSON.stringify(impressionsSince(before)) === JSON.stringify(expected), 3000);
  // And nothing more arrives.
  await new Promise((resolve) => setTimeout(resolve, 50));
  return impressionsSince(before);
}

describe.each(["remote", "on-device"] as const)("impressions through TargetProvider (%s)", (method) => {
  async function setUp() {
    const base = method === "remote" ? remoteClientFor(emulator) : onDeviceClientFor(emulator);
    if (method === "on-device") {
      await (base as ReturnType<typeof onDeviceClientFor>).ready;
      closers.push(() => (base as ReturnType<typeof onDeviceClientFor>).close());
    }
    const client = counted(base);
    const { client: flags } = await openFeatureClient({ client, mboxes: [demoEngineeringFlags, heroBanner, promoStrip] });
    return { client, flags };
  }

  it("one impression per evaluated mbox per page view, in parallel and in sequence; none for a fetched mbox never read", async () => {
    const { client, flags } = await setUp();
    const before = { ...emulator.stats.impressions };
    const pageViews = 6;
    for (let view = 0; view < pageViews; view += 1) {
      await inTransaction({ targetingKey: `page-visitor-${method}-${view}`, region: view % 2 === 0 ? "eu" : "us" }, async () => {
        // Five flags of demo-engineering-flags in parallel, then hero-banner's in sequence, then more of the first.
        await Promise.all([
          flags.getNumberValue("demo-engineering-flags.searchProviderId", 0),
          flags.getNumberValue("demo-engineering-flags.max-items", 0),
          flags.getStringValue("demo-engineering-flags.cdnHostname", ""),
          flags.getStringValue("demo-engineering-flags.checkoutFlow", ""),
          flags.getBooleanValue("demo-engineering-flags.hasLegacyAccess", false),
        ]);
        await flags.getStringValue("hero-banner.headline", "");
        await flags.getStringValue("hero-banner.theme", "");
        await flags.getObjectValue("hero-banner", {});
        await flags.getNumberValue("demo-engineering-flags.searchProviderId", 0);
      });
    }
    const counts = await settled({ "demo-engineering-flags": pageViews, "hero-banner": pageViews }, before);
    expect(counts).toEqual({ "demo-engineering-flags": pageViews, "hero-banner": pageViews });
    // promo-strip was prefetched with the others in every page view, and never counted.
    expect(client.decisions.every((call) => call.request?.prefetch?.mboxes?.some((mbox) => mbox.name === "promo-strip") && call.request.execute === undefined)).toBe(true);
    // One decision call per page view; one notification call per page view (both mboxes' tokens).
    expect(client.decisions).toHaveLength(pageViews);
    expect(client.notifications).toHaveLength(pageViews);
    expect(client.notifications.every((call) => call.request.notifications?.every((notification) => notification.type === "display" && (notification.tokens?.length ?? 0) > 0))).toBe(true);
    // The notification carries the visitor and session of its page's decision call.
    for (const [index, call] of client.notifications.entries()) {
      expect(call.request.id?.tntId).toBe(`page-visitor-${method}-${index}`);
      expect(call.sessionId).toBe(client.decisions[index]!.sessionId);
    }
  });

  it("outside any transaction, evaluations of equal contexts in one tick share one call; the next tick is a new page view", async () => {
    const { client, flags } = await setUp();
    const before = { ...emulator.stats.impressions };
    const context = { targetingKey: `tick-visitor-${method}`, region: "eu" };
    await Promise.all([flags.getNumberValue("demo-engineering-flags.searchProviderId", 0, context), flags.getNumberValue("demo-engineering-flags.max-items", 0, context), flags.getStringValue("hero-banner.headline", "", context)]);
    await settled({ "demo-engineering-flags": 1, "hero-banner": 1 }, before);
    expect(client.decisions).toHaveLength(1);
    await new Promise((resolve) => setTimeout(resolve, 5));
    await flags.getNumberValue("demo-engineering-flags.searchProviderId", 0, context);
    expect(await settled({ "demo-engineering-flags": 2, "hero-banner": 1 }, before)).toEqual({ "demo-engineering-flags": 2, "hero-banner": 1 });
    expect(client.decisions).toHaveLength(2);
  });

  it("values never cross page views: a new transaction decides again", async () => {
    const { client, flags } = await setUp();
    const eu = await inTransaction({ targetingKey: `cross-${method}`, region: "eu" }, () => flags.getNumberDetails("demo-engineering-flags.searchProviderId", 0));
    await emulator.setActivities({ mboxes: { "demo-engineering-flags": [{ id: 900, name: "Everyone", type: "xt", experiences: [{ id: 0, name: "Only", weight: 1, offer: { id: 9, name: "o", content: { searchProviderId: 7 } } }] }] } });
    try {
      if (method === "on-device") return; // On-device, a new artifact arrives by polling (the events test covers it).
      const next = await inTransaction({ targetingKey: `cross-${method}`, region: "eu" }, () => flags.getNumberDetails("demo-engineering-flags.searchProviderId", 0));
      expect(eu.value).toBe(143);
      expect(next).toMatchObject({ value: 7, variant: "Only" });
      expect(client.decisions).toHaveLength(2);
    } finally {
      const { exampleActivities } = await import("../support/openfeature.js");
      await emulator.setActivities(exampleActivities());
    }
  });
});
