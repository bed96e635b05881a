/**
 * Every expected output compiles in one program, strict and again loose (strictNullChecks off),
 * under TypeScript 5.5, 6 (ts-morph's) and 7, without DOM or Node typings. Each compiler first
 * proves on a broken file that it reports errors. Diagnostics read `file:line TSxxxx message`.
 */
import { execFileSync } from "node:child_process";
import { readdirSync } from "node:fs";
import { join, relative } from "node:path";
import { Project, ts } from "ts-morph";
import { describe, expect, it } from "vitest";
import { fixtureCases, repositoryRoot } from "../support/fixtures.js";

const configFolder = join(repositoryRoot, "test/generator/typecheck");
const expectedFiles = fixtureCases().flatMap((name) =>
  readdirSync(join(repositoryRoot, "fixtures", name, "expected")).map((file) => join(repositoryRoot, "fixtures", name, "expected", file)),
);

function runTsc(packageName: string, config: string): { code: number; output: string } {
  try {
    const output = execFileSync(process.execPath, [join(repositoryRoot, "node_modules", packageName, "bin/tsc"), "-p", join(configFolder, config), "--pretty", "false"], {
      encoding: "utf8",
      cwd: repositoryRoot,
    });
    return { code: 0, output };
  } catch (error) {
    const failed = error as { status: number; stdout: string; stderr: string };
    return { code: failed.status, output: `${failed.stdout}${failed.stderr}` };
  }
}

function diagnosticsWithTsMorph(config: string): string[] {
  const project = new Project({ tsConfigFilePath: join(configFolder, config) });
  const program = project.getProgram().compilerObject;
  const included = new Set(program.getSourceFiles().map((file) => file.fileName));
  if (config !== "tsconfig.negative.json") {
    for (const file of expectedFiles) expect(included, `${file} is in the program`).toContain(file.split("\\").join("/"));
  }
  return ts.getPreEmitDiagnostics(program).map((diagnostic) => {
    const where = diagnostic.file ? `${relative(repositoryRoot, diagnostic.file.fileName)}:${diagnostic.file.getLineAndCharacterOfPosition(diagnostic.start ?? 0).line + 1}` : "";
    return `${where} TS${diagnostic.code} ${ts.flattenDiagnosticMessageText(diagnostic.messageText, "\n")}`;
  });
}

describe("generated code type-checks", () => {
  it("covers every fixture's expected files", () => {
    expect(expectedFiles.length).toBeGreaterThanOrEqual(7);
  });

  describe.each(["typescript", "typescript-5.5"])("%s (tsc)", (packageName) => {
    it("reports errors in a broken file (negative control)", () => {
      const result = runTsc(packageName, "tsconfig.negative.json");
      expect(result.code).not.toBe(0);
      expect(result.output).toMatch(/broken\.ts\(4,14\): error TS2322/);
    });

    it.each(["tsconfig.strict.json", "tsconfig.loose.json"])("%s", (config) => {
      expect(runTsc(packageName, config)).toEqual({ code: 0, output: "" });
    });
  });

  describe(`TypeScript ${ts.version} (ts-morph's compiler)`, () => {
    it("reports errors in a broken file (negative control)", () => {
      expect(diagnosticsWithTsMorph("tsconfig.negative.json").join("\n")).toMatch(/broken\.ts:4 TS2322/);
    });

    it.each(["tsconfig.strict.json", "tsconfig.loose.json"])("%s", (config) => {
      expect(diagnosticsWithTsMorph(config)).toEqual([]);
    });
  });
});
