/**
 * Adoption benchmark (issue #7): what an app installs for production, what it bundles with none,
 * one and ten generated mboxes (through the generated index and directly, esbuild and Rollup),
 * and how fast `mboxgen --version` starts against a bare `node -e ""`.
 */
import { execFileSync, spawnSync } from "node:child_process";
import { existsSync, mkdirSync, mkdtempSync, readdirSync, rmSync, statSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { generate } from "mboxgen";
import { bundleEntry, type Bundler } from "../test/support/bundles.js";
import { formatBytes, formatMs, formatRatio, markdownTable, median } from "./stats.js";
import { createSyntheticSchemas } from "./synthetic-schemas.js";

const root = fileURLToPath(new URL("..", import.meta.url));
const npm = process.platform === "win32" ? "npm.cmd" : "npm";

function folderSize(path: string): number {
  return statSync(path).isDirectory() ? readdirSync(path).reduce((sum, name) => sum + folderSize(join(path, name)), 0) : statSync(path).size;
}

function installedPackages(nodeModules: string): string[] {
  const found: string[] = [];
  const visit = (folder: string) => {
    for (const name of readdirSync(folder)) {
      if (name.startsWith(".")) continue;
      const path = join(folder, name);
      if (existsSync(join(path, "package.json"))) {
        found.push(path);
        if (existsSync(join(path, "node_modules"))) visit(join(path, "node_modules"));
      } else if (name.startsWith("@") && statSync(path).isDirectory()) visit(path);
    }
  };
  if (existsSync(nodeModules)) visit(nodeModules);
  return found;
}

function installSizes(work: string): Array<[string, string, string]> {
  const packs = join(work, "packs");
  mkdirSync(packs);
  const tarball = (args: string[]) =>
    join(packs, (JSON.parse(execFileSync(npm, ["pack", "--ignore-scripts", "--json", "--pack-destination", packs, ...args], { cwd: root, encoding: "utf8" })) as Array<{ filename: string }>)[0]!.filename);
  const runtime = tarball(["--workspace", "@mboxgen/runtime"]);
  const mboxgen = tarball([]);
  const install = ["install", "--prefer-offline", "--no-audit", "--no-fund"];
  const measure = (name: string, dependencies: string[], devDependencies: string[]) => {
    const app = join(work, name);
    mkdirSync(app);
    writeFileSync(join(app, "package.json"), JSON.stringify({ name, private: true, type: "module" }));
    if (dependencies.length > 0) execFileSync(npm, [...install, ...dependencies], { cwd: app, stdio: "ignore" });
    if (devDependencies.length > 0) execFileSync(npm, [...install, "--save-dev", ...devDependencies], { cwd: app, stdio: "ignore" });
    execFileSync(npm, ["prune", "--omit=dev", "--no-audit", "--no-fund"], { cwd: app, stdio: "ignore" });
    const packages = installedPackages(join(app, "node_modules"));
    return [String(packages.length), formatBytes(packages.reduce((sum, path) => sum + folderSize(path), 0))] as const;
  };
  return [
    ["`@mboxgen/runtime` as a dependency, `mboxgen` as a devDependency (the README's install)", ...measure("split", [runtime], [mboxgen])],
    ["`mboxgen` as a dependency (what the single package forced before)", ...measure("single", [runtime, mboxgen], [])],
  ];
}

async function bundleSizes(work: string): Promise<string[][]> {
  const app = join(work, "bundles");
  mkdirSync(join(app, "target"), { recursive: true });
  const schemas = createSyntheticSchemas(10).map((schema) => ({ path: schema.path, text: JSON.stringify(schema.schema) }));
  for (const file of (await generate({ schemas })).files) writeFileSync(join(app, "target", file.path), file.text);
  const exportNames = Array.from({ length: 10 }, (_, index) => `benchMbox${index}`);
  const entries: Record<string, string> = {
    "runtime.ts": 'import { createTargetClient } from "@mboxgen/runtime";\nconsole.log(createTargetClient);\n',
    "one-through-index.ts": 'import { createTargetClient } from "@mboxgen/runtime";\nimport { benchMbox3, getAttributes } from "./target/index.js";\nconsole.log(createTargetClient, benchMbox3, getAttributes);\n',
    "one-direct.ts": 'import { createTargetClient, getTypedAttributes } from "@mboxgen/runtime";\nimport { benchMbox3 } from "./target/bench-mbox3.js";\nconsole.log(createTargetClient, benchMbox3, getTypedAttributes);\n',
    "ten-through-index.ts": `import { createTargetClient } from "@mboxgen/runtime";\nimport { ${exportNames.join(", ")}, getAttributes } from "./target/index.js";\nconsole.log(createTargetClient, getAttributes, ${exportNames.join(", ")});\n`,
  };
  for (const [name, source] of Object.entries(entries)) writeFileSync(join(app, name), source);
  const rows: string[][] = [];
  const labels: Record<string, string> = {
    "runtime.ts": "`createTargetClient` alone",
    "one-through-index.ts": "client + 1 of 10 mboxes, imported from the generated `index`",
    "one-direct.ts": "client + 1 of 10 mboxes, imported from its module",
    "ten-through-index.ts": "client + all 10 mboxes",
  };
  for (const bundler of ["esbuild", "rollup"] as Bundler[]) {
    const sizes: Record<string, { minified: number; gzipped: number }> = {};
    for (const name of Object.keys(entries)) sizes[name] = await bundleEntry(join(app, name), bundler);
    for (const name of Object.keys(entries)) {
      const ratio = name === "one-through-index.ts" ? formatRatio(sizes[name]!.minified / sizes["one-direct.ts"]!.minified) : "";
      rows.push([bundler, labels[name]!, formatBytes(sizes[name]!.minified), formatBytes(sizes[name]!.gzipped), ratio]);
    }
  }
  return rows;
}

function startupTimes(rounds: number): { node: number[]; version: number[]; help: number[] } {
  const times = { node: [] as number[], version: [] as number[], help: [] as number[] };
  const bin = join(root, "dist/generator/cli.js");
  const time = (args: string[]) => {
    const started = performance.now();
    const result = spawnSync(process.execPath, args, { cwd: root, stdio: "ignore" });
    if (result.status !== 0) throw new Error(`${args.join(" ")} exited with ${result.status}`);
    return performance.now() - started;
  };
  for (let round = 0; round < rounds; round += 1) {
    times.node.push(time(["-e", ""]));
    times.version.push(time([bin, "--version"]));
    times.help.push(time([bin, "emulate", "--help"]));
  }
  return times;
}

/** Runs the adoption benchmark and returns its Markdown section. */
export async function benchmarkAdoption(): Promise<string> {
  const work = mkdtempSync(join(tmpdir(), "mboxgen-adoption-"));
  try {
    const installs = installSizes(work);
    const bundles = await bundleSizes(work);
    const startup = startupTimes(20);
    const versionRatio = median(startup.version.map((time, round) => time / startup.node[round]!));
    const helpRatio = median(startup.help.map((time, round) => time / startup.node[round]!));
    return [
      "## Adoption: install, bundles, start-up (issue #7)",
      "",
      "Both packages packed with `npm pack` and installed into a fresh app, then `npm prune --omit=dev`, as a production deploy does:",
      "",
      markdownTable(["production install", "packages", "bytes on disk"], installs),
      "",
      "What an app bundles (10 generated mboxes of 20 attributes each, `bench/synthetic-schemas.ts`; minified, platform browser):",
      "",
      markdownTable(["bundler", "entry", "minified", "gzipped", "index vs direct"], bundles),
      "",
      "Start-up, 20 interleaved rounds of fresh processes, median of per-round ratios to `node -e \"\"`:",
      "",
      markdownTable(
        ["command", "median", "vs node -e \"\""],
        [
          ['`node -e ""`', formatMs(median(startup.node)), "1.00x"],
          ["`mboxgen --version`", formatMs(median(startup.version)), formatRatio(versionRatio)],
          ["`mboxgen emulate --help` (yargs, no generator)", formatMs(median(startup.help)), formatRatio(helpRatio)],
        ],
      ),
      "",
      `Targets: production install one package under 300 kB (${installs[0]![1]} package, ${installs[0]![2]}); one mbox through the index within 5% of importing it directly (esbuild ${bundles[1]![4]}, Rollup ${bundles[5]![4]}); \`mboxgen --version\` at most 3x \`node -e ""\` (${formatRatio(versionRatio)}).`,
    ].join("\n");
  } finally {
    rmSync(work, { recursive: true, force: true });
  }
}
