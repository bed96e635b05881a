/**
 * The `mbox` cookie, session id, tntId and edge-cluster routing (TARGET-PROTOCOL.md §5.2, §7).
 */

/** Name of the cookie that carries Target's session and device ids. */
export const TARGET_COOKIE_NAME = "mbox";
/** Name of the cookie that carries the sticky edge cluster. */
export const LOCATION_HINT_COOKIE_NAME = "mboxEdgeCluster";

const SESSION_ENTRY = "session";
const DEVICE_ENTRY = "PC";
const SESSION_MAX_AGE_SECONDS = 1860;
const DEVICE_MAX_AGE_SECONDS = 63244800;
const LOCATION_HINT_MAX_AGE_SECONDS = 1860;
const EDGE_CLUSTER_PREFIX = "mboxedge";
const TARGET_HOST_SUFFIX = "tt.omtrdc.net";

/** A cookie for the caller to set on its response: name, value and `Max-Age` in seconds. */
export interface TargetCookie {
  name: string;
  value: string;
  maxAge: number;
}

interface CookieEntry {
  name: string;
  value: string;
  expires: number;
}

function nowInSeconds(): number {
  return Math.ceil(Date.now() / 1000);
}

function safeDecode(text: string): string | undefined {
  try {
    return decodeURIComponent(text);
  } catch {
    return undefined;
  }
}

/**
 * Reads the entries of an `mbox` cookie value (`name#value#expires|...`), dropping malformed and
 * expired ones (§7.2). The map has no prototype, so an entry called `__proto__` is just an entry.
 */
export function parseTargetCookie(cookieValue: string | undefined): Record<string, CookieEntry> {
  const entries: Record<string, CookieEntry> = Object.create(null);
  if (!cookieValue) return entries;
  const now = nowInSeconds();
  for (const raw of cookieValue.split("|")) {
    const parts = raw.split("#");
    if (parts.length < 3 || Number.isNaN(parseInt(parts[2]!, 10))) continue;
    const name = safeDecode(parts[0]!);
    const value = safeDecode(parts[1]!);
    const expires = Number(parts[2]);
    if (name === undefined || value === undefined || now > expires) continue;
    entries[name] = { name, value, expires };
  }
  return entries;
}

/** The device id (tntId) stored in the cookie's `PC` entry, if any (§7.4). */
export function getDeviceId(entries: Record<string, CookieEntry>): string | undefined {
  const value = entries[DEVICE_ENTRY]?.value;
  return value ? value : undefined;
}

/** Session id precedence: the cookie's `session` entry, then `options.sessionId`, then a new one (§7.3). */
export function getSessionId(entries: Record<string, CookieEntry>, sessionId: string | undefined, createId: () => string): string {
  const fromCookie = entries[SESSION_ENTRY]?.value;
  if (fromCookie) return fromCookie;
  return sessionId ? sessionId : createId();
}

/** The edge cluster encoded in a tntId such as `abc.28_0` → `28` (§7.5, request side). */
export function extractClusterFromDeviceId(deviceId: string | undefined): string | undefined {
  if (!deviceId) return undefined;
  const parts = deviceId.split(".");
  if (parts.length !== 2 || !parts[1]) return undefined;
  const nodeDetails = parts[1].split("_");
  if (nodeDetails.length !== 2 || !nodeDetails[0]) return undefined;
  return nodeDetails[0];
}

/** The edge cluster named by a response's `edgeHost` such as `mboxedge28.tt.omtrdc.net` → `28` (§7.5). */
export function extractClusterFromEdgeHost(edgeHost: string | undefined): string | undefined {
  if (!edgeHost) return undefined;
  const labels = edgeHost.split(".");
  if (labels.length !== 4 || !labels[0]) return undefined;
  return labels[0].replace(EDGE_CLUSTER_PREFIX, "");
}

/** Base URL of the Delivery API: a cluster beats `serverDomain`, which beats `<client>.tt.omtrdc.net` (§5.2). */
export function getTargetHost(options: {
  serverDomain: string | undefined;
  cluster: string | undefined;
  client: string;
  secure: boolean | undefined;
}): string {
  const scheme = options.secure === false ? "http://" : "https://";
  if (options.cluster) return `${scheme}${EDGE_CLUSTER_PREFIX}${options.cluster}.${TARGET_HOST_SUFFIX}`;
  if (options.serverDomain) return `${scheme}${options.serverDomain}`;
  return `${scheme}${options.client}.${TARGET_HOST_SUFFIX}`;
}

// What encodeURIComponent leaves as it is: ids usually need no encoding, and a test is cheaper.
const URI_COMPONENT_SAFE = /^[\w.!~*'()-]*$/;

function serializeEntry(name: string, value: string, expires: number): string {
  return `${name}#${URI_COMPONENT_SAFE.test(value) ? value : encodeURIComponent(value)}#${expires}`;
}

/** The `mbox` cookie to hand back after a call: the session entry, plus `PC` when Target sent a tntId (§7.2). */
export function createTargetCookie(sessionId: string, tntId: string | undefined): TargetCookie {
  const now = nowInSeconds();
  let value = serializeEntry(SESSION_ENTRY, sessionId, now + SESSION_MAX_AGE_SECONDS);
  let maxExpires = now + SESSION_MAX_AGE_SECONDS;
  if (tntId) {
    maxExpires = now + DEVICE_MAX_AGE_SECONDS;
    value += `|${serializeEntry(DEVICE_ENTRY, tntId, maxExpires)}`;
  }
  return { name: TARGET_COOKIE_NAME, value, maxAge: Math.ceil(Math.abs(maxExpires * 1000 - Date.now()) / 1000) };
}

/** The `mboxEdgeCluster` cookie: the request's cluster, else the one from `edgeHost`; none without either. */
export function createLocationHintCookie(requestCluster: string | undefined, edgeHost: string | undefined): TargetCookie | undefined {
  const cluster = requestCluster || extractClusterFromEdgeHost(edgeHost);
  if (!cluster) return undefined;
  return { name: LOCATION_HINT_COOKIE_NAME, value: cluster, maxAge: LOCATION_HINT_MAX_AGE_SECONDS };
}
