/**
 * What counts as a Delivery API response body (TARGET-PROTOCOL.md §6.1). A 2xx body that is not
 * one (a JSON array, a proxy's `{"error": ...}`) would read as "no offers" and make a broken
 * path look like an empty activity, so the client rejects it and generated accessors treat it as
 * a failed call (README "Differences"; Adobe's SDK resolves with an empty response).
 */
import { isJsonObject } from "../platform/json.js";

const RESPONSE_FIELDS = ["status", "requestId", "id", "client", "edgeHost", "execute", "prefetch", "notifications", "telemetryServerToken"];

function isMalformedSection(section: unknown): boolean {
  return section != null && (!isJsonObject(section) || (section.mboxes != null && !Array.isArray(section.mboxes)));
}

/** Why `body` is not a Delivery API response, or `undefined` when it is one. */
export function deliveryResponseProblem(body: unknown): string | undefined {
  if (!isJsonObject(body)) return "the body is not a JSON object";
  if (!RESPONSE_FIELDS.some((field) => body[field] != null)) return `the body has none of the Delivery API response fields (${RESPONSE_FIELDS.join(", ")})`;
  if (isMalformedSection(body.execute) || isMalformedSection(body.prefetch)) return "execute or prefetch is not an object with a mboxes array";
  return undefined;
}
