/**
 * Which flag keys a new rules artifact may change: for every mbox whose rules differ, the mbox
 * (its whole-offer flag) and each key its offers or its schema have, old and new. What a visitor
 * gets depends on more than the rules of one mbox only through the global mbox and views, which
 * feature flags do not read.
 */
import type { MboxSpec } from "@mboxgen/runtime";
import type { DecisioningArtifact } from "@mboxgen/runtime/on-device";

type Rules = Record<string, unknown[]>;

const rulesOf = (artifact: DecisioningArtifact): Rules => ((artifact.rules as { mboxes?: Rules } | undefined)?.mboxes ?? {}) as Rules;

function offerKeys(rules: unknown[] | undefined, into: Set<string>): void {
  for (const rule of rules ?? []) {
    const options = (rule as { consequence?: { options?: Array<{ type?: unknown; content?: unknown }> } }).consequence?.options ?? [];
    for (const option of options) {
      if (option?.type === "json" && typeof option.content === "object" && option.content !== null && !Array.isArray(option.content)) for (const key of Object.keys(option.content)) into.add(key);
    }
  }
}

/** The keys of each mbox's JSON offers in an artifact. */
export function offerKeysByMbox(artifact: DecisioningArtifact): Map<string, Set<string>> {
  const keys = new Map<string, Set<string>>();
  for (const [mbox, rules] of Object.entries(rulesOf(artifact))) {
    const mboxKeys = new Set<string>();
    offerKeys(rules, mboxKeys);
    keys.set(mbox, mboxKeys);
  }
  return keys;
}

/** The flag keys whose values may differ between two artifacts, sorted. */
export function changedFlagKeys(previous: DecisioningArtifact, next: DecisioningArtifact, specs: ReadonlyMap<string, MboxSpec<string>>): string[] {
  const before = rulesOf(previous);
  const after = rulesOf(next);
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
