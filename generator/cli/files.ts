/**
 * The CLI's disk access: reading the schema folder and the previous output, comparing, and
 * replacing the output folder all at once. The generator itself never touches the disk.
 */
import { existsSync, linkSync, mkdirSync, readFileSync, renameSync, rmSync, statSync, writeFileSync } from "node:fs";
import { readdir } from "node:fs/promises";
import { dirname, join, relative, sep } from "node:path";
import { createGeneratorError, GeneratorErrors } from "../errors.js";
import type { GeneratedFile } from "../emit/generated-file.js";
import type { SchemaSource } from "../json-document.js";
import { isGeneratedText } from "../stamp.js";

/** A path with `/` separators, as generated headers and reports show it. */
export function toPosix(path: string): string {
  return path.split(sep).join("/");
}

/**
 * Throws a `FILE_NOT_FOUND` error unless `path` is an existing file (or folder, with `folder`),
 * so that a mistyped path reads as one, never as a raw ENOENT stack.
 */
export function assertInputExists(path: string, label: string, what: string, fix: string, kind: "file" | "folder" = "file"): void {
  const stats = statSync(path, { throwIfNoEntry: false });
  if (stats === undefined) throw new GeneratorErrors([createGeneratorError("FILE_NOT_FOUND", { what, path: label, fix })]);
  if (kind === "folder" ? !stats.isDirectory() : !stats.isFile()) {
    throw new GeneratorErrors([createGeneratorError("FILE_NOT_FOUND", { what, path: label, fix, found: kind === "folder" ? "a file" : "a folder" })]);
  }
}

async function listFiles(folder: string): Promise<string[]> {
  const entries = await readdir(folder, { recursive: true, withFileTypes: true });
  return entries
    .filter((entry) => entry.isFile())
    .map((entry) => join(entry.parentPath, entry.name))
    .sort();
}

/**
 * Reads every `.json` file under `folder` (recursively), with paths relative to `cwd` and
 * `/`-separated, as the generated headers show them.
 *
 * @example
 * ```ts
 * const { files } = await generate({ schemas: await readSchemaFolder("schemas") });
 * ```
 */
export async function readSchemaFolder(folder: string, cwd = process.cwd()): Promise<SchemaSource[]> {
  const files = (await listFiles(folder)).filter((file) => file.endsWith(".json"));
  // Synchronous reads: for a thousand small files they take a tenth of the time that promises,
  // which wait on the thread pool one round trip per file, do (BENCHMARKS.md, regenerate).
  return files.map((file) => ({ path: toPosix(relative(cwd, file)), text: readFileSync(file, "utf8") }));
}

/** The files currently in the output folder, by path relative to it (empty when it does not exist). */
export async function readOutputFolder(folder: string): Promise<Map<string, string>> {
  const files = new Map<string, string>();
  if (!existsSync(folder)) return files;
  for (const file of await listFiles(folder)) files.set(toPosix(relative(folder, file)), readFileSync(file, "utf8"));
  return files;
}

/** How the output folder differs from what generate produced. */
export interface OutputDifference {
  stale: string[];
  missing: string[];
  extra: string[];
}

/** Compares generated files with the folder's current files. */
export function compareOutput(generated: readonly GeneratedFile[], current: ReadonlyMap<string, string>): OutputDifference {
  const generatedPaths = new Set(generated.map((file) => file.path));
  return {
    stale: generated.filter((file) => current.has(file.path) && current.get(file.path) !== file.text).map((file) => file.path),
    missing: generated.filter((file) => !current.has(file.path)).map((file) => file.path),
    extra: [...current.keys()].filter((path) => !generatedPaths.has(path)).sort(),
  };
}

/**
 * Replaces the output folder with exactly `files`, all at once: they are written to a sibling
 * folder first, then swapped in by renaming. On any failure the old folder is left (or put back)
 * as it was. Refuses a folder holding files mboxgen did not generate.
 */
export async function replaceOutputFolder(folder: string, files: readonly GeneratedFile[], current: ReadonlyMap<string, string>): Promise<void> {
  for (const [path, text] of current) {
    if (!path.endsWith(".ts") || path.includes("/") || !isGeneratedText(text)) {
      throw createGeneratorError("OUTPUT_NOT_OWNED", { folder, file: path });
    }
  }
  const staging = `${folder}.mboxgen-new-${process.pid}`;
  const previous = `${folder}.mboxgen-old-${process.pid}`;
  // Synchronous throughout: many small files, each a thread-pool round trip otherwise.
  rmSync(staging, { recursive: true, force: true });
  try {
    const folders = new Set([staging, ...files.map((file) => dirname(join(staging, file.path)))]);
    for (const each of folders) mkdirSync(each, { recursive: true });
    for (const file of files) {
      const target = join(staging, file.path);
      // An unchanged file is hard-linked from the current folder instead of written again:
      // regenerating after one schema change then writes one file, not a thousand.
      if (current.get(file.path) === file.text) {
        try {
          linkSync(join(folder, file.path), target);
          continue;
        } catch {
          // No hard links here (some file systems): write it.
        }
      }
      writeFileSync(target, file.text);
    }
    const hadFolder = existsSync(folder);
    if (hadFolder) renameSync(folder, previous);
    try {
      renameSync(staging, folder);
    } catch (error) {
      if (hadFolder) renameSync(previous, folder);
      throw error;
    }
    if (hadFolder) rmSync(previous, { recursive: true, force: true });
  } finally {
    rmSync(staging, { recursive: true, force: true });
  }
}
