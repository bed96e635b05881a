/**
 * Where inside a value an offer breaks its schema: examples for each kind of nesting, and a
 * property over random schemas (both drafts, $refs, combinators) and values around their
 * boundaries: a location is found exactly when the value fails, it lies inside the value, and
 * the value found there fails the type named there.
 */
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { locateMismatch, type Mismatch } from "../../generator/admin/mismatch.js";
import { matchesType } from "../../generator/build-ir.js";
import { buildSchemaIrs } from "../../generator/generate.js";
import type { MboxIr } from "../../generator/ir.js";
import { rootSchema, schemaCaseArbitrary, valuesArbitrary } from "../support/schema-arbitrary.js";

function irOf(schema: object): MboxIr {
  const [ir] = buildSchemaIrs({ schemas: [{ path: "subject.schema.json", text: JSON.stringify(schema) }], config: {} });
  return ir!;
}

function locate(ir: MboxIr, key: string, value: unknown): Mismatch | undefined {
  return locateMismatch(ir.attributes.find((attribute) => attribute.key === key)!.type, value, ir.definitions);
}

const SCHEMA = {
  $schema: "https://json-schema.org/draft/2020-12/schema",
  type: "object",
  properties: {
    cta: { type: "object", properties: { label: { type: "string" }, url: { type: "string", pattern: "^/" } }, required: ["label", "url"], additionalProperties: false },
    slides: { type: "array", maxItems: 3, items: { $ref: "#/$defs/slide" } },
    either: { anyOf: [{ type: "string", minLength: 2 }, { type: "object", properties: { n: { type: "integer" } } }] },
    both: { oneOf: [{ type: "integer" }, { type: "number", minimum: 0 }] },
  },
  $defs: { slide: { type: "object", properties: { imageUrl: { type: "string", pattern: "^https://" } }, required: ["imageUrl"] } },
};

describe("the place inside a value that breaks its schema", () => {
  const ir = irOf(SCHEMA);

  it("a missing required key, a disallowed key and a pattern inside an object", () => {
    expect(locate(ir, "cta", { label: "Go" })).toEqual({ path: ["url"], rule: "present (the schema requires it)" });
    expect(locate(ir, "cta", { label: "Go", url: "/x", icon: "</script>" })).toEqual({ path: ["icon"], rule: "absent (the schema allows no other keys here)", value: "</script>" });
    expect(locate(ir, "cta", { label: "Go", url: "x" })).toMatchObject({ path: ["url"], rule: "a string matching /^//", value: "x" });
    expect(locate(ir, "cta", { label: "Go", url: "/x" })).toBeUndefined();
  });

  it("an array's item through a $ref, and the array itself when its length is wrong", () => {
    expect(locate(ir, "slides", [{ imageUrl: "https://a" }, { imageUrl: "http://b" }])).toMatchObject({ path: [1, "imageUrl"], value: "http://b" });
    expect(locate(ir, "slides", [{}, {}, {}, {}])).toMatchObject({ path: [], value: [{}, {}, {}, {}] });
    expect(locate(ir, "slides", "no")).toMatchObject({ path: [], value: "no" });
  });

  it("into the one combinator member of the value's JSON type; the combinator itself when two could be meant", () => {
    expect(locate(ir, "either", { n: 1.5 })).toMatchObject({ path: ["n"], rule: "an integer", value: 1.5 });
    expect(locate(ir, "either", "x")).toMatchObject({ path: [], rule: "a string of at least 2 characters", value: "x" });
    expect(locate(ir, "either", 3)).toMatchObject({ path: [], value: 3 });
    // 1 is an integer and a number ≥ 0: oneOf fails as a whole.
    expect(locate(ir, "both", 1)).toMatchObject({ path: [], value: 1 });
  });

  it("the report names the place under the key's line", async () => {
    const { compileSchemaChecks, checkOffer } = await import("../../generator/admin/offer-check.js");
    const [check] = compileSchemaChecks([ir]).values();
    const [violation] = checkOffer(check!, { cta: { label: "Go", url: "/x", "a/b~c": 1 } });
    expect(violation).toMatchObject({ key: "cta", inside: { pointer: "/cta/a~1b~0c", rule: "absent (the schema allows no other keys here)", value: 1 } });
    // Failing at the key itself: nothing inside.
    expect(checkOffer(check!, { cta: 5 })[0]!.inside).toBeUndefined();
  });

  it("over random schemas and values: found exactly when the value fails, inside the value, failing the type named there", async () => {
    await fc.assert(
      fc.asyncProperty(
        schemaCaseArbitrary.chain((testCase) => valuesArbitrary(testCase).map((values) => ({ testCase, values }))),
        async ({ testCase, values }) => {
          let ir: MboxIr;
          try {
            ir = irOf(rootSchema(testCase));
          } catch {
            return; // Schemas the generator refuses (reported elsewhere) have no checks to explain.
          }
          const attribute = ir.attributes.find((each) => each.key === "value")!;
          for (const value of values) {
            const mismatch = locateMismatch(attribute.type, value, ir.definitions);
            expect(mismatch === undefined).toBe(matchesType(attribute.type, value, ir.definitions));
            if (mismatch === undefined) continue;
            expect(mismatch.rule.length).toBeGreaterThan(0);
            // Every segment leads into the value; a missing key's parent is an object without it.
            let here: unknown = value;
            for (const [index, segment] of mismatch.path.entries()) {
              const last = index === mismatch.path.length - 1;
              expect(typeof here === "object" && here !== null).toBe(true);
              const container = here as Record<string | number, unknown>;
              if (last && !("value" in mismatch)) {
                expect(Object.hasOwn(container, segment)).toBe(false);
                here = undefined;
              } else {
                expect(Object.hasOwn(container, segment)).toBe(true);
                here = container[segment];
              }
            }
            if ("value" in mismatch) expect(mismatch.value).toEqual(here);
            if (mismatch.type) expect(matchesType(mismatch.type, mismatch.value, ir.definitions)).toBe(false);
          }
        },
      ),
      { numRuns: 300 },
    );
  });
});
