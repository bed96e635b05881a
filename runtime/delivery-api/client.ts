import { addMboxesToRequest } from "./add-mboxes-to-request.js";
import { createAttributesProvider, type AttributesProvider } from "./attributes-provider.js";
import type {
  CustomerIdInput,
  GetOffersOptions,
  SendNotificationsOptions,
  TargetClientOptions,
  TargetResponseEnvelope,
} from "./client-types.js";
import { createDeliveryRequest, type DeliveryRequestInputs } from "./delivery-request.js";
import type { CustomerId, DeliveryRequest, DeliveryResponse, MboxResponse, PageLoadResponse } from "./delivery-types.js";
import { deliveryResponseProblem } from "./delivery-response.js";
import { TargetResponseError, TargetUnsupportedError, TargetValidationError } from "../platform/errors.js";
import { postJson, type FetchFunction, type PostJsonOptions, type TimeoutScope } from "../platform/http.js";
import { createUuid32 } from "../platform/ids.js";
import {
  createLocationHintCookie,
  createTargetCookie,
  extractClusterFromDeviceId,
  getDeviceId,
  getSessionId,
  getTargetHost,
  LOCATION_HINT_COOKIE_NAME,
  parseTargetCookie,
  TARGET_COOKIE_NAME,
} from "./target-cookie.js";
import {
  isNonEmptyObject,
  validateClientOptions,
  validateGetOffersOptions,
  validateSendNotificationsOptions,
} from "./validation.js";
import { copyOwn } from "../platform/own-properties.js";
import { getVisitorCookieName, parseVisitorCookie } from "./visitor-cookie.js";
import { RUNTIME_VERSION } from "../platform/version.js";

/**
 * A Target Delivery API client with the methods of Adobe's `TargetClient` that apply server-side.
 *
 * @example
 * ```ts
 * const client = createTargetClient({ client: "acmeclient", organizationId: "1234567890@AdobeOrg" });
 * const attributes = await client.getAttributes(["demo-engineering-flags"]);
 * attributes.asObject("demo-engineering-flags"); // { searchProviderId: 143, ... }
 * ```
 */
export interface TargetClient {
  /**
   * Asks Target for the offers of `mboxNames` (added to `request.execute.mboxes` as Adobe does,
   * §2.2) and resolves with an `AttributesProvider` over their JSON offers. One Delivery API call.
   * Rejects with a `TargetError`; the caller's `options` are never modified.
   */
  getAttributes(mboxNames: readonly string[], options?: GetOffersOptions): Promise<AttributesProvider>;
  /** Sends `options.request` to the Delivery API and resolves with the response envelope. */
  getOffers(options: GetOffersOptions): Promise<TargetResponseEnvelope>;
  /** Sends display or click notifications, e.g. for prefetched mboxes (§4). */
  sendNotifications(options: SendNotificationsOptions): Promise<TargetResponseEnvelope>;
  /** The edge cluster this client now routes to, if any: sticky, updated from responses (§7.5). */
  targetLocationHint: string | undefined;
}

/** The Delivery API timeout when the `timeout` option is not set, in milliseconds. */
export const DEFAULT_TIMEOUT = 3000;
const DEFAULT_RETRIES = 2;
const DEFAULT_RETRY_DELAY = 100;
const AUTHENTICATED_STATES = ["unknown", "authenticated", "logged_out"] as const;

/**
 * The client's own Delivery API call, for the on-device client: its display notifications skip
 * the envelope and share one timeout per batch. A symbol, so it is not part of the public client.
 */
export const DELIVER = Symbol("deliver");

/** What `DELIVER` does: sends a call's request; resolves when the response was read and checked. */
export type Deliver = (callOptions: GetOffersOptions & { request: DeliveryRequest }, sharedTimeout?: TimeoutScope) => Promise<unknown>;

/** Adobe's visitor `setCustomerIDs` conversion (§5.4): `{code: "id"}` or `{code: {id, authState}}`. */
export function convertCustomerIds(customerIds: Record<string, CustomerIdInput> | undefined): CustomerId[] | undefined {
  if (!customerIds) return undefined;
  const converted: CustomerId[] = [];
  for (const [integrationCode, value] of Object.entries(customerIds)) {
    if (!value) continue;
    const id = typeof value === "object" ? value.id : value;
    const authState = typeof value === "object" ? value.authState : 0;
    converted.push({ id, integrationCode, authenticatedState: AUTHENTICATED_STATES[authState ?? 0] ?? "unknown" });
  }
  return converted;
}

/**
 * Creates a Delivery API client. Throws `TargetValidationError` with Adobe's message when
 * `client` or `organizationId` is missing, and `TargetUnsupportedError` for on-device or hybrid
 * decisioning.
 *
 * @example
 * ```ts
 * import { createTargetClient } from "@mboxgen/runtime";
 * const client = createTargetClient({ client: "acmeclient", organizationId: "1234567890@AdobeOrg" });
 * const attributes = await client.getAttributes(["demo-engineering-flags"], { targetCookie });
 * ```
 */
export function createTargetClient(options: TargetClientOptions): TargetClient {
  const problem = validateClientOptions(options);
  if (problem) throw new TargetValidationError(problem);
  assertServerSide(options.decisioningMethod);

  const config = { ...options };
  const fetchImpl: FetchFunction = config.fetch ?? config.fetchApi ?? ((input, init) => globalThis.fetch(input, init));
  const logger = config.logger ?? {};
  let stickyLocationHint = config.targetLocationHint;
  const queryPrefix = `/rest/v1/delivery?imsOrgId=${encodeURIComponent(config.organizationId)}&sessionId=`;
  const querySuffix = config.version === undefined ? "" : `&version=${encodeURIComponent(config.version)}`;
  const requestInputs: DeliveryRequestInputs = {
    environmentId: config.environmentId,
    propertyToken: config.propertyToken,
    onInvalid: (message, item) => logger.error?.(message, item),
  };
  const httpOptions: PostJsonOptions = {
    fetch: fetchImpl,
    timeout: config.timeout || DEFAULT_TIMEOUT,
    retries: config.retries ?? DEFAULT_RETRIES,
    retryDelay: config.retryDelay ?? DEFAULT_RETRY_DELAY,
  };

  // One Delivery API call: the wire request built and sent, the response read and checked.
  async function deliver(callOptions: GetOffersOptions & { request: DeliveryRequest }, sharedTimeout?: TimeoutScope) {
    const cookieEntries = parseTargetCookie(callOptions.targetCookie);
    const deviceId = getDeviceId(cookieEntries);
    const cluster = extractClusterFromDeviceId(deviceId) || callOptions.targetLocationHint || stickyLocationHint;
    const host = getTargetHost({ serverDomain: config.serverDomain, cluster, client: config.client, secure: config.secure });
    const sessionId = getSessionId(cookieEntries, callOptions.sessionId, createUuid32);
    const request = createDeliveryRequest(callOptions.request, requestInputs, {
      deviceId,
      ...parseVisitorCookie(callOptions.visitorCookie),
      customerIds: convertCustomerIds(callOptions.customerIds),
    });

    const url = `${host}${queryPrefix}${encodeURIComponent(sessionId)}${querySuffix}`;
    const headers = {
      "Content-Type": "application/json",
      "X-EXC-SDK": "mboxgen",
      "X-EXC-SDK-Version": RUNTIME_VERSION,
      "X-Request-Id": createUuid32(),
    };
    const body = JSON.stringify(request);
    logger.debug?.("Request sent", host, body);
    const parsed = await postJson(url, headers, body, httpOptions, sharedTimeout);
    // An empty 2xx (204, e.g. for a beacon) is an empty response, as Adobe's (§6.3).
    const problem = parsed === undefined ? undefined : deliveryResponseProblem(parsed);
    if (problem) throw new TargetResponseError("POST", url, problem);
    const response = (parsed ?? {}) as DeliveryResponse;
    logger.debug?.("Response received", response);
    // The cluster sticks, from the request or the response's edge host (§7.5).
    const locationHintCookie = createLocationHintCookie(cluster, response.edgeHost);
    if (locationHintCookie) stickyLocationHint = locationHintCookie.value;
    return { request, response, sessionId, cluster };
  }

  async function executeDelivery(callOptions: GetOffersOptions & { request: DeliveryRequest }): Promise<TargetResponseEnvelope> {
    const { request, response, sessionId, cluster } = await deliver(callOptions);
    return createEnvelope(config.organizationId, request, response, sessionId, cluster, callOptions.customerIds);
  }

  // Not async: one promise less per call on the hot path; problems still reject, never throw.
  function getOffers(callOptions: GetOffersOptions): Promise<TargetResponseEnvelope> {
    try {
      const problem = validateGetOffersOptions(callOptions);
      if (problem) throw new TargetValidationError(problem);
      assertServerSide(callOptions.decisioningMethod);
      return executeDelivery(callOptions as GetOffersOptions & { request: DeliveryRequest });
    } catch (error) {
      return Promise.reject(error);
    }
  }

  const client: TargetClient & { [DELIVER]: Deliver } = {
    getOffers,
    getAttributes: attributesThrough(getOffers),
    async sendNotifications(callOptions) {
      const problem = validateSendNotificationsOptions(callOptions);
      if (problem) throw new TargetValidationError(problem);
      return executeDelivery(callOptions);
    },
    [DELIVER]: deliver,
    get targetLocationHint() {
      return stickyLocationHint;
    },
    set targetLocationHint(hint) {
      stickyLocationHint = hint;
    },
  };
  return client;
}

/**
 * Adobe's `getAttributes` over a client's `getOffers`: the mbox names added to `execute.mboxes`
 * (§2.2) of a copy of the options, the envelope wrapped in an attributes provider.
 */
export function attributesThrough<Options extends { request?: DeliveryRequest | undefined }>(
  getOffers: (options: Options) => Promise<TargetResponseEnvelope>,
): (mboxNames: readonly string[], callOptions?: Options) => Promise<AttributesProvider> {
  return (mboxNames, callOptions) => {
    // Everything inside the try: a throwing getter in the caller's options rejects too.
    try {
      if (!Array.isArray(mboxNames)) throw new TargetValidationError(`getAttributes expects an array of mbox names, got ${typeof mboxNames}`);
      const request: DeliveryRequest = callOptions?.request || { context: { channel: "web" } };
      const offersOptions = copyOwn(callOptions) as Options;
      offersOptions.request = addMboxesToRequest(mboxNames, request);
      return getOffers(offersOptions).then(createAttributesProvider);
    } catch (error) {
      return Promise.reject(error);
    }
  };
}

function assertServerSide(decisioningMethod: string | undefined): void {
  if (decisioningMethod !== undefined && decisioningMethod !== "server-side") {
    throw new TargetUnsupportedError(
      `decisioningMethod "${decisioningMethod}" needs the rules artifact: import createTargetClient from "@mboxgen/runtime/on-device"`,
    );
  }
}

/** Adobe's processResponse (§6.4-§6.5): cookies, A4T payloads, traces, response tokens, meta. */
export function createEnvelope(
  organizationId: string,
  request: DeliveryRequest,
  response: DeliveryResponse,
  sessionId: string,
  cluster: string | undefined,
  customerIds: Record<string, CustomerIdInput> | undefined,
): TargetResponseEnvelope {
  const analyticsDetails: unknown[] = [];
  const trace: unknown[] = [];
  const responseTokens: Array<Record<string, unknown>> = [];
  const collect = (part: MboxResponse | PageLoadResponse | undefined): void => {
    if (typeof part !== "object" || part === null) return;
    if (isNonEmptyObject(part.analytics)) analyticsDetails.push(part.analytics);
    if (isNonEmptyObject(part.trace)) trace.push(part.trace);
    if (Array.isArray(part.options)) {
      for (const option of part.options) if (isNonEmptyObject(option?.responseTokens)) responseTokens.push(option.responseTokens);
    }
  };
  // The sections in the order Adobe's processResponse reads them.
  const { execute, prefetch } = response;
  collect(execute?.pageLoad);
  execute?.mboxes?.forEach(collect);
  collect(prefetch?.pageLoad);
  prefetch?.views?.forEach(collect);
  prefetch?.mboxes?.forEach(collect);

  const organizationState: Record<string, unknown> = {};
  if (customerIds) organizationState.customerIDs = customerIds;
  organizationState.sdid = {
    supplementalDataIDCurrent: request.experienceCloud?.analytics?.supplementalDataId,
    supplementalDataIDCurrentConsumed: { "payload:target-global-mbox": true },
    supplementalDataIDLastConsumed: {},
  };
  // Keys in Adobe's order; empty ones left out, as Adobe's removeEmptyKeys does.
  const envelope: Partial<TargetResponseEnvelope> = {
    visitorState: { [organizationId]: organizationState },
    request,
    targetCookie: createTargetCookie(sessionId, response.id?.tntId),
  };
  const locationHintCookie = createLocationHintCookie(cluster, response.edgeHost);
  if (locationHintCookie) envelope.targetLocationHintCookie = locationHintCookie;
  if (analyticsDetails.length > 0) envelope.analyticsDetails = analyticsDetails;
  if (trace.length > 0) envelope.trace = trace;
  if (responseTokens.length > 0) envelope.responseTokens = responseTokens;
  envelope.meta = { decisioningMethod: "server-side", remoteMboxes: [], remoteViews: [] };
  envelope.response = response;
  return envelope as TargetResponseEnvelope;
}

/** Cookie names and helpers, as Adobe's `TargetClient` statics. */
export const TargetCookieNames = {
  /** `mbox`: session and device ids. */
  target: TARGET_COOKIE_NAME,
  /** `mboxEdgeCluster`: the sticky edge cluster. */
  locationHint: LOCATION_HINT_COOKIE_NAME,
  /** `AMCV_<organizationId>`: the Experience Cloud visitor cookie. */
  visitor: getVisitorCookieName,
} as const;
