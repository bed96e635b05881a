/**
 * Entry `@mboxgen/openfeature/server`: Adobe Target as an OpenFeature provider for
 * `@openfeature/server-sdk`, over any `@mboxgen/runtime` client; and the support of the typed
 * getters `mboxgen generate --openfeature server` writes, over any OpenFeature server client.
 */
export { TargetProvider } from "./server/target-provider.js";
export type { MboxDescriptorLike, TargetProviderClient, TargetProviderOptions } from "./server/target-provider.js";
export { defineServerFlags, evaluateTypedFlag } from "./server/typed-flags.js";
export type { FlagGetter, FlagGetterWithDefault, FlagKind, TypedEvaluationDetails } from "./server/typed-flags.js";
export { embedSnapshot } from "./core/snapshot.js";
export type { TargetSnapshot } from "./core/snapshot.js";
export type { VisitorIdField } from "./core/target-call.js";
