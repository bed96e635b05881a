/**
 * The Admin API's shapes, as Adobe's published OpenAPI description names them
 * (../shared/target-openapi/admin-api.json), reduced to the fields mboxgen reads. Every field is
 * optional and checked where it is read: responses may carry more, and fields it does not use
 * are left alone.
 */

/** Activity types as the list names them (`auto_allocate`) and their paths (`autoallocate`). */
export type ActivityType = "ab" | "xt" | "abt" | "auto_allocate" | "autoallocate";

/** An activity's API state. With its dates, what the UI shows: live, scheduled, ended, inactive, archived. */
export type ActivityState = "approved" | "saved" | "deactivated" | "deleted";

/** One entry of `GET /{tenant}/target/activities` (ActivityListDescription). */
export interface ActivityListDescription {
  id?: number;
  name?: string;
  type?: string;
  state?: string;
  startsAt?: string;
  endsAt?: string;
  lifetime?: { start?: string; end?: string };
  priority?: number;
  workspace?: string;
  modifiedAt?: string;
}

/** One entry of `GET /{tenant}/target/offers` (OfferListDescription). */
export interface OfferListDescription {
  id?: number;
  name?: string;
  type?: string;
  workspace?: string;
  modifiedAt?: string;
}

/** `GET /{tenant}/target/offers/json/{id}` (JsonOffer). */
export interface JsonOffer {
  id?: number;
  name?: string;
  content?: unknown;
  workspace?: string;
  modifiedAt?: string;
}
