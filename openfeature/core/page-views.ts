/**
 * Page views: the unit Target counts impressions in. Every Delivery API `execute` counts one, so
 * asking Target once per evaluated flag would count five for a page that reads five flags, and
 * count mboxes the page never showed. Instead, a page view fetches its mboxes with `prefetch`
 * (which counts nothing) once per Target call, and sends one display notification per mbox, the
 * first time a flag of it is evaluated, batched per tick.
 *
 * A page view is a transaction (OpenFeature's transaction context, one object per request) or,
 * outside any transaction, the evaluations of equal contexts in one tick. Decisions never cross
 * page views, so a value is never stale beyond the page it was fetched for.
 */
import type { CustomerIdInput, DeliveryRequest, GetOffersOptions, Notification, SendNotificationsOptions, TargetResponseEnvelope } from "@mboxgen/runtime";
import { decisionsOf, type CallDecisions, type MboxDecision } from "./decisions.js";
import { createSnapshot, type TargetSnapshot } from "./snapshot.js";
import type { TargetCall } from "./target-call.js";

/** What page views need of a Target client: mboxgen's remote or on-device client, or anything alike. */
export interface PageViewClient {
  getOffers(options: GetOffersOptions): Promise<TargetResponseEnvelope>;
  sendNotifications(options: SendNotificationsOptions): Promise<unknown>;
}

/** One mbox's decision in a page view, or the error of its call. */
export type MboxOutcome = { ok: true; value: MboxDecision; decisioningMethod: string } | { ok: false; error: unknown };

/** A Target call of a page view, fetched once for the mboxes it was asked for. */
interface PageCall {
  call: TargetCall;
  sessionId: string;
  outcomes: Map<string, Promise<MboxOutcome>>;
  /** The decisions of each Target call of the page, in order. */
  calls: Promise<CallDecisions | undefined>[];
}

/** A page view's calls (one per distinct context) and the mboxes already notified. */
interface PageView {
  calls: Map<string, PageCall>;
  notified: Set<string>;
}

/** Options of `PageViews`. */
export interface PageViewsOptions {
  client: PageViewClient;
  /** Mboxes fetched together with the first one a page view asks for (the configured ones). */
  prefetchTogether: readonly string[];
  /** Where a failed notification is reported; never to the evaluation. */
  onNotificationError: (error: unknown) => void;
  /** Whether to send the display notifications of a decided mbox (the page used its experience). */
  notify?: boolean;
}

const visitorKeyOf = (call: TargetCall) => JSON.stringify([call.request.id ?? null, call.options.targetCookie ?? null, call.options.visitorCookie ?? null, call.options.customerIds ?? null]);

function newId(): string {
  return globalThis.crypto.randomUUID().replace(/-/g, "");
}

/** Page views and their Target calls; one per provider. */
export class PageViews {
  private readonly byTransaction = new WeakMap<object, PageView>();
  private thisTick = new Map<string, PageView>();
  private tickTimer: ReturnType<typeof setTimeout> | undefined;
  private pending: Array<{ call: PageCall; notifications: Notification[] }> = [];
  private flushTimer: ReturnType<typeof setTimeout> | undefined;
  private readonly inFlight = new Set<Promise<unknown>>();

  constructor(private readonly options: PageViewsOptions) {}

  /**
   * The decision for `mbox` under `call`, in the page view of `transaction` (an object that stays
   * the same for one request) or, without one, of this tick.
   */
  decide(call: TargetCall, mbox: string, transaction: object | undefined): { outcome: Promise<MboxOutcome>; displayed: () => void } {
    const view = this.viewFor(call, transaction);
    let pageCall = view.calls.get(call.key);
    if (!pageCall) {
      pageCall = { call, sessionId: call.options.sessionId ?? newId(), outcomes: new Map(), calls: [] };
      view.calls.set(call.key, pageCall);
    }
    const current = pageCall;
    let outcome = current.outcomes.get(mbox);
    if (!outcome) outcome = this.fetch(current, [mbox, ...this.options.prefetchTogether.filter((name) => !current.outcomes.has(name) && name !== mbox)]).get(mbox)!;
    return { outcome, displayed: () => this.displayed(view, current, mbox) };
  }

  /**
   * What the page view decided for `mboxes` under `call`, for the browser to start from: it rejects
   * when a Target call failed. The mboxes the server has not notified yet are left to the browser
   * (the server will not notify them for this page view any more), so each is notified once.
   */
  async snapshot(call: TargetCall, mboxes: readonly string[], transaction: object | undefined, decisionKey: string): Promise<TargetSnapshot> {
    const view = this.viewFor(call, transaction);
    const outcomes = mboxes.map((mbox) => this.decide(call, mbox, transaction).outcome);
    const pageCall = view.calls.get(call.key)!;
    const decided = await Promise.all(outcomes);
    const failed = decided.find((outcome) => !outcome.ok);
    if (failed && !failed.ok) throw failed.error;
    const calls = (await Promise.all(pageCall.calls)).filter((decisions) => decisions !== undefined);
    const notified: string[] = [];
    for (const mbox of mboxes) {
      const notifiedKey = `${visitorKeyOf(call)}\u0000${mbox}`;
      if (view.notified.has(notifiedKey)) notified.push(mbox);
      else view.notified.add(notifiedKey);
    }
    const decisions: CallDecisions = {
      mboxes: Object.fromEntries(mboxes.map((mbox, index) => [mbox, (decided[index] as Extract<MboxOutcome, { ok: true }>).value])),
      visitor: Object.assign({}, call.request.id, ...calls.map((each) => each.visitor)),
      decisioningMethod: calls.at(-1)?.decisioningMethod ?? "server-side",
    };
    return createSnapshot(decisionKey, decisions, pageCall.sessionId, notified, calls.map((each) => each.targetCookie).filter((cookie) => cookie !== undefined).at(-1));
  }

  /** Sends the notifications waiting for the next tick, and waits for every one in flight. */
  async flush(): Promise<void> {
    clearTimeout(this.flushTimer);
    this.sendPending();
    await Promise.all([...this.inFlight]);
  }

  private viewFor(call: TargetCall, transaction: object | undefined): PageView {
    if (transaction) {
      let view = this.byTransaction.get(transaction);
      if (!view) this.byTransaction.set(transaction, (view = { calls: new Map(), notified: new Set() }));
      return view;
    }
    let view = this.thisTick.get(call.key);
    if (!view) {
      this.thisTick.set(call.key, (view = { calls: new Map(), notified: new Set() }));
      this.tickTimer ??= setTimeout(() => {
        this.tickTimer = undefined;
        this.thisTick = new Map();
      }, 0);
    }
    return view;
  }

  private fetch(pageCall: PageCall, mboxes: string[]): Map<string, Promise<MboxOutcome>> {
    const { call } = pageCall;
    const request: DeliveryRequest = {
      ...call.request,
      prefetch: { mboxes: mboxes.map((name, index) => ({ name, index: pageCall.outcomes.size + index + 1, ...(Object.keys(call.parameters).length > 0 ? { parameters: call.parameters } : {}), ...(Object.keys(call.profileParameters).length > 0 ? { profileParameters: call.profileParameters } : {}) })) },
    };
    const decided: Promise<CallDecisions> = this.options.client.getOffers({ ...call.options, sessionId: pageCall.sessionId, request }).then((envelope) => decisionsOf(envelope, mboxes));
    pageCall.calls.push(decided.then((decisions) => decisions, () => undefined));
    const outcomes = new Map<string, Promise<MboxOutcome>>();
    for (const name of mboxes) {
      const outcome = decided.then(
        (decisions): MboxOutcome => ({ ok: true, value: decisions.mboxes[name]!, decisioningMethod: decisions.decisioningMethod }),
        (error: unknown): MboxOutcome => ({ ok: false, error }),
      );
      pageCall.outcomes.set(name, outcome);
      outcomes.set(name, outcome);
    }
    return outcomes;
  }

  private displayed(view: PageView, pageCall: PageCall, mbox: string): void {
    if (this.options.notify === false) return;
    const notifiedKey = `${visitorKeyOf(pageCall.call)}\u0000${mbox}`;
    if (view.notified.has(notifiedKey)) return;
    view.notified.add(notifiedKey);
    void pageCall.outcomes.get(mbox)?.then((outcome) => {
      if (!outcome.ok || outcome.value.eventTokens.length === 0) return;
      const notification: Notification = { id: newId(), type: "display", timestamp: Date.now(), mbox: { name: mbox }, tokens: outcome.value.eventTokens };
      const waiting = this.pending.find((entry) => entry.call === pageCall);
      if (waiting) waiting.notifications.push(notification);
      else this.pending.push({ call: pageCall, notifications: [notification] });
      this.flushTimer ??= setTimeout(() => {
        this.flushTimer = undefined;
        this.sendPending();
      }, 0);
    });
  }

  // One notifications call per Target call with notifications waiting: the visitor Target
  // answered with, the call's context and session.
  private sendPending(): void {
    const batch = this.pending;
    this.pending = [];
    for (const { call: pageCall, notifications } of batch) {
      const sent = Promise.all(pageCall.calls)
        .then((calls) => {
          const id = Object.assign({}, pageCall.call.request.id, ...calls.map((decisions) => decisions?.visitor)) as DeliveryRequest["id"];
          const options = pageCall.call.options as { targetCookie?: string; visitorCookie?: string; customerIds?: Record<string, CustomerIdInput> };
          return this.options.client.sendNotifications({
            ...options,
            sessionId: pageCall.sessionId,
            request: { ...(id && Object.keys(id).length > 0 ? { id } : {}), context: pageCall.call.request.context, ...(pageCall.call.request.property ? { property: pageCall.call.request.property } : {}), notifications },
          });
        })
        .then(undefined, this.options.onNotificationError);
      this.inFlight.add(sent);
      void sent.finally(() => this.inFlight.delete(sent));
    }
  }
}
