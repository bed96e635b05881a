/**
 * What a key's schema requires, in words (generator/emit/expectations.ts): the text a fallback
 * reports as `expected` and the OpenFeature provider quotes in its TYPE_MISMATCH message.
 */
import { describe, expect, it } from "vitest";
import type { DefinitionIr, TypeIr } from "../../generator/ir.js";
import { describeExpectation, MAX_EXPECTATION_LENGTH } from "../../generator/emit/expectations.js";

const none = new Map<string, DefinitionIr>();
const say = (type: TypeIr, definitions: ReadonlyMap<string, DefinitionIr> = none) => describeExpectation(type, definitions);

describe("expectations", () => {
  it.each<[TypeIr, string]>([
    [{ kind: "number", integer: true, minimum: 1, maximum: 100 }, "an integer ≥ 1 and ≤ 100"],
    [{ kind: "number", integer: false, exclusiveMinimum: 0, multipleOf: 0.5 }, "a number > 0 and a multiple of 0.5"],
    [{ kind: "string", minLength: 2, maxLength: 2, pattern: "^[A-Z]+$" }, "a string of exactly 2 characters matching /^[A-Z]+$/"],
    [{ kind: "string", minLength: 1 }, "a string of at least 1 character"],
    [{ kind: "literal", values: ["a", "b", "c", "d", "e", "f"] }, 'one of "a", "b", "c", "d", "e", … (6 values)'],
    [{ kind: "array", items: { kind: "string" }, minItems: 1, uniqueItems: true }, "an array (of a string) of at least 1 item all different"],
    [{ kind: "object", properties: [{ key: "a", required: true, declared: true, type: { kind: "any" }, docs: {} }], additional: "none" }, 'an object with required key "a" and no keys but "a"'],
    [{ kind: "anyOf", members: [{ kind: "string" }, { kind: "null" }] }, "a string or null"],
    [{ kind: "otherThan", types: ["array", "null"] }, "anything but an array or null"],
  ])("%j reads %s", (type, expected) => {
    expect(say(type)).toBe(expected);
  });

  it("names a definition by its type beyond the first level", () => {
    const definitions = new Map<string, DefinitionIr>([["#/$defs/price", { type: { kind: "number", integer: false, minimum: 0 }, docs: {}, nameHint: "price", typeName: "Price" } as DefinitionIr]]);
    expect(say({ kind: "ref", id: "#/$defs/price" }, definitions)).toBe("a number ≥ 0");
    expect(say({ kind: "array", items: { kind: "ref", id: "#/$defs/price" } }, definitions)).toBe("an array (of a Price)");
  });

  it("is cut at the limit by code points, never inside a surrogate pair", () => {
    const text = say({ kind: "literal", values: ["🚀".repeat(30), "🚀".repeat(30), "🚀".repeat(30), "🚀".repeat(30), "🚀".repeat(30)] });
    expect([...text].length).toBeLessThanOrEqual(MAX_EXPECTATION_LENGTH);
    expect(text.endsWith("…")).toBe(true);
    expect(/[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/.test(text)).toBe(false);
  });
});
