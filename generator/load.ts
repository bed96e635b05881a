/**
 * Stage 1, `load`: parses every JSON file of the schemas folder and picks the mbox schemas
 * (`*.schema.json`). Other `.json` files are there to be referenced with `$ref`.
 */
import type { Diagnostics } from "./diagnostics.js";
import { createGeneratorError } from "./errors.js";
import { locate, parseJsonDocument, type JsonDocument, type SchemaSource } from "./json-document.js";
import { describeJson, isPlainObject } from "./json-values.js";

/** One mbox schema found among the sources. */
export interface LoadedMbox {
  mbox: string;
  document: JsonDocument;
}

/** What `load` produces. */
export interface LoadedSchemas {
  /** Every parsed JSON file, by path. */
  documents: Map<string, JsonDocument>;
  /** The mbox schemas, sorted by mbox name. */
  mboxes: LoadedMbox[];
}

const MBOX_SCHEMA_SUFFIX = ".schema.json";

function baseName(path: string): string {
  return path.slice(path.lastIndexOf("/") + 1);
}

/** True when a root schema describes an object: `type: "object"`, or properties without a type. */
function describesObject(schema: Record<string, unknown>): boolean {
  if (schema.type === "object") return true;
  return schema.type === undefined && (schema.properties !== undefined || schema.$ref === undefined);
}

/** Parses the sources and finds the mboxes; reports each unusable file into `diagnostics` and goes on. */
export function load(sources: readonly SchemaSource[], diagnostics: Diagnostics): LoadedSchemas {
  const documents = new Map<string, JsonDocument>();
  const mboxes: LoadedMbox[] = [];
  const fileOfMbox = new Map<string, string>();

  for (const source of [...sources].sort((left, right) => (left.path < right.path ? -1 : left.path > right.path ? 1 : 0))) {
    const parsed = diagnostics.capture(() => parseJsonDocument(source), undefined);
    if (!parsed) continue;
    documents.set(parsed.path, parsed);
    if (!baseName(parsed.path).endsWith(MBOX_SCHEMA_SUFFIX)) continue;

    const schema = parsed.value;
    if (!isPlainObject(schema) || !describesObject(schema)) {
      const found = isPlainObject(schema) ? `type ${JSON.stringify(schema.type)}` : describeJson(schema);
      diagnostics.report(createGeneratorError("SCHEMA_ROOT_NOT_OBJECT", { found }, locate(parsed, [])));
      continue;
    }
    const declared = (schema as Record<string, unknown>)["x-mbox"];
    if (declared !== undefined && (typeof declared !== "string" || declared === "")) {
      diagnostics.report(createGeneratorError("SCHEMA_INVALID_KEYWORD", { keyword: "x-mbox", expected: "a non-empty string" }, locate(parsed, ["x-mbox"])));
      continue;
    }
    const mbox = (declared as string | undefined) ?? baseName(parsed.path).slice(0, -MBOX_SCHEMA_SUFFIX.length);
    const otherFile = fileOfMbox.get(mbox);
    if (otherFile !== undefined) {
      diagnostics.report(createGeneratorError("DUPLICATE_MBOX", { mbox, otherFile }, locate(parsed, declared === undefined ? [] : ["x-mbox"])));
      continue;
    }
    fileOfMbox.set(mbox, parsed.path);
    mboxes.push({ mbox, document: parsed });
  }
  mboxes.sort((left, right) => (left.mbox < right.mbox ? -1 : left.mbox > right.mbox ? 1 : 0));
  return { documents, mboxes };
}
