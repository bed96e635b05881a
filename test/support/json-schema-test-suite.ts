/**
 * The vendored JSON Schema Test Suite (fixtures/json-schema-test-suite/): its groups, and each
 * group's schema as the schema of key `value` of an mbox, as the suite test and the layout test
 * read them.
 */
import { readdirSync, readFileSync } from "node:fs";
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

/** Every group of every vendored file, in file order. */
export function loadSuiteGroups(): SuiteEntry[] {
  const groups: SuiteEntry[] = [];
  for (const [folder, draft] of Object.entries(DRAFT_FOLDERS)) {
    for (const file of readdirSync(join(SUITE_FOLDER, folder)).filter((name) => name.endsWith(".json")).sort()) {
      const parsed = JSON.parse(readFileSync(join(SUITE_FOLDER, folder, file), "utf8")) as SuiteGroup[];
      parsed.forEach((group, index) => groups.push({ file: `${folder}/${file}`, draft, group, index }));
    }
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
