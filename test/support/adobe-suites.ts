/**
 * Adobe's on-device conformance suites (target-sdk-testing, shipped in
 * @adobe/target-decisioning-engine under test/schema/, TARGET-PROTOCOL.md §11): loading, artifact
 * hydration, and the `"expect.any(...)"` wildcards as vitest matchers.
 */
import { readdirSync, readFileSync } from "node:fs";
import { createRequire } from "node:module";
import { dirname, join } from "node:path";
import { expect } from "vitest";

const require = createRequire(import.meta.url);
const schemaFolder = join(dirname(require.resolve("@adobe/target-decisioning-engine/package.json")), "test/schema");

/** One case of a suite. */
export interface SuiteCase {
  description: string;
  input: { request: Record<string, any>; sessionId?: string; locationHint?: string };
  output?: Record<string, unknown>;
  notificationOutput?: Record<string, any> | null;
  mockDate?: { year: number; month: number; date: number; hours?: number; minutes?: number; seconds?: number };
  mockGeo?: Record<string, unknown>;
  conf?: Record<string, unknown>;
  artifact?: unknown;
}

/** One suite file. */
export interface Suite {
  file: string;
  description: string;
  artifact?: unknown;
  conf?: Record<string, unknown>;
  test: Record<string, SuiteCase>;
}

/** The artifacts by file name (without `.json`). */
export function loadTestArtifacts(): Record<string, any> {
  const folder = join(schemaFolder, "artifacts");
  return Object.fromEntries(readdirSync(folder).filter((file) => file.endsWith(".json")).map((file) => [file.slice(0, -5), JSON.parse(readFileSync(join(folder, file), "utf8"))]));
}

/** The suites, with artifact names replaced by the artifacts. */
export function loadSuites(): Suite[] {
  const artifacts = loadTestArtifacts();
  const hydrate = (value: unknown) => (typeof value === "string" && artifacts[value] ? artifacts[value] : value);
  const folder = join(schemaFolder, "models");
  return readdirSync(folder)
    .filter((file) => file.endsWith(".json"))
    .sort()
    .map((file) => {
      const suite = JSON.parse(readFileSync(join(folder, file), "utf8")) as Suite;
      suite.file = file;
      suite.artifact = hydrate(suite.artifact);
      for (const testCase of Object.values(suite.test)) if (testCase.artifact !== undefined) testCase.artifact = hydrate(testCase.artifact);
      return suite;
    });
}

const WILDCARDS: Record<string, unknown> = {
  "expect.any(Object)": expect.any(Object),
  "expect.any(String)": expect.any(String),
  "expect.any(Number)": expect.any(Number),
};

/** An expected partial output with Adobe's wildcard strings as matchers (its `prepareTestResponse`). */
export function withWildcards(value: unknown): unknown {
  if (typeof value === "string" && Object.hasOwn(WILDCARDS, value)) return WILDCARDS[value];
  if (Array.isArray(value)) return value.map(withWildcards);
  if (typeof value === "object" && value !== null) return Object.fromEntries(Object.entries(value).map(([key, item]) => [key, withWildcards(item)]));
  return value;
}

/** Adobe's `setMockDate`: the UTC time a case runs at. */
export function mockDateOf(mockDate: NonNullable<SuiteCase["mockDate"]>): number {
  return Date.UTC(mockDate.year, mockDate.month, mockDate.date, mockDate.hours ?? 0, mockDate.minutes ?? 0, mockDate.seconds ?? 0);
}
