/**
 * Traffic allocation of on-device decisioning (TARGET-PROTOCOL.md §10.2): MurmurHash3-32 over the
 * UTF-16 code units of `<client>.<activityId>.<visitorId>.0`, bucketed into 0-100 with two decimals.
 * Nothing is cached: the hash costs well under a microsecond, and Adobe's per-visitor cache is
 * never cleared, so a long-running server's memory grows with its traffic.
 */
import type { VisitorId } from "../delivery-api/delivery-types.js";
import { createUuid32 } from "../platform/ids.js";

/** MurmurHash3 (x86, 32 bits, seed 0) over UTF-16 code units, signed: Adobe's `hashUnencodedChars`. */
export function hashUnencodedChars(text: string): number {
  const length = text.length;
  const roundedEnd = length & ~1;
  let hash = 0;
  let block: number;
  for (let index = 0; index < roundedEnd; index += 2) {
    block = Math.imul(text.charCodeAt(index) | (text.charCodeAt(index + 1) << 16), 0xcc9e2d51);
    block = Math.imul((block << 15) | (block >>> 17), 0x1b873593);
    hash ^= block;
    hash = (hash << 13) | (hash >>> 19);
    hash = (Math.imul(hash, 5) + 0xe6546b64) | 0;
  }
  if (length % 2 === 1) {
    block = Math.imul(text.charCodeAt(roundedEnd), 0xcc9e2d51);
    hash ^= Math.imul((block << 15) | (block >>> 17), 0x1b873593);
  }
  hash ^= length << 1;
  hash ^= hash >>> 16;
  hash = Math.imul(hash, 0x85ebca6b);
  hash ^= hash >>> 13;
  hash = Math.imul(hash, 0xc2b2ae35);
  return hash ^ (hash >>> 16);
}

/**
 * The visitor id allocation hashes, as Adobe picks it: the ECID, else the tntId without its
 * `.<location hint>` suffix, else the third-party id, else a random id (so such a visitor gets a
 * new allocation on every call, as with Adobe's SDK).
 */
export function allocationVisitorId(id: VisitorId | undefined): string {
  const tntId = id?.tntId;
  const dot = tntId ? tntId.indexOf(".") : -1;
  return id?.marketingCloudVisitorId || (tntId ? (dot === -1 ? tntId : tntId.slice(0, dot)) : "") || id?.thirdPartyId || createUuid32();
}

/** The visitor's allocation in an activity: 0 to 99.99. `salt` is `"0"` for campaigns, as Adobe's. */
export function computeAllocation(client: string, activityId: unknown, visitorId: string, salt = "0"): number {
  // Array.join semantics, as Adobe builds the key: a missing activity id is an empty string.
  const bucket = Math.abs(hashUnencodedChars(`${client}.${activityId == null ? "" : String(activityId)}.${visitorId}.${salt}`)) % 10000;
  return Math.round((bucket / 10000) * 100 * 100) / 100;
}
