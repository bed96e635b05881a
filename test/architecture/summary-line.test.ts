/**
 * The closing line CI reads (test/support/summary-reporter.ts): a run with a passing test, a
 * failing test and a file that fails before its tests (a broken import) must say so, never look
 * green. Run as a child vitest over files written for it.
 */
import { execFile } from "node:child_process";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { join, relative } from "node:path";
import { promisify } from "node:util";
import { afterAll, describe, expect, it } from "vitest";
import { repositoryRoot } from "../support/fixtures.js";

const folder = mkdtempSync(join(repositoryRoot, "test/architecture/.work-summary-"));
afterAll(() => rmSync(folder, { recursive: true, force: true }));

describe("the summary line", () => {
  it("counts a file that fails outside its tests as a failure", async () => {
    writeFileSync(join(folder, "passes.test.ts"), 'import { expect, it } from "vitest";\nit("passes", () => expect(1).toBe(1));\n');
    writeFileSync(join(folder, "fails.test.ts"), 'import { expect, it } from "vitest";\nit("fails", () => expect(1).toBe(2));\n');
    writeFileSync(join(folder, "broken.test.ts"), 'import { it } from "vitest";\nimport "./does-not-exist.js";\nit("never runs", () => undefined);\n');
    const vitest = join(repositoryRoot, "node_modules/vitest/vitest.mjs");
    const result = await promisify(execFile)(process.execPath, [vitest, "run", relative(repositoryRoot, folder)], { cwd: repositoryRoot, env: { ...process.env, CI: "" } }).catch((error: { stdout: string; code: number }) => error);
    expect("code" in result ? result.code : 0).toBe(1);
    expect(result.stdout.trimEnd().split("\n").at(-1)).toBe("1 passed, 2 failed");
  }, 60_000);
});
