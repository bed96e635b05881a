/**
 * JSDoc from the IR: a key's or a type's description, the constraints TypeScript cannot state
 * (its validator enforces them), its format, examples, default and deprecation. Every line is
 * schema text, written through `commentText`.
 */
import type { DocsIr, TypeIr } from "../ir.js";
import { commentText } from "./escape.js";

// The constraints of a type's own value (not of its items or properties), as JSDoc tags.
function constraintTags(type: TypeIr | undefined, tags: string[]): void {
  if (!type) return;
  switch (type.kind) {
    case "string":
      if (type.minLength !== undefined) tags.push(`@minLength ${type.minLength}`);
      if (type.maxLength !== undefined) tags.push(`@maxLength ${type.maxLength}`);
      // Quoted when spaces at its ends would vanish from the comment.
      if (type.pattern !== undefined) tags.push(`@pattern ${type.pattern.trim() === type.pattern ? type.pattern : JSON.stringify(type.pattern)}`);
      return;
    case "number":
      if (type.integer) tags.push("@integer");
      if (type.minimum !== undefined) tags.push(`@minimum ${type.minimum}`);
      if (type.exclusiveMinimum !== undefined) tags.push(`@exclusiveMinimum ${type.exclusiveMinimum}`);
      if (type.maximum !== undefined) tags.push(`@maximum ${type.maximum}`);
      if (type.exclusiveMaximum !== undefined) tags.push(`@exclusiveMaximum ${type.exclusiveMaximum}`);
      if (type.multipleOf !== undefined) tags.push(`@multipleOf ${type.multipleOf}`);
      return;
    case "array":
      if (type.minItems !== undefined) tags.push(`@minItems ${type.minItems}`);
      if (type.maxItems !== undefined) tags.push(`@maxItems ${type.maxItems}`);
      if (type.uniqueItems) tags.push("@uniqueItems");
      return;
    case "object":
      if (type.minProperties !== undefined) tags.push(`@minProperties ${type.minProperties}`);
      if (type.maxProperties !== undefined) tags.push(`@maxProperties ${type.maxProperties}`);
      return;
    case "anyOf":
    case "oneOf":
    case "allOf":
      for (const member of type.members) constraintTags(member, tags);
      return;
    default:
      return;
  }
}

/**
 * The lines of a JSDoc comment (without `/**`, `*` and `*\/`), or none when there is nothing to
 * say: the description, then one tag per line.
 */
export function docLines(docs: DocsIr, type?: TypeIr, fallback?: { value: unknown }): string[] {
  const tags: string[] = [];
  constraintTags(type, tags);
  if (docs.format !== undefined) tags.push(`@format ${docs.format}`);
  for (const example of docs.examples ?? []) tags.push(`@example ${JSON.stringify(example)}`);
  const defaultValue = fallback ?? docs.default;
  if (defaultValue) tags.push(`@default ${JSON.stringify(defaultValue.value)}`);
  if (docs.deprecated) tags.push("@deprecated");
  const description = docs.description ?? docs.title;
  const lines = description === undefined || description.trim() === "" ? [] : commentText(description).split("\n").map((line) => line.trimEnd());
  // Comment lines never end in spaces (prettier would trim them).
  const tagLines = tags.map((tag) => commentText(tag).replace(/\n/g, " ").trimEnd());
  if (lines.length > 0 && tagLines.length > 0) lines.push("");
  return [...lines, ...tagLines];
}
