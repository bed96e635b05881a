/**
 * Property: random offers give the same accessor values on every path Target delivers them.
 *  - In memory (many runs): the same Target options as a Delivery API response (at.js getOffers,
 *    read by createAttributesProvider), as an Edge Network response (content as objects or JSON
 *    strings, with noise: measurement items, other decision providers, other schemas) and as a Web
 *    SDK sendEvent result: equal merged offers, equal accessor values, equal fallbacks.
 *  - Over the wire (fewer runs): random activities in the emulator, random visitors; the Delivery
 *    API (`/rest/v1/delivery`), the Edge Network client (`/ee/v2/interact`) and the Web SDK's own
 *    request format (`/ee/v1/interact`, `events` and `configId`) give the same visitor the same values.
 */
import fc from "fast-check";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createAttributesProvider, createTargetClient, type DeliveryResponse } from "@mboxgen/runtime";
import { createEdgeNetworkClient, propositionsProvider } from "@mboxgen/runtime/web-sdk";
import { demoEngineeringFlags, heroBanner, promoStrip } from "../../fixtures/example/expected/index.js";
import type { RunningEmulator } from "../../generator/index.js";
import { startTestEmulator } from "../support/openfeature.js";

const DESCRIPTORS = [demoEngineeringFlags, heroBanner, promoStrip] as const;
const MBOXES = ["demo-engineering-flags", "hero-banner", "promo-strip"] as const;
const HOSTILE_KEYS = ["__proto__", "constructor", "*/", "</script>", "a\u2028b", "`x`", "${y}"];

/** Keys the example's schemas know (so validators run) and others (hostile, random). */
const key = fc.oneof(
  fc.constantFrom("searchProviderId", "max-items", "cdnHostname", "checkoutFlow", "betaRibbon", "hasLegacyAccess", "headline", "theme", "cta", "slides", "message", "dismissible", "visible", "color"),
  fc.constantFrom(...HOSTILE_KEYS),
  fc.string({ maxLength: 6 }),
);
const value = fc.oneof(
  fc.jsonValue({ maxDepth: 2 }),
  fc.constantFrom(143, 7, 24, 48, "cdn.example.com", "classic", "one-page", "light", "dark", "Welcome", { label: "Go", url: "/go" }, [{ imageUrl: "https://x/y.jpg", alt: "y" }], true, false, "</script>", "${1}"),
);
const offerContent = fc.dictionary(key, value, { maxKeys: 6 }).map((content) => JSON.parse(JSON.stringify(content)) as Record<string, unknown>);
/** Target's options for one mbox: one per activity, in Target's order. */
const mboxOptions = fc.array(fc.record({ activity: fc.integer({ min: 1, max: 999 }), experience: fc.integer({ min: 0, max: 9 }), content: offerContent, asString: fc.boolean() }), { maxLength: 3 });
const delivered = fc.record({ "demo-engineering-flags": mboxOptions, "hero-banner": mboxOptions, "promo-strip": mboxOptions, noise: fc.array(fc.constantFrom("measurement", "ajo", "html", "view"), { maxLength: 4 }) });

type Delivered = Record<(typeof MBOXES)[number], Array<{ activity: number; experience: number; content: Record<string, unknown>; asString: boolean }>> & { noise: string[] };

function asDeliveryResponse(offers: Delivered): DeliveryResponse {
  return {
    status: 200,
    prefetch: {
      mboxes: MBOXES.map((name, index) => ({
        index,
        name,
        options: offers[name]!.map((option) => ({ type: "json", content: option.content, eventToken: `t-${option.activity}`, responseTokens: { "activity.id": option.activity, "experience.id": option.experience } })),
      })),
    },
  } as DeliveryResponse;
}

function asPropositions(offers: Delivered): Array<Record<string, unknown>> {
  const propositions: Array<Record<string, unknown>> = [];
  const noise = [...offers.noise];
  for (const mbox of MBOXES) {
    for (const option of offers[mbox]!) {
      const json = { id: String(option.activity), schema: "https://ns.adobe.com/personalization/json-content-item", meta: { "activity.id": String(option.activity) }, data: { id: "1", format: "application/json", content: option.asString ? JSON.stringify(option.content) : option.content } };
      const items: unknown[] = [json];
      if (noise[0] === "measurement") items.push({ id: "m", schema: "https://ns.adobe.com/personalization/measurement", data: { type: "click" } }), noise.shift();
      propositions.push({ id: `AT:${option.activity}:${option.experience}`, scope: mbox, scopeDetails: { decisionProvider: "TGT", activity: { id: String(option.activity) }, experience: { id: String(option.experience) } }, items });
      const extra = noise.shift();
      if (extra === "ajo") propositions.push({ id: "ajo", scope: mbox, scopeDetails: { decisionProvider: "AJO" }, items: [{ ...json, data: { content: { searchProviderId: -1, headline: "AJO" } } }] });
      if (extra === "html") propositions.push({ id: "html", scope: mbox, scopeDetails: { decisionProvider: "TGT" }, items: [{ schema: "https://ns.adobe.com/personalization/html-content-item", data: { content: "<b>x</b>" } }] });
      if (extra === "view") propositions.push({ id: "view", scope: "__view__", scopeDetails: { decisionProvider: "TGT" }, items: [{ schema: "https://ns.adobe.com/personalization/dom-action", data: { type: "setHtml", selector: "#x", content: "x" } }] });
    }
  }
  return propositions;
}

/** Every descriptor's values and fallbacks over one provider. */
function readAll(provider: Parameters<(typeof DESCRIPTORS)[number]["from"]>[0]) {
  return DESCRIPTORS.map((descriptor) => {
    const fallbacks: string[] = [];
    const accessors = descriptor.from(provider, { onFallback: (event) => fallbacks.push(`${event.key}:${event.reason}:${JSON.stringify(event.value)}`) });
    return { values: JSON.stringify(accessors.asObject()), fallbacks };
  });
}

describe("the same offers on every path", () => {
  it("in memory: Delivery API response (at.js), Edge Network response and Web SDK result read alike", () => {
    fc.assert(
      fc.property(delivered, (offers) => {
        const typed: Delivered = offers;
        const atJs = createAttributesProvider({ response: asDeliveryResponse(typed) });
        const propositions = asPropositions(typed);
        const edge = propositionsProvider({ requestId: "r", handle: [{ type: "personalization:decisions", payload: propositions }] });
        const webSdk = propositionsProvider({ propositions: propositions.map((proposition) => ({ ...proposition, renderAttempted: false })), decisions: [] });
        const expected = atJs.asObject();
        // Only mboxes with at least one option appear; an offer's own keys, hostile ones included, stay data.
        expect(JSON.stringify(edge.asObject())).toBe(JSON.stringify(expected));
        expect(JSON.stringify(webSdk.asObject())).toBe(JSON.stringify(expected));
        const reference = readAll(atJs);
        expect(readAll(edge)).toEqual(reference);
        expect(readAll(webSdk)).toEqual(reference);
        expect(({} as Record<string, unknown>).polluted).toBeUndefined();
      }),
      { numRuns: 400 },
    );
  });

  describe("over the wire, through the emulator", () => {
    let emulator: RunningEmulator;
    beforeAll(async () => {
      emulator = await startTestEmulator();
    });
    afterAll(async () => {
      await emulator.close();
    });

    const experience = (id: number) => fc.record({ id: fc.constant(id), name: fc.constant(`Experience ${id}`), weight: fc.integer({ min: 1, max: 5 }), offer: fc.record({ id: fc.integer({ min: 1, max: 9999 }), name: fc.constant("Offer"), content: offerContent }) });
    const activity = (id: number) =>
      fc.record({
        id: fc.constant(id),
        name: fc.constant(`Activity ${id}`),
        type: fc.constantFrom("ab", "xt"),
        experiences: fc.tuple(experience(0), experience(1), experience(2)).chain((all) => fc.integer({ min: 1, max: 3 }).map((count) => all.slice(0, count))),
        audience: fc.option(fc.record({ parameter: fc.constant("region"), equals: fc.constantFrom("eu", "us") }), { nil: undefined }),
      }).map((drawn) => JSON.parse(JSON.stringify(drawn)));
    const activities = fc.record({ "demo-engineering-flags": fc.tuple(activity(11), activity(12)), "hero-banner": fc.tuple(activity(21)), "promo-strip": fc.tuple(activity(31), activity(32)) });
    const visitors = fc.array(fc.record({ ecid: fc.stringMatching(/^[1-9]\d{37}$/), region: fc.constantFrom("eu", "us", "ch") }), { minLength: 1, maxLength: 4 });

    it("the Delivery API, the Edge Network client and the Web SDK's request format give each visitor the same values", async () => {
      const delivery = createTargetClient({ client: "emulator", organizationId: "EMULATOR@AdobeOrg", serverDomain: emulator.serverDomain, secure: false, timeout: 5000 });
      const edge = createEdgeNetworkClient({ datastreamId: "any", edgeDomain: emulator.serverDomain, secure: false, timeout: 5000 });
      let served = 0;
      await fc.assert(
        fc.asyncProperty(activities, visitors, async (mboxes, drawnVisitors) => {
          await emulator.setActivities({ mboxes });
          for (const { ecid, region } of drawnVisitors) {
            const request = { context: { channel: "web" as const }, id: { marketingCloudVisitorId: ecid }, execute: { mboxes: MBOXES.map((name, index) => ({ name, index, parameters: { region } })) } };
            const deliveryProvider = await delivery.getAttributes([...MBOXES], { request });
            served += Object.keys(deliveryProvider.asObject()).length;
            const viaDelivery = readAll(deliveryProvider);
            const viaEdge = readAll(await edge.getAttributes(MBOXES, { ecid, parameters: { region } }));
            // The Web SDK's wire format, as alloy sends it (an events array, configId).
            const webSdkBody = {
              events: [{ xdm: { identityMap: { ECID: [{ id: ecid, authenticatedState: "ambiguous", primary: true }] }, web: { webPageDetails: { URL: "https://shop.example/" } } }, data: { __adobe: { target: { region } } }, query: { personalization: { schemas: ["https://ns.adobe.com/personalization/json-content-item"], decisionScopes: [...MBOXES, "__view__"] } } }],
              query: { identity: { fetch: ["ECID"] } },
              meta: { state: { domain: "shop.example", cookiesEnabled: true } },
            };
            const response = await fetch(`${emulator.url}/ee/v1/interact?configId=any&requestId=1`, { method: "POST", headers: { "content-type": "text/plain; charset=UTF-8" }, body: JSON.stringify(webSdkBody) });
            const viaWebSdk = readAll(propositionsProvider(await response.json()));
            expect(viaEdge).toEqual(viaDelivery);
            expect(viaWebSdk).toEqual(viaDelivery);
          }
        }),
        { numRuns: 25 },
      );
      // Not vacuous: Target served offers (equal defaults on every path would prove nothing).
      expect(served).toBeGreaterThan(20);
    }, 60_000);
  });
});
