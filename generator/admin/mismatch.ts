/**
 * Where inside a key's value an offer breaks its schema: the deepest location the IR's
 * build-time twin of the validators (`matchesType`) can blame, with what the schema wants there.
 * The verdict stays the generated validators'; this only explains a failure that they found, so
 * that `/cta: must be an object with …` can also say `/cta/url: must be present`.
 */
import { jsonTypeOf, matchesType } from "../build-ir.js";
import { describeExpectation } from "../emit/expectations.js";
import type { DefinitionIr, TypeIr } from "../ir.js";

/** The deepest place a value fails its type. */
export interface Mismatch {
  /** Path from the checked value: object keys and array indexes. */
  path: Array<string | number>;
  /** What the schema wants there, in words (`a string matching ^https://`), or `present` for a missing key. */
  rule: string;
  /** The value found there; absent when a required key is missing. */
  value?: unknown;
  /** The schema's type there, which `value` fails; absent for a missing or a disallowed key. */
  type?: TypeIr;
}

/** Nesting this deep is reported where it is reached (schemas are bounded; values may not be). */
const MAX_DEPTH = 64;

/**
 * The deepest place `value` fails `type`, or `undefined` when it matches. A combinator is
 * followed into a member only when one member alone could be meant (the only one of the value's
 * JSON type); otherwise the combinator itself is blamed.
 */
export function locateMismatch(type: TypeIr, value: unknown, definitions: ReadonlyMap<string, DefinitionIr>): Mismatch | undefined {
  return matchesType(type, value, definitions) ? undefined : deepest(type, value, definitions, [], 0);
}

function here(type: TypeIr, value: unknown, definitions: ReadonlyMap<string, DefinitionIr>, path: Array<string | number>): Mismatch {
  return { path, rule: describeExpectation(type, definitions), value, type };
}

// Called with a value that fails `type`.
function deepest(type: TypeIr, value: unknown, definitions: ReadonlyMap<string, DefinitionIr>, path: Array<string | number>, depth: number): Mismatch {
  if (depth >= MAX_DEPTH) return here(type, value, definitions, path);
  switch (type.kind) {
    case "ref": {
      const target = definitions.get(type.id);
      return target ? deepest(target.type, value, definitions, path, depth + 1) : here(type, value, definitions, path);
    }
    case "allOf": {
      const failing = type.members.filter((member) => !matchesType(member, value, definitions));
      return failing.length === 1 ? deepest(failing[0]!, value, definitions, path, depth + 1) : here(type, value, definitions, path);
    }
    case "anyOf":
    case "oneOf": {
      const sameType = type.members.filter((member) => admitsJsonType(member, jsonTypeOf(value), definitions, 0));
      // oneOf that two members match is a failure of the combinator itself.
      if (sameType.length === 1 && !matchesType(sameType[0]!, value, definitions)) return deepest(sameType[0]!, value, definitions, path, depth + 1);
      return here(type, value, definitions, path);
    }
    case "object": {
      if (typeof value !== "object" || value === null || Array.isArray(value)) return here(type, value, definitions, path);
      const record = value as Record<string, unknown>;
      for (const property of type.properties) {
        if (!Object.hasOwn(record, property.key)) {
          if (property.required) return { path: [...path, property.key], rule: "present (the schema requires it)" };
        } else if (property.declared && !matchesType(property.type, record[property.key], definitions)) {
          return deepest(property.type, record[property.key], definitions, [...path, property.key], depth + 1);
        }
      }
      const declared = new Set(type.properties.filter((property) => property.declared).map((property) => property.key));
      for (const key of Object.keys(record)) {
        if (declared.has(key) || type.additional === "any") continue;
        if (type.additional === "none") return { path: [...path, key], rule: "absent (the schema allows no other keys here)", value: record[key] };
        if (!matchesType(type.additional, record[key], definitions)) return deepest(type.additional, record[key], definitions, [...path, key], depth + 1);
      }
      return here(type, value, definitions, path);
    }
    case "array": {
      if (!Array.isArray(value)) return here(type, value, definitions, path);
      const index = value.findIndex((item) => !matchesType(type.items, item, definitions));
      // Length and uniqueness are the array's own; an item that fails is deeper.
      const ownFailure =
        (type.minItems !== undefined && value.length < type.minItems) || (type.maxItems !== undefined && value.length > type.maxItems);
      if (index >= 0 && !ownFailure) return deepest(type.items, value[index], definitions, [...path, index], depth + 1);
      return here(type, value, definitions, path);
    }
    default:
      return here(type, value, definitions, path);
  }
}

// Whether some value of JSON type `json` could match `type` (used to pick the member a value meant).
function admitsJsonType(type: TypeIr, json: string, definitions: ReadonlyMap<string, DefinitionIr>, depth: number): boolean {
  if (depth > MAX_DEPTH) return true;
  switch (type.kind) {
    case "any":
      return true;
    case "never":
      return false;
    case "string":
    case "boolean":
    case "null":
    case "object":
    case "array":
      return type.kind === json;
    case "number":
      return json === "number";
    case "literal":
      return type.values.some((literal) => jsonTypeOf(literal) === json);
    case "otherThan":
      return !type.types.includes(json as never);
    case "anyOf":
    case "oneOf":
      return type.members.some((member) => admitsJsonType(member, json, definitions, depth + 1));
    case "allOf":
      return type.members.every((member) => admitsJsonType(member, json, definitions, depth + 1));
    case "ref": {
      const target = definitions.get(type.id);
      return target ? admitsJsonType(target.type, json, definitions, depth + 1) : true;
    }
  }
}
