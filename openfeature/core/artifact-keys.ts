/**
 * The keys of each mbox's JSON offers in a rules artifact: on-device, which keys exist is known,
 * so a key the visitor's offer leaves out is DEFAULT and one no offer has is FLAG_NOT_FOUND.
 */
import type { DecisioningArtifact } from "@mboxgen/runtime/on-device";

type Rules = Record<string, unknown[]>;

/** An artifact's mbox rules. */
export const mboxRulesOf = (artifact: DecisioningArtifact): Rules => ((artifact.rules as { mboxes?: Rules } | undefined)?.mboxes ?? {}) as Rules;

/** Adds the keys of the JSON offers of `rules` to `into`. */
export function offerKeys(rules: unknown[] | undefined, into: Set<string>): void {
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
  for (const [mbox, rules] of Object.entries(mboxRulesOf(artifact))) {
    const mboxKeys = new Set<string>();
    offerKeys(rules, mboxKeys);
    keys.set(mbox, mboxKeys);
  }
  return keys;
}

/** Caches an artifact's keys per artifact, for a client whose artifact changes when polled. */
export class ArtifactKeys {
  private readonly byArtifact = new WeakMap<object, Map<string, Set<string>>>();

  /** The keys of `mbox` in the client's artifact now, or `undefined` without an artifact (remote). */
  of(artifact: DecisioningArtifact | undefined, mbox: string): ReadonlySet<string> | undefined {
    if (artifact === undefined) return undefined;
    let keys = this.byArtifact.get(artifact);
    if (!keys) this.byArtifact.set(artifact, (keys = offerKeysByMbox(artifact)));
    return keys.get(mbox) ?? new Set();
  }
}
