/**
 * TypeScript 5.9's compiler API over in-memory files that sit in the repository (so that
 * `@mboxgen/runtime` resolves as users resolve it), strict, with the library and the runtime's
 * declarations parsed once and reused by every program: a check costs milliseconds.
 */
import { createRequire } from "node:module";
import { join } from "node:path";
import { pathToFileURL } from "node:url";
import type * as TypeScript from "typescript-5.9";
import { repositoryRoot } from "./fixtures.js";

const require = createRequire(import.meta.url);
const ts = require("typescript-5.9") as typeof TypeScript;

const OPTIONS: TypeScript.CompilerOptions = {
  strict: true,
  exactOptionalPropertyTypes: true,
  noUncheckedIndexedAccess: true,
  noEmit: true,
  target: ts.ScriptTarget.ES2022,
  module: ts.ModuleKind.NodeNext,
  moduleResolution: ts.ModuleResolutionKind.NodeNext,
  lib: ["lib.es2022.d.ts"],
  types: [],
  skipLibCheck: true,
};

/** One diagnostic: the file (relative to the virtual folder), its 1-based line and the message. */
export interface Diagnostic {
  file: string;
  line: number;
  message: string;
}

/** Type-checks virtual files; the same checker reuses parsed library files across calls. */
export function createTypeChecker(folderName = "test/.virtual") {
  const folder = join(repositoryRoot, folderName);
  const cache = new Map<string, TypeScript.SourceFile>();
  const host = ts.createCompilerHost(OPTIONS);
  const realGetSourceFile = host.getSourceFile.bind(host);
  let virtual = new Map<string, string>();
  host.getSourceFile = (fileName, languageVersion) => {
    const text = virtual.get(fileName);
    if (text !== undefined) return ts.createSourceFile(fileName, text, languageVersion, true);
    let file = cache.get(fileName);
    if (!file) {
      file = realGetSourceFile(fileName, languageVersion);
      if (file) cache.set(fileName, file);
    }
    return file;
  };
  const realFileExists = host.fileExists.bind(host);
  const realReadFile = host.readFile.bind(host);
  host.fileExists = (fileName) => virtual.has(fileName) || realFileExists(fileName);
  // The virtual folder exists for module resolution, though not on disk.
  const realDirectoryExists = host.directoryExists?.bind(host);
  host.directoryExists = (directory) => directory === folder || realDirectoryExists?.(directory) !== false;
  host.readFile = (fileName) => virtual.get(fileName) ?? realReadFile(fileName);
  let previous: TypeScript.Program | undefined;

  return {
    /** Checks `files` (name → text, in the virtual folder); returns every diagnostic in them. */
    check(files: Record<string, string>): Diagnostic[] {
      virtual = new Map(Object.entries(files).map(([name, text]) => [join(folder, name), text]));
      const program = ts.createProgram([...virtual.keys()], OPTIONS, host, previous);
      previous = program;
      const diagnostics: Diagnostic[] = [];
      for (const fileName of virtual.keys()) {
        const sourceFile = program.getSourceFile(fileName)!;
        for (const diagnostic of [...program.getSyntacticDiagnostics(sourceFile), ...program.getSemanticDiagnostics(sourceFile)]) {
          const { line } = sourceFile.getLineAndCharacterOfPosition(diagnostic.start ?? 0);
          diagnostics.push({ file: fileName.slice(folder.length + 1), line: line + 1, message: ts.flattenDiagnosticMessageText(diagnostic.messageText, " ") });
        }
      }
      return diagnostics;
    },
  };
}

/** TypeScript source for a JSON value (an object literal for objects, so excess keys are checked). */
export function typeScriptLiteral(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(typeScriptLiteral).join(", ")}]`;
  if (typeof value === "object" && value !== null) {
    return `{ ${Object.keys(value)
      .map((key) => `${key === "__proto__" ? `[${JSON.stringify(key)}]` : JSON.stringify(key)}: ${typeScriptLiteral((value as Record<string, unknown>)[key])}`)
      .join(", ")} }`;
  }
  return JSON.stringify(value);
}

const runtimeUrl = pathToFileURL(require.resolve("@mboxgen/runtime")).href;

/**
 * A generated module, run: transpiled by TypeScript 5.9 and imported, with `@mboxgen/runtime`
 * resolved as the app would resolve it.
 */
export async function runGeneratedModule<Module>(source: string): Promise<Module> {
  const javaScript = ts.transpileModule(source, { compilerOptions: { module: ts.ModuleKind.ESNext, target: ts.ScriptTarget.ES2022 } }).outputText.replace('"@mboxgen/runtime"', JSON.stringify(runtimeUrl));
  return (await import(`data:text/javascript;base64,${Buffer.from(javaScript).toString("base64")}`)) as Module;
}
