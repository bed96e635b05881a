/**
 * Generated files are laid out exactly as prettier lays them out (generator/emit/layout.ts prints
 * them directly, without running prettier): prettier, with its default options and its
 * `typescript` parser, leaves every file unchanged. Checked on every fixture and on random schemas
 * built to cross the 80-column boundary everywhere a line can break: long and short names, keys,
 * string and number literals, defaults of every JSON shape, wide and hostile characters.
 */
import fc from "fast-check";
import { format } from "prettier";
import { describe, expect, it } from "vitest";
import { propertyKey } from "../../generator/emit/layout.js";
import { generate, GeneratorErrors } from "../../generator/index.js";
import { fixtureCases, generateFixture } from "../support/fixtures.js";
import { loadSuiteGroups, suiteSources } from "../support/json-schema-test-suite.js";
import { rootSchema, schemaCaseArbitrary } from "../support/schema-arbitrary.js";

const RUNS = Number(process.env.MBOXGEN_LAYOUT_RUNS ?? 40);

/**
 * The first line where prettier would change the text, with both versions, or undefined. Also
 * through Babel's TypeScript parser, which some apps compile generated code with: the text must
 * parse there and print the same.
 */
async function prettierChange(text: string): Promise<string | undefined> {
  for (const parser of ["typescript", "babel-ts"]) {
    let formatted: string;
    try {
      formatted = await format(text, { parser });
    } catch (error) {
      return `${parser} cannot parse it: ${(error as Error).message.split("\n")[0]}`;
    }
    if (formatted === text) continue;
    const ours = text.split("\n");
    const theirs = formatted.split("\n");
    let index = 0;
    while (index < ours.length && ours[index] === theirs[index]) index += 1;
    return `${parser}, line ${index + 1}:\n  generated: ${JSON.stringify(ours.slice(index, index + 3).join("\n"))}\n  prettier:  ${JSON.stringify(theirs.slice(index, index + 3).join("\n"))}`;
  }
  return undefined;
}

async function changesIn(files: ReadonlyArray<{ path: string; text: string }>): Promise<string[]> {
  const changes: string[] = [];
  // The OpenFeature flag manifest is JSON, printed by prettier itself.
  for (const file of files.filter((each) => each.path.endsWith(".ts"))) {
    const change = await prettierChange(file.text);
    if (change) changes.push(`${file.path} ${change}`);
  }
  return changes;
}

// Text of every length around the line width, with what makes strings and keys hard to print.
const tricky = fc.oneof(
  fc.constantFrom("a", "x-y", "*/", 'quo"te', "it's", `both " and '`, "back\\slash", "${x}", "`tick`", "line\nbreak", "\u2028", "Ключ", "键值", "🚀", "__proto__", "constructor", "1", "1e3", "-0"),
  fc.string({ unit: "grapheme", minLength: 0, maxLength: 12 }),
  fc.integer({ min: 20, max: 110 }).chain((length) => fc.constantFrom("k".repeat(length), "é".repeat(length), "漢".repeat(Math.ceil(length / 2)), `${"w".repeat(length)}"`)),
);
const numbers = fc.oneof(fc.integer({ min: -1e6, max: 1e6 }), fc.double({ noNaN: true, noDefaultInfinity: true }), fc.constantFrom(0, -0, 1e21, 1.5e-7, 123456789012345680000, -2.5));
const jsonValues: fc.Arbitrary<unknown> = fc.letrec((tie) => ({
  value: fc.oneof({ depthSize: "small", maxDepth: 3 }, tricky, numbers, fc.boolean(), fc.constant(null), tie("array"), tie("object")),
  array: fc.array(tie("value"), { maxLength: 5 }),
  object: fc.dictionary(tricky, tie("value"), { maxKeys: 4 }),
})).value;

// A literal pattern for any text: every character that means something to a RegExp escaped.
const literalPattern = (text: string) => text.replace(/[\\^$.*+?()[\]{}|/-]/g, "\\$&");

// Schemas whose default is valid, so that the generator prints them (an invalid default is refused).
const leaf = fc.oneof(
  jsonValues.map((value) => ({ const: value, default: value })),
  fc.uniqueArray(jsonValues, { minLength: 1, maxLength: 6, selector: (value) => JSON.stringify(value) }).chain((values) => fc.constantFrom(...values).map((fallback) => ({ enum: values, default: fallback }))),
  fc.record({ description: tricky, default: jsonValues }),
  fc.record({ type: fc.constant("string"), pattern: tricky.map(literalPattern), title: tricky }),
  fc.tuple(numbers, numbers).map(([left, right]) => ({ type: "number", minimum: Math.min(left, right), maximum: Math.max(left, right), default: Math.min(left, right) })),
  fc.record({ type: fc.constant("array"), items: fc.constant({ type: "string" }), default: fc.array(tricky, { maxLength: 4 }) }),
  // Large enums and long combinators: checked through module-level constants (validators.ts).
  fc.uniqueArray(jsonValues, { minLength: 33, maxLength: 45, selector: (value) => JSON.stringify(value) }).chain((values) => fc.constantFrom(...values).map((fallback) => ({ enum: values, default: fallback }))),
  fc.tuple(fc.constantFrom("anyOf", "oneOf"), fc.integer({ min: 65, max: 70 }), tricky).map(([keyword, count, key]) => ({ [keyword]: Array.from({ length: count }, (_, index) => ({ type: "object", required: [`${key}${index}`] })) })),
  fc.integer({ min: 65, max: 70 }).map((count) => ({ allOf: Array.from({ length: count }, (_, index) => ({ multipleOf: index + 1 })) })),
);
const property = fc.oneof(
  { weight: 3, arbitrary: leaf },
  { weight: 1, arbitrary: fc.record({ type: fc.constant("object"), properties: fc.dictionary(tricky, leaf, { maxKeys: 4 }), required: fc.array(tricky, { maxLength: 2 }) }) },
);
const stressSchema = fc.record({
  mbox: tricky.filter((name) => /[\p{L}\p{N}]/u.test(name)),
  description: fc.option(tricky, { nil: undefined }),
  properties: fc.dictionary(
    tricky.filter((key) => /^[\p{L}\p{N}]/u.test(key) && !["then", "__proto__", "constructor"].includes(key)),
    property,
    { minKeys: 1, maxKeys: 5 },
  ),
});

describe("generated files are already formatted as prettier formats them", () => {
  it.each(fixtureCases())("fixture %s: prettier changes nothing", async (name) => {
    const { files } = await generateFixture(name, { openfeature: ["server", "react", "manifest"] });
    expect(files.some((file) => file.path.startsWith("openfeature/"))).toBe(true);
    expect(await changesIn(files)).toEqual([]);
  });

  it("every JSON Schema Test Suite schema mboxgen accepts: prettier changes nothing", async () => {
    const changes: string[] = [];
    let accepted = 0;
    for (const entry of loadSuiteGroups()) {
      let files;
      try {
        ({ files } = await generate({ schemas: suiteSources(entry) }));
      } catch (error) {
        // Groups with keywords mboxgen refuses print nothing (json-schema-test-suite.test.ts checks which).
        if (error instanceof GeneratorErrors) continue;
        throw error;
      }
      accepted += 1;
      for (const change of await changesIn(files.filter((each) => each.path !== "index.ts"))) changes.push(`${entry.file} "${entry.group.description}": ${change}`);
    }
    expect(changes).toEqual([]);
    expect(accepted).toBeGreaterThan(200);
  }, 120_000);

  it(`${RUNS} random schemas of the supported subset: prettier changes nothing`, async () => {
    await fc.assert(
      fc.asyncProperty(schemaCaseArbitrary, async (testCase) => {
        const { files } = await generate({ schemas: [{ path: "subject.schema.json", text: JSON.stringify(rootSchema(testCase)) }], config: { openfeature: ["server", "react"] } });
        expect(await changesIn(files)).toEqual([]);
      }),
      { numRuns: RUNS },
    );
  }, 120_000);

  it(`${RUNS} random schemas with long and hostile names, keys, literals and defaults: prettier changes nothing`, async () => {
    await fc.assert(
      fc.asyncProperty(stressSchema, async ({ mbox, description, properties }) => {
        const schema = { type: "object", "x-mbox": mbox, ...(description === undefined ? {} : { description }), properties };
        let files;
        try {
          ({ files } = await generate({ schemas: [{ path: "m.schema.json", text: JSON.stringify(schema) }], config: { openfeature: ["server", "react", "manifest"] } }));
        } catch (error) {
          // Schemas the generator refuses (an invalid default, a name it cannot derive) print nothing.
          if (process.env.MBOXGEN_LAYOUT_DEBUG) console.log("refused", String(error).slice(0, 160));
          return;
        }
        if (process.env.MBOXGEN_LAYOUT_DEBUG) console.log("accepted");
        expect(await changesIn(files)).toEqual([]);
      }),
      { numRuns: RUNS },
    );
  }, 120_000);

  it("quotes exactly the keys prettier quotes, across the blocks it knows and the ones it does not", async () => {
    // Every character of the blocks a bare key may use (CJK and Hangul sampled), and letters newer than prettier's table.
    const ranges: Array<[number, number, number]> = [[0x20, 0x24f, 1], [0x300, 0x4ff, 1], [0x591, 0x5ff, 1], [0x600, 0x6ff, 1], [0x900, 0x97f, 1], [0xe01, 0xe5b, 1], [0x1e00, 0x1fff, 1], [0x3041, 0x30ff, 1], [0x4e00, 0x9fff, 37], [0x9fd0, 0x9fff, 1], [0xac00, 0xd7a3, 41], [0x531, 0x58f, 1], [0xa7d0, 0xa7d9, 1], [0x10a0, 0x10ff, 1], [0x1c90, 0x1cbf, 1]];
    const keys: string[] = [];
    for (const [first, last, step] of ranges) {
      for (let code = first; code <= last; code += step) keys.push(String.fromCharCode(code), `a${String.fromCharCode(code)}`);
    }
    const text = `interface Keys {\n${keys.map((key) => `  ${JSON.stringify(key)}: 0;\n`).join("")}}\n`;
    const lines = (await format(text, { parser: "typescript" })).split("\n").slice(1, -2);
    const disagreements = keys.filter((key, index) => {
      const prettierUnquoted = !lines[index]!.trimStart().startsWith('"') && !lines[index]!.trimStart().startsWith("'");
      const oursUnquoted = !propertyKey(key).startsWith('"') && !propertyKey(key).startsWith("'");
      // Ours may quote what prettier would unquote only when it escapes the key (prettier keeps that).
      return prettierUnquoted ? !oursUnquoted && !propertyKey(key).includes("\\u") : oursUnquoted;
    });
    expect(disagreements.map((key) => [...key].map((character) => `U+${character.codePointAt(0)!.toString(16).toUpperCase()}`).join(" "))).toEqual([]);
  });

  it("measures keys as prettier does: astral, wide, combining and emoji characters", async () => {
    // A key narrower than 5 columns keeps its value on its line; its width is not its length.
    const keys = [" \u{10000}", "\u30AD\u30FC\u30AD", "e\u0301e\u0301", "\u{1F680}", "\u{1F680}\u{1F680}", "\u00E9t\u00E9", "\u6F22", "a\u200Db"];
    const value = Object.fromEntries(keys.map((key, index) => [key, `${"w".repeat(60 + index)}"`]));
    const schema = { type: "object", properties: { setting: { const: { nested: { deeper: value } }, default: { nested: { deeper: value } } } } };
    const { files } = await generate({ schemas: [{ path: "m.schema.json", text: JSON.stringify(schema) }] });
    expect(await changesIn(files)).toEqual([]);
  });

  it("arrays of negative literals are written so that Babel's parser reads them", async () => {
    const schema = { type: "object", properties: { offsets: { type: "array", items: { const: -1 } }, zeros: { type: "array", items: { enum: [-0] } }, mixed: { type: "array", items: { enum: [-1, 2] } } } };
    const { files } = await generate({ schemas: [{ path: "m.schema.json", text: JSON.stringify(schema) }] });
    expect(await changesIn(files)).toEqual([]);
  });

  it("detects a layout prettier would change (negative control)", async () => {
    const { files } = await generateFixture("example");
    const file = files.find((each) => each.path !== "index.ts")!;
    // Joins the first two lines of the first interface body, as a wrong layout would.
    const broken = file.text.replace(/\{\n(\s+)/, "{ ");
    expect(broken).not.toBe(file.text);
    expect(await changesIn([{ path: file.path, text: broken }])).not.toEqual([]);
  });

  it("custom prettier options still format with prettier", async () => {
    const { files } = await generateFixture("example", { prettier: { semi: false, singleQuote: true } });
    const module = files.find((each) => each.path !== "index.ts")!;
    expect(module.text).toContain("from '@mboxgen/runtime'\n");
    expect(await format(module.text, { parser: "typescript", semi: false, singleQuote: true })).toBe(module.text);
  });
});
