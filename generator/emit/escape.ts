/**
 * Text from a schema, a sample or a config inside generated comments. (String, number and JSON
 * literals are printed by ./layout.ts.) Never concatenated into code.
 */
const LINE_TERMINATORS = /\r\n|[\r\n\u2028\u2029]/g;

/**
 * Text for the inside of a `/** … *\/` comment: `*\/` cannot end it, `/*` is written `/\*` so
 * that no tool tracking comments takes it for the opening of another, line breaks become plain
 * newlines.
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
