/** Small helpers every stage that reads or builds JSON needs, in one place. */

/** A JSON object: not an array, not null. */
export function isPlainObject(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

/** Sets an own property, also for the key `__proto__`, which `=` would take as the prototype. */
export function setOwnProperty(target: object, key: string, value: unknown): void {
  Object.defineProperty(target, key, { value, enumerable: true, writable: true, configurable: true });
}

/** A JSON value's kind in words, for error messages: "an array", "null", "a string", "an object". */
export function describeJson(value: unknown): string {
  if (Array.isArray(value)) return "an array";
  if (value === null) return "null";
  return typeof value === "object" ? "an object" : `a ${typeof value}`;
}

/** The same text for equal JSON values: object keys sorted (`{"a":1,"b":2}` is `{"b":2,"a":1}`). */
export function jsonKey(value: unknown): string {
  return JSON.stringify(value, (_key, inner: unknown) => (isPlainObject(inner) ? Object.fromEntries(Object.keys(inner).sort().map((key) => [key, inner[key]])) : inner));
}

/** The first item of each group with the same `keyOf`, in order. Linear: thousands of items stay fast. */
export function uniqueBy<Item>(items: readonly Item[], keyOf: (item: Item) => string): Item[] {
  const seen = new Set<string>();
  return items.filter((item) => {
    const key = keyOf(item);
    if (seen.has(key)) return false;
    seen.add(key);
    return true;
  });
}

/** The first of each group of equal JSON values, in order (equality as `isJsonEqual`: deep, object keys in any order). */
export function uniqueJsonValues<Value>(values: readonly Value[]): Value[] {
  return uniqueBy(values, jsonKey);
}

/** Whether `value` nests arrays and objects deeper than `limit` levels (iteratively: any depth is safe to ask about). */
export function nestsDeeperThan(value: unknown, limit: number): boolean {
  const pending: Array<[unknown, number]> = [[value, 0]];
  while (pending.length > 0) {
    const [current, depth] = pending.pop()!;
    if (typeof current !== "object" || current === null) continue;
    if (depth >= limit) return true;
    for (const inner of Object.values(current)) pending.push([inner, depth + 1]);
  }
  return false;
}
