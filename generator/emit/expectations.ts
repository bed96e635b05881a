/**
 * What a key's schema requires, in a few words of English (`an integer ≥ 1 and ≤ 100`, `one of
 * "classic", "one-page", "express"`), printed into each attribute spec so that a fallback can say
 * which rules Target's value broke (`FallbackEvent.expected`, the OpenFeature provider's
 * `TYPE_MISMATCH` message) without shipping the schema. Computed from the IR, the one reading of
 * the schema; long descriptions are cut, since the JSDoc and the schema file have the rest.
 */
import type { DefinitionIr, JsonValue, TypeIr } from "../ir.js";

/** Descriptions longer than this are cut with "…". */
export const MAX_EXPECTATION_LENGTH = 160;

/** Literal values listed before "…". */
const LISTED_VALUES = 5;

function shortJson(value: JsonValue): string {
  const characters = [...JSON.stringify(value)];
  return characters.length <= 40 ? characters.join("") : `${characters.slice(0, 39).join("")}…`;
}

function article(noun: string): string {
  return /^[aeiou]/i.test(noun) ? `an ${noun}` : `a ${noun}`;
}

function numberDescription(type: TypeIr & { kind: "number" }): string {
  const bounds: string[] = [];
  if (type.minimum !== undefined) bounds.push(`≥ ${type.minimum}`);
  if (type.exclusiveMinimum !== undefined) bounds.push(`> ${type.exclusiveMinimum}`);
  if (type.maximum !== undefined) bounds.push(`≤ ${type.maximum}`);
  if (type.exclusiveMaximum !== undefined) bounds.push(`< ${type.exclusiveMaximum}`);
  if (type.multipleOf !== undefined) bounds.push(`a multiple of ${type.multipleOf}`);
  const noun = type.integer ? "an integer" : "a number";
  return bounds.length === 0 ? noun : `${noun} ${bounds.join(" and ")}`;
}

function stringDescription(type: TypeIr & { kind: "string" }): string {
  const parts = countDescription("character", type.minLength, type.maxLength);
  if (type.pattern !== undefined) parts.push(`matching /${type.pattern}/`);
  return ["a string", ...parts].join(" ");
}

// "with 2 to 3 items", "with at least 1 item": the words of a count's bounds.
function countDescription(noun: string, minimum: number | undefined, maximum: number | undefined): string[] {
  const counted = (count: number) => `${count} ${count === 1 ? noun : `${noun}s`}`;
  if (minimum !== undefined && maximum !== undefined) return [minimum === maximum ? `of exactly ${counted(minimum)}` : `of ${minimum} to ${counted(maximum)}`];
  if (minimum !== undefined) return [`of at least ${counted(minimum)}`];
  return maximum !== undefined ? [`of at most ${counted(maximum)}`] : [];
}

function describe(type: TypeIr, definitions: ReadonlyMap<string, DefinitionIr>, depth: number): string {
  switch (type.kind) {
    case "any":
      return "any JSON value";
    case "never":
      return "no value at all";
    case "boolean":
      return "a boolean";
    case "null":
      return "null";
    case "number":
      return numberDescription(type);
    case "string":
      return stringDescription(type);
    case "literal": {
      if (type.values.length === 1) return shortJson(type.values[0]!);
      const listed = type.values.slice(0, LISTED_VALUES).map(shortJson).join(", ");
      return `one of ${listed}${type.values.length > LISTED_VALUES ? `, … (${type.values.length} values)` : ""}`;
    }
    case "array": {
      // "an array (of strings)": the items in parentheses, so that nested descriptions stay readable.
      const items = type.items.kind === "any" || depth > 1 ? "" : ` (of ${describe(type.items, definitions, depth + 1)})`;
      const counts = countDescription("item", type.minItems, type.maxItems);
      if (type.uniqueItems) counts.push(counts.length > 0 ? "all different" : "of different items");
      return [`an array${items}`, ...counts].join(" ");
    }
    case "object": {
      const listed = (keys: string[]) => `${keys.slice(0, LISTED_VALUES).map((key) => JSON.stringify(key)).join(", ")}${keys.length > LISTED_VALUES ? ", …" : ""}`;
      const required = type.properties.filter((property) => property.required).map((property) => property.key);
      const parts: string[] = [];
      if (required.length > 0) parts.push(`with required ${required.length === 1 ? "key" : "keys"} ${listed(required)}`);
      if (type.additional === "none") parts.push(type.properties.length === 0 ? "no keys" : `no keys but ${listed(type.properties.map((property) => property.key))}`);
      parts.push(...countDescription("key", type.minProperties, type.maxProperties).map((count) => count.replace(/^of /, "with ")));
      return parts.length === 0 ? "an object" : `an object ${parts.join(" and ")}`;
    }
    case "otherThan":
      return `anything but ${type.types.map((name) => (name === "null" ? "null" : article(name))).join(" or ")}`;
    case "anyOf":
      return type.members.map((member) => describe(member, definitions, depth + 1)).join(" or ");
    case "oneOf":
      return `exactly one of: ${type.members.map((member) => describe(member, definitions, depth + 1)).join("; ")}`;
    case "allOf":
      return type.members.map((member) => describe(member, definitions, depth + 1)).join(", and ");
    case "ref": {
      const definition = definitions.get(type.id);
      if (!definition) return "a value of its type";
      // One level of a definition is described; deeper, its type's name says where to look.
      return depth === 0 ? describe(definition.type, definitions, depth + 1) : article(definition.typeName);
    }
  }
}

/** What `type` requires, in words, at most MAX_EXPECTATION_LENGTH characters. */
export function describeExpectation(type: TypeIr, definitions: ReadonlyMap<string, DefinitionIr>): string {
  // Cut by code points, so that a cut never splits a surrogate pair.
  const characters = [...describe(type, definitions, 0)];
  return characters.length <= MAX_EXPECTATION_LENGTH ? characters.join("") : `${characters.slice(0, MAX_EXPECTATION_LENGTH - 1).join("")}…`;
}
