/**
 * The README's Web SDK, Edge Network and at.js blocks run as written, against the emulator: the
 * Web SDK and at.js are stand-ins that speak their wire formats to it (Adobe's real Web SDK runs in
 * alloy-browser.test.ts), and the Edge Network client's calls to edge.adobedc.net are routed to
 * it. Impressions are counted from the wire: one per mbox read, none twice.
 */
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { pathToFileURL } from "node:url";
import { transform } from "esbuild";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { RunningEmulator } from "../../generator/index.js";
import { repositoryRoot } from "../support/fixtures.js";
import { startTestEmulator } from "../support/openfeature.js";
import { readmeTypeScriptBlocks } from "../support/readme.js";

let emulator: RunningEmulator;
let workspace: string;
const realFetch = globalThis.fetch;

beforeAll(async () => {
  emulator = await startTestEmulator();
  workspace = mkdtempSync(join(repositoryRoot, "test/web-sdk/.work-"));
  // The Edge Network client's calls go to the emulator (the README's client names Adobe's host).
  globalThis.fetch = ((input: string | URL | Request, init?: RequestInit) => {
    const url = String(input instanceof Request ? input.url : input);
    return realFetch(url.startsWith("https://edge.adobedc.net/") ? `${emulator.url}${url.slice("https://edge.adobedc.net".length)}` : input, init);
  }) as typeof fetch;
});
afterAll(async () => {
  globalThis.fetch = realFetch;
  Reflect.deleteProperty(globalThis, "alloy");
  Reflect.deleteProperty(globalThis, "adobe");
  await emulator.close();
  rmSync(workspace, { recursive: true, force: true });
});

/** The TypeScript blocks of the README's Web SDK section, in order. */
function sectionBlocks(): string[] {
  const lines = readFileSync(join(repositoryRoot, "README.md"), "utf8").split("\n");
  const start = lines.findIndex((line) => line.startsWith("## Web SDK, Edge Network and at.js")) + 1;
  const end = lines.findIndex((line, index) => index >= start && line.startsWith("## "));
  return readmeTypeScriptBlocks().filter((block) => block.line > start && block.line < end + 1).map((block) => block.code);
}

/** Compiles a README block as written and imports it; `./target/index.js` is the example's generated index. */
async function load(code: string, name: string): Promise<Record<string, any>> {
  const { code: javascript } = await transform(code, { loader: "ts", format: "esm" });
  const file = join(workspace, `${name}.mjs`);
  writeFileSync(file, javascript.replaceAll('"./target/index.js"', JSON.stringify(pathToFileURL(join(repositoryRoot, "fixtures/example/expected/index.ts")).href)));
  return import(pathToFileURL(file).href);
}

const post = (path: string, body: unknown) => realFetch(`${emulator.url}${path}`, { method: "POST", body: JSON.stringify(body) }).then((response) => response.json() as Promise<any>);

/** A Web SDK stand-in: its sendEvent in the Web SDK's wire format (`/ee/v1/interact`), its result as the Web SDK shapes it. */
function webSdkStandIn() {
  let ecid: string | undefined;
  return async (command: string, options: { decisionScopes?: string[]; xdm?: Record<string, unknown> }) => {
    expect(command).toBe("sendEvent");
    const event = { xdm: { ...options.xdm, ...(ecid ? { identityMap: { ECID: [{ id: ecid, primary: true }] } } : {}) }, ...(options.decisionScopes ? { query: { personalization: { decisionScopes: options.decisionScopes } } } : {}) };
    const response = await post("/ee/v1/interact?configId=readme", { events: [event], query: { identity: { fetch: ["ECID"] } } });
    ecid ??= response.handle.find((handle: { type: string }) => handle.type === "identity:result")?.payload[0].id;
    const propositions = response.handle.filter((handle: { type: string }) => handle.type === "personalization:decisions").flatMap((handle: { payload: unknown[] }) => handle.payload);
    return { propositions: propositions.map((proposition: object) => ({ ...proposition, renderAttempted: false })), decisions: [] };
  };
}

const impressionsSince = (before: Record<string, number>) => Object.fromEntries(Object.entries(emulator.stats.impressions).map(([mbox, count]): [string, number] => [mbox, count - (before[mbox] ?? 0)]).filter(([, count]) => count > 0));

describe("the README's Web SDK section, run as written", () => {
  it("has the three blocks", () => {
    expect(sectionBlocks()).toHaveLength(3);
  });

  it("the Web SDK block reads typed values and displays them once", async () => {
    (globalThis as Record<string, unknown>).alloy = webSdkStandIn();
    const { personalizePage } = await load(sectionBlocks()[0]!, "web-sdk");
    const before = { ...emulator.stats.impressions };
    expect(await personalizePage()).toMatch(/^.+ \(search \d+\)$/);
    expect(impressionsSince(before)).toEqual({ "demo-engineering-flags": 1, "hero-banner": 1 });
  });

  it("the Edge Network block renders, hands back the cookies and displays once; its one-liner falls back", async () => {
    const { renderHero, promoFor } = await load(sectionBlocks()[1]!, "edge");
    const before = { ...emulator.stats.impressions };
    const { html, setCookies } = await renderHero(undefined, "https://www.example.com/");
    expect(html).toMatch(/^<h1>.+<\/h1>$/);
    expect(setCookies.map((cookie: { name: string }) => cookie.name)).toEqual(["kndctr_EMULATOR_AdobeOrg_identity", "kndctr_EMULATOR_AdobeOrg_cluster"]);
    // The same visitor on its next page view: the cookies go back as a Cookie header.
    const again = await renderHero(setCookies.map((cookie: { name: string; value: string }) => `${cookie.name}=${cookie.value}`).join("; "), "https://www.example.com/");
    expect(again.html).toBe(html);
    await new Promise((resolve) => setTimeout(resolve, 100));
    expect(impressionsSince(before)).toEqual({ "hero-banner": 2 });
    const promo = await promoFor("");
    expect(promo.error).toBeUndefined();
  });

  it("the at.js block reads the prefetched offer and notifies one impression", async () => {
    (globalThis as Record<string, unknown>).adobe = {
      target: {
        // at.js posts the request to the Delivery API and resolves with its response body.
        getOffers: ({ request }: { request: object }) => post("/rest/v1/delivery?client=emulator&sessionId=readme", { context: { channel: "web" }, id: { tntId: "readme-visitor" }, ...request }),
        sendNotifications: ({ request }: { request: object }) => void post("/rest/v1/delivery?client=emulator&sessionId=readme", { context: { channel: "web" }, id: { tntId: "readme-visitor" }, ...request }),
      },
    };
    const { heroFromAtJs } = await load(sectionBlocks()[2]!, "at-js");
    const before = { ...emulator.stats.impressions };
    expect(typeof (await heroFromAtJs())).toBe("string");
    await new Promise((resolve) => setTimeout(resolve, 100));
    expect(impressionsSince(before)).toEqual({ "hero-banner": 1 });
  });
});
