/**
 * JSON files with their text kept, so that an error can name a line and column for a JSON pointer
 * (jsonc-parser gives offsets; JSON.parse gives the values).
 */
import { findNodeAtLocation, parse, parseTree, printParseErrorCode, type Node as JsonNode, type ParseError } from "jsonc-parser";
import { createGeneratorError, type ErrorLocation } from "./errors.js";

/** A schema file as read: its path (relative, `/`-separated) and text. */
export interface SchemaSource {
  path: string;
  text: string;
}

/** A parsed JSON file. */
export interface JsonDocument {
  path: string;
  text: string;
  value: unknown;
}

function lineAndColumn(text: string, offset: number): { line: number; column: number } {
  let line = 1;
  let lineStart = 0;
  for (let index = text.indexOf("\n"); index !== -1 && index < offset; index = text.indexOf("\n", index + 1)) {
    line += 1;
    lineStart = index + 1;
  }
  return { line, column: offset - lineStart + 1 };
}

/**
 * Parses a source; malformed JSON throws a `JSON_SYNTAX` error with line and column. JSON.parse
 * reads it (it keeps a "__proto__" key as an own property, and it is fast); only text it refuses
 * is read again by jsonc-parser, for a position and a reason in words.
 */
export function parseJsonDocument(source: SchemaSource): JsonDocument {
  try {
    return { path: source.path, text: source.text, value: JSON.parse(source.text) as unknown };
  } catch (error) {
    throw syntaxError(source, error);
  }
}

function syntaxError(source: SchemaSource, parseFailure: unknown): Error {
  const errors: ParseError[] = [];
  positioned(source.text, () => parse(source.text, errors, { disallowComments: true, allowTrailingComma: false, allowEmptyContent: false }));
  const first = errors[0];
  // jsonc-parser finds every syntax error JSON.parse does; JSON.parse's own message is the fallback.
  const reason = first
    ? // "PropertyNameExpected" → "property name expected"
      printParseErrorCode(first.error).replace(/(?<=[a-z])(?=[A-Z])/g, " ").toLowerCase()
    : String((parseFailure as Error).message);
  const offset = first?.offset ?? Number(/position (\d+)/.exec(String((parseFailure as Error).message))?.[1] ?? 0);
  return createGeneratorError("JSON_SYNTAX", { reason }, { file: source.path, ...lineAndColumn(source.text, offset) });
}

/** Encodes path segments as a JSON pointer (RFC 6901). */
export function toJsonPointer(segments: ReadonlyArray<string | number>): string {
  return segments.map((segment) => `/${String(segment).replace(/~/g, "~0").replace(/\//g, "~1")}`).join("");
}

/** Decodes a JSON pointer into segments. */
export function fromJsonPointer(pointer: string): string[] {
  if (pointer === "") return [];
  return pointer
    .slice(1)
    .split("/")
    .map((segment) => segment.replace(/~1/g, "/").replace(/~0/g, "~"));
}

/** Deeper than this, text is not handed to jsonc-parser, which recurses once per level. */
const MAX_POSITIONED_DEPTH = 1000;

// Whether brackets in `text` (outside strings) nest deeper than `limit`: one pass, no recursion.
function nestsTooDeep(text: string, limit: number): boolean {
  let depth = 0;
  let inString = false;
  for (let index = 0; index < text.length; index += 1) {
    const code = text.charCodeAt(index);
    if (inString) {
      if (code === 92) index += 1; // a backslash: the next character is escaped
      else if (code === 34) inString = false;
    } else if (code === 34) inString = true;
    else if (code === 123 || code === 91) {
      depth += 1;
      if (depth > limit) return true;
    } else if (code === 125 || code === 93) depth -= 1;
  }
  return false;
}

/**
 * jsonc-parser, for positions, only on text it can read without overflowing the stack: text
 * nested deeper (which JSON.parse reads) has locations without line and column, always.
 */
function positioned<Result>(text: string, read: () => Result): Result | undefined {
  return nestsTooDeep(text, MAX_POSITIONED_DEPTH) ? undefined : read();
}

// Each document's syntax tree, parsed the first time one of its locations is asked for.
const trees = new WeakMap<JsonDocument, JsonNode | undefined>();

/**
 * The location of a JSON pointer inside a document: file, line and column of the value (of the
 * property's key with `at: "key"`, for a key that should not be there), pointer.
 */
export function locate(document: JsonDocument, segments: ReadonlyArray<string | number>, at: "value" | "key" = "value"): ErrorLocation {
  const location: ErrorLocation = { file: document.path, pointer: toJsonPointer(segments) };
  let root = trees.get(document);
  if (root === undefined && !trees.has(document)) trees.set(document, (root = positioned(document.text, () => parseTree(document.text))));
  const node = root ? findNodeAtLocation(root, [...segments]) : undefined;
  const keyNode = at === "key" && node?.parent?.type === "property" ? node.parent.children?.[0] : undefined;
  if (node) Object.assign(location, lineAndColumn(document.text, (keyNode ?? node).offset));
  return location;
}
