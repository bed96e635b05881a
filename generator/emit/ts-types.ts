/**
 * What an offer's TypeScript types say, as a small AST projected from the IR: exactly the values
 * the IR accepts wherever TypeScript can say it (closed objects stay closed, also inside unions;
 * enum values a type rejects are gone), and a superset where it cannot (bounds, lengths,
 * patterns, integers, uniqueness, and keys that `additionalProperties` constrains beside
 * declared ones). The emitters print this AST; nothing else decides a type.
 */
import { JSON_TYPE_NAMES, type DefinitionIr, type DocsIr, type JsonTypeName, type JsonValue, type TypeIr } from "../ir.js";
import { uniqueBy } from "../json-values.js";
import { jsonTypesOf } from "../normalize.js";

/** A TypeScript type. */
export type TsType =
  | { kind: "keyword"; name: "unknown" | "never" | "string" | "number" | "boolean" | "null" | "undefined" }
  | { kind: "literal"; value: string | number | boolean }
  | { kind: "reference"; name: string; typeArguments?: TsType[] }
  | { kind: "array"; element: TsType }
  | { kind: "tuple"; elements: TsType[] }
  | { kind: "object"; members: TsMember[]; index?: TsType }
  | { kind: "union"; members: TsType[] }
  | { kind: "intersection"; members: TsType[] }
  | { kind: "indexedAccess"; object: TsType; index: TsType };

/** A property of an object type, with its documentation. */
export interface TsMember {
  key: string;
  optional: boolean;
  type: TsType;
  docs: DocsIr;
  /** The member's own type when documented (for the constraints its JSDoc states). */
  constraintsOf?: TypeIr;
}

const keyword = (name: Extract<TsType, { kind: "keyword" }>["name"]): TsType => ({ kind: "keyword", name });
const UNKNOWN = keyword("unknown");
const NEVER = keyword("never");

function isKeyword(type: TsType, name: string): boolean {
  return type.kind === "keyword" && type.name === name;
}

/** A union of `members`, flattened, without duplicates, `unknown` when one is `unknown`. */
function unionOf(members: readonly TsType[]): TsType {
  const flat = members.flatMap((member) => (member.kind === "union" ? member.members : [member])).filter((member) => !isKeyword(member, "never"));
  if (flat.some((member) => isKeyword(member, "unknown"))) return UNKNOWN;
  const unique = uniqueBy(flat, (member) => JSON.stringify(member));
  if (unique.length === 0) return NEVER;
  return unique.length === 1 ? unique[0]! : { kind: "union", members: unique };
}

/** An intersection of `members`, flattened, without duplicates (`number & number` is `number`). */
function intersectionOf(members: readonly TsType[]): TsType {
  const flat = members.flatMap((member) => (member.kind === "intersection" ? member.members : [member])).filter((member) => !isKeyword(member, "unknown"));
  if (flat.some((member) => isKeyword(member, "never"))) return NEVER;
  const unique = uniqueBy(flat, (member) => JSON.stringify(member));
  if (unique.length === 0) return UNKNOWN;
  return unique.length === 1 ? unique[0]! : { kind: "intersection", members: unique };
}

const JSON_KIND_TYPES: Record<JsonTypeName, TsType> = {
  string: keyword("string"),
  number: keyword("number"),
  boolean: keyword("boolean"),
  null: keyword("null"),
  object: { kind: "object", members: [], index: UNKNOWN },
  array: { kind: "array", element: UNKNOWN },
};

/** The type of one JSON value: literal types, tuples and closed object types. */
function literalType(value: JsonValue): TsType {
  if (value === null) return keyword("null");
  if (Array.isArray(value)) return { kind: "tuple", elements: value.map(literalType) };
  if (typeof value === "object") {
    const members = Object.keys(value).map((key): TsMember => ({ key, optional: false, type: literalType(value[key]!), docs: {} }));
    // `{}` alone would admit any value but null and undefined.
    return members.length === 0 ? { kind: "object", members, index: NEVER } : { kind: "object", members };
  }
  return { kind: "literal", value };
}

/** Projects the IR onto TypeScript; `$ref`s print as their definitions' names. */
export function projectType(type: TypeIr, definitions: ReadonlyMap<string, DefinitionIr>): TsType {
  const project = (inner: TypeIr) => projectType(inner, definitions);
  switch (type.kind) {
    case "any":
      return UNKNOWN;
    case "never":
      return NEVER;
    case "string":
    case "boolean":
    case "null":
      return keyword(type.kind);
    case "number":
      return keyword("number");
    case "literal":
      return unionOf(type.values.map(literalType));
    case "array":
      return { kind: "array", element: project(type.items) };
    case "object":
      return projectObject(type, definitions);
    case "otherThan":
      return unionOf(JSON_TYPE_NAMES.filter((name) => !type.types.includes(name)).map((name) => JSON_KIND_TYPES[name]));
    case "anyOf":
    case "oneOf":
      return closeUnionMembers(unionOf(type.members.map(project)));
    case "allOf":
      return intersectionOf(withoutRedundantMembers(type.members, definitions).map(project));
    case "ref":
      return { kind: "reference", name: definitions.get(type.id)?.typeName ?? "unknown" };
  }
}

/**
 * The JSON types of which the printed type admits every value: `unknown[]` all arrays, a number
 * with bounds all numbers (TypeScript cannot state the bounds), `{ [k: string]: unknown }` all
 * objects. A subset is safe: a member is then kept.
 */
function freeInTypeScript(type: TypeIr, definitions: ReadonlyMap<string, DefinitionIr>, visiting: ReadonlySet<string> = new Set()): Set<JsonTypeName> {
  const free = (inner: TypeIr) => freeInTypeScript(inner, definitions, visiting);
  switch (type.kind) {
    case "any":
      return new Set(JSON_TYPE_NAMES);
    case "string":
    case "number":
    case "boolean":
    case "null":
      return new Set([type.kind]);
    case "array":
      return free(type.items).size === JSON_TYPE_NAMES.length ? new Set(["array"]) : new Set();
    case "object":
      return type.properties.length === 0 && (type.additional === "any" || (type.additional !== "none" && free(type.additional).size === JSON_TYPE_NAMES.length)) ? new Set(["object"]) : new Set();
    case "otherThan":
      return new Set(JSON_TYPE_NAMES.filter((name) => !type.types.includes(name)));
    case "anyOf":
    case "oneOf":
      return new Set(type.members.flatMap((member) => [...free(member)]));
    case "allOf": {
      const [first, ...rest] = type.members.map(free);
      return new Set([...(first ?? [])].filter((name) => rest.every((other) => other.has(name))));
    }
    case "ref": {
      const definition = definitions.get(type.id);
      if (!definition || visiting.has(type.id)) return new Set();
      return freeInTypeScript(definition.type, definitions, new Set([...visiting, type.id]));
    }
    default:
      return new Set();
  }
}

/**
 * An intersection's members without those that add nothing TypeScript can see: a member whose
 * printed type admits every value of every JSON type the others can be (`unknown[]` beside
 * `Item[]`, `{ [k: string]: unknown }` beside an object type, `unknown`). Such a member would
 * only make TypeScript read the intersection loosely: beside `unknown[]`, `Item[]` of an
 * all-optional `Item` stops rejecting `["a"]` (its weak-type check is off in intersections).
 * What the member constrains (`minItems`) stays in the validator and the JSDoc.
 */
function withoutRedundantMembers(members: readonly TypeIr[], definitions: ReadonlyMap<string, DefinitionIr>): TypeIr[] {
  const kept = [...members];
  for (let index = kept.length - 1; index >= 0 && kept.length > 1; index -= 1) {
    const others = kept.filter((_, other) => other !== index);
    const othersCanBe = jsonTypesOf({ kind: "allOf", members: others }, definitions);
    const free = freeInTypeScript(kept[index]!, definitions);
    if ([...othersCanBe].every((name) => free.has(name))) kept.splice(index, 1);
  }
  return kept;
}

/** Any JSON value, and never `undefined`: the type of a required key the schema says nothing more about. */
const ANY_JSON_VALUE: TsType = { kind: "union", members: [{ kind: "object", members: [] }, keyword("null")] };

// Whether `type` admits every JSON value (`{}`, or a chain of `$ref`s to it).
function isAnyValue(type: TypeIr, definitions: ReadonlyMap<string, DefinitionIr>, visiting: ReadonlySet<string> = new Set()): boolean {
  if (type.kind === "any") return true;
  if (type.kind !== "ref" || visiting.has(type.id)) return false;
  const target = definitions.get(type.id);
  return target !== undefined && isAnyValue(target.type, definitions, new Set([...visiting, type.id]));
}

function projectObject(type: TypeIr & { kind: "object" }, definitions: ReadonlyMap<string, DefinitionIr>): TsType {
  const members: TsMember[] = type.properties.map((property) => ({
    key: property.key,
    optional: !property.required,
    // A required key holds some JSON value, never `undefined`. Printed `unknown`, TypeScript would
    // read `{ k: unknown } & { k?: T }` as admitting `undefined` for k (with exactOptionalPropertyTypes
    // the intersection is not even assignable to itself); `{} | null` is exact.
    type: property.required && isAnyValue(property.type, definitions) ? ANY_JSON_VALUE : projectType(property.type, definitions),
    docs: property.docs,
    constraintsOf: property.type,
  }));
  if (type.additional === "any") return { kind: "object", members, index: UNKNOWN };
  if (type.additional === "none") {
    // A closed object without keys is `{}` only: `{}` alone would also admit 66.
    return members.length === 0 ? { kind: "object", members, index: NEVER } : { kind: "object", members };
  }
  const additional = projectType(type.additional, definitions);
  // Every property must fit the index signature: the signature admits theirs too (and undefined
  // for optional ones), which is as close as TypeScript gets to "other keys only".
  const index = unionOf([additional, ...members.map((member) => member.type), ...(members.some((member) => member.optional) ? [keyword("undefined")] : [])]);
  return { kind: "object", members, index };
}

// In a union, an object type that admits no other keys still admits the keys of its sibling
// members to TypeScript's excess-property check: `key?: never` makes it say no.
function closeUnionMembers(type: TsType): TsType {
  if (type.kind !== "union") return type;
  const objects = type.members.filter((member): member is TsType & { kind: "object" } => member.kind === "object");
  if (objects.length < 2) return type;
  return {
    kind: "union",
    members: type.members.map((member) => {
      if (member.kind !== "object" || member.index !== undefined) return member;
      const own = new Set(member.members.map((property) => property.key));
      const foreign = [...new Set(objects.flatMap((other) => (other === member ? [] : other.members.map((property) => property.key))))].filter((key) => !own.has(key));
      if (foreign.length === 0) return member;
      return { ...member, members: [...member.members, ...foreign.map((key) => ({ key, optional: true, type: NEVER, docs: {} }))] };
    }),
  };
}
