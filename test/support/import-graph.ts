/**
 * The repository's module graph as TypeScript reads it (`preProcessFile`: static imports, type-only
 * imports, re-exports and dynamic `import()` alike), for the architecture tests: import cycles,
 * the folders each folder may depend on, and what each runtime entry reaches.
 */
import { existsSync, readdirSync, readFileSync, statSync } from "node:fs";
import { createRequire } from "node:module";
import { dirname, join, relative, resolve } from "node:path";
import type * as TypeScript from "typescript-5.9";
import { closedPath, cyclicComponents } from "../../generator/graph-cycles.js";
import { repositoryRoot } from "./fixtures.js";

const require = createRequire(import.meta.url);
const ts = require("typescript-5.9") as typeof TypeScript;

/** The folders whose sources make up the graph. */
export const SOURCE_FOLDERS = ["generator", "runtime", "openfeature", "test", "bench", "examples"] as const;

/** One import of a file: the specifier as written, and the repository file it resolves to (relative imports only). */
export interface ImportEdge {
  specifier: string;
  /** Repository-relative path of the imported file, for relative specifiers that resolve to one. */
  target: string | undefined;
  /** An `import()` expression: the module loads when the code runs it, not with the importer. */
  dynamic: boolean;
  /** `import type`, `export type` or a type's `import("…")`: nothing of it exists at run time. */
  typeOnly: boolean;
}

/** How each module specifier of a file is used, by the position of its opening quote (as `preProcessFile` gives it). */
function specifierUses(path: string, text: string): Map<number, { dynamic: boolean; typeOnly: boolean }> {
  const source = ts.createSourceFile(path, text, ts.ScriptTarget.ES2022, true);
  const uses = new Map<number, { dynamic: boolean; typeOnly: boolean }>();
  const record = (specifier: TypeScript.Node | undefined, dynamic: boolean, typeOnly: boolean) => {
    if (specifier && ts.isStringLiteralLike(specifier)) uses.set(specifier.getStart(source), { dynamic, typeOnly });
  };
  const visit = (node: TypeScript.Node): void => {
    if (ts.isImportDeclaration(node)) {
      const clause = node.importClause;
      const namedOnlyTypes = clause !== undefined && !clause.name && clause.namedBindings !== undefined && ts.isNamedImports(clause.namedBindings) && clause.namedBindings.elements.length > 0 && clause.namedBindings.elements.every((element) => element.isTypeOnly);
      record(node.moduleSpecifier, false, clause?.isTypeOnly === true || namedOnlyTypes);
    } else if (ts.isExportDeclaration(node)) {
      const onlyTypes = node.exportClause !== undefined && ts.isNamedExports(node.exportClause) && node.exportClause.elements.length > 0 && node.exportClause.elements.every((element) => element.isTypeOnly);
      record(node.moduleSpecifier, false, node.isTypeOnly || onlyTypes);
    } else if (ts.isImportTypeNode(node) && ts.isLiteralTypeNode(node.argument)) {
      record(node.argument.literal, false, true);
    } else if (ts.isCallExpression(node) && node.expression.kind === ts.SyntaxKind.ImportKeyword) {
      record(node.arguments[0], true, false);
    }
    ts.forEachChild(node, visit);
  };
  visit(source);
  return uses;
}

/** File (repository-relative, `/`-separated) → its imports. */
export type ImportGraph = Map<string, ImportEdge[]>;

function sourceFilesUnder(folder: string, into: string[]): void {
  if (!existsSync(folder)) return;
  for (const name of readdirSync(folder)) {
    if (name === "node_modules" || name === "dist" || name.startsWith(".")) continue;
    const path = join(folder, name);
    if (statSync(path).isDirectory()) sourceFilesUnder(path, into);
    else if (/\.(ts|tsx|mts)$/.test(name) && !name.endsWith(".d.ts")) into.push(path);
  }
}

const toRepositoryPath = (path: string) => relative(repositoryRoot, path).split("\\").join("/");

// `./x.js` is written for `./x.ts` (NodeNext); `./x` may name `x.ts`, `x.tsx` or `x/index.ts`.
function resolveRelative(importer: string, specifier: string): string | undefined {
  const base = resolve(dirname(importer), specifier);
  const candidates = [base.replace(/\.(m?)js$/, ".$1ts"), base.replace(/\.js$/, ".tsx"), base, `${base}.ts`, `${base}.tsx`, join(base, "index.ts")];
  return candidates.find((candidate) => existsSync(candidate) && statSync(candidate).isFile());
}

/** Reads the import graph of every source file under `folders`. */
export function readImportGraph(folders: readonly string[] = SOURCE_FOLDERS): ImportGraph {
  const files: string[] = [];
  for (const folder of folders) sourceFilesUnder(join(repositoryRoot, folder), files);
  const graph: ImportGraph = new Map();
  for (const file of files.sort()) {
    const text = readFileSync(file, "utf8");
    const { importedFiles } = ts.preProcessFile(text, true, true);
    const uses = specifierUses(file, text);
    graph.set(
      toRepositoryPath(file),
      importedFiles.map(({ fileName, pos }) => {
        const resolved = fileName.startsWith(".") ? resolveRelative(file, fileName) : undefined;
        const { dynamic, typeOnly } = uses.get(pos) ?? { dynamic: false, typeOnly: false };
        return { specifier: fileName, target: resolved === undefined ? undefined : toRepositoryPath(resolved), dynamic, typeOnly };
      }),
    );
  }
  return graph;
}

/** Every import cycle, each as one closed path through its strongly connected component (so a report shows how it runs). */
export function findImportCycles(graph: ImportGraph): string[][] {
  const successors = (file: string) => (graph.get(file) ?? []).flatMap((edge) => (edge.target !== undefined && graph.has(edge.target) ? [edge.target] : []));
  return cyclicComponents(graph.keys(), successors).map((component) => closedPath([...component].sort()[0]!, new Set(component), successors));
}

/**
 * Every repository file `entry` reaches through relative imports (itself included); with
 * `loadedWithEntry`, only the modules that load with it (no `import()`, no type-only import).
 */
export function reachableFrom(graph: ImportGraph, entry: string, { loadedWithEntry = false } = {}): Set<string> {
  const reached = new Set([entry]);
  const queue = [entry];
  while (queue.length > 0) {
    for (const edge of graph.get(queue.pop()!) ?? []) {
      if (edge.target === undefined || reached.has(edge.target) || (loadedWithEntry && (edge.dynamic || edge.typeOnly))) continue;
      reached.add(edge.target);
      queue.push(edge.target);
    }
  }
  return reached;
}
