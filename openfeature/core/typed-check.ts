/**
 * The check typed getters and hooks apply to what any OpenFeature provider answered: the key's
 * generated validator, on the value (a default is valid as it is). A value that fails it becomes
 * the default, with OpenFeature's `TYPE_MISMATCH` and what the schema expects.
 */
import { resolveAttribute, type AttributeSpec } from "@mboxgen/runtime";

/** The fields of OpenFeature's evaluation details this check reads and writes. */
export interface CheckedDetails {
  value: unknown;
  variant?: string | undefined;
  reason?: string | undefined;
  errorCode?: unknown;
  errorMessage?: string | undefined;
}

/** `details` as they are, or the default with TYPE_MISMATCH when the value fails the key's schema. */
export function checkTypedValue<Details extends CheckedDetails>(attribute: AttributeSpec, flagKey: string, details: Details, defaultValue: unknown, typeMismatch: Details["errorCode"]): Details {
  if (details.errorCode !== undefined || details.value === defaultValue) return details;
  const { fallback } = resolveAttribute(attribute, { [attribute[0]]: details.value });
  if (fallback === undefined) return details;
  const expected = attribute[4] !== undefined ? `: expected ${attribute[4]}` : "";
  const { variant: _variant, ...rest } = details;
  return { ...rest, value: defaultValue, reason: "ERROR", errorCode: typeMismatch, errorMessage: `the value of flag ${JSON.stringify(flagKey)} does not match its schema${expected}` } as Details;
}
