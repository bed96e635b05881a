/**
 * json-schema-to-typescript as an independent oracle for the offer types. mboxgen prints types
 * from its own IR; json-schema-to-typescript reads the same schema its own way. Where it reads a
 * schema correctly, the two types must be mutually assignable. Schemas come from the part of the
 * supported subset it reads correctly: every schema says its type (or is an enum, a const, a
 * `$ref`, an `anyOf`/`oneOf`, or an `allOf` of open objects), `required` names declared keys,
 * closed objects declare keys, an `additionalProperties` schema stands without `properties` (it
 * then types the members as an index signature that must admit them too), and constraints
 * TypeScript cannot state stay out of intersections (it ignores them where they rule literals out). Outside that part it is wrong in the ways issue #9
 * lists (an annotation-only schema typed as an object, a `default` taken for the type, `{}` for a
 * closed object with no keys), which the differential test in soundness.test.ts judges against
 * ajv instead.
 */
import fc from "fast-check";
import { compile } from "json-schema-to-typescript";
import { describe, expect, it } from "vitest";
import { generate } from "../../generator/index.js";
import { createTypeChecker } from "../support/type-checker.js";

const RUNS = Number(process.env.MBOXGEN_ORACLE_RUNS ?? 40);
const checker = createTypeChecker("test/.virtual-oracle");

type Schema = Record<string, unknown>;
const KEYS = ["a", "b", "x-y", "Ключ"];

// Types TypeScript states whole: where they meet in an allOf, both readings must agree.
const plainLeaf: fc.Arbitrary<Schema> = fc.oneof(
  fc.constantFrom<Schema>({ type: "string" }, { type: "number" }, { type: "boolean" }, { type: "null" }, { type: ["string", "null"] }),
  fc.uniqueArray(fc.constantFrom("x", "y", 1, 2.5, true, null), { minLength: 1, maxLength: 3 }).map((values) => ({ enum: values })),
  fc.constantFrom("x", 0, false, null).map((value) => ({ const: value })),
);
// Constraints TypeScript cannot state: json-schema-to-typescript ignores them, so they stay out
// of intersections, where mboxgen also drops the literals they rule out ("x" beside "^a").
const leaf: fc.Arbitrary<Schema> = fc.oneof(plainLeaf, fc.constantFrom<Schema>({ type: "string", maxLength: 3, pattern: "^a" }, { type: "integer", minimum: 1 }, { type: ["integer", "boolean"] }));

const schemaTree = fc.letrec<{ node: Schema; object: Schema; map: Schema; array: Schema; union: Schema; intersection: Schema; ref: Schema }>((tie) => ({
  node: fc.oneof({ depthSize: "small", maxDepth: 3, depthIdentifier: "oracle" }, leaf, tie("object"), tie("map"), tie("array"), tie("union"), tie("intersection"), tie("ref")),
  object: fc
    .tuple(fc.dictionary(fc.constantFrom(...KEYS), tie("node"), { minKeys: 1, maxKeys: 3 }), fc.boolean(), fc.boolean())
    .map(([properties, closed, requireFirst]) => ({
      type: "object",
      properties,
      ...(requireFirst ? { required: [Object.keys(properties)[0]] } : {}),
      ...(closed ? { additionalProperties: false } : {}),
    })),
  map: fc.oneof(tie("node").map((values) => ({ type: "object", additionalProperties: values })), fc.constant({ type: "object" })),
  array: fc.oneof(tie("node").map((items) => ({ type: "array", items })), fc.constant({ type: "array" })),
  union: fc.tuple(fc.constantFrom("anyOf", "oneOf"), fc.array(tie("node"), { minLength: 2, maxLength: 3 })).map(([keyword, members]) => ({ [keyword]: members })),
  // Open objects meet as an intersection of their members.
  intersection: fc
    .array(fc.dictionary(fc.constantFrom(...KEYS), plainLeaf, { minKeys: 1, maxKeys: 2 }), { minLength: 2, maxLength: 2 })
    .map((members) => ({ allOf: members.map((properties) => ({ type: "object", properties })) })),
  ref: fc.constantFrom({ $ref: "#/$defs/shared" }),
}));

const shared = fc.oneof(leaf, schemaTree.object);

async function typesOf(schema: Schema, definition: Schema): Promise<{ ours: string; theirs: string }> {
  const root = { type: "object", properties: { value: schema }, $defs: { shared: definition } };
  const { files } = await generate({ schemas: [{ path: "subject.schema.json", text: JSON.stringify(root) }] });
  const ours = files.find((file) => file.path === "subject.ts")!.text;
  // json-schema-to-typescript mutates its input: it gets a copy.
  const theirs = await compile(structuredClone(root) as Parameters<typeof compile>[0], "Theirs", { bannerComment: "", format: false, unknownAny: true });
  return { ours, theirs };
}

function disagreements(ours: string, theirs: string): string[] {
  const check = [
    'import type { Subject } from "./subject.js";',
    'import type { Theirs } from "./theirs.js";',
    'type Ours = Exclude<Subject["value"], undefined>;',
    'type Oracle = Exclude<Theirs["value"], undefined>;',
    "declare const ours: Ours;",
    "declare const oracle: Oracle;",
    "export const oursIsOracle: Oracle = ours;",
    "export const oracleIsOurs: Ours = oracle;",
    "",
  ].join("\n");
  return checker.check({ "subject.ts": ours, "theirs.ts": theirs, "check.ts": check }).map((diagnostic) => `${diagnostic.file}:${diagnostic.line} ${diagnostic.message}`);
}

describe("json-schema-to-typescript as an oracle", () => {
  it(`${RUNS} random schemas it reads correctly: its type and ours are mutually assignable`, async () => {
    await fc.assert(
      fc.asyncProperty(schemaTree.node, shared, async (schema, definition) => {
        const { ours, theirs } = await typesOf(schema, definition);
        expect(disagreements(ours, theirs), `ours:\n${ours.slice(0, 1500)}\n\ntheirs:\n${theirs}`).toEqual([]);
      }),
      { numRuns: RUNS },
    );
  }, 300_000);

  it("finds a type that differs (negative control)", () => {
    const ours = 'export interface Subject { value?: string }\n';
    const theirs = 'export interface Theirs { value?: string | number }\n';
    expect(disagreements(ours, theirs)).toHaveLength(1);
  });
});
