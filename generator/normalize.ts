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
import { isPlainObject as isSchemaObject, setOwnProperty } from "./json-values.js";

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

/** Copies JSON, keeping a `__proto__` key as an own property. */
function cloneJson<Value>(value: Value): Value {
  if (Array.isArray(value)) return value.map(cloneJson) as Value;
  if (!isSchemaObject(value)) return value;
  const copy: Schema = {};
  for (const key of Object.keys(value)) {
    setOwnProperty(copy, key, cloneJson(value[key]));
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
    setOwnProperty(copy, key, value);
  }
  return copy;
}

function mapProperties(schema: Schema, change: (key: string, property: unknown) => unknown): Schema {
  if (!isSchemaObject(schema.properties)) return schema;
  const properties: Schema = {};
  for (const key of Object.keys(schema.properties)) {
    setOwnProperty(properties, key, change(key, schema.properties[key]));
  }
  return { ...schema, properties };
}

const SCHEMA_MAP_KEYWORDS = ["properties", "$defs", "definitions"];
const SCHEMA_KEYWORDS = ["items", "additionalProperties"];
const SCHEMA_LIST_KEYWORDS = ["anyOf", "oneOf", "allOf"];

/** Applies `change` to every subschema, depth first, then to the schema itself: schema positions only. */
function mapSchemas(schema: unknown, change: (schema: Schema) => Schema): unknown {
  if (!isSchemaObject(schema)) return schema;
  const copy: Schema = { ...schema };
  for (const keyword of SCHEMA_MAP_KEYWORDS) {
    const map = copy[keyword];
    if (!isSchemaObject(map)) continue;
    const mapped: Schema = {};
    for (const key of Object.keys(map)) {
      setOwnProperty(mapped, key, mapSchemas(map[key], change));
    }
    copy[keyword] = mapped;
  }
  for (const keyword of SCHEMA_KEYWORDS) if (isSchemaObject(copy[keyword])) copy[keyword] = mapSchemas(copy[keyword], change);
  for (const keyword of SCHEMA_LIST_KEYWORDS) {
    const list = copy[keyword];
    if (Array.isArray(list)) copy[keyword] = list.map((member) => mapSchemas(member, change));
  }
  return change(copy);
}

// json-schema-to-typescript drops a property named `__proto__`: rename it, restore it in its output.
function renameProtoKey(schema: Schema): Schema {
  const properties = schema.properties;
  if (!isSchemaObject(properties) || !Object.hasOwn(properties, "__proto__")) return schema;
  const renamed: Schema = {};
  for (const key of Object.keys(properties)) renamed[key === "__proto__" ? PROTO_KEY_PLACEHOLDER : key] = properties[key];
  const required = Array.isArray(schema.required) ? schema.required.map((key) => (key === "__proto__" ? PROTO_KEY_PLACEHOLDER : key)) : schema.required;
  return { ...schema, properties: renamed, ...(required === undefined ? {} : { required }) };
}

// json-schema-to-typescript writes `@deprecated` first, so the description reads as the tag's text.
function moveDeprecation(schema: Schema): Schema {
  if (schema.deprecated !== true) return schema;
  const { deprecated: _deprecated, ...rest } = schema;
  return { ...rest, description: `${typeof rest.description === "string" ? `${rest.description}\n\n` : ""}@deprecated` };
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
  ["put @deprecated after the description, where json-schema-to-typescript puts it before", (schema) => mapSchemas(schema, moveDeprecation) as Schema],
  ["keep __proto__ keys, which json-schema-to-typescript drops", (schema) => mapSchemas(schema, renameProtoKey) as Schema],
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
