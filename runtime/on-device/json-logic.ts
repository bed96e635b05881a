/**
 * JsonLogic (jsonlogic.com) compiled to closures, with the semantics of json-logic-js as Adobe's
 * SDK bundles it: JavaScript's loose comparisons (`current_day == "5"`, `"37.70" < 38`), JsonLogic
 * truthiness (an empty array is false) inside `and`, `or`, `if`, `!`, lazy branches, `var` paths
 * with defaults. Compiled once per artifact; evaluation is a tree of direct calls, never `eval` or
 * `new Function` (edge runtimes forbid both).
 *
 * An unknown operator does not fail the compile: evaluating it throws `UnknownOperatorError`, as
 * json-logic-js throws at that point, so a branch that is never reached costs nothing. The
 * decision engine catches it and treats the rule as not matching.
 */

/** A compiled expression: its value for the given data (the rule context). */
export type CompiledLogic = (data: unknown) => unknown;

/** Thrown when an expression reaches an operator json-logic-js does not know. */
export class UnknownOperatorError extends Error {
  /** The operator's name. */
  readonly operator: string;

  constructor(operator: string) {
    super(`Unrecognized operation ${operator}`);
    this.operator = operator;
  }
}

/** JsonLogic truthiness: JavaScript's, except that an empty array is false. */
export function isTruthy(value: unknown): boolean {
  return Array.isArray(value) ? value.length > 0 : Boolean(value);
}

function isLogic(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value) && Object.keys(value).length === 1;
}

type Operation = (this: unknown, ...values: any[]) => unknown;

const toNumber = (value: unknown) => parseFloat(value as string);

// The eager operators of json-logic-js: arguments are evaluated first, `this` is the data.
const OPERATIONS: Record<string, Operation> = {
  "==": (left, right) => left == right,
  "===": (left, right) => left === right,
  "!=": (left, right) => left != right,
  "!==": (left, right) => left !== right,
  ">": (left, right) => left > right,
  ">=": (left, right) => left >= right,
  "<": (left, right, upper) => (upper === undefined ? left < right : left < right && right < upper),
  "<=": (left, right, upper) => (upper === undefined ? left <= right : left <= right && right <= upper),
  "!!": (value) => isTruthy(value),
  "!": (value) => !isTruthy(value),
  "%": (left, right) => left % right,
  // json-logic-js logs; the runtime never logs on its own, so `log` only passes its value through.
  log: (value) => value,
  in: (needle, haystack) => Boolean(haystack) && typeof haystack.indexOf === "function" && haystack.indexOf(needle) !== -1,
  cat: (...values) => values.join(""),
  substr: (source, start, end) => {
    if (end < 0) {
      const rest = String(source).substr(start);
      return rest.substr(0, rest.length + end);
    }
    return String(source).substr(start, end);
  },
  "+": (...values) => values.reduce((sum: number, value) => toNumber(sum) + toNumber(value), 0),
  "*": (...values) => values.reduce((product, value) => toNumber(product) * toNumber(value)),
  "-": (left, right) => (right === undefined ? -left : left - right),
  "/": (left, right) => left / right,
  min: (...values) => Math.min(...values),
  max: (...values) => Math.max(...values),
  merge: (...values) => values.reduce((merged: unknown[], value) => merged.concat(value), []),
  var(path, fallback) {
    const notFound = fallback === undefined ? null : fallback;
    let data: any = this;
    if (path === undefined || path === "" || path === null) return data;
    for (const key of String(path).split(".")) {
      if (data === null || data === undefined) return notFound;
      data = data[key];
      if (data === undefined) return notFound;
    }
    return data;
  },
  missing(...keys) {
    const names: unknown[] = Array.isArray(keys[0]) ? keys[0] : keys;
    return names.filter((key) => {
      // As json-logic-js's apply({ var: key }): an array key is var's argument list.
      const value = Array.isArray(key) ? OPERATIONS.var!.apply(this, key) : OPERATIONS.var!.call(this, key);
      return value === null || value === "";
    });
  },
  missing_some(needed, keys) {
    const missing = OPERATIONS.missing!.call(this, keys) as unknown[];
    return keys.length - missing.length >= needed ? [] : missing;
  },
};

/** Compiles a JsonLogic expression (a rule's `condition`) into a closure. */
export function compileLogic(logic: unknown): CompiledLogic {
  if (Array.isArray(logic)) {
    // A list of constants (the usual `in` list) is itself, not a new copy per evaluation.
    if (!logic.some((item) => Array.isArray(item) || isLogic(item))) return () => logic;
    const items = logic.map(compileLogic);
    return (data) => items.map((item) => item(data));
  }
  if (!isLogic(logic)) return () => logic;

  const operator = Object.keys(logic)[0]!;
  const raw = logic[operator];
  const args = (Array.isArray(raw) ? raw : [raw]).map(compileLogic);

  switch (operator) {
    case "if":
    case "?:":
      return (data) => {
        let index = 0;
        for (; index < args.length - 1; index += 2) if (isTruthy(args[index]!(data))) return args[index + 1]!(data);
        return index === args.length - 1 ? args[index]!(data) : null;
      };
    case "and":
      return (data) => {
        let current: unknown;
        for (const arg of args) if (!isTruthy((current = arg(data)))) return current;
        return current;
      };
    case "or":
      return (data) => {
        let current: unknown;
        for (const arg of args) if (isTruthy((current = arg(data)))) return current;
        return current;
      };
    case "filter":
    case "map":
    case "all":
    case "none":
    case "some": {
      const [source, scoped] = [args[0] ?? (() => undefined), args[1] ?? (() => undefined)];
      return (data) => {
        const items = source(data);
        const list = Array.isArray(items) ? items : undefined;
        if (operator === "filter") return list ? list.filter((item) => isTruthy(scoped(item))) : [];
        if (operator === "map") return list ? list.map((item) => scoped(item)) : [];
        if (operator === "none") return !list || !list.some((item) => isTruthy(scoped(item)));
        if (!list || list.length === 0) return false;
        return operator === "all" ? list.every((item) => isTruthy(scoped(item))) : list.some((item) => isTruthy(scoped(item)));
      };
    }
    case "reduce": {
      const [source, scoped] = [args[0] ?? (() => undefined), args[1] ?? (() => undefined)];
      const initialValue = Array.isArray(raw) && raw[2] !== undefined ? raw[2] : null;
      return (data) => {
        const items = source(data);
        if (!Array.isArray(items)) return initialValue;
        return items.reduce((accumulator: unknown, current: unknown) => scoped({ current, accumulator }), initialValue);
      };
    }
    case "var": {
      // A constant path (every artifact's case) is split once, here, instead of on every evaluation.
      const [path, fallback] = Array.isArray(raw) ? raw : [raw];
      const constant = (value: unknown) => !Array.isArray(value) && !isLogic(value);
      if ((!Array.isArray(raw) || raw.length <= 2) && constant(path) && constant(fallback) && path !== undefined && path !== null && path !== "") {
        const notFound = fallback === undefined ? null : fallback;
        const keys = String(path).split(".");
        return (data) => {
          let value: any = data;
          for (let index = 0; index < keys.length; index += 1) {
            if (value === null || value === undefined) return notFound;
            value = value[keys[index]!];
            if (value === undefined) return notFound;
          }
          return value;
        };
      }
      return generalOperation(operator, args);
    }
    default:
      return generalOperation(operator, args);
  }
}

// An operator of OPERATIONS applied to its evaluated arguments, with the data as `this`.
function generalOperation(operator: string, args: CompiledLogic[]): CompiledLogic {
  const operation = Object.hasOwn(OPERATIONS, operator) ? OPERATIONS[operator]! : undefined;
  if (!operation) {
    return (data) => {
      for (const arg of args) arg(data);
      throw new UnknownOperatorError(operator);
    };
  }
  if (args.length === 1) {
    const [only] = args as [CompiledLogic];
    return (data) => operation.call(data, only(data));
  }
  if (args.length === 2) {
    const [left, right] = args as [CompiledLogic, CompiledLogic];
    return (data) => operation.call(data, left(data), right(data));
  }
  return (data) => operation.apply(data, args.map((arg) => arg(data)));
}
