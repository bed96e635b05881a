/**
 * Bad input: every error names the file (with line and column where the text has one), the JSON
 * pointer, what is wrong and how to fix it, and its catalog code. All problems are reported at once.
 */
import { mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { checkDrift, type MboxOffers } from "../../generator/cli/schema-output.js";
import { Diagnostics } from "../../generator/diagnostics.js";
import { parseJsonDocument } from "../../generator/json-document.js";
import { createGeneratorError, GeneratorError } from "../../generator/errors.js";
import { generate, GeneratorErrors, type MboxgenConfig } from "../../generator/index.js";

type Sources = Record<string, unknown>;

const CONFIG_FIX = 'correct it against mboxgen\'s generator/config.schema.json (README, Config); "$schema": "./node_modules/mboxgen/generator/config.schema.json" in the file gives your editor completion';

async function errorsOf(sources: Sources, config: MboxgenConfig = {}): Promise<string[]> {
  const schemas = Object.entries(sources).map(([path, value]) => ({ path, text: typeof value === "string" ? value : JSON.stringify(value, null, 2) }));
  try {
    await generate({ schemas, config });
  } catch (error) {
    expect(error).toBeInstanceOf(GeneratorErrors);
    return (error as GeneratorErrors).errors.map((each) => each.message);
  }
  throw new Error("generate succeeded");
}

const object = (properties: Record<string, unknown>, extra: Record<string, unknown> = {}) => ({ type: "object", properties, ...extra });

describe("bad input gives clear errors", () => {
  it.each<[string, Sources, MboxgenConfig, string[]]>([
    [
      "malformed JSON",
      { "s/m.schema.json": '{\n  "type": "object"\n  "properties": {}\n}' },
      {},
      ["s/m.schema.json:3:3: invalid JSON (comma expected); fix the JSON syntax at that position [JSON_SYNTAX]"],
    ],
    [
      "a root that is not an object schema",
      { "s/m.schema.json": { type: "array" } },
      {},
      ['s/m.schema.json:1:1 /: the root schema of an mbox must describe an object (its JSON offer), found type "array"; set "type": "object" and list the offer\'s keys under "properties" [SCHEMA_ROOT_NOT_OBJECT]'],
    ],
    [
      "an unsupported keyword, with its pointer",
      { "s/m.schema.json": object({ a: { type: "string", not: { const: "x" } } }) },
      {},
      ['s/m.schema.json:6:14 /properties/a/not: the keyword "not" is not supported by mboxgen; describe the value with type, properties, items, enum, const, anyOf or oneOf instead [SCHEMA_UNSUPPORTED_KEYWORD]'],
    ],
    [
      "a $schema mboxgen does not read: another draft, a custom meta-schema, a typo",
      {
        "s/a.schema.json": { $schema: "https://json-schema.org/draft/2019-09/schema", ...object({ a: { type: "string" } }) },
        "s/b.schema.json": { $schema: "http://localhost:1234/draft2020-12/metaschema-no-validation.json", ...object({ a: { type: "string" } }) },
        "s/c.schema.json": { $schema: "https://json-schema.org/draft/2020-12/schema#x", ...object({ a: { type: "string" } }) },
      },
      {},
      [
        's/a.schema.json:2:14 /$schema: "$schema" names "https://json-schema.org/draft/2019-09/schema", a dialect mboxgen does not read: it reads JSON Schema draft 2020-12 ("https://json-schema.org/draft/2020-12/schema", also when there is no "$schema") and draft-07 ("http://json-schema.org/draft-07/schema#"), and reading a schema as another draft could change what its keywords mean; if the schema means the same in one of those drafts (a draft-04 or draft-06 schema usually does in draft-07, a 2019-09 one in 2020-12), name that draft in "$schema" [SCHEMA_UNKNOWN_DIALECT]',
        's/b.schema.json:2:14 /$schema: "$schema" names "http://localhost:1234/draft2020-12/metaschema-no-validation.json", a dialect mboxgen does not read: it reads JSON Schema draft 2020-12 ("https://json-schema.org/draft/2020-12/schema", also when there is no "$schema") and draft-07 ("http://json-schema.org/draft-07/schema#"), and reading a schema as another draft could change what its keywords mean; if the schema means the same in one of those drafts (a draft-04 or draft-06 schema usually does in draft-07, a 2019-09 one in 2020-12), name that draft in "$schema" [SCHEMA_UNKNOWN_DIALECT]',
        's/c.schema.json:2:14 /$schema: "$schema" names "https://json-schema.org/draft/2020-12/schema#x", a dialect mboxgen does not read: it reads JSON Schema draft 2020-12 ("https://json-schema.org/draft/2020-12/schema", also when there is no "$schema") and draft-07 ("http://json-schema.org/draft-07/schema#"), and reading a schema as another draft could change what its keywords mean; if you meant "https://json-schema.org/draft/2020-12/schema", write it so; if the schema means the same in one of those drafts, name that one [SCHEMA_UNKNOWN_DIALECT]',
      ],
    ],
    [
      "a $ref file in another dialect, and a $schema inside a schema that switches dialects",
      {
        "s/m.schema.json": object({ a: { $ref: "shared.json" }, b: { $schema: "http://json-schema.org/draft-07/schema#", type: "string" } }),
        "s/shared.json": { $schema: "http://json-schema.org/draft-04/schema#", type: "string" },
      },
      {},
      [
        's/m.schema.json:8:18 /properties/b/$schema: the keyword "$schema (inside a schema, naming another dialect)" is not supported by mboxgen; describe the value with type, properties, items, enum, const, anyOf or oneOf instead [SCHEMA_UNSUPPORTED_KEYWORD]',
        's/shared.json:2:14 /$schema: "$schema" names "http://json-schema.org/draft-04/schema#", a dialect mboxgen does not read: it reads JSON Schema draft 2020-12 ("https://json-schema.org/draft/2020-12/schema", also when there is no "$schema") and draft-07 ("http://json-schema.org/draft-07/schema#"), and reading a schema as another draft could change what its keywords mean; if the schema means the same in one of those drafts (a draft-04 or draft-06 schema usually does in draft-07, a 2019-09 one in 2020-12), name that draft in "$schema" [SCHEMA_UNKNOWN_DIALECT]',
      ],
    ],
    [
      "a $ref ring that never reaches a nested value, named with its definitions",
      { "s/m.schema.json": { ...object({ a: { $ref: "#/$defs/x" } }), $defs: { x: { oneOf: [{ $ref: "#/$defs/y" }, { type: "string" }] }, y: { anyOf: [{ $ref: "#/$defs/x" }] } } } },
      {},
      [
        's/m.schema.json:9:10 /$defs/x: the $refs #/$defs/x → #/$defs/y → #/$defs/x lead back to where they start without passing through a property or an array item, so the schema checks the same value against itself; it passes through oneOf, which counts the members a value matches, so the schema contradicts itself (a value would match it exactly when it does not); make the recursion pass through "properties" or "items" (a nested value), or remove the $ref that leads back [SCHEMA_REF_RING]',
      ],
    ],
    [
      "tsType, which would put schema text into code",
      { "s/m.schema.json": object({ a: { tsType: "any; process.exit(1)" } }) },
      {},
      ['s/m.schema.json:5:17 /properties/a/tsType: the keyword "tsType" is not supported by mboxgen; describe the value with type, properties, items, enum, const, anyOf or oneOf instead [SCHEMA_UNSUPPORTED_KEYWORD]'],
    ],
    [
      "a $ref to a missing sibling file names both files",
      { "s/m.schema.json": object({ a: { $ref: "common.json#/$defs/x" } }) },
      {},
      ['s/m.schema.json:5:15 /properties/a/$ref: $ref "common.json#/$defs/x" points to s/common.json, which is not among the schema files; create s/common.json in the schemas folder or correct the $ref [REF_NOT_FOUND]'],
    ],
    [
      "a $ref pointer that does not exist",
      { "s/m.schema.json": object({ a: { $ref: "#/$defs/nothing" } }) },
      {},
      ['s/m.schema.json:5:15 /properties/a/$ref: $ref "#/$defs/nothing" points to a location that does not exist in s/m.schema.json; correct the JSON pointer after # in the $ref [REF_POINTER_NOT_FOUND]'],
    ],
    [
      "a remote $ref",
      { "s/m.schema.json": object({ a: { $ref: "https://example.com/schema.json" } }) },
      {},
      ['s/m.schema.json:5:15 /properties/a/$ref: $ref "https://example.com/schema.json" is not a local pointer (#/...) or a relative file in the schemas folder; copy the referenced schema into the schemas folder and reference it by relative path [REF_UNSUPPORTED]'],
    ],
    [
      "a default that fails its own schema",
      { "s/m.schema.json": object({ n: { type: "integer", minimum: 1, default: 0 } }) },
      {},
      ['s/m.schema.json:7:18 /properties/n/default: the default of "n" (0) does not match its own schema; change the default or the schema so that the default is a valid value [DEFAULT_INVALID]'],
    ],
    [
      "a config default that fails the schema",
      { "s/m.schema.json": object({ n: { type: "integer" } }) },
      { mboxes: { m: { keys: { n: { default: "ten" } } } } },
      ['s/m.schema.json (config) mboxes.m.keys.n.default: the default of "n" ("ten") does not match its own schema; change the default or the schema so that the default is a valid value [DEFAULT_INVALID]'],
    ],
    [
      "an unknown type and an invalid pattern, reported together",
      { "s/m.schema.json": object({ a: { type: "text" }, b: { type: "string", pattern: "([a-z" } }) },
      {},
      [
        's/m.schema.json:5:15 /properties/a/type: unknown type "text"; use one of "string", "number", "integer", "boolean", "null", "object", "array" [SCHEMA_UNKNOWN_TYPE]',
        's/m.schema.json:9:18 /properties/b/pattern: "pattern" must be a regular expression (ECMAScript, u flag); correct the value of "pattern" [SCHEMA_INVALID_KEYWORD]',
      ],
    ],
    [
      "two schemas for one mbox",
      { "s/a.schema.json": object({}, { "x-mbox": "m" }), "s/m.schema.json": object({}) },
      {},
      ['s/m.schema.json:1:1 /: mbox "m" is also defined by s/a.schema.json; keep one schema per mbox; check the file names and "x-mbox" values [DUPLICATE_MBOX]'],
    ],
    [
      "two keys that map to one accessor name",
      { "s/m.schema.json": object({ "max-items": { type: "integer" }, maxItems: { type: "integer" } }) },
      {},
      ['s/m.schema.json: key "max-items" of mbox "m" and key "maxItems" of mbox "m" both get the accessor name "maxItems"; give one of them another name with mboxes["m"].keys["maxItems"].accessorName in the config [NAME_COLLISION]'],
    ],
    [
      "two mboxes that map to one export name",
      { "s/a-b.schema.json": object({}), "s/aB.schema.json": object({}) },
      {},
      [
        's/aB.schema.json: mbox "a-b" and mbox "aB" both get the export name "aB"; give one of them another name with mboxes["aB"].exportName in the config [NAME_COLLISION]',
        's/aB.schema.json: mbox "a-b" and mbox "aB" both get the type name "AB"; give one of them another name with mboxes["aB"].exportName in the config [NAME_COLLISION]',
        's/aB.schema.json: mbox "a-b" and mbox "aB" both get the type name "ABAccessors"; give one of them another name with mboxes["aB"].exportName in the config [NAME_COLLISION]',
        's/aB.schema.json: mbox "a-b" and mbox "aB" both get the file name "a-b"; give one of them another name with mboxes["aB"].exportName in the config [NAME_COLLISION]',
      ],
    ],
    [
      "a key that clashes with a member of every accessors object",
      { "s/m.schema.json": object({ asObject: { type: "string" }, then: { type: "boolean" } }) },
      {},
      [
        's/m.schema.json: the accessor name "asObject" is reserved (a member of every accessors object); choose another name with mboxes["m"].keys["asObject"].accessorName in the config [NAME_RESERVED]',
        's/m.schema.json: the accessor name "then" is reserved (it would make the accessors object a thenable that `await` unwraps); choose another name with mboxes["m"].keys["then"].accessorName in the config [NAME_RESERVED]',
      ],
    ],
    [
      "an mbox name that is a reserved word",
      { "s/class.schema.json": object({}) },
      {},
      ['s/class.schema.json: the export name "class" is reserved (a JavaScript reserved word); choose another name with mboxes["class"].exportName in the config [NAME_RESERVED]'],
    ],
    [
      "mbox names whose types or exports would take names generated code uses (TypeScript's, JavaScript's, the runtime's)",
      { "s/exclude.schema.json": object({}), "s/array.schema.json": object({}), "s/objects.schema.json": object({}), "s/mbox.schema.json": object({}), "s/fallback-event.schema.json": object({}) },
      { mboxes: { objects: { exportName: "Object" } } },
      [
        `s/array.schema.json: the export name "array" is reserved (its type Array would take the name of TypeScript's own Array, which generated modules use); choose another name with mboxes["array"].exportName in the config [NAME_RESERVED]`,
        `s/exclude.schema.json: the export name "exclude" is reserved (its type Exclude would take the name of TypeScript's own Exclude, which generated modules use); choose another name with mboxes["exclude"].exportName in the config [NAME_RESERVED]`,
        `s/fallback-event.schema.json: the export name "fallbackEvent" is reserved (its type FallbackEvent would take the name of a runtime type the generated index exports); choose another name with mboxes["fallback-event"].exportName in the config [NAME_RESERVED]`,
        `s/mbox.schema.json: the export name "mbox" is reserved (its type MboxAccessors would take the name of the runtime type every generated module imports); choose another name with mboxes["mbox"].exportName in the config [NAME_RESERVED]`,
        's/objects.schema.json: the export name "Object" is reserved (generated validators call Object.hasOwn); choose another name with mboxes["objects"].exportName in the config [NAME_RESERVED]',
      ],
    ],
    [
      "a key with no letters or digits",
      { "s/m.schema.json": object({ "*/": { type: "string" } }) },
      {},
      ['s/m.schema.json: no accessor name can be derived from "*/" (it has no letters or digits that every TypeScript version reads in a name); set mboxes["m"].keys["*/"].accessorName in the config [NAME_UNDERIVABLE]'],
    ],
    [
      "config entries for unknown mboxes and keys",
      { "s/m.schema.json": object({ a: { type: "string" } }) },
      { mboxes: { m: { keys: { b: { accessorName: "bee" } } }, other: {} } },
      [
        'the config names mbox "other", which has no schema; remove the entry or add the mbox\'s schema [CONFIG_UNKNOWN_MBOX]',
        's/m.schema.json: the config names key "b" of mbox "m", which its schema does not declare; remove the entry or add the key to the schema\'s properties [CONFIG_UNKNOWN_KEY]',
      ],
    ],
    [
      "an invalid config",
      { "s/m.schema.json": object({}) },
      { format: "yes", colour: true } as unknown as MboxgenConfig,
      [
        `/colour: invalid config: unknown option "colour"; ${CONFIG_FIX} [CONFIG_INVALID]`,
        `/format: invalid config: "format" must be true or false; ${CONFIG_FIX} [CONFIG_INVALID]`,
      ],
    ],
    [
      "a misspelt nested config option gets a suggestion, a wrong type names the option",
      { "s/m.schema.json": object({ a: { type: "string" } }) },
      { mboxes: { m: { exportNmae: "x", keys: { a: { accessorName: 3 } } } } } as unknown as MboxgenConfig,
      [
        `/mboxes/m/exportNmae: invalid config: unknown option "exportNmae" (did you mean "exportName"?); ${CONFIG_FIX} [CONFIG_INVALID]`,
        `/mboxes/m/keys/a/accessorName: invalid config: "accessorName" must be a string; ${CONFIG_FIX} [CONFIG_INVALID]`,
      ],
    ],
    [
      "a schema title that takes the module's accessors interface name",
      { "s/m.schema.json": object({ a: { type: "object", title: "M Accessors", properties: {} } }) },
      {},
      ['s/m.schema.json: a type the schema declares (title or $defs) and mboxgen\'s own declarations for mbox "m" both get the type name "MAccessors"; give one of them another name with mboxes["m"].exportName in the config [NAME_COLLISION]'],
    ],
    ["no mbox schemas at all", { "s/common.json": {} }, {}, ["no *.schema.json files in schemas; add one JSON Schema per mbox named <mbox>.schema.json, or point --schemas at the folder that has them [NO_SCHEMAS]"]],
  ])("%s", async (_name, sources, config, expected) => {
    expect(await errorsOf(sources, config)).toEqual(expected);
  });

  it("a title naming another module's type is fine: every module is its own scope", async () => {
    const { files } = await generate({
      schemas: [
        { path: "a.schema.json", text: JSON.stringify(object({ x: { type: "object", title: "B", properties: {} } })) },
        { path: "b.schema.json", text: JSON.stringify(object({})) },
      ],
    });
    expect(files.map((file) => file.path)).toEqual(["a.ts", "b.ts", "index.ts"]);
    expect(files[0]!.text).toContain("export interface B {");
  });
});

describe("errors travel one way", () => {
  it("the collector keeps what a stage throws, in file order, and lets a bug through", () => {
    const diagnostics = new Diagnostics();
    const later = createGeneratorError("JSON_SYNTAX", { reason: "x" }, { file: "b.json", line: 2 });
    const earlier = createGeneratorError("JSON_SYNTAX", { reason: "y" }, { file: "a.json", line: 9 });
    expect(diagnostics.capture(() => { throw later; }, "fallback")).toBe("fallback");
    diagnostics.report(earlier);
    expect(() => diagnostics.capture(() => { throw new TypeError("a bug"); }, "fallback")).toThrow(TypeError);
    let thrown: unknown;
    try {
      diagnostics.throwIfAny();
    } catch (error) {
      thrown = error;
    }
    expect(thrown).toBeInstanceOf(GeneratorErrors);
    // The very objects the stages made: nothing is copied on the way.
    expect((thrown as GeneratorErrors).errors).toEqual([earlier, later]);
    expect((thrown as GeneratorErrors).errors[0]).toBe(earlier);
  });

  it("an error that wraps another keeps it as cause: a committed schema that does not build is drift, caused by the schema's own error", async () => {
    const folder = await mkdtemp(join(tmpdir(), "mboxgen-drift-"));
    try {
      await writeFile(join(folder, "m.schema.json"), JSON.stringify(object({ a: { type: "strnig" } })));
      const diagnostics = new Diagnostics();
      await checkDrift(folder, [{ mbox: "m", schema: {}, offers: [{ a: "x" }], provenance: { source: "sample", samples: 1, experiences: [] } } as unknown as MboxOffers], diagnostics);
      expect(diagnostics.errors.map((error) => error.code)).toEqual(["SCHEMA_DRIFT"]);
      const cause = diagnostics.errors[0]!.cause;
      expect(cause).toBeInstanceOf(GeneratorError);
      expect((cause as GeneratorError).code).toBe("SCHEMA_UNKNOWN_TYPE");
    } finally {
      await rm(folder, { recursive: true, force: true });
    }
  });
});

describe("malformed JSON", () => {
  // JSON.parse reads every schema; jsonc-parser reads only what JSON.parse refuses, for the position.
  // Texts are JSON with one character deleted, inserted or replaced, so most are near misses.
  const nearMiss = fc
    .tuple(fc.json({ maxDepth: 3 }), fc.nat(), fc.constantFrom(...'{}[],:"\\/ 0e-.tn\n\u0000\u2028'.split("")), fc.constantFrom("delete", "insert", "replace"))
    .map(([text, at, character, edit]) => {
      const index = text.length === 0 ? 0 : at % text.length;
      if (edit === "delete") return text.slice(0, index) + text.slice(index + 1);
      return text.slice(0, index) + character + text.slice(index + (edit === "replace" ? 1 : 0));
    });

  it("a text is refused exactly when JSON.parse refuses it, always with jsonc-parser's line, column and reason", () => {
    fc.assert(
      fc.property(nearMiss, (text) => {
        let parsed: { value: unknown } | undefined;
        try {
          parsed = { value: JSON.parse(text) as unknown };
        } catch {
          parsed = undefined;
        }
        let thrown: unknown;
        try {
          const document = parseJsonDocument({ path: "m.schema.json", text });
          expect(parsed).toBeDefined();
          expect(document.value).toEqual(parsed!.value);
        } catch (error) {
          thrown = error;
        }
        if (parsed !== undefined) {
          expect(thrown).toBeUndefined();
          return;
        }
        expect(thrown).toBeInstanceOf(GeneratorError);
        // A reason in words from jsonc-parser, never JSON.parse's engine-specific message.
        expect((thrown as GeneratorError).message).toMatch(/^m\.schema\.json:\d+:\d+: invalid JSON \([a-z ]+\); fix the JSON syntax at that position \[JSON_SYNTAX\]$/);
      }),
      { numRuns: 2000 },
    );
  });
});

describe("schemas and values nested beyond any real offer", () => {
  // Text built directly: JSON.stringify itself overflows on values this deep.
  const nestedObjects = (levels: number) => `{"type":"object","properties":{"deep":${'{"type":"object","properties":{"l":'.repeat(levels)}{"type":"string"}${"}}".repeat(levels)}}}`;

  it("a schema nested 150 levels deep generates", async () => {
    const { files } = await generate({ schemas: [{ path: "m.schema.json", text: nestedObjects(150) }] });
    expect(files.map((file) => file.path)).toEqual(["index.ts", "m.ts"]);
  });

  it("a schema nested thousands of levels deep is one clear error, not a stack overflow", async () => {
    for (const levels of [300, 20_000]) {
      const [message, ...rest] = await errorsOf({ "m.schema.json": nestedObjects(levels) });
      expect(rest).toEqual([]);
      expect(message).toMatch(/^m\.schema\.json(:\d+:\d+)? \/properties\/deep(\/properties\/l)+: the schema nests deeper than 200 levels here \(objects, arrays and combinators\), more than mboxgen reads; restructure it so that no value nests deeper than 200 levels \[SCHEMA_TOO_DEEP\]$/);
    }
  });

  it("chains and rings of thousands of $refs generate: each target is built from its own top", async () => {
    const count = 3000;
    const chain = Object.fromEntries(Array.from({ length: count }, (_, index) => [`d${index}`, { type: "object", properties: { next: { $ref: `#/$defs/d${index + 1}` } } }]));
    const ring = Object.fromEntries(Array.from({ length: count }, (_, index) => [`r${index}`, { type: "object", properties: { next: { $ref: `#/$defs/r${(index + 1) % count}` } } }]));
    const schema = { type: "object", properties: { chain: { $ref: "#/$defs/d0" }, ring: { $ref: "#/$defs/r0" } }, $defs: { ...chain, [`d${count}`]: { type: "string" }, ...ring } };
    const { files } = await generate({ schemas: [{ path: "m.schema.json", text: JSON.stringify(schema) }] });
    const text = files.find((file) => file.path === "m.ts")!.text;
    expect(text).toContain(`export interface D${count - 1} {`);
    expect(text).toContain(`export interface R${count - 1} {`);
  });

  it("a default checked through tens of thousands of $refs in allOfs is one clear error, caused by the overflow", async () => {
    const count = 30_000;
    const chain = Object.fromEntries(Array.from({ length: count }, (_, index) => [`d${index}`, { allOf: [{ $ref: `#/$defs/d${index + 1}` }, { minLength: 1 }] }]));
    const schema = { type: "object", properties: { a: { $ref: "#/$defs/d0", default: "y" } }, $defs: { ...chain, [`d${count}`]: { type: "string" } } };
    let thrown: unknown;
    try {
      await generate({ schemas: [{ path: "m.schema.json", text: JSON.stringify(schema) }] });
    } catch (error) {
      thrown = error;
    }
    expect(thrown).toBeInstanceOf(GeneratorErrors);
    const [error] = (thrown as GeneratorErrors).errors;
    expect(error!.message).toBe("m.schema.json: its $refs and combinators lead through each other deeper than mboxgen can follow (thousands of levels); shorten the chains of $refs that pass through allOf, anyOf or oneOf [SCHEMA_TOO_DEEP]");
    expect(error!.cause).toBeInstanceOf(RangeError);
  });

  it("a const, enum, default or examples value nested beyond the limit is a clear error", async () => {
    const deep = `${"[".repeat(5000)}${"]".repeat(5000)}`;
    for (const keyword of ["const", "enum", "default", "examples"]) {
      const value = keyword === "enum" || keyword === "examples" ? `[${deep}]` : deep;
      const messages = await errorsOf({ "m.schema.json": `{"type":"object","properties":{"a":{"${keyword}":${value}}}}` });
      expect(messages).toEqual([`m.schema.json /properties/a/${keyword}: this value nests deeper than 200 levels (arrays and objects), more than mboxgen reads; shorten it to at most 200 levels [SCHEMA_TOO_DEEP]`]);
    }
  });
});
