/**
 * Which flag keys a new rules artifact may change: for every mbox whose rules differ, the mbox
 * (its whole-offer flag) and each key its offers or its schema have, old and new. What a visitor
 * gets depends on more than the rules of one mbox only through the global mbox and views, which
 * feature flags do not read.
 */
import type { MboxSpec } from "@mboxgen/runtime";
import type { DecisioningArtifact } from "@mboxgen/runtime/on-device";
import { mboxRulesOf, offerKeys } from "../core/artifact-keys.js";

/** The flag keys whose values may differ between two artifacts, sorted. */
export function changedFlagKeys(previous: DecisioningArtifact, next: DecisioningArtifact, specs: ReadonlyMap<string, MboxSpec<string>>): string[] {
  const before = mboxRulesOf(previous);
  const after = mboxRulesOf(next);
  const changed = new Set<string>();
  for (const mbox of new Set([...Object.keys(before), ...Object.keys(after)])) {
    if (JSON.stringify(before[mbox]) === JSON.stringify(after[mbox])) continue;
    const keys = new Set<string>(specs.get(mbox)?.attributes.map(([key]) => key) ?? []);
    offerKeys(before[mbox], keys);
    offerKeys(after[mbox], keys);
    changed.add(mbox);
    for (const key of keys) changed.add(`${mbox}.${key}`);
  }
  return [...changed].sort();
}
