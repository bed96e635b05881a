/**
 * Types that hold in every usual setting (issue #7): the generated example and every TypeScript
 * block of both READMEs type-check under TypeScript 5.5, 5.9 and 7, in an ES-module app
 * (`NodeNext`), a bundled app (`Bundler`) and CommonJS apps, with `strict`,
 * `exactOptionalPropertyTypes`, `noUncheckedIndexedAccess` and `verbatimModuleSyntax`, declaration
 * files included (`skipLibCheck: false`). The combinations that cannot work (CommonJS with
 * `verbatimModuleSyntax`; a CommonJS app under NodeNext with TypeScript before 5.8) fail with
 * exactly the messages the README quotes.
 */
import { execFile } from "node:child_process";
import { cpSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { promisify } from "node:util";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { generateFixture, repositoryRoot } from "../support/fixtures.js";
import { readmeBlocks, readmeTypeScriptBlocks } from "../support/readme.js";

const run = promisify(execFile);

/** The compilers, by the package that provides them. */
const COMPILERS = { "5.5": "typescript-5.5", "5.9": "typescript-5.9", "7": "typescript" } as const;
type CompilerVersion = keyof typeof COMPILERS;

interface Consumer {
  /** What the README calls it. */
  name: string;
  packageType: "module" | "commonjs";
  compilerOptions: Record<string, unknown>;
}

const STRICTEST = { strict: true, exactOptionalPropertyTypes: true, noUncheckedIndexedAccess: true };

/** The consumers of the matrix; each also runs with verbatimModuleSyntax. */
const CONSUMERS: Consumer[] = [
  { name: "ES modules (NodeNext)", packageType: "module", compilerOptions: { module: "NodeNext", moduleResolution: "NodeNext" } },
  { name: "bundler (Bundler)", packageType: "module", compilerOptions: { module: "ESNext", moduleResolution: "Bundler" } },
  { name: "CommonJS (NodeNext)", packageType: "commonjs", compilerOptions: { module: "NodeNext", moduleResolution: "NodeNext" } },
  { name: "CommonJS (module commonjs)", packageType: "commonjs", compilerOptions: { module: "CommonJS" } },
];

let root: string;

beforeAll(async () => {
  // Inside the repository, so that "@mboxgen/runtime" resolves to this repository's built package.
  root = mkdtempSync(join(repositoryRoot, "test/consumers/.work-"));
  // With the OpenFeature getters: they hold under the same matrix.
  const { files } = await generateFixture("example", { openfeature: ["server", "react"] });
  const source = join(root, "source");
  mkdirSync(join(source, "target", "openfeature"), { recursive: true });
  mkdirSync(join(source, "target", "react"), { recursive: true });
  for (const file of files) writeFileSync(join(source, "target", file.path), file.text);
  const blocks = [...readmeTypeScriptBlocks(), ...readmeTypeScriptBlocks(join(repositoryRoot, "runtime/README.md")), ...readmeTypeScriptBlocks(join(repositoryRoot, "openfeature/README.md"))];
  // Blocks that use OpenFeature make a project of their own: OpenFeature's server SDK needs Node's types.
  for (const [index, block] of blocks.entries()) writeFileSync(join(source, `${/@openfeature\/|@mboxgen\/openfeature|\/openfeature\/|\/react\//.test(block.code) ? "openfeature-" : ""}readme-${index + 1}.ts`), block.code);
});
afterAll(() => rmSync(root, { recursive: true, force: true }));

/**
 * The projects of each cell: the generated accessors and the blocks that use only the runtime, with
 * no Node types (the runtime needs none); the OpenFeature getters and the blocks that use them,
 * with Node's types (OpenFeature's server SDK declares Node's events and AbortSignal).
 */
type Project = "runtime" | "openfeature";

async function typeCheck(version: CompilerVersion, consumer: Consumer, verbatimModuleSyntax: boolean, project: Project = "runtime"): Promise<string> {
  const folder = join(root, `${version}-${consumer.name.replace(/\W+/g, "-")}-${verbatimModuleSyntax ? "verbatim" : "plain"}-${project}`);
  cpSync(join(root, "source"), folder, { recursive: true });
  writeFileSync(join(folder, "package.json"), JSON.stringify({ type: consumer.packageType }));
  // skipLibCheck off checks @mboxgen/runtime's declarations; TypeScript's own lib files are skipped,
  // and `console`, all the README needs of a host, is declared here instead of all of @types/node.
  // A CommonJS React app compiles with esModuleInterop (React's declarations are a CommonJS default export).
  const interop = project === "openfeature" && consumer.compilerOptions.module === "CommonJS" ? { esModuleInterop: true } : {};
  const compilerOptions = { target: "ES2022", lib: ["ES2022"], types: project === "openfeature" ? ["node"] : [], noEmit: true, skipLibCheck: false, skipDefaultLibCheck: true, ...STRICTEST, ...consumer.compilerOptions, ...interop, verbatimModuleSyntax };
  if (project === "runtime") writeFileSync(join(folder, "host.d.ts"), "declare const console: { log(...data: unknown[]): void; warn(...data: unknown[]): void };\n");
  const include = project === "runtime" ? ["host.d.ts", "readme-*.ts", "target/*.ts"] : ["openfeature-readme-*.ts", "target/openfeature/*.ts", "target/react/*.ts"];
  writeFileSync(join(folder, "tsconfig.json"), JSON.stringify({ compilerOptions, include }));
  try {
    await run(process.execPath, [join(repositoryRoot, "node_modules", COMPILERS[version], "bin/tsc"), "-p", folder, "--pretty", "false"], { cwd: folder });
    return "";
  } catch (error) {
    return (error as { stdout: string }).stdout;
  }
}

describe("the README's TypeScript blocks", () => {
  it("are there to check", () => {
    expect(readmeTypeScriptBlocks().length).toBeGreaterThanOrEqual(3);
  });
});

/** Every distinct error of a compiler run, without file and position (and without the advice lines under it). */
function errorsOf(output: string): Set<string> {
  return new Set(output.split("\n").filter((line) => /: error TS\d+:/.test(line)).map((line) => line.replace(/^.*?: error /, "error ")));
}

function quoted(marker: string): string[] {
  return readmeBlocks().find((block) => block.marker === marker)!.code.trim().split("\n");
}

describe.concurrent.each(Object.keys(COMPILERS) as CompilerVersion[])("TypeScript %s", (version) => {
  for (const consumer of CONSUMERS) {
    const commonJs = consumer.packageType === "commonjs";
    // @mboxgen/runtime is ES modules; before 5.8, TypeScript does not let a CommonJS file import one under NodeNext.
    const esmFromCommonJs = version === "5.5" && consumer.name === "CommonJS (NodeNext)";
    if (esmFromCommonJs) {
      it(`${consumer.name} fails with the message the README quotes (TypeScript before 5.8)`, async () => {
        const errors = errorsOf(await typeCheck(version, consumer, false));
        expect(errors.size).toBeGreaterThan(0);
        for (const error of errors) expect(quoted("commonjs-nodenext-old-typescript-message")).toContain(error);
      });
      continue;
    }
    it(`${consumer.name}: the generated example and the README type-check${commonJs ? "" : ", with verbatimModuleSyntax"}`, async () => {
      expect(await typeCheck(version, consumer, !commonJs)).toBe("");
    });
    it(`${consumer.name}: the generated OpenFeature getters and React hooks and the README's OpenFeature blocks type-check${commonJs ? "" : ", with verbatimModuleSyntax"}`, async () => {
      expect(await typeCheck(version, consumer, !commonJs, "openfeature")).toBe("");
    }, 90_000);
    if (commonJs) {
      it(`${consumer.name} with verbatimModuleSyntax fails with the message the README quotes`, async () => {
        const errors = errorsOf(await typeCheck(version, consumer, true));
        expect(errors.size).toBeGreaterThan(0);
        for (const error of errors) expect([...quoted("commonjs-verbatim-message"), ...quoted("commonjs-nodenext-old-typescript-message")]).toContain(error);
      });
    }
  }
});

describe("the matrix itself", () => {
  it("fails on a README block that does not compile", async () => {
    const folder = join(root, "negative");
    cpSync(join(root, "source"), folder, { recursive: true });
    writeFileSync(join(folder, "broken.ts"), 'import { demoEngineeringFlags } from "./target/index.js";\nexport const wrong: string = demoEngineeringFlags.mbox.length;\n');
    writeFileSync(join(folder, "package.json"), JSON.stringify({ type: "module" }));
    writeFileSync(join(folder, "tsconfig.json"), JSON.stringify({ compilerOptions: { module: "NodeNext", strict: true, noEmit: true, types: [] }, include: ["broken.ts"] }));
    await expect(run(process.execPath, [join(repositoryRoot, "node_modules/typescript/bin/tsc"), "-p", folder, "--pretty", "false"])).rejects.toMatchObject({ stdout: expect.stringContaining("TS2322") });
  });
});
