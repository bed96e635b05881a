/**
 * The vendored JSON Schema Test Suite (fixtures/json-schema-test-suite/): its groups, and each
 * group's schema as the schema of key `value` of an mbox, as the suite test and the layout test
 * read them.
 */
import { existsSync, readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import type { SchemaSource } from "../../generator/json-document.js";
import { repositoryRoot } from "./fixtures.js";

/** The suite's folder in the repository. */
export const SUITE_FOLDER = join(repositoryRoot, "fixtures/json-schema-test-suite");

/** The `$schema` of each draft the suite is vendored for. */
export const DRAFTS = { draft2020: "https://json-schema.org/draft/2020-12/schema", draft7: "http://json-schema.org/draft-07/schema#" } as const;

/** The suite's folders, by the `$schema` their groups are read under. */
export const DRAFT_FOLDERS = { "draft2020-12": DRAFTS.draft2020, draft7: DRAFTS.draft7 } as const;

/** One test of a group: data and the suite's verdict. */
export interface SuiteTest {
  description: string;
  data: unknown;
  valid: boolean;
}

/** One group: a schema and its tests. */
export interface SuiteGroup {
  description: string;
  schema: unknown;
  tests: SuiteTest[];
}

/** A group with where it comes from. */
export interface SuiteEntry {
  file: string;
  draft: string;
  group: SuiteGroup;
  index: number;
}

/** The vendored files of a draft's folder, its `optional/` ones included (`optional/bignum.json`), sorted. */
export function suiteFilesOf(folder: string): string[] {
  const files = readdirSync(join(SUITE_FOLDER, folder)).filter((name) => name.endsWith(".json"));
  const optional = existsSync(join(SUITE_FOLDER, folder, "optional")) ? readdirSync(join(SUITE_FOLDER, folder, "optional")).filter((name) => name.endsWith(".json")).map((name) => `optional/${name}`) : [];
  return [...files, ...optional].sort();
}

/**
 * Keyword files no reachable copy of the suite holds for one draft (or holds only in a revision
 * from before the suite corrected it), run from the other draft's file, whose groups test the same
 * keyword the same way: each group's `$schema` is replaced by the target draft's. SOURCE.md lists
 * them and why.
 */
export const DERIVED_FILES: ReadonlyArray<{ folder: keyof typeof DRAFT_FOLDERS; file: string; from: string }> = [
  ...["maxItems", "maxLength", "minItems", "minProperties", "minimum", "pattern", "patternProperties", "infinite-loop-detection", "optional/ecmascript-regex"].map((name) => ({
    folder: "draft7" as const,
    file: `${name}.json`,
    from: `draft2020-12/${name}.json`,
  })),
  { folder: "draft2020-12", file: "boolean_schema.json", from: "draft7/boolean_schema.json" },
];

// A group's schema with its own `$schema` (where it names one) replaced by the target draft's.
function underDraft(schema: unknown, draft: string): unknown {
  return typeof schema === "object" && schema !== null && "$schema" in schema ? { ...schema, $schema: draft } : schema;
}

/** Every group of every vendored file, in file order, then the derived runs. */
export function loadSuiteGroups(): SuiteEntry[] {
  const groups: SuiteEntry[] = [];
  const read = (path: string) => JSON.parse(readFileSync(join(SUITE_FOLDER, path), "utf8")) as SuiteGroup[];
  for (const [folder, draft] of Object.entries(DRAFT_FOLDERS)) {
    for (const file of suiteFilesOf(folder)) read(`${folder}/${file}`).forEach((group, index) => groups.push({ file: `${folder}/${file}`, draft, group, index }));
  }
  for (const { folder, file, from } of DERIVED_FILES) {
    const draft = DRAFT_FOLDERS[folder];
    read(from).forEach((group, index) => groups.push({ file: `${folder}/${file} (from ${from})`, draft, group: { ...group, schema: underDraft(group.schema, draft) }, index }));
  }
  return groups;
}

/** The group's schema in a file of its own, under its draft, and an mbox whose key `value` refers to it (so its pointers resolve as written). */
export function suiteSources({ group, draft }: Pick<SuiteEntry, "group" | "draft">): SchemaSource[] {
  const schema = typeof group.schema === "object" && group.schema !== null ? { $schema: draft, ...(group.schema as object) } : group.schema;
  return [
    { path: "case.json", text: JSON.stringify(schema) },
    { path: "subject.schema.json", text: JSON.stringify({ $schema: draft, type: "object", properties: { value: { $ref: "case.json" } } }) },
  ];
}
