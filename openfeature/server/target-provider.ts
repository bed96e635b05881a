/**
 * `TargetProvider`: Adobe Target as an OpenFeature server provider, over any `@mboxgen/runtime`
 * client (remote, on-device or hybrid). A thin adapter: flag keys are read by `core/flag-keys.ts`,
 * contexts become Target calls by `core/target-call.ts`, page views fetch and notify by
 * `core/page-views.ts`, and each flag resolves by `core/resolution.ts`, exactly as the generated
 * accessors read offers. Tracking is `server/tracking.ts`.
 */
import { mboxSpecOf, type GetOffersOptions, type MboxSpec, type SendNotificationsOptions, type TargetResponseEnvelope } from "@mboxgen/runtime";
import type { DecisioningArtifact, TargetEvents } from "@mboxgen/runtime/on-device";
import {
  ErrorCode,
  OpenFeature,
  OpenFeatureEventEmitter,
  ProviderEvents,
  type EvaluationContext,
  type JsonValue,
  type Logger,
  type Provider,
  type ResolutionDetails,
  type TrackingEventDetails,
} from "@openfeature/server-sdk";
import { FlagKeys } from "../core/flag-keys.js";
import { PageViews } from "../core/page-views.js";
import type { TargetSnapshot } from "../core/snapshot.js";
import { resolveFlag, type FlagType } from "../core/resolution.js";
import { decisionKeyOf, targetCallOf, type VisitorIdField } from "../core/target-call.js";
import { changedFlagKeys } from "./artifact-changes.js";
import { ArtifactKeys } from "../core/artifact-keys.js";
import { trackConversion } from "./tracking.js";

/**
 * What the provider needs of a Target client: `createTargetClient()` of `@mboxgen/runtime` or of
 * `@mboxgen/runtime/on-device` (its readiness and events are used when present).
 */
export interface TargetProviderClient {
  getOffers(options: GetOffersOptions): Promise<TargetResponseEnvelope>;
  sendNotifications(options: SendNotificationsOptions): Promise<unknown>;
  /** On-device: resolves when the artifact is loaded. */
  readonly ready?: Promise<void> | undefined;
  /** On-device: adds artifact event handlers. */
  subscribe?(handlers: TargetEvents): () => void;
  /** On-device: the artifact decisions use now. */
  getRawArtifact?(): DecisioningArtifact | undefined;
}

/** A generated mbox descriptor (`demoEngineeringFlags` of the generated index). */
export type MboxDescriptorLike = { readonly mbox: string };

/** Options of `TargetProvider`. */
export interface TargetProviderOptions {
  /** The Target client: remote, on-device or hybrid. */
  client: TargetProviderClient;
  /**
   * The mboxes flags are read from: generated descriptors (their values are checked by the
   * generated validators, with the schemas' defaults) or plain mbox names. A page view fetches
   * them all in its first Target call. Their names also decide flag keys with dots.
   */
  mboxes?: ReadonlyArray<MboxDescriptorLike | string> | undefined;
  /** The mbox a flag key without a known mbox prefix is a key of (`"showBanner"` → `<defaultMbox>.showBanner`). */
  defaultMbox?: string | undefined;
  /** The id `targetingKey` fills. Default `"tntId"`. */
  visitorId?: VisitorIdField | undefined;
  /** On-device: after how long without a fresh artifact (downloads failing) the provider is `STALE`. Default 15 minutes. */
  staleAfter?: number | undefined;
  /** Where failed notifications and tracking reports are logged (never thrown to the caller). Default: OpenFeature's logger of the evaluation, else none. */
  logger?: Pick<Logger, "warn" | "error"> | undefined;
}

const DEFAULT_STALE_AFTER = 15 * 60_000;

/**
 * Adobe Target as an OpenFeature provider for `@openfeature/server-sdk`.
 *
 * @example
 * ```ts
 * import { OpenFeature } from "@openfeature/server-sdk";
 * import { createTargetClient } from "@mboxgen/runtime";
 * import { TargetProvider } from "@mboxgen/openfeature/server";
 * import { demoEngineeringFlags } from "./target/index.js";
 *
 * const client = createTargetClient({ client: "acmeclient", organizationId: "1234567890@AdobeOrg" });
 * await OpenFeature.setProviderAndWait(new TargetProvider({ client, mboxes: [demoEngineeringFlags] }));
 * const providerId = await OpenFeature.getClient().getNumberValue("demo-engineering-flags.searchProviderId", 143, { targetingKey: "visitor-1" });
 * ```
 */
export class TargetProvider implements Provider {
  readonly metadata = { name: "Adobe Target (mboxgen)" } as const;
  readonly runsOn = "server" as const;
  readonly events = new OpenFeatureEventEmitter();

  private readonly client: TargetProviderClient;
  private readonly specs = new Map<string, MboxSpec<string>>();
  private readonly flagKeys: FlagKeys;
  private readonly pageViews: PageViews;
  private readonly prefetchTogether: readonly string[];
  private readonly visitorId: VisitorIdField;
  private readonly staleAfter: number;
  private readonly logger: Pick<Logger, "warn" | "error"> | undefined;
  private unsubscribe: (() => void) | undefined;
  private lastFresh = Date.now();
  private stale = false;
  private reportedProblems = new Set<string>();
  private readonly artifactKeys = new ArtifactKeys();

  constructor(options: TargetProviderOptions) {
    if (typeof options?.client?.getOffers !== "function" || typeof options.client.sendNotifications !== "function") {
      throw new TypeError("TargetProvider: options.client must be a Target client from @mboxgen/runtime (createTargetClient)");
    }
    this.client = options.client;
    const names: string[] = [];
    for (const mbox of options.mboxes ?? []) {
      if (typeof mbox === "string") {
        names.push(mbox);
        continue;
      }
      const spec = mboxSpecOf(mbox);
      if (!spec) throw new TypeError("TargetProvider: options.mboxes takes mbox names and descriptors of generated modules");
      this.specs.set(spec.mbox, spec);
      names.push(spec.mbox);
    }
    this.flagKeys = new FlagKeys(names, options.defaultMbox);
    this.visitorId = options.visitorId ?? "tntId";
    this.staleAfter = options.staleAfter ?? DEFAULT_STALE_AFTER;
    this.logger = options.logger;
    this.prefetchTogether = [...new Set([...names, ...(options.defaultMbox !== undefined ? [options.defaultMbox] : [])])];
    this.pageViews = new PageViews({
      client: this.client,
      prefetchTogether: this.prefetchTogether,
      onNotificationError: (error) => this.logger?.error(`Target display notification failed: ${error instanceof Error ? error.message : String(error)}`),
    });
  }

  /** Resolves when the client can decide (on-device: once its artifact is loaded); rejects when it cannot. */
  async initialize(): Promise<void> {
    this.unsubscribe?.();
    if (typeof this.client.subscribe === "function") this.unsubscribe = this.client.subscribe(this.artifactHandlers());
    await this.client.ready;
    this.lastFresh = Date.now();
  }

  /** Sends the display notifications still waiting and stops listening to the client's events; the client stays open (it is yours). */
  async onClose(): Promise<void> {
    this.unsubscribe?.();
    this.unsubscribe = undefined;
    await this.pageViews.flush();
  }

  resolveBooleanEvaluation(flagKey: string, defaultValue: boolean, context: EvaluationContext, logger: Logger): Promise<ResolutionDetails<boolean>> {
    return this.evaluate(flagKey, "boolean", defaultValue, context, logger);
  }

  resolveStringEvaluation(flagKey: string, defaultValue: string, context: EvaluationContext, logger: Logger): Promise<ResolutionDetails<string>> {
    return this.evaluate(flagKey, "string", defaultValue, context, logger);
  }

  resolveNumberEvaluation(flagKey: string, defaultValue: number, context: EvaluationContext, logger: Logger): Promise<ResolutionDetails<number>> {
    return this.evaluate(flagKey, "number", defaultValue, context, logger);
  }

  resolveObjectEvaluation<T extends JsonValue>(flagKey: string, defaultValue: T, context: EvaluationContext, logger: Logger): Promise<ResolutionDetails<T>> {
    return this.evaluate(flagKey, "object", defaultValue, context, logger);
  }

  /**
   * What Target decides for the page of `context` (the configured mboxes, or `mboxes`), for a browser
   * to start from (`TargetWebProvider`'s `bootstrap`; `embedSnapshot` makes it safe to inline).
   * Called in the page's transaction, it shares the page view's Target call: evaluations and the
   * snapshot make one call, and each mbox's display notification is sent once, by the server for
   * the mboxes it already notified and by the browser for the others. Rejects when Target fails
   * (render without a snapshot then: the browser asks Target itself).
   */
  snapshot(context: EvaluationContext, mboxes?: readonly string[]): Promise<TargetSnapshot> {
    const names = mboxes ?? this.prefetchTogether;
    const merged = { ...OpenFeature.getContext(), ...OpenFeature.getTransactionContext(), ...context };
    return this.pageViews.snapshot(targetCallOf(merged, this.visitorId), names, currentTransaction(), decisionKeyOf(merged, this.visitorId));
  }

  /**
   * Reports a conversion to Target: an `execute` call for the mbox named by the event, with
   * `details.value` as the order total and `orderId`, `productIds` as the order's; every other
   * detail is an mbox parameter. Failures go to the logger, never to the caller.
   */
  track(trackingEventName: string, context: EvaluationContext, trackingEventDetails: TrackingEventDetails): void {
    const call = targetCallOf(context, this.visitorId);
    trackConversion(this.client, call, trackingEventName, trackingEventDetails).then(
      (problems) => {
        for (const problem of [...call.problems, ...problems]) this.logger?.warn(`Target tracking of ${JSON.stringify(trackingEventName)}: detail ${problem}`);
      },
      (error: unknown) => this.logger?.error(`Target tracking of ${JSON.stringify(trackingEventName)} failed: ${error instanceof Error ? error.message : String(error)}`),
    );
  }

  private async evaluate<Value>(flagKey: string, type: FlagType, defaultValue: Value, context: EvaluationContext, logger: Logger): Promise<ResolutionDetails<Value>> {
    const address = this.flagKeys.resolve(flagKey);
    const call = targetCallOf(context, this.visitorId);
    this.reportProblems(call.problems, logger);
    const { outcome, displayed } = this.pageViews.decide(call, address.mbox, currentTransaction());
    const decision = await outcome;
    const resolution = resolveFlag({ flagKey, address, type, defaultValue, spec: this.specs.get(address.mbox), knownKeys: this.artifactKeys.of(this.client.getRawArtifact?.(), address.mbox), decision });
    if (resolution.displayed) displayed();
    const { displayed: _displayed, errorCode, ...details } = resolution;
    return errorCode === undefined ? details : { ...details, errorCode: ErrorCode[errorCode] };
  }

  // A context attribute Target cannot take is reported once per provider and attribute, not per evaluation.
  private reportProblems(problems: readonly string[], logger: Logger): void {
    for (const problem of problems) {
      if (this.reportedProblems.has(problem) || this.reportedProblems.size > 1000) continue;
      this.reportedProblems.add(problem);
      (this.logger ?? logger).warn(`TargetProvider: evaluation context attribute ${problem}`);
    }
  }

  // On-device: a new artifact is a configuration change; downloads failing for long make the provider stale.
  private artifactHandlers(): TargetEvents {
    let previous = this.client.getRawArtifact?.();
    return {
      artifactDownloadSucceeded: () => {
        const next = this.client.getRawArtifact?.();
        this.lastFresh = Date.now();
        if (this.stale) {
          this.stale = false;
          this.events.emit(ProviderEvents.Ready, { message: "the rules artifact is fresh again" });
        }
        if (previous !== undefined && next !== undefined && next !== previous) {
          const flagsChanged = changedFlagKeys(previous, next, this.specs);
          if (flagsChanged.length > 0) this.events.emit(ProviderEvents.ConfigurationChanged, { flagsChanged, message: "Target's rules artifact changed" });
        }
        previous = next;
      },
      artifactDownloadFailed: () => {
        if (this.stale || Date.now() - this.lastFresh < this.staleAfter) return;
        this.stale = true;
        this.events.emit(ProviderEvents.Stale, { message: `the rules artifact could not be refreshed for ${Math.round((Date.now() - this.lastFresh) / 1000)} s` });
      },
    };
  }
}

// OpenFeature's transaction context when the evaluation runs inside one: the propagator hands out
// the same object for the whole transaction, and a new empty one outside any.
function currentTransaction(): object | undefined {
  const first = OpenFeature.getTransactionContext();
  return first === OpenFeature.getTransactionContext() ? first : undefined;
}
