/**
 * Stage 3, `buildIr`: one MboxIr per mbox schema. Reads the schema (following `$ref` among the
 * loaded files), rejects what mboxgen cannot honour with the file and JSON pointer, and records
 * each top-level key with its shape, default, docs. Names are placeholders until the naming pass.
 */
import type { MboxConfig } from "./config.js";
import { createGeneratorError, type GeneratorError } from "./errors.js";
import type { AttributeIr, JsonValue, MboxIr, PropertyIr, TypeIr } from "./ir.js";
import { locate, type JsonDocument } from "./json-document.js";
import type { LoadedMbox } from "./load.js";
import { resolveReference, schemaId, type SchemaAt } from "./schema-references.js";
import { describeJson, isPlainObject as isSchemaObject } from "./json-values.js";

/** Keywords that change what a value may be and that mboxgen does not implement. */
const UNSUPPORTED_KEYWORDS = [
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
  "prefixItems",
  "$dynamicRef",
  "$recursiveRef",
  // json-schema-to-typescript extensions that put schema text into TypeScript as code.
  "tsType",
  "tsEnumNames",
];

const TYPE_NAMES = new Set(["string", "number", "integer", "boolean", "null", "object", "array"]);

type Schema = Record<string, unknown>;

function child(at: SchemaAt, ...segments: string[]): SchemaAt {
  let schema: unknown = at.schema;
  for (const segment of segments) schema = (schema as Schema)[segment];
  return { document: at.document, segments: [...at.segments, ...segments], schema };
}

/** Builds TypeIr for one mbox, collecting errors instead of stopping at the first. */
class TypeBuilder {
  readonly definitions = new Map<string, TypeIr>();
  readonly errors: GeneratorError[] = [];

  constructor(private readonly documents: ReadonlyMap<string, JsonDocument>) {}

  fail(at: SchemaAt, extra: string[], error: (location: ReturnType<typeof locate>) => GeneratorError): TypeIr {
    this.errors.push(error(locate(at.document, [...at.segments, ...extra])));
    return { kind: "any" };
  }

  number(at: SchemaAt, keyword: string): number | undefined {
    const value = (at.schema as Schema)[keyword];
    if (value === undefined) return undefined;
    if (typeof value !== "number") {
      this.fail(at, [keyword], (location) => createGeneratorError("SCHEMA_INVALID_KEYWORD", { keyword, expected: "a number" }, location));
      return undefined;
    }
    return value;
  }

  build(at: SchemaAt): TypeIr {
    const schema = at.schema;
    if (schema === true) return { kind: "any" };
    if (schema === false) return { kind: "never" };
    if (!isSchemaObject(schema)) {
      return this.fail(at, [], (location) => createGeneratorError("SCHEMA_NOT_AN_OBJECT", { found: describeJson(schema) }, location));
    }
    this.checkKeywords(at, UNSUPPORTED_KEYWORDS);
    if (Array.isArray(schema.items)) {
      this.fail(at, ["items"], (location) => createGeneratorError("SCHEMA_UNSUPPORTED_KEYWORD", { keyword: "items (as an array of tuple schemas)" }, location));
    }

    const parts: TypeIr[] = [];
    if (schema.$ref !== undefined) parts.push(this.reference(at));
    if (Object.hasOwn(schema, "const")) parts.push({ kind: "literal", values: [schema.const as JsonValue] });
    if (schema.enum !== undefined) {
      if (!Array.isArray(schema.enum) || schema.enum.length === 0) {
        this.fail(at, ["enum"], (location) => createGeneratorError("SCHEMA_INVALID_KEYWORD", { keyword: "enum", expected: "a non-empty array" }, location));
      } else {
        parts.push({ kind: "literal", values: schema.enum as JsonValue[] });
      }
    }
    const typed = this.typed(at);
    if (typed) parts.push(typed);
    for (const keyword of ["anyOf", "oneOf", "allOf"] as const) {
      const members = schema[keyword];
      if (members === undefined) continue;
      if (!Array.isArray(members) || members.length === 0) {
        this.fail(at, [keyword], (location) => createGeneratorError("SCHEMA_INVALID_KEYWORD", { keyword, expected: "a non-empty array of schemas" }, location));
        continue;
      }
      const built = members.map((_, index) => this.build(child(at, keyword, String(index))));
      // oneOf is checked as anyOf: for reading values, "matches one of these" is what matters.
      parts.push(keyword === "allOf" ? { kind: "allOf", members: built } : { kind: "anyOf", members: built });
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
    if (typeof ref !== "string") {
      return this.fail(at, ["$ref"], (location) => createGeneratorError("SCHEMA_INVALID_KEYWORD", { keyword: "$ref", expected: "a string" }, location));
    }
    const target = resolveReference(ref, at, this.documents);
    if ("code" in target) {
      this.errors.push(target);
      return { kind: "any" };
    }
    const id = schemaId(target);
    if (!this.definitions.has(id)) {
      // Registered before building, so a recursive reference finds it and stops.
      this.definitions.set(id, { kind: "any" });
      this.definitions.set(id, this.build(target));
    }
    return { kind: "ref", id };
  }

  typed(at: SchemaAt): TypeIr | undefined {
    const schema = at.schema as Schema;
    let types: string[];
    if (schema.type === undefined) {
      if (schema.properties !== undefined || schema.additionalProperties !== undefined || schema.required !== undefined) types = ["object"];
      else if (schema.items !== undefined) types = ["array"];
      else return undefined;
    } else if (typeof schema.type === "string") {
      types = [schema.type];
    } else if (Array.isArray(schema.type) && schema.type.length > 0 && schema.type.every((type) => typeof type === "string")) {
      types = schema.type as string[];
    } else {
      return this.fail(at, ["type"], (location) => createGeneratorError("SCHEMA_INVALID_KEYWORD", { keyword: "type", expected: "a type name or a non-empty array of type names" }, location));
    }
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
        const minLength = this.number(at, "minLength");
        const maxLength = this.number(at, "maxLength");
        if (minLength !== undefined) result.minLength = minLength;
        if (maxLength !== undefined) result.maxLength = maxLength;
        if (schema.pattern !== undefined) {
          try {
            if (typeof schema.pattern !== "string") throw new TypeError("not a string");
            new RegExp(schema.pattern, "u");
            result.pattern = schema.pattern;
          } catch {
            this.fail(at, ["pattern"], (location) =>
              createGeneratorError("SCHEMA_INVALID_KEYWORD", { keyword: "pattern", expected: "a regular expression (ECMAScript, u flag)" }, location),
            );
          }
        }
        return result;
      }
      case "number":
      case "integer": {
        const result: TypeIr = { kind: "number", integer: type === "integer" };
        const minimum = this.number(at, "minimum");
        const maximum = this.number(at, "maximum");
        if (minimum !== undefined) result[schema.exclusiveMinimum === true ? "exclusiveMinimum" : "minimum"] = minimum;
        if (maximum !== undefined) result[schema.exclusiveMaximum === true ? "exclusiveMaximum" : "maximum"] = maximum;
        if (typeof schema.exclusiveMinimum === "number") result.exclusiveMinimum = schema.exclusiveMinimum;
        if (typeof schema.exclusiveMaximum === "number") result.exclusiveMaximum = schema.exclusiveMaximum;
        return result;
      }
      case "boolean":
        return { kind: "boolean" };
      case "null":
        return { kind: "null" };
      case "array": {
        const result: TypeIr = { kind: "array", items: schema.items === undefined ? { kind: "any" } : this.build(child(at, "items")) };
        const minItems = this.number(at, "minItems");
        const maxItems = this.number(at, "maxItems");
        if (minItems !== undefined) result.minItems = minItems;
        if (maxItems !== undefined) result.maxItems = maxItems;
        return result;
      }
      default:
        return this.object(at);
    }
  }

  object(at: SchemaAt): TypeIr {
    const schema = at.schema as Schema;
    const required = this.required(at);
    const properties: PropertyIr[] = [];
    if (schema.properties !== undefined) {
      if (!isSchemaObject(schema.properties)) {
        return this.fail(at, ["properties"], (location) => createGeneratorError("SCHEMA_INVALID_KEYWORD", { keyword: "properties", expected: "an object of schemas" }, location));
      }
      for (const key of Object.keys(schema.properties)) {
        properties.push({ key, required: required.has(key), type: this.build(child(at, "properties", key)) });
      }
    }
    const additional = schema.additionalProperties;
    let additionalType: TypeIr | "any" | "none" = "any";
    if (additional === false) additionalType = "none";
    else if (additional !== undefined && additional !== true) additionalType = this.build(child(at, "additionalProperties"));
    return { kind: "object", properties, additional: additionalType };
  }

  required(at: SchemaAt): Set<string> {
    const required = (at.schema as Schema).required;
    if (required === undefined) return new Set();
    if (!Array.isArray(required) || !required.every((key) => typeof key === "string")) {
      this.fail(at, ["required"], (location) => createGeneratorError("SCHEMA_INVALID_KEYWORD", { keyword: "required", expected: "an array of key names" }, location));
      return new Set();
    }
    return new Set(required as string[]);
  }
}

/** True when `value` has the shape `type` describes. The build-time twin of the generated validators. */
export function matchesType(type: TypeIr, value: unknown, definitions: ReadonlyMap<string, TypeIr>): boolean {
  switch (type.kind) {
    case "any":
      return true;
    case "never":
      return false;
    case "string":
      return (
        typeof value === "string" &&
        (type.minLength === undefined || [...value].length >= type.minLength) &&
        (type.maxLength === undefined || [...value].length <= type.maxLength) &&
        (type.pattern === undefined || new RegExp(type.pattern, "u").test(value))
      );
    case "number":
      return (
        typeof value === "number" &&
        (!type.integer || Number.isInteger(value)) &&
        (type.minimum === undefined || value >= type.minimum) &&
        (type.maximum === undefined || value <= type.maximum) &&
        (type.exclusiveMinimum === undefined || value > type.exclusiveMinimum) &&
        (type.exclusiveMaximum === undefined || value < type.exclusiveMaximum)
      );
    case "boolean":
      return typeof value === "boolean";
    case "null":
      return value === null;
    case "literal":
      return type.values.some((candidate) => JSON.stringify(candidate) === JSON.stringify(value));
    case "array":
      return (
        Array.isArray(value) &&
        (type.minItems === undefined || value.length >= type.minItems) &&
        (type.maxItems === undefined || value.length <= type.maxItems) &&
        value.every((item) => matchesType(type.items, item, definitions))
      );
    case "object": {
      if (typeof value !== "object" || value === null || Array.isArray(value)) return false;
      const record = value as Record<string, unknown>;
      const declared = new Set(type.properties.map((property) => property.key));
      return (
        type.properties.every((property) =>
          Object.hasOwn(record, property.key) ? matchesType(property.type, record[property.key], definitions) : !property.required,
        ) &&
        Object.keys(record).every(
          (key) =>
            declared.has(key) ||
            type.additional === "any" ||
            (type.additional !== "none" && matchesType(type.additional, record[key], definitions)),
        )
      );
    }
    case "anyOf":
      return type.members.some((member) => matchesType(member, value, definitions));
    case "allOf":
      return type.members.every((member) => matchesType(member, value, definitions));
    case "ref":
      return matchesType(definitions.get(type.id) ?? { kind: "any" }, value, definitions);
  }
}

/**
 * Checks values against schemas at locations of loaded documents, by the rules of the generated
 * validators, following `$ref`s. Keywords mboxgen does not implement are ignored here (the
 * generator reports them); each location is read once.
 */
export function createSchemaMatcher(documents: ReadonlyMap<string, JsonDocument>): (at: SchemaAt, value: unknown) => boolean {
  const builder = new TypeBuilder(documents);
  const types = new Map<string, TypeIr>();
  return (at, value) => {
    const id = schemaId(at);
    let type = types.get(id);
    if (type === undefined) types.set(id, (type = builder.build(at)));
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
  const target = resolveReference(schema.$ref, at, documents);
  if ("code" in target || !isSchemaObject(target.schema)) return schema;
  const annotated: Schema = { ...schema };
  for (const keyword of ["description", "default", "deprecated"]) {
    if (!Object.hasOwn(annotated, keyword) && Object.hasOwn(target.schema, keyword)) annotated[keyword] = target.schema[keyword];
  }
  return annotated;
}

/** What `buildIr` returns for one mbox. */
export interface BuiltMbox {
  ir: MboxIr;
  errors: GeneratorError[];
}

/** Builds the IR of one mbox (names are filled in by the naming pass). */
export function buildIr(loaded: LoadedMbox, documents: ReadonlyMap<string, JsonDocument>, mboxConfig: MboxConfig | undefined): BuiltMbox {
  const builder = new TypeBuilder(documents);
  const root: SchemaAt = { document: loaded.document, segments: [], schema: loaded.document.value };
  const rootSchema = root.schema as Schema;
  // The root lists the offer's keys; combinators there would leave no keys to generate accessors for.
  builder.checkKeywords(root, [...UNSUPPORTED_KEYWORDS, "$ref", "anyOf", "oneOf", "allOf", "enum", "const"]);
  const rootType = builder.object(root);
  const attributes: AttributeIr[] = [];

  for (const property of rootType.kind === "object" ? rootType.properties : []) {
    const { key, type, required } = property;
    const at = child(root, "properties", key);
    const propertySchema = withReferencedAnnotations(at, documents);
    const attribute: AttributeIr = { kind: "attribute", key, accessorName: key, required, type, deprecated: propertySchema.deprecated === true };
    if (typeof propertySchema.description === "string") attribute.description = propertySchema.description;

    const configured = mboxConfig?.keys?.[key];
    if (configured && Object.hasOwn(configured, "default")) {
      attribute.fallback = { value: configured.default as JsonValue, from: "config" };
    } else if (Object.hasOwn(propertySchema, "default")) {
      attribute.fallback = { value: propertySchema.default as JsonValue, from: "schema" };
    }
    if (attribute.fallback && !matchesType(type, attribute.fallback.value, builder.definitions)) {
      const location = attribute.fallback.from === "schema" ? locate(loaded.document, [...at.segments, "default"]) : { file: loaded.document.path, pointer: `(config) mboxes.${loaded.mbox}.keys.${key}.default` };
      builder.errors.push(createGeneratorError("DEFAULT_INVALID", { key, value: JSON.stringify(attribute.fallback.value) }, location));
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
    attributes,
    definitions: builder.definitions,
    typesSchema: {},
  };
  if (typeof rootSchema.description === "string") ir.description = rootSchema.description;
  return { ir, errors: builder.errors };
}
