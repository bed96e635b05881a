/**
 * Writing an inferred schema as a `<mbox>.schema.json` that `generate` consumes unchanged, merged
 * with the file already there: what a person wrote (description, default, deprecated, title,
 * examples, $comment) is kept, and every difference is reported as a change.
 */
import type { JsonSchemaObject } from "./infer-schema.js";
import { typesOf } from "./infer-schema.js";
import { isPlainObject as isObject, setOwnProperty } from "../json-values.js";

/** The draft written schemas declare. */
export const SCHEMA_DRAFT = "https://json-schema.org/draft/2020-12/schema";

/** Keywords a person may have written and a re-run keeps. */
const KEPT_ANNOTATIONS = ["title", "description", "default", "deprecated", "examples", "$comment"];

/** Where an inferred schema came from, recorded under `x-mboxgen`. */
export interface SchemaProvenance {
  source: "sample" | "artifact";
  /** How many offers it was inferred from. */
  samples: number;
  /** Experiences seen, as `<activity id>:<experience id>`, sorted. */
  experiences: string[];
  /** For sampling: whether every experience was reached. */
  coverage?: "complete" | "partial";
}

function describeTypes(types: string[]): string {
  return types.length === 0 ? "any" : types.join(" | ");
}

// Copies the annotations of `existing` onto `inferred`, recursively through properties and items,
// and records what changed in `changes`.
function mergeAnnotations(inferred: JsonSchemaObject, existing: JsonSchemaObject | undefined, path: string, changes: string[]): JsonSchemaObject {
  if (!existing) return inferred;
  const merged: JsonSchemaObject = {};
  for (const keyword of KEPT_ANNOTATIONS) if (Object.hasOwn(existing, keyword)) merged[keyword] = existing[keyword];
  for (const key of Object.keys(inferred)) {
    if (key === "description" && Object.hasOwn(merged, "description")) continue;
    merged[key] = inferred[key];
  }
  const before = typesOf(existing);
  const after = typesOf(inferred);
  if (path !== "" && before.length > 0 && before.join() !== after.join()) {
    const widened = before.every((type) => after.includes(type) || (type === "integer" && after.includes("number")));
    const narrowed = after.every((type) => before.includes(type) || (type === "integer" && before.includes("number")));
    const verb = widened ? "widened" : narrowed ? "narrowed" : "changed";
    changes.push(`${path}: type ${verb} from ${describeTypes(before)} to ${describeTypes(after)}`);
  }

  const inferredProperties = isObject(inferred.properties) ? inferred.properties : undefined;
  const existingProperties = isObject(existing.properties) ? existing.properties : {};
  if (inferredProperties) {
    const properties: JsonSchemaObject = {};
    for (const key of Object.keys(inferredProperties)) {
      const childPath = `${path}/${key}`;
      if (!Object.hasOwn(existingProperties, key)) changes.push(`${childPath}: key added (${describeTypes(typesOf(inferredProperties[key] as JsonSchemaObject))})`);
      const child = mergeAnnotations(inferredProperties[key] as JsonSchemaObject, existingProperties[key] as JsonSchemaObject | undefined, childPath, changes);
      setOwnProperty(properties, key, child);
    }
    for (const key of Object.keys(existingProperties)) {
      if (!Object.hasOwn(inferredProperties, key)) changes.push(`${path}/${key}: key removed`);
    }
    merged.properties = properties;
    const requiredBefore = new Set(Array.isArray(existing.required) ? (existing.required as string[]) : []);
    const requiredAfter = new Set(Array.isArray(inferred.required) ? (inferred.required as string[]) : []);
    for (const key of Object.keys(inferredProperties)) {
      if (!Object.hasOwn(existingProperties, key)) continue;
      if (requiredBefore.has(key) && !requiredAfter.has(key)) changes.push(`${path}/${key}: now optional (missing from some offers)`);
      if (!requiredBefore.has(key) && requiredAfter.has(key)) changes.push(`${path}/${key}: now required (present in every offer)`);
    }
  }
  if (isObject(inferred.items)) merged.items = mergeAnnotations(inferred.items, isObject(existing.items) ? existing.items : undefined, `${path}/[]`, changes);
  return merged;
}

/** A schema file's new text and what changed against the old one. */
export interface SchemaFileUpdate {
  text: string;
  changes: string[];
  created: boolean;
}

/**
 * The `<mbox>.schema.json` text for an inferred offer schema: `$schema`, `x-mbox`, `x-mboxgen`
 * provenance, then the schema, merged with `existingText` when there is one.
 */
export function renderSchemaFile(mbox: string, inferred: JsonSchemaObject, provenance: SchemaProvenance, existingText: string | undefined): SchemaFileUpdate {
  let existing: JsonSchemaObject | undefined;
  if (existingText !== undefined) {
    try {
      const parsed: unknown = JSON.parse(existingText);
      if (isObject(parsed)) existing = parsed;
    } catch {
      existing = undefined;
    }
  }
  const changes: string[] = [];
  const merged = mergeAnnotations(inferred, existing, "", changes);
  const { title, description, ...body } = merged;
  const document: JsonSchemaObject = {
    $schema: SCHEMA_DRAFT,
    "x-mbox": mbox,
    "x-mboxgen": provenance,
    ...(title === undefined ? {} : { title }),
    ...(description === undefined ? {} : { description }),
    ...body,
  };
  return { text: `${JSON.stringify(document, null, 2)}\n`, changes, created: existing === undefined };
}
