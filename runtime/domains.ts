/**
 * Entry `@mboxgen/runtime/domains`: the Public Suffix List reading of a host that on-device
 * decisions use for page and referring domain parts (`on-device/domains/`), for apps that wrap it
 * in their own `parseDomainImpl`. Its own entry because the list is most of its size: the
 * on-device client loads it only when an artifact's rules read domains.
 */
export { parseDomain } from "./on-device/domains/parse-domain.js";
export type { DomainParts } from "./on-device/domains/parse-domain.js";
export type { ParseDomain } from "./on-device/decisioning-context.js";
