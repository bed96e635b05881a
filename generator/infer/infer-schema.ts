/**
 * The inference core: one JSON Schema from a set of JSON offers. Used by `mboxgen sample`
 * (offers Target served) and `mboxgen infer` (offers an on-device artifact can serve).
 *
 * Merge policy (README, "Schemas from what Target serves"):
 * - a key present in every object seen at its place is required, otherwise optional;
 * - observed types form a union; integers stay `integer` until a non-integer number appears;
 * - `null` is a type of its own, distinct from a missing key;
 * - objects recurse; arrays merge the types of all their items;
 * - string enums only on request (`enumMax`): at most that many distinct values, each seen twice;
 * - a shape that cannot be described becomes `{}` with a description saying why.
 * The result does not depend on the order of the samples: keys, types and enum values are sorted.
 */
import { setOwnProperty } from "../json-values.js";

/** A JSON Schema object as mboxgen writes it. */
export type JsonSchemaObject = Record<string, unknown>;

/** Options of the inference. */
export interface InferOptions {
  /** Write `enum` for strings with at most this many distinct values, each seen at least twice. */
  enumMax?: number;
}

type JsonType = "null" | "boolean" | "integer" | "number" | "string" | "array" | "object";
const TYPE_ORDER: JsonType[] = ["object", "array", "string", "integer", "number", "boolean", "null"];

/** What was seen at one place of the offers. */
interface Shape {
  seen: number;
  types: Set<JsonType>;
  strings: Map<string, number>;
  objects: number;
  properties: Map<string, Shape>;
  arrays: number;
  items: Shape | undefined;
}

function createShape(): Shape {
  return { seen: 0, types: new Set(), strings: new Map(), objects: 0, properties: new Map(), arrays: 0, items: undefined };
}

function typeOf(value: unknown): JsonType {
  if (value === null) return "null";
  if (Array.isArray(value)) return "array";
  if (typeof value === "number") return Number.isInteger(value) ? "integer" : "number";
  if (typeof value === "object") return "object";
  return typeof value as "boolean" | "string";
}

function observe(shape: Shape, value: unknown): void {
  shape.seen += 1;
  const type = typeOf(value);
  shape.types.add(type);
  if (type === "string") shape.strings.set(value as string, (shape.strings.get(value as string) ?? 0) + 1);
  if (type === "object") {
    shape.objects += 1;
    for (const key of Object.keys(value as object)) {
      let property = shape.properties.get(key);
      if (!property) shape.properties.set(key, (property = createShape()));
      observe(property, (value as Record<string, unknown>)[key]);
    }
  }
  if (type === "array") {
    shape.arrays += 1;
    for (const item of value as unknown[]) observe((shape.items ??= createShape()), item);
  }
}

function byCodePoint(left: string, right: string): number {
  return left < right ? -1 : left > right ? 1 : 0;
}

function toSchema(shape: Shape, options: InferOptions): JsonSchemaObject {
  if (shape.seen === 0) return { description: "No value was seen here, so any JSON value is allowed." };
  const types = new Set(shape.types);
  if (types.has("number")) types.delete("integer");
  const ordered = TYPE_ORDER.filter((type) => types.has(type));
  const schema: JsonSchemaObject = { type: ordered.length === 1 ? ordered[0] : ordered };

  if (types.has("object")) {
    const keys = [...shape.properties.keys()].sort(byCodePoint);
    const properties: JsonSchemaObject = {};
    for (const key of keys) setOwnProperty(properties, key, toSchema(shape.properties.get(key)!, options));
    schema.properties = properties;
    const required = keys.filter((key) => shape.properties.get(key)!.seen === shape.objects);
    if (required.length > 0) schema.required = required;
  }
  if (types.has("array")) {
    schema.items = shape.items
      ? toSchema(shape.items, options)
      : { description: `Every array seen here (${shape.arrays}) was empty, so the item type is unknown.` };
  }
  const enumMax = options.enumMax ?? 0;
  if (ordered.length === 1 && ordered[0] === "string" && enumMax > 0 && shape.strings.size <= enumMax && [...shape.strings.values()].every((count) => count >= 2)) {
    schema.enum = [...shape.strings.keys()].sort(byCodePoint);
  }
  return schema;
}

/**
 * The schema of the offers: the shape of the objects in `samples`, by the merge policy above.
 * Root key order: `type`, `properties`, `required`, `additionalProperties: false` (so a key Target
 * adds later is drift that `--check` reports).
 */
export function inferOfferSchema(samples: readonly Record<string, unknown>[], options: InferOptions = {}): JsonSchemaObject {
  const root = createShape();
  for (const sample of samples) observe(root, sample);
  if (samples.length === 0) {
    return { type: "object", description: "No offer was seen for this mbox, so no keys are known.", properties: {}, additionalProperties: false };
  }
  const schema = toSchema(root, options);
  return { type: "object", properties: schema.properties ?? {}, ...(schema.required ? { required: schema.required } : {}), additionalProperties: false };
}

/**
 * The schema of any JSON values (not only objects) by the same merge policy: what a re-run
 * writes for a key, a type or an alternative that a committed schema did not have.
 */
export function inferValueSchema(values: readonly unknown[], options: InferOptions = {}): JsonSchemaObject {
  const shape = createShape();
  for (const value of values) observe(shape, value);
  return toSchema(shape, options);
}

/** The types a schema allows, as a sorted list (`enum` counts as its values' types). */
export function typesOf(schema: JsonSchemaObject | undefined): string[] {
  if (!schema) return [];
  if (typeof schema.type === "string") return [schema.type];
  if (Array.isArray(schema.type)) return [...(schema.type as string[])].sort();
  if (Array.isArray(schema.enum)) return [...new Set((schema.enum as unknown[]).map(typeOf))].sort();
  return [];
}
