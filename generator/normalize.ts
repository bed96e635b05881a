/**
 * Stage 5, `normalize`: simplifies each mbox's TypeIr without changing which values it accepts,
 * so that the printed types are as precise as TypeScript allows and the validators as short as
 * they can be. Each rule is named in plain English and kept as data, so a debug log can say
 * which rule fired. Rules build new nodes; they never mutate their input.
 */
import { jsonTypeOf, matchesType } from "./build-ir.js";
import { JSON_TYPE_NAMES, type DefinitionIr, type JsonTypeName, type MboxIr, type PropertyIr, type TypeIr } from "./ir.js";
import { uniqueBy, uniqueJsonValues } from "./json-values.js";

type Definitions = ReadonlyMap<string, DefinitionIr>;
type Rule = (type: TypeIr, definitions: Definitions) => TypeIr;

const ANY: TypeIr = { kind: "any" };
const NEVER: TypeIr = { kind: "never" };

function sameType(left: TypeIr, right: TypeIr): boolean {
  return JSON.stringify(left) === JSON.stringify(right);
}

/** How many `$ref`s deep `jsonTypesOf` looks; beyond, it answers every type (a superset is allowed). */
const MAX_REFERENCES_FOLLOWED = 64;

/**
 * The JSON types `type` can accept (a superset: constraints aside). A reference is followed once;
 * a cycle, or a chain longer than MAX_REFERENCES_FOLLOWED, counts as every type.
 */
export function jsonTypesOf(type: TypeIr, definitions: Definitions, visiting = new Set<string>()): Set<JsonTypeName> {
  switch (type.kind) {
    case "any":
      return new Set(JSON_TYPE_NAMES);
    case "never":
      return new Set();
    case "string":
    case "number":
    case "boolean":
    case "null":
    case "object":
    case "array":
      return new Set([type.kind]);
    case "literal":
      return new Set(type.values.map(jsonTypeOf));
    case "otherThan":
      return new Set(JSON_TYPE_NAMES.filter((name) => !type.types.includes(name)));
    case "anyOf":
    case "oneOf":
      return new Set(type.members.flatMap((member) => [...jsonTypesOf(member, definitions, visiting)]));
    case "allOf": {
      let types = new Set(JSON_TYPE_NAMES);
      for (const member of type.members) {
        const memberTypes = jsonTypesOf(member, definitions, visiting);
        types = new Set([...types].filter((name) => memberTypes.has(name)));
      }
      return types;
    }
    case "ref": {
      const definition = definitions.get(type.id);
      if (!definition || visiting.has(type.id) || visiting.size >= MAX_REFERENCES_FOLLOWED) return new Set(JSON_TYPE_NAMES);
      return jsonTypesOf(definition.type, definitions, new Set([...visiting, type.id]));
    }
  }
}

// Whether a member lets every value of its JSON type through (so that with the other types it can be `any`).
function isUnconstrained(type: TypeIr): boolean {
  switch (type.kind) {
    case "string":
      return type.minLength === undefined && type.maxLength === undefined && type.pattern === undefined;
    case "number":
      return !type.integer && type.minimum === undefined && type.maximum === undefined && type.exclusiveMinimum === undefined && type.exclusiveMaximum === undefined && type.multipleOf === undefined;
    case "boolean":
    case "null":
      return true;
    case "object":
      return type.properties.length === 0 && type.additional === "any" && type.minProperties === undefined && type.maxProperties === undefined;
    case "array":
      return type.items.kind === "any" && type.minItems === undefined && type.maxItems === undefined && !type.uniqueItems;
    default:
      return false;
  }
}

function flatten(kind: "anyOf" | "allOf", members: readonly TypeIr[]): TypeIr[] {
  return members.flatMap((member) => (member.kind === kind ? flatten(kind, member.members) : [member]));
}

// Merges two object types that must both hold: a key's value meets both (the declaring member's
// schema, or the other's additionalProperties), undeclared keys meet both additionals.
function mergeObjects(left: TypeIr & { kind: "object" }, right: TypeIr & { kind: "object" }): TypeIr & { kind: "object" } {
  const additionalType = (object: TypeIr & { kind: "object" }): TypeIr => (object.additional === "any" ? ANY : object.additional === "none" ? NEVER : object.additional);
  const valueOf = (object: TypeIr & { kind: "object" }, key: string): TypeIr => object.properties.find((property) => property.key === key && property.declared)?.type ?? additionalType(object);
  const keys = [...new Set([...left.properties, ...right.properties].map((property) => property.key))];
  const properties: PropertyIr[] = keys.map((key) => {
    const ownLeft = left.properties.find((property) => property.key === key);
    const ownRight = right.properties.find((property) => property.key === key);
    const declared = Boolean(ownLeft?.declared || ownRight?.declared);
    return {
      key,
      required: Boolean(ownLeft?.required || ownRight?.required),
      declared,
      type: { kind: "allOf", members: [valueOf(left, key), valueOf(right, key)] },
      docs: { ...ownRight?.docs, ...ownLeft?.docs },
    };
  });
  let additional: TypeIr | "any" | "none";
  if (left.additional === "none" || right.additional === "none") additional = "none";
  else if (left.additional === "any") additional = right.additional;
  else if (right.additional === "any") additional = left.additional;
  else additional = { kind: "allOf", members: [left.additional, right.additional] };
  const merged: TypeIr & { kind: "object" } = { kind: "object", properties, additional };
  const bound = (pick: (a: number, b: number) => number, a: number | undefined, b: number | undefined) => (a === undefined ? b : b === undefined ? a : pick(a, b));
  const minProperties = bound(Math.max, left.minProperties, right.minProperties);
  const maxProperties = bound(Math.min, left.maxProperties, right.maxProperties);
  if (minProperties !== undefined) merged.minProperties = minProperties;
  if (maxProperties !== undefined) merged.maxProperties = maxProperties;
  return merged;
}

// Merges two array types that must both hold: every item meets both item schemas, bounds meet.
// TypeScript reads `A[] & B[]` loosely (an intersection switches off its weak-type check), so one
// array of `A & B` is also the exact type.
function mergeArrays(left: TypeIr & { kind: "array" }, right: TypeIr & { kind: "array" }): TypeIr & { kind: "array" } {
  const merged: TypeIr & { kind: "array" } = { kind: "array", items: { kind: "allOf", members: [left.items, right.items] } };
  const minItems = Math.max(left.minItems ?? 0, right.minItems ?? 0);
  const maxItems = Math.min(left.maxItems ?? Infinity, right.maxItems ?? Infinity);
  if (minItems > 0) merged.minItems = minItems;
  if (maxItems !== Infinity) merged.maxItems = maxItems;
  if (left.uniqueItems || right.uniqueItems) merged.uniqueItems = true;
  return merged;
}

/** A rule that merges the `allOf` members of one kind into one member of that kind (when there are two or more). */
function mergeAllOfMembers<Kind extends "object" | "array">(kind: Kind, merge: (left: TypeIr & { kind: Kind }, right: TypeIr & { kind: Kind }) => TypeIr & { kind: Kind }): Rule {
  return (type) => {
    if (type.kind !== "allOf") return type;
    const same = type.members.filter((member): member is TypeIr & { kind: Kind } => member.kind === kind);
    if (same.length < 2) return type;
    const merged = same.reduce(merge);
    const rest = type.members.filter((member) => member.kind !== kind);
    return rest.length === 0 ? merged : { kind: "allOf", members: [merged, ...rest] };
  };
}

function withoutKey<T extends TypeIr, K extends keyof T>(type: T, key: K): T {
  const copy = { ...type };
  delete copy[key];
  return copy;
}

/** The rules, in the order they run on each node (children first). */
export const normalizationRules: ReadonlyArray<readonly [name: string, rule: Rule]> = [
  ["nested anyOf and allOf are flattened", (type) => (type.kind === "anyOf" || type.kind === "allOf" ? { kind: type.kind, members: flatten(type.kind, type.members) } : type)],
  [
    "an allOf member that admits every value goes; one that admits none makes the allOf never",
    (type) => {
      if (type.kind !== "allOf") return type;
      if (type.members.some((member) => member.kind === "never")) return NEVER;
      const members = type.members.filter((member) => member.kind !== "any");
      return members.length === type.members.length ? type : { kind: "allOf", members };
    },
  ],
  [
    "an anyOf member that admits no value goes; one that admits every value makes the anyOf any",
    (type) => {
      if (type.kind !== "anyOf") return type;
      if (type.members.some((member) => member.kind === "any")) return ANY;
      const members = type.members.filter((member) => member.kind !== "never");
      return members.length === type.members.length ? type : { kind: "anyOf", members };
    },
  ],
  [
    "a oneOf member that admits no value goes",
    (type) => {
      if (type.kind !== "oneOf") return type;
      const members = type.members.filter((member) => member.kind !== "never");
      return members.length === type.members.length ? type : { kind: "oneOf", members };
    },
  ],
  [
    "an allOf of types with no JSON type in common is never",
    (type, definitions) => (type.kind === "allOf" && type.members.length > 1 && jsonTypesOf(type, definitions).size === 0 ? NEVER : type),
  ],
  [
    "anyOf and oneOf members that the rest of an allOf rules out by JSON type go",
    (type, definitions) => {
      if (type.kind !== "allOf") return type;
      let changed = false;
      const members = type.members.map((member, index) => {
        if (member.kind !== "anyOf" && member.kind !== "oneOf") return member;
        const others = jsonTypesOf({ kind: "allOf", members: type.members.filter((_, other) => other !== index) }, definitions);
        const kept = member.members.filter((candidate) => [...jsonTypesOf(candidate, definitions)].some((name) => others.has(name)));
        if (kept.length === member.members.length) return member;
        changed = true;
        return { kind: member.kind, members: kept };
      });
      return changed ? { kind: "allOf", members } : type;
    },
  ],
  [
    "enum and const values that the other allOf members reject are dropped",
    (type, definitions) => {
      if (type.kind !== "allOf") return type;
      const literalIndex = type.members.findIndex((member) => member.kind === "literal");
      if (literalIndex === -1) return type;
      const others = type.members.filter((_, index) => index !== literalIndex);
      const candidates = (type.members[literalIndex] as TypeIr & { kind: "literal" }).values;
      const values = uniqueJsonValues(candidates).filter((value) => others.every((other) => matchesType(other, value, definitions)));
      return values.length === 0 ? NEVER : { kind: "literal", values };
    },
  ],
  [
    "objects in an allOf merge into one object",
    mergeAllOfMembers("object", mergeObjects),
  ],
  [
    "arrays in an allOf merge into one array",
    mergeAllOfMembers("array", mergeArrays),
  ],
  [
    "enum and const members of an anyOf merge into one",
    (type) => {
      if (type.kind !== "anyOf") return type;
      const literals = type.members.filter((member): member is TypeIr & { kind: "literal" } => member.kind === "literal");
      if (literals.length < 2) return type;
      const values = uniqueJsonValues(literals.flatMap((literal) => literal.values));
      const firstIndex = type.members.findIndex((member) => member.kind === "literal");
      const members = type.members.flatMap((member, index): TypeIr[] => (member.kind !== "literal" ? [member] : index === firstIndex ? [{ kind: "literal", values }] : []));
      return { kind: "anyOf", members };
    },
  ],
  [
    "duplicate anyOf members go",
    (type) => {
      if (type.kind !== "anyOf") return type;
      const members = uniqueBy(type.members, (member) => JSON.stringify(member));
      return members.length === type.members.length ? type : { kind: "anyOf", members };
    },
  ],
  [
    "an anyOf that lets every JSON type through unconstrained is any",
    (type) => {
      if (type.kind !== "anyOf") return type;
      const free = new Set<JsonTypeName>();
      for (const member of type.members) {
        if (member.kind === "otherThan") for (const name of JSON_TYPE_NAMES) if (!member.types.includes(name)) free.add(name);
        if (isUnconstrained(member)) free.add(member.kind as JsonTypeName);
      }
      return free.size === JSON_TYPE_NAMES.length ? ANY : type;
    },
  ],
  [
    "an object that requires a key no value can take, or an array that requires an item none can be, is never",
    (type) => {
      if (type.kind === "object" && type.properties.some((property) => property.required && property.declared && property.type.kind === "never")) return NEVER;
      if (type.kind === "object" && type.additional === "none" && type.properties.some((property) => property.required && !property.declared)) return NEVER;
      if (type.kind === "array" && type.items.kind === "never" && (type.minItems ?? 0) > 0) return NEVER;
      return type;
    },
  ],
  [
    "lower bounds of zero go",
    (type) => {
      if (type.kind === "string" && type.minLength === 0) return withoutKey(type, "minLength");
      if (type.kind === "array" && type.minItems === 0) return withoutKey(type, "minItems");
      if (type.kind === "object" && type.minProperties === 0) return withoutKey(type, "minProperties");
      return type;
    },
  ],
  [
    "an anyOf, oneOf or allOf of one member is that member; of none, never or any",
    (type) => {
      if (type.kind !== "anyOf" && type.kind !== "oneOf" && type.kind !== "allOf") return type;
      if (type.members.length === 1) return type.members[0]!;
      if (type.members.length === 0) return type.kind === "allOf" ? ANY : NEVER;
      return type;
    },
  ],
];

function normalizeChildren(type: TypeIr, definitions: Definitions, onRule: ((name: string) => void) | undefined): TypeIr {
  const normalizeType = (inner: TypeIr) => normalizeType0(inner, definitions, onRule);
  switch (type.kind) {
    case "object":
      return {
        ...type,
        properties: type.properties.map((property) => ({ ...property, type: normalizeType(property.type) })),
        additional: type.additional === "any" || type.additional === "none" ? type.additional : normalizeType(type.additional),
      };
    case "array":
      return { ...type, items: normalizeType(type.items) };
    case "anyOf":
    case "oneOf":
    case "allOf":
      return { kind: type.kind, members: type.members.map(normalizeType) };
    default:
      return type;
  }
}

function normalizeType0(type: TypeIr, definitions: Definitions, onRule: ((name: string) => void) | undefined): TypeIr {
  let current = normalizeChildren(type, definitions, onRule);
  // Rules run until none changes the node: one rule's result can enable an earlier one.
  for (let changed = true; changed; ) {
    changed = false;
    for (const [ruleName, rule] of normalizationRules) {
      const next = rule(current, definitions);
      if (next === current || sameType(next, current)) continue;
      onRule?.(ruleName);
      current = normalizeChildren(next, definitions, onRule);
      changed = true;
      break;
    }
  }
  return current;
}

/** Simplifies a type; `onRule` hears the name of each rule that changed something. */
export function normalizeType(type: TypeIr, definitions: Definitions, onRule?: (name: string) => void): TypeIr {
  return normalizeType0(type, definitions, onRule);
}

/** Simplifies every type of an mbox: its keys' and its definitions'. Returns a new IR. */
export function normalize(ir: MboxIr, onRule?: (name: string) => void): MboxIr {
  // Rules read definitions (to check enum values through $refs) as built, which accept the same values.
  const definitions = new Map<string, DefinitionIr>();
  for (const [id, definition] of ir.definitions) definitions.set(id, { ...definition, type: normalizeType(definition.type, ir.definitions, onRule) });
  return { ...ir, definitions, attributes: ir.attributes.map((attribute) => ({ ...attribute, type: normalizeType(attribute.type, ir.definitions, onRule) })) };
}
