/**
 * An attributes provider over propositions, so that generated descriptors read the Web SDK's and
 * the Edge Network's Target JSON offers unchanged: `heroBanner.from(propositionsProvider(result))`.
 * Only Target's (`decisionProvider` `TGT`) JSON-content items count; they merge per mbox exactly as
 * the Delivery API's JSON options do in Adobe's `getAttributes` (in Adobe's order, last wins), so
 * the same offers give the same values on every path. Which propositions were read is recorded
 * for `sendDisplay`.
 */
import { mergeContent, shallowCopy, type MboxAttributes } from "../delivery-api/attributes-provider.js";
import { TargetResponseError } from "../platform/errors.js";
import { isJsonObject } from "../platform/json.js";
import {
  JSON_CONTENT_ITEM_SCHEMA,
  TARGET_DECISION_PROVIDER,
  type EdgeHandle,
  type Proposition,
  type PropositionsInput,
} from "./proposition-types.js";

const DECISIONS_HANDLE = "personalization:decisions";

/** The activity and experience of one Target proposition of a mbox, for analytics. */
export interface TargetDecision {
  /** The mbox (the proposition's scope). */
  mbox: string;
  /** The proposition's id (`AT:…`), as the display event names it. */
  propositionId: string | undefined;
  /** The activity: id from `scopeDetails`, name from Target's response tokens when sent. */
  activity: { id: string | undefined; name?: string };
  /** The experience: id from `scopeDetails`, name from Target's response tokens when sent. */
  experience: { id: string | undefined; name?: string };
  /** The JSON offers of the proposition: id and, when sent, name. */
  offers: Array<{ id: string | undefined; name?: string }>;
  /** Target's event token for this decision. */
  eventToken: string | undefined;
  /** Target's response tokens of the proposition's JSON items, merged. */
  responseTokens: Record<string, unknown>;
}

/**
 * Adobe's `AttributesProvider` over propositions (same `getValue` and `asObject` results as the
 * Delivery API's provider for the same offers), plus what the propositions say about Target's
 * decisions. Reading a mbox (`asObject`, `getValue`, a generated `from`) marks its propositions
 * as read, for `sendDisplay`.
 *
 * @example
 * ```ts
 * const result = await alloy("sendEvent", { decisionScopes: ["hero-banner"] });
 * const provider = propositionsProvider(result);
 * const hero = heroBanner.from(provider);
 * hero.title(); // typed, validated, defaulted
 * await sendDisplay(alloy, provider); // one display event for what was read
 * ```
 */
export interface PropositionsProvider {
  /**
   * The value of `key` in the merged Target JSON offers of `mbox`. As Adobe's SDK, a missing mbox
   * or key **returns** `Error("Attribute '<key>' does not exist for mbox '<mbox>'")`; so does
   * every key when the input was not propositions (with the reason).
   */
  getValue(mbox: string, key: string): unknown;
  /** A shallow copy of the merged offer of `mbox` (`{}` when none). Throws the read error when the input was not propositions. */
  asObject(mbox: string): MboxAttributes;
  /** A shallow copy of every mbox's merged offer, in Adobe's order. Throws the read error when the input was not propositions. */
  asObject(): Record<string, MboxAttributes>;
  /** Same as `asObject()`, so `JSON.stringify(provider)` gives the map. */
  toJSON(): Record<string, MboxAttributes>;
  /** The Target propositions with JSON offers, of `mbox` or of all mboxes, in Adobe's order. Marks nothing as read. */
  getPropositions(mbox?: string): Proposition[];
  /** The activity and experience of each Target proposition of `mbox`, in Adobe's order. Marks nothing as read. */
  getDecisions(mbox: string): TargetDecision[];
  /** `undefined`, or why the input could not be read as propositions (a rejected `sendEvent`'s error, for example). */
  readonly error: unknown;
}

/** What `sendDisplay` needs of a provider: which propositions were read, and the call's context. */
export interface DisplayState {
  /** Target propositions read so far, in reading order (original objects, for identity). */
  readonly read: Set<Proposition>;
  /** The Edge Network call that delivered them, for a display event from the same visitor. */
  context: unknown;
}

const displayStates = new WeakMap<object, DisplayState>();

/** The display state of a provider made by `propositionsProvider` (or the Edge Network client), else `undefined`. */
export function displayStateOf(provider: unknown): DisplayState | undefined {
  return typeof provider === "object" && provider !== null ? displayStates.get(provider) : undefined;
}

function isHandle(value: unknown): value is EdgeHandle {
  return isJsonObject(value) && typeof value.type === "string" && Array.isArray(value.payload);
}

// The propositions an input holds, in order, or why it holds none.
function propositionsOf(input: unknown): { propositions: unknown[] } | { problem: unknown } {
  if (input instanceof Error) return { problem: input };
  if (Array.isArray(input)) {
    // A list of handles (an Edge response's `handle`) or the propositions themselves.
    if (input.length > 0 && input.every(isHandle)) return propositionsOf({ handle: input });
    return { propositions: input };
  }
  if (!isJsonObject(input)) return { problem: new TargetResponseError(undefined, undefined, `expected a Web SDK sendEvent result, propositions or an Edge Network response, got ${input === null ? "null" : typeof input}`) };
  if (Array.isArray(input.propositions)) return { propositions: input.propositions };
  // Web SDK versions before 2.7 returned only `decisions`.
  if (Array.isArray(input.decisions)) return { propositions: input.decisions };
  if (Array.isArray(input.handle)) {
    const propositions: unknown[] = [];
    for (const handle of input.handle) if (isHandle(handle) && handle.type === DECISIONS_HANDLE) propositions.push(...handle.payload!);
    return { propositions };
  }
  if (isHandle(input)) return { propositions: input.type === DECISIONS_HANDLE ? [...input.payload!] : [] };
  return { problem: new TargetResponseError(undefined, undefined, "the object has no propositions, decisions or handle (was personalization requested with decisionScopes?)") };
}

function isTargetProposition(value: unknown): value is Proposition & { scope: string } {
  return isJsonObject(value) && typeof value.scope === "string" && isJsonObject(value.scopeDetails) && value.scopeDetails.decisionProvider === TARGET_DECISION_PROVIDER;
}

// A JSON item's offer: an object as sent, or parsed from a JSON string; `undefined` when unreadable.
function offerOf(item: unknown): { content: unknown; meta: Record<string, unknown> } | undefined {
  if (!isJsonObject(item) || item.schema !== JSON_CONTENT_ITEM_SCHEMA || !isJsonObject(item.data)) return undefined;
  let content = item.data.content;
  if (typeof content === "string") {
    try {
      content = JSON.parse(content) as unknown;
    } catch {
      return undefined;
    }
  }
  if (content === undefined || content === null) return undefined;
  return { content, meta: isJsonObject(item.meta) ? item.meta : {} };
}

const idText = (value: unknown): string | undefined => (typeof value === "string" ? value : typeof value === "number" ? String(value) : undefined);
const named = <Shape extends object>(shape: Shape, name: unknown): Shape & { name?: string } => (typeof name === "string" ? { ...shape, name } : shape);

function decisionOf(proposition: Proposition & { scope: string }): TargetDecision {
  const details = proposition.scopeDetails!;
  const responseTokens: Record<string, unknown> = {};
  const offers: TargetDecision["offers"] = [];
  for (const item of proposition.items ?? []) {
    const offer = offerOf(item);
    if (!offer) continue;
    for (const key of Object.keys(offer.meta)) responseTokens[key] = offer.meta[key];
    offers.push(named({ id: idText(item.data?.id ?? item.id) }, offer.meta["offer.name"]));
  }
  return {
    mbox: proposition.scope,
    propositionId: idText(proposition.id),
    activity: named({ id: idText(details.activity?.id ?? responseTokens["activity.id"]) }, responseTokens["activity.name"]),
    experience: named({ id: idText(details.experience?.id ?? responseTokens["experience.id"]) }, responseTokens["experience.name"]),
    offers,
    eventToken: typeof details.characteristics?.eventToken === "string" ? details.characteristics.eventToken : undefined,
    responseTokens,
  };
}

/**
 * Creates an attributes provider over Target's JSON offers in propositions. Reads a Web SDK
 * `sendEvent` result, its `propositions` (or, before Web SDK 2.7, `decisions`) array, an Edge
 * Network response body or its `personalization:decisions` handles. Ignores propositions of
 * other decision providers, items of other schemas (`measurement`, HTML, DOM actions) and JSON
 * items whose content is neither an object nor a JSON string. Never throws: an input that is
 * not propositions (an `Error`, `undefined`) gives a provider whose reads fail with the reason,
 * so generated accessors fall back with reason `target-error`.
 *
 * @example
 * ```ts
 * const result = await alloy("sendEvent", { decisionScopes: ["hero-banner"] });
 * const hero = heroBanner.from(propositionsProvider(result));
 * ```
 */
export function propositionsProvider(input: PropositionsInput | Error | undefined | null): PropositionsProvider {
  const found = propositionsOf(input);
  const error = "problem" in found ? found.problem : undefined;
  // Null-prototype maps and setOwn (in mergeContent): mbox and key names are data.
  const indexed: Record<string, MboxAttributes> = Object.create(null);
  const byScope: Record<string, Array<Proposition & { scope: string }>> = Object.create(null);
  for (const proposition of "propositions" in found ? found.propositions : []) {
    if (!isTargetProposition(proposition)) continue;
    const offers = (Array.isArray(proposition.items) ? proposition.items : []).map(offerOf).filter((offer) => offer !== undefined);
    if (offers.length === 0) continue;
    const scope = proposition.scope;
    (byScope[scope] ??= []).push(proposition);
    for (const offer of offers) {
      // A new object per offer, as Adobe's provider: earlier asObject() copies never see later merges.
      const merged: MboxAttributes = {};
      const previous = indexed[scope];
      if (previous) mergeContent(merged, previous);
      mergeContent(merged, offer.content);
      indexed[scope] = merged;
    }
  }

  const state: DisplayState = { read: new Set(), context: undefined };
  const markRead = (mbox?: string) => {
    const scopes = mbox === undefined ? Object.keys(byScope) : Object.hasOwn(byScope, mbox) ? [mbox] : [];
    for (const scope of scopes) for (const proposition of byScope[scope]!) state.read.add(proposition);
  };
  const failIfUnreadable = () => {
    if (error !== undefined) throw error;
  };
  const asObject = (mbox?: string): Record<string, unknown> => {
    failIfUnreadable();
    markRead(mbox);
    if (mbox === undefined) return shallowCopy(indexed);
    const attributes = Object.hasOwn(indexed, mbox) ? indexed[mbox] : undefined;
    return attributes ? shallowCopy(attributes) : {};
  };
  const provider: PropositionsProvider = {
    getValue(mbox: string, key: string): unknown {
      if (error !== undefined) return new Error(`Attribute '${key}' does not exist for mbox '${mbox}': ${(error as Error)?.message ?? String(error)}`);
      markRead(mbox);
      const attributes = Object.hasOwn(indexed, mbox) ? indexed[mbox] : undefined;
      if (!attributes || !Object.hasOwn(attributes, key)) return new Error(`Attribute '${key}' does not exist for mbox '${mbox}'`);
      return attributes[key];
    },
    asObject: asObject as PropositionsProvider["asObject"],
    toJSON: () => asObject() as Record<string, MboxAttributes>,
    getPropositions(mbox?: string): Proposition[] {
      if (mbox !== undefined) return Object.hasOwn(byScope, mbox) ? [...byScope[mbox]!] : [];
      return Object.values(byScope).flat();
    },
    getDecisions(mbox: string): TargetDecision[] {
      return Object.hasOwn(byScope, mbox) ? byScope[mbox]!.map(decisionOf) : [];
    },
    error,
  };
  displayStates.set(provider, state);
  return provider;
}
