/**
 * Properties over large input spaces (fast-check) and the pipeline's purity: naming always gives
 * identifiers, escaping keeps data data, random hostile schemas give parseable code, generating
 * twice gives identical bytes, and no stage mutates its input.
 */
import fc from "fast-check";
import { ts } from "ts-morph";
import { describe, expect, it } from "vitest";
import { commentText, jsonLiteral, lineCommentText, stringLiteral } from "../../generator/emit/escape.js";
import { generate, type MboxgenConfig } from "../../generator/index.js";
import { isIdentifierName, toFileName, toLowerCamelCase, toPascalCase } from "../../generator/naming.js";
import { generateFixture } from "../support/fixtures.js";

const hostileText = fc.oneof(
  fc.string({ unit: "binary", maxLength: 30 }),
  fc.constantFrom("__proto__", "constructor", "*/", "/*", "${x}", "`", '"', "'", "\\", "\u2028", "\n", "</script>", "-->", "0", "🚀"),
);

function parseDiagnostics(source: string): string[] {
  const file = ts.createSourceFile("generated.ts", source, ts.ScriptTarget.ES2022, true, ts.ScriptKind.TS);
  return ((file as unknown as { parseDiagnostics: Array<{ messageText: string }> }).parseDiagnostics ?? []).map((diagnostic) => String(diagnostic.messageText));
}

function deepFreeze<Value>(value: Value): Value {
  if (typeof value === "object" && value !== null) {
    for (const key of Object.keys(value)) deepFreeze((value as Record<string, unknown>)[key]);
    Object.freeze(value);
  }
  return value;
}

describe("naming", () => {
  it("lowerCamelCase is an identifier or undefined, and stable", () => {
    fc.assert(
      fc.property(hostileText, (text) => {
        const name = toLowerCamelCase(text);
        if (name === undefined) return !/[\p{L}\p{Nd}]/u.test(text);
        // Idempotent for ASCII names; some caseless-then-uppercase scripts read as all caps on a second pass.
        const stable = !/^[\x00-\x7f]*$/.test(text) || toLowerCamelCase(name) === name;
        return isIdentifierName(name) && stable && isIdentifierName(toPascalCase(name)) && !/[/\\]/.test(toFileName(name));
      }),
    );
  });

  it("follows the documented examples", () => {
    expect(toLowerCamelCase("demo-engineering-flags")).toBe("demoEngineeringFlags");
    expect(toLowerCamelCase("max-items")).toBe("maxItems");
    expect(toLowerCamelCase("2col")).toBe("_2col");
    expect(toLowerCamelCase("URL_config")).toBe("urlConfig");
    expect(toLowerCamelCase("*/")).toBeUndefined();
    expect(toFileName("demoEngineeringFlags")).toBe("demo-engineering-flags");
    expect(toFileName("_")).toBe("_");
    expect(toFileName("_2col")).toBe("2col");
  });
});

describe("escaping", () => {
  it("string and JSON literals evaluate back to the same data", () => {
    fc.assert(
      fc.property(fc.jsonValue(), hostileText, (value, text) => {
        // Evaluating the emitted expression is how the test proves it is data, not code.
        const evaluate = (expression: string) => new Function(`"use strict"; return (${expression});`)() as unknown;
        expect(evaluate(stringLiteral(text))).toBe(text);
        expect(JSON.stringify(evaluate(jsonLiteral(value as never)))).toBe(JSON.stringify(value));
      }),
    );
  });

  it("a __proto__ key in a JSON literal stays an own key", () => {
    const value = new Function(`return (${jsonLiteral(JSON.parse('{"__proto__": {"polluted": true}}'))});`)() as object;
    expect(Object.keys(value)).toEqual(["__proto__"]);
    expect(Object.getPrototypeOf(value)).toBe(Object.prototype);
  });

  it("comment text can never close its comment or leave its line", () => {
    fc.assert(
      fc.property(hostileText, (text) => {
        expect(commentText(text)).not.toContain("*/");
        expect(commentText(text)).not.toContain("/*");
        expect(lineCommentText(text)).not.toMatch(/[\r\n\u2028\u2029]/);
      }),
    );
  });

  it("random hostile keys, descriptions, enums and defaults give parseable modules", async () => {
    await fc.assert(
      fc.asyncProperty(fc.uniqueArray(hostileText, { minLength: 1, maxLength: 4 }), hostileText, async (keys, text) => {
        const properties = Object.fromEntries(
          keys.map((key, index) => [key, { type: "string", description: text, enum: [text, `${text}!`], default: text, title: `${text}${index}` }]),
        );
        const config: MboxgenConfig = { mboxes: { m: { keys: Object.fromEntries(keys.map((key, index) => [key, { accessorName: `key${index}` }])) } } };
        const { files } = await generate({ schemas: [{ path: "m.schema.json", text: JSON.stringify({ type: "object", description: text, properties }) }], config });
        for (const file of files) expect(parseDiagnostics(file.text), file.text).toEqual([]);
      }),
      { numRuns: 25 },
    );
  });
});

describe("the pipeline is pure", () => {
  it("generating twice gives identical bytes", async () => {
    const first = await generateFixture("hostile-names");
    const second = await generateFixture("hostile-names");
    expect(second.files).toEqual(first.files);
  });

  it("does not mutate its input", async () => {
    const schema = { type: "object", properties: { a: { $ref: "#/$defs/a", deprecated: true }, __proto__x: { type: "string" } }, $defs: { a: { type: "string", default: "x" } } };
    const input = deepFreeze({
      schemas: [{ path: "m.schema.json", text: JSON.stringify(schema) }],
      config: { mboxes: { m: { keys: { a: { default: "y" } } } }, prettier: { printWidth: 100 } },
    });
    const snapshot = JSON.stringify(input);
    await generate(input);
    expect(JSON.stringify(input)).toBe(snapshot);
  });
});
