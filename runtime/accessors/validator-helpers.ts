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

// A finite number as the exact decimal its shortest text writes: digits × 10^exponent
// ("0.0075" → 75 × 10^-4, "1e+308" → 1 × 10^308). JSON numbers are decimals, so this is the
// value the offer's text meant, whatever binary double it became.
function decimalOf(value: number): [digits: bigint, exponent: number] {
  const [mantissa = "0", exponent = "0"] = String(Math.abs(value)).split("e");
  const [whole = "0", fraction = ""] = mantissa.split(".");
  const digits = BigInt(whole + fraction);
  return [value < 0 ? -digits : digits, Number(exponent) - fraction.length];
}

/**
 * Whether `value` is a multiple of `divisor` (`multipleOf`), exactly, as decimals: `0.0075` is a
 * multiple of `0.0001` though `0.0075 / 0.0001` is `75.00000000000001` in floating point, and
 * `1e308` is a multiple of `0.5` though `1e308 / 0.5` overflows to `Infinity`.
 */
export function isMultipleOf(value: number, divisor: number): boolean {
  if (!Number.isFinite(value) || !Number.isFinite(divisor) || divisor === 0) return false;
  if (Number.isSafeInteger(value) && Number.isSafeInteger(divisor)) return value % divisor === 0;
  const [valueDigits, valueExponent] = decimalOf(value);
  const [divisorDigits, divisorExponent] = decimalOf(divisor);
  const exponent = Math.min(valueExponent, divisorExponent);
  return (valueDigits * 10n ** BigInt(valueExponent - exponent)) % (divisorDigits * 10n ** BigInt(divisorExponent - exponent)) === 0n;
}

/** Whether `value` equals one of `values` as JSON (the object and array members of a large `enum`). */
export function includesJsonEqual(values: readonly unknown[], value: unknown): boolean {
  for (const candidate of values) if (isJsonEqual(candidate, value)) return true;
  return false;
}

/** Whether one of `checks` accepts `value`: a long `anyOf`, checked through a list instead of a chain TypeScript could not analyse. */
export function matchesAny(checks: ReadonlyArray<(value: unknown) => boolean>, value: unknown): boolean {
  for (const check of checks) if (check(value)) return true;
  return false;
}

/** Whether every one of `checks` accepts `value`: a long `allOf`. */
export function matchesAll(checks: ReadonlyArray<(value: unknown) => boolean>, value: unknown): boolean {
  for (const check of checks) if (!check(value)) return false;
  return true;
}

/** Whether exactly one of `checks` accepts `value`: a long `oneOf`. */
export function matchesExactlyOne(checks: ReadonlyArray<(value: unknown) => boolean>, value: unknown): boolean {
  let matches = 0;
  for (const check of checks) if (check(value) && (matches += 1) > 1) return false;
  return matches === 1;
}
