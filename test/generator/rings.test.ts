/**
 * `$ref` rings that never reach a nested value (generator/rings.ts): a definition that is, through
 * anyOf/allOf/oneOf and `$ref`s, a member of itself. Unit cases for each reading and refusal, and a
 * property test that makes such rings on purpose: every schema either generates a module that
 * compiles (no TS2456), whose accessors never throw and whose validator agrees with a reference
 * interpreter written here (the least fixed point: re-entering a definition for the same value
 * shows nothing), or is refused with SCHEMA_REF_RING naming a real ring, for a reason the
 * interpreter confirms.
 */
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { generate, GeneratorErrors } from "../../generator/index.js";
import { closedPath, cyclicComponents } from "../../generator/graph-cycles.js";
import { MAX_RING_NODES, reduceRings, unguardedReferences } from "../../generator/rings.js";
import type { DefinitionIr, TypeIr } from "../../generator/ir.js";
import { createTypeChecker, runGeneratedModule, typeScriptLiteral } from "../support/type-checker.js";

const RUNS = Number(process.env.MBOXGEN_RING_RUNS ?? 60);
const checker = createTypeChecker("test/.virtual-rings");
const DRAFT_2020 = "https://json-schema.org/draft/2020-12/schema";

type Schema = Record<string, unknown> | boolean;
type Accessor = { subject: { from(provider: object, options?: object): { value(): unknown } } };

async function generateSubject(defs: Record<string, Schema>, value: Schema = { $ref: "#/$defs/d0" }) {
  const root = { $schema: DRAFT_2020, type: "object", properties: { value }, $defs: defs };
  return generate({ schemas: [{ path: "subject.schema.json", text: JSON.stringify(root) }], config: { format: false } });
}

async function refusalOf(defs: Record<string, Schema>): Promise<string[]> {
  try {
    await generateSubject(defs);
  } catch (error) {
    if (error instanceof GeneratorErrors) return error.errors.map((each) => each.message);
    throw error;
  }
  return [];
}

async function subjectOf(defs: Record<string, Schema>) {
  const { files } = await generateSubject(defs);
  const source = files.find((file) => file.path === "subject.ts")!.text;
  const module = await runGeneratedModule<Accessor>(source);
  return { source, read: (value: unknown) => module.subject.from({ asObject: () => ({ value }) }).value() };
}

describe("rings that reduce", () => {
  it("a schema that is an anyOf member of itself accepts what its other members accept", async () => {
    const subject = await subjectOf({ d0: { anyOf: [{ $ref: "#/$defs/d0" }, { type: "string" }] } });
    expect(subject.read("x")).toBe("x");
    expect(subject.read(1)).toBeUndefined();
    expect(checker.check({ "subject.ts": subject.source })).toEqual([]);
  });

  it("a ring of several definitions through anyOf and allOf", async () => {
    // d0 = d1 ∪ number, d1 = d0 ∩ {minimum 1}: d0 is number, d1 is a number of at least 1.
    const subject = await subjectOf({ d0: { anyOf: [{ $ref: "#/$defs/d1" }, { type: "number" }] }, d1: { allOf: [{ $ref: "#/$defs/d0" }, { minimum: 1 }] } });
    expect([subject.read(0), subject.read(5), subject.read("a")]).toEqual([0, 5, undefined]);
    const throughD1 = await subjectOf({ d0: { allOf: [{ $ref: "#/$defs/d1" }] }, d1: { allOf: [{ anyOf: [{ $ref: "#/$defs/d0" }, { type: "number" }] }, { minimum: 1 }] } });
    // d1 = (d0 ∪ number) ∩ {minimum 1}: the least solution is the numbers from 1, so "a" is out.
    expect([throughD1.read(0), throughD1.read(5), throughD1.read("a")]).toEqual([undefined, 5, undefined]);
  });

  it("titled inline schemas and $refs beside keywords take part like any definition", async () => {
    const subject = await subjectOf({ d0: { title: "Node", anyOf: [{ title: "Inner", anyOf: [{ $ref: "#/$defs/d0" }, { type: "boolean" }] }, { type: "null" }] } });
    expect([subject.read(true), subject.read(null), subject.read(0)]).toEqual([true, null, undefined]);
    expect(checker.check({ "subject.ts": subject.source })).toEqual([]);
  });

  it("recursion through a property or an item is not a ring", async () => {
    const subject = await subjectOf({ d0: { type: "object", properties: { next: { anyOf: [{ $ref: "#/$defs/d0" }, { type: "null" }] } }, required: ["next"] } });
    expect(subject.read({ next: { next: null } })).toEqual({ next: { next: null } });
    expect(subject.read({ next: { next: 1 } })).toBeUndefined();
  });

  it("a default is checked against the reduced ring", async () => {
    const messages = await refusalOf({ d0: { anyOf: [{ $ref: "#/$defs/d0" }, { type: "string" }], default: 5 } }).then(() => []);
    expect(messages).toEqual([]);
    await expect(generateSubject({ d0: { anyOf: [{ $ref: "#/$defs/d0" }, { type: "string" }] } }, { $ref: "#/$defs/d0", default: 5 })).rejects.toThrow(/DEFAULT_INVALID/);
  });
});

describe("rings that are refused", () => {
  it("names the ring, its file and line, and says why: only itself", async () => {
    const [message] = await refusalOf({ d0: { $ref: "#/$defs/d0" } });
    expect(message).toMatch(/^subject\.schema\.json:1:\d+ \/\$defs\/d0: the \$refs #\/\$defs\/d0 → #\/\$defs\/d0 lead back to where they start without passing through a property or an array item/);
    expect(message).toMatch(/no value matches it; make the recursion pass through "properties" or "items"/);
    expect(message).toMatch(/\[SCHEMA_REF_RING\]$/);
  });

  it("an allOf member of itself admits nothing and is refused", async () => {
    const [message] = await refusalOf({ d0: { allOf: [{ $ref: "#/$defs/d1" }, { type: "string" }] }, d1: { $ref: "#/$defs/d0", minLength: 1 } });
    expect(message).toContain("#/$defs/d0 → #/$defs/d1 → #/$defs/d0");
    expect(message).toContain("no value matches it");
  });

  it("a ring through oneOf is refused: it contradicts itself", async () => {
    const messages = await refusalOf({ d0: { oneOf: [{ $ref: "#/$defs/d1" }, { type: "string" }] }, d1: { anyOf: [{ $ref: "#/$defs/d0" }, { type: "number" }] } });
    expect(messages).toHaveLength(1);
    expect(messages[0]).toContain("#/$defs/d0 → #/$defs/d1 → #/$defs/d0");
    expect(messages[0]).toContain("passes through oneOf");
  });

  it("refuses the whole component, so no later stage meets the rest of it (found at 321 runs)", async () => {
    const messages = await refusalOf({
      d0: { $ref: "#/$defs/d2" },
      d1: { oneOf: [{ $ref: "#/$defs/d1" }, { type: "string", $ref: "#/$defs/d0" }, { type: "object", properties: { next: { $ref: "#/$defs/d0" } } }] },
      d2: { allOf: [{ enum: [1, "a", null] }, { $ref: "#/$defs/d1" }, { $ref: "#/$defs/d0" }] },
    });
    expect(messages).toHaveLength(1);
    expect(messages[0]).toContain("passes through oneOf");
  });

  it("a ring across files names each file", async () => {
    const schemas = [
      { path: "subject.schema.json", text: JSON.stringify({ $schema: DRAFT_2020, type: "object", properties: { value: { $ref: "shared.json#/$defs/a" } } }) },
      { path: "shared.json", text: JSON.stringify({ $schema: DRAFT_2020, $defs: { a: { allOf: [{ $ref: "other.json" }] } } }) },
      { path: "other.json", text: JSON.stringify({ $schema: DRAFT_2020, allOf: [{ $ref: "shared.json#/$defs/a" }] }) },
    ];
    await expect(generate({ schemas, config: { format: false } })).rejects.toThrow(/shared\.json:1:\d+ \/\$defs\/a: the \$refs #\/\$defs\/a → other\.json# → #\/\$defs\/a/);
  });
});

describe("reduceRings", () => {
  const definition = (type: TypeIr): DefinitionIr => ({ type, docs: {}, nameHint: "x", typeName: "" });
  const ref = (id: string): TypeIr => ({ kind: "ref", id });

  it("does not change its input, and keeps references outside the ring", () => {
    const definitions = new Map([
      ["a", definition({ kind: "anyOf", members: [ref("a"), ref("outside"), { kind: "object", properties: [{ key: "k", required: true, declared: true, type: ref("a"), docs: {} }], additional: "any" }] })],
      ["outside", definition({ kind: "string" })],
    ]);
    const before = JSON.stringify([...definitions]);
    const { types, problems } = reduceRings(definitions, ["a", "outside"]);
    expect(JSON.stringify([...definitions])).toBe(before);
    expect(problems).toEqual([]);
    const reduced = types.get("a")!;
    expect(reduced.kind === "anyOf" && reduced.members.map((member) => member.kind)).toEqual(["never", "ref", "object"]);
    expect([...unguardedReferences(reduced)]).toEqual(["outside"]);
  });

  it("a simple ring of thousands reduces in linear time: one member is unfolded, the others keep their references", () => {
    const ring = new Map(Array.from({ length: 4000 }, (_, index) => [`d${index}`, definition({ kind: "anyOf", members: [ref(`d${(index + 1) % 4000}`), { kind: "literal", values: [index] }] })]));
    const { types, problems } = reduceRings(ring, [...ring.keys()]);
    expect(problems).toEqual([]);
    expect(types.size).toBe(1);
    const [unfolded] = [...types.values()];
    expect(unguardedReferences(unfolded!).size).toBe(0);
  });

  it(`refuses a ring whose unfolding passes ${MAX_RING_NODES.toLocaleString("en")} nodes`, () => {
    // Every member refers to every other: the ways round grow as the factorial of the members.
    const names = Array.from({ length: 12 }, (_, index) => `d${index}`);
    const dense = new Map(names.map((name, index) => [name, definition({ kind: "anyOf", members: [...names.filter((other) => other !== name).map(ref), { kind: "literal", values: [index] }] })]));
    const { problems } = reduceRings(dense, names);
    expect(problems.map((problem) => [problem.reason, problem.component.length])).toEqual([["too-large", 12]]);
    expect(problems[0]!.ring[0]).toBe(problems[0]!.ring.at(-1));
  });
});

// ---- The property test: random rings, judged by a reference interpreter ----

const LEAVES: Schema[] = [
  { type: "string" },
  { type: "number" },
  { type: "integer", minimum: 0 },
  { type: "boolean" },
  { type: "null" },
  { type: "string", minLength: 2 },
  { enum: [1, "a", null] },
  { const: 2 },
  { type: "array", items: { type: "number" } },
  { type: "object", properties: { k: { type: "string" } }, required: ["k"] },
  { minimum: 1 },
  true,
];
const DEF_NAMES = ["d0", "d1", "d2"] as const;

/** A member: a leaf, an unguarded $ref (with or without a sibling), a nested combinator, or a $ref under a property (guarded). */
const memberArbitrary: fc.Arbitrary<Schema> = fc.letrec<{ member: Schema }>((tie) => ({
  member: fc.oneof(
    { depthSize: "small", maxDepth: 2, depthIdentifier: "ring" },
    fc.constantFrom(...LEAVES),
    fc.constantFrom(...DEF_NAMES).map((name) => ({ $ref: `#/$defs/${name}` })),
    fc.tuple(fc.constantFrom(...DEF_NAMES), fc.constantFrom<Schema>({ type: "string" }, { minimum: 0 }, { type: "array" })).map(([name, sibling]) => ({ ...(sibling as object), $ref: `#/$defs/${name}` })),
    fc.tuple(fc.constantFrom("anyOf", "allOf", "oneOf"), fc.array(tie("member"), { minLength: 1, maxLength: 3 })).map(([keyword, members]) => ({ [keyword]: members })),
    fc.constantFrom(...DEF_NAMES).map((name) => ({ type: "object", properties: { next: { $ref: `#/$defs/${name}` } } })),
  ),
})).member;

const definitionArbitrary = fc.tuple(fc.constantFrom("anyOf", "allOf", "oneOf", "ref"), fc.array(memberArbitrary, { minLength: 1, maxLength: 3 }), fc.constantFrom(...DEF_NAMES)).map(([kind, members, name]): Schema =>
  kind === "ref" ? { $ref: `#/$defs/${name}` } : { [kind]: members },
);

const ringCaseArbitrary: fc.Arbitrary<Record<string, Schema>> = fc.record({ d0: definitionArbitrary, d1: definitionArbitrary, d2: definitionArbitrary });

const VALUES: unknown[] = [null, true, false, 0, 1, 2, -1, 2.5, "", "a", "ab", [], [1], ["a"], {}, { k: "x" }, { k: 1 }, { next: 1 }, { next: "ab" }, { next: { next: null } }, { k: "x", next: true }];

/** What the interpreter found about a definition graph: a way back through oneOf, or none. */
interface Interpretation {
  verdict(value: unknown): boolean;
  crossesOneOf: boolean;
}

/**
 * JSON Schema over the subset above, with the least-fixed-point reading of rings: re-entering a
 * definition for the same value (no property or item in between) answers false. Independent of
 * the generator's code: it walks schemas, not mboxgen's IR.
 */
function interpret(defs: Record<string, Schema>, start = "d0"): Interpretation {
  const result = { crossesOneOf: false };
  const typeOk = (type: string, value: unknown) =>
    type === "integer" ? Number.isInteger(value) : type === "null" ? value === null : type === "array" ? Array.isArray(value) : type === "object" ? typeof value === "object" && value !== null && !Array.isArray(value) : typeof value === type;
  // `active`: definitions being checked against this same value; `oneOfAt`: how many were active when the innermost oneOf began.
  const check = (schema: Schema, value: unknown, active: string[], oneOfAt: number): boolean => {
    if (schema === true) return true;
    if (schema === false) return false;
    const parts: boolean[] = [];
    if (typeof schema.$ref === "string") {
      const name = schema.$ref.split("/").at(-1)!;
      const back = active.indexOf(name);
      if (back !== -1) {
        if (back < oneOfAt) result.crossesOneOf = true;
        parts.push(false);
      } else parts.push(check(defs[name]!, value, [...active, name], oneOfAt));
    }
    if (typeof schema.type === "string") parts.push(typeOk(schema.type, value));
    if (typeof schema.minimum === "number" && typeof value === "number") parts.push(value >= schema.minimum);
    if (typeof schema.minLength === "number" && typeof value === "string") parts.push([...value].length >= schema.minLength);
    if (Array.isArray(schema.enum)) parts.push(schema.enum.some((candidate) => JSON.stringify(candidate) === JSON.stringify(value)));
    if ("const" in schema) parts.push(JSON.stringify(schema.const) === JSON.stringify(value));
    if (schema.items && Array.isArray(value)) parts.push(value.every((item) => check(schema.items as Schema, item, [], 0)));
    if (schema.properties && typeof value === "object" && value !== null && !Array.isArray(value)) {
      for (const [key, inner] of Object.entries(schema.properties as Record<string, Schema>)) if (Object.hasOwn(value, key)) parts.push(check(inner, (value as Record<string, unknown>)[key], [], 0));
    }
    if (Array.isArray(schema.required) && typeof value === "object" && value !== null && !Array.isArray(value)) parts.push(schema.required.every((key) => Object.hasOwn(value, key as string)));
    if (Array.isArray(schema.allOf)) parts.push(schema.allOf.every((member) => check(member as Schema, value, active, oneOfAt)));
    if (Array.isArray(schema.anyOf)) parts.push(schema.anyOf.some((member) => check(member as Schema, value, active, oneOfAt)));
    if (Array.isArray(schema.oneOf)) parts.push(schema.oneOf.filter((member) => check(member as Schema, value, active, active.length)).length === 1);
    return parts.every(Boolean);
  };
  return { verdict: (value) => check({ $ref: `#/$defs/${start}` }, value, [], 0), get crossesOneOf() { return result.crossesOneOf; } };
}

// Every way back through oneOf, found statically (the interpreter only sees the ways a value takes).
function staticallyCrossesOneOf(defs: Record<string, Schema>): boolean {
  let crosses = false;
  const walk = (schema: Schema, active: string[], oneOfAt: number) => {
    if (typeof schema !== "object") return;
    if (typeof schema.$ref === "string") {
      const name = schema.$ref.split("/").at(-1)!;
      const back = active.indexOf(name);
      if (back !== -1) crosses ||= back < oneOfAt;
      else walk(defs[name]!, [...active, name], oneOfAt);
    }
    for (const keyword of ["anyOf", "allOf"]) for (const member of (schema[keyword] as Schema[] | undefined) ?? []) walk(member, active, oneOfAt);
    for (const member of (schema.oneOf as Schema[] | undefined) ?? []) walk(member, active, active.length);
  };
  for (const name of reachableDefinitions(defs)) walk(defs[name]!, [name], 0);
  return crosses;
}

// The definitions the mbox's key reaches by any $ref (the generator builds only those).
function reachableDefinitions(defs: Record<string, Schema>): Set<string> {
  const reached = new Set(["d0"]);
  const walk = (schema: unknown) => {
    if (typeof schema !== "object" || schema === null) return;
    if (Array.isArray(schema)) return schema.forEach(walk);
    const record = schema as Record<string, unknown>;
    if (typeof record.$ref === "string") {
      const name = record.$ref.split("/").at(-1)!;
      if (!reached.has(name)) {
        reached.add(name);
        walk(defs[name]);
      }
    }
    for (const [keyword, value] of Object.entries(record)) if (!["enum", "const", "required"].includes(keyword)) walk(value);
  };
  walk(defs.d0);
  return reached;
}

function hasRing(defs: Record<string, Schema>): boolean {
  const successors = (name: string): string[] => {
    const found: string[] = [];
    const walk = (schema: Schema) => {
      if (typeof schema !== "object") return;
      if (typeof schema.$ref === "string") found.push(schema.$ref.split("/").at(-1)!);
      for (const keyword of ["anyOf", "allOf", "oneOf"]) for (const member of (schema[keyword] as Schema[] | undefined) ?? []) walk(member);
    };
    walk(defs[name]!);
    return found;
  };
  return cyclicComponents(DEF_NAMES, successors).length > 0 && closedPath("d0", new Set(DEF_NAMES), successors).length > 1;
}

describe("random rings, made on purpose", () => {
  it(`${RUNS} random definition graphs: a sound module or a justified SCHEMA_REF_RING`, async () => {
    let rings = 0;
    let refused = 0;
    await fc.assert(
      fc.asyncProperty(ringCaseArbitrary, async (defs) => {
        if (hasRing(defs)) rings += 1;
        const interpretation = interpret(defs);
        let generated;
        try {
          generated = await generateSubject(defs);
        } catch (error) {
          if (!(error instanceof GeneratorErrors)) throw error;
          refused += 1;
          for (const each of error.errors) {
            expect(each.code, each.message).toBe("SCHEMA_REF_RING");
            if (each.message.includes("passes through oneOf")) expect(staticallyCrossesOneOf(defs), each.message).toBe(true);
            // "Admits no value": the interpreter accepts none of the values either.
            else if (each.message.includes("no value matches it")) {
              const ringStart = /the \$refs #\/\$defs\/(d\d)/.exec(each.message)![1]!;
              const accepted = VALUES.filter((value) => interpret(defs, ringStart).verdict(value));
              expect(accepted, each.message).toEqual([]);
            } else throw new Error(`unexpected refusal: ${each.message}`);
          }
          return;
        }
        // Accepted: no way back crosses oneOf, the module compiles, accessors never throw and agree with the interpreter.
        expect(staticallyCrossesOneOf(defs), "a ring through oneOf was accepted").toBe(false);
        const source = generated.files.find((file) => file.path === "subject.ts")!.text;
        const module = await runGeneratedModule<Accessor>(source);
        const verdicts = VALUES.map((value) => {
          let read: unknown;
          expect(() => (read = module.subject.from({ asObject: () => ({ value }) }).value())).not.toThrow();
          return read === value;
        });
        expect(verdicts, JSON.stringify(VALUES)).toEqual(VALUES.map((value) => interpretation.verdict(value)));
        const valid = VALUES.filter((_, index) => verdicts[index]);
        const checks = valid.map((value, index) => `const value${index}: Exclude<Subject["value"], undefined> = ${typeScriptLiteral(value)};`);
        const diagnostics = checker.check({ "subject.ts": source, "check.ts": [`import type { Subject } from "./subject.js";`, ...checks, ""].join("\n") });
        expect(diagnostics.map((diagnostic) => `${diagnostic.file}:${diagnostic.line} ${diagnostic.message}`)).toEqual([]);
      }),
      { numRuns: RUNS },
    );
    // The arbitrary does make rings, and some are refused.
    expect(rings).toBeGreaterThan(RUNS / 4);
    expect(refused).toBeGreaterThan(0);
  }, 300_000);

  it("the interpreter catches a wrong verdict (negative control)", async () => {
    const defs: Record<string, Schema> = { d0: { anyOf: [{ $ref: "#/$defs/d0" }, { type: "string" }] }, d1: true, d2: true };
    const subject = await subjectOf(defs);
    expect(VALUES.map((value) => subject.read(value) === value)).toEqual(VALUES.map((value) => interpret(defs).verdict(value)));
    // A reading of the ring as "anything" (the greatest fixed point) disagrees.
    expect(VALUES.map(() => true)).not.toEqual(VALUES.map((value) => interpret(defs).verdict(value)));
  });
});
