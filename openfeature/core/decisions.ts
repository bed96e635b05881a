/**
 * What Target decided for each mbox of one call, read from the Delivery API response: the merged
 * JSON offer (as `getAttributes` merges it), the event tokens a display notification needs, and
 * the response tokens that name the activity and experience. Plain data, JSON-serializable, so
 * that a server can hand it to a browser.
 */
import { createAttributesProvider, type DeliveryResponse, type MboxResponse, type TargetResponseEnvelope } from "@mboxgen/runtime";

/** Target's decision for one mbox. */
export interface MboxDecision {
  /** The mbox's JSON offers merged into one object, or `undefined` when it delivered none. */
  offer: Record<string, unknown> | undefined;
  /** Whether options other than JSON offers came (HTML, redirects): they cannot be read as flags. */
  otherContent: boolean;
  /** Event tokens of the delivered options, for the display notification. */
  eventTokens: string[];
  /** Response tokens of the first option: `activity.id`, `experience.name`, … */
  responseTokens: Record<string, unknown>;
}

/** The decisions of one call, by mbox name; the visitor ids Target answered with. */
export interface CallDecisions {
  mboxes: Record<string, MboxDecision>;
  /** `id` of the response (the tntId Target assigned a new visitor). */
  visitor: Record<string, unknown>;
  /** Where Target decided: `server-side` or `on-device`. */
  decisioningMethod: string;
  /** The `mbox` cookie Target asks the visitor's browser to keep. */
  targetCookie?: { name: string; value: string; maxAge: number };
}

const NO_DECISION: MboxDecision = Object.freeze({ offer: undefined, otherContent: false, eventTokens: [], responseTokens: {} });

/** The decisions in a `getOffers` envelope for `mboxNames` (prefetch and execute sections). */
export function decisionsOf(envelope: TargetResponseEnvelope, mboxNames: readonly string[]): CallDecisions {
  const response = (envelope.response ?? {}) as DeliveryResponse;
  const attributes = createAttributesProvider(envelope);
  const mboxes: Record<string, MboxDecision> = Object.create(null);
  const byName = new Map<string, MboxResponse[]>();
  for (const section of [response.prefetch, response.execute]) {
    for (const mbox of Array.isArray(section?.mboxes) ? section.mboxes : []) {
      const name = String(mbox?.name);
      byName.set(name, [...(byName.get(name) ?? []), mbox]);
    }
  }
  for (const name of mboxNames) {
    const options = (byName.get(name) ?? []).flatMap((mbox) => (Array.isArray(mbox.options) ? mbox.options : []));
    if (options.length === 0) {
      mboxes[name] = NO_DECISION;
      continue;
    }
    const json = options.filter((option) => option?.type === "json" && typeof option.content === "object" && option.content !== null);
    const first = options[0]!;
    mboxes[name] = {
      offer: json.length > 0 ? attributes.asObject(name) : undefined,
      otherContent: json.length < options.length,
      eventTokens: options.flatMap((option) => (typeof option?.eventToken === "string" ? [option.eventToken] : [])),
      responseTokens: typeof first.responseTokens === "object" && first.responseTokens !== null ? { ...first.responseTokens } : {},
    };
  }
  const meta = (envelope as { meta?: { decisioningMethod?: unknown } }).meta;
  const cookie = envelope.targetCookie;
  return {
    mboxes,
    visitor: typeof response.id === "object" && response.id !== null ? { ...(response.id as Record<string, unknown>) } : {},
    decisioningMethod: typeof meta?.decisioningMethod === "string" ? meta.decisioningMethod : "server-side",
    ...(cookie && typeof cookie.value === "string" ? { targetCookie: { name: cookie.name, value: cookie.value, maxAge: cookie.maxAge } } : {}),
  };
}
