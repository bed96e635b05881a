/**
 * `generate`: the whole pipeline, `load → normalize → buildIr → name → emit → format`, over
 * in-memory inputs. Returns the files; never touches the disk (the CLI writes them).
 */
import { buildIr } from "./build-ir.js";
import { createGenerateContext, validateConfig, type GenerateContext, type MboxgenConfig } from "./config.js";
import { emitIndexModule } from "./emit/index-module.js";
import { runModuleJob, type ModuleJob } from "./emit/module-job.js";
import { createFormatPool, formatWorkerCount } from "./format-pool.js";
import { Diagnostics } from "./diagnostics.js";
import { createGeneratorError } from "./errors.js";
import { format } from "./format.js";
import type { MboxIr } from "./ir.js";
import type { SchemaSource } from "./json-document.js";
import { load, type LoadedSchemas } from "./load.js";
import { name } from "./naming.js";
import { normalize } from "./normalize.js";
import { hashText, isCurrent, stamp } from "./stamp.js";
import { GENERATOR_VERSION } from "./version.js";

/**
 * What `generate` takes.
 *
 * @example
 * ```ts
 * import { generate, readSchemaFolder } from "mboxgen";
 * const { files } = await generate({ schemas: await readSchemaFolder("schemas"), config: { runtimeImport: "@mboxgen/runtime" } });
 * ```
 */
export interface GenerateInput {
  /** The schema folder's JSON files (`*.schema.json` are mboxes; others can be `$ref` targets). */
  schemas: readonly SchemaSource[];
  /** Options; see `MboxgenConfig`. `schemas` and `out` are the CLI's concern and ignored here. */
  config?: MboxgenConfig;
  /** How the index header names the schema folder. Default `"schemas"`. */
  schemasLabel?: string;
  /** The command each header prints to regenerate the file. Default `"npx mboxgen generate"`. */
  regenerateCommand?: string;
  /** The files of a previous run, by path: files whose inputs did not change are reused as they are. */
  previousFiles?: ReadonlyMap<string, string>;
  /**
   * Threads that run prettier while this one emits. Default 0 (in-process): worth it only on
   * machines with several physical cores (BENCHMARKS.md).
   */
  workers?: number;
}

/** One generated file; `path` is relative to the output folder. */
export interface GeneratedFile {
  path: string;
  text: string;
}

/** What `generate` returns. */
export interface GenerateResult {
  /** Every file of the output folder, sorted by path. */
  files: GeneratedFile[];
  /** How many mbox modules were reused from `previousFiles`. */
  reused: number;
}

// Everything a module's bytes depend on: a change here, and only here, regenerates it.
function moduleInputHash(ir: MboxIr, context: GenerateContext): string {
  return hashText(
    JSON.stringify({
      generator: GENERATOR_VERSION,
      ir: { ...ir, definitions: [...ir.definitions] },
      runtimeImport: context.runtimeImport,
      format: context.format,
      prettier: context.prettier,
      command: context.regenerateCommand,
    }),
  );
}

/** The config checked and resolved into the run's context; every config problem reported. */
function createContext(input: GenerateInput, diagnostics: Diagnostics): GenerateContext {
  const config = input.config ?? {};
  validateConfig(config, diagnostics);
  return createGenerateContext(config, input.regenerateCommand ?? "npx mboxgen generate");
}

/** The config may only name mboxes and keys the schemas declare (a typo would be silently ignored). */
function checkConfigAgainstSchemas(context: GenerateContext, loaded: LoadedSchemas, irs: readonly MboxIr[], schemasLabel: string, diagnostics: Diagnostics): void {
  if (loaded.mboxes.length === 0 && !diagnostics.hasErrors) diagnostics.report(createGeneratorError("NO_SCHEMAS", { folder: schemasLabel }));
  const loadFailed = diagnostics.hasErrors;
  for (const mbox of Object.keys(context.mboxes)) {
    // An mbox whose schema did not load is not unknown: its file's own error says what is wrong.
    if (!loadFailed && !irs.some((ir) => ir.mbox === mbox)) diagnostics.report(createGeneratorError("CONFIG_UNKNOWN_MBOX", { mbox }));
  }
  for (const ir of irs) {
    const declaredKeys = new Set(ir.attributes.map((attribute) => attribute.key));
    for (const key of Object.keys(context.mboxes[ir.mbox]?.keys ?? {})) {
      if (!declaredKeys.has(key)) diagnostics.report(createGeneratorError("CONFIG_UNKNOWN_KEY", { mbox: ir.mbox, key }, { file: ir.sourcePath }));
    }
  }
}

/**
 * Emits and formats every mbox module, reusing a previous run's file where the module's inputs
 * did not change (its hash stamp says so).
 */
async function emitModules(mboxes: readonly MboxIr[], context: GenerateContext, input: GenerateInput): Promise<{ files: GeneratedFile[]; reused: number }> {
  const files: GeneratedFile[] = [];
  const jobs: ModuleJob[] = [];
  for (const ir of mboxes) {
    const path = `${ir.fileName}.ts`;
    const inputHash = moduleInputHash(ir, context);
    const previous = input.previousFiles?.get(path);
    if (isCurrent(previous, inputHash)) files.push({ path, text: previous! });
    // A module is its own scope: the schema's own type names (titles, $defs) may not take the
    // module's accessors interface or the imported MboxAccessors; other modules do not matter.
    else jobs.push({ ir, context, reservedTypeNames: new Set([ir.accessorsTypeName, "MboxAccessors"]), inputHash });
  }
  const reused = files.length;
  const pool = createFormatPool(context.format ? formatWorkerCount(jobs.length, input.workers) : 0, context.prettier);
  try {
    const pending: Array<Promise<GeneratedFile>> = [];
    // Each job's formatting is started at once, so a worker formats while this thread emits the next.
    for (const job of jobs) pending.push(runModuleJob(job, (source) => pool.format(source)));
    files.push(...(await Promise.all(pending)));
  } finally {
    await pool.close();
  }
  return { files, reused };
}

/** The index module, reused when nothing it lists changed. */
async function emitIndex(mboxes: readonly MboxIr[], schemasLabel: string, context: GenerateContext, previousFiles: GenerateInput["previousFiles"]): Promise<GeneratedFile> {
  const indexSource = emitIndexModule(mboxes, schemasLabel, context);
  const indexHash = hashText(JSON.stringify({ generator: GENERATOR_VERSION, indexSource, context }));
  const previousIndex = previousFiles?.get("index.ts");
  if (isCurrent(previousIndex, indexHash)) return { path: "index.ts", text: previousIndex! };
  return { path: "index.ts", text: stamp(context.format ? await format(indexSource, context.prettier) : indexSource, indexHash) };
}

/**
 * Generates the typed modules for a set of mbox schemas. Pure: the same input gives the same bytes.
 * Throws `GeneratorErrors` listing every problem of the input; then nothing is produced.
 */
export async function generate(input: GenerateInput): Promise<GenerateResult> {
  const diagnostics = new Diagnostics();
  const schemasLabel = input.schemasLabel ?? "schemas";
  const context = createContext(input, diagnostics);
  diagnostics.throwIfAny();
  const loaded = load(input.schemas, diagnostics);
  const irs = loaded.mboxes.map((mbox) => normalize(buildIr(mbox, loaded.documents, context.mboxes[mbox.mbox], diagnostics)));
  checkConfigAgainstSchemas(context, loaded, irs, schemasLabel, diagnostics);
  const named = name(irs, context, diagnostics);
  diagnostics.throwIfAny();
  const modules = await emitModules(named, context, input);
  const index = await emitIndex(named, schemasLabel, context, input.previousFiles);
  const files = [...modules.files, index].sort((left, right) => (left.path < right.path ? -1 : left.path > right.path ? 1 : 0));
  return { files, reused: modules.reused };
}
