/**
 * `mboxgen offers check`'s verdicts: each authored JSON offer against its mbox's schema, with the
 * checks the generated accessors apply (the same validators, defaults and expectations, printed
 * as JavaScript from the same IR and run through the runtime's `resolveAttribute`), so the report
 * says exactly what a visitor of that experience would get: Target's value, or the default.
 */
import * as runtime from "@mboxgen/runtime";
import type { AttributeSpec } from "@mboxgen/runtime";
import { emitCheckScript } from "../emit/mbox-module.js";
import type { DefinitionIr, MboxIr, TypeIr } from "../ir.js";
import { toJsonPointer } from "../json-document.js";
import { locateMismatch } from "./mismatch.js";
import type { ActivityStatus, AuthoredActivity, AuthoredOffers, AuthoredServing } from "./authored-offers.js";

/** One mbox's checks: its schema file and the generated attribute specs. */
export interface SchemaCheck {
  mbox: string;
  sourcePath: string;
  attributes: readonly AttributeSpec[];
  /** Keys the schema lists in `required`. */
  required: ReadonlySet<string>;
  /** Each key's type and the schema's definitions, to say where inside a value it fails. */
  types: ReadonlyMap<string, TypeIr>;
  definitions: ReadonlyMap<string, DefinitionIr>;
}

/** The generated checks of every mbox, by mbox name. */
export function compileSchemaChecks(irs: readonly MboxIr[]): Map<string, SchemaCheck> {
  const checks = new Map<string, SchemaCheck>();
  const helpers = runtime as unknown as Record<string, unknown>;
  for (const ir of irs) {
    const script = emitCheckScript(ir);
    // Generated code, the same the module holds: schema text reaches it as string literals only.
    const specs = new Function(...script.helpers, script.body)(...script.helpers.map((name) => helpers[name])) as AttributeSpec[];
    checks.set(ir.mbox, {
      mbox: ir.mbox,
      sourcePath: ir.sourcePath,
      attributes: specs,
      required: new Set(ir.attributes.filter((attribute) => attribute.required).map((attribute) => attribute.key)),
      types: new Map(ir.attributes.map((attribute) => [attribute.key, attribute.type])),
      definitions: ir.definitions,
    });
  }
  return checks;
}

/** One key of an offer that a visitor would not get as authored. */
export interface KeyViolation {
  /** The key, or `""` when the offer itself is not a JSON object. */
  key: string;
  /** What the schema requires, in words (`an integer ≥ 1`), or `present` for a required key the offer lacks. */
  rule: string;
  /** The authored value (absent for a missing key). */
  value?: unknown;
  /** What the accessor returns instead: the default, or `undefined` when the key has none. */
  fallback: unknown;
  /**
   * For a value that fails deeper inside (an object's key, an array's item): the deepest place,
   * as a JSON pointer from the offer's root, what the schema wants there and the value found
   * (absent when a required key is missing there).
   */
  inside?: { pointer: string; rule: string; value?: unknown };
}

/** Checks one offer's content; an empty list means every key passes. Never throws. */
export function checkOffer(check: SchemaCheck, content: unknown): KeyViolation[] {
  if (!runtime.isJsonObject(content)) return [{ key: "", rule: "a JSON object (the offer's content)", value: content, fallback: undefined }];
  const violations: KeyViolation[] = [];
  for (const attribute of check.attributes) {
    const resolution = runtime.resolveAttribute(attribute, content);
    if (resolution.fallback === "invalid") {
      const violation: KeyViolation = { key: attribute[0], rule: attribute[4] ?? "a value the schema allows", value: resolution.rejected, fallback: resolution.value };
      const inside = insideOf(check, attribute[0], resolution.rejected);
      violations.push(inside ? { ...violation, inside } : violation);
    } else if (resolution.fallback === "missing" && check.required.has(attribute[0])) violations.push({ key: attribute[0], rule: "present (the schema requires it)", fallback: resolution.value });
  }
  return violations;
}

// The deepest place inside a failing value, when it is deeper than the key. Explanations only: never throws.
function insideOf(check: SchemaCheck, key: string, value: unknown): KeyViolation["inside"] {
  const type = check.types.get(key);
  if (type === undefined) return undefined;
  try {
    const mismatch = locateMismatch(type, value, check.definitions);
    if (mismatch === undefined || mismatch.path.length === 0) return undefined;
    const pointer = toJsonPointer([key, ...mismatch.path]);
    return "value" in mismatch ? { pointer, rule: mismatch.rule, value: mismatch.value } : { pointer, rule: mismatch.rule };
  } catch {
    return undefined;
  }
}

/** How much a finding matters: errors fail the run. */
export type Severity = "error" | "warning";

/** One authored offer on one mbox, checked. */
export interface OfferResult {
  activity: AuthoredActivity;
  experience: AuthoredServing["experience"];
  mbox: string;
  offer: { id: number; name: string | undefined };
  /** `pass`, `fail`, or `unchecked` (no schema for the mbox, or the offer could not be read). */
  verdict: "pass" | "fail" | "unchecked";
  /** For a failure: `error` when visitors see it (live, scheduled), else `warning` unless inactive activities count as errors. */
  severity?: Severity;
  violations: KeyViolation[];
  /** Why it was not checked. */
  note?: string;
}

/** The whole report. */
export interface OfferCheckReport {
  tenant: string;
  schemas: string;
  results: OfferResult[];
  /** Mboxes that activities serve JSON offers to and that have no schema: listed, not ignored. */
  mboxesWithoutSchema: Array<{ mbox: string; offers: number[]; activities: number[] }>;
  /** Activities of types that deliver no JSON offers to mboxes. */
  skipped: AuthoredOffers["skipped"];
  /** What could not be read. */
  unread: AuthoredOffers["unread"];
  summary: { activities: number; offers: number; passed: number; errors: number; warnings: number; unchecked: number; unread: number };
}

/** Statuses whose visitors see the offer (now or when it starts). */
const VISIBLE: ReadonlySet<ActivityStatus> = new Set(["live", "scheduled"]);

/** Checks every authored JSON offer against its mbox's checks. */
export function checkAuthoredOffers(authored: AuthoredOffers, checks: ReadonlyMap<string, SchemaCheck>, options: { tenant: string; schemas: string; inactiveAsErrors: boolean }): OfferCheckReport {
  const results: OfferResult[] = [];
  const withoutSchema = new Map<string, { offers: Set<number>; activities: Set<number> }>();
  for (const serving of authored.servings) {
    if (serving.offer.type !== "json") continue;
    const base = { activity: serving.activity, experience: serving.experience, mbox: serving.mbox, offer: { id: serving.offer.id, name: serving.offer.name } };
    const check = checks.get(serving.mbox);
    if (!check) {
      const entry = withoutSchema.get(serving.mbox) ?? { offers: new Set<number>(), activities: new Set<number>() };
      entry.offers.add(serving.offer.id);
      entry.activities.add(serving.activity.id);
      withoutSchema.set(serving.mbox, entry);
      results.push({ ...base, verdict: "unchecked", violations: [], note: `mbox "${serving.mbox}" has no schema in ${options.schemas}` });
      continue;
    }
    if (!("content" in serving.offer)) {
      results.push({ ...base, verdict: "unchecked", violations: [], note: "the offer could not be read" });
      continue;
    }
    const violations = checkOffer(check, serving.offer.content);
    if (violations.length === 0) results.push({ ...base, verdict: "pass", violations });
    else results.push({ ...base, verdict: "fail", severity: VISIBLE.has(serving.activity.status) || options.inactiveAsErrors ? "error" : "warning", violations });
  }
  const count = (predicate: (result: OfferResult) => boolean) => results.filter(predicate).length;
  return {
    tenant: options.tenant,
    schemas: options.schemas,
    results,
    mboxesWithoutSchema: [...withoutSchema].sort(([left], [right]) => (left < right ? -1 : 1)).map(([mbox, entry]) => ({ mbox, offers: [...entry.offers].sort((a, b) => a - b), activities: [...entry.activities].sort((a, b) => a - b) })),
    skipped: authored.skipped,
    unread: authored.unread,
    summary: {
      activities: authored.activities.length,
      offers: results.length,
      passed: count((result) => result.verdict === "pass"),
      errors: count((result) => result.severity === "error"),
      warnings: count((result) => result.severity === "warning"),
      unchecked: count((result) => result.verdict === "unchecked"),
      unread: authored.unread.length,
    },
  };
}
