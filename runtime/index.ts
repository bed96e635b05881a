/**
 * @mboxgen/runtime: a dependency-free Adobe Target Delivery API client whose `getAttributes`
 * behaves like `@adobe/target-nodejs-sdk`'s, plus the support code of generated accessor modules.
 * Imports only web-standard globals (fetch, AbortController, crypto), so it also runs on edge
 * runtimes and in browsers.
 */
export { createTargetClient, TargetCookieNames } from "./client.js";
export type { TargetClient } from "./client.js";
export type {
  CustomerIdInput,
  GetOffersOptions,
  ResponseMeta,
  SendNotificationsOptions,
  TargetClientOptions,
  TargetLogger,
  TargetResponseEnvelope,
} from "./client-types.js";
export { createAttributesProvider } from "./attributes-provider.js";
export type { AttributesProvider, MboxAttributes } from "./attributes-provider.js";
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
} from "./errors.js";
export type { TargetErrorKind } from "./errors.js";
export type { FetchFunction, FetchInit, FetchResponse } from "./http.js";
export type { TargetCookie } from "./target-cookie.js";
export type * from "./delivery-types.js";
export { RUNTIME_VERSION } from "./version.js";
export { defineMbox, getTypedAttributes, hasUniqueItems, isJsonEqual, isJsonObject, isMultipleOf, matchesPattern } from "./accessors.js";
export type {
  AccessorOptions,
  AccessorsByExportName,
  AttributeSpec,
  AttributesClient,
  AttributesSource,
  FallbackEvent,
  FallbackReason,
  MboxAccessors,
  MboxAccessorsBase,
  MboxDescriptor,
  MboxSpec,
  WithDefaults,
} from "./accessors.js";
