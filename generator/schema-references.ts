/**
 * `$ref` resolution among the loaded files: `#/pointer` within a file, `other.json` and
 * `other.json#/pointer` relative to the referring file. Nothing is fetched.
 */
import { createGeneratorError } from "./errors.js";
import { fromJsonPointer, locate, toJsonPointer, type JsonDocument } from "./json-document.js";

/** A schema node and where it is. */
export interface SchemaAt {
  document: JsonDocument;
  segments: string[];
  schema: unknown;
}

/** `<file>#<pointer>`: one id per schema location, for definitions and cycle detection. */
export function schemaId(at: { document: JsonDocument; segments: readonly string[] }): string {
  return `${at.document.path}#${toJsonPointer(at.segments)}`;
}

function joinRelative(fromPath: string, relative: string): string {
  const parts = fromPath.split("/").slice(0, -1);
  for (const part of relative.split("/")) {
    if (part === "" || part === ".") continue;
    if (part === "..") parts.pop();
    else parts.push(part);
  }
  return parts.join("/");
}

function valueAt(root: unknown, segments: readonly string[]): { found: boolean; value: unknown } {
  let current = root;
  for (const segment of segments) {
    if (typeof current !== "object" || current === null || !Object.hasOwn(current, segment)) return { found: false, value: undefined };
    current = (current as Record<string, unknown>)[segment];
  }
  return { found: true, value: current };
}

// `other.json#/pointer` → the file part (empty within the same file) and the fragment after `#`.
function splitReference(ref: string): { filePart: string; fragment: string } {
  const hashIndex = ref.indexOf("#");
  return hashIndex === -1 ? { filePart: ref, fragment: "" } : { filePart: ref.slice(0, hashIndex), fragment: ref.slice(hashIndex + 1) };
}

/** Resolves the `$ref` found at `from`; throws a `REF_*` error, naming both files when the target is missing. */
export function resolveReference(ref: string, from: SchemaAt, documents: ReadonlyMap<string, JsonDocument>): SchemaAt {
  // Located only for an error: locating parses the file's text again.
  const location = () => locate(from.document, [...from.segments, "$ref"]);
  const { filePart, fragment } = splitReference(ref);
  const pointer = decodeURIComponent(fragment);
  if (/^[a-z][a-z0-9+.-]*:/i.test(filePart) || filePart.startsWith("/") || (pointer !== "" && !pointer.startsWith("/"))) {
    throw createGeneratorError("REF_UNSUPPORTED", { ref }, location());
  }
  const targetPath = filePart === "" ? from.document.path : joinRelative(from.document.path, filePart);
  const document = documents.get(targetPath);
  if (!document) throw createGeneratorError("REF_NOT_FOUND", { ref, targetFile: targetPath }, location());
  const segments = fromJsonPointer(pointer);
  const { found, value } = valueAt(document.value, segments);
  if (!found) throw createGeneratorError("REF_POINTER_NOT_FOUND", { ref, targetFile: targetPath }, location());
  return { document, segments, schema: value };
}

// The files one document's own `$ref`s name, by path; walked once per document, however many
// mboxes reach it.
const directReferences = new WeakMap<JsonDocument, string[]>();

function filesNamedIn(document: JsonDocument): string[] {
  let paths = directReferences.get(document);
  if (paths !== undefined) return paths;
  const found = new Set<string>();
  // Most schemas name no other file: a substring test spares the walk (a key may also be
  // written with escapes, `"\u0024ref"`, which the second test catches).
  if (document.text.includes("ref") || document.text.includes("\\u")) {
    const values: unknown[] = [document.value];
    while (values.length > 0) {
      const value = values.pop();
      if (typeof value !== "object" || value === null) continue;
      for (const [key, child] of Object.entries(value)) {
        if (key !== "$ref" || typeof child !== "string") {
          values.push(child);
          continue;
        }
        const { filePart } = splitReference(child);
        if (filePart !== "") found.add(joinRelative(document.path, filePart));
      }
    }
  }
  directReferences.set(document, (paths = [...found]));
  return paths;
}

/**
 * The files a document's `$ref`s name, and the files those name, by path (a missing one too: its
 * absence is part of what the document means). Conservative: a `$ref` key inside data (`const`,
 * `default`) counts as well, which can only make a reused module be generated again.
 */
export function filesReferencedBy(document: JsonDocument, documents: ReadonlyMap<string, JsonDocument>): string[] {
  const found = new Set<string>();
  const pending: JsonDocument[] = [document];
  while (pending.length > 0) {
    for (const path of filesNamedIn(pending.pop()!)) {
      if (path === document.path || found.has(path)) continue;
      found.add(path);
      const target = documents.get(path);
      if (target) pending.push(target);
    }
  }
  return [...found].sort();
}
