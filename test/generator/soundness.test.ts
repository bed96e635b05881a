/**
 * Type soundness, differentially: random schemas over the supported subset (both drafts) and
 * values around their boundaries, each value judged three ways: ajv against the schema, the
 * generated validator (through a generated accessor), and `tsc --strict` against the generated
 * type. The validator must agree with ajv; every value ajv accepts must be assignable to the
 * type; the type must reject what it can state (ajv on the schema without the constraints
 * TypeScript cannot express); every generated module compiles; no supported schema is refused.
 * Seeded in CI; `MBOXGEN_SOUNDNESS_RUNS` runs more locally. Shrunk counterexamples are reported.
 */
import { Ajv } from "ajv";
import { Ajv2020 } from "ajv/dist/2020.js";
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { generate, GeneratorErrors } from "../../generator/index.js";
import { rootSchema, schemaCaseArbitrary, valuesArbitrary, type SchemaCase } from "../support/schema-arbitrary.js";
import { createTypeChecker, runGeneratedModule, typeScriptLiteral } from "../support/type-checker.js";

const RUNS = Number(process.env.MBOXGEN_SOUNDNESS_RUNS ?? 60);
const checker = createTypeChecker("test/.virtual-soundness");

/** Keywords TypeScript cannot state: the type may admit what only they reject. */
const INEXPRESSIBLE = ["minLength", "maxLength", "pattern", "minimum", "maximum", "exclusiveMinimum", "exclusiveMaximum", "multipleOf", "minItems", "maxItems", "uniqueItems", "minProperties", "maxProperties", "format"];

// The schema as TypeScript can state it: inexpressible keywords gone, integer as number, oneOf as anyOf.
function expressible(schema: unknown): unknown {
  if (Array.isArray(schema)) return schema.map(expressible);
  if (typeof schema !== "object" || schema === null) return schema;
  const result: Record<string, unknown> = {};
  for (const [keyword, value] of Object.entries(schema)) {
    if (INEXPRESSIBLE.includes(keyword)) continue;
    if (keyword === "type") result.type = Array.isArray(value) ? value.map((type) => (type === "integer" ? "number" : type)) : value === "integer" ? "number" : value;
    else if (keyword === "oneOf") result.anyOf = expressible(value);
    else if (["enum", "const", "examples", "default"].includes(keyword)) result[keyword] = value;
    else if (keyword === "properties" || keyword === "$defs") result[keyword] = Object.fromEntries(Object.entries(value as object).map(([key, inner]) => [key, expressible(inner)]));
    else result[keyword] = expressible(value);
  }
  return result;
}

// A member that only admits objects with a fixed set of keys: an object in enum/const, or additionalProperties false.
function isClosedObject(schema: unknown): boolean {
  if (typeof schema !== "object" || schema === null) return false;
  const record = schema as Record<string, unknown>;
  const literals = "const" in record ? [record.const] : Array.isArray(record.enum) ? record.enum : [];
  return record.additionalProperties === false || literals.some((value) => typeof value === "object" && value !== null && !Array.isArray(value));
}

/**
 * Shapes where TypeScript is looser than the schema and cannot be exact: an index signature
 * beside declared keys (it must admit theirs too), closed objects that meet through `$ref`s in
 * unions and intersections, or beside an open object in a union (excess-property checks see the
 * keys of every member, and an index signature admits any key).
 */
function hasLooseShape(testCase: SchemaCase): boolean {
  const visit = (schema: unknown, inCombinator: boolean): boolean => {
    if (typeof schema !== "object" || schema === null) return false;
    const record = schema as Record<string, unknown>;
    if (typeof record.additionalProperties === "object" && (record.properties !== undefined || record.required !== undefined)) return true;
    for (const keyword of ["anyOf", "oneOf"]) {
      const members = record[keyword];
      if (Array.isArray(members) && members.some(isClosedObject) && members.some((member) => !isClosedObject(member))) return true;
    }
    // A $ref beside other keywords is an allOf of the two.
    if (typeof record.$ref === "string" && (inCombinator || Object.keys(record).length > 1)) return true;
    return Object.entries(record).some(([keyword, value]) => {
      const combinator = keyword === "anyOf" || keyword === "oneOf" || keyword === "allOf";
      if (Array.isArray(value)) return value.some((member) => visit(member, combinator || inCombinator));
      if (keyword === "properties") return Object.values(value as object).some((inner) => visit(inner, false));
      return visit(value, inCombinator && keyword === "$ref");
    });
  };
  return visit(testCase.schema, false) || Object.values(testCase.defs).some((definition) => visit(definition, false));
}

interface Verdicts {
  ajv: boolean;
  validator: boolean;
  expressible: boolean;
  typeScript: boolean;
}

async function judge(testCase: SchemaCase, values: readonly unknown[]): Promise<{ verdicts: Verdicts[]; moduleErrors: string[] }> {
  const root = rootSchema(testCase);
  let files;
  try {
    ({ files } = await generate({ schemas: [{ path: "subject.schema.json", text: JSON.stringify(root) }], config: { format: false } }));
  } catch (error) {
    throw new Error(`a supported schema was refused: ${error instanceof GeneratorErrors ? error.message : String(error)}`);
  }
  const source = files.find((file) => file.path === "subject.ts")!.text;

  const Validator = testCase.draft === "2020-12" ? Ajv2020 : Ajv;
  const options = { strict: false, ownProperties: true, validateFormats: false, allowMatchingProperties: true } as const;
  const ajv = new Validator(options).compile(root);
  const ajvExpressible = new Validator(options).compile(expressible(root) as object);

  const module = await runGeneratedModule<{ subject: { from(provider: object): { value(): unknown } } }>(source);

  const checks = values.map((value, index) => `const value${index}: Exclude<Subject["value"], undefined> = ${typeScriptLiteral(value)};`);
  const diagnostics = checker.check({ "subject.ts": source, "check.ts": [`import type { Subject } from "./subject.js";`, ...checks, ""].join("\n") });
  const rejectedLines = new Set(diagnostics.filter((diagnostic) => diagnostic.file === "check.ts").map((diagnostic) => diagnostic.line));
  // Anything but a value's own line (the module, the import) is a broken setup or a broken module.
  const moduleErrors = diagnostics.filter((diagnostic) => diagnostic.file === "subject.ts" || diagnostic.line === 1).map((diagnostic) => `${diagnostic.file}:${diagnostic.line} ${diagnostic.message}`);

  const verdicts = values.map((value, index) => ({
    ajv: ajv({ value }) as boolean,
    validator: module.subject.from({ asObject: () => ({ value }) }).value() === value,
    expressible: ajvExpressible({ value }) as boolean,
    typeScript: !rejectedLines.has(index + 2),
  }));
  return { verdicts, moduleErrors };
}

const caseWithValues = schemaCaseArbitrary.chain((testCase) => valuesArbitrary(testCase).map((values) => ({ testCase, values })));

/** The property: the module compiles, the validator agrees with ajv, and tsc agrees with both where it can. */
async function expectAgreement({ testCase, values }: { testCase: SchemaCase; values: readonly unknown[] }): Promise<void> {
  const { verdicts, moduleErrors } = await judge(testCase, values);
  expect(moduleErrors, "the generated module compiles under tsc --strict").toEqual([]);
  const loose = hasLooseShape(testCase);
  values.forEach((value, index) => {
    const verdict = verdicts[index]!;
    const shown = JSON.stringify(value);
    expect(verdict.validator, `validator vs ajv for ${shown}`).toBe(verdict.ajv);
    if (verdict.ajv) expect(verdict.typeScript, `a value ajv accepts is assignable to the type: ${shown}`).toBe(true);
    if (!loose && !verdict.expressible) expect(verdict.typeScript, `the type rejects what it can state: ${shown}`).toBe(false);
  });
}

/** Counterexamples random runs found once, kept so that they stay fixed. */
const FOUND: ReadonlyArray<[what: string, testCase: SchemaCase, values: unknown[]]> = [
  [
    "a required key without a schema, intersected with an optional one (TypeScript reads `{ k: unknown } & { k?: T }` as admitting undefined)",
    {
      draft: "2020-12",
      schema: { required: ["x-y"], additionalProperties: { items: { properties: { "*/": { type: ["string", "null"] } }, $ref: "#/$defs/d0" } }, $ref: "#/$defs/d0" },
      defs: { d0: { required: ["*/"], minProperties: 0 }, d1: { type: ["integer", "boolean"] } },
    },
    [null, {}, { "*/": "a" }, { "*/": 1 }, { "*/": null, "x-y": [{ "*/": null }] }, { "*/": 1, "x-y": [{ "*/": 1 }] }, { "x-y": ["a"] }],
  ],
];

describe("the type a generated accessor declares is the value it returns", () => {
  it(`${RUNS} random schemas: ajv, the generated validator and tsc agree`, async () => {
    await fc.assert(fc.asyncProperty(caseWithValues, expectAgreement), { numRuns: RUNS });
  }, 300_000);

  it.each(FOUND)("found before: %s", async (_what, testCase, values) => {
    await expectAgreement({ testCase, values });
  });

  it("catches a wrong verdict (negative control: a validator that accepts everything)", async () => {
    const testCase: SchemaCase = { draft: "2020-12", schema: { type: "string", maxLength: 1 }, defs: {} };
    const { verdicts } = await judge(testCase, ["ab"]);
    expect(verdicts[0]).toEqual({ ajv: false, validator: false, expressible: true, typeScript: true });
    expect(verdicts[0]!.validator === verdicts[0]!.ajv).toBe(true);
    // The same check with the verdicts of a validator that lets everything through fails.
    expect(() => expect(true, "validator vs ajv").toBe(verdicts[0]!.ajv)).toThrow();
  });
});
