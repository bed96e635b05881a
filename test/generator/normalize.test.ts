/**
 * The normalization stage, one case per named rule: the input that makes the rule fire, what it
 * becomes, and that the rule's name is reported. Every rule must have a case here, and a rule must
 * keep the values a type accepts (checked against the generated validator's reading in
 * soundness.test.ts); this file pins what each rule does.
 */
import { describe, expect, it } from "vitest";
import type { DefinitionIr, PropertyIr, TypeIr } from "../../generator/ir.js";
import { normalizationRules, normalizeType } from "../../generator/normalize.js";

const ANY: TypeIr = { kind: "any" };
const NEVER: TypeIr = { kind: "never" };
const STRING: TypeIr = { kind: "string" };
const NUMBER: TypeIr = { kind: "number", integer: false };
const INTEGER: TypeIr = { kind: "number", integer: true };
const NULL: TypeIr = { kind: "null" };
const property = (key: string, type: TypeIr, required = false, declared = true): PropertyIr => ({ key, required, declared, type, docs: {} });
const object = (properties: PropertyIr[], additional: TypeIr | "any" | "none" = "any"): TypeIr => ({ kind: "object", properties, additional });

const cases: Record<string, { input: TypeIr; output: TypeIr }> = {
  "nested anyOf and allOf are flattened": {
    input: { kind: "anyOf", members: [STRING, { kind: "anyOf", members: [NUMBER, NULL] }] },
    output: { kind: "anyOf", members: [STRING, NUMBER, NULL] },
  },
  "an allOf member that admits every value goes; one that admits none makes the allOf never": {
    input: { kind: "allOf", members: [ANY, { kind: "string", minLength: 2 }, { kind: "string", maxLength: 3 }] },
    output: { kind: "allOf", members: [{ kind: "string", minLength: 2 }, { kind: "string", maxLength: 3 }] },
  },
  "an anyOf member that admits no value goes; one that admits every value makes the anyOf any": {
    input: { kind: "anyOf", members: [NEVER, STRING, NUMBER] },
    output: { kind: "anyOf", members: [STRING, NUMBER] },
  },
  "a oneOf member that admits no value goes": {
    input: { kind: "oneOf", members: [NEVER, STRING, NUMBER] },
    output: { kind: "oneOf", members: [STRING, NUMBER] },
  },
  "an allOf of types with no JSON type in common is never": {
    input: { kind: "allOf", members: [STRING, INTEGER] },
    output: NEVER,
  },
  "anyOf and oneOf members that the rest of an allOf rules out by JSON type go": {
    input: { kind: "allOf", members: [{ kind: "string", minLength: 1 }, { kind: "anyOf", members: [{ kind: "string", maxLength: 3 }, NUMBER] }] },
    output: { kind: "allOf", members: [{ kind: "string", minLength: 1 }, { kind: "string", maxLength: 3 }] },
  },
  "enum and const values that the other allOf members reject are dropped": {
    input: { kind: "allOf", members: [{ kind: "literal", values: ["a", 1, 2.5] }, INTEGER] },
    output: { kind: "literal", values: [1] },
  },
  "objects in an allOf merge into one object": {
    input: { kind: "allOf", members: [object([property("a", STRING, true)]), object([property("b", NUMBER)])] },
    output: object([property("a", STRING, true), property("b", NUMBER)]),
  },
  "arrays in an allOf merge into one array": {
    input: { kind: "allOf", members: [{ kind: "array", items: STRING, maxItems: 3 }, { kind: "array", items: { kind: "string", minLength: 1 }, minItems: 1, uniqueItems: true }] },
    output: { kind: "array", items: { kind: "allOf", members: [STRING, { kind: "string", minLength: 1 }] }, minItems: 1, maxItems: 3, uniqueItems: true },
  },
  "enum and const members of an anyOf merge into one": {
    input: { kind: "anyOf", members: [{ kind: "literal", values: ["a"] }, NUMBER, { kind: "literal", values: ["b", "a"] }] },
    output: { kind: "anyOf", members: [{ kind: "literal", values: ["a", "b"] }, NUMBER] },
  },
  "duplicate anyOf members go": {
    input: { kind: "anyOf", members: [STRING, NUMBER, STRING] },
    output: { kind: "anyOf", members: [STRING, NUMBER] },
  },
  "an anyOf that lets every JSON type through unconstrained is any": {
    input: { kind: "anyOf", members: [STRING, { kind: "otherThan", types: ["string"] }] },
    output: ANY,
  },
  "an object that requires a key no value can take, or an array that requires an item none can be, is never": {
    input: object([property("a", STRING), property("b", NEVER, true)]),
    output: NEVER,
  },
  "lower bounds of zero go": {
    input: { kind: "string", minLength: 0, maxLength: 4 },
    output: { kind: "string", maxLength: 4 },
  },
  "an anyOf, oneOf or allOf of one member is that member; of none, never or any": {
    input: { kind: "oneOf", members: [STRING] },
    output: STRING,
  },
};

const noDefinitions = new Map<string, DefinitionIr>();

describe("normalize: one case per rule", () => {
  it("every rule has a case, and every case names a rule", () => {
    expect(Object.keys(cases).sort()).toEqual(normalizationRules.map(([name]) => name).sort());
  });

  for (const [ruleName, { input, output }] of Object.entries(cases)) {
    it(ruleName, () => {
      const fired: string[] = [];
      const frozen = structuredClone(input);
      expect(normalizeType(input, noDefinitions, (name) => fired.push(name))).toEqual(output);
      expect(fired).toContain(ruleName);
      // Stages never mutate their input.
      expect(input).toEqual(frozen);
    });
  }

  it("a type no rule applies to comes back equal", () => {
    const type = object([property("a", { kind: "string", pattern: "^x" }, true)], { kind: "boolean" });
    const fired: string[] = [];
    expect(normalizeType(type, noDefinitions, (name) => fired.push(name))).toEqual(type);
    expect(fired).toEqual([]);
  });
});
