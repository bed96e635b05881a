/**
 * The helpers that generated validators call for what one expression cannot check: patterns
 * (compiled once each), `uniqueItems`, exact decimal `multipleOf`, and deep JSON equality for
 * `const` and `enum` members that are objects or arrays. Schema text reaches them as string
 * literals, never as code.
 */
import { isJsonEqual } from "../platform/json.js";

export { isJsonEqual, isJsonObject } from "../platform/json.js";

// Patterns compiled once each: generated validators pass their pattern's text, never code.
const compiledPatterns = new Map<string, RegExp>();

/** Whether `text` matches the JSON Schema `pattern` (ECMAScript, Unicode mode, unanchored). */
export function matchesPattern(text: string, pattern: string): boolean {
  let compiled = compiledPatterns.get(pattern);
  if (compiled === undefined) compiledPatterns.set(pattern, (compiled = new RegExp(pattern, "u")));
  return compiled.test(text);
}

/** Whether no two items of `items` are equal JSON values (`uniqueItems`). */
export function hasUniqueItems(items: readonly unknown[]): boolean {
  for (let index = 1; index < items.length; index += 1) {
    for (let other = 0; other < index; other += 1) if (isJsonEqual(items[index], items[other])) return false;
  }
  return true;
}

// Decimal places of a number as JavaScript prints it: "0.0075" → 4, "1e-7" → 7, "1e+21" → 0.
function decimalPlaces(value: number): number {
  const [mantissa = "", exponent] = String(value).split("e");
  const fraction = mantissa.split(".")[1]?.length ?? 0;
  return Math.max(0, fraction - Number(exponent ?? 0));
}

/**
 * Whether `value` is a multiple of `divisor` (`multipleOf`), exactly for decimals: `0.0075` is a
 * multiple of `0.0001`, though `0.0075 / 0.0001` is `75.00000000000001` in floating point.
 */
export function isMultipleOf(value: number, divisor: number): boolean {
  if (Number.isInteger(value / divisor)) return true;
  const places = Math.max(decimalPlaces(value), decimalPlaces(divisor));
  if (places > 15) return false;
  const scale = 10 ** places;
  const scaledValue = Math.round(value * scale);
  const scaledDivisor = Math.round(divisor * scale);
  return Number.isSafeInteger(scaledValue) && scaledDivisor !== 0 && scaledValue % scaledDivisor === 0;
}
