/**
 * Re-runs of `sample` and `infer` against a committed schema: what a person wrote is never lost.
 *
 * - Where every new offer satisfies the committed schema (by the generated validators' rules),
 *   the schema is kept exactly as it is: bounds, lengths, patterns, enums, formats, docs,
 *   defaults, `$ref`s and all.
 * - Where an offer breaks it, the schema is widened as little as it takes, keyword by keyword
 *   (a type added, a bound moved to the value, an enum value added, a pattern dropped, a key made
 *   optional or added), and every such step is reported with the value that forced it. A schema
 *   that cannot be widened keyword by keyword (`$ref`, combinators) gets an `anyOf` alternative
 *   for what Target now serves, its own text untouched.
 * - A committed key that no offer carried is kept, and noted.
 */
import { createSchemaMatcher } from "../build-ir.js";
import type { JsonDocument } from "../json-document.js";
import { isPlainObject, setOwnProperty } from "../json-values.js";
import type { SchemaAt } from "../schema-references.js";
import { inferValueSchema, type InferOptions, type JsonSchemaObject } from "./infer-schema.js";

/** What a reconciliation produced. */
export interface Reconciled {
  /** The schema to write; the committed one itself (same object) when nothing had to change. */
  schema: unknown;
  /** Each widening, with the value that forced it. */
  changes: string[];
  /** Observations that changed nothing, such as committed keys no offer carried. */
  notes: string[];
}

/** Keywords whose meaning a keyword-by-keyword widening cannot follow: such schemas get an `anyOf`. */
const COMPOSITE_KEYWORDS = ["$ref", "$dynamicRef", "anyOf", "oneOf", "allOf", "not", "if", "then", "else", "dependentSchemas", "dependentRequired", "dependencies", "patternProperties", "propertyNames", "unevaluatedProperties", "unevaluatedItems", "contains", "prefixItems"];
/** Annotations lifted to the `anyOf` wrapper, so docs and defaults stay where generate reads them. */
const ANNOTATIONS = ["title", "description", "default", "deprecated", "examples", "$comment"];

type JsonType = "null" | "boolean" | "integer" | "number" | "string" | "array" | "object";

function jsonTypeOf(value: unknown): JsonType {
  if (value === null) return "null";
  if (Array.isArray(value)) return "array";
  if (typeof value === "number") return Number.isInteger(value) ? "integer" : "number";
  return typeof value as "boolean" | "string" | "object";
}

function allowsType(types: readonly string[], value: unknown): boolean {
  const type = jsonTypeOf(value);
  return types.includes(type) || (type === "integer" && types.includes("number"));
}

function isJsonEqual(left: unknown, right: unknown): boolean {
  if (left === right) return true;
  if (typeof left !== "object" || typeof right !== "object" || left === null || right === null || Array.isArray(left) !== Array.isArray(right)) return false;
  const leftKeys = Object.keys(left);
  return leftKeys.length === Object.keys(right).length && leftKeys.every((key) => Object.hasOwn(right, key) && isJsonEqual((left as Record<string, unknown>)[key], (right as Record<string, unknown>)[key]));
}

function show(value: unknown): string {
  const text = JSON.stringify(value) ?? String(value);
  return text.length > 60 ? `${text.slice(0, 57)}...` : text;
}

function codePoints(text: string): number {
  return [...text].length;
}

function child(at: SchemaAt, ...segments: string[]): SchemaAt {
  let schema: unknown = at.schema;
  for (const segment of segments) schema = isPlainObject(schema) ? schema[segment] : undefined;
  return { document: at.document, segments: [...at.segments, ...segments], schema };
}

function typeList(type: unknown): string[] | undefined {
  if (typeof type === "string") return [type];
  return Array.isArray(type) && type.every((each) => typeof each === "string") ? (type as string[]) : undefined;
}

/** Reconciles one mbox's committed schema with the offers of this run. */
class Reconciler {
  readonly changes: string[] = [];
  readonly notes: string[] = [];

  constructor(
    private readonly matches: (at: SchemaAt, value: unknown) => boolean,
    private readonly options: InferOptions,
  ) {}

  /** The schema at `at` (committed), made to accept `values`. */
  reconcile(at: SchemaAt, values: readonly unknown[], path: string): unknown {
    const violators = values.filter((value) => !this.matches(at, value));
    if (violators.length === 0) return at.schema;
    const schema = at.schema;
    if (!isPlainObject(schema)) {
      this.changes.push(`${path || "/"}: the schema allowed nothing; replaced by what Target serves (value ${show(violators[0])})`);
      return inferValueSchema(values, this.options);
    }
    if (COMPOSITE_KEYWORDS.some((keyword) => Object.hasOwn(schema, keyword)) || Array.isArray(schema.items)) return this.alternative(schema, violators, path);
    return this.widen(at, values, path);
  }

  /** Notes each committed key (at any depth of plain object schemas) that none of `values` carried. */
  noteUnseenKeys(schema: unknown, values: readonly unknown[], path: string): void {
    if (!isPlainObject(schema) || !isPlainObject(schema.properties)) return;
    const objects = values.filter(isPlainObject);
    if (objects.length === 0) return;
    for (const key of Object.keys(schema.properties)) {
      const carried = objects.filter((object) => Object.hasOwn(object, key)).map((object) => object[key]);
      if (carried.length === 0) this.notes.push(`${path}/${key}: not in any offer; kept`);
      else this.noteUnseenKeys(schema.properties[key], carried, `${path}/${key}`);
    }
  }

  /** `{ anyOf: [committed, inferred] }`, the committed schema's docs and default lifted out. */
  alternative(schema: JsonSchemaObject, violators: readonly unknown[], path: string): JsonSchemaObject {
    const wrapper: JsonSchemaObject = {};
    const kept: JsonSchemaObject = {};
    for (const key of Object.keys(schema)) setOwnProperty(ANNOTATIONS.includes(key) ? wrapper : kept, key, schema[key]);
    wrapper.anyOf = [kept, inferValueSchema(violators, this.options)];
    this.changes.push(`${path || "/"}: value ${show(violators[0])} does not match the committed schema; what Target now serves was added as an anyOf alternative`);
    return wrapper;
  }

  private widen(at: SchemaAt, values: readonly unknown[], path: string): JsonSchemaObject {
    const schema: JsonSchemaObject = { ...(at.schema as JsonSchemaObject) };
    const where = path || "/";
    this.widenType(schema, values, where);
    this.widenLiterals(schema, values, where);
    this.widenNumbers(schema, values.filter((value): value is number => typeof value === "number"), where);
    this.widenStrings(schema, values.filter((value): value is string => typeof value === "string"), where);
    const arrays = values.filter((value): value is unknown[] => Array.isArray(value));
    this.widenArrays(at, schema, arrays, where, path);
    return this.widenObject(at, values, path, schema);
  }

  private widenType(schema: JsonSchemaObject, values: readonly unknown[], where: string): void {
    const declared = typeList(schema.type);
    if (!declared) return;
    const added: string[] = [];
    let firstValue: unknown;
    for (const value of values) {
      if (allowsType([...declared, ...added], value)) continue;
      firstValue ??= value;
      added.push(jsonTypeOf(value));
    }
    if (added.length === 0) return;
    let types = [...declared, ...added];
    if (types.includes("number")) types = types.filter((type) => type !== "integer");
    schema.type = types.length === 1 ? types[0] : types;
    this.changes.push(`${where}: type widened from ${declared.join(" | ")} to ${types.join(" | ")} (value ${show(firstValue)})`);
    // A newly allowed object or array takes its shape from what was seen.
    const inferred = inferValueSchema(values.filter((value) => added.includes(jsonTypeOf(value))), this.options);
    if (added.includes("object") && schema.properties === undefined && inferred.properties !== undefined) {
      schema.properties = inferred.properties;
      if (inferred.required !== undefined && schema.required === undefined) schema.required = inferred.required;
    }
    if (added.includes("array") && schema.items === undefined && inferred.items !== undefined) schema.items = inferred.items;
  }

  private widenLiterals(schema: JsonSchemaObject, values: readonly unknown[], where: string): void {
    if (Object.hasOwn(schema, "const")) {
      const others = values.filter((value) => !isJsonEqual(value, schema.const));
      if (others.length > 0) {
        const members = [schema.const];
        for (const value of others) if (!members.some((member) => isJsonEqual(member, value))) members.push(value);
        delete schema.const;
        schema.enum = members;
        this.changes.push(`${where}: const ${show(members[0])} became enum ${show(members)} (value ${show(others[0])})`);
      }
    }
    if (Array.isArray(schema.enum)) {
      const members = [...(schema.enum as unknown[])];
      const added = values.filter((value, index) => !members.some((member) => isJsonEqual(member, value)) && values.findIndex((other) => isJsonEqual(other, value)) === index);
      if (added.length > 0) {
        schema.enum = [...members, ...added];
        this.changes.push(`${where}: enum widened with ${added.map(show).join(", ")}`);
      }
    }
  }

  private widenNumbers(schema: JsonSchemaObject, numbers: readonly number[], where: string): void {
    if (numbers.length === 0) return;
    const lowest = Math.min(...numbers);
    const highest = Math.max(...numbers);
    const lower = (keyword: "minimum", to: number, because: string) => {
      this.changes.push(`${where}: ${because}`);
      schema[keyword] = to;
    };
    if (schema.exclusiveMinimum === true && typeof schema.minimum === "number" && lowest <= schema.minimum) {
      delete schema.exclusiveMinimum;
      this.changes.push(`${where}: exclusiveMinimum dropped, minimum ${schema.minimum} is now inclusive (value ${lowest})`);
    }
    if (schema.exclusiveMaximum === true && typeof schema.maximum === "number" && highest >= schema.maximum) {
      delete schema.exclusiveMaximum;
      this.changes.push(`${where}: exclusiveMaximum dropped, maximum ${schema.maximum} is now inclusive (value ${highest})`);
    }
    if (typeof schema.exclusiveMinimum === "number" && lowest <= schema.exclusiveMinimum) {
      const was = schema.exclusiveMinimum;
      delete schema.exclusiveMinimum;
      if (typeof schema.minimum !== "number" || schema.minimum > lowest) schema.minimum = lowest;
      this.changes.push(`${where}: exclusiveMinimum ${was} replaced by minimum ${schema.minimum as number} (value ${lowest})`);
    }
    if (typeof schema.exclusiveMaximum === "number" && highest >= schema.exclusiveMaximum) {
      const was = schema.exclusiveMaximum;
      delete schema.exclusiveMaximum;
      if (typeof schema.maximum !== "number" || schema.maximum < highest) schema.maximum = highest;
      this.changes.push(`${where}: exclusiveMaximum ${was} replaced by maximum ${schema.maximum as number} (value ${highest})`);
    }
    if (typeof schema.minimum === "number" && lowest < schema.minimum) lower("minimum", lowest, `minimum lowered from ${schema.minimum} to ${lowest} (value ${lowest})`);
    if (typeof schema.maximum === "number" && highest > schema.maximum) {
      this.changes.push(`${where}: maximum raised from ${schema.maximum} to ${highest} (value ${highest})`);
      schema.maximum = highest;
    }
    if (typeof schema.multipleOf === "number" && schema.multipleOf > 0) {
      const step = schema.multipleOf;
      const offender = numbers.find((value) => Math.abs(value / step - Math.round(value / step)) > 1e-9);
      if (offender !== undefined) {
        delete schema.multipleOf;
        this.changes.push(`${where}: multipleOf ${step} dropped (value ${offender})`);
      }
    }
  }

  private widenStrings(schema: JsonSchemaObject, strings: readonly string[], where: string): void {
    if (strings.length === 0) return;
    const lengths = strings.map(codePoints);
    const shortest = Math.min(...lengths);
    const longest = Math.max(...lengths);
    if (typeof schema.minLength === "number" && shortest < schema.minLength) {
      this.changes.push(`${where}: minLength lowered from ${schema.minLength} to ${shortest} (value ${show(strings[lengths.indexOf(shortest)])})`);
      schema.minLength = shortest;
    }
    if (typeof schema.maxLength === "number" && longest > schema.maxLength) {
      this.changes.push(`${where}: maxLength raised from ${schema.maxLength} to ${longest} (value ${show(strings[lengths.indexOf(longest)])})`);
      schema.maxLength = longest;
    }
    if (typeof schema.pattern === "string") {
      let pattern: RegExp | undefined;
      try {
        pattern = new RegExp(schema.pattern, "u");
      } catch {
        pattern = undefined;
      }
      const offender = pattern && strings.find((value) => !pattern.test(value));
      if (offender !== undefined) {
        this.changes.push(`${where}: pattern ${show(schema.pattern)} dropped (value ${show(offender)} does not match it)`);
        delete schema.pattern;
      }
    }
  }

  private widenArrays(at: SchemaAt, schema: JsonSchemaObject, arrays: readonly unknown[][], where: string, path: string): void {
    if (arrays.length === 0) return;
    const sizes = arrays.map((array) => array.length);
    if (typeof schema.minItems === "number" && Math.min(...sizes) < schema.minItems) {
      this.changes.push(`${where}: minItems lowered from ${schema.minItems} to ${Math.min(...sizes)} (value ${show(arrays[sizes.indexOf(Math.min(...sizes))])})`);
      schema.minItems = Math.min(...sizes);
    }
    if (typeof schema.maxItems === "number" && Math.max(...sizes) > schema.maxItems) {
      this.changes.push(`${where}: maxItems raised from ${schema.maxItems} to ${Math.max(...sizes)} (value ${show(arrays[sizes.indexOf(Math.max(...sizes))])})`);
      schema.maxItems = Math.max(...sizes);
    }
    if (schema.uniqueItems === true) {
      const repeated = arrays.find((array) => array.some((item, index) => array.findIndex((other) => isJsonEqual(other, item)) !== index));
      if (repeated) {
        delete schema.uniqueItems;
        this.changes.push(`${where}: uniqueItems dropped (value ${show(repeated)})`);
      }
    }
    if (schema.items !== undefined && !Array.isArray(schema.items)) {
      schema.items = this.reconcile(child(at, "items"), arrays.flat(), `${path}/[]`);
    }
  }

  private widenObject(at: SchemaAt, values: readonly unknown[], path: string, schema: JsonSchemaObject): JsonSchemaObject {
    const objects = values.filter(isPlainObject);
    if (objects.length === 0) return schema;
    const where = path || "/";
    const properties = isPlainObject(schema.properties) ? schema.properties : undefined;

    if (Array.isArray(schema.required)) {
      const required = (schema.required as unknown[]).filter((key) => typeof key !== "string" || objects.every((object) => Object.hasOwn(object, key)));
      for (const key of schema.required as unknown[]) {
        if (!required.includes(key)) this.changes.push(`${path}/${String(key)}: now optional (missing from some offers)`);
      }
      if (required.length !== (schema.required as unknown[]).length) {
        if (required.length > 0) schema.required = required;
        else delete schema.required;
      }
    }

    if (properties) {
      const reconciled: JsonSchemaObject = {};
      for (const key of Object.keys(properties)) {
        const carried = objects.filter((object) => Object.hasOwn(object, key)).map((object) => object[key]);
        if (carried.length === 0) {
          setOwnProperty(reconciled, key, properties[key]);
        } else {
          setOwnProperty(reconciled, key, this.reconcile(child(at, "properties", key), carried, `${path}/${key}`));
        }
      }
      schema.properties = reconciled;
    }

    const declared = new Set(properties ? Object.keys(properties) : []);
    const extraKeys = [...new Set(objects.flatMap((object) => Object.keys(object)))].filter((key) => !declared.has(key)).sort();
    if (extraKeys.length > 0 && schema.additionalProperties === false) {
      const added: JsonSchemaObject = { ...((schema.properties as JsonSchemaObject | undefined) ?? {}) };
      const newlyRequired: string[] = [];
      for (const key of extraKeys) {
        const carried = objects.filter((object) => Object.hasOwn(object, key)).map((object) => object[key]);
        const inferred = inferValueSchema(carried, this.options);
        setOwnProperty(added, key, inferred);
        const types = typeList(inferred.type) ?? ["any"];
        this.changes.push(`${path}/${key}: key added (${types.join(" | ")}, value ${show(carried[0])})`);
        if (carried.length === objects.length) newlyRequired.push(key);
      }
      schema.properties = added;
      if (newlyRequired.length > 0) schema.required = [...((schema.required as string[] | undefined) ?? []), ...newlyRequired];
    } else if (extraKeys.length > 0 && isPlainObject(schema.additionalProperties)) {
      const extraValues = objects.flatMap((object) => extraKeys.filter((key) => Object.hasOwn(object, key)).map((key) => object[key]));
      schema.additionalProperties = this.reconcile(child(at, "additionalProperties"), extraValues, `${path}/*`);
    }

    const counts = objects.map((object) => Object.keys(object).length);
    if (typeof schema.minProperties === "number" && Math.min(...counts) < schema.minProperties) {
      this.changes.push(`${where}: minProperties lowered from ${schema.minProperties} to ${Math.min(...counts)}`);
      schema.minProperties = Math.min(...counts);
    }
    if (typeof schema.maxProperties === "number" && Math.max(...counts) > schema.maxProperties) {
      this.changes.push(`${where}: maxProperties raised from ${schema.maxProperties} to ${Math.max(...counts)}`);
      schema.maxProperties = Math.max(...counts);
    }
    return schema;
  }
}

/**
 * Reconciles the committed schema of one mbox (`document`, among the schema folder's
 * `documents` for `$ref`s) with the `offers` of this run. The result accepts every offer, by the
 * generated validators' rules; when nothing had to change, `schema` is the committed value itself.
 */
export function reconcileSchema(document: JsonDocument, documents: ReadonlyMap<string, JsonDocument>, offers: readonly Record<string, unknown>[], options: InferOptions = {}): Reconciled {
  const reconciler = new Reconciler(createSchemaMatcher(documents), options);
  reconciler.noteUnseenKeys(document.value, offers, "");
  let schema = reconciler.reconcile({ document, segments: [], schema: document.value }, offers, "");

  // The keyword-by-keyword widening knows the common keywords; a schema it could not follow
  // all the way (a keyword it does not widen) gets an alternative for the key that still fails.
  if (schema !== document.value && isPlainObject(schema) && isPlainObject(schema.properties)) {
    const rewritten: JsonDocument = { path: document.path, text: "", value: schema };
    const check = createSchemaMatcher(new Map([...documents, [document.path, rewritten]]));
    const properties: JsonSchemaObject = { ...schema.properties };
    for (const key of Object.keys(properties)) {
      const carried = offers.filter((offer) => Object.hasOwn(offer, key)).map((offer) => offer[key]);
      const at: SchemaAt = { document: rewritten, segments: ["properties", key], schema: properties[key] };
      const failing = carried.filter((value) => !check(at, value));
      if (failing.length > 0) setOwnProperty(properties, key, reconciler.alternative(isPlainObject(properties[key]) ? properties[key] : {}, failing, `/${key}`));
    }
    schema = { ...schema, properties };
  }
  return { schema, changes: reconciler.changes, notes: reconciler.notes };
}
