/**
 * Flag keys: `"<mbox>.<key>"` names one attribute of an mbox's JSON offer, `"<mbox>"` alone the
 * whole offer (an object flag). Mbox names and attribute keys may both contain dots, so the known
 * mbox names decide where the mbox ends: the longest known name that is the flag key or prefixes it
 * with a dot wins (`"checkout.v2.flow"` with mbox `checkout.v2` known is key `flow` of
 * `checkout.v2`). A flag key no known name prefixes is read with `defaultMbox` (a key of that mbox)
 * when one is set, else as `<mbox up to the first dot>.<the rest>`.
 */

/** Which mbox and attribute a flag key names. */
export interface FlagAddress {
  mbox: string;
  /** The attribute key; `undefined` for the whole offer. */
  key: string | undefined;
}

/** Resolves flag keys against known mbox names; each key is resolved once. */
export class FlagKeys {
  private readonly known: readonly string[];
  private readonly resolved = new Map<string, FlagAddress>();

  /**
   * @param mboxNames mbox names whose flag keys are read by the longest-prefix rule
   * @param defaultMbox the mbox whose attribute a flag key names when no known mbox prefixes it
   */
  constructor(
    mboxNames: Iterable<string>,
    private readonly defaultMbox?: string | undefined,
  ) {
    // Longest first: the first match is the longest prefix.
    this.known = [...new Set(mboxNames)].sort((left, right) => right.length - left.length);
  }

  /** The mbox and attribute `flagKey` names. */
  resolve(flagKey: string): FlagAddress {
    let address = this.resolved.get(flagKey);
    if (!address) {
      address = this.read(flagKey);
      // A bounded memo: flag keys are few, but a caller may pass arbitrary ones.
      if (this.resolved.size < 10_000) this.resolved.set(flagKey, address);
    }
    return address;
  }

  private read(flagKey: string): FlagAddress {
    for (const mbox of this.known) {
      if (flagKey === mbox) return { mbox, key: undefined };
      if (flagKey.length > mbox.length + 1 && flagKey.startsWith(mbox) && flagKey[mbox.length] === ".") return { mbox, key: flagKey.slice(mbox.length + 1) };
    }
    if (this.defaultMbox !== undefined) return { mbox: this.defaultMbox, key: flagKey };
    const dot = flagKey.indexOf(".");
    return dot <= 0 || dot === flagKey.length - 1 ? { mbox: flagKey, key: undefined } : { mbox: flagKey.slice(0, dot), key: flagKey.slice(dot + 1) };
  }
}
