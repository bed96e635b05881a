/**
 * `npm run bench`: runs every benchmark in one process run and writes BENCHMARKS.md with the
 * date and the machine. Pass section names (`runtime`, `generator`, `schemas`, `adoption`, `on-device`, `openfeature`, `web-sdk`, `admin`) to run only those; the file
 * then keeps the other sections from its previous version.
 */
import { existsSync, readFileSync, writeFileSync } from "node:fs";
import { cpus, totalmem, type } from "node:os";
import { fileURLToPath } from "node:url";

const sections: Record<string, () => Promise<string>> = {
  runtime: async () => (await import("./runtime.js")).benchmarkRuntime(),
  generator: async () => (await import("./generator.js")).benchmarkGenerator(),
  schemas: async () => (await import("./schemas.js")).benchmarkSchemas(),
  adoption: async () => (await import("./adoption.js")).benchmarkAdoption(),
  "on-device": async () => (await import("./on-device.js")).benchmarkOnDevice(),
  openfeature: async () => (await import("./openfeature.js")).benchmarkOpenFeature(),
  "web-sdk": async () => (await import("./web-sdk.js")).benchmarkWebSdk(),
  admin: async () => (await import("./admin.js")).benchmarkAdmin(),
};

const outputPath = fileURLToPath(new URL("../BENCHMARKS.md", import.meta.url));
const requested = process.argv.slice(2).filter((name) => name in sections);
const selected = requested.length > 0 ? requested : Object.keys(sections);

const previous = existsSync(outputPath) ? readFileSync(outputPath, "utf8") : "";
const results: Record<string, string> = {};
for (const name of Object.keys(sections)) {
  const kept = previous.match(new RegExp(`<!-- section:${name} -->\\n([\\s\\S]*?)<!-- /section:${name} -->`))?.[1];
  if (kept) results[name] = kept.trim();
}
for (const name of selected) {
  process.stderr.write(`bench: ${name}…\n`);
  const started = Date.now();
  results[name] = `${await sections[name]!()}\n\n_Measured ${new Date().toISOString().slice(0, 16).replace("T", " ")} UTC in ${((Date.now() - started) / 1000).toFixed(0)} s._`;
}

const cpu = cpus()[0]?.model ?? "unknown CPU";
const machine = `${type()} ${process.arch}, ${cpus().length} × ${cpu}, ${(totalmem() / 2 ** 30).toFixed(0)} GiB, Node ${process.version}`;
const document = [
  "# Benchmarks",
  "",
  "Written by `npm run bench` (`bench/`); never edited by hand. The machines are shared and noisy, so every",
  "comparison runs side by side in one run and is reported as a ratio.",
  "",
  `Machine: ${machine}.`,
  "",
  ...Object.keys(sections)
    .filter((name) => results[name])
    .flatMap((name) => [`<!-- section:${name} -->`, results[name]!, `<!-- /section:${name} -->`, ""]),
].join("\n");
writeFileSync(outputPath, document);
process.stderr.write(`bench: wrote ${outputPath}\n`);
