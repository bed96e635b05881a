/**
 * Writing inferred schemas for `sample` and `infer`: one `<mbox>.schema.json` per mbox, merged
 * with what is there, all files or none. `--check` instead checks every offer against the
 * committed schemas and reports drift.
 */
import { existsSync } from "node:fs";
import { mkdir, rename, rm, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { buildIr, matchesType } from "../build-ir.js";
import { Diagnostics } from "../diagnostics.js";
import { createGeneratorError } from "../errors.js";
import type { MboxIr } from "../ir.js";
import { load } from "../load.js";
import { readSchemaFolder } from "./files.js";
import { inferOfferSchema, type InferOptions, type JsonSchemaObject } from "../infer/infer-schema.js";
import { renderSchemaFile, type SchemaProvenance } from "../infer/schema-file.js";

/** One mbox's offers, where they came from, and the schema inferred from them (once). */
export interface MboxOffers {
  mbox: string;
  offers: Record<string, unknown>[];
  provenance: SchemaProvenance;
  schema: JsonSchemaObject;
  /** The inference options, for what a re-run adds to a committed schema. */
  options: InferOptions;
}

/** Infers the schema of one mbox's offers and keeps it with them. */
export function createMboxOffers(mbox: string, offers: Record<string, unknown>[], provenance: SchemaProvenance, enumMax: number | undefined): MboxOffers {
  const options: InferOptions = enumMax === undefined ? {} : { enumMax };
  return { mbox, offers, provenance, schema: inferOfferSchema(offers, options), options };
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
  /** Each widening of the committed schema, with the value that forced it. */
  changes: string[];
  /** Observations that changed nothing, such as committed keys no offer carried. */
  notes: string[];
}

/**
 * Writes every mbox's schema: a new file from the inference, or the committed file (found by
 * its mbox, whatever its name) reconciled with the offers. Nothing is written if any step fails,
 * an unreadable committed schema included: it is never overwritten.
 */
export async function writeInferredSchemas(folder: string, entries: readonly MboxOffers[]): Promise<SchemaWriteReport[]> {
  const unreadable = new Diagnostics();
  const loaded = load(existsSync(folder) ? await readSchemaFolder(folder, folder) : [], unreadable);
  const reports: SchemaWriteReport[] = [];
  const updates: Array<{ path: string; text: string }> = [];
  for (const entry of entries) {
    const committed = loaded.mboxes.find((candidate) => candidate.mbox === entry.mbox);
    const file = committed?.document.path ?? schemaFileName(entry.mbox);
    unreadable.throwIfAny((error) => error.location.file === file);
    const update = renderSchemaFile({
      mbox: entry.mbox,
      inferred: entry.schema,
      offers: entry.offers,
      provenance: entry.provenance,
      existing: committed ? { document: committed.document, documents: loaded.documents } : undefined,
      options: entry.options,
    });
    reports.push({ mbox: entry.mbox, file, created: update.created, changes: update.changes, notes: update.notes });
    if (update.text !== committed?.document.text) updates.push({ path: join(folder, file), text: update.text });
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

/**
 * What an offer breaks in a schema, by the rules of the generated validators (the build-time
 * matcher over the same IR): unknown keys at the root, missing required keys, values of the wrong
 * shape. Not ajv: it ignores a property named `__proto__` and reports it as an extra key.
 */
function offerProblems(ir: MboxIr, offer: Record<string, unknown>): string[] {
  const problems: string[] = [];
  const declared = new Set(ir.attributes.map((attribute) => attribute.key));
  for (const key of Object.keys(offer)) if (!declared.has(key)) problems.push(`key ${JSON.stringify(key)} is not in the schema`);
  for (const attribute of ir.attributes) {
    if (!Object.hasOwn(offer, attribute.key)) {
      if (attribute.required) problems.push(`required key ${JSON.stringify(attribute.key)} is missing`);
      continue;
    }
    if (!matchesType(attribute.type, offer[attribute.key], ir.definitions)) {
      problems.push(`key ${JSON.stringify(attribute.key)} has a value the schema does not allow (${JSON.stringify(offer[attribute.key]).slice(0, 60)})`);
    }
  }
  return problems;
}

/** Checks every offer against the committed schemas; reports one error per mbox that drifted. */
export async function checkDrift(folder: string, entries: readonly MboxOffers[], diagnostics: Diagnostics): Promise<void> {
  // A schema that does not load is drift of the mbox it belongs to, reported below with its cause.
  const loadProblems = new Diagnostics();
  const loaded = load(existsSync(folder) ? await readSchemaFolder(folder, folder) : [], loadProblems);
  for (const entry of entries) {
    const file = join(folder, schemaFileName(entry.mbox));
    const mbox = loaded.mboxes.find((candidate) => candidate.mbox === entry.mbox);
    if (!mbox) {
      const unreadable = loadProblems.errors.find((error) => error.location.file === schemaFileName(entry.mbox));
      const reason = unreadable ? `the committed schema is invalid: ${unreadable.message}` : "there is no committed schema for it";
      diagnostics.report(createGeneratorError("SCHEMA_DRIFT", { mbox: entry.mbox, reason }, { file }, unreadable));
      continue;
    }
    const schemaProblems = new Diagnostics();
    const ir = buildIr(mbox, loaded.documents, undefined, schemaProblems);
    const invalid = schemaProblems.errors[0];
    if (invalid) {
      diagnostics.report(createGeneratorError("SCHEMA_DRIFT", { mbox: entry.mbox, reason: `the committed schema is invalid: ${invalid.message}` }, { file }, invalid));
      continue;
    }
    const problems = new Set(entry.offers.flatMap((offer) => offerProblems(ir, offer)));
    if (problems.size > 0) diagnostics.report(createGeneratorError("SCHEMA_DRIFT", { mbox: entry.mbox, reason: [...problems].sort().join("; ") }, { file }));
  }
}
