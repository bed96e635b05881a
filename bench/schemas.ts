/**
 * Schemas-from-Target benchmark (issue #4): `sample` throughput against the emulator at the
 * default concurrency, and `infer` time for the largest artifact @adobe/target-decisioning-engine
 * ships. The emulator runs in-process with the sampler, as `npm run example` runs it.
 */
import { readFileSync, readdirSync, statSync } from "node:fs";
import { createRequire } from "node:module";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { createTargetClient } from "@mboxgen/runtime";
import { startEmulator } from "../dist/generator/emulator/emulator.js";
import { readArtifact } from "../dist/generator/infer/artifact.js";
import { inferOfferSchema } from "../dist/generator/infer/infer-schema.js";
import { sample } from "../dist/generator/sample/sampler.js";
import { formatMs, markdownTable, median } from "./stats.js";

const require = createRequire(import.meta.url);
const root = fileURLToPath(new URL("..", import.meta.url));

/** Runs the schemas benchmark and returns its Markdown section. */
export async function benchmarkSchemas(): Promise<string> {
  const activities = JSON.parse(readFileSync(join(root, "fixtures/example/activities.json"), "utf8"));
  const mboxes = Object.keys(activities.mboxes);
  const emulator = await startEmulator({ activities });
  const rows: string[][] = [];
  try {
    const client = createTargetClient({ client: "bench", organizationId: "BENCH@AdobeOrg", serverDomain: emulator.serverDomain, secure: false });
    await sample({ mboxes, client, visitors: 50 });
    const rates: number[] = [];
    for (let round = 0; round < 3; round += 1) {
      const started = performance.now();
      const result = await sample({ mboxes, client, visitors: 1000, maxRequests: 1000 });
      rates.push(result.requests / ((performance.now() - started) / 1000));
    }
    rows.push([`sample: 1,000 visitors × ${mboxes.length} mboxes, concurrency 8 (default)`, `${median(rates).toFixed(0)} requests/s`]);
    const started = performance.now();
    const qa = await sample({ mboxes, client, visitors: 0, qaToken: activities.qaToken });
    rows.push([`sample: QA walk alone (${qa.requests} requests, coverage ${qa.coverage})`, formatMs(performance.now() - started)]);
  } finally {
    await emulator.close();
  }

  const folder = join(dirname(require.resolve("@adobe/target-decisioning-engine/package.json")), "test/schema/artifacts");
  const bySize = readdirSync(folder)
    .filter((file) => file.endsWith(".json") && file !== "TEST_ARTIFACT_UNSUPPORTED.json")
    .sort((left, right) => statSync(join(folder, right)).size - statSync(join(folder, left)).size);
  const offersIn = (file: string) => readArtifact(readFileSync(join(folder, file), "utf8"), file).reduce((sum, entry) => sum + entry.offers.length, 0);
  // The largest artifact, and the largest one with JSON offers (the largest has none).
  for (const file of [...new Set([bySize[0]!, bySize.find((candidate) => offersIn(candidate) > 0)!])]) {
    const text = readFileSync(join(folder, file), "utf8");
    const times: number[] = [];
    for (let round = 0; round < 50; round += 1) {
      const started = performance.now();
      for (const entry of readArtifact(text, file)) inferOfferSchema(entry.offers);
      times.push(performance.now() - started);
    }
    rows.push([`infer: ${file} (${(text.length / 1000).toFixed(1)} kB, ${offersIn(file)} JSON offers), read + infer, median of 50`, formatMs(median(times))]);
  }

  return ["## Schemas from Target: sample and infer (issue #4)", "", markdownTable(["run", "result"], rows)].join("\n");
}
