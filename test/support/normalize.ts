import type { RecordedRequest } from "./delivery-server.js";

const UUID32 = /\b[0-9a-f]{32}\b/g;
const SDID = /\b[0-9A-F]{16}-[0-9A-F]{16}\b/g;
const COOKIE_EXPIRY = /#(\d{10})(?=\||"|$)/g;

/** Masks the values that are random per call (TARGET-PROTOCOL.md §9.3 pitfall 6). */
export function maskRandomIds(text: string): string {
  return text.replace(UUID32, "<uuid32>").replace(SDID, "<sdid>").replace(COOKIE_EXPIRY, "#<expires>");
}

/** A recorded request as a comparable string: method, path, query and the raw body, ids masked. */
export function describeWireRequest(request: RecordedRequest): string {
  return maskRandomIds(`${request.method} ${request.url}\n${request.rawBody}`);
}

/** Replaces `Error` values by `{ error: message }` so that results of both SDKs compare with toEqual. */
export function describeValue(value: unknown): unknown {
  if (value instanceof Error) return { error: value.message, isError: true };
  return value;
}

interface ProviderLike {
  getValue(mbox: string, key: string): unknown;
  asObject(mbox?: string): Record<string, unknown>;
  toJSON(): Record<string, unknown>;
  getResponse(): unknown;
}

/**
 * Everything observable on a provider, as plain data: `toJSON` and `asObject()` with key order
 * kept (as JSON text), and per mbox `asObject`, `getValue` of every key and of a missing key.
 */
export function describeProvider(provider: ProviderLike, mboxNames: readonly string[]): unknown {
  const all = provider.asObject();
  const names = [...new Set([...Object.keys(all), ...mboxNames])];
  return {
    toJSON: JSON.stringify(provider.toJSON()),
    asObjectAll: JSON.stringify(all),
    stringified: JSON.stringify(provider),
    mboxes: names.map((name) => {
      const attributes = provider.asObject(name);
      return {
        name,
        asObject: JSON.stringify(attributes),
        values: Object.keys(attributes).map((key) => [key, describeValue(provider.getValue(name, key))]),
        missingKey: describeValue(provider.getValue(name, "no-such-key")),
        inheritedKey: describeValue(provider.getValue(name, "toString")),
      };
    }),
    envelope: JSON.parse(maskRandomIds(JSON.stringify(normalizeEnvelope(provider.getResponse())))),
  };
}

/**
 * The envelope as JSON data for an order-insensitive comparison, with the cookie's `maxAge` (which
 * depends on the clock) rounded to minutes and null-valued keys dropped. Adobe maps the response
 * through its models (key order of the model, nulls removed, §6.3); mboxgen keeps Target's body as
 * sent, a difference the README lists. Values inside offers are compared through the provider.
 */
export function normalizeEnvelope(envelope: unknown): unknown {
  const copy = JSON.parse(JSON.stringify(envelope), (_key, value) => {
    if (value && typeof value === "object" && !Array.isArray(value)) {
      return Object.fromEntries(Object.entries(value).filter(([, entry]) => entry !== null));
    }
    return value;
  }) as Record<string, any>;
  if (copy.targetCookie) copy.targetCookie.maxAge = Math.round(copy.targetCookie.maxAge / 60);
  return copy;
}
