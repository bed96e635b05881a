/**
 * The geo part of an on-device request (Adobe's GeoProvider, TARGET-PROTOCOL.md §10.3): an invalid
 * or `"unknownIpAddress"` IP is dropped, and when the artifact has geo targeting enabled and the
 * request carries an IP (or `"unknownIpAddress"`) and nothing else, Target's geo service is asked
 * through the client's `fetch`, with `x-forwarded-for` unless the IP is unknown.
 */
import type { Geo } from "../delivery-api/delivery-types.js";
import { setOwn } from "../platform/own-properties.js";

/** The geo service Adobe's engine asks. */
export const GEO_LOOKUP_URL = "https://assets.adobetarget.com/v1/geo";

const UNKNOWN_IP_ADDRESS = "unknownIpAddress";

// Adobe's isValidIpAddress: IPv4, or IPv6 in its usual forms, with an optional zone.
const IP_ADDRESS =
  /((^\s*((([0-9]|[1-9][0-9]|1[0-9]{2}|2[0-4][0-9]|25[0-5])\.){3}([0-9]|[1-9][0-9]|1[0-9]{2}|2[0-4][0-9]|25[0-5]))\s*$)|(^\s*((([0-9A-Fa-f]{1,4}:){7}([0-9A-Fa-f]{1,4}|:))|(([0-9A-Fa-f]{1,4}:){6}(:[0-9A-Fa-f]{1,4}|((25[0-5]|2[0-4]\d|1\d\d|[1-9]?\d)(\.(25[0-5]|2[0-4]\d|1\d\d|[1-9]?\d)){3})|:))|(([0-9A-Fa-f]{1,4}:){5}(((:[0-9A-Fa-f]{1,4}){1,2})|:((25[0-5]|2[0-4]\d|1\d\d|[1-9]?\d)(\.(25[0-5]|2[0-4]\d|1\d\d|[1-9]?\d)){3})|:))|(([0-9A-Fa-f]{1,4}:){4}(((:[0-9A-Fa-f]{1,4}){1,3})|((:[0-9A-Fa-f]{1,4})?:((25[0-5]|2[0-4]\d|1\d\d|[1-9]?\d)(\.(25[0-5]|2[0-4]\d|1\d\d|[1-9]?\d)){3}))|:))|(([0-9A-Fa-f]{1,4}:){3}(((:[0-9A-Fa-f]{1,4}){1,4})|((:[0-9A-Fa-f]{1,4}){0,2}:((25[0-5]|2[0-4]\d|1\d\d|[1-9]?\d)(\.(25[0-5]|2[0-4]\d|1\d\d|[1-9]?\d)){3}))|:))|(([0-9A-Fa-f]{1,4}:){2}(((:[0-9A-Fa-f]{1,4}){1,5})|((:[0-9A-Fa-f]{1,4}){0,3}:((25[0-5]|2[0-4]\d|1\d\d|[1-9]?\d)(\.(25[0-5]|2[0-4]\d|1\d\d|[1-9]?\d)){3}))|:))|(([0-9A-Fa-f]{1,4}:){1}(((:[0-9A-Fa-f]{1,4}){1,6})|((:[0-9A-Fa-f]{1,4}){0,4}:((25[0-5]|2[0-4]\d|1\d\d|[1-9]?\d)(\.(25[0-5]|2[0-4]\d|1\d\d|[1-9]?\d)){3}))|:))|(:(((:[0-9A-Fa-f]{1,4}){1,7})|((:[0-9A-Fa-f]{1,4}){0,5}:((25[0-5]|2[0-4]\d|1\d\d|[1-9]?\d)(\.(25[0-5]|2[0-4]\d|1\d\d|[1-9]?\d)){3}))|:)))(%.+)?\s*$))/;

// Header (or geo service field) → Geo field, and how its text is read.
const GEO_FIELDS: Array<[name: string, field: keyof Geo, parse: (text: string) => string | number]> = [
  ["x-forwarded-for", "ipAddress", String],
  ["x-geo-latitude", "latitude", parseFloat],
  ["x-geo-longitude", "longitude", parseFloat],
  ["x-geo-country-code", "countryCode", String],
  ["x-geo-region-code", "stateCode", String],
  ["x-geo-city", "city", String],
];

/** Geo fields from `x-geo-*` values read by `valueOf` (response headers or the geo service's JSON). */
export function readGeoFields(valueOf: (name: string) => unknown): Geo {
  const geo: Record<string, unknown> = {};
  for (const [name, field, parse] of GEO_FIELDS) {
    const value = valueOf(name);
    if (value != null) geo[field] = parse(value as string);
  }
  return geo as Geo;
}

function isValidIpAddress(value: unknown): value is string {
  return typeof value === "string" && IP_ADDRESS.test(value);
}

/**
 * The geo context of a request. `lookup` asks the geo service with the given headers and resolves
 * with its JSON; it is called only when Adobe's engine would call it.
 */
export function completeGeo(geo: Geo | undefined, geoTargetingEnabled: boolean, lookup: (headers: Record<string, string>) => Promise<unknown>): Geo | Promise<Geo> {
  const ipAddress = geo?.ipAddress;
  const unknownIp = ipAddress === UNKNOWN_IP_ADDRESS;
  // A copy without an ip address that is not one (no `delete`: it slows every later read).
  const result = {} as Geo;
  for (const key in geo) {
    if (Object.hasOwn(geo, key) && !(key === "ipAddress" && (unknownIp || !isValidIpAddress(ipAddress)))) setOwn(result as Record<string, unknown>, key, geo[key as keyof Geo]);
  }
  const onlyIp = geo?.latitude === undefined && geo?.longitude === undefined && geo?.countryCode === undefined && geo?.stateCode === undefined && geo?.city === undefined;
  if (!geoTargetingEnabled || !(unknownIp || isValidIpAddress(ipAddress)) || !onlyIp) return result;
  return lookup(unknownIp ? {} : { "x-forwarded-for": ipAddress! }).then((payload) => {
    const fields = readGeoFields((name) => (typeof payload === "object" && payload !== null ? (payload as Record<string, unknown>)[name] : undefined));
    return Object.assign(result, fields);
  });
}
