/**
 * The OpenFeature example in a real browser (Debian's Chromium, driven by playwright-core): the
 * server-rendered React page reads Target's flags through OpenFeature on the server, the browser
 * starts from the server's snapshot: its first paint already shows the server's values and
 * hydration changes none, no Delivery API decision leaves the page for them, the emulator counts
 * exactly one impression per mbox per page view (from the wire), a context change re-renders with
 * the other experience, and a reload keeps the visitor's experience (the `mbox` cookie). A
 * screenshot of the page is kept in test-artifacts/.
 */
import { execFileSync } from "node:child_process";
import { existsSync, mkdirSync } from "node:fs";
import { join } from "node:path";
import type { Browser, Page } from "playwright-core";
import { launchChromium } from "../support/browser.js";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { pathToFileURL } from "node:url";
import type { RunningEmulator } from "../../generator/index.js";
import { repositoryRoot } from "../support/fixtures.js";
import { endGroup, spawnGroup, waitFor } from "../support/processes.js";


/** The example's server (examples/openfeature-react/server.tsx, loaded at run time: it imports modules it generates). */
interface RunningExample {
  url: string;
  emulator: RunningEmulator;
  close(): Promise<void>;
}
let example: RunningExample;
let browser: Browser;

beforeAll(async () => {
  // The example's modules first: the server's own imports of them are resolved when it is loaded.
  const { generateExampleModules } = await import("../../examples/openfeature-react/generate.js");
  await generateExampleModules();
  const server = pathToFileURL(join(repositoryRoot, "examples/openfeature-react/server.tsx")).href;
  const { startExample } = (await import(server)) as { startExample: () => Promise<RunningExample> };
  example = await startExample();
  browser = await launchChromium();
}, 60_000);
afterAll(async () => {
  await browser?.close();
  await example?.close();
});

/** What the page sent to the emulator's Delivery API, by kind. */
interface DeliveryCall {
  decision: boolean;
  notifications: string[];
}

async function openPage(): Promise<{ page: Page; calls: DeliveryCall[]; mutations: () => Promise<string[]> }> {
  const page = await browser.newPage();
  const calls: DeliveryCall[] = [];
  page.on("request", (request) => {
    if (!request.url().includes("/rest/v1/delivery") || request.method() !== "POST") return;
    const body = JSON.parse(request.postData() ?? "{}") as { prefetch?: unknown; execute?: unknown; notifications?: Array<{ mbox?: { name?: string } }> };
    calls.push({ decision: body.prefetch !== undefined || body.execute !== undefined, notifications: (body.notifications ?? []).map((notification) => notification.mbox?.name ?? "?") });
  });
  // Every change to the rendered text after the first paint (hydration must change none).
  await page.addInitScript(() => {
    const changes: string[] = [];
    (window as unknown as { __changes: string[] }).__changes = changes;
    document.addEventListener("DOMContentLoaded", () => {
      const root = document.getElementById("root");
      if (!root) return;
      new MutationObserver((records) => {
        for (const record of records) changes.push(`${record.type}: ${record.target.textContent}`);
      }).observe(root, { subtree: true, childList: true, characterData: true });
    });
  });
  return { page, calls, mutations: () => page.evaluate(() => (window as unknown as { __changes: string[] }).__changes) };
}

const text = (page: Page, id: string) => page.locator(`#${id}`).textContent();
const impressionsSince = (before: Record<string, number>) => Object.fromEntries(Object.entries(example.emulator.stats.impressions).map(([mbox, count]) => [mbox, count - (before[mbox] ?? 0)]).filter(([, count]) => count !== 0));

describe("the OpenFeature example in Chromium", () => {
  it("paints the server's values first, fetches nothing for them, counts one impression per mbox, switches experience on a context change, and keeps the visitor on reload", async () => {
    const { page, calls, mutations } = await openPage();
    const before = { ...example.emulator.stats.impressions };
    const response = await page.goto(`${example.url}?region=eu`);
    const served = await response!.text();
    await page.waitForLoadState("networkidle");
    // Hydrated: the button reacts (React attached its handler).
    await page.waitForFunction(() => Object.keys(document.getElementById("switch-region") ?? {}).some((key) => key.startsWith("__reactProps")));

    // First paint: the values were in the server's HTML, and hydration changed no text.
    const values = { searchProvider: await text(page, "search-provider"), checkout: await text(page, "checkout"), experience: await text(page, "experience"), headline: await text(page, "headline") };
    expect(values.searchProvider).toBe("143");
    expect(["EU classic", "EU one-page", "EU express"]).toContain(values.experience);
    for (const value of Object.values(values)) expect(served).toContain(`>${value}<`);
    expect(await mutations()).toEqual([]);

    // No decision from the page for the bootstrapped mboxes; the browser notified what the server left it.
    expect(calls.filter((call) => call.decision)).toEqual([]);
    await waitFor(() => JSON.stringify(impressionsSince(before)) === JSON.stringify({ "demo-engineering-flags": 1, "hero-banner": 1 }), 5000);
    await page.waitForTimeout(200);
    expect(impressionsSince(before)).toEqual({ "demo-engineering-flags": 1, "hero-banner": 1 });

    // A context change: one decision from the browser, the other region's experience, one more impression each.
    await page.click("#switch-region");
    await page.waitForFunction(() => document.getElementById("region")?.textContent === "us" && !["EU classic", "EU one-page", "EU express"].includes(document.getElementById("experience")?.textContent ?? ""));
    expect(["Control", "Elastic", "Vector"]).toContain(await text(page, "experience"));
    expect(calls.filter((call) => call.decision)).toHaveLength(1);
    await waitFor(() => (impressionsSince(before)["demo-engineering-flags"] ?? 0) === 2, 5000);
    await page.waitForTimeout(200);
    expect(impressionsSince(before)).toEqual({ "demo-engineering-flags": 2, "hero-banner": 2 });

    mkdirSync(join(repositoryRoot, "test-artifacts"), { recursive: true });
    await page.screenshot({ path: join(repositoryRoot, "test-artifacts/openfeature-react.png"), fullPage: true });
    expect(existsSync(join(repositoryRoot, "test-artifacts/openfeature-react.png"))).toBe(true);

    // A reload: the mbox cookie keeps the visitor, so the A/B headline is the same experience.
    const headline = values.headline;
    await page.goto(`${example.url}?region=eu`);
    await page.waitForLoadState("networkidle");
    expect(await text(page, "headline")).toBe(headline);
    expect(await text(page, "experience")).toBe(values.experience);
    const cookies = await page.context().cookies();
    expect(cookies.find((cookie) => cookie.name === "mbox")?.value).toMatch(/PC%23[0-9a-f]{32}/);
    await page.close();
  }, 60_000);

  it("another visitor (a fresh browser context) may get another experience, each stable across its reloads", async () => {
    const headlines = new Set<string>();
    for (let visitor = 0; visitor < 6; visitor += 1) {
      const context = await browser.newContext();
      const page = await context.newPage();
      const response = await page.goto(`${example.url}?region=us`);
      expect(response?.status()).toBe(200);
      const first = await text(page, "headline");
      await page.reload();
      expect(await text(page, "headline")).toBe(first);
      headlines.add(first ?? "");
      await context.close();
    }
    expect(headlines.size).toBeGreaterThan(1);
  }, 60_000);
});

// In this file: it writes the folder startExample writes, so never at the same time as the tests above.
describe("npm run example:openfeature", () => {
  it("serves the server-rendered React page on 127.0.0.1 until Ctrl-C, and the example type-checks", async () => {
    // As the npm script runs it (tsx with the example's tsconfig), after its build (npm test has built already).
    const child = spawnGroup(process.execPath, ["--import", "tsx", join(repositoryRoot, "examples/openfeature-react/run.ts")], {
      cwd: repositoryRoot,
      stdio: ["ignore", "pipe", "pipe"],
      env: { ...process.env, TSX_TSCONFIG_PATH: join(repositoryRoot, "examples/openfeature-react/tsconfig.json") },
    });
    try {
      const url = await new Promise<string>((resolve, reject) => {
        let output = "";
        child.stdout!.on("data", (chunk: Buffer) => {
          output += chunk.toString();
          const found = /Example on (http:\/\/127\.0\.0\.1:\d+\/)/.exec(output);
          if (found) resolve(found[1]!);
        });
        child.once("exit", (code) => reject(new Error(`the example exited with ${code}: ${output}`)));
      });
      const page = await fetch(`${url}?region=eu`);
      expect(page.status).toBe(200);
      expect(await page.text()).toMatch(/<span id="search-provider">143<\/span>/);
    } finally {
      await endGroup(child, { signal: "SIGINT" });
    }
    const tsc = join(repositoryRoot, "node_modules/typescript/bin/tsc");
    expect(execFileSync(process.execPath, [tsc, "-p", join(repositoryRoot, "examples/openfeature-react/tsconfig.json")], { encoding: "utf8" })).toBe("");
  }, 90_000);
});

