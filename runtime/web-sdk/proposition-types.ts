/**
 * Propositions as Adobe's Experience Platform Web SDK (`@adobe/alloy`) and the Edge Network
 * deliver them (TARGET-PROTOCOL.md has the Delivery API; these are the Edge Network's words).
 * Declared structurally and loosely: a proposition from any Web SDK version, a recorded payload
 * or a hand-written test fixture fits, and nothing of it is trusted before it is checked.
 */

/** The schema of a Target JSON offer item. */
export const JSON_CONTENT_ITEM_SCHEMA = "https://ns.adobe.com/personalization/json-content-item";

/** The `decisionProvider` of Target's propositions (others: `AJO`, `ODE`). */
export const TARGET_DECISION_PROVIDER = "TGT";

/** The event type of a display event (alloy's `DISPLAY` in `constants/eventType.js`). */
export const DISPLAY_EVENT_TYPE = "decisioning.propositionDisplay";

/** What a proposition says about its decision: for Target, the activity, experience and event token. */
export interface ScopeDetails {
  /** `TGT` for Target. */
  decisionProvider?: string;
  activity?: { id?: string | number; [key: string]: unknown };
  experience?: { id?: string | number; [key: string]: unknown };
  strategies?: unknown[];
  characteristics?: { eventToken?: string; scopeType?: string; [key: string]: unknown };
  correlationID?: string;
  [key: string]: unknown;
}

/** One item of a proposition. Target JSON offers have schema `json-content-item` and the offer in `data.content`. */
export interface PropositionItem {
  id?: string;
  schema?: string;
  /** Target's response tokens (`activity.name`, `experience.name`, `offer.id`, …). */
  meta?: Record<string, unknown>;
  data?: { id?: string; format?: string; content?: unknown; [key: string]: unknown };
  [key: string]: unknown;
}

/** One proposition: the decision of one activity for one scope (for Target, one mbox). */
export interface Proposition {
  id?: string;
  /** For Target, the mbox name. */
  scope?: string;
  scopeDetails?: ScopeDetails;
  items?: PropositionItem[];
  /** Set by the Web SDK: whether it rendered (and so notified) the proposition itself. */
  renderAttempted?: boolean;
  [key: string]: unknown;
}

/** One entry of an Edge Network response's `handle` array. */
export interface EdgeHandle {
  type?: string;
  payload?: unknown[];
  eventIndex?: number;
  [key: string]: unknown;
}

/** An Edge Network response body (`/ee/v1/interact`, `/ee/v2/interact`). */
export interface EdgeResponseBody {
  requestId?: string;
  handle?: EdgeHandle[];
  errors?: unknown[];
  warnings?: unknown[];
  [key: string]: unknown;
}

/**
 * What `propositionsProvider` reads: a Web SDK `sendEvent` result (`{ propositions }`), its
 * `propositions` array, an Edge Network response body (`{ handle }`), a `personalization:decisions`
 * handle, a list of handles, or the handle's `payload` array of propositions.
 */
export type PropositionsInput =
  | { propositions?: readonly Proposition[] | undefined; [key: string]: unknown }
  | EdgeResponseBody
  | EdgeHandle
  | readonly (Proposition | EdgeHandle)[];
