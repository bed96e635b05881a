/**
 * Display events for the Target propositions an app read, so Target counts each impression once.
 * The Web SDK never displays JSON offers itself (it renders none of them), and a JSON offer read
 * without a display event is an impression Target's reports never see.
 */
import { TargetValidationError } from "../platform/errors.js";
import { displayStateOf } from "./propositions-provider.js";
import { DISPLAY_EVENT_TYPE, type Proposition } from "./proposition-types.js";

/** What a display event names of each proposition: Adobe's `{ id, scope, scopeDetails }`. */
export interface PropositionReference {
  id: string | undefined;
  scope: string | undefined;
  scopeDetails: Proposition["scopeDetails"];
}

/** The display event, as the Web SDK's `sendEvent` takes it and the Edge Network receives it. */
export interface DisplayEvent {
  xdm: {
    eventType: typeof DISPLAY_EVENT_TYPE;
    _experience: {
      decisioning: {
        propositions: PropositionReference[];
        propositionEventType: { display: 1 };
      };
    };
    [key: string]: unknown;
  };
  [key: string]: unknown;
}

/**
 * The app's Web SDK instance: the `alloy` function (`window.alloy` from the base code, or
 * `createInstance()` from `@adobe/alloy`), which takes a command and its options and returns a
 * promise (typed `any` by Adobe, as here).
 */
export type WebSdkInstance = (command: string, options?: any) => any;

/** Anything that sends an event with the visitor context of the call that delivered the propositions: the Edge Network client. */
export interface DisplayEventSender {
  sendEvent(event: DisplayEvent, context?: any): Promise<unknown>;
}

/** What `sendDisplay` resolves with. */
export interface DisplayResult {
  /** The propositions this call's display event named (empty when there was nothing new to send, or it failed). */
  sent: PropositionReference[];
  /** The error of the failed send; its propositions stay pending, and the next call sends them again. */
  error?: unknown;
}

/** Options of `sendDisplay`. */
export interface SendDisplayOptions {
  /** More XDM fields for the event (merged over the display fields' siblings), e.g. `web.webPageDetails`. */
  xdm?: Record<string, unknown> | undefined;
}

// Propositions a display event was sent (or is being sent) for: per proposition object, so two
// providers over the same result share it, and the next page view's result (new objects) counts anew.
const displayed = new WeakSet<Proposition>();

function referenceOf(proposition: Proposition): PropositionReference {
  return { id: proposition.id, scope: proposition.scope, scopeDetails: proposition.scopeDetails };
}

/**
 * Sends one display event (`decisioning.propositionDisplay`) for the Target propositions whose
 * values were read through `provider` and were not displayed yet: through the app's Web SDK
 * instance in the browser (`alloy("sendEvent", event)`) or the Edge Network client on the server
 * (with the visitor of the call that delivered them). Each proposition is displayed once: a
 * second call sends nothing new, and propositions the Web SDK rendered itself
 * (`renderAttempted`) are left to it. Never rejects: a failure is in the result, and the
 * propositions stay pending for the next call.
 *
 * @example
 * ```ts
 * const provider = propositionsProvider(await alloy("sendEvent", { decisionScopes: ["hero-banner"] }));
 * render(heroBanner.from(provider));
 * await sendDisplay(alloy, provider);
 * ```
 */
export async function sendDisplay(sender: WebSdkInstance | DisplayEventSender, provider: unknown, options?: SendDisplayOptions): Promise<DisplayResult> {
  const state = displayStateOf(provider);
  if (!state) return { sent: [], error: new TargetValidationError("sendDisplay expects a provider from propositionsProvider() or the Edge Network client's getAttributes()") };
  const pending = [...state.read].filter((proposition) => !displayed.has(proposition) && proposition.renderAttempted !== true);
  if (pending.length === 0) return { sent: [] };
  for (const proposition of pending) displayed.add(proposition);
  const sent = pending.map(referenceOf);
  const event: DisplayEvent = {
    xdm: {
      ...options?.xdm,
      eventType: DISPLAY_EVENT_TYPE,
      _experience: { decisioning: { propositions: sent, propositionEventType: { display: 1 } } },
    },
  };
  try {
    if (typeof sender === "function") await sender("sendEvent", event);
    else if (typeof sender?.sendEvent === "function") await sender.sendEvent(event, state.context);
    else throw new TargetValidationError("sendDisplay expects the Web SDK instance (alloy) or an Edge Network client");
    return { sent };
  } catch (error) {
    for (const proposition of pending) displayed.delete(proposition);
    return { sent: [], error: error ?? new Error("the display event failed") };
  }
}
