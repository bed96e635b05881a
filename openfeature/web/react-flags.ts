/**
 * The support of the React hooks `mboxgen generate --openfeature react` writes: per key of a
 * generated descriptor, its flag key, a fresh schema default, and the check of what
 * `@openfeature/react-sdk`'s hooks answered (the key's generated validator; a value that fails it
 * becomes the default with `TYPE_MISMATCH`). No React here: the hooks are OpenFeature's.
 */
import { mboxSpecOf } from "@mboxgen/runtime";
import { ErrorCode, type EvaluationDetails, type FlagValue, type JsonValue } from "@openfeature/web-sdk";
import { checkTypedValue } from "../core/typed-check.js";

/** Evaluation details whose value is the key's own type (OpenFeature's are limited to JSON values). */
export type TypedFlagDetails<Value> = Omit<EvaluationDetails<FlagValue>, "value"> & { value: Value };

/** One key of a generated mbox, for its hooks; `Value` is the key's type. */
export interface ReactFlag<Value> {
  /** `<mbox>.<key>`. */
  readonly key: string;
  /** The schema's default, fresh each call (for keys that have one). */
  defaultValue(): Value;
  /** A value of the key's type as the JSON value react-sdk's object hooks take (an interface is not one to TypeScript). */
  json(value: Value): JsonValue;
  /** The details a react-sdk hook answered, checked by the key's generated validator. */
  check(details: EvaluationDetails<FlagValue>, defaultValue: Value): TypedFlagDetails<Value>;
}

/** The keys of a generated mbox, typed by its value types. */
export type ReactFlags<Values> = { readonly [Key in keyof Values]-?: ReactFlag<Values[Key]> };

/**
 * The keys of a generated descriptor, by key, for its hooks. Called once per generated module,
 * with the module's value types.
 */
export function defineReactFlags<Values>(descriptor: { readonly mbox: string }): ReactFlags<Values> {
  const spec = mboxSpecOf(descriptor);
  if (!spec) throw new TypeError("mboxgen: expected a descriptor from a generated module (created by defineMbox)");
  const flags: Record<string, ReactFlag<unknown>> = Object.create(null);
  for (const attribute of spec.attributes) {
    const key = `${spec.mbox}.${attribute[0]}`;
    flags[attribute[0]] = {
      key,
      defaultValue: () => attribute[2]?.(),
      json: (value) => value as JsonValue,
      check: (details, defaultValue) => checkTypedValue(attribute, key, details, defaultValue, ErrorCode.TYPE_MISMATCH) as unknown as TypedFlagDetails<unknown>,
    };
  }
  return flags as ReactFlags<Values>;
}
