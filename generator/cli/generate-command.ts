/**
 * `mboxgen generate`: a thin layer over `generate` that reads the schema folder, compares with or
 * replaces the output folder, and watches. Loaded only when the command runs (it pulls in the
 * generator, and prettier's document printer).
 */
import { watch as watchFiles } from "chokidar";
import { relative, resolve } from "node:path";
import type { MboxgenConfig, OpenFeatureOutput } from "../config.js";
import type { GeneratedFile } from "../emit/generated-file.js";
import { generate } from "../generate.js";
import { loadConfigFile } from "./config-file.js";
import { assertInputExists, compareOutput, readOutputFolder, readSchemaFolder, replaceOutputFolder, toPosix } from "./files.js";
import type { CliEnvironment } from "./environment.js";
import { UsageError } from "./usage-error.js";

/** Options of `mboxgen generate` after parsing. */
export interface GenerateArguments {
  schemas?: string | undefined;
  out?: string | undefined;
  config?: string | undefined;
  check: boolean;
  watch: boolean;
  stdout: boolean;
  format?: boolean | undefined;
  runtimeImport?: string | undefined;
  openfeature?: OpenFeatureOutput[] | undefined;
  debug: boolean;
}

function regenerateCommand(options: GenerateArguments): string {
  const parts = ["npx mboxgen generate"];
  if (options.config !== undefined) parts.push(`--config ${options.config}`);
  if (options.schemas !== undefined) parts.push(`--schemas ${options.schemas}`);
  if (options.out !== undefined) parts.push(`--out ${options.out}`);
  if (options.runtimeImport !== undefined) parts.push(`--runtime-import ${options.runtimeImport}`);
  if (options.format === false) parts.push("--no-format");
  if (options.openfeature !== undefined) parts.push(`--openfeature ${options.openfeature.join(" ")}`);
  return parts.join(" ");
}

async function runGenerateOnce(
  options: GenerateArguments,
  environment: CliEnvironment,
  previousFiles?: Map<string, string>,
): Promise<{ code: number; files?: GeneratedFile[] }> {
  const started = performance.now();
  const { config: fileConfig } = await loadConfigFile(options.config, environment.cwd);
  const config: MboxgenConfig = { ...fileConfig };
  if (options.schemas !== undefined) config.schemas = options.schemas;
  if (options.out !== undefined) config.out = options.out;
  if (options.format !== undefined) config.format = options.format;
  if (options.runtimeImport !== undefined) config.runtimeImport = options.runtimeImport;
  if (options.openfeature !== undefined) {
    if (options.openfeature.length === 0) throw new UsageError("--openfeature needs what to write: server, react, manifest (one or more)");
    config.openfeature = options.openfeature;
  }
  const missing = [
    typeof config.schemas === "string" ? undefined : 'no schemas folder: pass --schemas <folder> or set "schemas" in mboxgen.config.json',
    typeof config.out === "string" || options.stdout ? undefined : 'no output folder: pass --out <folder> or set "out" in mboxgen.config.json',
  ].filter((problem) => problem !== undefined);
  if (missing.length > 0) throw new UsageError(missing.join("\n✘ "));

  const schemasFolder = resolve(environment.cwd, config.schemas!);
  const schemasLabel = toPosix(relative(environment.cwd, schemasFolder)) || ".";
  assertInputExists(schemasFolder, schemasLabel, "the schemas folder", "create it with one <mbox>.schema.json per mbox, or point --schemas at the folder that has them", "folder");
  const outFolder = config.out === undefined ? undefined : resolve(environment.cwd, config.out);
  const current = outFolder ? await readOutputFolder(outFolder) : new Map<string, string>();
  const { schemas: _schemas, out: _out, ...generatorConfig } = config;
  const result = await generate({
    schemas: await readSchemaFolder(schemasFolder, environment.cwd),
    config: generatorConfig,
    schemasLabel,
    regenerateCommand: regenerateCommand(options),
    previousFiles: previousFiles ?? current,
  });
  const elapsed = `${Math.round(performance.now() - started)} ms`;

  if (options.stdout) {
    for (const file of result.files) environment.stdout(`// ===== ${file.path} =====\n${file.text}\n`);
    return { code: 0, files: result.files };
  }
  const difference = compareOutput(result.files, current);
  const changed = difference.stale.length + difference.missing.length + difference.extra.length;
  const outLabel = toPosix(relative(environment.cwd, outFolder!)) || ".";
  if (changed === 0) {
    environment.stderr(`✔ ${outLabel} is up to date (${result.files.length} files, ${elapsed})\n`);
    return { code: 0, files: result.files };
  }
  if (options.check) {
    const list = (label: string, paths: string[]) => paths.map((path) => `  ${label} ${outLabel}/${path}\n`).join("");
    environment.stderr(`✘ ${outLabel} is out of date; run: ${regenerateCommand(options)}\n`);
    environment.stderr(list("stale  ", difference.stale) + list("missing", difference.missing) + list("extra  ", difference.extra));
    return { code: 1, files: result.files };
  }
  await replaceOutputFolder(outFolder!, result.files, current);
  environment.stderr(`✔ wrote ${result.files.length} files to ${outLabel} (${changed} changed, ${result.reused} modules reused) in ${elapsed}\n`);
  return { code: 0, files: result.files };
}

async function runWatch(options: GenerateArguments, environment: CliEnvironment, reportError: (error: unknown) => void): Promise<number> {
  let previous: Map<string, string> | undefined;
  const runOnce = async () => {
    try {
      const { files } = await runGenerateOnce(options, environment, previous);
      if (files) previous = new Map(files.map((file) => [file.path, file.text]));
    } catch (error) {
      reportError(error);
    }
  };
  await runOnce();
  const { config: fileConfig, file: configFile } = await loadConfigFile(options.config, environment.cwd).catch(() => ({ config: {} as MboxgenConfig, file: undefined }));
  const schemasFolder = resolve(environment.cwd, options.schemas ?? fileConfig.schemas ?? ".");
  const watched = [schemasFolder, ...(configFile ? [resolve(environment.cwd, configFile)] : [])];
  const watcher = watchFiles(watched, { ignoreInitial: true });
  let timer: ReturnType<typeof setTimeout> | undefined;
  let running: Promise<void> = Promise.resolve();
  watcher.on("all", () => {
    clearTimeout(timer);
    // Debounced: an editor's save is often several events.
    timer = setTimeout(() => {
      running = running.then(runOnce);
    }, 100);
  });
  await new Promise<void>((resolveWatch) => {
    watcher.on("ready", () => environment.stderr(`… watching ${watched.map((path) => toPosix(relative(environment.cwd, path)) || ".").join(", ")} (Ctrl-C to stop)\n`));
    const stop = () => resolveWatch();
    environment.signal?.addEventListener("abort", stop, { once: true });
    if (environment.signal === undefined) process.once("SIGINT", stop);
  });
  clearTimeout(timer);
  await running;
  await watcher.close();
  return 0;
}

/**
 * `mboxgen generate`, once or with `--watch`; resolves with the exit code. In watch mode errors
 * go to `reportError` and watching goes on.
 */
export function runGenerate(options: GenerateArguments, environment: CliEnvironment, reportError: (error: unknown) => void): Promise<number> {
  return options.watch ? runWatch(options, environment, reportError) : runGenerateOnce(options, environment).then((result) => result.code);
}
