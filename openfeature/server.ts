/**
 * Entry `@mboxgen/openfeature/server`: Adobe Target as an OpenFeature provider for
 * `@openfeature/server-sdk`, over any `@mboxgen/runtime` client.
 */
export { TargetProvider } from "./server/target-provider.js";
export type { MboxDescriptorLike, TargetProviderClient, TargetProviderOptions } from "./server/target-provider.js";
export type { VisitorIdField } from "./core/target-call.js";
