/**
 * Stage 4, `buildIr`: one MboxIr per mbox schema, the one reading of the schema that types,
 * validators, defaults and docs all come from. Reads JSON Schema as the specification does (each
 * keyword constrains values of its own JSON type only, `$ref` siblings by draft, `oneOf` as
 * exactly one), follows `$ref` among the loaded files, and rejects with file and JSON pointer what
 * mboxgen does not implement: a keyword is implemented or it is an error, never ignored.
 */
import { isMultipleOf } from "@mboxgen/runtime";
import type { MboxConfig } from "./config.js";
import { closestMatch } from "./did-you-mean.js";
import { Diagnostics } from "./diagnostics.js";
import { createGeneratorError, GeneratorError } from "./errors.js";
import { type AttributeIr, type DefinitionIr, type DocsIr, type JsonTypeName, type JsonValue, type MboxIr, type PropertyIr, type TypeIr } from "./ir.js";
import { locate, type JsonDocument } from "./json-document.js";
import { describeJson, isPlainObject as isSchemaObject, jsonKey, nestsDeeperThan, uniqueJsonValues } from "./json-values.js";
import type { LoadedMbox } from "./load.js";
import { reduceRings } from "./rings.js";
import { resolveReference, schemaId, type SchemaAt } from "./schema-references.js";

/** Keywords that change what a value may be and that mboxgen does not implement: each is a SCHEMA_UNSUPPORTED_KEYWORD error. */
export const UNSUPPORTED_KEYWORDS: readonly string[] = [
  "not",
  "if",
  "then",
  "else",
  "dependentSchemas",
  "dependentRequired",
  "dependencies",
  "patternProperties",
  "propertyNames",
  "unevaluatedProperties",
  "unevaluatedItems",
  "contains",
  "minContains",
  "maxContains",
  "prefixItems",
  "$dynamicRef",
  "$recursiveRef",
  // json-schema-to-typescript extensions that put schema text into TypeScript as code.
  "tsType",
  "tsEnumNames",
];

/** Keywords that only annotate: a `$ref` beside them is fine in every draft. */
const ANNOTATION_KEYWORDS = new Set([
  "$schema",
  "$id",
  "$anchor",
  "$dynamicAnchor",
  "$comment",
  "$defs",
  "definitions",
  "$vocabulary",
  "title",
  "description",
  "default",
  "examples",
  "deprecated",
  "readOnly",
  "writeOnly",
  "format",
  "contentMediaType",
  "contentEncoding",
  "contentSchema",
  "x-mbox",
]);

/** Keywords that constrain values of one JSON type, and that type: they leave other types free. */
const KEYWORDS_BY_TYPE: ReadonlyArray<[JsonTypeName, readonly string[]]> = [
  ["string", ["minLength", "maxLength", "pattern"]],
  ["number", ["minimum", "maximum", "exclusiveMinimum", "exclusiveMaximum", "multipleOf"]],
  ["object", ["properties", "required", "additionalProperties", "minProperties", "maxProperties"]],
  ["array", ["items", "minItems", "maxItems", "uniqueItems"]],
];

const TYPE_NAMES = new Set(["string", "number", "integer", "boolean", "null", "object", "array"]);

/** JSON Schema drafts by what mboxgen reads differently: draft-07 and before ignore `$ref` siblings. */
export type Draft = "draft-07" | "2020-12";

type Schema = Record<string, unknown>;

function child(at: SchemaAt, ...segments: string[]): SchemaAt {
  let schema: unknown = at.schema;
  for (const segment of segments) schema = (schema as Schema)[segment];
  return { document: at.document, segments: [...at.segments, ...segments], schema };
}

/**
 * The dialects mboxgen reads, by meta-schema URI (a trailing `#` is the same URI). Any other
 * `$schema` (draft-04 or -06, 2019-09, a custom meta-schema or vocabulary, a typo) is an error:
 * read as one of these, its keywords could mean something else without anyone noticing.
 */
export const DIALECTS: ReadonlyMap<string, Draft> = new Map([
  ["https://json-schema.org/draft/2020-12/schema", "2020-12"],
  ["http://json-schema.org/draft-07/schema", "draft-07"],
  ["https://json-schema.org/draft-07/schema", "draft-07"],
]);

/** The draft a `$schema` value names, or `undefined` for one mboxgen does not read. */
export function dialectOf(uri: unknown): Draft | undefined {
  return typeof uri === "string" ? DIALECTS.get(uri.endsWith("#") ? uri.slice(0, -1) : uri) : undefined;
}

/** The JSDoc-worthy annotations of a schema. */
export function docsOf(schema: unknown): DocsIr {
  const docs: DocsIr = {};
  if (!isSchemaObject(schema)) return docs;
  if (typeof schema.title === "string") docs.title = schema.title;
  if (typeof schema.description === "string") docs.description = schema.description;
  if (schema.deprecated === true) docs.deprecated = true;
  if (Object.hasOwn(schema, "default")) docs.default = { value: schema.default as JsonValue };
  if (Array.isArray(schema.examples) && schema.examples.length > 0) docs.examples = schema.examples as JsonValue[];
  if (typeof schema.format === "string") docs.format = schema.format;
  return docs;
}

// What to name a definition's type after: its title, else its pointer's last name, else its file.
function nameHintOf(at: SchemaAt): string {
  if (isSchemaObject(at.schema) && typeof at.schema.title === "string" && at.schema.title.trim() !== "") return at.schema.title;
  // A keyword is no name, except as the name of a definition or a property (`$defs/items`, `properties/allOf`).
  const named = [...at.segments].reverse().find((segment, index, reversed) => {
    const parent = reversed[index + 1];
    if (parent === "$defs" || parent === "definitions" || parent === "properties") return true;
    return !/^\d+$/.test(segment) && !["$defs", "definitions", "properties", "items", "additionalProperties", "allOf", "anyOf", "oneOf"].includes(segment);
  });
  if (named !== undefined) return named;
  const file = at.document.path.slice(at.document.path.lastIndexOf("/") + 1);
  return file.replace(/(\.schema)?\.json$/, "");
}

/**
 * How deep a schema may nest (objects, arrays and combinators; each `$ref` target counts from its
 * own top), and how deep a value in it (`const`, `enum`, `default`, `examples`). Every stage after this one recurses
 * over what it builds; a limit far beyond any real offer keeps a hostile or runaway schema a clear
 * error instead of a stack overflow.
 */
export const MAX_DEPTH = 200;

/** Builds TypeIr for one mbox, reporting every problem and going on (an `any` stands in for what failed). */
class TypeBuilder {
  readonly definitions = new Map<string, DefinitionIr>();
  #depth = 0;
  #reportedTooDeep = false;
  /** Definitions registered by a `$ref` (or a title) and not built yet, in the order they were met. */
  readonly #unbuilt: Array<[DefinitionIr, SchemaAt]> = [];

  constructor(
    private readonly documents: ReadonlyMap<string, JsonDocument>,
    readonly diagnostics: Diagnostics,
  ) {}

  readonly #drafts = new Map<JsonDocument, Draft>();

  /** The draft a document is written in: its `$schema`, else 2020-12; an unknown `$schema` is reported once per document. */
  draftOf(document: JsonDocument): Draft {
    let draft = this.#drafts.get(document);
    if (draft !== undefined) return draft;
    const declared = isSchemaObject(document.value) && Object.hasOwn(document.value, "$schema") ? document.value.$schema : undefined;
    draft = declared === undefined ? "2020-12" : dialectOf(declared);
    if (draft === undefined) {
      const at: SchemaAt = { document, segments: [], schema: document.value };
      if (typeof declared !== "string") this.invalid(at, "$schema", "the URI of a meta-schema");
      else {
        // Another official draft is no typo: the fix says which draft to name instead.
        const isOtherDraft = /json-schema\.org\/(draft-0\d|draft\/\d{4}-\d\d)\/schema#?$/.test(declared);
        const nearest = isOtherDraft ? undefined : closestMatch(declared.replace(/#$/, ""), DIALECTS.keys());
        this.fail(at, ["$schema"], (location) => createGeneratorError("SCHEMA_UNKNOWN_DIALECT", { uri: declared, nearest }, location));
      }
      draft = "2020-12";
    }
    this.#drafts.set(document, draft);
    return draft;
  }

  fail(at: SchemaAt, extra: string[], error: (location: ReturnType<typeof locate>) => GeneratorError): TypeIr {
    this.diagnostics.report(error(locate(at.document, [...at.segments, ...extra])));
    return { kind: "any" };
  }

  invalid(at: SchemaAt, keyword: string, expected: string): TypeIr {
    return this.fail(at, [keyword], (location) => createGeneratorError("SCHEMA_INVALID_KEYWORD", { keyword, expected }, location));
  }

  // A keyword that must be a non-negative integer (lengths, counts) or any number (bounds).
  number(at: SchemaAt, keyword: string, kind: "count" | "bound" | "positive" = "bound"): number | undefined {
    const value = (at.schema as Schema)[keyword];
    if (value === undefined) return undefined;
    const valid = typeof value === "number" && Number.isFinite(value) && (kind === "bound" || (kind === "count" ? Number.isInteger(value) && value >= 0 : value > 0));
    if (!valid) {
      this.invalid(at, keyword, kind === "count" ? "a non-negative integer" : kind === "positive" ? "a number greater than 0" : "a number");
      return undefined;
    }
    return value as number;
  }

  build(at: SchemaAt): TypeIr {
    const schema = at.schema;
    // A titled schema inside another becomes a named type, as its title says (not the root: the offer).
    if (at.segments.length > 0 && isSchemaObject(schema) && typeof schema.title === "string" && schema.title.trim() !== "" && !this.definitions.has(schemaId(at))) {
      return this.definitionAt(at);
    }
    return this.buildShape(at);
  }

  // The shape of a schema, without making it a named type; never deeper than MAX_DEPTH.
  buildShape(at: SchemaAt): TypeIr {
    if (this.#depth >= MAX_DEPTH) {
      // Reported once: every level above the limit is the same problem.
      if (this.#reportedTooDeep) return { kind: "any" };
      this.#reportedTooDeep = true;
      return this.fail(at, [], (location) => createGeneratorError("SCHEMA_TOO_DEEP", { what: "schema", limit: MAX_DEPTH }, location));
    }
    this.#depth += 1;
    try {
      return this.shapeOf(at);
    } finally {
      this.#depth -= 1;
    }
  }

  private shapeOf(at: SchemaAt): TypeIr {
    const schema = at.schema;
    if (schema === true) return { kind: "any" };
    if (schema === false) return { kind: "never" };
    if (!isSchemaObject(schema)) {
      return this.fail(at, [], (location) => createGeneratorError("SCHEMA_NOT_AN_OBJECT", { found: describeJson(schema) }, location));
    }
    this.checkKeywords(at, UNSUPPORTED_KEYWORDS);
    const draft = this.draftOf(at.document);
    // A $schema inside a schema would switch the dialect of that part.
    if (at.segments.length > 0 && Object.hasOwn(schema, "$schema") && dialectOf(schema.$schema) !== draft) {
      this.fail(at, ["$schema"], (location) => createGeneratorError("SCHEMA_UNSUPPORTED_KEYWORD", { keyword: "$schema (inside a schema, naming another dialect)" }, location));
    }
    // An $id inside a schema starts a resource whose $refs resolve against it, which mboxgen does not do.
    if (at.segments.length > 0 && Object.hasOwn(schema, "$id")) {
      this.fail(at, ["$id"], (location) => createGeneratorError("SCHEMA_UNSUPPORTED_KEYWORD", { keyword: "$id (inside a schema)" }, location));
    }
    if (Array.isArray(schema.items)) {
      this.fail(at, ["items"], (location) => createGeneratorError("SCHEMA_UNSUPPORTED_KEYWORD", { keyword: "items (as an array of tuple schemas)" }, location));
    }

    if (schema.$ref !== undefined && draft === "draft-07") {
      // Draft-07 ignores what stands beside a $ref; validators such as ajv apply it. Neither reading is
      // safe to pick silently.
      const siblings = Object.keys(schema).filter((keyword) => keyword !== "$ref" && !ANNOTATION_KEYWORDS.has(keyword) && !keyword.startsWith("x-"));
      if (siblings.length > 0) {
        return this.fail(at, ["$ref"], (location) => createGeneratorError("SCHEMA_REF_SIBLINGS", { keywords: siblings }, location));
      }
      return this.reference(at);
    }

    for (const keyword of ["const", "enum", "default", "examples"]) {
      if (Object.hasOwn(schema, keyword) && nestsDeeperThan(schema[keyword], MAX_DEPTH + 1)) {
        return this.fail(at, [keyword], (location) => createGeneratorError("SCHEMA_TOO_DEEP", { what: "value", limit: MAX_DEPTH }, location));
      }
    }
    const parts: TypeIr[] = [];
    if (schema.$ref !== undefined) parts.push(this.reference(at));
    if (Object.hasOwn(schema, "const")) parts.push({ kind: "literal", values: [schema.const as JsonValue] });
    if (schema.enum !== undefined) {
      // An empty enum is a valid schema that no value satisfies.
      if (!Array.isArray(schema.enum)) parts.push(this.invalid(at, "enum", "an array"));
      else parts.push(schema.enum.length === 0 ? { kind: "never" } : { kind: "literal", values: schema.enum as JsonValue[] });
    }
    const typed = this.typed(at);
    if (typed) parts.push(typed);
    for (const keyword of ["allOf", "anyOf", "oneOf"] as const) {
      const members = schema[keyword];
      if (members === undefined) continue;
      if (!Array.isArray(members) || members.length === 0) {
        parts.push(this.invalid(at, keyword, "a non-empty array of schemas"));
        continue;
      }
      const built = members.map((_, index) => this.build(child(at, keyword, String(index))));
      parts.push({ kind: keyword, members: built });
    }
    if (parts.length === 0) return { kind: "any" };
    return parts.length === 1 ? parts[0]! : { kind: "allOf", members: parts };
  }

  checkKeywords(at: SchemaAt, keywords: readonly string[]): void {
    for (const keyword of keywords) {
      if (Object.hasOwn(at.schema as Schema, keyword)) {
        this.fail(at, [keyword], (location) => createGeneratorError("SCHEMA_UNSUPPORTED_KEYWORD", { keyword }, location));
      }
    }
  }

  reference(at: SchemaAt): TypeIr {
    const ref = (at.schema as Schema).$ref;
    if (typeof ref !== "string") return this.invalid(at, "$ref", "a string");
    const target = this.diagnostics.capture(() => resolveReference(ref, at, this.documents), undefined);
    return target ? this.definitionAt(target) : { kind: "any" };
  }

  // A reference to the named type of the schema at `target`, built once, later (buildDefinitions):
  // a chain of $refs then never nests the builder, however long it is.
  definitionAt(target: SchemaAt): TypeIr {
    const id = schemaId(target);
    if (!this.definitions.has(id)) {
      // Registered before building, so a recursive reference finds it and stops.
      const definition: DefinitionIr = { type: { kind: "any" }, docs: docsOf(target.schema), nameHint: nameHintOf(target), typeName: "" };
      this.definitions.set(id, definition);
      this.#unbuilt.push([definition, target]);
    }
    return { kind: "ref", id };
  }

  /**
   * Builds every definition referenced so far, and those they reference, each from the top; then
   * reduces the `$ref` rings among them that never reach a nested value (rings.ts), or refuses them.
   */
  buildDefinitions(): void {
    // An array's iterator reads its length at every step: definitions registered while building
    // one are appended and built in this same loop.
    for (const [definition, target] of this.#unbuilt) definition.type = this.buildShape(target);
    const built = new Map(this.#unbuilt.map(([, target]) => [schemaId(target), target]));
    this.#unbuilt.length = 0;
    const { types, problems } = reduceRings(this.definitions, [...built.keys()]);
    for (const [id, type] of types) this.definitions.get(id)!.type = type;
    for (const { ring, reason, component } of problems) {
      const first = built.get(ring[0]!)!;
      // What is refused stands for any value, so that later stages meet no ring.
      for (const id of component) this.definitions.get(id)!.type = { kind: "any" };
      const shown = ring.map((id) => (id.startsWith(`${first.document.path}#`) ? id.slice(first.document.path.length) : id));
      this.fail(first, [], (location) => createGeneratorError("SCHEMA_REF_RING", { ring: shown, reason }, location));
    }
  }

  /**
   * The `type` keyword with the keywords of each JSON type. Without `type`, each group of keywords
   * constrains values of its type and leaves every other value free.
   */
  typed(at: SchemaAt): TypeIr | undefined {
    const schema = at.schema as Schema;
    if (schema.type === undefined) {
      const constrained = KEYWORDS_BY_TYPE.filter(([, keywords]) => keywords.some((keyword) => Object.hasOwn(schema, keyword))).map(([type]) => type);
      if (constrained.length === 0) return undefined;
      const members = constrained.map((type) => this.ofType(at, type));
      return { kind: "anyOf", members: [...members, { kind: "otherThan", types: constrained }] };
    }
    let types: string[];
    if (typeof schema.type === "string") types = [schema.type];
    else if (Array.isArray(schema.type) && schema.type.length > 0 && schema.type.every((type) => typeof type === "string")) types = schema.type as string[];
    else return this.invalid(at, "type", "a type name or a non-empty array of type names");
    const members: TypeIr[] = [];
    for (const type of types) {
      if (!TYPE_NAMES.has(type)) {
        members.push(this.fail(at, ["type"], (location) => createGeneratorError("SCHEMA_UNKNOWN_TYPE", { type }, location)));
        continue;
      }
      members.push(this.ofType(at, type));
    }
    return members.length === 1 ? members[0] : { kind: "anyOf", members };
  }

  ofType(at: SchemaAt, type: string): TypeIr {
    const schema = at.schema as Schema;
    switch (type) {
      case "string": {
        const result: TypeIr = { kind: "string" };
        const minLength = this.number(at, "minLength", "count");
        const maxLength = this.number(at, "maxLength", "count");
        if (minLength !== undefined) result.minLength = minLength;
        if (maxLength !== undefined) result.maxLength = maxLength;
        if (schema.pattern !== undefined) {
          try {
            if (typeof schema.pattern !== "string") throw new TypeError("not a string");
            new RegExp(schema.pattern, "u");
            result.pattern = schema.pattern;
          } catch {
            this.invalid(at, "pattern", "a regular expression (ECMAScript, u flag)");
          }
        }
        return result;
      }
      case "number":
      case "integer": {
        const result: TypeIr = { kind: "number", integer: type === "integer" };
        const minimum = this.number(at, "minimum");
        const maximum = this.number(at, "maximum");
        // Draft-04 wrote exclusiveness as a boolean beside minimum and maximum.
        const exclusive = (keyword: "exclusiveMinimum" | "exclusiveMaximum") => {
          const value = schema[keyword];
          if (value === undefined || typeof value === "boolean") return value === true;
          return this.number(at, keyword);
        };
        const exclusiveMinimum = exclusive("exclusiveMinimum");
        const exclusiveMaximum = exclusive("exclusiveMaximum");
        if (minimum !== undefined) result[exclusiveMinimum === true ? "exclusiveMinimum" : "minimum"] = minimum;
        if (maximum !== undefined) result[exclusiveMaximum === true ? "exclusiveMaximum" : "maximum"] = maximum;
        if (typeof exclusiveMinimum === "number") result.exclusiveMinimum = Math.max(exclusiveMinimum, result.exclusiveMinimum ?? -Infinity);
        if (typeof exclusiveMaximum === "number") result.exclusiveMaximum = Math.min(exclusiveMaximum, result.exclusiveMaximum ?? Infinity);
        const multipleOf = this.number(at, "multipleOf", "positive");
        if (multipleOf !== undefined) result.multipleOf = multipleOf;
        return result;
      }
      case "boolean":
        return { kind: "boolean" };
      case "null":
        return { kind: "null" };
      case "array": {
        const items = schema.items === undefined || Array.isArray(schema.items) ? ({ kind: "any" } as TypeIr) : this.build(child(at, "items"));
        const result: TypeIr = { kind: "array", items };
        const minItems = this.number(at, "minItems", "count");
        const maxItems = this.number(at, "maxItems", "count");
        if (minItems !== undefined) result.minItems = minItems;
        if (maxItems !== undefined) result.maxItems = maxItems;
        if (schema.uniqueItems !== undefined && typeof schema.uniqueItems !== "boolean") this.invalid(at, "uniqueItems", "a boolean");
        else if (schema.uniqueItems === true) result.uniqueItems = true;
        return result;
      }
      default:
        return this.object(at);
    }
  }

  object(at: SchemaAt): TypeIr & { kind: "object" } {
    const schema = at.schema as Schema;
    const required = this.required(at);
    const properties: PropertyIr[] = [];
    if (schema.properties !== undefined) {
      if (!isSchemaObject(schema.properties)) {
        this.invalid(at, "properties", "an object of schemas");
      } else {
        for (const key of Object.keys(schema.properties)) {
          const property = child(at, "properties", key);
          properties.push({ key, required: required.has(key), declared: true, type: this.build(property), docs: docsOf(withReferencedAnnotations(property, this.documents)) });
        }
      }
    }
    const additional = schema.additionalProperties;
    let additionalType: TypeIr | "any" | "none" = "any";
    if (additional === false) additionalType = "none";
    else if (additional !== undefined && additional !== true) additionalType = this.build(child(at, "additionalProperties"));
    // A required key that `properties` does not declare: present, and valued as any other undeclared key.
    const declared = new Set(properties.map((property) => property.key));
    for (const key of required) {
      if (declared.has(key)) continue;
      const type: TypeIr = additionalType === "any" ? { kind: "any" } : additionalType === "none" ? { kind: "never" } : additionalType;
      properties.push({ key, required: true, declared: false, type, docs: {} });
    }
    const result: TypeIr & { kind: "object" } = { kind: "object", properties, additional: additionalType };
    const minProperties = this.number(at, "minProperties", "count");
    const maxProperties = this.number(at, "maxProperties", "count");
    if (minProperties !== undefined) result.minProperties = minProperties;
    if (maxProperties !== undefined) result.maxProperties = maxProperties;
    return result;
  }

  required(at: SchemaAt): Set<string> {
    const required = (at.schema as Schema).required;
    if (required === undefined) return new Set();
    if (!Array.isArray(required) || !required.every((key) => typeof key === "string")) {
      this.invalid(at, "required", "an array of key names");
      return new Set();
    }
    return new Set(required as string[]);
  }
}

/** The JSON type of a JSON value. */
export function jsonTypeOf(value: unknown): JsonTypeName {
  if (value === null) return "null";
  if (Array.isArray(value)) return "array";
  return typeof value as "string" | "number" | "boolean" | "object";
}

/** The number of code points of a string: JSON Schema counts those, not UTF-16 units. */
function codePoints(text: string): number {
  let count = 0;
  for (const _ of text) count += 1;
  return count;
}

const literalKeySets = new WeakMap<TypeIr, Set<string>>();

// The keys of a literal type's values, computed once per node: membership is then one lookup.
function literalKeys(type: TypeIr & { kind: "literal" }): Set<string> {
  let keys = literalKeySets.get(type);
  if (keys === undefined) literalKeySets.set(type, (keys = new Set(type.values.map(jsonKey))));
  return keys;
}

/** True when `value` has the shape `type` describes. The build-time twin of the generated validators. */
export function matchesType(type: TypeIr, value: unknown, definitions: ReadonlyMap<string, DefinitionIr>): boolean {
  switch (type.kind) {
    case "any":
      return true;
    case "never":
      return false;
    case "string":
      return (
        typeof value === "string" &&
        (type.minLength === undefined || codePoints(value) >= type.minLength) &&
        (type.maxLength === undefined || codePoints(value) <= type.maxLength) &&
        (type.pattern === undefined || new RegExp(type.pattern, "u").test(value))
      );
    case "number":
      return (
        typeof value === "number" &&
        (!type.integer || Number.isInteger(value)) &&
        (type.minimum === undefined || value >= type.minimum) &&
        (type.maximum === undefined || value <= type.maximum) &&
        (type.exclusiveMinimum === undefined || value > type.exclusiveMinimum) &&
        (type.exclusiveMaximum === undefined || value < type.exclusiveMaximum) &&
        (type.multipleOf === undefined || isMultipleOf(value, type.multipleOf))
      );
    case "boolean":
      return typeof value === "boolean";
    case "null":
      return value === null;
    case "literal":
      return literalKeys(type).has(jsonKey(value));
    case "array":
      return (
        Array.isArray(value) &&
        (type.minItems === undefined || value.length >= type.minItems) &&
        (type.maxItems === undefined || value.length <= type.maxItems) &&
        (!type.uniqueItems || uniqueJsonValues(value).length === value.length) &&
        value.every((item) => matchesType(type.items, item, definitions))
      );
    case "object": {
      if (typeof value !== "object" || value === null || Array.isArray(value)) return false;
      const record = value as Record<string, unknown>;
      const keys = Object.keys(record);
      const declared = new Set(type.properties.filter((property) => property.declared).map((property) => property.key));
      return (
        (type.minProperties === undefined || keys.length >= type.minProperties) &&
        (type.maxProperties === undefined || keys.length <= type.maxProperties) &&
        type.properties.every((property) =>
          Object.hasOwn(record, property.key) ? !property.declared || matchesType(property.type, record[property.key], definitions) : !property.required,
        ) &&
        keys.every(
          (key) =>
            declared.has(key) ||
            type.additional === "any" ||
            (type.additional !== "none" && matchesType(type.additional, record[key], definitions)),
        )
      );
    }
    case "otherThan":
      return !type.types.includes(jsonTypeOf(value));
    case "anyOf":
      return type.members.some((member) => matchesType(member, value, definitions));
    case "oneOf":
      return type.members.filter((member) => matchesType(member, value, definitions)).length === 1;
    case "allOf":
      return type.members.every((member) => matchesType(member, value, definitions));
    case "ref":
      return matchesType(definitions.get(type.id)?.type ?? { kind: "any" }, value, definitions);
  }
}

/**
 * Checks values against schemas at locations of loaded documents, by the rules of the generated
 * validators, following `$ref`s. Keywords mboxgen does not implement are ignored here (the
 * generator reports them); each location is read once.
 */
export function createSchemaMatcher(documents: ReadonlyMap<string, JsonDocument>): (at: SchemaAt, value: unknown) => boolean {
  // Problems of the schema are the generator's to report; the matcher reads what it can.
  const builder = new TypeBuilder(documents, new Diagnostics());
  const types = new Map<string, TypeIr>();
  return (at, value) => {
    const id = schemaId(at);
    let type = types.get(id);
    if (type === undefined) {
      types.set(id, (type = builder.build(at)));
      builder.buildDefinitions();
    }
    return matchesType(type, value, builder.definitions);
  };
}

/**
 * A property's schema with `description`, `default` and `deprecated` taken from its `$ref` target
 * when the property itself is only a reference (`{ "$ref": "#/$defs/theme" }`).
 */
export function withReferencedAnnotations(at: SchemaAt, documents: ReadonlyMap<string, JsonDocument>): Schema {
  if (!isSchemaObject(at.schema)) return {};
  const schema = at.schema;
  if (typeof schema.$ref !== "string") return schema;
  let target: SchemaAt;
  try {
    target = resolveReference(schema.$ref, at, documents);
  } catch (error) {
    // An unresolvable $ref is reported where the type is built; its annotations are simply absent.
    if (error instanceof GeneratorError) return schema;
    throw error;
  }
  if (!isSchemaObject(target.schema)) return schema;
  const annotated: Schema = { ...schema };
  for (const keyword of ["description", "default", "deprecated", "examples", "format"]) {
    if (!Object.hasOwn(annotated, keyword) && Object.hasOwn(target.schema, keyword)) annotated[keyword] = target.schema[keyword];
  }
  return annotated;
}

/** Builds the IR of one mbox (names are filled in by the naming pass); reports every problem into `diagnostics`. */
export function buildIr(loaded: LoadedMbox, documents: ReadonlyMap<string, JsonDocument>, mboxConfig: MboxConfig | undefined, diagnostics: Diagnostics): MboxIr {
  const builder = new TypeBuilder(documents, diagnostics);
  const root: SchemaAt = { document: loaded.document, segments: [], schema: loaded.document.value };
  builder.draftOf(loaded.document);
  // The root lists the offer's keys; combinators there would leave no keys to generate accessors for.
  builder.checkKeywords(root, [...UNSUPPORTED_KEYWORDS, "$ref", "anyOf", "oneOf", "allOf", "enum", "const"]);
  const rootType = builder.object(root);
  builder.buildDefinitions();
  const attributes: AttributeIr[] = [];

  for (const property of rootType.properties) {
    const { key, type, required, docs } = property;
    const at = child(root, "properties", key);
    const attribute: AttributeIr = { kind: "attribute", key, accessorName: key, required, type, docs };
    const configured = mboxConfig?.keys?.[key];
    const configPointer = `(config) mboxes.${loaded.mbox}.keys.${key}.default`;
    if (configured && Object.hasOwn(configured, "default") && nestsDeeperThan(configured.default, MAX_DEPTH + 1)) {
      diagnostics.report(createGeneratorError("SCHEMA_TOO_DEEP", { what: "value", limit: MAX_DEPTH }, { file: loaded.document.path, pointer: configPointer }));
    } else if (configured && Object.hasOwn(configured, "default")) attribute.fallback = { value: configured.default as JsonValue, from: "config" };
    else if (docs.default) attribute.fallback = { value: docs.default.value, from: "schema" };
    if (attribute.fallback && !matchesType(type, attribute.fallback.value, builder.definitions)) {
      const location =
        attribute.fallback.from === "schema"
          ? locate(loaded.document, property.declared ? [...at.segments, "default"] : ["required"])
          : { file: loaded.document.path, pointer: configPointer };
      diagnostics.report(createGeneratorError("DEFAULT_INVALID", { key, value: JSON.stringify(attribute.fallback.value) }, location));
    }
    attributes.push(attribute);
  }

  const ir: MboxIr = {
    kind: "mbox",
    mbox: loaded.mbox,
    sourcePath: loaded.document.path,
    exportName: "",
    typeName: "",
    accessorsTypeName: "",
    fileName: "",
    docs: docsOf(root.schema),
    attributes,
    definitions: builder.definitions,
  };
  return ir;
}
