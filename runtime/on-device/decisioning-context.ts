/**
 * What on-device rules read (TARGET-PROTOCOL.md §10.2), built the way Adobe's decisioning engine
 * builds it: time of the call, browser, page and referring URL parts with `_lc` twins, geo, mbox
 * parameters (dotted names unflattened, `_lc` twins of strings). Parts are built only when the
 * artifact's rules read them (or a trace asks for all of them).
 */
import type { Address, Context, Geo } from "../delivery-api/delivery-types.js";
import { setOwn } from "../platform/own-properties.js";
import type { DomainParts } from "./domains/parse-domain.js";
import { createUserContext, type UserContext } from "./user-agent.js";

/** Replaces the Public Suffix List lookup: Adobe's `parseDomainImpl` option. */
export type ParseDomain = (host: string) => DomainParts;

/** Page or referring URL parts, each also lower-cased as `<name>_lc`. */
export type UrlContext = Record<string, string>;

/** The context parts rules can read, all of them when built for a trace. */
export interface DecisioningContext {
  current_timestamp?: number;
  current_time?: string;
  current_day?: number;
  user?: UserContext;
  page?: UrlContext;
  referring?: UrlContext;
  geo?: { country?: string; region?: string; city?: string; latitude?: number; longitude?: number };
}

/** Which parts of the context an artifact's rules read. */
export interface ContextNeeds {
  time: boolean;
  user: boolean;
  page: boolean;
  referring: boolean;
  geo: boolean;
  mbox: boolean;
  /** Domain parts of the page and referring URLs (`page.domain`, ...): the Public Suffix List is needed. */
  domains: boolean;
}

// parse-uri 1.0 in loose mode, as Adobe's bundle has it: group 6 is the host, 9 the path,
// 12 the query, 13 the fragment.
const LOOSE_URI =
  /^(?:(?![^:@]+:[^:@/]*@)([^:/?#.]+):)?(?:\/\/)?((?:(([^:@]*)(?::([^:@]*))?)?@)?([^:/?#]*)(?::(\d*))?)(((\/(?:[^?#](?![^?#/]*\.[^?#/.]+(?:[?#]|$)))*\/?)?([^?#/]*))(?:\?([^#]*))?(?:#(.*))?)/;

/**
 * URL parts of a page or referring URL and their `_lc` twins: `page.domain`, `page.query_lc`, ...
 * Without `parse` (no rule reads domain parts, and the Public Suffix List is not loaded), the
 * domain parts are left out.
 */
export function createUrlContext(url: unknown, parse: ParseDomain | undefined): UrlContext {
  const text = typeof url === "string" ? url : "";
  const matches = text ? LOOSE_URI.exec(text) : null;
  const parts: Record<string, unknown> = {
    url: text,
    path: matches?.[9] || "",
    query: matches?.[12] || "",
    fragment: matches?.[13] || "",
    ...parse?.(matches?.[6] || ""),
  };
  const context: Record<string, unknown> = { ...parts };
  for (const key of Object.keys(parts)) {
    const value = parts[key];
    context[`${key}_lc`] = typeof value === "string" ? value.toLowerCase() : value;
  }
  return context as UrlContext;
}

/** The page context of an address: `page` from `url`. Also what Adobe uses for `referring` of a mbox with its own address. */
export function createPageContext(address: Address | undefined, parse: ParseDomain | undefined): UrlContext {
  return createUrlContext(address?.url, parse);
}

function twoDigits(value: number): string {
  return value < 10 ? `0${value}` : String(value);
}

// Objects of the mbox context are built with own properties only: a parameter named
// `__proto__.x` is data, where Adobe's unflatten writes to Object.prototype.
function isNested(value: unknown): value is Record<string, unknown> {
  if (typeof value !== "object" || value === null) return false;
  const prototype = Object.getPrototypeOf(value);
  return prototype === Object.prototype || prototype === null;
}

// A dotted name (`user.tier`) becomes a nested object, unless it starts or ends with a dot or has `..`.
function unflatten(parameters: Record<string, unknown>): Record<string, unknown> {
  const result: Record<string, unknown> = Object.create(null);
  for (const key of Object.keys(parameters)) {
    if (key.includes(".") && !key.includes("..") && !key.startsWith(".") && !key.endsWith(".")) {
      const path = key.split(".");
      let target: Record<string, unknown> | undefined = result;
      for (const segment of path.slice(0, -1)) {
        if (!target[segment]) setOwn(target, segment, Object.create(null));
        const next: unknown = target[segment];
        // A primitive in the way makes Adobe's strict-mode assignment throw; here the value is dropped.
        target = isNested(next) ? next : undefined;
        if (!target) break;
      }
      if (target) setOwn(target, path.at(-1)!, parameters[key]);
    } else {
      setOwn(result, key, parameters[key]);
    }
  }
  return result;
}

function withLowerCaseTwins(values: Record<string, unknown>): Record<string, unknown> {
  const result: Record<string, unknown> = Object.create(null);
  for (const key of Object.keys(values)) setOwn(result, key, values[key]);
  for (const key of Object.keys(values)) {
    const value = values[key];
    if (typeof value === "string") setOwn(result, `${key}_lc`, value.toLowerCase());
    if (isNested(value)) setOwn(result, key, withLowerCaseTwins(value));
  }
  return result;
}

/** The `mbox` part: the request's mbox (or view, or page load) parameters. */
export function createMboxContext(parameters: Record<string, unknown> | undefined): Record<string, unknown> {
  return withLowerCaseTwins(unflatten(parameters ?? {}));
}

/** The `geo` part, from `context.geo` as the geo lookup completed it. */
export function createGeoContext(geo: Geo | undefined): NonNullable<DecisioningContext["geo"]> {
  return { country: geo?.countryCode, region: geo?.stateCode, city: geo?.city, latitude: geo?.latitude, longitude: geo?.longitude } as NonNullable<DecisioningContext["geo"]>;
}

/** The context of one call, parts built as `needs` says; the time is read now, once. */
export function createDecisioningContext(context: Context, needs: ContextNeeds, parse: ParseDomain | undefined): DecisioningContext {
  const result: DecisioningContext = {};
  if (needs.time) {
    const now = new Date();
    const day = now.getUTCDay();
    result.current_timestamp = now.getTime();
    result.current_time = `${twoDigits(now.getUTCHours())}${twoDigits(now.getUTCMinutes())}`;
    // 1 = Monday … 7 = Sunday
    result.current_day = day === 0 ? 7 : day;
  }
  if (needs.user) result.user = createUserContext(context);
  if (needs.page) result.page = createPageContext(context.address, parse);
  if (needs.referring) result.referring = createUrlContext(context.address?.referringUrl, parse);
  if (needs.geo) result.geo = createGeoContext(context.geo);
  return result;
}
