/**
 * Random JSON Schemas over the subset the README supports (both drafts, schemas without `type`,
 * `$ref` with siblings, nested `allOf`/`anyOf`/`oneOf`, `additionalProperties` schemas, `required`
 * without `properties`, boolean schemas, annotations) and values around their boundaries, for the
 * differential test of ajv, the generated validator and the generated type.
 */
import fc from "fast-check";

type Schema = Record<string, unknown> | boolean;

/**
 * Keys the schemas use. Not `__proto__` (ajv reads it as the prototype) nor other Object.prototype
 * names (to TypeScript, `{}` has a `toString` of the wrong type): the hostile fixture covers those.
 */
export const KEYS = ["a", "b", "c", "*/", 'quo"te', "x-y", "Ключ"] as const;
const PATTERNS = ["^a", "b$", "^[a-c]*$", "\\d", "^$"];

const small = fc.integer({ min: -3, max: 4 });
const count = fc.integer({ min: 0, max: 3 });
const smallJson: fc.Arbitrary<unknown> = fc.oneof(
  fc.constantFrom(0, 1, -1, 2, 1.5, "", "a", "b", "ab", true, false, null),
  fc.constantFrom([], [1], [1, 2], {}, { a: 1 }, { b: "x" }, { a: 1, b: 2 }),
);
const maybe = <Value>(arbitrary: fc.Arbitrary<Value>) => fc.option(arbitrary, { nil: undefined, freq: 2 });

function withoutUndefined(record: Record<string, unknown>): Record<string, unknown> {
  return Object.fromEntries(Object.entries(record).filter(([, value]) => value !== undefined));
}

const stringSchema = fc
  .record({ minLength: maybe(count), maxLength: maybe(count), pattern: maybe(fc.constantFrom(...PATTERNS)), typed: fc.boolean() })
  .map(({ typed, ...keywords }) => withoutUndefined({ ...(typed ? { type: "string" } : {}), ...keywords }));

const numberSchema = fc
  .record({
    type: fc.constantFrom("number", "integer", undefined),
    minimum: maybe(small),
    maximum: maybe(small),
    exclusiveMinimum: maybe(small),
    exclusiveMaximum: maybe(small),
    multipleOf: maybe(fc.constantFrom(0.5, 2, 3)),
  })
  .map(withoutUndefined);

const leafSchema: fc.Arbitrary<Schema> = fc.oneof(
  stringSchema,
  numberSchema,
  fc.constantFrom<Schema>({ type: "boolean" }, { type: "null" }, {}, true, false, { description: "anything" }, { title: "Named thing" }, { examples: [1] }, { deprecated: true }),
  fc.constantFrom<Schema>({ type: ["string", "null"] }, { type: ["integer", "boolean"] }, { type: ["object", "array"] }),
  // Not empty: ajv refuses an empty enum (mboxgen reads it as admitting nothing).
  fc.uniqueArray(smallJson, { minLength: 1, maxLength: 3, selector: (value) => JSON.stringify(value) }).map((values) => ({ enum: values })),
  smallJson.map((value) => ({ const: value })),
);

/** A random schema tree; `refs` are the `$defs` it may point to, `siblings` whether a `$ref` may have them. */
export function schemaArbitrary(refs: readonly string[], siblings: boolean): fc.Arbitrary<Schema> {
  const tree = fc.letrec<{ node: Schema; object: Schema; array: Schema; combinator: Schema; ref: Schema; intersection: Schema }>((tie) => ({
    node: fc.oneof({ depthSize: "small", maxDepth: 3, depthIdentifier: "schema" }, leafSchema, tie("object"), tie("array"), tie("combinator"), tie("intersection"), ...(refs.length > 0 ? [tie("ref")] : [])),
    // An array or object of closed all-optional objects (TypeScript's weak types) beside a member
    // that adds only what TypeScript cannot state: the printed intersection must stay exact.
    intersection: fc
      .tuple(fc.dictionary(fc.constantFrom(...KEYS), fc.oneof(stringSchema, numberSchema, fc.constantFrom<Schema>({ type: "boolean" })), { minKeys: 1, maxKeys: 2 }), fc.boolean(), fc.constantFrom<Schema>({ minItems: 1 }, { maxItems: 2 }, { type: "array" }, { uniqueItems: true }, {}), fc.constantFrom<Schema>({ minProperties: 1 }, { maxProperties: 1 }, { type: "object" }, { additionalProperties: true }))
      .map(([properties, asArray, arrayConstraint, objectConstraint]) => {
        const weak = { type: "object", additionalProperties: false, properties };
        return asArray ? { allOf: [{ type: "array", items: weak }, arrayConstraint] } : { allOf: [weak, objectConstraint] };
      }),
    object: fc
      .record({
        typed: fc.boolean(),
        properties: maybe(fc.dictionary(fc.constantFrom(...KEYS), tie("node"), { maxKeys: 3 })),
        required: maybe(fc.subarray([...KEYS], { maxLength: 2 })),
        additionalProperties: maybe(fc.oneof(fc.boolean(), tie("node"))),
        minProperties: maybe(count),
        maxProperties: maybe(count),
      })
      .map(({ typed, ...keywords }) => withoutUndefined({ ...(typed ? { type: "object" } : {}), ...keywords })),
    array: fc
      .record({ typed: fc.boolean(), items: maybe(tie("node")), minItems: maybe(count), maxItems: maybe(count), uniqueItems: maybe(fc.boolean()) })
      .map(({ typed, ...keywords }) => withoutUndefined({ ...(typed ? { type: "array" } : {}), ...keywords })),
    combinator: fc
      .tuple(fc.constantFrom("anyOf", "oneOf", "allOf"), fc.array(tie("node"), { minLength: 1, maxLength: 3 }))
      .map(([keyword, members]) => ({ [keyword]: members })),
    ref:
      refs.length === 0
        ? fc.constant({})
        : fc
            .tuple(fc.constantFrom(...refs), siblings ? maybe(fc.oneof(stringSchema, numberSchema, tie("object"))) : fc.constant(undefined))
            .map(([name, sibling]) => ({ ...(typeof sibling === "object" ? sibling : {}), $ref: `#/$defs/${name}` })),
  }));
  return tree.node;
}

/** A whole test case: the draft, the property's schema, the `$defs` it may reference. */
export interface SchemaCase {
  draft: "2020-12" | "draft-07";
  schema: Schema;
  defs: Record<string, Schema>;
}

/** Random cases; `d0` may refer to itself under a property or items (recursion that terminates). */
export const schemaCaseArbitrary: fc.Arbitrary<SchemaCase> = fc.constantFrom<SchemaCase["draft"]>("2020-12", "draft-07").chain((draft) =>
  fc
    .record({
      d1: schemaArbitrary([], false),
      recursive: fc.boolean(),
      d0Value: schemaArbitrary([], false),
    })
    .chain(({ d1, recursive, d0Value }) => {
      const d0: Schema = recursive ? { type: "object", properties: { v: d0Value, next: { $ref: "#/$defs/d0" } } } : d0Value;
      return schemaArbitrary(["d0", "d1"], draft === "2020-12").map((schema) => ({ draft, schema, defs: { d0, d1 } }));
    }),
);

/** The root schema of a case: an object whose key `value` has the case's schema. */
export function rootSchema(testCase: SchemaCase): Record<string, unknown> {
  return {
    $schema: testCase.draft === "2020-12" ? "https://json-schema.org/draft/2020-12/schema" : "http://json-schema.org/draft-07/schema#",
    type: "object",
    properties: { value: testCase.schema },
    $defs: testCase.defs,
  };
}

/** One value of each JSON type, for items and keys of the wrong type. */
const WRONG_TYPED: readonly unknown[] = ["a", 1, 1.5, true, null, [1], { zz: 1 }, {}];

// Values a schema makes interesting: its boundaries, its literals, each key present and absent.
function candidatesOf(schema: Schema, defs: Record<string, Schema>, depth: number, into: unknown[]): void {
  if (typeof schema !== "object" || depth > 3) return;
  const numbers = ["minimum", "maximum", "exclusiveMinimum", "exclusiveMaximum", "minLength", "maxLength", "minItems", "maxItems"].flatMap((keyword) =>
    typeof schema[keyword] === "number" ? [schema[keyword] as number] : [],
  );
  for (const bound of numbers) into.push(bound - 1, bound - 0.5, bound, bound + 1, "a".repeat(Math.max(0, bound)), Array.from({ length: Math.max(0, bound) }, (_, index) => index));
  for (const value of Array.isArray(schema.enum) ? schema.enum : []) into.push(value);
  if (Object.hasOwn(schema, "const")) into.push(schema.const);
  if (typeof schema.$ref === "string") candidatesOf(defs[schema.$ref.split("/").at(-1)!] ?? {}, defs, depth + 1, into);
  for (const keyword of ["anyOf", "oneOf", "allOf"]) for (const member of (schema[keyword] as Schema[] | undefined) ?? []) candidatesOf(member, defs, depth + 1, into);
  const properties = (schema.properties ?? {}) as Record<string, Schema>;
  const inner: unknown[] = [];
  for (const property of Object.values(properties)) candidatesOf(property, defs, depth + 1, inner);
  if (typeof schema.additionalProperties === "object" && schema.additionalProperties !== null) candidatesOf(schema.additionalProperties as Schema, defs, depth + 1, inner);
  const keys = [...new Set([...Object.keys(properties), ...((schema.required as string[] | undefined) ?? [])])];
  const filler = inner.length > 0 ? inner : [1, "a", null];
  // Each key with a value of every JSON type, so a type that forgets a key's shape is caught.
  for (const key of keys) for (const wrong of WRONG_TYPED) into.push({ [key]: wrong });
  for (let index = 0; index < 4; index += 1) {
    const object: Record<string, unknown> = {};
    keys.forEach((key, position) => {
      if ((index + position) % 3 !== 0) object[key] = filler[(index * 7 + position) % filler.length];
    });
    if (index === 3) object.extra = filler[0];
    into.push(object);
  }
  if (schema.items !== undefined) {
    const items: unknown[] = [];
    candidatesOf(schema.items as Schema, defs, depth + 1, items);
    const pool = items.length > 0 ? items : [1, "a"];
    into.push([pool[0]], pool.slice(0, 3), [pool[0], pool[0]]);
    // Items of every JSON type: an array of all-optional objects must still reject ["a"] (issue 13).
    for (const wrong of WRONG_TYPED) into.push([wrong]);
  }
}

/** Values to judge a case by: candidates from the schema and random JSON, without duplicates. */
export function valuesArbitrary(testCase: SchemaCase): fc.Arbitrary<unknown[]> {
  const candidates: unknown[] = [null, true, 0, 1, -1, 2.5, "", "a", "ab", "abc", [], [1], [1, 1], {}, { a: 1 }, { b: "x", c: null }];
  candidatesOf(testCase.schema, testCase.defs, 0, candidates);
  return fc.array(fc.jsonValue({ maxDepth: 2 }), { maxLength: 4 }).map((random) => {
    // Numbers ajv reads through parseInt stay in its range (it takes -3e+21 / 3 for no integer).
    const all = [...candidates, ...random].filter((value) => !JSON.stringify(value).includes("__proto__") && !/e[+-]?\d/.test(JSON.stringify(value)));
    const seen = new Set<string>();
    return all.filter((value) => {
      const key = JSON.stringify(value);
      if (key === undefined || seen.has(key) || Object.is(value, -0)) return false;
      seen.add(key);
      return true;
    });
  });
}
