/**
 * Files the `mboxgen` package ships beside its code (templates, JSON Schemas, the example
 * activities), found from this module in a source checkout (`generator/`) and in an installed
 * package (`dist/generator/`) alike. Messages name them by absolute path, so a user of an
 * installed package can open them.
 */
import { existsSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";

let packageRoot: string | undefined;

/** The folder of mboxgen's own package.json. */
export function mboxgenPackageRoot(): string {
  if (packageRoot !== undefined) return packageRoot;
  for (let folder = dirname(fileURLToPath(import.meta.url)); ; folder = dirname(folder)) {
    if (existsSync(join(folder, "package.json")) && existsSync(join(folder, "templates"))) return (packageRoot = folder);
    if (dirname(folder) === folder) throw new Error("mboxgen: the installation is incomplete (no package.json with templates/ above the generator)");
  }
}

/** The absolute path of a file shipped in the package, e.g. `fixtures/example/activities.json`. */
export function shippedFile(relativePath: string): string {
  return join(mboxgenPackageRoot(), ...relativePath.split("/"));
}
