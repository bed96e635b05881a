/**
 * The layout of generated code, as prettier documents. Modules are printed directly in the shape
 * prettier (default options) gives them: each construct here builds the document prettier's own
 * printer builds for that construct, and prettier's doc printer lays it out (`printDocument`), so
 * no file needs parsing and formatting afterwards. `test/generator/layout.test.ts` proves
 * that prettier leaves every generated file unchanged. Only the constructs mboxgen emits are
 * covered, each in the contexts it appears in; anything else is not printed here.
 */
import { createRequire } from "node:module";
import { builders, printer, type builders as Builders } from "prettier/doc";
import type { JsonValue } from "../ir.js";

/** A prettier document. */
export type Doc = Builders.Doc;

const { group, indent, line, softline, hardline, ifBreak, join, align, fill, indentIfBreak, conditionalGroup, breakParent } = builders;
export { align, breakParent, conditionalGroup, fill, group, hardline, ifBreak, indent, indentIfBreak, join, line, softline };

/** Prettier's defaults, which generated files follow. */
const PRINT_OPTIONS = { printWidth: 80, tabWidth: 2, useTabs: false } as const;

/** The text of a document, laid out as prettier lays out its own. */
export function printDocument(doc: Doc): string {
  return printer.printDocToString(doc, PRINT_OPTIONS).formatted;
}

const DOUBLE = '"';
const SINGLE = "'";

/**
 * A string literal as prettier prints it: the quote that needs fewer escapes (double on a tie),
 * the escapes of `JSON.stringify` otherwise. Any string is safe here: it is data, never code.
 */
export function stringLiteral(value: string): string {
  const escaped = JSON.stringify(value);
  const content = escaped.slice(1, -1);
  let doubles = 0;
  let singles = 0;
  for (let index = 0; index < content.length; index += 1) {
    const code = content.charCodeAt(index);
    if (code === 34) doubles += 1;
    else if (code === 39) singles += 1;
  }
  if (doubles <= singles) return escaped;
  // Single quotes: an escaped double quote needs no escape, a single quote needs one.
  return SINGLE + content.replace(/\\(["'\\])|(["'])/g, (match, escapedQuote: string | undefined, quote: string | undefined) => {
    if (escapedQuote) return escapedQuote === DOUBLE ? DOUBLE : match;
    return quote === SINGLE ? `\\${SINGLE}` : quote!;
  }) + SINGLE;
}

/** A number as prettier prints a numeric literal (`1e+21` → `1e21`); negative numbers keep their sign. */
export function numberLiteral(value: number): string {
  if (!Number.isFinite(value)) return "null";
  const text = String(Math.abs(value))
    .toLowerCase()
    .replace(/^([+-]?[\d.]+e)(?:\+|(-))?0*(?=\d)/, "$1$2")
    .replace(/^([+-]?[\d.]+)e[+-]?0+$/, "$1")
    .replace(/^([+-])?\./, "$10.")
    .replace(/(\.\d+?)0+(?=e|$)/, "$1")
    .replace(/\.(?=e|$)/, "");
  return value < 0 || Object.is(value, -0) ? `-${text}` : text;
}

const ASCII_IDENTIFIER = /^[$A-Z_a-z][$\w]*$/;
// An identifier by ES5's character classes, which prettier tests before it unquotes a key.
const ES5_IDENTIFIER = /^[$_\p{Lu}\p{Ll}\p{Lt}\p{Lm}\p{Lo}\p{Nl}][$_\p{Lu}\p{Ll}\p{Lt}\p{Lm}\p{Lo}\p{Nl}\p{Mn}\p{Mc}\p{Nd}\p{Pc}\u200C\u200D]*$/u;
// Blocks whose letters prettier's identifier table has (test/generator/layout.test.ts checks
// every character of them): Latin, Greek, Cyrillic, Hebrew, Arabic, Devanagari, Thai,
// Vietnamese, kana, CJK and Hangul, as of Unicode 9. Prettier's table is older than Node.js's Unicode.
const OLD_BLOCKS = /^[\u0000-\u024F\u0300-\u04FF\u0591-\u05EA\u05F0-\u05F2\u0600-\u06FF\u0900-\u097F\u0E01-\u0E5B\u1E00-\u1FFF\u3041-\u3096\u30A1-\u30FA\u4E00-\u9FD5\uAC00-\uD7A3]*$/;

/**
 * A property key as prettier prints it: bare when it is an identifier, else quoted. A key that
 * may be an identifier by a newer Unicode than prettier's is quoted with its non-ASCII escaped
 * (`"\uA7D3"`): prettier leaves an escaped key alone, where it would unquote some unescaped ones.
 */
export function propertyKey(key: string): string {
  if (ASCII_IDENTIFIER.test(key)) return key;
  if (!ES5_IDENTIFIER.test(key)) return stringLiteral(key);
  if (OLD_BLOCKS.test(key)) return key;
  return stringLiteral(key).replace(/[^\x20-\x7E]/g, (character) => `\\u${character.charCodeAt(0).toString(16).toUpperCase().padStart(4, "0")}`);
}

/** A JSDoc comment from its lines (already comment-safe), or nothing when there are none. */
export function jsDoc(lines: readonly string[]): Doc[] {
  if (lines.length === 0) return [];
  return ["/**", ...lines.map((text) => [hardline, text === "" ? " *" : ` * ${text}`]), hardline, " */", hardline];
}

/** A one-line `/** … *\/` comment before a declaration. */
export function jsDocLine(text: string): Doc[] {
  return [`/** ${text} */`, hardline];
}

// ---------------------------------------------------------------------------------------------
// Expressions: JSON values as object and array literals, and what a default's arrow returns.

/** Whether prettier prints this array of values in its concise `fill` layout (numbers only). */
function isConciseArray(value: readonly JsonValue[]): boolean {
  return value.length > 0 && value.every((item) => typeof item === "number" && Number.isFinite(item));
}

function isExpandableValue(value: JsonValue): boolean {
  return Array.isArray(value) ? value.length > 1 : typeof value === "object" && value !== null && Object.keys(value).length > 1;
}

/** An array literal, laid out as `printArray` lays it out. */
export function arrayLiteral(items: readonly Doc[], options: { shouldBreak?: boolean; concise?: boolean } = {}): Doc {
  if (items.length === 0) return group(["[", "]"]);
  if (options.concise) {
    const id = Symbol("array");
    const parts: Doc[] = [];
    items.forEach((item, index) => {
      const isLast = index === items.length - 1;
      parts.push([item, isLast ? ifBreak(",", "", { groupId: id }) : ","]);
      if (!isLast) parts.push(line);
    });
    return group(["[", indent([softline, fill(parts)]), softline, "]"], { id });
  }
  return group(["[", indent([softline, join([",", line], items.map((item) => group(item))), ifBreak(",")]), softline, "]"], { shouldBreak: options.shouldBreak ?? false });
}

// The layout prettier chooses for `key: value` in an object literal (printAssignment).
function objectProperty(key: string, value: JsonValue): Doc {
  const keyDoc = key === "__proto__" ? `[${stringLiteral(key)}]` : propertyKey(key);
  const valueDoc = jsonValue(value);
  // Keys shorter than tabWidth + 3 are "short": the value stays on the key's line.
  const hasShortKey = typeof keyDoc === "string" && stringWidth(keyDoc) < PRINT_OPTIONS.tabWidth + 3;
  if (typeof value === "string") {
    return hasShortKey ? group([keyDoc, ":", " ", valueDoc]) : group([keyDoc, ":", group(indent([line, valueDoc]))]);
  }
  // A number prints as a numeric literal unless it is negative (then it is `-` and a literal).
  const isNumericLiteral = typeof value === "number" && Number.isFinite(value) && value >= 0 && !Object.is(value, -0);
  if (hasShortKey || typeof value === "boolean" || isNumericLiteral) {
    return group([keyDoc, ":", " ", valueDoc]);
  }
  const id = Symbol("assignment");
  return group([keyDoc, ":", group(indent(line), { id }), indentIfBreak(valueDoc, { groupId: id })]);
}

/** An object literal; `expanded` as written with a line break after `{` (prettier keeps that). */
function objectLiteral(value: { readonly [key: string]: JsonValue }, expanded = false): Doc {
  const keys = Object.keys(value);
  if (keys.length === 0) return group(["{", "}"]);
  return group(["{", indent([line, join([",", line], keys.map((key) => objectProperty(key, value[key]!)))]), ifBreak(","), line, "}"], { shouldBreak: expanded });
}

/** A JSON value as a JavaScript expression that evaluates to a fresh copy of it. */
export function jsonValue(value: JsonValue): Doc {
  if (value === null) return "null";
  if (typeof value === "string") return stringLiteral(value);
  if (typeof value === "number") return numberLiteral(value);
  if (typeof value === "boolean") return String(value);
  if (Array.isArray(value)) {
    const concise = isConciseArray(value);
    const shouldBreak = value.length > 1 && value.every((item, index) => isExpandableValue(item) && (index === value.length - 1 || Array.isArray(item) === Array.isArray(value[index + 1])));
    return arrayLiteral(value.map(jsonValue), { concise, shouldBreak });
  }
  return objectLiteral(value);
}

/** `() => value`, as prettier lays out an arrow function that returns a JSON value. */
export function arrowReturning(value: JsonValue): Doc {
  const head = group(["(", ")"]);
  if (typeof value === "object" && value !== null) {
    const body = Array.isArray(value) ? jsonValue(value) : ["(", jsonValue(value), ")"];
    return group([head, " =>", group([" ", body])]);
  }
  return group([head, " =>", group(indent([line, jsonValue(value)]))]);
}

const requireFromHere = createRequire(import.meta.url);
let prettierStringWidth: ((text: string) => number) | undefined;

/**
 * The width of text as prettier measures it: code points, wide East Asian characters and emoji
 * count two, combining marks none. Printable ASCII is its length; anything else is measured by
 * prettier's own `getStringWidth` (its CommonJS entry, loaded the first time it is needed).
 */
function stringWidth(text: string): number {
  if (/^[\x20-\x7E]*$/.test(text)) return text.length;
  prettierStringWidth ??= (requireFromHere("prettier") as typeof import("prettier")).util.getStringWidth;
  return prettierStringWidth(text);
}
