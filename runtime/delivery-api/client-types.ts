import type { DeliveryRequest, DeliveryResponse } from "./delivery-types.js";
import type { FetchFunction } from "../platform/http.js";
import type { TargetCookie } from "./target-cookie.js";

/** Logging hooks. The runtime never logs on its own; it calls these when given. */
export interface TargetLogger {
  /** Request sent and response received, with the JSON bodies. */
  debug?: ((...messages: unknown[]) => void) | undefined;
  /** Invalid mboxes or notifications dropped from a request. */
  error?: ((...messages: unknown[]) => void) | undefined;
}

/**
 * Options of `createTargetClient`, named as Adobe's `TargetClient.create` options
 * (TARGET-PROTOCOL.md §9.1). Adobe-only options that do not apply to a Delivery API client
 * (`telemetryEnabled`, `pollingInterval`, `artifact*`, `events`, ...) are accepted and ignored,
 * so an Adobe configuration object can be passed as it is.
 *
 * @example
 * ```ts
 * const client = createTargetClient({
 *   client: "acmeclient",
 *   organizationId: "1234567890@AdobeOrg",
 *   timeout: 1500,
 * });
 * ```
 */
export interface TargetClientOptions {
  /** Target client code, e.g. `"acmeclient"`; gives the default host `<client>.tt.omtrdc.net`. Required. */
  client: string;
  /** Experience Cloud organization id, e.g. `"1234567890@AdobeOrg"`; sent as `?imsOrgId=`. Required. */
  organizationId: string;
  /** `host[:port]` of the Delivery API, without scheme. An edge cluster, once known, wins over it (§5.2). */
  serverDomain?: string | undefined;
  /** `false` selects `http://`. Default `true`. */
  secure?: boolean | undefined;
  /** Milliseconds for a whole call, retries included; the request in flight is aborted when it elapses. Default 3000. */
  timeout?: number | undefined;
  /**
   * Retries after the first attempt, only for network errors, 429 and 5xx. Default 2.
   * (Adobe's SDK retries 10 times at once, 4xx included.)
   */
  retries?: number | undefined;
  /** First backoff bound in ms; it doubles per retry and is jittered; `Retry-After` wins. Default 100. */
  retryDelay?: number | undefined;
  /** Edge cluster, e.g. `"35"`: calls go to `mboxedge35.tt.omtrdc.net`. Updated from responses, as Adobe (§7.5). */
  targetLocationHint?: string | undefined;
  /** Property token sent as `property.token` unless the request has one. */
  propertyToken?: string | undefined;
  /** Environment id sent as `environmentId` unless the request has one. */
  environmentId?: number | undefined;
  /** at.js version sent as `&version=`, as Adobe's `version` option. */
  version?: string | undefined;
  /** Logging hooks; nothing is logged without them. */
  logger?: TargetLogger | undefined;
  /** The fetch to use. Default: the global `fetch`. */
  fetch?: FetchFunction | undefined;
  /** Adobe's name for `fetch`; used when `fetch` is not given. */
  fetchApi?: FetchFunction | undefined;
  /** `"server-side"` only. `"on-device"` and `"hybrid"` throw `TargetUnsupportedError`. */
  decisioningMethod?: "server-side" | "on-device" | "hybrid" | undefined;
  /** Accepted for compatibility with Adobe's options; ignored. */
  telemetryEnabled?: boolean | undefined;
  /** Accepted for compatibility with Adobe's options; ignored. */
  pollingInterval?: number | undefined;
  /** Accepted for compatibility with Adobe's options; ignored. */
  environment?: string | undefined;
  /** Accepted for compatibility with Adobe's options; ignored. */
  artifactLocation?: string | undefined;
  /** Accepted for compatibility with Adobe's options; ignored. */
  artifactPayload?: unknown;
  /** Accepted for compatibility with Adobe's options; ignored. */
  artifactFormat?: string | undefined;
  /** Accepted for compatibility with Adobe's options; ignored. */
  events?: Record<string, (...args: unknown[]) => void> | undefined;
}

/** A customer id given to `getOffers` / `getAttributes` as Adobe's `customerIds` option. */
export type CustomerIdInput = string | { id: string; authState?: 0 | 1 | 2 | undefined };

/**
 * Per-call options of `getOffers` and `getAttributes`, as Adobe's (TARGET-PROTOCOL.md §2.1).
 *
 * @example
 * ```ts
 * const attributes = await client.getAttributes(["hero-banner"], {
 *   request: { context: { channel: "web", address: { url: "https://example.com/" } } },
 *   targetCookie: cookies.mbox,
 * });
 * ```
 */
export interface GetOffersOptions {
  /** The Delivery API request. Default for `getAttributes`: `{ context: { channel: "web" } }`. */
  request?: DeliveryRequest | undefined;
  /** Value of the `mbox` cookie from the visitor's last response: session and tntId (§7). */
  targetCookie?: string | undefined;
  /** Value of the `AMCV_<organizationId>` cookie: ECID and Audience Manager values. */
  visitorCookie?: string | undefined;
  /** Session id when the `mbox` cookie has none; default a new one per call. */
  sessionId?: string | undefined;
  /** Edge cluster for this call; the tntId's cluster wins over it (§5.2). */
  targetLocationHint?: string | undefined;
  /** Customer ids keyed by integration code, sent in `id.customerIds`. */
  customerIds?: Record<string, CustomerIdInput> | undefined;
  /** Accepted for compatibility (Adobe's SDID consumer id); ignored. */
  consumerId?: string | undefined;
  /** `"server-side"` only; others reject with `TargetUnsupportedError`. */
  decisioningMethod?: "server-side" | "on-device" | "hybrid" | undefined;
}

/** Per-call options of `sendNotifications`. */
export interface SendNotificationsOptions extends Omit<GetOffersOptions, "request"> {
  /** A request with `notifications` (display or click), e.g. for prefetched mboxes' event tokens. */
  request: DeliveryRequest;
}

/** Where a call was decided and which mboxes or views needed the server. */
export interface ResponseMeta {
  decisioningMethod: "server-side" | "on-device";
  remoteMboxes: string[];
  remoteViews: string[];
}

/** What `getOffers` resolves with and `getResponse()` returns, as Adobe's envelope (§6.5). */
export interface TargetResponseEnvelope {
  /** The visitor state for a handoff to at.js: the organization's SDID. */
  visitorState: Record<string, unknown>;
  /** The Delivery API request as sent. */
  request: DeliveryRequest;
  /** The `mbox` cookie to set on the visitor's response. */
  targetCookie: TargetCookie;
  /** The `mboxEdgeCluster` cookie, when an edge cluster is known. */
  targetLocationHintCookie?: TargetCookie;
  /** `analytics` payloads for Analytics for Target (A4T), when Target sent any. */
  analyticsDetails?: unknown[];
  /** `trace` objects, when the request asked for them. */
  trace?: unknown[];
  /** The `responseTokens` of every option, when Target sent any. */
  responseTokens?: Array<Record<string, unknown>>;
  /** Where the call was decided. */
  meta: ResponseMeta;
  /** The Delivery API response body. */
  response: DeliveryResponse;
}
