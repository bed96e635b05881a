/**
 * Golden files: a case's generated files against its `expected/` folder. Compares by default;
 * rewrites the folder only with MBOXGEN_GOLDEN_UPDATE=1 (`npm run golden:update`), never in CI.
 */
import { existsSync, mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { join } from "node:path";

/** One generated file. */
export interface GoldenFile {
  path: string;
  text: string;
}

/** A difference between generated files and a golden folder. */
export interface GoldenMismatch {
  path: string;
  problem: "different" | "missing from expected" | "not generated";
  expected?: string;
  actual?: string;
}

/** Compares without touching anything; returns every mismatch. */
export function compareWithGolden(files: readonly GoldenFile[], expectedFolder: string): GoldenMismatch[] {
  const mismatches: GoldenMismatch[] = [];
  const expectedPaths = existsSync(expectedFolder) ? readdirSync(expectedFolder).sort() : [];
  for (const file of files) {
    const expectedPath = join(expectedFolder, file.path);
    if (!existsSync(expectedPath)) {
      mismatches.push({ path: file.path, problem: "missing from expected", actual: file.text });
      continue;
    }
    const expected = readFileSync(expectedPath, "utf8");
    if (expected !== file.text) mismatches.push({ path: file.path, problem: "different", expected, actual: file.text });
  }
  for (const path of expectedPaths) {
    if (!files.some((file) => file.path === path)) mismatches.push({ path, problem: "not generated", expected: readFileSync(join(expectedFolder, path), "utf8") });
  }
  return mismatches;
}

/** True when this run may rewrite golden folders. */
export function isGoldenUpdate(): boolean {
  return process.env.MBOXGEN_GOLDEN_UPDATE === "1" && process.env.CI !== "true";
}

/** Replaces a golden folder with `files`. */
export function writeGolden(files: readonly GoldenFile[], expectedFolder: string): void {
  rmSync(expectedFolder, { recursive: true, force: true });
  mkdirSync(expectedFolder, { recursive: true });
  for (const file of files) writeFileSync(join(expectedFolder, file.path), file.text);
}
