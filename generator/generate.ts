/**
 * `generate`: the whole pipeline, `load → normalize → buildIr → name → emit → format`, over
 * in-memory inputs. Returns the files; never touches the disk (the CLI writes them).
 */
import { buildIr } from "./build-ir.js";
import { createGenerateContext, validateConfig, type GenerateContext, type MboxgenConfig } from "./config.js";
import { emitIndexModule } from "./emit/index-module.js";
import { runModuleJob, toGeneratorError, type ModuleJob, type ModuleJobResult } from "./emit/module-job.js";
import { createFormatPool, formatWorkerCount } from "./format-pool.js";
import { createGeneratorError, GeneratorErrors, type GeneratorError } from "./errors.js";
import { format } from "./format.js";
import type { MboxIr } from "./ir.js";
import type { SchemaSource } from "./json-document.js";
import { load } from "./load.js";
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

function byLocation(left: GeneratorError, right: GeneratorError): number {
  const leftKey = `${left.location.file ?? ""}\u0000${String(left.location.line ?? 0).padStart(8, "0")}`;
  const rightKey = `${right.location.file ?? ""}\u0000${String(right.location.line ?? 0).padStart(8, "0")}`;
  return leftKey < rightKey ? -1 : leftKey > rightKey ? 1 : 0;
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

/**
 * Generates the typed modules for a set of mbox schemas. Pure: the same input gives the same bytes.
 * Throws `GeneratorErrors` listing every problem of the input; then nothing is produced.
 */
export async function generate(input: GenerateInput): Promise<GenerateResult> {
  const config = input.config ?? {};
  const errors: GeneratorError[] = validateConfig(config);
  if (errors.length > 0) throw new GeneratorErrors(errors);
  const context = createGenerateContext(config, input.regenerateCommand ?? "npx mboxgen generate");
  const schemasLabel = input.schemasLabel ?? "schemas";

  // load
  const loaded = load(input.schemas);
  errors.push(...loaded.errors);
  if (loaded.mboxes.length === 0 && errors.length === 0) errors.push(createGeneratorError("NO_SCHEMAS", { folder: schemasLabel }));
  const knownMboxes = new Set(loaded.mboxes.map((mbox) => mbox.mbox));
  for (const mbox of Object.keys(context.mboxes)) {
    if (!knownMboxes.has(mbox) && loaded.errors.length === 0) errors.push(createGeneratorError("CONFIG_UNKNOWN_MBOX", { mbox }));
  }

  // buildIr and normalize
  const irs: MboxIr[] = [];
  for (const mbox of loaded.mboxes) {
    const mboxConfig = context.mboxes[mbox.mbox];
    const built = buildIr(mbox, loaded.documents, mboxConfig);
    errors.push(...built.errors);
    const declaredKeys = new Set(built.ir.attributes.map((attribute) => attribute.key));
    for (const key of Object.keys(mboxConfig?.keys ?? {})) {
      if (!declaredKeys.has(key)) errors.push(createGeneratorError("CONFIG_UNKNOWN_KEY", { mbox: mbox.mbox, key }, { file: mbox.document.path }));
    }
    irs.push(normalize(built.ir));
  }

  // name
  const named = name(irs, context);
  errors.push(...named.errors);
  if (errors.length > 0) throw new GeneratorErrors(errors.sort(byLocation));

  // emit and format, reusing modules whose inputs did not change
  const files: GeneratedFile[] = [];
  const jobs: ModuleJob[] = [];
  let reused = 0;
  for (const ir of named.mboxes) {
    const path = `${ir.fileName}.ts`;
    const inputHash = moduleInputHash(ir, context);
    const previous = input.previousFiles?.get(path);
    if (isCurrent(previous, inputHash)) {
      files.push({ path, text: previous! });
      reused += 1;
    } else {
      // A module is its own scope: the schema's own type names (titles, $defs) may not take the
      // module's accessors interface or the imported MboxAccessors; other modules do not matter.
      jobs.push({ ir, context, reservedTypeNames: new Set([ir.accessorsTypeName, "MboxAccessors"]), inputHash });
    }
  }
  const pool = createFormatPool(context.format ? formatWorkerCount(jobs.length, input.workers) : 0, context.prettier);
  try {
    const pending: Array<ModuleJobResult | Promise<ModuleJobResult>> = [];
    for (const job of jobs) pending.push(await runModuleJob(job, (source) => pool.format(source)));
    for (const result of await Promise.all(pending)) {
      if (result.kind === "error") errors.push(toGeneratorError(result));
      else files.push({ path: result.path, text: result.text });
    }
  } finally {
    await pool.close();
  }
  if (errors.length > 0) throw new GeneratorErrors(errors.sort(byLocation));

  const indexSource = emitIndexModule(named.mboxes, schemasLabel, context);
  const indexHash = hashText(JSON.stringify({ generator: GENERATOR_VERSION, indexSource, context }));
  const previousIndex = input.previousFiles?.get("index.ts");
  files.push({
    path: "index.ts",
    text: isCurrent(previousIndex, indexHash) ? previousIndex! : stamp(context.format ? await format(indexSource, context.prettier) : indexSource, indexHash),
  });
  files.sort((left, right) => (left.path < right.path ? -1 : left.path > right.path ? 1 : 0));
  return { files, reused };
}
