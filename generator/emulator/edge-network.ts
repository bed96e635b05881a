/**
 * The emulator's Edge Network: `POST /<base>[/<region>]/v1/interact` and `/v1/collect` (the Web
 * SDK's, an `events` array and `?configId=`) and `/v2/interact`, `/v2/collect` (the Server API's,
 * one `event` and `?dataStreamId=`). Decision scopes are decided by the emulator's own Delivery
 * API (the same activities, the same engine), with the visitor's ECID as its
 * `marketingCloudVisitorId`, so a visitor gets the same experience on every path. Target's JSON
 * options come back as `personalization:decisions` propositions shaped as Adobe documents them;
 * identity and region as `identity:result`, `locationHint:result` and `state:store` (the
 * `kndctr_<org>_identity` cookie holds the ECID as Adobe's protobuf, which the Web SDK decodes).
 * Display events are counted per proposition and, as impressions, per mbox.
 */
import { randomInt, randomUUID } from "node:crypto";
import type { IncomingHttpHeaders } from "node:http";

/** What the Edge Network endpoints served so far. */
export interface EdgeNetworkStats {
  /** Interact and collect requests answered (errors included). */
  requests: number;
  /** Events received in those requests. */
  events: number;
  /** Events that fetched decision scopes. */
  decisions: number;
  /** Events that reported a display (`decisioning.propositionDisplay`, or `propositionEventType.display`). */
  displayEvents: number;
  /** Display events by Target proposition id (`AT:…`): more than 1 means a proposition was counted twice. */
  displays: Record<string, number>;
}

/** What the Edge Network endpoints need from the emulator. */
export interface EdgeNetworkContext {
  /** Decides a Delivery API request body, as the emulator's `/rest/v1/delivery` does. */
  deliver(body: Record<string, any>, sessionId: string): Promise<Record<string, any>>;
  /** The organization whose `kndctr_*` cookies it writes (the Web SDK's `orgId`). */
  organizationId(): string;
  /** When set, the only datastream id it accepts. */
  datastreamId(): string | undefined;
  /** Counts an impression of a mbox (the emulator's `stats.impressions`). */
  countImpression(mbox: string): void;
  /** Where to count. */
  stats: EdgeNetworkStats;
}

/** An answer: status, JSON body (none for 204), headers. */
export interface EdgeAnswer {
  status: number;
  body?: unknown;
}

const JSON_CONTENT_ITEM = "https://ns.adobe.com/personalization/json-content-item";
const DISPLAY_EVENT_TYPE = "decisioning.propositionDisplay";
const PAGE_WIDE_SCOPE = "__view__";
const REGION = "emulator";
const IDENTITY_MAX_AGE = 34128000;
const CLUSTER_MAX_AGE = 1800;

/** The path of an Edge Network request, or `undefined` when the path is not one. */
export function edgePathOf(pathname: string): { version: "v1" | "v2"; action: "interact" | "collect" } | undefined {
  const match = /^\/[^/]+(?:\/[^/]+)?\/(v1|v2)\/(interact|collect)$/.exec(pathname);
  return match ? { version: match[1] as "v1" | "v2", action: match[2] as "interact" | "collect" } : undefined;
}

// Adobe's RFC 7807 problem body, as the Edge Network answers a bad request.
function problem(status: number, code: string, title: string, detail: string): EdgeAnswer {
  return { status, body: { type: `https://ns.adobe.com/aep/errors/${code}`, status, title, detail, report: { requestId: randomUUID() } } };
}

const isObject = (value: unknown): value is Record<string, any> => typeof value === "object" && value !== null && !Array.isArray(value);

/** A new ECID: 38 decimal digits, as Adobe mints them. */
function mintEcid(): string {
  let ecid = String(randomInt(1, 10));
  while (ecid.length < 38) ecid += String(randomInt(0, 10));
  return ecid;
}

/** The `kndctr_<org>_identity` value: Adobe's protobuf with the ECID as field 1, base64. */
export function identityCookieValue(ecid: string): string {
  const bytes = Buffer.from(ecid, "utf8");
  return Buffer.concat([Buffer.from([0x0a, bytes.length]), bytes]).toString("base64");
}

/** The ECID in a `kndctr_<org>_identity` value, or `undefined` when it holds none. */
export function ecidOfIdentityCookie(value: string): string | undefined {
  try {
    const bytes = Buffer.from(decodeURIComponent(value), "base64");
    if (bytes[0] !== 0x0a || bytes.length < 2 || bytes[1]! >= 0x80) return undefined;
    const ecid = bytes.subarray(2, 2 + bytes[1]!).toString("utf8");
    return /^\d{1,64}$/.test(ecid) ? ecid : undefined;
  } catch {
    return undefined;
  }
}

const cookieName = (organizationId: string, name: string) => `kndctr_${organizationId.replace("@", "_")}_${name}`;

// The visitor's kndctr_* cookies: from `meta.state.entries` (a third-party edge domain) or the Cookie header (a first-party one).
function visitorCookies(meta: unknown, headers: IncomingHttpHeaders): Map<string, string> {
  const cookies = new Map<string, string>();
  for (const part of (headers.cookie ?? "").split(";")) {
    const separator = part.indexOf("=");
    if (separator > 0) cookies.set(part.slice(0, separator).trim(), part.slice(separator + 1).trim());
  }
  const entries = isObject(meta) && isObject(meta.state) && Array.isArray(meta.state.entries) ? meta.state.entries : [];
  for (const entry of entries) if (isObject(entry) && typeof entry.key === "string" && typeof entry.value === "string") cookies.set(entry.key, entry.value);
  return cookies;
}

function ecidOf(events: Array<Record<string, any>>, cookies: Map<string, string>): { ecid: string | undefined; organizations: string[] } {
  for (const event of events) {
    const identity = event.xdm?.identityMap?.ECID;
    if (Array.isArray(identity) && typeof identity[0]?.id === "string" && identity[0].id !== "") return { ecid: identity[0].id, organizations: [] };
  }
  const organizations: string[] = [];
  let ecid: string | undefined;
  for (const [name, value] of cookies) {
    const match = /^kndctr_(.+)_identity$/.exec(name);
    if (!match) continue;
    organizations.push(match[1]!.replace("_AdobeOrg", "@AdobeOrg"));
    ecid ??= ecidOfIdentityCookie(value);
  }
  return { ecid, organizations };
}

// XDM in dot notation, as the Edge Network hands it to Target as mbox parameters (identities and decisioning excluded).
function flattenXdm(xdm: unknown, prefix: string, into: Record<string, string>): void {
  if (!isObject(xdm)) return;
  for (const key of Object.keys(xdm)) {
    if (prefix === "" && (key === "identityMap" || key === "_experience" || key === "timestamp")) continue;
    const value = xdm[key];
    const name = `${prefix}${key}`;
    if (isObject(value)) flattenXdm(value, `${name}.`, into);
    else if (typeof value === "string" || typeof value === "number" || typeof value === "boolean") into[name] = String(value);
  }
}

// Target QA links work through the page URL (at_preview_token, at_preview_index=<activity>_<experience>).
function qaModeOf(pageUrl: unknown): Record<string, unknown> | undefined {
  if (typeof pageUrl !== "string") return undefined;
  let url: URL;
  try {
    url = new URL(pageUrl);
  } catch {
    return undefined;
  }
  const token = url.searchParams.get("at_preview_token");
  if (!token) return undefined;
  const previewIndexes = url.searchParams
    .getAll("at_preview_index")
    .flatMap((value) => value.split(","))
    .map((pair) => /^(\d+)_(\d+)$/.exec(pair.trim()))
    .filter((match) => match !== null)
    .map((match) => ({ activityIndex: Number(match[1]), experienceIndex: Number(match[2]) }));
  return { token, ...(previewIndexes.length > 0 ? { previewIndexes } : {}), ...(url.searchParams.get("at_preview_listed_activities_only") === "true" ? { listedActivitiesOnly: true } : {}) };
}

const text = (value: unknown) => (typeof value === "number" ? String(value) : value);

// One Target option as a proposition, shaped as Adobe's Server API documentation shows it.
function propositionOf(scope: string, option: Record<string, any>): Record<string, unknown> {
  const tokens: Record<string, unknown> = isObject(option.responseTokens) ? option.responseTokens : {};
  const activityId = String(tokens["activity.id"] ?? "0");
  const experienceId = String(tokens["experience.id"] ?? "0");
  const offerId = String(tokens["offer.id"] ?? "0");
  const meta: Record<string, unknown> = {};
  for (const key of Object.keys(tokens)) meta[key] = text(tokens[key]);
  return {
    id: `AT:${Buffer.from(JSON.stringify({ activityId, experienceId })).toString("base64")}`,
    scope,
    scopeDetails: {
      decisionProvider: "TGT",
      activity: { id: activityId },
      experience: { id: experienceId },
      strategies: [{ algorithmID: "0", trafficType: "0" }],
      characteristics: { eventToken: option.eventToken },
      correlationID: `${activityId}:${experienceId}:0`,
    },
    items: [{ id: offerId, schema: JSON_CONTENT_ITEM, meta, data: { id: offerId, format: "application/json", content: option.content } }],
  };
}

function isDisplay(event: Record<string, any>): boolean {
  return event.xdm?.eventType === DISPLAY_EVENT_TYPE || event.xdm?._experience?.decisioning?.propositionEventType?.display === 1;
}

/**
 * Answers one Edge Network request. `search` is the URL's query, `rawBody` the request body as
 * text. Never throws: bad requests get Adobe's problem body.
 */
export async function answerEdgeNetwork(
  context: EdgeNetworkContext,
  path: { version: "v1" | "v2"; action: "interact" | "collect" },
  search: URLSearchParams,
  headers: IncomingHttpHeaders,
  rawBody: string,
): Promise<EdgeAnswer> {
  const { stats } = context;
  stats.requests += 1;
  const datastreamParameter = path.version === "v1" ? "configId" : "dataStreamId";
  const datastream = search.get(datastreamParameter) ?? search.get("configId") ?? search.get("dataStreamId");
  if (!datastream) return problem(400, "EXEG-0003-400", "Invalid datastream ID", `The ${datastreamParameter} query parameter is required: the id of a datastream with Adobe Target enabled.`);
  const expected = context.datastreamId();
  if (expected !== undefined && datastream !== expected) return problem(400, "EXEG-0003-400", "Invalid datastream ID", `The datastream '${datastream}' does not exist; the emulator serves '${expected}'.`);
  let body: unknown;
  try {
    body = JSON.parse(rawBody);
  } catch {
    return problem(400, "EXEG-0201-400", "Invalid request body", "The request body is not valid JSON.");
  }
  if (!isObject(body)) return problem(400, "EXEG-0201-400", "Invalid request body", "The request body must be a JSON object.");
  const events: unknown = path.version === "v1" ? body.events : body.event === undefined ? body.events : [body.event];
  if (!Array.isArray(events) || events.length === 0 || !events.every(isObject)) {
    return problem(400, "EXEG-0201-400", "Invalid request body", path.version === "v1" ? "The request must have an events array of event objects." : "The request must have an event object.");
  }
  stats.events += events.length;

  const cookies = visitorCookies(body.meta, headers);
  const known = ecidOf(events, cookies);
  const ecid = known.ecid ?? mintEcid();
  const handle: Array<Record<string, unknown>> = [];

  for (const [eventIndex, event] of events.entries()) {
    if (isDisplay(event)) {
      stats.displayEvents += 1;
      const propositions: unknown[] = Array.isArray(event.xdm?._experience?.decisioning?.propositions) ? event.xdm._experience.decisioning.propositions : [];
      const scopes = new Set<string>();
      for (const proposition of propositions) {
        if (!isObject(proposition) || proposition.scopeDetails?.decisionProvider !== "TGT") continue;
        const id = String(proposition.id);
        stats.displays[id] = (stats.displays[id] ?? 0) + 1;
        if (typeof proposition.scope === "string") scopes.add(proposition.scope);
      }
      for (const scope of scopes) context.countImpression(scope);
    }
    const personalization = isObject(event.query?.personalization) ? event.query.personalization : isObject(body.query?.personalization) ? body.query.personalization : undefined;
    const scopes = (Array.isArray(personalization?.decisionScopes) ? personalization.decisionScopes : []).filter((scope: unknown): scope is string => typeof scope === "string" && scope !== PAGE_WIDE_SCOPE);
    const schemas: unknown[] = Array.isArray(personalization?.schemas) ? personalization.schemas : [JSON_CONTENT_ITEM];
    if (scopes.length === 0 || !schemas.includes(JSON_CONTENT_ITEM)) continue;
    stats.decisions += 1;
    const parameters: Record<string, string> = {};
    flattenXdm(event.xdm, "", parameters);
    const profileParameters: Record<string, string> = {};
    const targetData = event.data?.__adobe?.target;
    if (isObject(targetData)) {
      for (const key of Object.keys(targetData)) {
        const value = targetData[key];
        if (typeof value !== "string" && typeof value !== "number" && typeof value !== "boolean") continue;
        if (key.startsWith("profile.")) profileParameters[key.slice("profile.".length)] = String(value);
        else parameters[key] = String(value);
      }
    }
    const pageUrl = event.xdm?.web?.webPageDetails?.URL;
    const qaMode = qaModeOf(pageUrl);
    const request = {
      context: {
        channel: "web",
        ...(typeof pageUrl === "string" ? { address: { url: pageUrl, ...(typeof event.xdm?.web?.webReferrer?.URL === "string" && event.xdm.web.webReferrer.URL !== "" ? { referringUrl: event.xdm.web.webReferrer.URL } : {}) } } : {}),
        ...(typeof headers["user-agent"] === "string" ? { userAgent: headers["user-agent"] } : {}),
      },
      id: { marketingCloudVisitorId: ecid },
      prefetch: {
        mboxes: [...new Set<string>(scopes)].map((name, index) => ({
          name,
          index,
          parameters,
          ...(Object.keys(profileParameters).length > 0 ? { profileParameters } : {}),
        })),
      },
      ...(qaMode ? { qaMode } : {}),
    };
    let decided: Record<string, any>;
    try {
      decided = await context.deliver(request, randomUUID().replace(/-/g, ""));
    } catch (error) {
      const message = error instanceof Error ? error.message : String(error);
      return problem(message === "Invalid QA token" ? 400 : 500, message === "Invalid QA token" ? "TGT-1000-400" : "TGT-1000-500", "Target decisioning failed", message);
    }
    const payload: unknown[] = [];
    for (const mbox of decided.prefetch?.mboxes ?? []) {
      for (const option of mbox.options ?? []) if (option?.type === "json") payload.push(propositionOf(mbox.name, option));
    }
    handle.push({ payload, type: "personalization:decisions", eventIndex });
  }

  const fetchesIdentity = [body.query, ...events.map((event) => event.query)].some((query) => Array.isArray(query?.identity?.fetch) && query.identity.fetch.includes("ECID"));
  if (fetchesIdentity) handle.push({ payload: [{ id: ecid, namespace: { code: "ECID" } }], type: "identity:result" });
  handle.push({ payload: [{ scope: "EdgeNetwork", hint: REGION, ttlSeconds: CLUSTER_MAX_AGE }, { scope: "Target", hint: REGION, ttlSeconds: CLUSTER_MAX_AGE }], type: "locationHint:result" });
  // The identity cookie for the configured organization, and for any other whose cookie the visitor sent.
  const organizations = [...new Set([context.organizationId(), ...known.organizations])];
  handle.push({
    payload: organizations.flatMap((organization) => [
      { key: cookieName(organization, "identity"), value: identityCookieValue(ecid), maxAge: IDENTITY_MAX_AGE },
      { key: cookieName(organization, "cluster"), value: REGION, maxAge: CLUSTER_MAX_AGE },
    ]),
    type: "state:store",
  });
  if (path.action === "collect") return { status: 204 };
  return { status: 200, body: { requestId: search.get("requestId") ?? randomUUID(), handle } };
}
