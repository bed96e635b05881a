/**
 * Adobe's real Web SDK (`@adobe/alloy` from npm) in headless Chromium (Debian's, through
 * playwright-core), against the emulator's Edge Network: the page at https://shop.example and the
 * Web SDK's requests to https://edge.adobedc.net are routed by the test (nothing leaves the
 * machine; anything else is aborted and fails the test). For several Web SDK configurations, the
 * generated accessors read typed values from `sendEvent`'s result, equal to what the Delivery API
 * gives the same visitor (its ECID); the display events arrive at the emulator once per
 * proposition read, counted from the wire; a reload is the same visitor (the kndctr cookies) and a
 * new page view, displayed anew.
 */
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { build } from "esbuild";
import type { Browser, BrowserContext, Page } from "playwright-core";
import { launchChromium } from "../support/browser.js";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { getAttributes, demoEngineeringFlags, heroBanner, promoStrip } from "../../fixtures/example/expected/index.js";
import type { RunningEmulator } from "../../generator/index.js";
import { repositoryRoot } from "../support/fixtures.js";
import { exampleActivities, remoteClientFor, startTestEmulator } from "../support/openfeature.js";
import type { PageScenario } from "./page/alloy-page.js";

const ORGANIZATION = "ACME0000000000@AdobeOrg";
const DATASTREAM = "ds-web";
const SCOPES = ["demo-engineering-flags", "hero-banner", "promo-strip"];

let emulator: RunningEmulator;
let browser: Browser;
let pageScript: string;
const standaloneLibrary = readFileSync(join(repositoryRoot, "node_modules/@adobe/alloy/dist/alloy.min.js"), "utf8");

beforeAll(async () => {
  emulator = await startTestEmulator({ ...exampleActivities(), edge: { organizationId: ORGANIZATION, datastreamId: DATASTREAM } });
  const bundle = await build({ entryPoints: [join(repositoryRoot, "test/web-sdk/page/alloy-page.ts")], bundle: true, write: false, format: "iife", platform: "browser", target: "es2022", logLevel: "silent", absWorkingDir: repositoryRoot });
  pageScript = bundle.outputFiles[0]!.text;
  browser = await launchChromium();
}, 60_000);
afterAll(async () => {
  await browser?.close();
  await emulator?.close();
});

/** One Edge Network request the page made, as the wire carried it. */
interface EdgeRequest {
  path: string;
  body: { events?: Array<{ xdm?: Record<string, any>; query?: Record<string, any> }>; meta?: Record<string, any> };
}

// Adobe's queue stub for the prebuilt library (what its base code defines): commands wait in
// window.alloy.q until alloy.min.js takes them.
const QUEUE_STUB = `window.__alloyNS = ["alloy"]; window.alloy = function () { var args = arguments; return new Promise(function (resolve, reject) { window.alloy.q.push([resolve, reject, args]); }); }; window.alloy.q = [];`;

async function openShop(context: BrowserContext, library: PageScenario["library"], edgeDomain: string): Promise<{ page: Page; requests: EdgeRequest[]; stray: string[] }> {
  const page = await context.newPage();
  const requests: EdgeRequest[] = [];
  const stray: string[] = [];
  await page.route("**/*", async (route) => {
    const request = route.request();
    const url = new URL(request.url());
    if (url.origin === "https://shop.example") {
      if (url.pathname === "/app.js") return route.fulfill({ contentType: "text/javascript", body: pageScript });
      if (url.pathname === "/alloy.min.js") return route.fulfill({ contentType: "text/javascript", body: standaloneLibrary });
      const head = library === "standalone" ? `<script>${QUEUE_STUB}</script><script src="/alloy.min.js"></script>` : "";
      return route.fulfill({ contentType: "text/html", body: `<!doctype html><html><head>${head}<script src="/app.js"></script></head><body><main id="app">shop</main></body></html>` });
    }
    // The Web SDK's first call may go to Adobe's third-party identity domain (thirdPartyCookiesEnabled, its default): the Edge Network too.
    if (url.hostname === edgeDomain || url.hostname === "adobedc.demdex.net") {
      requests.push({ path: url.pathname, body: JSON.parse(request.postData() ?? "{}") });
      const response = await route.fetch({ url: `${emulator.url}${url.pathname}${url.search}` });
      return route.fulfill({ response });
    }
    stray.push(request.url());
    return route.abort();
  });
  await page.goto("https://shop.example/");
  return { page, requests, stray };
}

const runScenario = (page: Page, scenario: PageScenario) => page.evaluate((given) => (window as unknown as { mboxgenTest: { run(scenario: unknown): Promise<any> } }).mboxgenTest.run(given), scenario);

const displayEventsOf = (requests: EdgeRequest[]) =>
  requests.flatMap((request) => request.body.events ?? []).filter((event) => event.xdm?.eventType === "decisioning.propositionDisplay" || event.xdm?._experience?.decisioning?.propositionEventType?.display === 1);

/** What the Delivery API gives the visitor with this ECID and region, through the same generated accessors. */
async function viaDeliveryApi(ecid: string, region: string) {
  const request = { context: { channel: "web" as const }, id: { marketingCloudVisitorId: ecid }, execute: { mboxes: SCOPES.map((name, index) => ({ name, index, parameters: { region } })) } };
  const all = await getAttributes(remoteClientFor(emulator), [demoEngineeringFlags, heroBanner, promoStrip], { request });
  return { demoEngineeringFlags: all.demoEngineeringFlags.asObject(), heroBanner: all.heroBanner.asObject(), promoStrip: all.promoStrip.asObject() };
}

const configurations: Array<{ name: string; library: PageScenario["library"]; edgeDomain: string; configuration: Record<string, unknown>; sendEvent: Record<string, unknown> }> = [
  {
    name: "npm createInstance, renderDecisions false",
    library: "npm",
    edgeDomain: "edge.adobedc.net",
    configuration: { datastreamId: DATASTREAM, orgId: ORGANIZATION, thirdPartyCookiesEnabled: false },
    sendEvent: { decisionScopes: SCOPES, renderDecisions: false },
  },
  {
    name: "npm createInstance, renderDecisions true (adds the page-wide scope), personalization.decisionScopes",
    library: "npm",
    edgeDomain: "edge.adobedc.net",
    configuration: { datastreamId: DATASTREAM, orgId: ORGANIZATION, thirdPartyCookiesEnabled: false, clickCollectionEnabled: false },
    sendEvent: { personalization: { decisionScopes: SCOPES }, renderDecisions: true, xdm: { eventType: "web.webpagedetails.pageViews" } },
  },
  {
    name: "npm createInstance with Adobe's defaults (third-party cookies on: the first call goes to adobedc.demdex.net)",
    library: "npm",
    edgeDomain: "edge.adobedc.net",
    configuration: { datastreamId: DATASTREAM, orgId: ORGANIZATION },
    sendEvent: { decisionScopes: SCOPES },
  },
  {
    name: "prebuilt alloy.min.js with the queue stub, a first-party edge domain and a custom base path",
    library: "standalone",
    edgeDomain: "metrics.shop.example",
    configuration: { datastreamId: DATASTREAM, orgId: ORGANIZATION, edgeDomain: "metrics.shop.example", edgeBasePath: "shop-ee", thirdPartyCookiesEnabled: false },
    sendEvent: { decisionScopes: SCOPES },
  },
];

describe("Adobe's Web SDK in Chromium, read through generated accessors", () => {
  it.each(configurations)("$name: typed values equal the Delivery API's, displays once per proposition, a reload is the same visitor", async ({ library, edgeDomain, configuration, sendEvent }) => {
    for (const region of ["eu", "us"]) {
      const context = await browser.newContext();
      try {
        const { page, requests, stray } = await openShop(context, library, edgeDomain);
        const impressionsBefore = { ...emulator.stats.impressions };
        const displaysBefore = { ...emulator.stats.edge.displays };
        const scenario: PageScenario = { library, configuration, sendEvent: { ...sendEvent, data: { __adobe: { target: { region } } } }, read: ["demoEngineeringFlags", "heroBanner"], displays: 2 };
        const first = await runScenario(page, scenario);
        expect(first.ecid).toMatch(/^\d{38}$/);
        expect(first.fallbacks.filter((entry: string) => !entry.endsWith(":missing"))).toEqual([]);
        expect(typeof first.searchProviderId).toBe("number");
        expect(first.renderAttempted.every((attempted: boolean) => attempted === false)).toBe(true);
        // Two propositions read (promo-strip fetched but not read): one display event naming both; the second call sends nothing.
        expect(first.sent).toEqual([2, 0]);
        const events = displayEventsOf(requests);
        expect(events).toHaveLength(1);
        expect(events[0]!.xdm!._experience.decisioning.propositions.map((proposition: { scope: string }) => proposition.scope).sort()).toEqual(["demo-engineering-flags", "hero-banner"]);
        const newDisplays = Object.entries(emulator.stats.edge.displays).filter(([id, count]) => count !== (displaysBefore[id] ?? 0));
        expect(newDisplays.map(([id, count]) => count - (displaysBefore[id] ?? 0))).toEqual([1, 1]);
        const impressions = Object.fromEntries(Object.entries(emulator.stats.impressions).map(([mbox, count]): [string, number] => [mbox, count - (impressionsBefore[mbox] ?? 0)]).filter(([, count]) => count > 0));
        expect(impressions).toEqual({ "demo-engineering-flags": 1, "hero-banner": 1 });
        // The Delivery API gives this visitor the same values (asked after the counts: its execute counts impressions too).
        const delivered = await viaDeliveryApi(first.ecid, region);
        expect(first.values).toEqual({ demoEngineeringFlags: delivered.demoEngineeringFlags, heroBanner: delivered.heroBanner });
        // The requests went where this configuration sends them.
        expect(requests.every((request) => request.path.startsWith(`/${(configuration.edgeBasePath as string | undefined) ?? "ee"}/`))).toBe(true);

        // A reload: a new page view of the same visitor (the kndctr cookies), the same experience, displayed anew.
        await page.reload();
        const second = await runScenario(page, scenario);
        expect(second.ecid).toBe(first.ecid);
        expect(second.values).toEqual(first.values);
        expect(second.decisions).toEqual(first.decisions);
        expect(second.sent).toEqual([2, 0]);
        expect(displayEventsOf(requests)).toHaveLength(2);
        expect(stray).toEqual([]);
      } finally {
        await context.close();
      }
    }
  }, 60_000);

  it("gives different visitors different experiences, each its own across page views", async () => {
    const experiences = new Set<string>();
    for (let visitor = 0; visitor < 6; visitor += 1) {
      const context = await browser.newContext();
      try {
        const { page } = await openShop(context, "npm", "edge.adobedc.net");
        const scenario: PageScenario = { library: "npm", configuration: configurations[0]!.configuration, sendEvent: { decisionScopes: ["hero-banner"] }, read: ["heroBanner"], displays: 1 };
        const first = await runScenario(page, scenario);
        await page.reload();
        const again = await runScenario(page, scenario);
        expect(again.decisions).toEqual(first.decisions);
        experiences.add(JSON.stringify(first.decisions));
      } finally {
        await context.close();
      }
    }
    expect(experiences.size).toBeGreaterThan(1);
  }, 60_000);
});
