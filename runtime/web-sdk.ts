/**
 * Entry `@mboxgen/runtime/web-sdk`: Target JSON offers delivered as propositions, by Adobe's
 * Experience Platform Web SDK (`@adobe/alloy`) in the browser or the Edge Network Server API on
 * the server (`web-sdk/`), read through generated descriptors unchanged
 * (`heroBanner.from(propositionsProvider(result))`), with display events sent once per
 * proposition. Zero dependencies; nothing of `on-device/`.
 */
export { propositionsProvider } from "./web-sdk/propositions-provider.js";
export type { PropositionsProvider, TargetDecision } from "./web-sdk/propositions-provider.js";
export { sendDisplay } from "./web-sdk/send-display.js";
export type { DisplayEvent, DisplayEventSender, DisplayResult, PropositionReference, SendDisplayOptions, WebSdkInstance } from "./web-sdk/send-display.js";
export { createEdgeNetworkClient } from "./web-sdk/edge-client.js";
export type {
  EdgeAttributesProvider,
  EdgeCallOptions,
  EdgeCallResult,
  EdgeCookie,
  EdgeNetworkClient,
  EdgeNetworkClientOptions,
  IdentityItem,
  TargetParameterValue,
} from "./web-sdk/edge-client.js";
export { DISPLAY_EVENT_TYPE, JSON_CONTENT_ITEM_SCHEMA, TARGET_DECISION_PROVIDER } from "./web-sdk/proposition-types.js";
export type { EdgeHandle, EdgeResponseBody, Proposition, PropositionItem, PropositionsInput, ScopeDetails } from "./web-sdk/proposition-types.js";
export { isTargetError, isTargetHttpError, isTargetNetworkError, isTargetResponseError, isTargetTimeoutError } from "./platform/errors.js";
export type { FetchFunction } from "./platform/http.js";
