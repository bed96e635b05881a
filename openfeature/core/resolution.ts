/**
 * One flag's resolution from Target's decision, in OpenFeature's terms and exactly as the generated
 * accessors read the offer (the same validators and defaults, through `resolveAttribute`):
 *
 * | what happened | reason | errorCode |
 * | --- | --- | --- |
 * | Target's value, valid | `SPLIT` (A/B and multivariate activities) or `TARGETING_MATCH` | |
 * | no activity for the visitor, or the offer leaves a key of the schema out (accessors: `missing`) | `DEFAULT` | |
 * | a key the schema does not have; without a schema, a key no offer of the mbox has (as far as known: see `knownKeys`) | `ERROR` | `FLAG_NOT_FOUND` |
 * | a value that fails the schema (accessors: `invalid`), or of another type than asked | `ERROR` | `TYPE_MISMATCH` |
 * | content that is not a JSON offer (HTML, redirect), or a body that is not a Delivery API response | `ERROR` | `PARSE_ERROR` |
 * | the on-device client is not ready (accessors: `target-error`) | `ERROR` | `PROVIDER_NOT_READY` |
 * | any other failed call (accessors: `target-error`) | `ERROR` | `GENERAL` |
 *
 * `DEFAULT` resolves to the schema's default when there is one, else the caller's. With an error,
 * OpenFeature's SDKs return the caller's default (the generated getters pass the schema's).
 */
import { isTargetError, resolveAttribute, type MboxSpec } from "@mboxgen/runtime";
import type { MboxDecision } from "./decisions.js";
import type { FlagAddress } from "./flag-keys.js";

/** The flag types OpenFeature evaluates; `any` for OFREP, whose requests name no type. */
export type FlagType = "boolean" | "string" | "number" | "object" | "any";

/** OpenFeature's error codes (the strings of its `ErrorCode` enum). */
export type FlagErrorCode = "PROVIDER_NOT_READY" | "FLAG_NOT_FOUND" | "PARSE_ERROR" | "TYPE_MISMATCH" | "GENERAL";

/** OpenFeature's `FlagMetadata`. */
export type FlagMetadata = Record<string, string | number | boolean>;

/** A resolution, shaped as OpenFeature's `ResolutionDetails`, and whether it used Target's decision. */
export interface FlagResolution<Value> {
  value: Value;
  variant?: string;
  reason: string;
  errorCode?: FlagErrorCode;
  errorMessage?: string;
  flagMetadata: FlagMetadata;
  /** The mbox delivered an experience and the flag read it: its display notification is due. */
  displayed: boolean;
}

/** Activity types whose visitors are allocated among experiences (`activity.type` response token). */
const SPLIT_ACTIVITY_TYPES = new Set(["ab", "mvt"]);

/** What a failed Target call is in OpenFeature's terms. */
export function errorCodeOf(error: unknown): FlagErrorCode {
  if (isTargetError(error) && error.kind === "not-ready") return "PROVIDER_NOT_READY";
  if (isTargetError(error) && error.kind === "response") return "PARSE_ERROR";
  return "GENERAL";
}

/** `flagMetadata` from Target's response tokens: strings, numbers and booleans, arrays joined. */
export function metadataOf(mbox: string, decision: MboxDecision | undefined, decisioningMethod: string | undefined): FlagMetadata {
  const metadata: FlagMetadata = { mbox };
  for (const [name, value] of Object.entries(decision?.responseTokens ?? {})) {
    if (typeof value === "string" || typeof value === "boolean" || (typeof value === "number" && Number.isFinite(value))) metadata[name] = value;
    else if (Array.isArray(value) && value.every((item) => typeof item === "string" || typeof item === "number")) metadata[name] = value.join(",");
  }
  if (decisioningMethod !== undefined && metadata["activity.decisioningMethod"] === undefined) metadata["activity.decisioningMethod"] = decisioningMethod;
  return metadata;
}

function jsonTypeOf(value: unknown): string {
  if (value === null) return "null";
  if (Array.isArray(value)) return "array";
  return typeof value;
}

const isStructure = (value: unknown) => typeof value === "object" && value !== null;

// An object evaluation wants a structure, unless the caller's default is none: then it reads a key
// of several JSON types (`string | null`, through the generated getters) and any JSON value is its.
function hasType(value: unknown, type: FlagType, defaultValue: unknown): boolean {
  if (type === "any") return true;
  if (type === "object") return isStructure(value) || (!isStructure(defaultValue) && value !== undefined);
  if (type === "number") return typeof value === "number" && Number.isFinite(value);
  return typeof value === type;
}

function excerpt(value: unknown): string {
  let text: string;
  try {
    text = JSON.stringify(value) ?? String(value);
  } catch {
    text = String(value);
  }
  return text.length <= 80 ? text : `${text.slice(0, 79)}…`;
}

function variantOf(decision: MboxDecision): string | undefined {
  const tokens = decision.responseTokens;
  const name = tokens["experience.name"];
  if (typeof name === "string" && name !== "") return name;
  const id = tokens["experience.id"];
  return typeof id === "string" || typeof id === "number" ? String(id) : undefined;
}

function matchReason(decision: MboxDecision): string {
  const type = decision.responseTokens["activity.type"];
  return typeof type === "string" && SPLIT_ACTIVITY_TYPES.has(type) ? "SPLIT" : "TARGETING_MATCH";
}

/** Everything a resolution needs besides the flag. */
export interface ResolutionInput<Value> {
  flagKey: string;
  address: FlagAddress;
  type: FlagType;
  defaultValue: Value;
  /** The mbox's generated descriptor spec, when the provider has one. */
  spec: MboxSpec<string> | undefined;
  /**
   * Without a spec, the keys the mbox's offers can have, when known (the OFREP service's flag list,
   * the on-device artifact's offers): a known key the visitor's offer leaves out is `DEFAULT`, an
   * unknown one `FLAG_NOT_FOUND`. Without either, a key the offer leaves out is `FLAG_NOT_FOUND`.
   */
  knownKeys?: ReadonlySet<string> | undefined;
  /** Target's decision for the mbox, or the error of the call. */
  decision: { ok: true; value: MboxDecision; decisioningMethod: string } | { ok: false; error: unknown };
}

/** Resolves one flag. Never throws. */
export function resolveFlag<Value>(input: ResolutionInput<Value>): FlagResolution<Value> {
  const { flagKey, address, type, defaultValue, spec } = input;
  const { mbox, key } = address;
  const fail = (errorCode: FlagErrorCode, errorMessage: string, metadata: FlagMetadata = { mbox }, displayed = false): FlagResolution<Value> => ({ value: defaultValue, reason: "ERROR", errorCode, errorMessage, flagMetadata: metadata, displayed });
  if (!input.decision.ok) {
    const error = input.decision.error;
    return fail(errorCodeOf(error), `the Target call for mbox ${JSON.stringify(mbox)} failed: ${error instanceof Error ? error.message : String(error)}`);
  }
  const decision = input.decision.value;
  const metadata = metadataOf(mbox, decision, input.decision.decisioningMethod);
  const delivered = decision.offer !== undefined;
  const found = (value: unknown, fromTarget: boolean): FlagResolution<Value> => {
    if (!hasType(value, type, defaultValue)) {
      return fail("TYPE_MISMATCH", `flag ${JSON.stringify(flagKey)} was asked for as a ${type}, but its value is ${jsonTypeOf(value) === "object" ? "an object" : `a ${jsonTypeOf(value)}`} (${excerpt(value)})`, metadata, delivered);
    }
    if (!fromTarget) return { value: value as Value, reason: "DEFAULT", flagMetadata: metadata, displayed: delivered };
    const variant = variantOf(decision);
    return { value: value as Value, ...(variant !== undefined ? { variant } : {}), reason: matchReason(decision), flagMetadata: metadata, displayed: true };
  };

  if (decision.offer === undefined && decision.otherContent) {
    return fail("PARSE_ERROR", `mbox ${JSON.stringify(mbox)} delivered content that is not a JSON offer (HTML or a redirect), which cannot be read as flags`, metadata);
  }

  // The whole offer, as an object flag: with a spec, exactly what asObject() gives.
  if (key === undefined) {
    if (type !== "object" && type !== "any") return fail("TYPE_MISMATCH", `flag ${JSON.stringify(flagKey)} names the whole offer of mbox ${JSON.stringify(mbox)}, an object: ask for it as an object, or name one key ("${mbox}.<key>")`, metadata, delivered);
    if (!spec) return delivered ? found(decision.offer, true) : { value: defaultValue, reason: "DEFAULT", flagMetadata: metadata, displayed: false };
    const offer: Record<string, unknown> = {};
    for (const attribute of spec.attributes) {
      const { value } = resolveAttribute(attribute, decision.offer ?? {});
      if (value !== undefined) Object.defineProperty(offer, attribute[0], { value, enumerable: true, writable: true, configurable: true });
    }
    return found(offer, delivered);
  }

  const attribute = spec?.attributes.find(([name]) => name === key);
  if (attribute) {
    const resolution = resolveAttribute(attribute, decision.offer ?? {});
    if (resolution.fallback === undefined) return found(resolution.value, true);
    if (resolution.fallback === "invalid") {
      const expected = attribute[4] !== undefined ? `: expected ${attribute[4]}` : "";
      return fail("TYPE_MISMATCH", `Target's value for flag ${JSON.stringify(flagKey)} (${excerpt(resolution.rejected)}) does not match its schema${expected}`, metadata, true);
    }
    // missing: no activity for the visitor, or an offer without the key; the schema's default applies.
    return resolution.value === undefined ? { value: defaultValue, reason: "DEFAULT", flagMetadata: metadata, displayed: delivered } : found(resolution.value, false);
  }
  if (spec) return fail("FLAG_NOT_FOUND", `mbox ${JSON.stringify(mbox)} has no key ${JSON.stringify(key)} in its schema`, metadata, delivered);
  if (delivered && Object.hasOwn(decision.offer!, key)) return found(decision.offer![key], true);
  const { knownKeys } = input;
  if (knownKeys !== undefined && !knownKeys.has(key)) return fail("FLAG_NOT_FOUND", `no offer of mbox ${JSON.stringify(mbox)} has a key ${JSON.stringify(key)}`, metadata, delivered);
  if (!delivered || knownKeys !== undefined) return { value: defaultValue, reason: "DEFAULT", flagMetadata: metadata, displayed: delivered };
  return fail("FLAG_NOT_FOUND", `Target's offer for mbox ${JSON.stringify(mbox)} has no key ${JSON.stringify(key)}`, metadata, true);
}
