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
    const { importedFiles } = ts.preProcessFile(readFileSync(file, "utf8"), true, true);
    graph.set(
      toRepositoryPath(file),
      importedFiles.map(({ fileName }) => {
        const resolved = fileName.startsWith(".") ? resolveRelative(file, fileName) : undefined;
        return { specifier: fileName, target: resolved === undefined ? undefined : toRepositoryPath(resolved) };
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

/** Every repository file `entry` reaches through relative imports (itself included). */
export function reachableFrom(graph: ImportGraph, entry: string): Set<string> {
  const reached = new Set([entry]);
  const queue = [entry];
  while (queue.length > 0) {
    for (const edge of graph.get(queue.pop()!) ?? []) {
      if (edge.target === undefined || reached.has(edge.target)) continue;
      reached.add(edge.target);
      queue.push(edge.target);
    }
  }
  return reached;
}
