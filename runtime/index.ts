/**
 * Entry `@mboxgen/runtime`: the Delivery API client (`delivery-api/`), whose `getAttributes`
 * behaves like `@adobe/target-nodejs-sdk`'s, and the support code of generated accessor modules
 * (`accessors/`), over web-standard plumbing (`platform/`). Only web-standard globals (fetch,
 * AbortController, crypto), so it also runs on edge runtimes and in browsers. Nothing of
 * `on-device/` is imported here: an app that decides remotely bundles none of it.
 */
export { createTargetClient, TargetCookieNames } from "./delivery-api/client.js";
export type { TargetClient } from "./delivery-api/client.js";
export type {
  CustomerIdInput,
  GetOffersOptions,
  ResponseMeta,
  SendNotificationsOptions,
  TargetClientOptions,
  TargetLogger,
  TargetResponseEnvelope,
} from "./delivery-api/client-types.js";
export { createAttributesProvider } from "./delivery-api/attributes-provider.js";
export type { AttributesProvider, MboxAttributes } from "./delivery-api/attributes-provider.js";
export {
  isTargetError,
  isTargetHttpError,
  isTargetNetworkError,
  isTargetResponseError,
  isTargetTimeoutError,
  TargetError,
  TargetHttpError,
  TargetNetworkError,
  TargetResponseError,
  TargetTimeoutError,
  TargetUnsupportedError,
  TargetValidationError,
} from "./platform/errors.js";
export type { TargetErrorKind } from "./platform/errors.js";
export type { FetchFunction, FetchInit, FetchResponse } from "./platform/http.js";
export type { TargetCookie } from "./delivery-api/target-cookie.js";
export type * from "./delivery-api/delivery-types.js";
export { RUNTIME_VERSION } from "./platform/version.js";
export { defineMbox, getTypedAttributes, mboxSpecOf, resolveAttribute } from "./accessors/define-mbox.js";
export { hasUniqueItems, includesJsonEqual, isJsonEqual, isJsonObject, isMultipleOf, matchesAll, matchesAny, matchesExactlyOne, matchesPattern } from "./accessors/validator-helpers.js";
export type {
  AccessorOptions,
  AccessorOptionsFor,
  AccessorsByExportName,
  AttributeResolution,
  AttributeSpec,
  AttributesClient,
  AttributesSource,
  ClientOptionsOf,
  FallbackEvent,
  FallbackOptions,
  FallbackReason,
  MboxAccessors,
  MboxAccessorsBase,
  MboxDescriptor,
  MboxSpec,
  WithDefaults,
} from "./accessors/define-mbox.js";
