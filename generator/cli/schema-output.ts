/**
 * Writing inferred schemas for `sample` and `infer`: one `<mbox>.schema.json` per mbox, merged
 * with what is there, all files or none. `--check` instead validates every offer against the
 * committed schemas (ajv) and reports drift.
 */
import { existsSync } from "node:fs";
import { mkdir, readFile, rename, rm, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { Ajv2020 } from "ajv/dist/2020.js";
import { createGeneratorError, type GeneratorError } from "../errors.js";
import { inferOfferSchema } from "../infer/infer-schema.js";
import { renderSchemaFile, type SchemaProvenance } from "../infer/schema-file.js";

/** One mbox's offers and where they came from. */
export interface MboxOffers {
  mbox: string;
  offers: Record<string, unknown>[];
  provenance: SchemaProvenance;
}

/** A file name for an mbox's schema; the real name is kept in `x-mbox`. */
export function schemaFileName(mbox: string): string {
  const safe = mbox.replace(/[^\p{L}\p{N}._-]+/gu, "-");
  return `${safe === "" || safe.startsWith(".") ? `mbox${safe}` : safe}.schema.json`;
}

/** What writing did, per mbox. */
export interface SchemaWriteReport {
  mbox: string;
  file: string;
  created: boolean;
  changes: string[];
}

/** Infers, merges and writes every schema; nothing is written if any step fails. */
export async function writeInferredSchemas(folder: string, entries: readonly MboxOffers[], enumMax: number | undefined): Promise<SchemaWriteReport[]> {
  const reports: SchemaWriteReport[] = [];
  const updates: Array<{ path: string; text: string }> = [];
  for (const entry of entries) {
    const file = schemaFileName(entry.mbox);
    const path = join(folder, file);
    const existing = existsSync(path) ? await readFile(path, "utf8") : undefined;
    const update = renderSchemaFile(entry.mbox, inferOfferSchema(entry.offers, enumMax === undefined ? {} : { enumMax }), entry.provenance, existing);
    reports.push({ mbox: entry.mbox, file, created: update.created, changes: update.changes });
    if (update.text !== existing) updates.push({ path, text: update.text });
  }
  await mkdir(folder, { recursive: true });
  const staged = updates.map((update) => ({ ...update, temporary: `${update.path}.mboxgen-${process.pid}.tmp` }));
  try {
    for (const update of staged) await writeFile(update.temporary, update.text);
    for (const update of staged) await rename(update.temporary, update.path);
  } finally {
    await Promise.all(staged.map((update) => rm(update.temporary, { force: true })));
  }
  return reports;
}

/** Validates every offer against the committed schemas; one error per mbox that drifted. */
export async function checkDrift(folder: string, entries: readonly MboxOffers[]): Promise<GeneratorError[]> {
  const errors: GeneratorError[] = [];
  const ajv = new Ajv2020({ allErrors: true, strict: false });
  for (const entry of entries) {
    const file = join(folder, schemaFileName(entry.mbox));
    if (!existsSync(file)) {
      errors.push(createGeneratorError("SCHEMA_DRIFT", { mbox: entry.mbox, reason: "there is no committed schema for it" }, { file }));
      continue;
    }
    let validate;
    try {
      validate = ajv.compile(JSON.parse(await readFile(file, "utf8")));
    } catch (error) {
      errors.push(createGeneratorError("SCHEMA_DRIFT", { mbox: entry.mbox, reason: `the committed schema cannot be read (${error instanceof Error ? error.message : String(error)})` }, { file }));
      continue;
    }
    const problems = new Set<string>();
    for (const offer of entry.offers) {
      if (validate(offer)) continue;
      for (const problem of validate.errors ?? []) problems.add(`${problem.instancePath || "/"} ${problem.message ?? "is invalid"}${problem.params && "additionalProperty" in problem.params ? ` (${String(problem.params.additionalProperty)})` : ""}`);
    }
    if (problems.size > 0) errors.push(createGeneratorError("SCHEMA_DRIFT", { mbox: entry.mbox, reason: [...problems].sort().join("; ") }, { file }));
  }
  return errors;
}
