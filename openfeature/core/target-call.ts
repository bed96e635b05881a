/**
 * An OpenFeature evaluation context as a Target call: who the visitor is, the page, the device, and
 * the mbox parameters Target's audiences read. Reserved attributes map to the Delivery API fields
 * Target has for them (the table below, also in the README); every other top-level attribute
 * becomes an mbox parameter of each mbox evaluated, so `{ targetingKey, region: "eu" }` qualifies
 * for an activity whose audience is `region = eu`.
 *
 * | attribute | Target |
 * | --- | --- |
 * | `targetingKey` | `id.tntId` (or the id the `visitorId` option names) |
 * | `tntId`, `thirdPartyId`, `marketingCloudVisitorId` (`ecid`) | `id.*` |
 * | `customerIds` (`{ code: id }` or `{ code: { id, authState } }`) | `id.customerIds` |
 * | `url`, `referrer` | `context.address.url`, `.referringUrl` |
 * | `userAgent`, `channel` (`web` or `mobile`) | `context.userAgent`, `context.channel` |
 * | `ipAddress`, `geo` (`{ city, countryCode, stateCode, latitude, longitude }`) | `context.geo` |
 * | `targetCookie` (the `mbox` cookie), `visitorCookie` (AMCV), `sessionId`, `locationHint` | the call's options |
 * | `propertyToken` | `property.token` (Target workspaces) |
 * | `profile` (an object) | `profileParameters` of each mbox |
 * | anything else | `parameters` of each mbox |
 *
 * Target takes parameters as strings: numbers and booleans become their text, a `Date` its ISO
 * form, an array of primitives its items joined by commas, a nested object one parameter per leaf
 * (`address.city`). What has no string form (`null`, a non-finite number, a nested array) is left
 * out and reported in `problems`, never dropped silently.
 */
import type { CustomerIdInput, DeliveryRequest, GetOffersOptions } from "@mboxgen/runtime";

/** An evaluation context as OpenFeature gives it (structurally; no SDK import here). */
export type EvaluationContextLike = Readonly<Record<string, unknown>>;

/** Which `id` field `targetingKey` fills. */
export type VisitorIdField = "tntId" | "thirdPartyId" | "marketingCloudVisitorId";

/** A Target call for a context, without its mboxes; `key` is equal for calls Target answers alike. */
export interface TargetCall {
  /** The request without `execute`/`prefetch`. */
  request: DeliveryRequest;
  /** The call's options besides `request`. */
  options: Omit<GetOffersOptions, "request" | "decisioningMethod">;
  /** Mbox parameters of every mbox of the call. */
  parameters: Record<string, string>;
  /** Profile parameters of every mbox of the call. */
  profileParameters: Record<string, string>;
  /** Attributes (or parts of them) that have no form Target takes, each with the reason. */
  problems: string[];
  /** Equal for two contexts that make the same Target call. */
  key: string;
}

/** The attributes this mapping reads itself; all others are mbox parameters. */
export const RESERVED_ATTRIBUTES: ReadonlySet<string> = new Set([
  "targetingKey",
  "tntId",
  "thirdPartyId",
  "marketingCloudVisitorId",
  "ecid",
  "customerIds",
  "url",
  "referrer",
  "userAgent",
  "channel",
  "ipAddress",
  "geo",
  "targetCookie",
  "visitorCookie",
  "sessionId",
  "locationHint",
  "propertyToken",
  "profile",
]);

const GEO_FIELDS = ["city", "countryCode", "stateCode", "latitude", "longitude", "ipAddress"] as const;

const isRecord = (value: unknown): value is Record<string, unknown> => typeof value === "object" && value !== null && !Array.isArray(value) && !(value instanceof Date);

/** The text Target gets for a parameter value, or why there is none. */
function parameterText(value: unknown): { text: string } | { problem: string } {
  if (typeof value === "string") return { text: value };
  if (typeof value === "boolean") return { text: String(value) };
  if (typeof value === "number") return Number.isFinite(value) ? { text: String(value) } : { problem: `${value} is not a finite number` };
  if (value instanceof Date) return Number.isNaN(value.getTime()) ? { problem: "an invalid Date" } : { text: value.toISOString() };
  if (Array.isArray(value)) {
    const parts: string[] = [];
    for (const item of value) {
      const part = typeof item === "object" && item !== null && !(item instanceof Date) ? undefined : parameterText(item);
      if (part === undefined || "problem" in part) return { problem: "an array with items that are not strings, numbers, booleans or dates" };
      parts.push(part.text);
    }
    return { text: parts.join(",") };
  }
  if (value === null) return { problem: "null has no text" };
  return { problem: `a ${typeof value} has no text` };
}

/** Adds `value` under `name` as Target parameters (flattening objects into `name.leaf`), recording in `problems` what cannot go. */
export function addParameters(into: Record<string, string>, name: string, value: unknown, problems: string[], depth = 0): void {
  if (value === undefined) return;
  if (isRecord(value)) {
    if (depth >= 8) {
      problems.push(`"${name}": nested more than 8 levels`);
      return;
    }
    for (const key of Object.keys(value)) addParameters(into, `${name}.${key}`, value[key], problems, depth + 1);
    return;
  }
  const text = parameterText(value);
  if ("problem" in text) problems.push(`"${name}": ${text.problem}, so it is not sent to Target`);
  else Object.defineProperty(into, name, { value: text.text, enumerable: true, writable: true, configurable: true });
}

function stringOf(value: unknown): string | undefined {
  return typeof value === "string" && value !== "" ? value : typeof value === "number" && Number.isFinite(value) ? String(value) : undefined;
}

function customerIdsOf(value: unknown, problems: string[]): Record<string, CustomerIdInput> | undefined {
  if (value === undefined) return undefined;
  if (!isRecord(value)) {
    problems.push('"customerIds": expected an object of integration code → id or { id, authState }');
    return undefined;
  }
  const ids: Record<string, CustomerIdInput> = {};
  for (const [code, entry] of Object.entries(value)) {
    if (typeof entry === "string") ids[code] = entry;
    else if (isRecord(entry) && typeof entry.id === "string") ids[code] = entry as unknown as CustomerIdInput;
    else problems.push(`"customerIds.${code}": expected an id string or { id, authState }`);
  }
  return Object.keys(ids).length > 0 ? ids : undefined;
}

/**
 * The Target call for an evaluation context.
 *
 * @example
 * ```ts
 * targetCallOf({ targetingKey: "visitor-1", url: "https://shop.example/", region: "eu" }).parameters; // { region: "eu" }
 * ```
 */
export function targetCallOf(context: EvaluationContextLike, visitorId: VisitorIdField = "tntId"): TargetCall {
  const problems: string[] = [];
  const id: Record<string, string> = {};
  const targetingKey = stringOf(context.targetingKey);
  if (targetingKey !== undefined) id[visitorId] = targetingKey;
  for (const field of ["tntId", "thirdPartyId", "marketingCloudVisitorId"] as const) {
    const value = stringOf(context[field]);
    if (value !== undefined) id[field] = value;
  }
  const ecid = stringOf(context.ecid);
  if (ecid !== undefined) id.marketingCloudVisitorId ??= ecid;

  const channel = context.channel === "mobile" ? "mobile" : "web";
  if (context.channel !== undefined && context.channel !== "web" && context.channel !== "mobile") problems.push(`"channel": ${JSON.stringify(context.channel)} is not "web" or "mobile", so "web" is sent`);
  const requestContext: NonNullable<DeliveryRequest["context"]> = { channel };
  const url = stringOf(context.url);
  const referrer = stringOf(context.referrer);
  if (url !== undefined || referrer !== undefined) requestContext.address = { ...(url !== undefined ? { url } : {}), ...(referrer !== undefined ? { referringUrl: referrer } : {}) };
  const userAgent = stringOf(context.userAgent);
  if (userAgent !== undefined) requestContext.userAgent = userAgent;
  const geo: Record<string, unknown> = {};
  if (isRecord(context.geo)) for (const field of GEO_FIELDS) if (context.geo[field] !== undefined) geo[field] = context.geo[field];
  const ipAddress = stringOf(context.ipAddress);
  if (ipAddress !== undefined) geo.ipAddress = ipAddress;
  if (Object.keys(geo).length > 0) requestContext.geo = geo as NonNullable<DeliveryRequest["context"]>["geo"];

  const request: DeliveryRequest = { context: requestContext };
  if (Object.keys(id).length > 0) request.id = id;
  const propertyToken = stringOf(context.propertyToken);
  if (propertyToken !== undefined) request.property = { token: propertyToken };

  const options: TargetCall["options"] = {};
  const customerIds = customerIdsOf(context.customerIds, problems);
  if (customerIds) options.customerIds = customerIds;
  const targetCookie = stringOf(context.targetCookie);
  if (targetCookie !== undefined) options.targetCookie = targetCookie;
  const visitorCookie = stringOf(context.visitorCookie);
  if (visitorCookie !== undefined) options.visitorCookie = visitorCookie;
  const sessionId = stringOf(context.sessionId);
  if (sessionId !== undefined) options.sessionId = sessionId;
  const locationHint = stringOf(context.locationHint);
  if (locationHint !== undefined) options.targetLocationHint = locationHint;

  const parameters: Record<string, string> = {};
  const profileParameters: Record<string, string> = {};
  for (const name of Object.keys(context).sort()) {
    if (name === "profile") {
      if (isRecord(context.profile)) for (const key of Object.keys(context.profile)) addParameters(profileParameters, key, context.profile[key], problems);
      else if (context.profile !== undefined) problems.push('"profile": expected an object of profile attributes');
      continue;
    }
    if (RESERVED_ATTRIBUTES.has(name)) continue;
    addParameters(parameters, name, context[name], problems);
  }
  const key = JSON.stringify([request, options, parameters, profileParameters]);
  return { request, options, parameters, profileParameters, problems, key };
}

/** Attributes that carry the visitor's continuity (its cookies and session), not what Target decides on. */
const CONTINUITY_ATTRIBUTES = ["targetCookie", "visitorCookie", "sessionId", "locationHint"] as const;

/**
 * What identifies the decisions a context gets: its Target call without the cookies, session and
 * location hint, which carry the same visitor from call to call (the server reads the `mbox` cookie
 * from the request, the browser from `document.cookie`: the same page either way).
 */
export function decisionKeyOf(context: EvaluationContextLike, visitorId: VisitorIdField = "tntId"): string {
  const decisive: Record<string, unknown> = {};
  for (const name of Object.keys(context)) if (!(CONTINUITY_ATTRIBUTES as readonly string[]).includes(name)) Object.defineProperty(decisive, name, { value: context[name], enumerable: true });
  return targetCallOf(decisive, visitorId).key;
}

