/**
 * Properties over large input spaces (fast-check) and the pipeline's purity: naming always gives
 * identifiers, escaping keeps data data, random hostile schemas give parseable code, generating
 * twice gives identical bytes, and no stage mutates its input.
 */
import fc from "fast-check";
import { ts } from "ts-morph";
import { describe, expect, it } from "vitest";
import { commentText, lineCommentText } from "../../generator/emit/escape.js";
import { jsonValue, printDocument, stringLiteral } from "../../generator/emit/layout.js";
import { generate, GeneratorErrors, type GenerateInput, type MboxgenConfig } from "../../generator/index.js";
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
        // Undefined only when no letter or digit could stand in a name every TypeScript reads.
        if (name === undefined) return ![...text].some((character) => /[\p{L}\p{Nd}]/u.test(character) && isIdentifierName(`a${character}`));
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
        expect(JSON.stringify(evaluate(printDocument(jsonValue(value as never))))).toBe(JSON.stringify(value));
      }),
    );
  });

  it("a __proto__ key in a JSON literal stays an own key", () => {
    const value = new Function(`return (${printDocument(jsonValue(JSON.parse('{"__proto__": {"polluted": true}}')))});`)() as object;
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

describe("reusing a previous run's modules", () => {
  // A folder of three mboxes and a shared file of definitions that some of them $ref, a config,
  // then random edits. Generating the edited folder with the first run's files to reuse must give
  // exactly what generating it from nothing gives: the same files, or the same errors.
  const definitionType = fc.constantFrom({ type: "string" }, { type: "integer", minimum: 1 }, { enum: ["x", "y"] }, { type: "boolean", default: true });
  const property = fc.oneof(definitionType, fc.constantFrom({ $ref: "shared.json#/$defs/d" }, { $ref: "shared.json#/$defs/e" }, { $ref: "#/$defs/own" }));
  const mboxSchema = fc.record({
    description: fc.constantFrom("one", "two"),
    properties: fc.dictionary(fc.constantFrom("c", "x-y", "Ключ"), property, { maxKeys: 3 }),
    own: definitionType,
  });
  const folder = fc.record({
    schemas: fc.dictionary(fc.constantFrom("alpha", "beta", "gamma-ray", "delta"), mboxSchema, { minKeys: 1, maxKeys: 4 }),
    shared: fc.record({ d: definitionType, e: definitionType }),
    config: fc.record(
      {
        exportName: fc.constantFrom("alpha", "renamed"),
        accessorName: fc.constantFrom("a", "renamedKey"),
        default: fc.constantFrom("x", "y", 3),
        runtimeImport: fc.constantFrom("@mboxgen/runtime", "./runtime.js"),
      },
      { requiredKeys: [] },
    ),
  });

  type Folder = typeof folder extends fc.Arbitrary<infer State> ? State : never;

  function inputOf(state: Folder): GenerateInput {
    const schemas = Object.entries(state.schemas).map(([mbox, schema]) => ({
      path: `${mbox}.schema.json`,
      // Keys "a" and "b" always, for the config to name.
      text: JSON.stringify({ type: "object", description: schema.description, properties: { a: { type: "string" }, b: { type: "string" }, ...schema.properties }, $defs: { own: schema.own } }),
    }));
    schemas.push({ path: "shared.json", text: JSON.stringify({ $defs: state.shared }) });
    const { exportName, accessorName, default: fallback, runtimeImport } = state.config;
    const keys = { ...(accessorName === undefined ? {} : { a: { accessorName } }), ...(fallback === undefined ? {} : { b: { default: fallback } }) };
    const mboxes = Object.keys(state.schemas).includes("beta") ? { beta: { ...(exportName === undefined ? {} : { exportName }), ...(Object.keys(keys).length > 0 ? { keys } : {}) } } : {};
    const config: MboxgenConfig = { mboxes, ...(runtimeImport === undefined ? {} : { runtimeImport }) };
    return { schemas, config };
  }

  async function outcome(input: GenerateInput): Promise<{ files?: unknown; errors?: string[] }> {
    try {
      return { files: (await generate(input)).files };
    } catch (error) {
      if (!(error instanceof GeneratorErrors)) throw error;
      return { errors: error.errors.map((each) => each.message) };
    }
  }

  // One to three edits of a folder: what a user changes between two runs.
  const edit = fc.oneof(
    fc.record({ shared: fc.record({ d: definitionType, e: definitionType }, { requiredKeys: [] }) }),
    fc.record({ config: folder.map((state) => state.config) }),
    fc.record({ schema: fc.constantFrom("alpha", "beta", "gamma-ray", "delta", "Gamma_ray"), to: fc.option(mboxSchema, { nil: undefined }) }),
  );

  function applyEdit(state: Folder, change: Record<string, unknown>): Folder {
    if ("shared" in change) return { ...state, shared: { ...state.shared, ...(change.shared as object) } };
    if ("config" in change) return { ...state, config: change.config as Folder["config"] };
    const schemas = { ...state.schemas };
    if (change.to === undefined) delete schemas[change.schema as string];
    else schemas[change.schema as string] = change.to as Folder["schemas"][string];
    return { ...state, schemas };
  }

  it("a $ref written with escapes still ties the module to the file it names", async () => {
    const mbox = { path: "m.schema.json", text: '{"type":"object","properties":{"a":{"\\u0024ref":"shared.json#/$defs/d"}}}' };
    const shared = (type: string) => ({ path: "shared.json", text: JSON.stringify({ $defs: { d: { type } } }) });
    const first = await generate({ schemas: [mbox, shared("string")] });
    const previousFiles = new Map(first.files.map((file) => [file.path, file.text]));
    const second = await generate({ schemas: [mbox, shared("boolean")], previousFiles });
    expect(second.reused).toBe(0);
    expect(second.files).toEqual((await generate({ schemas: [mbox, shared("boolean")] })).files);
  });

  it("gives the bytes (or the errors) a run from nothing gives, whatever changed", async () => {
    let reusedSome = 0;
    let rebuiltSome = 0;
    await fc.assert(
      fc.asyncProperty(folder, fc.array(edit, { minLength: 1, maxLength: 3 }), async (before, edits) => {
        const first = await outcome(inputOf(before));
        if (!first.files) return;
        const after = edits.reduce(applyEdit, before);
        const previousFiles = new Map((first.files as Array<{ path: string; text: string }>).map((file) => [file.path, file.text]));
        const reusing = await outcome({ ...inputOf(after), previousFiles });
        expect(reusing).toEqual(await outcome(inputOf(after)));
        if (reusing.files) {
          const { reused, files } = await generate({ ...inputOf(after), previousFiles });
          if (reused > 0) reusedSome += 1;
          if (reused < files.length - 1) rebuiltSome += 1;
        }
      }),
      { numRuns: 300 },
    );
    // Not vacuous: runs that reused modules beside ones they rebuilt.
    expect(reusedSome).toBeGreaterThan(20);
    expect(rebuiltSome).toBeGreaterThan(20);
  });
});

describe("validators", () => {
  it("identical checks share one function; checks that differ anywhere, however deep, do not", async () => {
    const nested = (maximum: number) => ({ type: "object", properties: { inner: { type: "array", items: { type: "integer", maximum } } }, required: ["inner"] });
    const schema = { type: "object", properties: { first: nested(3), second: nested(3), third: nested(4), plain: { type: "string" }, other: { type: "string" } } };
    const { files } = await generate({ schemas: [{ path: "m.schema.json", text: JSON.stringify(schema) }] });
    const text = files.find((file) => file.path === "m.ts")!.text;
    // A spec is printed inline (`["plain", $isPlain, …]`) or broken over lines when long.
    const checkOf = (key: string) => new RegExp(`\\[\\s*"${key}",\\s*(\\$\\w+)`).exec(text)![1];
    expect(checkOf("second")).toBe(checkOf("first"));
    expect(checkOf("other")).toBe(checkOf("plain"));
    expect(checkOf("third")).not.toBe(checkOf("first"));
    // Every function is declared once and used: nothing dropped is left behind.
    const declared = [...text.matchAll(/^function (\$\w+)\(/gm)].map((match) => match[1]!);
    expect(new Set(declared).size).toBe(declared.length);
    for (const name of declared) expect(text.split(name).length - 1, name).toBeGreaterThan(1);
    expect(declared).toHaveLength(7);
  });
});

describe("mbox names", () => {
  it("any set of mbox names either generates modules and an index that compile together, or is refused with catalog errors", async () => {
    const { createTypeChecker } = await import("../support/type-checker.js");
    const checker = createTypeChecker("test/.virtual-names");
    // Names that meet what generated code, the runtime, TypeScript and JavaScript already use.
    const pool = ["fallback-event", "accessor-options", "fallback-reason", "mbox", "array", "exclude", "object", "number", "string", "promise", "index", "default", "get-attributes", "get-typed-attributes", "define-mbox", "is-json-object", "matches-pattern", "symbol", "map", "date", "error", "json", "math", "then", "constructor", "prototype", "to-string", "hero banner", "Hero-Banner", "Ключ", "2col", "a", "A", "undefined", "null", "true", "eval", "arguments", "record", "partial", "hero", "promo-strip", "flags", "checkout-flow", "search"];
    let compiled = 0;
    await fc.assert(
      fc.asyncProperty(fc.uniqueArray(fc.constantFrom(...pool), { minLength: 1, maxLength: 3 }), async (names) => {
        const schemas = names.map((name, index) => ({ path: `s${index}.schema.json`, text: JSON.stringify({ type: "object", "x-mbox": name, properties: { value: { type: "string" }, [`${name} key`]: { type: "boolean" } } }) }));
        let files;
        try {
          ({ files } = await generate({ schemas }));
        } catch (error) {
          expect(error).toBeInstanceOf(GeneratorErrors);
          return;
        }
        compiled += 1;
        const use = 'import * as target from "./index.js";\nexport const everything: object = target;\n';
        const diagnostics = checker.check({ ...Object.fromEntries(files.map((file) => [file.path, file.text])), "use.ts": use });
        expect(diagnostics, names.join(", ")).toEqual([]);
      }),
      { numRuns: Number(process.env.MBOXGEN_NAME_RUNS ?? 60) },
    );
    expect(compiled).toBeGreaterThan(10);
  });
});

describe("keys", () => {
  it("any set of keys either generates a module whose every accessor compiles and is callable, or is refused with catalog errors", async () => {
    const { createTypeChecker, runGeneratedModule } = await import("../support/type-checker.js");
    const checker = createTypeChecker("test/.virtual-keys");
    // Keys that meet members of objects, of the accessors object, reserved words and each other.
    const pool = ["constructor", "toString", "valueOf", "hasOwnProperty", "__proto__", "then", "asObject", "toJSON", "error", "default", "class", "2col", "a b", "a-b", "aB", "A", "a", "value", "from", "fetch", "mbox", "exportName", "attributes", "length", "prototype", "Ключ", "键", "🚀", "$ref", "x-mbox", "__defineGetter__", "isPrototypeOf", "*/", "${x}"];
    let compiled = 0;
    await fc.assert(
      fc.asyncProperty(fc.uniqueArray(fc.constantFrom(...pool), { minLength: 1, maxLength: 5 }), fc.constantFrom("string", "integer", "boolean"), async (keys, type) => {
        const schema = { type: "object", properties: Object.fromEntries(keys.map((key) => [key, { type }])), required: keys.slice(0, 1) };
        let files;
        try {
          ({ files } = await generate({ schemas: [{ path: "m.schema.json", text: JSON.stringify(schema) }] }));
        } catch (error) {
          expect(error).toBeInstanceOf(GeneratorErrors);
          return;
        }
        compiled += 1;
        // The accessor names as the runtime defines them: the module itself, run.
        const source = files.find((file) => file.path === "m.ts")!.text;
        const module = await runGeneratedModule<{ m: { from(provider: object): object } }>(source);
        const accessorNames = Object.getOwnPropertyNames(module.m.from({ asObject: () => ({}) })).filter((name) => !["asObject", "toJSON", "error"].includes(name));
        expect(accessorNames).toHaveLength(keys.length);
        const calls = accessorNames.map((name, index) => `export const value${index} = accessors[${JSON.stringify(name)}]();`);
        const use = ['import { m } from "./index.js";', "const accessors = m.from({ asObject: () => ({}) });", ...calls, ""].join("\n");
        expect(checker.check({ ...Object.fromEntries(files.map((file) => [file.path, file.text])), "use.ts": use }), keys.join(" | ")).toEqual([]);
      }),
      { numRuns: Number(process.env.MBOXGEN_NAME_RUNS ?? 60) },
    );
    expect(compiled).toBeGreaterThan(10);
  });
});

describe("offer types", () => {
  it("types titled like TypeScript's or JavaScript's own (Array, Exclude, Object, Number, Boolean, Record) still compile", async () => {
    const { createTypeChecker } = await import("../support/type-checker.js");
    const titled = (title: string, schema: object) => ({ title, ...schema });
    const schema = {
      type: "object",
      properties: {
        list: titled("Array", { type: "array", items: { const: -1 } }),
        excluded: titled("Exclude", { type: "object", properties: { x: { type: "integer" } } }),
        "renamed-key": titled("Object", { type: "object", additionalProperties: { type: "number" } }),
        count: titled("Number", { type: "number" }),
        flag: titled("Boolean", { type: "boolean" }),
        map: titled("Record", { type: "object" }),
        nested: { type: "array", items: { const: -2 } },
      },
    };
    const { files } = await generate({ schemas: [{ path: "m.schema.json", text: JSON.stringify(schema) }] });
    const source = files.find((file) => file.path === "m.ts")!.text;
    expect(source).toMatch(/^export type Array2 = /m);
    expect(source).toMatch(/^export interface Exclude2 /m);
    const use = 'import { m } from "./m.js";\nexport const list: -1[] | undefined = m.from({ asObject: () => ({}) }).list();\n';
    expect(createTypeChecker("test/.virtual-globals").check({ "m.ts": source, "use.ts": use })).toEqual([]);
  });

  it("an allOf of types TypeScript writes alike is written once", async () => {
    const schema = { type: "object", properties: { count: { allOf: [{ type: "integer" }, { minimum: 3 }, { type: "number", maximum: 9 }] } } };
    const { files } = await generate({ schemas: [{ path: "m.schema.json", text: JSON.stringify(schema) }] });
    expect(files.find((file) => file.path === "m.ts")!.text).toMatch(/^ {2}count\?: number;$/m);
  });
});

describe("JSON equality in linear time", () => {
  it("jsonKey(a) === jsonKey(b) exactly when isJsonEqual(a, b), key order and __proto__ keys included", async () => {
    const { isJsonEqual } = await import("@mboxgen/runtime");
    const { jsonKey, uniqueJsonValues } = await import("../../generator/json-values.js");
    // Small values, so that equal pairs are common; objects built with their keys in either order.
    const value: fc.Arbitrary<unknown> = fc.letrec((tie) => ({
      node: fc.oneof({ maxDepth: 3 }, fc.constantFrom(0, -0, 1, 1.5, "", "a", "__proto__", true, false, null), tie("array"), tie("object")),
      array: fc.array(tie("node"), { maxLength: 2 }),
      object: fc.array(fc.tuple(fc.constantFrom("a", "b", "__proto__"), tie("node")), { maxLength: 3 }).chain((entries) =>
        fc.boolean().map((reversed) => {
          const object = {};
          for (const [key, inner] of reversed ? [...entries].reverse() : entries) Object.defineProperty(object, key, { value: inner, enumerable: true, writable: true, configurable: true });
          return object;
        }),
      ),
    })).node;
    // A copy with every object's keys in reverse order: equal, and written differently.
    const reordered = (input: unknown): unknown => {
      if (Array.isArray(input)) return input.map(reordered);
      if (typeof input !== "object" || input === null) return input;
      const object = {};
      for (const key of Object.keys(input).reverse()) Object.defineProperty(object, key, { value: reordered((input as Record<string, unknown>)[key]), enumerable: true, writable: true, configurable: true });
      return object;
    };
    const pair = fc.oneof(fc.tuple(value, value), value.map((left) => [left, reordered(left)] as const));
    let equalPairs = 0;
    fc.assert(
      fc.property(pair, ([left, right]) => {
        const equal = isJsonEqual(left, right);
        if (equal) equalPairs += 1;
        expect(jsonKey(left) === jsonKey(right)).toBe(equal);
        expect(uniqueJsonValues([left, right])).toHaveLength(equal ? 1 : 2);
      }),
      { numRuns: 2000 },
    );
    expect(equalPairs).toBeGreaterThan(50);
  });
});
