/**
 * Predicates over parsed JSON values, shared by the Delivery API response check and the validators
 * of generated modules.
 */
/** A plain JSON object (not an array, not null): the check generated validators use for objects. */
export function isJsonObject(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

/** Deep equality of JSON values, for `const` and `enum` members that are objects or arrays. */
export function isJsonEqual(left: unknown, right: unknown): boolean {
  if (left === right) return true;
  if (typeof left !== "object" || typeof right !== "object" || left === null || right === null) return false;
  if (Array.isArray(left) !== Array.isArray(right)) return false;
  const leftKeys = Object.keys(left);
  const rightKeys = Object.keys(right);
  return (
    leftKeys.length === rightKeys.length &&
    leftKeys.every((key) => Object.hasOwn(right, key) && isJsonEqual((left as Record<string, unknown>)[key], (right as Record<string, unknown>)[key]))
  );
}
