/**
 * The `mboxgen` command line: a thin layer over `generate` (yargs for the arguments).
 * Exit codes: 0 success, 1 generation error or stale output, 2 usage error.
 */
import { watch as watchFiles } from "chokidar";
import { relative, resolve } from "node:path";
import yargs from "yargs";
import type { MboxgenConfig } from "../config.js";
import { GeneratorError, GeneratorErrors, isGeneratorError } from "../errors.js";
import { generate, type GeneratedFile } from "../generate.js";
import { GENERATOR_VERSION } from "../version.js";
import { loadConfigFile } from "./config-file.js";
import { compareOutput, readOutputFolder, readSchemaFolder, replaceOutputFolder, toPosix } from "./files.js";
import { runEmulate, runInfer, runSample, UsageError, type SampleArguments } from "./schema-commands.js";

/** Where the CLI reads and writes; the real process by default, swapped in tests. */
export interface CliEnvironment {
  cwd: string;
  stdout: (text: string) => void;
  stderr: (text: string) => void;
  /** Ends `--watch`, `emulate` and `sample` (Ctrl-C does the same from a terminal). */
  signal?: AbortSignal;
  /** Whether stderr is a terminal (progress bars are drawn only there). */
  isTerminal?: boolean;
}

/** Options of `mboxgen generate` after parsing. */
interface GenerateArguments {
  schemas?: string | undefined;
  out?: string | undefined;
  config?: string | undefined;
  check: boolean;
  watch: boolean;
  stdout: boolean;
  format?: boolean | undefined;
  runtimeImport?: string | undefined;
  debug: boolean;
}


function createParser() {
  return yargs()
    .scriptName("mboxgen")
    .usage("$0 <command> [options]")
    .command("generate", "Generate typed accessor modules from one JSON Schema per mbox", (command) =>
      command
        .option("schemas", { type: "string", describe: "Folder of <mbox>.schema.json files (config: schemas)" })
        .option("out", { type: "string", describe: "Output folder; mboxgen owns and replaces it (config: out)" })
        .option("config", { type: "string", describe: "Config file (default: mboxgen.config.json, .js or .mjs in the working directory)" })
        .option("check", { type: "boolean", default: false, describe: "Exit 1 and list stale, missing and extra files; write nothing" })
        .option("watch", { type: "boolean", default: false, describe: "Regenerate when a schema or the config changes" })
        .option("stdout", { type: "boolean", default: false, describe: "Print the generated files instead of writing them" })
        .option("format", { type: "boolean", describe: "Format with prettier (default true; --no-format skips it)" })
        .option("runtime-import", { type: "string", describe: 'Module the generated code imports the runtime from (default "@mboxgen/runtime")' })
        .option("debug", { type: "boolean", default: false, describe: "Print stack traces of errors" })
        .example("$0 generate --schemas schemas --out src/target", "Write src/target/index.ts and one module per mbox")
        .example("$0 generate --check", "In CI: fail when the committed output is stale"),
    )
    .command("emulate", "Serve an activities file as a local Delivery API (POST /rest/v1/delivery)", (command) =>
      command
        .option("activities", { type: "string", demandOption: true, describe: "Activities file (JSON; see fixtures/example/activities.json)" })
        .option("port", { type: "number", default: 0, describe: "Port (default: a free one)" })
        .option("host", { type: "string", default: "127.0.0.1", describe: "Host to listen on" })
        .example("$0 emulate --activities fixtures/example/activities.json --port 8080", "Serve the example's activities"),
    )
    .command("sample", "Write <mbox>.schema.json files from what a live Delivery API serves", (command) =>
      command
        .option("mbox", { type: "string", array: true, describe: "Mbox to sample (repeat for several)" })
        .option("out", { type: "string", describe: "Folder for the schemas (config: schemas)" })
        .option("config", { type: "string", describe: "Config file; its \"target\" holds the connection" })
        .option("client", { type: "string", describe: "Target client code (config: target.client)" })
        .option("organization-id", { type: "string", describe: "Experience Cloud organization id (config: target.organizationId)" })
        .option("server-domain", { type: "string", describe: "host[:port] of the Delivery API (config: target.serverDomain)" })
        .option("secure", { type: "boolean", describe: "https (default); --no-secure for http" })
        .option("timeout", { type: "number", describe: "Milliseconds per request (default 3000)" })
        .option("visitors", { type: "number", default: 200, describe: "Synthetic visitors to ask as" })
        .option("qa-token", { type: "string", describe: "Walk qaMode.previewIndexes over every activity and experience of this QA token" })
        .option("qa-max-activities", { type: "number", default: 10, describe: "Activity indexes to walk" })
        .option("qa-max-experiences", { type: "number", default: 10, describe: "Experience indexes to walk per activity" })
        .option("concurrency", { type: "number", default: 8, describe: "Requests in flight at once" })
        .option("max-requests", { type: "number", default: 1000, describe: "Hard cap on requests" })
        .option("parameter", { type: "string", array: true, describe: "Mbox parameter name=value sent with every mbox (for audiences)" })
        .option("enum-max", { type: "number", describe: "Write string enums of at most N values, each seen twice" })
        .option("json", { type: "boolean", default: false, describe: "Print the coverage report as JSON on stdout" })
        .option("check", { type: "boolean", default: false, describe: "Write nothing; exit 1 when Target serves what the committed schemas do not allow" }),
    )
    .command("infer", "Write <mbox>.schema.json files from an on-device decisioning artifact", (command) =>
      command
        .option("artifact", { type: "string", demandOption: true, describe: "rules.json path or http(s) URL" })
        .option("out", { type: "string", describe: "Folder for the schemas (config: schemas)" })
        .option("config", { type: "string", describe: "Config file" })
        .option("timeout", { type: "number", default: 10000, describe: "Milliseconds for downloading a URL" })
        .option("enum-max", { type: "number", describe: "Write string enums of at most N values, each seen twice" })
        .option("json", { type: "boolean", default: false, describe: "Print what was found as JSON on stdout" })
        .option("check", { type: "boolean", default: false, describe: "Write nothing; exit 1 when the artifact serves what the committed schemas do not allow" }),
    )
    .demandCommand(1, "Name a command: generate, emulate, sample or infer (mboxgen --help)")
    .strict()
    .version(GENERATOR_VERSION)
    .help()
    .wrap(Math.min(110, process.stdout.columns ?? 110))
    .exitProcess(false);
}

function regenerateCommand(options: GenerateArguments): string {
  const parts = ["npx mboxgen generate"];
  if (options.config !== undefined) parts.push(`--config ${options.config}`);
  if (options.schemas !== undefined) parts.push(`--schemas ${options.schemas}`);
  if (options.out !== undefined) parts.push(`--out ${options.out}`);
  if (options.runtimeImport !== undefined) parts.push(`--runtime-import ${options.runtimeImport}`);
  if (options.format === false) parts.push("--no-format");
  return parts.join(" ");
}

function reportError(error: unknown, environment: CliEnvironment, debug: boolean): void {
  const errors = error instanceof GeneratorErrors ? error.errors : [error];
  for (const each of errors) {
    const message = each instanceof Error ? each.message : String(each);
    environment.stderr(`✘ ${message}\n`);
    if (debug && each instanceof Error && each.stack) environment.stderr(`${each.stack}\n`);
  }
  if (errors.length > 1) environment.stderr(`✘ ${errors.length} problems; nothing was written\n`);
}

async function runGenerateOnce(options: GenerateArguments, environment: CliEnvironment, previousFiles?: Map<string, string>): Promise<{ code: number; files?: GeneratedFile[] }> {
  const started = performance.now();
  const { config: fileConfig } = await loadConfigFile(options.config, environment.cwd);
  const config: MboxgenConfig = { ...fileConfig };
  if (options.schemas !== undefined) config.schemas = options.schemas;
  if (options.out !== undefined) config.out = options.out;
  if (options.format !== undefined) config.format = options.format;
  if (options.runtimeImport !== undefined) config.runtimeImport = options.runtimeImport;
  if (typeof config.schemas !== "string") throw new UsageError("no schemas folder: pass --schemas <folder> or set \"schemas\" in mboxgen.config.json");
  if (typeof config.out !== "string" && !options.stdout) throw new UsageError("no output folder: pass --out <folder> or set \"out\" in mboxgen.config.json");

  const schemasFolder = resolve(environment.cwd, config.schemas);
  const outFolder = config.out === undefined ? undefined : resolve(environment.cwd, config.out);
  const current = outFolder ? await readOutputFolder(outFolder) : new Map<string, string>();
  const { schemas: _schemas, out: _out, ...generatorConfig } = config;
  const result = await generate({
    schemas: await readSchemaFolder(schemasFolder, environment.cwd),
    config: generatorConfig,
    schemasLabel: toPosix(relative(environment.cwd, schemasFolder)) || ".",
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
  if (options.check) {
    if (changed === 0) {
      environment.stderr(`✔ ${outLabel} is up to date (${result.files.length} files, ${elapsed})\n`);
      return { code: 0, files: result.files };
    }
    const list = (label: string, paths: string[]) => paths.map((path) => `  ${label} ${outLabel}/${path}\n`).join("");
    environment.stderr(`✘ ${outLabel} is out of date; run: ${regenerateCommand(options)}\n`);
    environment.stderr(list("stale  ", difference.stale) + list("missing", difference.missing) + list("extra  ", difference.extra));
    return { code: 1, files: result.files };
  }
  if (changed === 0) {
    environment.stderr(`✔ ${outLabel} is up to date (${result.files.length} files, ${elapsed})\n`);
    return { code: 0, files: result.files };
  }
  await replaceOutputFolder(outFolder!, result.files, current);
  environment.stderr(`✔ wrote ${result.files.length} files to ${outLabel} (${changed} changed, ${result.reused} modules reused) in ${elapsed}\n`);
  return { code: 0, files: result.files };
}

async function runWatch(options: GenerateArguments, environment: CliEnvironment): Promise<number> {
  let previous: Map<string, string> | undefined;
  const runOnce = async () => {
    try {
      const { files } = await runGenerateOnce(options, environment, previous);
      if (files) previous = new Map(files.map((file) => [file.path, file.text]));
    } catch (error) {
      reportError(error, environment, options.debug);
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

/** Runs the CLI with `argv` (without node and script); resolves with the exit code. */
export async function runCli(argv: readonly string[], environment: CliEnvironment): Promise<number> {
  let parsed: Record<string, unknown>;
  let output = "";
  try {
    parsed = await new Promise((resolveParse, rejectParse) => {
      void createParser().parse([...argv], {}, (error, result, text) => {
        output = text;
        if (error) rejectParse(error);
        else resolveParse(result as Record<string, unknown>);
      });
    });
  } catch (error) {
    environment.stderr(`✘ ${error instanceof Error ? error.message : String(error)}\n  Run mboxgen --help for the usage.\n`);
    return 2;
  }
  if (output) {
    environment.stdout(`${output}\n`);
    return 0;
  }
  const options = parsed as unknown as GenerateArguments;
  const command = (parsed._ as string[])[0];
  try {
    if (command === "emulate") return await runEmulate(parsed as never, environment);
    if (command === "sample") return await runSample(parsed as unknown as SampleArguments, environment);
    if (command === "infer") return await runInfer(parsed as never, environment);
    if (options.watch) return await runWatch(options, environment);
    return (await runGenerateOnce(options, environment)).code;
  } catch (error) {
    if (error instanceof UsageError) {
      environment.stderr(`✘ ${error.message}\n`);
      return 2;
    }
    if (isGeneratorError(error) || error instanceof GeneratorError) {
      reportError(error, environment, options.debug);
      return 1;
    }
    reportError(error, environment, true);
    return 1;
  }
}
