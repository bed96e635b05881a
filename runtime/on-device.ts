/**
 * Entry `@mboxgen/runtime/on-device`: everything of `@mboxgen/runtime`, with a `createTargetClient`
 * that also decides on the device from Target's rules artifact (`on-device/`), on Node, edge
 * runtimes and in browsers: every network access goes through the client's `fetch`, and only
 * web-standard globals are used. The Public Suffix List (`on-device/domains/`, also the entry
 * `@mboxgen/runtime/domains`) is loaded, with a dynamic import, only when an artifact's rules read
 * page or referring domains or a call asks for a trace.
 */
export * from "./index.js";
export { createTargetClient } from "./on-device/client.js";
export type { DecisioningMethod, OnDeviceClientOptions, OnDeviceGetOffersOptions, OnDeviceTargetClient, TargetEvent, TargetEvents } from "./on-device/client.js";
export { TargetArtifactError, TargetNotReadyError } from "./platform/errors.js";
export type { ArtifactMetric, ArtifactRule, DecisioningArtifact } from "./on-device/artifact-types.js";
export type { DomainParts } from "./on-device/domains/parse-domain.js";
export type { ParseDomain } from "./on-device/decisioning-context.js";
