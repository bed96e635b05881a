/**
 * The Edge Network Server API (`POST /ee/v2/interact`) for servers: Target JSON offers as
 * propositions for the requested decision scopes (mboxes), read through the same provider as the
 * Web SDK's, with the visitor's identity kept in the `kndctr_*` cookies the Edge Network hands
 * back (`state:store`). Same plumbing as the Delivery API client: one timeout per call that
 * aborts the request in flight, retries for network errors, 429 and 5xx only, typed errors.
 */
import type { TargetLogger } from "../delivery-api/client-types.js";
import { TargetResponseError, TargetValidationError } from "../platform/errors.js";
import { postJson, type FetchFunction, type PostJsonOptions } from "../platform/http.js";
import { createUuid32 } from "../platform/ids.js";
import { isJsonObject } from "../platform/json.js";
import { setOwn } from "../platform/own-properties.js";
import { RUNTIME_VERSION } from "../platform/version.js";
import { displayStateOf, propositionsProvider, type PropositionsProvider } from "./propositions-provider.js";
import { JSON_CONTENT_ITEM_SCHEMA, type EdgeHandle, type EdgeResponseBody } from "./proposition-types.js";
import type { DisplayEvent, DisplayEventSender } from "./send-display.js";

/** Options of `createEdgeNetworkClient`. */
export interface EdgeNetworkClientOptions {
  /** The datastream (Data Collection UI › Datastreams) with Adobe Target enabled. Required. */
  datastreamId: string;
  /** Host of the Edge Network, without scheme. Default `edge.adobedc.net`; `server.adobedc.net` for authenticated calls (set `headers`). */
  edgeDomain?: string | undefined;
  /** First path segment. Default `ee` (`ee-pre-prd` for Adobe's staging). */
  edgeBasePath?: string | undefined;
  /** `false` selects `http://` (a local emulator). Default `true`. */
  secure?: boolean | undefined;
  /** Headers for every call, e.g. `Authorization` and `x-api-key` for `server.adobedc.net`. */
  headers?: Record<string, string> | undefined;
  /** Milliseconds for a whole call, retries included; the request in flight is aborted when it elapses. Default 3000. */
  timeout?: number | undefined;
  /** Retries after the first attempt, only for network errors, 429 and 5xx. Default 2. */
  retries?: number | undefined;
  /** First backoff bound in ms; it doubles per retry and is jittered; `Retry-After` wins. Default 100. */
  retryDelay?: number | undefined;
  /** Edge Network region (`or2`, `va6`, …) when no visitor cookie names one; updated from responses. */
  locationHint?: string | undefined;
  /** Logging hooks; nothing is logged without them. */
  logger?: TargetLogger | undefined;
  /** The fetch to use. Default: the global `fetch`. */
  fetch?: FetchFunction | undefined;
}

/** One identity of an XDM identity map. */
export interface IdentityItem {
  id: string;
  authenticatedState?: "ambiguous" | "authenticated" | "loggedOut" | undefined;
  primary?: boolean | undefined;
}

/** A primitive Target parameter value; numbers and booleans are sent as Adobe's SDKs send them. */
export type TargetParameterValue = string | number | boolean;

/**
 * Per-call options: who the visitor is and what Target should know, as Adobe documents the
 * Server API (identity map, page URL, `data.__adobe.target` for mbox and profile parameters).
 *
 * @example
 * ```ts
 * const provider = await edge.getAttributes(["hero-banner"], {
 *   cookies: request.headers.cookie, // the visitor's kndctr_* cookies
 *   url: "https://www.example.com/pricing",
 *   parameters: { region: "eu" },
 *   profileParameters: { tier: "gold" },
 * });
 * ```
 */
export interface EdgeCallOptions {
  /** The visitor's Experience Cloud ID, sent as the primary `ECID` identity. */
  ecid?: string | undefined;
  /** More identities (`FPID`, CRM ids), as an XDM identity map. */
  identityMap?: Record<string, readonly IdentityItem[]> | undefined;
  /**
   * The visitor's cookies: a `Cookie` header or a name → value map. The `kndctr_*` ones are sent
   * as `meta.state.entries`, which is how the Edge Network recognizes the visitor and its region.
   */
  cookies?: string | Record<string, string | undefined> | undefined;
  /** The page URL (`web.webPageDetails.URL`). */
  url?: string | undefined;
  /** The referring URL (`web.webReferrer.URL`). */
  referrer?: string | undefined;
  /** Mbox parameters for every requested mbox, sent in `data.__adobe.target`. */
  parameters?: Record<string, TargetParameterValue> | undefined;
  /** Target profile parameters, sent in `data.__adobe.target` as `profile.<name>`. */
  profileParameters?: Record<string, TargetParameterValue> | undefined;
  /** More XDM fields for the event (Target reads them as parameters in dot notation). */
  xdm?: Record<string, unknown> | undefined;
  /** More event data (merged beside `__adobe`). */
  data?: Record<string, unknown> | undefined;
  /** XDM event type of a fetch. Default `decisioning.propositionFetch`; `web.webpagedetails.pageViews` also records a page view. */
  eventType?: string | undefined;
  /** The cookie domain reported in `meta.state.domain`. */
  domain?: string | undefined;
  /** Headers for this call only. */
  headers?: Record<string, string> | undefined;
}

/** A cookie the Edge Network asks the app to set (`state:store`), for the visitor to keep its identity and region. */
export interface EdgeCookie {
  name: string;
  value: string;
  /** `Max-Age` in seconds, when given. */
  maxAge?: number;
  /** Cookie attributes the Edge Network asks for (`SameSite`, …). */
  attrs?: Record<string, unknown>;
}

/** What one Edge Network call sent and received. */
export interface EdgeCallResult {
  /** The URL called. */
  url: string;
  /** The request body as sent. */
  request: Record<string, unknown>;
  /** The response body. */
  response: EdgeResponseBody;
  /** The `state:store` cookies to set on the visitor's response. */
  cookies: EdgeCookie[];
  /** The visitor's ECID (`identity:result`), when the Edge Network returned it. */
  ecid: string | undefined;
  /** The Edge Network region the visitor is served from (`locationHint:result`), when returned. */
  locationHint: string | undefined;
}

/** The Edge Network client's provider: propositions for the requested mboxes, and the call's result. */
export interface EdgeAttributesProvider extends PropositionsProvider {
  /** What the call sent and received, with the cookies to set. */
  getEdgeResponse(): EdgeCallResult;
}

/**
 * A client of the Edge Network Server API for Target JSON offers.
 *
 * @example
 * ```ts
 * const edge = createEdgeNetworkClient({ datastreamId: "0f4bd3ac-…" });
 * const provider = await edge.getAttributes(["hero-banner"], { cookies: request.headers.cookie });
 * const hero = heroBanner.from(provider);
 * for (const cookie of provider.getEdgeResponse().cookies) response.cookie(cookie.name, cookie.value, { maxAge: cookie.maxAge! * 1000 });
 * await sendDisplay(edge, provider);
 * ```
 */
export interface EdgeNetworkClient extends DisplayEventSender {
  /**
   * Asks the Edge Network for the decision scopes `mboxNames` and resolves with a provider over
   * their Target JSON offers. Rejects with a `TargetError` (HTTP with Adobe's error body, timeout,
   * network, unreadable response, or a Target error the Edge Network reports).
   */
  getAttributes(mboxNames: readonly string[], options?: EdgeCallOptions): Promise<EdgeAttributesProvider>;
  /** Sends one event (`/ee/v2/interact`), e.g. a display event, with the visitor of `options`. */
  sendEvent(event: DisplayEvent | { xdm?: Record<string, unknown>; data?: Record<string, unknown> }, options?: EdgeCallOptions): Promise<EdgeCallResult>;
  /** The Edge Network region calls go to when the visitor's cookies name none; updated from responses. */
  locationHint: string | undefined;
}

/** The Edge Network timeout when the `timeout` option is not set, in milliseconds. */
const DEFAULT_TIMEOUT = 3000;
const KNDCTR_PREFIX = "kndctr_";
const DEFAULT_FETCH_EVENT_TYPE = "decisioning.propositionFetch";

// The visitor's kndctr_* cookies, from a Cookie header or a map, in their order.
function kndctrEntriesOf(cookies: EdgeCallOptions["cookies"]): Array<{ key: string; value: string }> {
  const entries: Array<{ key: string; value: string }> = [];
  const add = (name: string, value: string | undefined) => {
    if (name.startsWith(KNDCTR_PREFIX) && typeof value === "string") entries.push({ key: name, value });
  };
  if (typeof cookies === "string") {
    for (const part of cookies.split(";")) {
      const separator = part.indexOf("=");
      if (separator > 0) add(part.slice(0, separator).trim(), part.slice(separator + 1).trim());
    }
  } else if (isJsonObject(cookies)) {
    for (const name of Object.keys(cookies)) add(name, cookies[name] as string | undefined);
  }
  return entries;
}

// The visitor's region from its `kndctr_<org>_cluster` cookie.
function clusterOf(entries: ReadonlyArray<{ key: string; value: string }>): string | undefined {
  return entries.find((entry) => entry.key.endsWith("_cluster") && /^[A-Za-z0-9-]+$/.test(entry.value))?.value;
}

function handlesOf(body: EdgeResponseBody, type: string): unknown[] {
  return (Array.isArray(body.handle) ? body.handle : []).filter((handle: EdgeHandle) => handle?.type === type && Array.isArray(handle.payload)).flatMap((handle) => handle.payload!);
}

function cookiesOf(body: EdgeResponseBody): EdgeCookie[] {
  return handlesOf(body, "state:store")
    .filter((entry): entry is Record<string, unknown> => isJsonObject(entry) && typeof entry.key === "string" && typeof entry.value === "string")
    .map((entry) => ({
      name: entry.key as string,
      value: entry.value as string,
      ...(typeof entry.maxAge === "number" ? { maxAge: entry.maxAge } : {}),
      ...(isJsonObject(entry.attrs) ? { attrs: entry.attrs } : {}),
    }));
}

function ecidOf(body: EdgeResponseBody): string | undefined {
  const identity = handlesOf(body, "identity:result").find((entry) => isJsonObject(entry) && isJsonObject(entry.namespace) && entry.namespace.code === "ECID");
  return isJsonObject(identity) && typeof identity.id === "string" ? identity.id : undefined;
}

function locationHintOf(body: EdgeResponseBody): string | undefined {
  const hint = handlesOf(body, "locationHint:result").find((entry) => isJsonObject(entry) && entry.scope === "EdgeNetwork");
  return isJsonObject(hint) && typeof hint.hint === "string" && /^[A-Za-z0-9-]+$/.test(hint.hint) ? hint.hint : undefined;
}

// Errors the Edge Network reports inside a 200 for Target (`TGT-…` types): the decision failed.
function targetErrorOf(body: EdgeResponseBody): string | undefined {
  const errors = Array.isArray(body.errors) ? body.errors : [];
  const targetError = errors.find((error) => isJsonObject(error) && typeof error.type === "string" && /\/TGT-/.test(error.type));
  if (!isJsonObject(targetError)) return undefined;
  return `the Edge Network reported a Target error (${String(targetError.type)}): ${String(targetError.title ?? targetError.detail ?? "no detail")}`;
}

function withParameters(target: Record<string, unknown>, parameters: Record<string, TargetParameterValue> | undefined, prefix: string): void {
  if (!parameters) return;
  for (const name of Object.keys(parameters)) {
    const value = parameters[name];
    if (typeof value === "string" || typeof value === "boolean" || (typeof value === "number" && Number.isFinite(value))) setOwn(target, `${prefix}${name}`, value);
  }
}

function identityMapOf(options: EdgeCallOptions | undefined): Record<string, unknown> | undefined {
  const map: Record<string, unknown> = {};
  if (options?.identityMap) for (const namespace of Object.keys(options.identityMap)) setOwn(map, namespace, options.identityMap[namespace]);
  if (options?.ecid) map.ECID = [{ id: options.ecid, authenticatedState: "ambiguous", primary: true }];
  return Object.keys(map).length > 0 ? map : undefined;
}

// The event of a call: the caller's XDM, then identity, page and timestamp; Target's parameters in data.
function eventOf(options: EdgeCallOptions | undefined, xdm: Record<string, unknown>, data: Record<string, unknown> | undefined): Record<string, unknown> {
  const identityMap = identityMapOf(options);
  const web: Record<string, unknown> = {};
  if (options?.url !== undefined) web.webPageDetails = { URL: options.url };
  if (options?.referrer !== undefined) web.webReferrer = { URL: options.referrer };
  const event: Record<string, unknown> = {
    xdm: {
      ...options?.xdm,
      ...xdm,
      ...(identityMap ? { identityMap } : {}),
      ...(Object.keys(web).length > 0 ? { web: { ...(options?.xdm?.web as object | undefined), ...web } } : {}),
      timestamp: new Date().toISOString(),
    },
  };
  const mergedData = { ...options?.data, ...data };
  if (Object.keys(mergedData).length > 0) event.data = mergedData;
  return event;
}

/**
 * Creates an Edge Network Server API client. Throws `TargetValidationError` when `datastreamId`
 * is missing.
 *
 * @example
 * ```ts
 * import { createEdgeNetworkClient } from "@mboxgen/runtime/web-sdk";
 * const edge = createEdgeNetworkClient({ datastreamId: process.env.DATASTREAM_ID! });
 * ```
 */
export function createEdgeNetworkClient(options: EdgeNetworkClientOptions): EdgeNetworkClient {
  if (!isJsonObject(options)) throw new TargetValidationError("Options map is required");
  if (typeof options.datastreamId !== "string" || options.datastreamId === "") throw new TargetValidationError("datastreamId is required: the id of a datastream with Adobe Target enabled");
  const config = { ...options };
  const fetchImpl: FetchFunction = config.fetch ?? ((input, init) => globalThis.fetch(input, init));
  const scheme = config.secure === false ? "http" : "https";
  const domain = config.edgeDomain ?? "edge.adobedc.net";
  const basePath = (config.edgeBasePath ?? "ee").replace(/^\/+|\/+$/g, "");
  const logger = config.logger ?? {};
  const httpOptions: PostJsonOptions = {
    fetch: fetchImpl,
    timeout: config.timeout || DEFAULT_TIMEOUT,
    retries: config.retries ?? 2,
    retryDelay: config.retryDelay ?? 100,
  };
  let stickyLocationHint = config.locationHint;

  async function interact(body: Record<string, unknown>, entries: Array<{ key: string; value: string }>, callOptions: EdgeCallOptions | undefined): Promise<EdgeCallResult> {
    const hint = clusterOf(entries) ?? stickyLocationHint;
    const url = `${scheme}://${domain}/${basePath}${hint ? `/${encodeURIComponent(hint)}` : ""}/v2/interact?dataStreamId=${encodeURIComponent(config.datastreamId)}&requestId=${createUuid32()}`;
    const headers = { "Content-Type": "application/json", "X-EXC-SDK": "mboxgen", "X-EXC-SDK-Version": RUNTIME_VERSION, ...config.headers, ...callOptions?.headers };
    const text = JSON.stringify(body);
    logger.debug?.("Request sent", url, text);
    const parsed = (await postJson(url, headers, text, httpOptions)) ?? { handle: [] };
    if (!isJsonObject(parsed) || (parsed.handle !== undefined && !Array.isArray(parsed.handle)) || (parsed.handle === undefined && parsed.requestId === undefined)) {
      throw new TargetResponseError("POST", url, "the body is not an Edge Network response (an object with a handle array)");
    }
    const response = parsed as EdgeResponseBody;
    logger.debug?.("Response received", response);
    const targetError = targetErrorOf(response);
    if (targetError && handlesOf(response, "personalization:decisions").length === 0) throw new TargetResponseError("POST", url, targetError);
    if (Array.isArray(response.errors) && response.errors.length > 0) logger.error?.("The Edge Network reported errors", response.errors);
    const locationHint = locationHintOf(response);
    if (locationHint) stickyLocationHint = locationHint;
    return { url, request: body, response, cookies: cookiesOf(response), ecid: ecidOf(response), locationHint };
  }

  function metaOf(entries: Array<{ key: string; value: string }>, callOptions: EdgeCallOptions | undefined): Record<string, unknown> {
    return { state: { ...(callOptions?.domain ? { domain: callOptions.domain } : {}), cookiesEnabled: true, ...(entries.length > 0 ? { entries } : {}) } };
  }

  function targetDataOf(callOptions: EdgeCallOptions | undefined): Record<string, unknown> | undefined {
    const target: Record<string, unknown> = {};
    withParameters(target, callOptions?.parameters, "");
    withParameters(target, callOptions?.profileParameters, "profile.");
    if (Object.keys(target).length === 0) return undefined;
    const adobe = isJsonObject(callOptions?.data?.__adobe) ? callOptions!.data!.__adobe : {};
    return { __adobe: { ...adobe, target: { ...(isJsonObject(adobe.target) ? adobe.target : {}), ...target } } };
  }

  // The visitor of a later event: the call's options, with the identity and cookies the Edge Network returned.
  function continuationOf(callOptions: EdgeCallOptions | undefined, result: EdgeCallResult): EdgeCallOptions {
    const cookies: Record<string, string> = {};
    for (const entry of kndctrEntriesOf(callOptions?.cookies)) setOwn(cookies, entry.key, entry.value);
    for (const cookie of result.cookies) if (cookie.name.startsWith(KNDCTR_PREFIX)) setOwn(cookies, cookie.name, cookie.value);
    const { parameters: _parameters, profileParameters: _profile, eventType: _eventType, ...rest } = callOptions ?? {};
    return { ...rest, cookies, ...(result.ecid && !callOptions?.ecid ? { ecid: result.ecid } : {}) };
  }

  const client: EdgeNetworkClient = {
    getAttributes(mboxNames, callOptions) {
      // Everything inside the try: a throwing getter in the caller's options rejects too.
      try {
        if (!Array.isArray(mboxNames)) throw new TargetValidationError(`getAttributes expects an array of mbox names, got ${typeof mboxNames}`);
        const invalid = mboxNames.find((name) => typeof name !== "string" || name === "");
        if (invalid !== undefined) throw new TargetValidationError(`getAttributes expects mbox names (non-empty strings), got ${JSON.stringify(invalid) ?? typeof invalid}`);
        const scopes = [...new Set(mboxNames as string[])];
        const entries = kndctrEntriesOf(callOptions?.cookies);
        const data = targetDataOf(callOptions);
        const body = {
          event: eventOf(callOptions, { eventType: callOptions?.eventType ?? DEFAULT_FETCH_EVENT_TYPE }, data),
          query: { identity: { fetch: ["ECID"] }, personalization: { schemas: [JSON_CONTENT_ITEM_SCHEMA], decisionScopes: scopes } },
          meta: metaOf(entries, callOptions),
        };
        return interact(body, entries, callOptions).then((result) => {
          const provider = propositionsProvider(result.response) as EdgeAttributesProvider;
          Object.defineProperty(provider, "getEdgeResponse", { value: () => result });
          displayStateOf(provider)!.context = continuationOf(callOptions, result);
          return provider;
        });
      } catch (error) {
        return Promise.reject(error);
      }
    },
    sendEvent(event, callOptions) {
      try {
        const entries = kndctrEntriesOf(callOptions?.cookies);
        const body = {
          event: eventOf(callOptions, isJsonObject(event?.xdm) ? event.xdm : {}, isJsonObject((event as { data?: unknown })?.data) ? (event as { data: Record<string, unknown> }).data : undefined),
          query: { identity: { fetch: ["ECID"] } },
          meta: metaOf(entries, callOptions),
        };
        return interact(body, entries, callOptions);
      } catch (error) {
        return Promise.reject(error);
      }
    },
    get locationHint() {
      return stickyLocationHint;
    },
    set locationHint(hint) {
      stickyLocationHint = hint;
    },
  };
  return client;
}
