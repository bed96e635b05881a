/**
 * `generate`: the whole pipeline over in-memory inputs: `load → name mboxes → plan reuse →
 * buildIr → normalize → name members → emit` (and prettier, for custom options only). Returns the
 * files; never touches the disk (the CLI writes them).
 */
import { buildIr, MAX_DEPTH } from "./build-ir.js";
import { createGenerateContext, validateConfig, type GenerateContext, type MboxgenConfig } from "./config.js";
import { emitIndexModule } from "./emit/index-module.js";
import type { GeneratedFile } from "./emit/generated-file.js";
import { modulePaths, runModuleJob } from "./emit/module-job.js";
import { emitFlagManifest } from "./emit/flag-manifest.js";
import { emitOpenFeatureIndex, OPENFEATURE_SERVER_FOLDER } from "./emit/openfeature-module.js";
import { emitReactIndex, REACT_FOLDER } from "./emit/react-module.js";
import { Diagnostics } from "./diagnostics.js";
import { createGeneratorError, GeneratorErrors, type GeneratorError } from "./errors.js";
import { format, hasCustomFormatting } from "./format.js";
import type { MboxIr, MboxNames } from "./ir.js";
import type { JsonDocument, SchemaSource } from "./json-document.js";
import { load, type LoadedMbox, type LoadedSchemas } from "./load.js";
import { nameMboxes, nameMembers } from "./naming.js";
import { normalize } from "./normalize.js";
import { filesReferencedBy } from "./schema-references.js";
import { hashParts, hashText, isCurrent, stamp } from "./stamp.js";
import { GENERATOR_VERSION } from "./version.js";

export type { GeneratedFile } from "./emit/generated-file.js";

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
}

/** What `generate` returns. */
export interface GenerateResult {
  /** Every file of the output folder, sorted by path. */
  files: GeneratedFile[];
  /** How many mbox modules were reused from `previousFiles`. */
  reused: number;
}

/**
 * Everything a module's bytes depend on, read from the sources rather than the IR, so that an
 * unchanged module is recognised before its schema is built: the generator, the schema file's
 * path and text, the files its `$ref`s reach, its mbox's config, and the run's options. Names
 * come from the mbox name and config (naming.ts), so they are covered too.
 */
function moduleInputHash(loaded: LoadedMbox, documents: ReadonlyMap<string, JsonDocument>, context: GenerateContext): string {
  const { mboxes, ...options } = context;
  const references = filesReferencedBy(loaded.document, documents);
  // Texts are hashed as they are (each after its length, so no two inputs run together), not
  // inside JSON: escaping a thousand schemas costs more than hashing them.
  return hashParts([
    JSON.stringify({ generator: GENERATOR_VERSION, mbox: loaded.mbox, config: mboxes[loaded.mbox] ?? null, options, references }),
    loaded.document.path,
    loaded.document.text,
    ...references.map((path) => documents.get(path)?.text ?? "\u0000missing"),
  ]);
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
    if (!loadFailed && !loaded.mboxes.some((each) => each.mbox === mbox)) diagnostics.report(createGeneratorError("CONFIG_UNKNOWN_MBOX", { mbox }));
  }
  // A reused module's keys were checked against this same config by the run that wrote it.
  for (const ir of irs) {
    const declaredKeys = new Set(ir.attributes.map((attribute) => attribute.key));
    for (const key of Object.keys(context.mboxes[ir.mbox]?.keys ?? {})) {
      if (!declaredKeys.has(key)) diagnostics.report(createGeneratorError("CONFIG_UNKNOWN_KEY", { mbox: ir.mbox, key }, { file: ir.sourcePath }));
    }
  }
}

/** An mbox of this run: its schema, its names, the hash of its inputs. */
interface PlannedModule {
  loaded: LoadedMbox;
  names: MboxNames;
  inputHash: string;
}

/**
 * Splits the mboxes into modules a previous run wrote from exactly these inputs (their hash stamp
 * says so, and their text is unedited), kept as they are without reading their schema again, and
 * modules to build.
 */
function planModules(loaded: LoadedSchemas, names: readonly MboxNames[], context: GenerateContext, previousFiles: GenerateInput["previousFiles"]): { reused: GeneratedFile[]; reusedModules: number; toBuild: PlannedModule[] } {
  const reused: GeneratedFile[] = [];
  let reusedModules = 0;
  const toBuild: PlannedModule[] = [];
  // The manifest lists every key of every mbox: each schema is read.
  const reusable = !context.openfeature.includes("manifest");
  loaded.mboxes.forEach((mbox, index) => {
    const planned: PlannedModule = { loaded: mbox, names: names[index]!, inputHash: moduleInputHash(mbox, loaded.documents, context) };
    // A module is reused with its companions, all current, or not at all.
    const previous = modulePaths(planned.names.fileName, context).map((path) => ({ path, text: previousFiles?.get(path) }));
    if (reusable && previous.every(({ text }) => isCurrent(text, planned.inputHash))) {
      reused.push(...previous.map(({ path, text }) => ({ path, text: text! })));
      reusedModules += 1;
    } else toBuild.push(planned);
  });
  return { reused, reusedModules, toBuild };
}

/**
 * The error for a schema that overflowed the stack: nesting is limited where a schema is read
 * (MAX_DEPTH), but thousands of `$ref`s through combinators can still lead the later stages that
 * deep. Anything else is rethrown.
 */
function stackOverflowError(error: unknown, sourcePath: string): GeneratorError {
  if (!(error instanceof RangeError) || !/call stack/i.test(error.message)) throw error;
  return createGeneratorError("SCHEMA_TOO_DEEP", { what: "references", limit: MAX_DEPTH }, { file: sourcePath }, error);
}

/** Builds the IR of every module to build: its schema read once, then normalized. */
function buildModules(toBuild: readonly PlannedModule[], loaded: LoadedSchemas, context: GenerateContext, diagnostics: Diagnostics): Array<PlannedModule & { ir: MboxIr }> {
  return toBuild.flatMap((planned) => {
    try {
      return [{ ...planned, ir: normalize(buildIr(planned.loaded, loaded.documents, context.mboxes[planned.loaded.mbox], diagnostics)) }];
    } catch (error) {
      diagnostics.report(stackOverflowError(error, planned.loaded.document.path));
      return [];
    }
  });
}

/** Emits every module that was not reused. */
async function emitModules(built: ReadonlyArray<PlannedModule & { ir: MboxIr }>, context: GenerateContext): Promise<GeneratedFile[]> {
  const files: GeneratedFile[] = [];
  for (const { ir, inputHash } of built) {
    try {
      files.push(...(await runModuleJob({ ir, context, inputHash })));
    } catch (error) {
      throw new GeneratorErrors([stackOverflowError(error, ir.sourcePath)]);
    }
  }
  return files;
}

/** The index modules (`index.ts`, and the OpenFeature getters' when asked for), each reused when nothing it lists changed (decided before it is printed). */
async function emitIndexes(mboxes: readonly MboxNames[], schemasLabel: string, context: GenerateContext, previousFiles: GenerateInput["previousFiles"]): Promise<GeneratedFile[]> {
  const listed = mboxes.map(({ fileName, exportName, typeName, accessorsTypeName }) => [fileName, exportName, typeName, accessorsTypeName]);
  const indexHash = hashText(JSON.stringify({ generator: GENERATOR_VERSION, listed, schemasLabel, context }));
  const indexes: Array<[path: string, emit: () => string]> = [["index.ts", () => emitIndexModule(mboxes, schemasLabel, context)]];
  if (context.openfeature.includes("server")) indexes.push([`${OPENFEATURE_SERVER_FOLDER}/index.ts`, () => emitOpenFeatureIndex(mboxes, schemasLabel, context)]);
  if (context.openfeature.includes("react")) indexes.push([`${REACT_FOLDER}/index.ts`, () => emitReactIndex(mboxes, schemasLabel, context)]);
  return Promise.all(
    indexes.map(async ([path, emit]) => {
      const previous = previousFiles?.get(path);
      if (isCurrent(previous, indexHash)) return { path, text: previous! };
      const source = emit();
      return { path, text: stamp(hasCustomFormatting(context) ? await format(source, context.prettier) : source, indexHash) };
    }),
  );
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
  const names = nameMboxes(loaded.mboxes.map(({ mbox, document }) => ({ mbox, sourcePath: document.path })), context, diagnostics);
  const { reused, reusedModules, toBuild } = planModules(loaded, names, context, input.previousFiles);
  const built = buildModules(toBuild, loaded, context, diagnostics);
  checkConfigAgainstSchemas(context, loaded, built.map(({ ir }) => ir), schemasLabel, diagnostics);
  const named = built.map((module) => ({ ...module, ir: nameMembers(module.ir, module.names, context, diagnostics) }));
  diagnostics.throwIfAny();
  const modules = await emitModules(named, context);
  const indexes = await emitIndexes(names, schemasLabel, context, input.previousFiles);
  // The manifest reads every mbox (planModules builds them all when it is asked for).
  // It is JSON: prettier's JSON layout, printed by prettier itself (the user's options apply too).
  const manifest: GeneratedFile[] = context.openfeature.includes("manifest")
    ? [{ path: `${OPENFEATURE_SERVER_FOLDER}/flags.json`, text: await format(emitFlagManifest(named.map(({ ir }) => ir), schemasLabel, context.regenerateCommand), { ...(context.format ? context.prettier : {}), parser: "json" }) }]
    : [];
  const files = [...reused, ...modules, ...indexes, ...manifest].sort((left, right) => (left.path < right.path ? -1 : left.path > right.path ? 1 : 0));
  return { files, reused: reusedModules };
}

/**
 * The pipeline up to the IR, for every mbox of the schema folder (`load → name mboxes → buildIr →
 * normalize → name members`), as `generate` reads it: for `mboxgen offers check`, which applies the
 * generated checks without writing modules. Throws `GeneratorErrors` as `generate` does.
 */
export function buildSchemaIrs(input: Pick<GenerateInput, "schemas" | "config" | "schemasLabel">): MboxIr[] {
  const diagnostics = new Diagnostics();
  const context = createContext(input, diagnostics);
  diagnostics.throwIfAny();
  const loaded = load(input.schemas, diagnostics);
  const names = nameMboxes(loaded.mboxes.map(({ mbox, document }) => ({ mbox, sourcePath: document.path })), context, diagnostics);
  const toBuild = loaded.mboxes.map((mbox, index) => ({ loaded: mbox, names: names[index]!, inputHash: "" }));
  const built = buildModules(toBuild, loaded, context, diagnostics);
  checkConfigAgainstSchemas(context, loaded, built.map(({ ir }) => ir), input.schemasLabel ?? "schemas", diagnostics);
  const named = built.map((module) => nameMembers(module.ir, module.names, context, diagnostics));
  diagnostics.throwIfAny();
  return named;
}
