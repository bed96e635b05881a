/**
 * `TargetWebProvider`: Adobe Target as an OpenFeature provider for `@openfeature/web-sdk`. The web
 * SDK evaluates synchronously, so the provider answers from what it fetched for the current
 * context: every configured mbox in one Delivery API call (remote; on-device the client decides
 * them locally), refetched only when a context change changes what Target decides on. With
 * `bootstrap` (a server's `snapshot()`), it is ready at once from the server's values and makes no
 * call for them. A thin adapter over `core/`: flags resolve exactly as `TargetProvider` resolves
 * them; each mbox's display notification is sent once per page view (not at all for the mboxes the
 * server already notified).
 */
import { mboxSpecOf, type DeliveryRequest, type GetOffersOptions, type MboxSpec, type Notification, type SendNotificationsOptions, type TargetResponseEnvelope } from "@mboxgen/runtime";
import { ErrorCode, OpenFeatureEventEmitter, type EvaluationContext, type JsonValue, type Logger, type Provider, type ResolutionDetails } from "@openfeature/web-sdk";
import type { DecisioningArtifact } from "@mboxgen/runtime/on-device";
import { ArtifactKeys } from "../core/artifact-keys.js";
import { decisionsOf, type MboxDecision } from "../core/decisions.js";
import { FlagKeys } from "../core/flag-keys.js";
import { resolveFlag, type FlagResolution, type FlagType } from "../core/resolution.js";
import { isTargetSnapshot, type TargetSnapshot } from "../core/snapshot.js";
import { decisionKeyOf, targetCallOf, type TargetCall, type VisitorIdField } from "../core/target-call.js";
import { readMboxCookie, writeMboxCookie, type MboxCookieOptions } from "./mbox-cookie.js";

/** What the web provider needs of a Target client (`createTargetClient` of the runtime, remote or on-device). */
export interface TargetWebClient {
  getOffers(options: GetOffersOptions): Promise<TargetResponseEnvelope>;
  sendNotifications(options: SendNotificationsOptions): Promise<unknown>;
  /** On-device: resolves when the artifact is loaded. */
  readonly ready?: Promise<void> | undefined;
  /** On-device: the artifact decisions use now (which keys each mbox's offers have). */
  getRawArtifact?(): DecisioningArtifact | undefined;
}

/** Options of `TargetWebProvider`. */
export interface TargetWebProviderOptions {
  /** The Target client: remote (one Delivery API call per context) or on-device (no call per visitor). */
  client: TargetWebClient;
  /** The mboxes a page reads, fetched together: generated descriptors (typed, validated, defaulted) or names. */
  mboxes: ReadonlyArray<{ readonly mbox: string } | string>;
  /** A server's `snapshot()` of this page: ready at once from it, no call for it. Anything else is ignored. */
  bootstrap?: unknown;
  /** As `TargetProvider`'s. */
  defaultMbox?: string | undefined;
  /** As `TargetProvider`'s. */
  visitorId?: VisitorIdField | undefined;
  /** Where the `mbox` cookie is kept, as at.js keeps it; `false` keeps none (then pass `targetingKey`). */
  cookie?: MboxCookieOptions | false | undefined;
  /** Where failed notifications and context problems are logged. */
  logger?: Pick<Logger, "warn" | "error"> | undefined;
  /**
   * Whether this provider sends display notifications. Default `true`; `false` for one that renders
   * a page on a server from its snapshot (the browser's provider sends them, once).
   */
  notify?: boolean | undefined;
}

/** What the provider answers from: the decisions for one context, and what it notified of them. */
interface PageState {
  decisionKey: string;
  call: TargetCall;
  decisions: Record<string, MboxDecision>;
  decisioningMethod: string;
  visitor: Record<string, unknown>;
  sessionId: string;
  notified: Set<string>;
  /** `bootstrap`: the server's values; `fetched`: decided for this context here; `stale`: a refetch failed, these are the previous context's. */
  source: "bootstrap" | "fetched" | "stale";
}

function newId(): string {
  return globalThis.crypto.randomUUID().replace(/-/g, "");
}

/**
 * Adobe Target as an OpenFeature provider for `@openfeature/web-sdk`.
 *
 * @example
 * ```ts
 * import { OpenFeature } from "@openfeature/web-sdk";
 * import { createTargetClient } from "@mboxgen/runtime";
 * import { TargetWebProvider } from "@mboxgen/openfeature/web";
 *
 * const client = createTargetClient({ client: "acmeclient", organizationId: "1234567890@AdobeOrg" });
 * OpenFeature.setProvider(new TargetWebProvider({ client, mboxes: ["demo-engineering-flags"], bootstrap: window.__TARGET__ }));
 * ```
 */
export class TargetWebProvider implements Provider {
  readonly metadata = { name: "Adobe Target (mboxgen, web)" } as const;
  readonly runsOn = "client" as const;
  readonly events = new OpenFeatureEventEmitter();
  /** Fetches the decisions for the first context; absent with a bootstrap, so that the provider is ready at once. */
  readonly initialize?: (context?: EvaluationContext) => Promise<void>;

  private readonly client: TargetWebClient;
  private readonly mboxNames: string[] = [];
  private readonly specs = new Map<string, MboxSpec<string>>();
  private readonly flagKeys: FlagKeys;
  private readonly visitorId: VisitorIdField;
  private readonly cookie: MboxCookieOptions | false;
  private readonly logger: Pick<Logger, "warn" | "error"> | undefined;
  private readonly notify: boolean;
  private page: PageState | undefined;
  private readonly artifactKeys = new ArtifactKeys();
  private pending: Array<{ page: PageState; notification: Notification }> = [];
  private flushTimer: ReturnType<typeof setTimeout> | undefined;

  constructor(options: TargetWebProviderOptions) {
    if (typeof options?.client?.getOffers !== "function" || typeof options.client.sendNotifications !== "function") {
      throw new TypeError("TargetWebProvider: options.client must be a Target client from @mboxgen/runtime (createTargetClient)");
    }
    this.client = options.client;
    for (const mbox of options.mboxes ?? []) {
      const spec = typeof mbox === "string" ? undefined : mboxSpecOf(mbox);
      if (typeof mbox !== "string" && !spec) throw new TypeError("TargetWebProvider: options.mboxes takes mbox names and descriptors of generated modules");
      if (spec) this.specs.set(spec.mbox, spec);
      this.mboxNames.push(spec ? spec.mbox : (mbox as string));
    }
    if (options.defaultMbox !== undefined && !this.mboxNames.includes(options.defaultMbox)) this.mboxNames.push(options.defaultMbox);
    this.flagKeys = new FlagKeys(this.mboxNames, options.defaultMbox);
    this.visitorId = options.visitorId ?? "tntId";
    this.cookie = options.cookie ?? {};
    this.logger = options.logger;
    this.notify = options.notify ?? true;
    if (isTargetSnapshot(options.bootstrap)) {
      const snapshot: TargetSnapshot = options.bootstrap;
      this.page = {
        decisionKey: snapshot.callKey,
        call: targetCallOf({}, this.visitorId),
        decisions: snapshot.mboxes,
        decisioningMethod: snapshot.decisioningMethod,
        visitor: snapshot.visitor,
        sessionId: snapshot.sessionId,
        notified: new Set(snapshot.notified),
        source: "bootstrap",
      };
      if (snapshot.targetCookie && this.cookie !== false) writeMboxCookie(snapshot.targetCookie, this.cookie);
    } else {
      this.initialize = (context) => this.load(context ?? {});
    }
  }

  /** Refetches when the new context changes what Target decides on; an equal one changes nothing. */
  onContextChange(_oldContext: EvaluationContext, newContext: EvaluationContext): Promise<void> | void {
    if (this.page !== undefined && this.page.source !== "stale" && this.page.decisionKey === decisionKeyOf(newContext, this.visitorId)) {
      // The same decisions: the bootstrap's call now knows the context it is for.
      this.page.call = targetCallOf(newContext, this.visitorId);
      return;
    }
    return this.load(newContext);
  }

  /** Sends the display notifications still waiting. */
  async onClose(): Promise<void> {
    clearTimeout(this.flushTimer);
    await this.sendPending();
  }

  resolveBooleanEvaluation(flagKey: string, defaultValue: boolean, context: EvaluationContext): ResolutionDetails<boolean> {
    return this.resolve(flagKey, "boolean", defaultValue, context);
  }

  resolveStringEvaluation(flagKey: string, defaultValue: string, context: EvaluationContext): ResolutionDetails<string> {
    return this.resolve(flagKey, "string", defaultValue, context);
  }

  resolveNumberEvaluation(flagKey: string, defaultValue: number, context: EvaluationContext): ResolutionDetails<number> {
    return this.resolve(flagKey, "number", defaultValue, context);
  }

  resolveObjectEvaluation<T extends JsonValue>(flagKey: string, defaultValue: T, context: EvaluationContext): ResolutionDetails<T> {
    return this.resolve(flagKey, "object", defaultValue, context);
  }

  private resolve<Value>(flagKey: string, type: FlagType, defaultValue: Value, _context: EvaluationContext): ResolutionDetails<Value> {
    const page = this.page;
    const address = this.flagKeys.resolve(flagKey);
    let resolution: FlagResolution<Value>;
    if (!page) {
      resolution = { value: defaultValue, reason: "ERROR", errorCode: "PROVIDER_NOT_READY", errorMessage: "Target's decisions for the context have not arrived yet", flagMetadata: { mbox: address.mbox }, displayed: false };
    } else if (!Object.hasOwn(page.decisions, address.mbox)) {
      resolution = { value: defaultValue, reason: "ERROR", errorCode: "FLAG_NOT_FOUND", errorMessage: `mbox ${JSON.stringify(address.mbox)} is not one of the provider's mboxes (${this.mboxNames.join(", ")}): add it to options.mboxes`, flagMetadata: { mbox: address.mbox }, displayed: false };
    } else {
      const knownKeys = this.artifactKeys.of(this.client.getRawArtifact?.(), address.mbox);
      resolution = resolveFlag({ flagKey, address, type, defaultValue, spec: this.specs.get(address.mbox), knownKeys, decision: { ok: true, value: page.decisions[address.mbox]!, decisioningMethod: page.decisioningMethod } });
      // Values of the server (bootstrap) are its cache; after a failed refetch, the previous context's are stale.
      if (resolution.errorCode === undefined && resolution.reason !== "DEFAULT" && page.source !== "fetched") resolution.reason = page.source === "bootstrap" ? "CACHED" : "STALE";
      if (resolution.displayed) this.displayed(page, address.mbox);
    }
    const { displayed: _displayed, errorCode, ...details } = resolution;
    return errorCode === undefined ? details : { ...details, errorCode: ErrorCode[errorCode] };
  }

  private async load(context: EvaluationContext): Promise<void> {
    const call = targetCallOf(context, this.visitorId);
    for (const problem of call.problems) this.logger?.warn(`TargetWebProvider: evaluation context attribute ${problem}`);
    const targetCookie = call.options.targetCookie ?? (this.cookie === false ? undefined : readMboxCookie(this.cookie));
    const sessionId = call.options.sessionId ?? newId();
    const withParameters = { ...(Object.keys(call.parameters).length > 0 ? { parameters: call.parameters } : {}), ...(Object.keys(call.profileParameters).length > 0 ? { profileParameters: call.profileParameters } : {}) };
    const request: DeliveryRequest = { ...call.request, prefetch: { mboxes: this.mboxNames.map((name, index) => ({ name, index: index + 1, ...withParameters })) } };
    try {
      await this.client.ready;
      const envelope = await this.client.getOffers({ ...call.options, ...(targetCookie !== undefined ? { targetCookie } : {}), sessionId, request });
      const decisions = decisionsOf(envelope, this.mboxNames);
      if (decisions.targetCookie && this.cookie !== false) writeMboxCookie(decisions.targetCookie, this.cookie);
      // A new page view: its mboxes are notified again when read (a new decision is a new impression).
      this.page = { decisionKey: decisionKeyOf(context, this.visitorId), call, decisions: decisions.mboxes, decisioningMethod: decisions.decisioningMethod, visitor: decisions.visitor, sessionId, notified: new Set(), source: "fetched" };
    } catch (error) {
      // Keep answering from what there is, marked stale; the SDK reports the error.
      if (this.page) this.page.source = "stale";
      throw error;
    }
  }

  private displayed(page: PageState, mbox: string): void {
    if (!this.notify || page.notified.has(mbox)) return;
    page.notified.add(mbox);
    const tokens = page.decisions[mbox]?.eventTokens ?? [];
    if (tokens.length === 0) return;
    this.pending.push({ page, notification: { id: newId(), type: "display", timestamp: Date.now(), mbox: { name: mbox }, tokens } });
    this.flushTimer ??= setTimeout(() => {
      this.flushTimer = undefined;
      void this.sendPending();
    }, 0);
  }

  // One notifications call per page view with notifications waiting, with its visitor and session.
  private async sendPending(): Promise<void> {
    const pending = this.pending;
    this.pending = [];
    const pages = new Map<PageState, Notification[]>();
    for (const { page, notification } of pending) pages.set(page, [...(pages.get(page) ?? []), notification]);
    const targetCookie = this.cookie === false ? undefined : readMboxCookie(this.cookie);
    await Promise.all(
      [...pages].map(async ([page, notifications]) => {
        try {
          await this.client.sendNotifications({
            sessionId: page.sessionId,
            ...(targetCookie !== undefined ? { targetCookie } : {}),
            request: { id: { ...page.call.request.id, ...page.visitor } as DeliveryRequest["id"], context: page.call.request.context, ...(page.call.request.property ? { property: page.call.request.property } : {}), notifications },
          });
        } catch (error) {
          this.logger?.error(`Target display notification failed: ${error instanceof Error ? error.message : String(error)}`);
        }
      }),
    );
  }
}
