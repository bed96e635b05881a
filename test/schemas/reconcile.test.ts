/**
 * Re-runs of `sample` and `infer` never lose what a person wrote (issue #7): a committed schema
 * that accepts the new offers is left byte for byte; one that does not is widened as little as
 * it takes, each step reported with the value that forced it; the result accepts every offer.
 */
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { createSchemaMatcher } from "../../generator/build-ir.js";
import { inferOfferSchema } from "../../generator/infer/infer-schema.js";
import { renderSchemaFile, type SchemaFileUpdate } from "../../generator/infer/schema-file.js";
import type { JsonDocument } from "../../generator/json-document.js";

const PROVENANCE = { source: "sample" as const, samples: 1, experiences: [] };

function rerun(committed: unknown, offers: Record<string, unknown>[], others: Record<string, unknown> = {}): SchemaFileUpdate & { schema: any } {
  const text = typeof committed === "string" ? committed : `${JSON.stringify(committed, null, 2)}\n`;
  const document: JsonDocument = { path: "m.schema.json", text, value: JSON.parse(text) };
  const documents = new Map<string, JsonDocument>([[document.path, document]]);
  for (const [path, value] of Object.entries(others)) documents.set(path, { path, text: JSON.stringify(value), value });
  const update = renderSchemaFile({ mbox: "m", inferred: inferOfferSchema(offers), offers, provenance: PROVENANCE, existing: { document, documents } });
  return { ...update, schema: JSON.parse(update.text) };
}

function accepts(schemaText: string, offers: readonly unknown[], others: Record<string, unknown> = {}): boolean {
  const document: JsonDocument = { path: "m.schema.json", text: schemaText, value: JSON.parse(schemaText) };
  const documents = new Map<string, JsonDocument>([[document.path, document]]);
  for (const [path, value] of Object.entries(others)) documents.set(path, { path, text: JSON.stringify(value), value });
  const matches = createSchemaMatcher(documents);
  return offers.every((offer) => matches({ document, segments: [], schema: document.value }, offer));
}

const root = (properties: Record<string, unknown>, extra: Record<string, unknown> = {}) => ({
  $schema: "https://json-schema.org/draft/2020-12/schema",
  "x-mbox": "m",
  type: "object",
  properties,
  additionalProperties: false,
  ...extra,
});

describe("a re-run against a committed schema", () => {
  it("leaves the file byte for byte when every offer satisfies it, constraints and docs included", () => {
    const committed = `{"x-mbox":"m","description":"Hand-written.","type":"object","properties":{"searchProviderId":{"type":"integer","minimum":1,"maximum":500,"description":"Backend.","default":143},"code":{"type":"string","pattern":"^[A-Z]{3}$","format":"iso-4217","minLength":3},"mode":{"enum":["a","b"]},"legacy":{"type":"string"}},"required":["searchProviderId"],"additionalProperties":false}`;
    const result = rerun(committed, [{ searchProviderId: 7, code: "CHF", mode: "a" }, { searchProviderId: 500, mode: "b" }]);
    expect(result.text).toBe(committed);
    expect(result.changes).toEqual([]);
    expect(result.notes).toEqual(["/legacy: not in any offer; kept"]);
  });

  it.each<[string, Record<string, unknown>, Record<string, unknown>[], string[], (schema: any) => void]>([
    [
      "a minimum a person wrote is lowered to the value, and named",
      { searchProviderId: { type: "integer", minimum: 1, description: "Backend.", default: 143 } },
      [{ searchProviderId: 0 }],
      ["/searchProviderId: minimum lowered from 1 to 0 (value 0)"],
      (schema) => expect(schema.properties.searchProviderId).toEqual({ type: "integer", minimum: 0, description: "Backend.", default: 143 }),
    ],
    [
      "a maximum, lengths and an exclusive bound",
      { n: { type: "number", exclusiveMaximum: 10 }, s: { type: "string", minLength: 2, maxLength: 3 } },
      [{ n: 10, s: "a" }, { n: 1, s: "abcd" }],
      ["/n: exclusiveMaximum 10 replaced by maximum 10 (value 10)", '/s: minLength lowered from 2 to 1 (value "a")', '/s: maxLength raised from 3 to 4 (value "abcd")'],
      (schema) => expect(schema.properties).toEqual({ n: { type: "number", maximum: 10 }, s: { type: "string", minLength: 1, maxLength: 4 } }),
    ],
    [
      "a pattern the value breaks is dropped, other constraints kept",
      { code: { type: "string", pattern: "^[A-Z]+$", format: "currency", maxLength: 5 } },
      [{ code: "chf" }],
      ['/code: pattern "^[A-Z]+$" dropped (value "chf" does not match it)'],
      (schema) => expect(schema.properties.code).toEqual({ type: "string", format: "currency", maxLength: 5 }),
    ],
    [
      "an enum gains the new value, a const becomes an enum",
      { theme: { enum: ["light", "dark"] }, version: { const: 2 } },
      [{ theme: "sepia", version: 3 }],
      ['/theme: enum widened with "sepia"', "/version: const 2 became enum [2,3] (value 3)"],
      (schema) => expect(schema.properties).toEqual({ theme: { enum: ["light", "dark", "sepia"] }, version: { enum: [2, 3] } }),
    ],
    [
      "a type is widened, keeping the bounds of the old one",
      { limit: { type: "integer", minimum: 1, description: "Items." } },
      [{ limit: "ten" }, { limit: 2.5 }],
      ['/limit: type widened from integer to string | number (value "ten")'],
      (schema) => expect(schema.properties.limit).toEqual({ type: ["string", "number"], minimum: 1, description: "Items." }),
    ],
    [
      "a required key missing from an offer becomes optional; a new key is added",
      { a: { type: "string" }, b: { type: "boolean", description: "Kept." } },
      [{ a: "x", c: 1 }, { a: "y", b: true, c: 2 }],
      ["/b: now optional (missing from some offers)", "/c: key added (integer, value 1)"],
      (schema) => {
        expect(schema.required).toEqual(["a", "c"]);
        expect(schema.properties.b).toEqual({ type: "boolean", description: "Kept." });
        expect(schema.properties.c).toEqual({ type: "integer" });
      },
    ],
    [
      "nested objects and array items are widened where they break",
      { cta: { type: "object", properties: { label: { type: "string", maxLength: 4 } }, required: ["label"] }, tags: { type: "array", items: { type: "string", minLength: 2 }, maxItems: 1 } },
      [{ cta: { label: "Buy now" }, tags: ["a", "bb"] }],
      ['/cta/label: maxLength raised from 4 to 7 (value "Buy now")', '/tags: maxItems raised from 1 to 2 (value ["a","bb"])', '/tags/[]: minLength lowered from 2 to 1 (value "a")'],
      (schema) => expect(schema.properties.tags).toEqual({ type: "array", items: { type: "string", minLength: 1 }, maxItems: 2 }),
    ],
    [
      "a $ref the value breaks gets an anyOf alternative; the definition and the docs stay",
      { theme: { $ref: "#/$defs/theme", description: "Color scheme." } },
      [{ theme: "sepia" }],
      ['/theme: value "sepia" does not match the committed schema; what Target now serves was added as an anyOf alternative'],
      (schema) => {
        expect(schema.properties.theme).toEqual({ description: "Color scheme.", anyOf: [{ $ref: "#/$defs/theme" }, { type: "string" }] });
        expect(schema.$defs).toEqual({ theme: { enum: ["light", "dark"] } });
      },
    ],
  ])("%s", (_, properties, offers, changes, check) => {
    const committed = root(properties, { required: Object.keys(properties).filter((key) => offers.every((offer) => key in offer) || key === "b"), $defs: { theme: { enum: ["light", "dark"] } } });
    const result = rerun(committed, offers);
    expect(result.changes).toEqual(changes);
    check(result.schema);
    expect(accepts(result.text, offers)).toBe(true);
    expect(result.schema["x-mboxgen"]).toEqual(PROVENANCE);
  });
});

// A person's edits that keep every sample valid: docs, defaults, tight bounds, patterns, enums,
// formats, `$ref`s into `$defs`, extra allowed types.
const escapeRegExp = (text: string) => text.replace(/[.*+?^${}()|[\]\\/-]/g, "\\$&");

function personEdited(samples: readonly Record<string, unknown>[], choices: readonly number[]): Record<string, unknown> {
  const inferred = structuredClone(inferOfferSchema(samples)) as Record<string, any>;
  const defs: Record<string, unknown> = {};
  let choice = 0;
  const next = () => choices[choice++ % choices.length]!;
  for (const key of Object.keys(inferred.properties)) {
    const values = samples.filter((sample) => Object.hasOwn(sample, key)).map((sample) => sample[key]);
    let property: Record<string, any> = inferred.properties[key];
    if (next() % 2) property.description = `About ${key}: */ "quoted" \${x}`;
    if (next() % 3 === 0) property.default = values[0];
    if (next() % 4 === 0) property.examples = values.slice(0, 2);
    const numbers = values.filter((value): value is number => typeof value === "number");
    const strings = values.filter((value): value is string => typeof value === "string");
    const arrays = values.filter(Array.isArray);
    if (numbers.length > 0 && next() % 2) property.minimum = Math.min(...numbers) - (next() % 3);
    if (numbers.length > 0 && next() % 2) property.maximum = Math.max(...numbers);
    if (strings.length > 0 && next() % 2) property.minLength = Math.min(...strings.map((value) => [...value].length));
    if (strings.length > 0 && next() % 2) property.maxLength = Math.max(...strings.map((value) => [...value].length)) + (next() % 2);
    if (strings.length > 0 && next() % 3 === 0) property.pattern = `^(?:${[...new Set(strings)].map(escapeRegExp).join("|")})$`;
    if (strings.length > 0 && strings.length === values.length && next() % 4 === 0) property.enum = [...new Set(strings)];
    if (strings.length > 0 && next() % 5 === 0) property.format = "a-format-mboxgen-does-not-check";
    if (arrays.length > 0 && next() % 2) property.maxItems = Math.max(...arrays.map((array) => array.length));
    if (typeof property.type === "string" && next() % 5 === 0) property.type = [property.type, "null"];
    if (next() % 6 === 0) {
      defs[`def-${key}`] = property;
      property = { $ref: `#/$defs/${encodeURIComponent(`def-${key}`).replace(/~/g, "~0").replace(/\//g, "~1")}`, description: "Via a definition." };
    }
    inferred.properties[key] = property;
  }
  return { "x-mbox": "m", title: "Edited by a person", ...inferred, ...(Object.keys(defs).length > 0 ? { $defs: defs } : {}) };
}

const offerArbitrary = fc.dictionary(
  fc.constantFrom("a", "b", "max-items", "n", "__proto__", "*/"),
  fc.oneof(fc.integer({ min: -5, max: 50 }), fc.double({ noNaN: true, noDefaultInfinity: true, min: -10, max: 10 }), fc.string({ maxLength: 6 }), fc.boolean(), fc.constant(null), fc.array(fc.integer(), { maxLength: 3 }), fc.dictionary(fc.constantFrom("x", "y"), fc.oneof(fc.string({ maxLength: 4 }), fc.integer()))),
  { maxKeys: 4 },
).map((offer) => JSON.parse(JSON.stringify(offer)) as Record<string, unknown>);
const offerSets = fc.array(offerArbitrary, { minLength: 1, maxLength: 6 });
const editChoices = fc.array(fc.nat(59), { minLength: 1, maxLength: 24 });

describe("re-run properties", () => {
  it("for any person-edited schema and offers it accepts, a re-run changes nothing", () => {
    fc.assert(
      fc.property(offerSets, editChoices, fc.constantFrom(0, 2, 4), (samples, choices, indent) => {
        const committed = `${JSON.stringify(personEdited(samples, choices), null, indent)}\n`;
        expect(accepts(committed, samples)).toBe(true);
        const result = rerun(committed, samples);
        expect(result.text).toBe(committed);
        expect(result.changes).toEqual([]);
      }),
      { numRuns: 200 },
    );
  });

  it("for any person-edited schema and any new offers, the result accepts them and keeps every docs text", () => {
    fc.assert(
      fc.property(offerSets, editChoices, offerSets, (samples, choices, newOffers) => {
        const edited = personEdited(samples, choices);
        const committed = `${JSON.stringify(edited, null, 2)}\n`;
        const result = rerun(committed, newOffers);
        expect(accepts(result.text, newOffers), result.text).toBe(true);
        if (accepts(committed, newOffers)) expect(result.text).toBe(committed);
        else expect(result.changes.length).toBeGreaterThan(0);
        // Nothing a person wrote disappears: every description, title and format is still there.
        const written = (text: string) => [...text.matchAll(/"(description|title|format)": ("(?:[^"\\]|\\.)*")/g)].map((match) => `${match[1]}=${match[2]}`).sort();
        const before = written(committed);
        const after = written(result.text);
        for (const entry of before) expect(after).toContain(entry);
      }),
      { numRuns: 200 },
    );
  });
});

describe("the check itself", () => {
  it("fails when a constraint is dropped without a report", () => {
    const committed = root({ n: { type: "integer", minimum: 1 } });
    const result = rerun(committed, [{ n: 0 }]);
    const silentlyDropped = { ...result, changes: [] };
    expect(() => expect(silentlyDropped.changes).toEqual(["/n: minimum lowered from 1 to 0 (value 0)"])).toThrow();
  });
});
