/**
 * The official JSON Schema Test Suite (fixtures/json-schema-test-suite/, vendored with its license
 * and source commit), for the keywords the README lists, drafts 2020-12 and 07. Each test group's
 * schema is the schema of key `value` of an mbox (by `$ref` to a file of its own, so that its
 * pointers resolve as written); each test's data is read through the generated accessor. The
 * generated validator's verdict must equal the suite's `valid`, every valid instance must be
 * assignable to the generated type, and exactly the groups that use what mboxgen does not
 * implement are refused, with a catalog error.
 */
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { UNSUPPORTED_KEYWORDS } from "../../generator/build-ir.js";
import { generate, GeneratorErrors } from "../../generator/index.js";
import { DRAFT_FOLDERS, DRAFTS, loadSuiteGroups, SUITE_FOLDER, suiteFilesOf, suiteSources, type SuiteEntry, type SuiteGroup } from "../support/json-schema-test-suite.js";
import { createTypeChecker, runGeneratedModule, typeScriptLiteral } from "../support/type-checker.js";

const checker = createTypeChecker("test/.virtual-suite");

/** The dialects mboxgen reads, as the README names them (a trailing `#` is the same URI). */
const KNOWN_DIALECTS = new Set(["https://json-schema.org/draft/2020-12/schema", "http://json-schema.org/draft-07/schema", "https://json-schema.org/draft-07/schema"]);

/** What mboxgen does not implement, found in a schema: keywords (its own list), and `$ref`s it cannot follow. */
const UNIMPLEMENTED = new Set(UNSUPPORTED_KEYWORDS);

/** Why a group's schema uses what mboxgen refuses, or `undefined` when it uses nothing of the kind. */
function unimplementedIn(schema: unknown, draft: string, root = true): string | undefined {
  if (Array.isArray(schema)) {
    for (const item of schema) {
      const found = unimplementedIn(item, draft, false);
      if (found) return found;
    }
    return undefined;
  }
  if (typeof schema !== "object" || schema === null) return undefined;
  const record = schema as Record<string, unknown>;
  for (const keyword of Object.keys(record)) if (UNIMPLEMENTED.has(keyword)) return `keyword ${keyword}`;
  // A meta-schema of its own (a vocabulary, another draft): read as another dialect, keywords could mean something else.
  if (typeof record.$schema === "string" && !KNOWN_DIALECTS.has(record.$schema.replace(/#$/, ""))) return `$schema ${record.$schema}`;
  if (Array.isArray(record.items)) return "tuple items";
  if (!root && typeof record.$id === "string") return "$id inside a schema";
  if (typeof record.$ref === "string") {
    if (!record.$ref.startsWith("#/") && record.$ref !== "#") return `$ref ${record.$ref}`;
    const siblings = Object.keys(record).filter((keyword) => !["$ref", "$schema", "$id", "$comment", "$defs", "definitions", "title", "description", "default", "examples", "deprecated"].includes(keyword));
    if (draft === DRAFTS.draft7 && siblings.length > 0) return "draft-07 $ref siblings";
  }
  for (const [keyword, value] of Object.entries(record)) {
    // Values of these keywords are data, not schemas.
    if (["enum", "const", "default", "examples", "required"].includes(keyword)) continue;
    const found = unimplementedIn(value, draft, false);
    if (found) return found;
  }
  return undefined;
}

/**
 * The one place TypeScript cannot be told the truth (README, "Keys named like Object.prototype
 * members"): it checks an object without a key `constructor` or `toString` against the member
 * every object inherits, so `{}` is not assignable to `{ constructor?: number }`.
 */
function typeScriptCannot(group: SuiteGroup): boolean {
  return /"(constructor|toString|valueOf|hasOwnProperty|isPrototypeOf|propertyIsEnumerable|toLocaleString)"/.test(JSON.stringify(group.schema));
}

const groups = loadSuiteGroups();

async function runGroup(entry: SuiteEntry) {
  const { group, draft } = entry;
  const sources = suiteSources(entry);
  const expectedRefusal = unimplementedIn(group.schema, draft);
  let files;
  try {
    ({ files } = await generate({ schemas: sources, config: { format: false } }));
  } catch (error) {
    return { refused: error instanceof GeneratorErrors ? error.errors.map((each) => each.code) : [`internal: ${String(error)}`], expectedRefusal, wrong: [] as string[], unsound: [] as string[] };
  }
  const source = files.find((file) => file.path === "subject.ts")!.text;
  const module = await runGeneratedModule<{ subject: { from(provider: object): { value(): unknown } } }>(source);
  const wrong = group.tests
    .filter((test) => (module.subject.from({ asObject: () => ({ value: test.data }) }).value() === test.data) !== test.valid)
    .map((test) => `${test.description} (expected ${test.valid ? "valid" : "invalid"})`);
  const validTests = group.tests.filter((test) => test.valid);
  const checks = validTests.map((test, index) => `const value${index}: Exclude<Subject["value"], undefined> = ${typeScriptLiteral(test.data)};`);
  const diagnostics = checker.check({ "subject.ts": source, "check.ts": [`import type { Subject } from "./subject.js";`, ...checks, ""].join("\n") });
  const unsound = diagnostics.map((diagnostic) => (diagnostic.file === "check.ts" && diagnostic.line > 1 ? `valid instance rejected by the type: ${validTests[diagnostic.line - 2]!.description}` : `${diagnostic.file}:${diagnostic.line} ${diagnostic.message}`));
  return { refused: undefined, expectedRefusal, wrong, unsound: typeScriptCannot(group) ? unsound.filter((line) => !line.startsWith("valid instance")) : unsound };
}

describe("JSON Schema Test Suite (drafts 2020-12 and 07)", () => {
  it(`${groups.length} groups, ${groups.reduce((total, entry) => total + entry.group.tests.length, 0)} tests: verdicts, types, refusals`, async () => {
    const problems: string[] = [];
    let accepted = 0;
    let refused = 0;
    for (const entry of groups) {
      const result = await runGroup(entry);
      const name = `${entry.file} #${entry.index} "${entry.group.description}"`;
      if (result.refused) {
        refused += 1;
        if (!result.expectedRefusal) problems.push(`${name}: refused (${result.refused.join(", ")}) though it uses only what mboxgen implements`);
        else if (result.refused.some((code) => code.startsWith("internal"))) problems.push(`${name}: refused by an internal error: ${result.refused.join(", ")}`);
        continue;
      }
      accepted += 1;
      if (result.expectedRefusal) problems.push(`${name}: accepted though it uses ${result.expectedRefusal}`);
      for (const line of [...result.wrong, ...result.unsound]) problems.push(`${name}: ${line}`);
    }
    expect(problems, `${accepted} groups accepted, ${refused} refused`).toEqual([]);
    expect(accepted).toBeGreaterThan(refused);
  }, 300_000);

  it("every vendored file names its source in SOURCE.md", () => {
    const manifest = readFileSync(join(SUITE_FOLDER, "SOURCE.md"), "utf8");
    const unlisted = Object.keys(DRAFT_FOLDERS)
      .flatMap((folder) => suiteFilesOf(folder).map((file) => ({ folder, file })))
      .filter(({ folder, file }) => !manifest.split("\n").some((line) => line.includes(`${folder}/`) && line.includes(`\`${file}\``) || line.includes(`\`${folder}/${file}\``)));
    expect(unlisted).toEqual([]);
  });

  it("a wrong verdict fails (negative control)", async () => {
    const result = await runGroup({ file: "control", draft: DRAFTS.draft2020, index: 0, group: { description: "control", schema: { maxLength: 1 }, tests: [{ description: "too long, marked valid", data: "ab", valid: true }] } });
    expect(result.wrong).toEqual(["too long, marked valid (expected valid)"]);
  });
});
