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

/** Resolves the `$ref` found at `from`; throws a `REF_*` error, naming both files when the target is missing. */
export function resolveReference(ref: string, from: SchemaAt, documents: ReadonlyMap<string, JsonDocument>): SchemaAt {
  // Located only for an error: locating parses the file's text again.
  const location = () => locate(from.document, [...from.segments, "$ref"]);
  const hashIndex = ref.indexOf("#");
  const filePart = hashIndex === -1 ? ref : ref.slice(0, hashIndex);
  const pointer = hashIndex === -1 ? "" : decodeURIComponent(ref.slice(hashIndex + 1));
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

/**
 * The files a document's `$ref`s name, and the files those name, by path (a missing one too: its
 * absence is part of what the document means). Conservative: a `$ref` key inside data (`const`,
 * `default`) counts as well, which can only make a reused module be generated again.
 */
export function filesReferencedBy(document: JsonDocument, documents: ReadonlyMap<string, JsonDocument>): string[] {
  const found = new Set<string>();
  const pending: JsonDocument[] = [document];
  while (pending.length > 0) {
    const current = pending.pop()!;
    // Most schemas name no other file: a substring test spares the walk (a key may also be
    // written with escapes, `"\u0024ref"`, which the second test catches).
    if (!current.text.includes("ref") && !current.text.includes("\\u")) continue;
    const values: unknown[] = [current.value];
    while (values.length > 0) {
      const value = values.pop();
      if (typeof value !== "object" || value === null) continue;
      for (const [key, child] of Object.entries(value)) {
        if (key === "$ref" && typeof child === "string") {
          const hashIndex = child.indexOf("#");
          const filePart = hashIndex === -1 ? child : child.slice(0, hashIndex);
          if (filePart === "") continue;
          const path = joinRelative(current.path, filePart);
          if (path === document.path || found.has(path)) continue;
          found.add(path);
          const target = documents.get(path);
          if (target) pending.push(target);
        } else values.push(child);
      }
    }
  }
  return [...found].sort();
}
