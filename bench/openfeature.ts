/**
 * OpenFeature benchmark (issue #14): a page of 10 flags of 2 mboxes, one transaction per visitor,
 * read through OpenFeature's server SDK with TargetProvider on-device (its share of the decision
 * and of the display notification included, with a `fetch` that answers at once) and with
 * OpenFeature's own in-memory provider holding the same 10 flags. Rounds interleaved, alternating
 * which goes first; ratio = median of per-round ratios. Remote: the Delivery API calls one page makes.
 */
import { createTargetClient } from "@mboxgen/runtime";
import { createTargetClient as createOnDeviceClient } from "@mboxgen/runtime/on-device";
import { TargetProvider } from "@mboxgen/openfeature/server";
import { AsyncLocalStorageTransactionContextPropagator, InMemoryProvider, OpenFeature, type Client, type EvaluationContext } from "@openfeature/server-sdk";
import { readFileSync } from "node:fs";
import { gzipSync } from "node:zlib";
import { build } from "esbuild";
import { fileURLToPath } from "node:url";
import { buildArtifact } from "../generator/emulator/artifact.js";
import { parseActivities } from "../generator/emulator/activities.js";
import { demoEngineeringFlags, heroBanner } from "../fixtures/example/expected/index.js";
import { compareInterleaved, formatBytes, formatRatio, markdownTable } from "./stats.js";

const ROUNDS = 15;
const PAGES_PER_ROUND = 400;

/** The page: 10 flags of 2 mboxes, as an app reads them, in parallel. */
const PAGE: ReadonlyArray<readonly [key: string, kind: "number" | "string" | "boolean" | "object"]> = [
  ["demo-engineering-flags.searchProviderId", "number"],
  ["demo-engineering-flags.max-items", "number"],
  ["demo-engineering-flags.cdnHostname", "string"],
  ["demo-engineering-flags.checkoutFlow", "string"],
  ["demo-engineering-flags.hasLegacyAccess", "boolean"],
  ["hero-banner.headline", "string"],
  ["hero-banner.theme", "string"],
  ["hero-banner.cta", "object"],
  ["hero-banner.slides", "object"],
  ["hero-banner", "object"],
];

function readPage(client: Client): Promise<unknown[]> {
  return Promise.all(
    PAGE.map(([key, kind]) =>
      kind === "number" ? client.getNumberValue(key, 0) : kind === "string" ? client.getStringValue(key, "") : kind === "boolean" ? client.getBooleanValue(key, false) : client.getObjectValue(key, {}),
    ),
  );
}

function page(client: Client, context: EvaluationContext): Promise<unknown[]> {
  return new Promise((resolve, reject) => OpenFeature.setTransactionContext(context, () => void readPage(client).then(resolve, reject)));
}

// The in-memory provider's flags: each page flag with the value one experience serves.
function inMemoryFlags(): ConstructorParameters<typeof InMemoryProvider>[0] {
  const values: Record<string, unknown> = {
    "demo-engineering-flags.searchProviderId": 143,
    "demo-engineering-flags.max-items": 24,
    "demo-engineering-flags.cdnHostname": "cdn-eu.example.com",
    "demo-engineering-flags.checkoutFlow": "classic",
    "demo-engineering-flags.hasLegacyAccess": false,
    "hero-banner.headline": "Summer sale",
    "hero-banner.theme": "light",
    "hero-banner.cta": { label: "Go", url: "/summer" },
    "hero-banner.slides": [],
    "hero-banner": { headline: "Summer sale", theme: "light" },
  };
  return Object.fromEntries(Object.entries(values).map(([key, value]) => [key, { variants: { on: value }, defaultVariant: "on", disabled: false }])) as never;
}

const root = fileURLToPath(new URL("..", import.meta.url));

/** Minified and gzipped bytes of what `source` adds to a browser bundle, OpenFeature's SDKs and React left out. */
async function browserBundle(source: string): Promise<{ minified: number; gzipped: number }> {
  const result = await build({ stdin: { contents: source, resolveDir: root, loader: "ts" }, bundle: true, minify: true, format: "esm", platform: "browser", write: false, logLevel: "silent", external: ["@openfeature/web-sdk", "@openfeature/core", "@openfeature/react-sdk", "react"] });
  const code = result.outputFiles[0]!.contents;
  return { minified: code.byteLength, gzipped: gzipSync(code, { level: 9 }).byteLength };
}

/** Runs the OpenFeature benchmark and returns its Markdown section. */
export async function benchmarkOpenFeature(): Promise<string> {
  const activities = parseActivities(JSON.parse(readFileSync(fileURLToPath(new URL("../fixtures/example/activities.json", import.meta.url)), "utf8")));
  const artifact = buildArtifact(activities);
  const instantFetch = async () => new Response('{"status":200,"id":{}}', { status: 200, headers: { "content-type": "application/json" } });
  const onDevice = createOnDeviceClient({ client: "emulator", organizationId: "EMULATOR@AdobeOrg", decisioningMethod: "on-device", artifactPayload: artifact, pollingInterval: 0, targetLocationHint: "bench", fetch: instantFetch });
  await onDevice.ready;
  OpenFeature.setTransactionContextPropagator(new AsyncLocalStorageTransactionContextPropagator());
  await OpenFeature.setProviderAndWait("target", new TargetProvider({ client: onDevice, mboxes: [demoEngineeringFlags, heroBanner] }));
  await OpenFeature.setProviderAndWait("in-memory", new InMemoryProvider(inMemoryFlags()));
  const contenders = { target: OpenFeature.getClient("target"), inMemory: OpenFeature.getClient("in-memory") };

  let visitor = 0;
  const timeRound = async (client: Client): Promise<number> => {
    const started = process.cpuUsage();
    for (let index = 0; index < PAGES_PER_ROUND; index += 1) await page(client, { targetingKey: `visitor-${(visitor += 1)}`, region: visitor % 2 ? "eu" : "us" });
    // Let the notifications of the round go out: their cost is part of a page's.
    await new Promise((resolve) => setTimeout(resolve, 0));
    const used = process.cpuUsage(started);
    return (used.user + used.system) / PAGES_PER_ROUND;
  };
  const { ours: target, theirs: inMemory, ratio, low, high } = await compareInterleaved(() => timeRound(contenders.target), () => timeRound(contenders.inMemory), ROUNDS);

  // Remote: what one page sends over the wire (a counting fetch answers at once).
  const calls: string[] = [];
  const countingFetch = async (input: string, init: { body?: string }) => {
    const body = JSON.parse(init.body ?? "{}");
    calls.push(body.notifications ? "notifications" : body.prefetch ? "prefetch" : body.execute ? "execute" : "other");
    // Each prefetched mbox answers with a JSON offer and its event token, as Target does.
    const mboxes = (body.prefetch?.mboxes ?? []).map((mbox: { name: string; index: number }) => ({ ...mbox, options: [{ type: "json", content: {}, eventToken: `token-${mbox.name}` }] }));
    return new Response(JSON.stringify({ status: 200, id: body.id ?? {}, ...(body.prefetch ? { prefetch: { mboxes } } : {}) }), { status: 200, headers: { "content-type": "application/json" } });
  };
  const remote = createTargetClient({ client: "emulator", organizationId: "EMULATOR@AdobeOrg", fetch: countingFetch as never });
  await OpenFeature.setProviderAndWait("remote", new TargetProvider({ client: remote, mboxes: [demoEngineeringFlags, heroBanner] }));
  await page(OpenFeature.getClient("remote"), { targetingKey: "remote-visitor" });
  await new Promise((resolve) => setTimeout(resolve, 10));
  await OpenFeature.close();
  await onDevice.close();

  const remoteWeb = await browserBundle('export { TargetWebProvider } from "@mboxgen/openfeature/web"; export { createTargetClient } from "@mboxgen/runtime";');
  const runtimeOnly = await browserBundle('export { createTargetClient } from "@mboxgen/runtime";');
  const onDeviceWeb = await browserBundle('export { TargetWebProvider } from "@mboxgen/openfeature/web"; export { createTargetClient } from "@mboxgen/runtime/on-device";');
  const micros = (value: number) => `${value.toFixed(1)} µs`;
  return [
    "## OpenFeature: TargetProvider vs OpenFeature's in-memory provider (issue #14)",
    "",
    `A page of ${PAGE.length} flags of 2 mboxes read in parallel through \`@openfeature/server-sdk\`, one transaction (AsyncLocalStorage) per visitor, a new visitor per page. TargetProvider decides on the device from the example's artifact and sends the page's display notification through a \`fetch\` that answers at once: its share of the decision and of the notification is in the time. The in-memory provider holds the same ${PAGE.length} flags, one variant each. CPU time per page (process.cpuUsage), ${ROUNDS} rounds of ${PAGES_PER_ROUND} pages each, interleaved, alternating which goes first; ratio = median of per-round ratios.`,
    "",
    markdownTable(
      ["provider", "CPU per page (median)", "vs in-memory", "spread over rounds"],
      [
        ["OpenFeature's InMemoryProvider", micros(inMemory), "1.00x", "—"],
        ["TargetProvider, on-device", micros(target), formatRatio(ratio), `${formatRatio(low)}–${formatRatio(high)}`],
      ],
    ),
    "",
    `Remote, one page of ${PAGE.length} flags sends: ${Object.entries(calls.reduce<Record<string, number>>((counts, call) => ({ ...counts, [call]: (counts[call] ?? 0) + 1 }), {})).map(([call, count]) => `${count} ${call} call${count === 1 ? "" : "s"}`).join(", ")}.`,
    "",
    `Target: on-device at most 2x the in-memory provider; remote one Delivery API call per page. Measured ${formatRatio(ratio)} (rounds ${formatRatio(low)}–${formatRatio(high)}).`,
    "",
    "What a browser app adds for `TargetWebProvider` and the runtime client it uses (esbuild, minified, ES module, platform browser; OpenFeature's SDKs and React are the app's own and left out):",
    "",
    markdownTable(
      ["bundle", "minified", "gzipped"],
      [
        ["`TargetWebProvider` + `createTargetClient` (remote)", formatBytes(remoteWeb.minified), formatBytes(remoteWeb.gzipped)],
        ["… of which the runtime's remote client", formatBytes(runtimeOnly.minified), formatBytes(runtimeOnly.gzipped)],
        ["`TargetWebProvider` + `createTargetClient` of `@mboxgen/runtime/on-device` (code splitting off; the domain table loads on demand)", formatBytes(onDeviceWeb.minified), formatBytes(onDeviceWeb.gzipped)],
      ],
    ),
    "",
    `Target (issue #15): at most 10 kB min+gzip for the remote case. Measured ${formatBytes(remoteWeb.gzipped)}: the provider adds ${formatBytes(remoteWeb.gzipped - runtimeOnly.gzipped)} to the runtime's client.`,
  ].join("\n");
}
