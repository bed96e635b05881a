/**
 * On-device benchmark (issue #8): getAttributes of two mboxes decided from a rules artifact by
 * @mboxgen/runtime/on-device and by Adobe's SDK, each in a worker process of its own, rounds
 * interleaved in time; artifact compile time; memory after many visitors; bundle sizes of the
 * on-device entry with and without its Public Suffix List table (loaded on demand, issue #13), and
 * of the remote-only entry.
 */
import { fork, type ChildProcess } from "node:child_process";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { gzipSync } from "node:zlib";
import { build } from "esbuild";
import { compileArtifact } from "../runtime/on-device/decision-engine.js";
import { largeArtifact, largestShippedArtifact, SCENARIOS, type Artifact } from "./on-device-scenarios.js";
import { formatBytes, formatRatio, markdownTable, median } from "./stats.js";

const root = fileURLToPath(new URL("..", import.meta.url));
/** The remote-only entry's size before on-device decisioning existed (`bench/entries/client-only.ts` at c6358e2). */
const REMOTE_ENTRY_BEFORE_ON_DEVICE = 6_145;
/** The remote-only entry's size before the runtime was laid out by concern (issue #13, BENCHMARKS.md at stop 11). */
const REMOTE_ENTRY_BEFORE_RELAYOUT = 6_760;
// Calls per measured round: about as many milliseconds for each client.
const OUR_CALLS = 3000;
const ADOBE_CALLS = 300;
const ROUNDS = 9;

/** A worker process running one client; `ask` sends a message and resolves with the answer. */
interface Worker {
  ask<Answer>(message: Record<string, unknown>): Promise<Answer>;
  child: ChildProcess;
}

async function startWorker(which: "ours" | "adobe", scenario: string): Promise<Worker> {
  const child = fork(fileURLToPath(new URL("./on-device-worker.ts", import.meta.url)), [which, scenario], { cwd: root, execArgv: ["--import", "tsx", "--expose-gc"], stdio: ["ignore", "inherit", "inherit", "ipc"] });
  // One question at a time: the answer settles the pending one, an early exit rejects it.
  let pending: { resolve: (answer: unknown) => void; reject: (error: Error) => void } | undefined;
  child.on("message", (answer) => pending?.resolve(answer));
  child.on("exit", (code) => pending?.reject(new Error(`the ${which} worker exited with ${code}`)));
  const next = <Answer>() => new Promise<Answer>((resolve, reject) => (pending = { resolve: resolve as (answer: unknown) => void, reject }));
  await next();
  return {
    child,
    ask: <Answer>(message: Record<string, unknown>) => {
      const answer = next<Answer>();
      child.send(message);
      return answer;
    },
  };
}

interface ScenarioResult {
  name: string;
  ours: number;
  adobe: number;
  ratio: number;
  ratios: number[];
}

async function measureScenario(key: string): Promise<ScenarioResult> {
  const ours = await startWorker("ours", key);
  const adobe = await startWorker("adobe", key);
  try {
    // Warm both up, then alternate rounds, swapping which goes first.
    await ours.ask({ calls: 10 * OUR_CALLS });
    await adobe.ask({ calls: 5 * ADOBE_CALLS });
    const oursTimes: number[] = [];
    const adobeTimes: number[] = [];
    for (let round = 0; round < ROUNDS; round += 1) {
      const runOurs = async () => oursTimes.push((await ours.ask<{ cpuPerCall: number }>({ calls: OUR_CALLS })).cpuPerCall);
      const runAdobe = async () => adobeTimes.push((await adobe.ask<{ cpuPerCall: number }>({ calls: ADOBE_CALLS })).cpuPerCall);
      if (round % 2 === 0) {
        await runOurs();
        await runAdobe();
      } else {
        await runAdobe();
        await runOurs();
      }
    }
    const ratios = oursTimes.map((time, round) => adobeTimes[round]! / time);
    return { name: SCENARIOS[key]!.name, ours: median(oursTimes), adobe: median(adobeTimes), ratio: median(ratios), ratios };
  } finally {
    ours.child.kill();
    adobe.child.kill();
  }
}

async function heapGrowth(which: "ours" | "adobe", visitors: number): Promise<number> {
  const worker = await startWorker(which, "flags-bare");
  try {
    await worker.ask({ calls: 1000 });
    return (await worker.ask<{ heapGrowth: number }>({ heapAfter: visitors })).heapGrowth;
  } finally {
    worker.child.kill();
  }
}

function compileMilliseconds(artifact: Artifact, runs: number): number {
  const times: number[] = [];
  for (let run = 0; run < runs; run += 1) {
    const copy = structuredClone(artifact);
    const started = performance.now();
    compileArtifact(copy as never);
    times.push(performance.now() - started);
  }
  return median(times);
}

/** Minified and gzipped bytes of a bundle or a part of one. */
interface Size {
  minified: number;
  gzipped: number;
}

const sizeOf = (code: Uint8Array): Size => ({ minified: code.byteLength, gzipped: gzipSync(code, { level: 9 }).byteLength });
const sumOf = (sizes: Size[]): Size => ({ minified: sizes.reduce((sum, size) => sum + size.minified, 0), gzipped: sizes.reduce((sum, size) => sum + size.gzipped, 0) });

// The one-file bundle an app gets for `source` (esbuild, minified, ES module, platform browser).
async function bundle(source: string): Promise<Size> {
  const result = await build({ stdin: { contents: source, resolveDir: root, loader: "ts" }, bundle: true, minify: true, format: "esm", platform: "browser", write: false, logLevel: "silent" });
  return sizeOf(result.outputFiles[0]!.contents);
}

/**
 * The bundle an app gets for `source` with code splitting: what loads with the app (its entry
 * chunk and the chunks it imports statically) and what loads on demand (the chunks reached only by
 * `import()`).
 */
async function splitBundle(source: string): Promise<{ loadedWithApp: Size; onDemand: Size }> {
  const folder = mkdtempSync(join(tmpdir(), "mboxgen-bench-split-"));
  try {
    const app = join(folder, "app.ts");
    writeFileSync(app, source);
    const outdir = join(folder, "out");
    const result = await build({ entryPoints: [app], bundle: true, splitting: true, minify: true, format: "esm", platform: "browser", outdir, write: false, metafile: true, logLevel: "silent" });
    const bytesOf = new Map(result.outputFiles.map((file) => [file.path, file.contents]));
    const outputs = result.metafile.outputs;
    const pathOf = (output: string) => [...bytesOf.keys()].find((path) => path.endsWith(output.slice(output.lastIndexOf("/"))))!;
    const loaded = new Set<string>();
    // Chunks reached by import() have an entryPoint too: start from the app's own.
    const queue = Object.keys(outputs).filter((output) => outputs[output]!.entryPoint?.endsWith("/app.ts"));
    while (queue.length > 0) {
      const output = queue.pop()!;
      if (loaded.has(output)) continue;
      loaded.add(output);
      for (const imported of outputs[output]!.imports) if (imported.kind === "import-statement" && imported.path in outputs) queue.push(imported.path);
    }
    const chunks = Object.keys(outputs).filter((output) => output.endsWith(".js"));
    return {
      loadedWithApp: sumOf(chunks.filter((output) => loaded.has(output)).map((output) => sizeOf(bytesOf.get(pathOf(output))!))),
      onDemand: sumOf(chunks.filter((output) => !loaded.has(output)).map((output) => sizeOf(bytesOf.get(pathOf(output))!))),
    };
  } finally {
    rmSync(folder, { recursive: true, force: true });
  }
}

function formatMicros(micros: number): string {
  return micros >= 100 ? `${micros.toFixed(0)} µs` : `${micros.toFixed(1)} µs`;
}

/** Runs the on-device benchmark and returns its Markdown section. */
export async function benchmarkOnDevice(): Promise<string> {
  const results: ScenarioResult[] = [];
  for (const key of Object.keys(SCENARIOS)) results.push(await measureScenario(key));

  const visitors = 20_000;
  const oursGrowth = await heapGrowth("ours", visitors);
  const adobeGrowth = await heapGrowth("adobe", visitors);

  const largest = largestShippedArtifact();
  const compileLargest = compileMilliseconds(largest.artifact, 50);
  const compileLarge = compileMilliseconds(largeArtifact(), 5);

  const onDeviceSplit = await splitBundle(`export { createTargetClient } from ${JSON.stringify(join(root, "runtime/on-device.ts"))};`);
  const onDeviceWhole = await bundle('export { createTargetClient } from "./runtime/on-device.ts";');
  const suffixTable = await bundle('export { PUBLIC_SUFFIX_TRIE } from "./runtime/on-device/domains/public-suffix-list.ts";');
  const remoteEntry = await bundle('export { createTargetClient } from "./runtime/index.ts";');
  const onDeviceCode = onDeviceSplit.loadedWithApp;

  const spread = (ratios: number[]) => `${formatRatio(Math.min(...ratios))}–${formatRatio(Math.max(...ratios))}`;
  const worst = results.reduce((lowest, result) => (result.ratio < lowest.ratio ? result : lowest));
  const slowest = results.reduce((highest, result) => (result.ours > highest.ours ? result : highest));
  return [
    "## On-device decisioning: @mboxgen/runtime/on-device vs Adobe's SDK (issue #8)",
    "",
    `getAttributes of 2 mboxes decided from the artifact (\`decisioningMethod: "on-device"\`), a new visitor id on every call. Each client runs in a worker process of its own (no shared heap or garbage collector) with the same instant in-process \`fetch\` for the display notification each call sends, so the numbers are the clients' own work. CPU time per call (process.cpuUsage of the worker, garbage collection included); ${ROUNDS} rounds of ${OUR_CALLS.toLocaleString("en")} calls of ours and ${ADOBE_CALLS} of Adobe's, interleaved in time, alternating which goes first; median of rounds, ratio = median of per-round ratios (spread: lowest–highest round). The event loop turns every 10 calls so that notification timers run. Adobe's SDK runs with telemetry off.`,
    "",
    markdownTable(
      ["scenario", "@mboxgen/runtime/on-device", "@adobe/target-nodejs-sdk 2.4.3", "faster", "spread over rounds"],
      results.map((result) => [result.name, formatMicros(result.ours), formatMicros(result.adobe), formatRatio(result.ratio), spread(result.ratios)]),
    ),
    "",
    `Memory: heap growth after ${visitors.toLocaleString("en")} calls for distinct visitors, after a full collection: ours ${formatBytes(Math.max(0, oursGrowth))}, Adobe's ${formatBytes(Math.max(0, adobeGrowth))} (its allocation cache per visitor and activity is never cleared).`,
    "",
    `Artifact compile time (median): the largest shipped artifact, ${largest.name} (${formatBytes(largest.bytes)}), ${compileLargest.toFixed(2)} ms; the large artifact above, ${compileLarge.toFixed(1)} ms.`,
    "",
    "Bundle sizes (esbuild, minified, ES module, platform browser, `createTargetClient` as an app imports it). The Public Suffix List table is loaded by `import()` before the first artifact whose rules read page or referring domains goes live (issue #13): with code splitting it is a chunk of its own that an app deciding feature flags never fetches; in a one-file bundle it is there but never evaluated.",
    "",
    markdownTable(
      ["bundle", "minified", "gzipped"],
      [
        ["@mboxgen/runtime/on-device, code splitting: what loads with the app (every artifact without domain rules)", formatBytes(onDeviceSplit.loadedWithApp.minified), formatBytes(onDeviceSplit.loadedWithApp.gzipped)],
        ["… and the chunk loaded on demand (the first artifact with domain rules)", formatBytes(onDeviceSplit.onDemand.minified), formatBytes(onDeviceSplit.onDemand.gzipped)],
        ["@mboxgen/runtime/on-device, one file (table included, evaluated on demand)", formatBytes(onDeviceWhole.minified), formatBytes(onDeviceWhole.gzipped)],
        ["the Public Suffix List table, on its own", formatBytes(suffixTable.minified), formatBytes(suffixTable.gzipped)],
        ["@mboxgen/runtime (remote only)", formatBytes(remoteEntry.minified), formatBytes(remoteEntry.gzipped)],
        ["@mboxgen/runtime (remote only) before the runtime was laid out by concern (issue #13)", "—", formatBytes(REMOTE_ENTRY_BEFORE_RELAYOUT)],
        ["@mboxgen/runtime (remote only) before on-device decisioning", "—", formatBytes(REMOTE_ENTRY_BEFORE_ON_DEVICE)],
      ],
    ),
    "",
    `Targets: at least 20x faster than Adobe's SDK, under 10 µs per call; an on-device app without domain rules loads no suffix table; the remote-only entry not grown. Measured: ${formatRatio(worst.ratio)} in the least favourable scenario (${worst.name}), ${formatMicros(slowest.ours)} per call at most; an app without domain rules loads ${formatBytes(onDeviceCode.gzipped)} (of which the remote client it builds on ${formatBytes(remoteEntry.gzipped)}, the on-device part ${formatBytes(onDeviceCode.gzipped - remoteEntry.gzipped)}), ${formatBytes(onDeviceWhole.gzipped - onDeviceCode.gzipped)} less than the one-file bundle; the chunk with the table ${formatBytes(onDeviceSplit.onDemand.gzipped)}; remote-only entry ${formatBytes(remoteEntry.gzipped)} against ${formatBytes(REMOTE_ENTRY_BEFORE_RELAYOUT)} before the re-layout and ${formatBytes(REMOTE_ENTRY_BEFORE_ON_DEVICE)} before on-device decisioning.`,
  ].join("\n");
}
