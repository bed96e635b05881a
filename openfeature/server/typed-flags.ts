/**
 * Typed getters over any OpenFeature server client, for the modules `mboxgen generate
 * --openfeature server` writes: per key, `key(context?)` resolves to the key's type and
 * `key.details(context?)` to its evaluation details. The flag key is `<mbox>.<key>`, the default
 * is the schema's (a key without one takes the default as its first argument), and the value is
 * checked by the key's generated validator whatever provider answered (TargetProvider, OFREP,
 * another vendor's): a value that fails it gives the default, with `TYPE_MISMATCH`.
 */
import { mboxSpecOf, type AttributeSpec } from "@mboxgen/runtime";
import { checkTypedValue } from "../core/typed-check.js";
import { ErrorCode, type Client, type EvaluationContext, type EvaluationDetails, type FlagEvaluationOptions, type FlagValue, type JsonValue } from "@openfeature/server-sdk";

/** The OpenFeature evaluation a key uses: its TypeScript type decides. */
export type FlagKind = "boolean" | "string" | "number" | "object";

/** Evaluation details whose value is the key's own type (OpenFeature's are limited to JSON values). */
export type TypedEvaluationDetails<Value> = Omit<EvaluationDetails<FlagValue>, "value"> & { value: Value };

/** The getter of a key with a schema default. */
export interface FlagGetter<Value> {
  (context?: EvaluationContext, options?: FlagEvaluationOptions): Promise<Value>;
  /** The evaluation details: value, variant, reason, error code and message, metadata. */
  details(context?: EvaluationContext, options?: FlagEvaluationOptions): Promise<TypedEvaluationDetails<Value>>;
}

/** The getter of a key without a schema default: the caller gives one. */
export interface FlagGetterWithDefault<Value> {
  (defaultValue: Value, context?: EvaluationContext, options?: FlagEvaluationOptions): Promise<Value>;
  /** The evaluation details: value, variant, reason, error code and message, metadata. */
  details(defaultValue: Value, context?: EvaluationContext, options?: FlagEvaluationOptions): Promise<TypedEvaluationDetails<Value>>;
}

/** Evaluates one key with a client: the right typed method, then the generated validator. */
export async function evaluateTypedFlag(client: Client, mbox: string, attribute: AttributeSpec, kind: FlagKind, defaultValue: unknown, context: EvaluationContext | undefined, options: FlagEvaluationOptions | undefined): Promise<TypedEvaluationDetails<unknown>> {
  const flagKey = `${mbox}.${attribute[0]}`;
  const details: EvaluationDetails<FlagValue> =
    kind === "boolean"
      ? await client.getBooleanDetails(flagKey, defaultValue as boolean, context, options)
      : kind === "string"
        ? await client.getStringDetails(flagKey, defaultValue as string, context, options)
        : kind === "number"
          ? await client.getNumberDetails(flagKey, defaultValue as number, context, options)
          : await client.getObjectDetails(flagKey, defaultValue as JsonValue, context, options);
  return checkTypedValue(attribute, flagKey, details, defaultValue, ErrorCode.TYPE_MISMATCH);
}

/**
 * Defines the typed getters of one generated mbox: called by generated modules with the
 * descriptor and each key's kind; returns the factory that binds them to a client.
 */
export function defineServerFlags<Getters>(descriptor: { readonly mbox: string }, kinds: ReadonlyArray<readonly [key: string, kind: FlagKind]>): (client: Client) => Getters {
  const spec = mboxSpecOf(descriptor);
  if (!spec) throw new TypeError("mboxgen: expected a descriptor from a generated module (created by defineMbox)");
  const kindOf = new Map(kinds);
  return (client) => {
    const getters: Record<string, unknown> = {};
    for (const attribute of spec.attributes) {
      const kind = kindOf.get(attribute[0]);
      if (kind === undefined) continue;
      const schemaDefault = attribute[2];
      // A fresh default per call, as the accessors give (objects must not be shared).
      const run = schemaDefault
        ? (context?: EvaluationContext, options?: FlagEvaluationOptions) => evaluateTypedFlag(client, spec.mbox, attribute, kind, schemaDefault(), context, options)
        : (defaultValue: unknown, context?: EvaluationContext, options?: FlagEvaluationOptions) => evaluateTypedFlag(client, spec.mbox, attribute, kind, defaultValue, context, options);
      const getter = async (...args: Parameters<typeof run>) => (await (run as (...parameters: unknown[]) => Promise<TypedEvaluationDetails<unknown>>)(...args)).value;
      Object.defineProperty(getter, "details", { value: run });
      Object.defineProperty(getters, attribute[3] ?? attribute[0], { value: getter, enumerable: true });
    }
    return getters as Getters;
  };
}
