/**
 * Golden tests: one case per fixtures/<case>/ (schemas/, optional options.json, expected/). The
 * subject of every assertion is the generated text; `npm run golden:update` rewrites expected/.
 */
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { fixtureCases, generateFixture, repositoryRoot } from "../support/fixtures.js";
import { compareWithGolden, isGoldenUpdate, writeGolden } from "../support/golden.js";

const root = repositoryRoot;
const cases = fixtureCases();

describe("golden files", () => {
  it("has cases", () => {
    expect(cases).toEqual(expect.arrayContaining(["example", "hostile-names"]));
  });

  it.each(cases)("%s", async (name) => {
    const { files } = await generateFixture(name);
    const expectedFolder = join(root, "fixtures", name, "expected");
    if (isGoldenUpdate()) writeGolden(files, expectedFolder);
    const mismatches = compareWithGolden(files, expectedFolder);
    // Show the first difference as a text diff; list the rest.
    const first = mismatches[0];
    expect(first?.actual, `${name}/${first?.path}: ${first?.problem}`).toBe(first?.expected);
    expect(mismatches.map((mismatch) => `${mismatch.path}: ${mismatch.problem}`)).toEqual([]);
  });
});

describe("the golden helper can fail", () => {
  const files = [
    { path: "a.ts", text: "export const a = 1;\n" },
    { path: "b.ts", text: "export const b = 2;\n" },
  ];

  function folderWith(contents: Record<string, string>): string {
    const folder = mkdtempSync(join(tmpdir(), "mboxgen-golden-"));
    mkdirSync(folder, { recursive: true });
    for (const [path, text] of Object.entries(contents)) writeFileSync(join(folder, path), text);
    return folder;
  }

  it("accepts an exact match", () => {
    const folder = folderWith({ "a.ts": files[0]!.text, "b.ts": files[1]!.text });
    expect(compareWithGolden(files, folder)).toEqual([]);
    rmSync(folder, { recursive: true });
  });

  it("reports a wrong expected file, a missing one and an extra one", () => {
    const folder = folderWith({ "a.ts": "export const a = 999;\n", "c.ts": "stale\n" });
    expect(compareWithGolden(files, folder).map((mismatch) => [mismatch.path, mismatch.problem])).toEqual([
      ["a.ts", "different"],
      ["b.ts", "missing from expected"],
      ["c.ts", "not generated"],
    ]);
    rmSync(folder, { recursive: true });
  });

  it("a one-byte difference fails the same assertion the golden test makes", () => {
    const folder = folderWith({ "a.ts": files[0]!.text.replace("1", "2"), "b.ts": files[1]!.text });
    const [mismatch] = compareWithGolden(files, folder);
    expect(() => expect(mismatch?.actual).toBe(mismatch?.expected)).toThrow();
    rmSync(folder, { recursive: true });
  });
});
