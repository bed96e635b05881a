/**
 * Stage 2, `normalize`: turns an mbox's schema into the self-contained schema that
 * json-schema-to-typescript compiles. Each rule is named in plain English and kept as data, so a
 * debug log or an error can say which rule did what. Rules never mutate their input.
 */
import type { MboxConfig } from "./config.js";
import { createGeneratorError, type GeneratorError } from "./errors.js";
import { locate, type JsonDocument } from "./json-document.js";
import { withReferencedAnnotations } from "./build-ir.js";
import type { LoadedMbox } from "./load.js";
import { resolveReference, schemaId, type SchemaAt } from "./schema-references.js";

/** The root type's name while json-schema-to-typescript runs (it mangles non-ASCII names); renamed afterwards. */
export const ROOT_TYPE_PLACEHOLDER = "MboxgenRootOfferPlaceholder";
/** Stands in for a `__proto__` key, which json-schema-to-typescript silently drops; restored afterwards. */
export const PROTO_KEY_PLACEHOLDER = "mboxgen__proto__key__7f3a9c";

type Schema = Record<string, unknown>;

/** What the rules see. */
export interface NormalizeInput {
  loaded: LoadedMbox;
  documents: ReadonlyMap<string, JsonDocument>;
  config: MboxConfig | undefined;
  errors: GeneratorError[];
}

type Rule = (schema: Schema, input: NormalizeInput) => Schema;

function isSchemaObject(value: unknown): value is Schema {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

/** Copies JSON, keeping a `__proto__` key as an own property. */
function cloneJson<Value>(value: Value): Value {
  if (Array.isArray(value)) return value.map(cloneJson) as Value;
  if (!isSchemaObject(value)) return value;
  const copy: Schema = {};
  for (const key of Object.keys(value)) {
    Object.defineProperty(copy, key, { value: cloneJson(value[key]), enumerable: true, writable: true, configurable: true });
  }
  return copy as Value;
}

// Replaces every $ref that leaves the mbox's own file by a copy of its target, recursively, so
// json-schema-to-typescript needs no file access. Refs within the mbox's file stay for it to resolve.
function inlineReferences(at: SchemaAt, input: NormalizeInput, inlining: string[]): unknown {
  const { schema } = at;
  if (Array.isArray(schema)) return schema.map((item, index) => inlineReferences({ ...at, segments: [...at.segments, String(index)], schema: item }, input, inlining));
  if (!isSchemaObject(schema)) return schema;
  const isRootFile = at.document === input.loaded.document;
  if (typeof schema.$ref === "string" && !(isRootFile && schema.$ref.startsWith("#"))) {
    const target = resolveReference(schema.$ref, at, input.documents);
    if ("code" in target) return {}; // Reported by buildIr, which resolves the same references.
    const id = schemaId(target);
    if (inlining.includes(id)) {
      input.errors.push(
        createGeneratorError("REF_UNSUPPORTED", { ref: `${schema.$ref} (recursive through another file)` }, locate(at.document, [...at.segments, "$ref"])),
      );
      return {};
    }
    const { $ref: _ref, ...siblings } = schema;
    const inlined = inlineReferences(target, input, [...inlining, id]);
    return Object.keys(siblings).length === 0 ? inlined : { allOf: [inlined], ...cloneJson(siblings) };
  }
  const copy: Schema = {};
  for (const key of Object.keys(schema)) {
    const value = inlineReferences({ ...at, segments: [...at.segments, key], schema: schema[key] }, input, inlining);
    Object.defineProperty(copy, key, { value, enumerable: true, writable: true, configurable: true });
  }
  return copy;
}

function mapProperties(schema: Schema, change: (key: string, property: unknown) => unknown): Schema {
  if (!isSchemaObject(schema.properties)) return schema;
  const properties: Schema = {};
  for (const key of Object.keys(schema.properties)) {
    Object.defineProperty(properties, key, { value: change(key, schema.properties[key]), enumerable: true, writable: true, configurable: true });
  }
  return { ...schema, properties };
}

function renameProtoKeys(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(renameProtoKeys);
  if (!isSchemaObject(value)) return value;
  const copy: Schema = {};
  for (const key of Object.keys(value)) {
    let child = renameProtoKeys(value[key]);
    if (key === "properties" && isSchemaObject(child) && Object.hasOwn(child, "__proto__")) {
      const renamed: Schema = {};
      for (const property of Object.keys(child)) renamed[property === "__proto__" ? PROTO_KEY_PLACEHOLDER : property] = child[property];
      child = renamed;
    } else if (key === "required" && Array.isArray(child)) {
      child = child.map((item) => (item === "__proto__" ? PROTO_KEY_PLACEHOLDER : item));
    }
    Object.defineProperty(copy, key, { value: child, enumerable: true, writable: true, configurable: true });
  }
  return copy;
}

/** The rules, in the order they run. */
export const normalizationRules: ReadonlyArray<readonly [name: string, rule: Rule]> = [
  [
    "inline $refs to other files",
    (schema, input) => inlineReferences({ document: input.loaded.document, segments: [], schema }, input, []) as Schema,
  ],
  [
    "let mboxgen name the root type",
    ({ title: _title, $id: _id, id: _legacyId, ...schema }) => schema,
  ],
  [
    "close the root object to its declared keys",
    ({ patternProperties: _patterns, ...schema }) => ({ ...schema, type: "object", additionalProperties: false }),
  ],
  [
    "write defaults and the config's defaults into the docs",
    (schema, input) =>
      mapProperties(schema, (key, property) => {
        if (!isSchemaObject(property)) return property;
        const annotated = withReferencedAnnotations({ document: input.loaded.document, segments: ["properties", key], schema: property }, input.documents);
        const configured = input.config?.keys?.[key];
        const hasDefault = (configured && Object.hasOwn(configured, "default")) || Object.hasOwn(annotated, "default");
        if (!hasDefault) return property;
        const value = configured && Object.hasOwn(configured, "default") ? configured.default : annotated.default;
        const description = typeof annotated.description === "string" ? `${annotated.description}\n\n` : "";
        return { ...property, description: `${description}@default ${JSON.stringify(value)}` };
      }),
  ],
  ["keep __proto__ keys, which json-schema-to-typescript drops", (schema) => renameProtoKeys(schema) as Schema],
];

/** Runs every rule; returns the schema for json-schema-to-typescript. Problems go to `input.errors`. */
export function normalize(input: NormalizeInput, onRule?: (name: string) => void): Schema {
  let schema = cloneJson(input.loaded.document.value) as Schema;
  for (const [ruleName, rule] of normalizationRules) {
    onRule?.(ruleName);
    schema = rule(schema, input);
  }
  return schema;
}
