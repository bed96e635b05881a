/**
 * mboxgen's intermediate representation: what every input kind converges on, and the one reading
 * of each schema that the emitters print types, validators, defaults and docs from. Not ts-morph
 * structures and not json-schema-to-typescript output.
 */

/** A JSON value. */
export type JsonValue = string | number | boolean | null | JsonValue[] | { [key: string]: JsonValue };

/** The JSON types a value can have (`integer` is a `number` with a constraint). */
export type JsonTypeName = "string" | "number" | "boolean" | "null" | "object" | "array";

/** Every JSON type, in the order types are printed. */
export const JSON_TYPE_NAMES: readonly JsonTypeName[] = ["string", "number", "boolean", "null", "object", "array"];

/**
 * What a value may be: exactly the values the schema accepts. The validators check all of it;
 * the printed TypeScript type states what TypeScript can (bounds, lengths, patterns, integers and
 * uniqueness only in docs).
 */
export type TypeIr =
  | { kind: "any" }
  | { kind: "never" }
  | { kind: "string"; minLength?: number; maxLength?: number; pattern?: string }
  | { kind: "number"; integer: boolean; minimum?: number; maximum?: number; exclusiveMinimum?: number; exclusiveMaximum?: number; multipleOf?: number }
  | { kind: "boolean" }
  | { kind: "null" }
  | { kind: "literal"; values: JsonValue[] }
  | { kind: "object"; properties: PropertyIr[]; additional: TypeIr | "any" | "none"; minProperties?: number; maxProperties?: number }
  | { kind: "array"; items: TypeIr; minItems?: number; maxItems?: number; uniqueItems?: boolean }
  /** Any value whose JSON type is not one of `types`: what a schema leaves free when its keywords apply to other types only. */
  | { kind: "otherThan"; types: JsonTypeName[] }
  | { kind: "anyOf"; members: TypeIr[] }
  /** Exactly one member matches (TypeScript can only say "at least one": the type is their union). */
  | { kind: "oneOf"; members: TypeIr[] }
  | { kind: "allOf"; members: TypeIr[] }
  | { kind: "ref"; id: string };

/** What a schema says about a value besides its shape: the JSDoc of a key or a type. */
export interface DocsIr {
  title?: string;
  description?: string;
  deprecated?: boolean;
  /** The schema's `default`, when it has one. */
  default?: { value: JsonValue };
  examples?: JsonValue[];
  /** `format` (an annotation in JSON Schema 2020-12: documented, not checked). */
  format?: string;
}

/** One property of an object type. */
export interface PropertyIr {
  key: string;
  required: boolean;
  /**
   * False for a key that `required` names without `properties` declaring it: its value is then
   * constrained by `additionalProperties`, like any other undeclared key.
   */
  declared: boolean;
  type: TypeIr;
  docs: DocsIr;
}

/** A `$ref` target: printed as a named type and checked by a function of its own. */
export interface DefinitionIr {
  type: TypeIr;
  docs: DocsIr;
  /** What to name its type after: its `title`, else the last segment of its pointer, else its file. */
  nameHint: string;
  /** The printed type's name (naming pass). */
  typeName: string;
}

/** One top-level key of an offer: one accessor. */
export interface AttributeIr {
  kind: "attribute";
  /** The key as in the offer. */
  key: string;
  /** The accessor method's name (set by the naming pass). */
  accessorName: string;
  /** Whether the schema lists the key in `required`. */
  required: boolean;
  type: TypeIr;
  /** The fallback value, from the config or the schema's `default`. */
  fallback?: { value: JsonValue; from: "schema" | "config" };
  docs: DocsIr;
}

/** An mbox's own names, decided from its name and config alone, before its schema is read (naming pass). */
export type MboxNames = Pick<MboxIr, "mbox" | "sourcePath" | "exportName" | "typeName" | "accessorsTypeName" | "fileName">;

/** One mbox: everything the emitters need for its module. */
export interface MboxIr {
  kind: "mbox";
  /** The mbox name as Target knows it. */
  mbox: string;
  /** The schema file it came from (relative path, as given). */
  sourcePath: string;
  /** Descriptor export name, e.g. `demoEngineeringFlags` (naming pass). */
  exportName: string;
  /** Offer interface name, e.g. `DemoEngineeringFlags` (naming pass). */
  typeName: string;
  /** Accessors interface name, e.g. `DemoEngineeringFlagsAccessors` (naming pass). */
  accessorsTypeName: string;
  /** Module file name without extension, e.g. `demo-engineering-flags` (naming pass). */
  fileName: string;
  docs: DocsIr;
  attributes: AttributeIr[];
  /** `$ref` targets, by id (`<file>#<pointer>`). */
  definitions: Map<string, DefinitionIr>;
}
