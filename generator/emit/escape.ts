/**
 * The only ways text from a schema, a sample or a config reaches generated code: as a string
 * literal, as a JSON literal, or inside a comment. Never by concatenating it into code.
 */
import type { JsonValue } from "../ir.js";

const LINE_TERMINATORS = /\r\n|[\r\n\u2028\u2029]/g;

/**
 * A string literal that evaluates to `text` exactly (JSON's escaping is valid JavaScript). A
 * backslash is written `\u005C`, not `\\`: ts-morph's code writer, which tracks strings and
 * comments as it prints, takes the second backslash of `"\\"` as escaping the closing quote,
 * and would then read a later `"/*"` as the start of a comment and break the output.
 */
export function stringLiteral(text: string): string {
  return JSON.stringify(text).replace(/\\(.)/g, (escape: string, escaped: string) => (escaped === "\\" ? "\\u005C" : escape));
}

/**
 * A JavaScript expression that evaluates to a fresh copy of `value`. Object keys are string
 * literals; `__proto__` is written as a computed key, because a plain `"__proto__":` in an object
 * literal would set the prototype instead of creating the key.
 */
export function jsonLiteral(value: JsonValue): string {
  if (Array.isArray(value)) return `[${value.map(jsonLiteral).join(", ")}]`;
  if (typeof value === "object" && value !== null) {
    const entries = Object.keys(value).map((key) => {
      const property = key === "__proto__" ? `[${stringLiteral(key)}]` : stringLiteral(key);
      return `${property}: ${jsonLiteral(value[key]!)}`;
    });
    return `{ ${entries.join(", ")} }`;
  }
  if (typeof value === "number" && !Number.isFinite(value)) return "null";
  return typeof value === "string" ? stringLiteral(value) : JSON.stringify(value);
}

/**
 * Text for the inside of a `/** … *\/` comment: `*\/` cannot end it, `/*` cannot open another
 * (ts-morph's writer tracks comments and would close it), line breaks become plain newlines.
 */
export function commentText(text: string): string {
  return text.replace(LINE_TERMINATORS, "\n").replace(/\*\//g, "*\\/").replace(/\/\*/g, "/\\*");
}

/** Text for a `//` line comment: every line terminator (U+2028 and U+2029 too) is shown escaped. */
export function lineCommentText(text: string): string {
  return text.replace(LINE_TERMINATORS, (terminator) =>
    [...terminator].map((character) => `\\u${character.charCodeAt(0).toString(16).padStart(4, "0")}`).join(""),
  );
}

/** `object[<string literal>]`: property access that works for any key. */
export function propertyAccess(object: string, key: string): string {
  return `${object}[${stringLiteral(key)}]`;
}
