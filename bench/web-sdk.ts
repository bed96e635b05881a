/**
 * The Web SDK entry (issue #16): what reading Target's JSON offers through generated accessors
 * over propositions costs against reading them by hand, what the Edge Network client adds to a
 * bare fetch per call, and what the entry adds to a browser bundle next to the Web SDK itself.
 * CPU time, rounds interleaved and alternating which goes first; ratio = median of per-round ratios.
 */
import { readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { gzipSync } from "node:zlib";
import { build } from "esbuild";
import { createEdgeNetworkClient, propositionsProvider, sendDisplay } from "@mboxgen/runtime/web-sdk";
import { demoEngineeringFlags, heroBanner, promoStrip } from "../fixtures/example/expected/index.js";
import { compareInterleaved, formatBytes, formatRatio, markdownTable } from "./stats.js";

const ROUNDS = 15;
const PAGES_PER_ROUND = 4000;
const CALLS_PER_ROUND = 1500;
const root = fileURLToPath(new URL("..", import.meta.url));

const OFFERS: Record<string, Record<string, unknown>> = {
  "demo-engineering-flags": { searchProviderId: 7, "max-items": 48, cdnHostname: "cdn-eu.example.com", checkoutFlow: "one-page" },
  "hero-banner": { headline: "Summer sale", theme: "dark", cta: { label: "See the deals", url: "/summer" } },
  "promo-strip": { message: "10% off everything", dismissible: true },
};

/** A Web SDK sendEvent result as alloy shapes it: one Target proposition per mbox. */
function webSdkResult(): { propositions: Array<Record<string, any>> } {
  return {
    propositions: Object.entries(OFFERS).map(([scope, content], index) => ({
      id: `AT:${index}`,
      scope,
      scopeDetails: { decisionProvider: "TGT", activity: { id: String(100 + index) }, experience: { id: "0" }, characteristics: { eventToken: `t${index}` } },
      items: [{ id: String(index), schema: "https://ns.adobe.com/personalization/json-content-item", meta: { "activity.name": "A" }, data: { id: String(index), format: "application/json", content: structuredClone(content) } }],
      renderAttempted: false,
    })),
  };
}

const noopAlloy = () => Promise.resolve({});

/** mboxgen: a provider, three typed accessors (every key validated and defaulted), one display event. */
async function readWithMboxgen(result: ReturnType<typeof webSdkResult>): Promise<unknown[]> {
  const provider = propositionsProvider(result);
  const values = [demoEngineeringFlags.from(provider).asObject(), heroBanner.from(provider).asObject(), promoStrip.from(provider).asObject()];
  await sendDisplay(noopAlloy, provider);
  return values;
}

/** By hand, as apps do today: find each scope's first JSON item, read the keys with `??` defaults, no checks; one display event. */
async function readByHand(result: ReturnType<typeof webSdkResult>): Promise<unknown[]> {
  const content = (scope: string): Record<string, any> => result.propositions.find((proposition) => proposition.scope === scope)?.items?.find((item: { schema: string }) => item.schema.endsWith("json-content-item"))?.data?.content ?? {};
  const flags = content("demo-engineering-flags");
  const hero = content("hero-banner");
  const promo = content("promo-strip");
  const values = [
    { searchProviderId: flags.searchProviderId ?? 143, maxItems: flags["max-items"] ?? 24, cdnHostname: flags.cdnHostname ?? "cdn.example.com", checkoutFlow: flags.checkoutFlow ?? "classic" },
    { headline: hero.headline ?? "Welcome", theme: hero.theme ?? "light", cta: hero.cta, slides: hero.slides ?? [] },
    { message: promo.message, dismissible: promo.dismissible ?? true, visible: promo.visible ?? true },
  ];
  await noopAlloy();
  return values;
}

/** CPU time per iteration of `work`, over `iterations` awaited calls. */
function cpuTimer(work: () => Promise<void>, iterations: number): () => Promise<number> {
  return async () => {
    const started = process.cpuUsage();
    for (let index = 0; index < iterations; index += 1) await work();
    const used = process.cpuUsage(started);
    return (used.user + used.system) / iterations;
  };
}

async function interleaved(ours: () => Promise<void>, theirs: () => Promise<void>, iterations: number) {
  return compareInterleaved(cpuTimer(ours, iterations), cpuTimer(theirs, iterations), ROUNDS);
}

async function browserBundle(source: string): Promise<{ minified: number; gzipped: number }> {
  const result = await build({ stdin: { contents: source, resolveDir: root, loader: "ts" }, bundle: true, minify: true, format: "esm", platform: "browser", write: false, logLevel: "silent" });
  const code = result.outputFiles[0]!.contents;
  return { minified: code.byteLength, gzipped: gzipSync(code, { level: 9 }).byteLength };
}

/** Runs the Web SDK benchmark and returns its Markdown section. */
export async function benchmarkWebSdk(): Promise<string> {
  const reading = await interleaved(
    async () => void (await readWithMboxgen(webSdkResult())),
    async () => void (await readByHand(webSdkResult())),
    PAGES_PER_ROUND,
  );

  // The Edge Network client against a bare fetch, both over a fetch that answers at once with the same body.
  const body = JSON.stringify({ requestId: "r", handle: [{ type: "personalization:decisions", payload: webSdkResult().propositions.map(({ renderAttempted: _, ...proposition }) => proposition) }, { type: "state:store", payload: [{ key: "kndctr_X_AdobeOrg_identity", value: "CgI3Nw==", maxAge: 34128000 }] }] });
  const instantFetch = async () => new Response(body, { status: 200, headers: { "content-type": "application/json" } });
  const edge = createEdgeNetworkClient({ datastreamId: "bench", fetch: instantFetch as never });
  const mboxes = Object.keys(OFFERS);
  const call = await interleaved(
    async () => {
      const provider = await edge.getAttributes(mboxes, { ecid: "77", url: "https://www.example.com/" });
      heroBanner.from(provider).headline();
    },
    async () => {
      const request = { event: { xdm: { identityMap: { ECID: [{ id: "77", primary: true }] }, web: { webPageDetails: { URL: "https://www.example.com/" } }, timestamp: new Date().toISOString() } }, query: { identity: { fetch: ["ECID"] }, personalization: { schemas: ["https://ns.adobe.com/personalization/json-content-item"], decisionScopes: mboxes } } };
      const response = await instantFetch();
      const parsed = JSON.parse(await response.text()) as { handle: Array<{ type: string; payload: Array<Record<string, any>> }> };
      void request;
      void (parsed.handle.find((handle) => handle.type === "personalization:decisions")?.payload.find((proposition) => proposition.scope === "hero-banner")?.items[0].data.content.headline ?? "Welcome");
      void JSON.stringify(request);
    },
    CALLS_PER_ROUND,
  );

  const readingOnly = await browserBundle('export { propositionsProvider, sendDisplay } from "@mboxgen/runtime/web-sdk";');
  const withModule = await browserBundle('export { propositionsProvider, sendDisplay } from "@mboxgen/runtime/web-sdk"; export { demoEngineeringFlags, heroBanner, promoStrip } from "./fixtures/example/expected/index.js";');
  const wholeEntry = await browserBundle('export * from "@mboxgen/runtime/web-sdk";');
  const alloyText = readFileSync(fileURLToPath(new URL("../node_modules/@adobe/alloy/dist/alloy.min.js", import.meta.url)));
  const alloy = { minified: alloyText.byteLength, gzipped: gzipSync(alloyText, { level: 9 }).byteLength };
  const micros = (value: number) => `${value.toFixed(1)} µs`;
  return [
    "## Web SDK and Edge Network: `@mboxgen/runtime/web-sdk` (issue #16)",
    "",
    `One page view of a Web SDK \`sendEvent\` result with 3 Target propositions: mboxgen reads it through \`propositionsProvider\` and the 3 generated descriptors (every key validated, defaults applied) and sends the display event through a Web SDK stand-in that answers at once; by hand means finding each scope's JSON item and reading the same keys with \`??\` defaults, unchecked, and one call to the same stand-in. CPU time per page view, ${ROUNDS} rounds of ${PAGES_PER_ROUND}.`,
    "",
    markdownTable(
      ["reading", "CPU per page view (median)", "ratio", "spread over rounds"],
      [
        ["by hand (untyped, unchecked)", micros(reading.theirs), "1.00x", "—"],
        ["generated accessors over `propositionsProvider` + `sendDisplay`", micros(reading.ours), formatRatio(reading.ratio), `${formatRatio(reading.low)}–${formatRatio(reading.high)}`],
      ],
    ),
    "",
    `The Edge Network client per call (request built, sent through a \`fetch\` that answers at once, body checked, provider, one typed read) against a bare call (the same body stringified, the same fetch, \`JSON.parse\`, one read by hand). ${ROUNDS} rounds of ${CALLS_PER_ROUND}.`,
    "",
    markdownTable(
      ["call", "CPU per call (median)", "ratio", "spread over rounds"],
      [
        ["bare fetch + JSON", micros(call.theirs), "1.00x", "—"],
        ["`createEdgeNetworkClient().getAttributes` + accessor", micros(call.ours), formatRatio(call.ratio), `${formatRatio(call.low)}–${formatRatio(call.high)}`],
      ],
    ),
    "",
    "What a browser app adds (esbuild, minified, ES module, platform browser), beside the Web SDK it already loads:",
    "",
    markdownTable(
      ["bundle", "minified", "gzipped"],
      [
        ["`propositionsProvider` + `sendDisplay`", formatBytes(readingOnly.minified), formatBytes(readingOnly.gzipped)],
        ["… + the example's 3 generated modules", formatBytes(withModule.minified), formatBytes(withModule.gzipped)],
        ["the whole entry, Edge Network client included", formatBytes(wholeEntry.minified), formatBytes(wholeEntry.gzipped)],
        ["for scale: Adobe's Web SDK, `alloy.min.js` 2.33.1", formatBytes(alloy.minified), formatBytes(alloy.gzipped)],
      ],
    ),
  ].join("\n");
}
