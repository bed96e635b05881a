/**
 * mboxgen's intermediate representation: what every input kind converges on, and what the
 * emitters read. Not ts-morph structures and not json-schema-to-typescript output.
 */

/** A JSON value. */
export type JsonValue = string | number | boolean | null | JsonValue[] | { [key: string]: JsonValue };

/** The shape a value must have, as the generated validators check it. */
export type TypeIr =
  | { kind: "any" }
  | { kind: "never" }
  | { kind: "string"; minLength?: number; maxLength?: number; pattern?: string }
  | { kind: "number"; integer: boolean; minimum?: number; maximum?: number; exclusiveMinimum?: number; exclusiveMaximum?: number }
  | { kind: "boolean" }
  | { kind: "null" }
  | { kind: "literal"; values: JsonValue[] }
  | { kind: "object"; properties: PropertyIr[]; additional: TypeIr | "any" | "none" }
  | { kind: "array"; items: TypeIr; minItems?: number; maxItems?: number }
  | { kind: "anyOf"; members: TypeIr[] }
  | { kind: "allOf"; members: TypeIr[] }
  | { kind: "ref"; id: string };

/** One property of an object type. */
export interface PropertyIr {
  key: string;
  required: boolean;
  type: TypeIr;
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
  description?: string;
  deprecated: boolean;
}

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
  description?: string;
  attributes: AttributeIr[];
  /** Shapes of `$ref` targets, by id (`<file>#<pointer>`), for recursive validators. */
  definitions: Map<string, TypeIr>;
  /** The schema json-schema-to-typescript compiles: self-contained, normalized. */
  typesSchema: Record<string, unknown>;
}
