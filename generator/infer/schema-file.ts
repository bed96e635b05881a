/**
 * Writing an inferred schema as a `<mbox>.schema.json` that `generate` consumes unchanged. A new
 * file gets the inferred schema; an existing one is reconciled with the offers (reconcile.ts), so
 * that nothing a person wrote is lost and every widening is reported.
 */
import type { JsonDocument } from "../json-document.js";
import { isPlainObject } from "../json-values.js";
import type { InferOptions, JsonSchemaObject } from "./infer-schema.js";
import { reconcileSchema } from "./reconcile.js";

/** The draft written schemas declare. */
export const SCHEMA_DRAFT = "https://json-schema.org/draft/2020-12/schema";

/** Where an inferred schema came from, recorded under `x-mboxgen`. */
export interface SchemaProvenance {
  source: "sample" | "artifact" | "admin";
  /** How many offers it was inferred from. */
  samples: number;
  /** Experiences seen, as `<activity id>:<experience id>`, sorted. */
  experiences: string[];
  /** For sampling: whether every experience was reached. */
  coverage?: "complete" | "partial";
}

/** What `renderSchemaFile` needs. */
export interface SchemaFileInput {
  mbox: string;
  /** The schema inferred from `offers` (used for a new file). */
  inferred: JsonSchemaObject;
  /** The offers of this run. */
  offers: readonly Record<string, unknown>[];
  provenance: SchemaProvenance;
  /** The committed file and the schema folder's documents (for its `$ref`s), when there is one. */
  existing?: { document: JsonDocument; documents: ReadonlyMap<string, JsonDocument> } | undefined;
  /** Inference options for what a re-run adds (keys, types, alternatives). */
  options?: InferOptions;
}

/** A schema file's new text and what changed against the old one. */
export interface SchemaFileUpdate {
  text: string;
  /** Each widening of the committed schema, with the value that forced it. */
  changes: string[];
  /** Observations that changed nothing (committed keys no offer carried). */
  notes: string[];
  created: boolean;
}

/**
 * The `<mbox>.schema.json` text: for a new file `$schema`, `x-mbox`, `x-mboxgen` provenance and
 * the inferred schema; for a committed one, its text unchanged when every offer satisfies it, else
 * the reconciled schema with its own keys in its own order and the provenance updated.
 */
export function renderSchemaFile(input: SchemaFileInput): SchemaFileUpdate {
  const existing = input.existing;
  if (!existing || !isPlainObject(existing.document.value)) {
    const { title, description, ...body } = input.inferred;
    const document: JsonSchemaObject = {
      $schema: SCHEMA_DRAFT,
      "x-mbox": input.mbox,
      "x-mboxgen": input.provenance,
      ...(title === undefined ? {} : { title }),
      ...(description === undefined ? {} : { description }),
      ...body,
    };
    return { text: `${JSON.stringify(document, null, 2)}\n`, changes: [], notes: [], created: true };
  }
  const reconciled = reconcileSchema(existing.document, existing.documents, input.offers, input.options);
  if (reconciled.schema === existing.document.value) return { text: existing.document.text, changes: [], notes: reconciled.notes, created: false };
  const schema = reconciled.schema as JsonSchemaObject;
  const document: JsonSchemaObject = Object.hasOwn(schema, "x-mboxgen") ? { ...schema, "x-mboxgen": input.provenance } : { "x-mboxgen": input.provenance, ...schema };
  return { text: `${JSON.stringify(document, null, 2)}\n`, changes: reconciled.changes, notes: reconciled.notes, created: false };
}
