/**
 * Option checks with Adobe's messages (TARGET-PROTOCOL.md §2.5; `SDK/src/validators.js`,
 * `SDK/src/messages.js`). "Non-empty" follows Adobe's helpers: an object counts when at least one
 * of its values is defined, an array when at least one of its items is.
 */

// Adobe's validation messages, word for word, so that code matching on them keeps working.
// Plain constants rather than an object: the minifier can rename them (runtime size budget).
const OPTIONS_REQUIRED = "Options map is required";
const CLIENT_REQUIRED = "Client is required";
const ORG_ID_REQUIRED = "Organization Id is required";
const DECISIONING_METHOD_INVALID = "Invalid Decisioning Method.  Must be set to one of: on-device,server-side,hybrid";
const REQUEST_REQUIRED = "Request object is required";
const EXECUTE_FIELDS_REQUIRED = "Either pageLoad or mboxes is required in execute";
const PREFETCH_FIELDS_REQUIRED = "Either views, pageLoad or mboxes is required in prefetch";
const NOTIFICATIONS_REQUIRED = "Notifications array is required in request";

/** Adobe's `isNonEmptyObject`: a non-array, non-boxed object with at least one defined value. */
export function isNonEmptyObject(value: unknown): value is Record<string, unknown> {
  if (typeof value !== "object" || value === null || Array.isArray(value)) return false;
  if (value instanceof String || value instanceof Number || value instanceof Boolean) return false;
  // Object.values without the array (this runs several times per call): own enumerable keys.
  for (const key in value) if (Object.hasOwn(value, key) && (value as Record<string, unknown>)[key] !== undefined) return true;
  return false;
}

/** Adobe's `isNonEmptyArray`: an array with at least one defined item. */
export function isNonEmptyArray(value: unknown): value is unknown[] {
  return Array.isArray(value) && value.some((item) => item !== undefined);
}

/** Adobe's `isNonEmptyString`. */
export function isNonEmptyString(value: unknown): value is string {
  return typeof value === "string" && value.length > 0;
}

/** The first problem with `TargetClient.create` options, or `undefined` (`validateClientOptions`). */
export function validateClientOptions(options: unknown): string | undefined {
  if (!isNonEmptyObject(options)) return OPTIONS_REQUIRED;
  if (!isNonEmptyString(options.client)) return CLIENT_REQUIRED;
  if (!isNonEmptyString(options.organizationId)) return ORG_ID_REQUIRED;
  const method = options.decisioningMethod;
  if (method !== undefined && method !== "server-side" && method !== "on-device" && method !== "hybrid") {
    return DECISIONING_METHOD_INVALID;
  }
  return undefined;
}

// Both calls first need options with a request.
function requestOf(options: unknown): Record<string, unknown> | string {
  if (!isNonEmptyObject(options)) return OPTIONS_REQUIRED;
  return isNonEmptyObject(options.request) ? options.request : REQUEST_REQUIRED;
}

/** The first problem with `getOffers` options, or `undefined` (`validateGetOffersOptions`). */
export function validateGetOffersOptions(options: unknown): string | undefined {
  const request = requestOf(options);
  if (typeof request === "string") return request;
  const { execute, prefetch } = request;
  if (isNonEmptyObject(execute) && execute.pageLoad === undefined && !isNonEmptyArray(execute.mboxes)) {
    return EXECUTE_FIELDS_REQUIRED;
  }
  if (
    isNonEmptyObject(prefetch) &&
    prefetch.pageLoad === undefined &&
    !isNonEmptyArray(prefetch.views) &&
    !isNonEmptyArray(prefetch.mboxes)
  ) {
    return PREFETCH_FIELDS_REQUIRED;
  }
  return undefined;
}

/** The first problem with `sendNotifications` options, or `undefined` (`validateSendNotificationsOptions`). */
export function validateSendNotificationsOptions(options: unknown): string | undefined {
  const request = requestOf(options);
  if (typeof request === "string") return request;
  return isNonEmptyArray(request.notifications) ? undefined : NOTIFICATIONS_REQUIRED;
}
