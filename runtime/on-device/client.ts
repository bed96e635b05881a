/**
 * The on-device client: a `createTargetClient` that also decides on the device from Target's rules
 * artifact, as `@adobe/target-nodejs-sdk` does with `decisioningMethod: "on-device"` or `"hybrid"`
 * (TARGET-PROTOCOL.md §9-§11). It builds on the Delivery API client (server-side and hybrid calls,
 * display notifications) and adds the artifact's life cycle: download, polling, readiness, events.
 */
import { artifactFormatOf, artifactLocationOf, checkArtifact, downloadArtifact } from "./artifact-loader.js";
import type { ArtifactRule, DecisioningArtifact } from "./artifact-types.js";
import type { AttributesProvider } from "../delivery-api/attributes-provider.js";
import { copyOwn } from "../platform/own-properties.js";
import { attributesThrough, convertCustomerIds, createEnvelope, createTargetClient as createRemoteClient, DEFAULT_TIMEOUT, DELIVER, type Deliver, type TargetClient } from "../delivery-api/client.js";
import type { GetOffersOptions, SendNotificationsOptions, TargetClientOptions, TargetResponseEnvelope } from "../delivery-api/client-types.js";
import { compileArtifact, decide, findRemoteDependency, type CompiledArtifact, type RemoteDependency } from "./decision-engine.js";
import type { ParseDomain } from "./decisioning-context.js";
import { createDeliveryRequest, type DeliveryRequestInputs } from "../delivery-api/delivery-request.js";
import type { DeliveryRequest, Geo, Notification, VisitorId } from "../delivery-api/delivery-types.js";
import { TargetArtifactError, TargetNotReadyError, TargetValidationError } from "../platform/errors.js";
import { completeGeo, GEO_LOOKUP_URL, readGeoFields } from "./geo-lookup.js";
import { endTimeout, fetchWithRetries, startTimeout, type FetchFunction, type PostJsonOptions } from "../platform/http.js";
import { createUuid32 } from "../platform/ids.js";
import { extractClusterFromDeviceId, getDeviceId, getSessionId, parseTargetCookie } from "../delivery-api/target-cookie.js";
import { validateClientOptions, validateGetOffersOptions } from "../delivery-api/validation.js";
import { parseVisitorCookie } from "../delivery-api/visitor-cookie.js";

/** How a call is decided: by the Delivery API, from the artifact, or from the artifact when it can. */
export type DecisioningMethod = "server-side" | "on-device" | "hybrid";

/** What an `events` handler receives: the event's `type` and its fields, as Adobe's TargetEvent. */
export interface TargetEvent {
  type: string;
  [field: string]: unknown;
}

/** Handlers of the client's events, by name (Adobe's `events` option). */
export interface TargetEvents {
  /** The artifact is loaded and the location-hint ping is done: on-device calls work from now on. */
  clientReady?: ((event: TargetEvent) => void) | undefined;
  /** A download brought a new artifact: `{ artifactLocation, artifactPayload }`. */
  artifactDownloadSucceeded?: ((event: TargetEvent) => void) | undefined;
  /** A download failed (after the retries); the last good artifact stays: `{ artifactLocation, error }`. */
  artifactDownloadFailed?: ((event: TargetEvent) => void) | undefined;
  /** Geo values arrived with the artifact or from the geo service: `{ geoContext }`. */
  geoLocationUpdated?: ((event: TargetEvent) => void) | undefined;
  /** Display notifications could not be sent: `{ notification, error }`. */
  sendNotificationError?: ((event: TargetEvent) => void) | undefined;
}

/**
 * Options of the on-device `createTargetClient`: everything the remote one takes, plus Adobe's
 * on-device options.
 *
 * @example
 * ```ts
 * import rules from "./rules.json" with { type: "json" };
 * const client = createTargetClient({
 *   client: "acmeclient",
 *   organizationId: "1234567890@AdobeOrg",
 *   decisioningMethod: "on-device",
 *   artifactPayload: rules,
 *   pollingInterval: 0,
 * });
 * await client.ready;
 * ```
 */
export interface OnDeviceClientOptions extends Omit<TargetClientOptions, "decisioningMethod" | "artifactPayload" | "events"> {
  /** The default for every call (a call's own `decisioningMethod` wins). Default `"server-side"`. */
  decisioningMethod?: DecisioningMethod | undefined;
  /** An artifact object to start from: no download for the first one. */
  artifactPayload?: DecisioningArtifact | object | undefined;
  /** The artifact URL; default `https://assets.adobetarget.com/<client>/<environment>/v1/[<propertyToken>/]rules.json`. */
  artifactLocation?: string | undefined;
  /** `"json"` (default) or `"bin"` (the obfuscated artifact); a `*.bin` location selects `"bin"`. */
  artifactFormat?: "json" | "bin" | undefined;
  /** Milliseconds between downloads (ETag, 304 reuse): at least 300000 (Adobe's default), or 0 for none. */
  pollingInterval?: number | undefined;
  /** The Target environment of the default artifact URL. Default `"production"`. */
  environment?: string | undefined;
  /** Event handlers, as Adobe's. */
  events?: TargetEvents | undefined;
  /** Replaces the Public Suffix List lookup of page and referring domains (Adobe's option). */
  parseDomainImpl?: ParseDomain | undefined;
}

/** Per-call options: the remote ones, with the decisioning method of this call. */
export interface OnDeviceGetOffersOptions extends Omit<GetOffersOptions, "decisioningMethod"> {
  decisioningMethod?: DecisioningMethod | undefined;
}

/** A client that decides on the device, remotely, or either (hybrid). */
export interface OnDeviceTargetClient extends Omit<TargetClient, "getAttributes" | "getOffers"> {
  getAttributes(mboxNames: readonly string[], options?: OnDeviceGetOffersOptions): Promise<AttributesProvider>;
  getOffers(options: OnDeviceGetOffersOptions): Promise<TargetResponseEnvelope>;
  /**
   * Resolves once on-device decisions work (the artifact is loaded and the start-up location-hint
   * ping is done; `clientReady` fires then). With polling, a failed first download leaves it
   * pending until a later one succeeds; without, it rejects with the `TargetArtifactError`.
   */
  readonly ready: Promise<void>;
  /**
   * Adds event handlers besides the `events` option's (an integration's, such as the OpenFeature
   * provider's); returns the function that removes them.
   */
  subscribe(handlers: TargetEvents): () => void;
  /** Whether on-device decisions work now. */
  isReady(): boolean;
  /** The artifact decisions are made from now, if any. */
  getRawArtifact(): DecisioningArtifact | undefined;
  /** Stops polling, aborts a download in flight, sends the notifications still waiting, and resolves when they are sent. */
  close(): Promise<void>;
}

const NOT_READY = "Unable to fulfill request; decisioning engine not ready.";
const DEFAULT_POLLING_INTERVAL = 300_000;
const ARTIFACT_TIMEOUT = 30_000;

function isAuthenticated(id: VisitorId | undefined): boolean {
  return Boolean(id?.customerIds?.some((customerId) => customerId.authenticatedState === "authenticated"));
}

// Adobe's validVisitorId: a visitor without any id gets a tntId, with the location hint's cluster.
function withVisitorId(id: VisitorId | undefined, locationHint: string | undefined): VisitorId {
  const result = copyOwn(id) as VisitorId;
  if (!result.tntId && !result.marketingCloudVisitorId && !isAuthenticated(result) && !result.thirdPartyId) {
    result.tntId = `${createUuid32()}${locationHint ? `.${locationHint}_0` : ""}`;
  }
  return result;
}

/**
 * Creates a client that decides on the device when asked to. Throws `TargetValidationError` with
 * Adobe's messages for missing or invalid options, as the remote one.
 *
 * @example
 * ```ts
 * import { createTargetClient } from "@mboxgen/runtime/on-device";
 * const client = createTargetClient({ client: "acmeclient", organizationId: "1234567890@AdobeOrg", decisioningMethod: "hybrid" });
 * const attributes = await client.getAttributes(["demo-engineering-flags"]); // remote until the artifact is ready
 * ```
 */
export function createTargetClient(options: OnDeviceClientOptions): OnDeviceTargetClient {
  const problem = validateClientOptions(options);
  if (problem) throw new TargetValidationError(problem);
  const { decisioningMethod: defaultMethod = "server-side", artifactPayload, events, parseDomainImpl, ...remoteOptions } = options;
  const remote = createRemoteClient(remoteOptions as TargetClientOptions);
  const deliver = (remote as TargetClient & { [DELIVER]: Deliver })[DELIVER];
  const logger = options.logger ?? {};
  const fetchImpl: FetchFunction = options.fetch ?? options.fetchApi ?? ((input, init) => globalThis.fetch(input, init));
  // The Public Suffix List (about 32 KB min+gzip) is loaded only when needed: before an artifact
  // whose rules read page or referring domains goes live, and for a traced call.
  let parse: ParseDomain | undefined = typeof parseDomainImpl === "function" ? parseDomainImpl : undefined;
  let parserLoad: Promise<ParseDomain> | undefined;
  function loadParser(): Promise<ParseDomain> {
    if (parse) return Promise.resolve(parse);
    parserLoad ??= import("./domains/parse-domain.js").then(
      (module) => (parse = module.parseDomain),
      (error: unknown) => {
        parserLoad = undefined;
        throw error;
      },
    );
    return parserLoad;
  }
  const requestInputs: DeliveryRequestInputs = {
    environmentId: options.environmentId,
    propertyToken: options.propertyToken,
    onInvalid: (message, item) => logger.error?.(message, item),
  };
  const artifactLocation = artifactLocationOf(options);
  const artifactFormat = artifactFormatOf(options, artifactLocation);
  const pollingInterval = options.pollingInterval === 0 ? 0 : Math.max(DEFAULT_POLLING_INTERVAL, typeof options.pollingInterval === "number" ? options.pollingInterval : DEFAULT_POLLING_INTERVAL);
  // close() aborts a download in flight; its own timeout aborts `init.signal`.
  const closing = new AbortController();
  const abortableFetch: FetchFunction = (input, init) => {
    if (closing.signal.aborted) return Promise.reject(new Error("the client was closed"));
    const signal = typeof AbortSignal.any === "function" ? AbortSignal.any([init.signal, closing.signal]) : init.signal;
    return fetchImpl(input, { ...init, signal });
  };
  const http = (timeout: number): PostJsonOptions => ({ fetch: abortableFetch, timeout, retries: options.retries ?? 2, retryDelay: options.retryDelay ?? 100 });

  let compiled: CompiledArtifact | undefined;
  let firstMeta: Record<string, unknown> | undefined;
  let etag: string | undefined;
  let retrievalCount = 0;
  let lastRetrieved = new Date();
  let pingDone = false;
  let closed = false;
  let pollTimer: ReturnType<typeof setTimeout> | undefined;
  const reportedRules = new WeakSet<object>();
  const pendingSends = new Set<Promise<void>>();
  // Notification requests of the calls decided since the last flush, and the flush's timer.
  let queuedNotifications: Array<SendNotificationsOptions & { request: DeliveryRequest }> = [];
  let flushTimer: ReturnType<typeof setTimeout> | undefined;

  // The `events` option's handlers, and those added later by subscribe().
  const subscribers = new Set<TargetEvents>(events ? [events] : []);
  function emit(type: keyof TargetEvents, payload: Record<string, unknown> = {}): void {
    for (const handlers of [...subscribers]) {
      const handler = handlers[type];
      if (typeof handler !== "function") continue;
      try {
        handler({ ...payload, type });
      } catch (error) {
        logger.error?.(`the ${type} event handler threw`, error);
      }
    }
  }

  let resolveReady!: () => void;
  let rejectReady!: (error: unknown) => void;
  const ready = new Promise<void>((resolve, reject) => {
    resolveReady = resolve;
    rejectReady = reject;
  });
  // Awaiting `ready` is optional: a rejection nobody awaits is not an unhandled one.
  ready.catch(() => undefined);

  const isReady = () => compiled !== undefined && pingDone;
  function checkReady(): void {
    if (!isReady()) return;
    resolveReady();
    emit("clientReady");
  }

  // Compiles an artifact and makes it the one decisions use, once what it needs is loaded (at once
  // when nothing is missing): decisions stay synchronous from then on.
  function useArtifact(artifact: DecisioningArtifact, location: string | undefined): void | Promise<void> {
    const next = compileArtifact(artifact);
    const goLive = () => {
      compiled = next;
      firstMeta ??= (artifact.meta ?? {}) as Record<string, unknown>;
      retrievalCount += 1;
      lastRetrieved = new Date();
    };
    if (!next.needs.domains || parse) return goLive();
    return loadParser().then(goLive, (error: unknown) => {
      const reason = error instanceof Error ? error.message : String(error);
      throw new TargetArtifactError(location, `reads page or referring domains, and the Public Suffix List could not be loaded (${reason}): ship the module or chunk that holds it with the app, or pass parseDomainImpl`, error);
    });
  }

  async function download(): Promise<void> {
    try {
      const downloaded = await downloadArtifact(artifactLocation, artifactFormat, options.organizationId, etag, http(Math.max(options.timeout ?? 0, ARTIFACT_TIMEOUT)));
      if (downloaded.artifact) {
        await useArtifact(downloaded.artifact, artifactLocation);
        etag = downloaded.etag;
        logger.debug?.("Artifact downloaded", artifactLocation);
        emit("artifactDownloadSucceeded", { artifactLocation, artifactPayload: downloaded.payload });
        emit("geoLocationUpdated", { geoContext: readGeoFields((name) => downloaded.headers.get(name)) });
      } else if (!compiled) {
        throw new TargetArtifactError(artifactLocation, "was answered 304 Not Modified before any artifact was loaded");
      }
    } catch (error) {
      if (closed) return;
      const failure = error instanceof TargetArtifactError ? error : new TargetArtifactError(artifactLocation, `could not be downloaded: ${error instanceof Error ? error.message : String(error)}`, error);
      logger.error?.(failure.message);
      emit("artifactDownloadFailed", { artifactLocation, error: failure });
      if (!compiled && pollingInterval === 0) rejectReady(failure);
    }
  }

  function schedulePoll(): void {
    if (pollingInterval === 0 || closed) return;
    pollTimer = setTimeout(() => {
      void download().then(() => {
        checkReady();
        schedulePoll();
      });
    }, pollingInterval);
  }

  function start(): void {
    const needsEngine = defaultMethod === "on-device" || defaultMethod === "hybrid";
    if (!needsEngine) {
      // Adobe's client is ready at once for server-side decisioning (it fires clientReady soon after).
      pingDone = true;
      resolveReady();
      setTimeout(() => emit("clientReady"), 0);
      return;
    }
    // Adobe pings the Delivery API at start-up for a location hint, unless one is given (§7.6).
    const ping =
      options.targetLocationHint !== undefined
        ? Promise.resolve()
        : remote.getOffers({ sessionId: "ping123", request: { context: { channel: "web" } } }).then(
            () => undefined,
            () => undefined,
          );
    void ping.then(() => {
      pingDone = true;
      checkReady();
    });
    let first: Promise<void>;
    if (typeof artifactPayload === "object" && artifactPayload !== null) {
      const failed = (error: unknown) => {
        logger.error?.((error as Error).message);
        rejectReady(error);
      };
      try {
        first = Promise.resolve(useArtifact(checkArtifact(artifactPayload), undefined)).catch(failed);
      } catch (error) {
        failed(error);
        first = Promise.resolve();
      }
    } else {
      first = download();
    }
    void first.then(() => {
      checkReady();
      schedulePoll();
    });
  }

  function onRuleProblem(rule: ArtifactRule, problem: string): void {
    if (typeof rule !== "object" || rule === null || reportedRules.has(rule)) return;
    reportedRules.add(rule);
    logger.error?.(`On-device rule ${String(rule.ruleKey)} of activity ${String(rule.meta?.["activity.id"] ?? rule.activityId)} does not match: ${problem}`);
  }

  function artifactTrace(): Record<string, unknown> {
    return {
      artifactLocation: typeof artifactPayload === "object" && artifactPayload !== null ? "Not Applicable" : artifactLocation,
      pollingInterval,
      pollingHalted: false,
      artifactVersion: compiled?.artifact.version ?? "unknown",
      artifactRetrievalCount: retrievalCount,
      artifactLastRetrieved: lastRetrieved.toISOString(),
      ...firstMeta,
    };
  }

  // One notification POST per call, on the next tick, as sendNotifications sends it (§4). The
  // calls of one tick are flushed together: one timer, and one timeout for their requests.
  function scheduleNotifications(request: DeliveryRequest, notifications: Notification[], sessionId: string): void {
    if (notifications.length === 0) return;
    queuedNotifications.push({ request: { id: request.id, context: request.context, experienceCloud: request.experienceCloud, notifications } as DeliveryRequest, sessionId });
    flushTimer ??= setTimeout(flushNotifications, 0);
  }

  function flushNotifications(): void {
    flushTimer = undefined;
    const batch = queuedNotifications;
    queuedNotifications = [];
    if (batch.length === 0) return;
    const sharedTimeout = startTimeout(options.timeout || DEFAULT_TIMEOUT);
    const sends = batch.map((notificationRequest) =>
      deliver(notificationRequest, sharedTimeout).then(undefined, (error: unknown) => {
        logger.error?.("Sending on-device display notifications failed", error);
        emit("sendNotificationError", { notification: notificationRequest, error });
      }),
    );
    const settled = Promise.all(sends).then(() => endTimeout(sharedTimeout));
    pendingSends.add(settled);
    void settled.then(() => pendingSends.delete(settled));
  }

  function lookupGeo(headers: Record<string, string>): Promise<unknown> {
    return fetchWithRetries("GET", GEO_LOOKUP_URL, headers, undefined, http(options.timeout || DEFAULT_TIMEOUT), async (response) => JSON.parse(await response.text()) as unknown).then((payload) => {
      emit("geoLocationUpdated", { geoContext: readGeoFields((name) => (payload as Record<string, unknown> | null)?.[name]) });
      return payload;
    });
  }

  // Who the visitor is, from the call's cookies and options: what the wire request carries.
  function visitorInputs(callOptions: OnDeviceGetOffersOptions) {
    return {
      deviceId: getDeviceId(parseTargetCookie(callOptions.targetCookie)),
      ...parseVisitorCookie(callOptions.visitorCookie),
      customerIds: convertCustomerIds(callOptions.customerIds),
    };
  }

  function decideOnDevice(engine: CompiledArtifact, request: DeliveryRequest, callOptions: OnDeviceGetOffersOptions, dependency: RemoteDependency): TargetResponseEnvelope | Promise<TargetResponseEnvelope> {
    const cookieEntries = parseTargetCookie(callOptions.targetCookie);
    const locationHint = callOptions.targetLocationHint || remote.targetLocationHint;
    const cluster = extractClusterFromDeviceId(getDeviceId(cookieEntries)) || locationHint;
    const sessionId = getSessionId(cookieEntries, callOptions.sessionId, createUuid32);
    const finish = (geo: Geo): TargetResponseEnvelope => {
      const decided = copyOwn(request) as DeliveryRequest;
      const context = copyOwn(request.context) as NonNullable<DeliveryRequest["context"]>;
      context.geo = geo;
      decided.context = context;
      decided.id = withVisitorId(request.id, locationHint);
      decided.requestId = request.requestId || createUuid32();
      const { response, notifications } = decide(engine, decided, { client: options.client, sessionId, parseDomain: parse, artifactTrace, onRuleProblem, remote: dependency });
      const { remoteMboxes, remoteViews } = dependency;
      const envelope = createEnvelope(options.organizationId, request, response, sessionId, cluster, callOptions.customerIds);
      envelope.meta = { decisioningMethod: "on-device", remoteMboxes, remoteViews };
      if (envelope.targetLocationHintCookie) remote.targetLocationHint = envelope.targetLocationHintCookie.value;
      scheduleNotifications(decided, notifications, sessionId);
      return envelope;
    };
    const geo = completeGeo(request.context?.geo, engine.geoTargetingEnabled, lookupGeo);
    // A trace shows every context field, domain parts included; without the list it shows the rest.
    if (request.trace !== undefined && !parse) {
      return Promise.all([geo, loadParser().catch(() => undefined)]).then(([settled]) => finish(settled));
    }
    return geo instanceof Promise ? geo.then(finish) : finish(geo);
  }

  function getOffers(callOptions: OnDeviceGetOffersOptions): Promise<TargetResponseEnvelope> {
    try {
      const problem = validateGetOffersOptions(callOptions);
      if (problem) throw new TargetValidationError(problem);
      let method = callOptions.decisioningMethod || defaultMethod;
      const engine = isReady() ? compiled : undefined;
      if ((method === "on-device" || method === "hybrid") && !engine) {
        if (method === "on-device") throw new TargetNotReadyError(NOT_READY);
        method = "server-side";
      }
      if (engine && (method === "on-device" || method === "hybrid")) {
        const request = createDeliveryRequest(callOptions.request!, requestInputs, visitorInputs(callOptions));
        // Hybrid sends the whole call to the Delivery API when any mbox or view needs it.
        const dependency = findRemoteDependency(engine, request);
        if (method === "on-device" || !dependency.remoteNeeded) return Promise.resolve(decideOnDevice(engine, request, callOptions, dependency));
      }
      const { decisioningMethod: _method, ...remoteCall } = callOptions;
      return remote.getOffers(remoteCall).then((envelope) => {
        // As Adobe's processResponse: with an engine, the remote lists come from the artifact.
        if (!engine) return envelope;
        const { remoteMboxes, remoteViews } = findRemoteDependency(engine, envelope.request);
        envelope.meta = { decisioningMethod: "server-side", remoteMboxes, remoteViews };
        return envelope;
      });
    } catch (error) {
      return Promise.reject(error);
    }
  }

  start();

  return {
    getOffers,
    getAttributes: attributesThrough(getOffers),
    sendNotifications: (callOptions: SendNotificationsOptions) => remote.sendNotifications(callOptions),
    get targetLocationHint() {
      return remote.targetLocationHint;
    },
    set targetLocationHint(hint) {
      remote.targetLocationHint = hint;
    },
    ready,
    isReady,
    subscribe(handlers: TargetEvents) {
      const added = { ...handlers };
      subscribers.add(added);
      return () => void subscribers.delete(added);
    },
    getRawArtifact: () => compiled?.artifact,
    async close() {
      closed = true;
      clearTimeout(pollTimer);
      closing.abort();
      clearTimeout(flushTimer);
      flushNotifications();
      rejectReady(new TargetNotReadyError("the client was closed before it was ready"));
      await Promise.all([...pendingSends]);
    },
  };
}
