/**
 * Entry `@mboxgen/openfeature/web`: Adobe Target as an OpenFeature provider for
 * `@openfeature/web-sdk`, starting from a server's snapshot; the `mbox` cookie as at.js keeps it;
 * and the check the generated React hooks apply to what any provider answers.
 */
export { TargetWebProvider } from "./web/target-web-provider.js";
export type { TargetWebClient, TargetWebProviderOptions } from "./web/target-web-provider.js";
export { readMboxCookie, writeMboxCookie } from "./web/mbox-cookie.js";
export type { MboxCookieOptions } from "./web/mbox-cookie.js";
export { embedSnapshot, isTargetSnapshot } from "./core/snapshot.js";
export type { TargetSnapshot } from "./core/snapshot.js";
export { defineReactFlags } from "./web/react-flags.js";
export type { ReactFlag, ReactFlags, TypedFlagDetails } from "./web/react-flags.js";
export type { VisitorIdField } from "./core/target-call.js";
