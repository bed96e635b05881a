/**
 * A page's snapshot: what the server decided for the page (per mbox: the merged offer, its event
 * tokens and response tokens), for which Target call, the visitor Target answered with, and which
 * mboxes' display notifications the server already sent, so that the browser starts from exactly
 * these values, makes no call for them, and sends each notification once. Plain JSON.
 */
import type { CallDecisions, MboxDecision } from "./decisions.js";

/** The `mbox` cookie Target's response asks the browser to keep (`envelope.targetCookie`). */
export interface SnapshotCookie {
  name: string;
  value: string;
  /** Seconds. */
  maxAge: number;
}

/** What a server decided for a page, for the browser to start from. */
export interface TargetSnapshot {
  /** The format; a browser refuses other versions. */
  version: 1;
  /** The decisions' key (`decisionKeyOf` the context): equal for contexts Target answers alike. */
  callKey: string;
  /** Per mbox the page asked for: Target's decision. */
  mboxes: Record<string, MboxDecision>;
  /** Where Target decided (`server-side` or `on-device`). */
  decisioningMethod: string;
  /** The ids Target answered with (the tntId it gave a new visitor). */
  visitor: Record<string, unknown>;
  /** The session the server's calls used. */
  sessionId: string;
  /** Mboxes whose display notification the server sent; the browser sends the others' once. */
  notified: string[];
  /** The `mbox` cookie to keep, when Target sent one. */
  targetCookie?: SnapshotCookie;
}

/** A snapshot from decisions. */
export function createSnapshot(callKey: string, decisions: CallDecisions, sessionId: string, notified: readonly string[], targetCookie: SnapshotCookie | undefined): TargetSnapshot {
  return { version: 1, callKey, mboxes: decisions.mboxes, decisioningMethod: decisions.decisioningMethod, visitor: decisions.visitor, sessionId, notified: [...notified], ...(targetCookie ? { targetCookie } : {}) };
}

// What could end an inline script or a comment, or break a line in older JavaScript.
const UNSAFE_IN_SCRIPT = /[<>&\u2028\u2029]/g;
const ESCAPES: Record<string, string> = { "<": "\\u003c", ">": "\\u003e", "&": "\\u0026", "\u2028": "\\u2028", "\u2029": "\\u2029" };

/**
 * The snapshot as text to place inside an inline `<script>`: JSON, which is also a JavaScript
 * expression, with `<`, `>`, `&`, U+2028 and U+2029 escaped, so that no offer content (`</script>`,
 * `<!--`) can end the script or open a comment. `JSON.parse` of it gives the snapshot back.
 *
 * @example
 * ```ts
 * const html = `<script>window.__TARGET__ = ${embedSnapshot(snapshot)};</script>`;
 * ```
 */
export function embedSnapshot(snapshot: TargetSnapshot): string {
  return JSON.stringify(snapshot).replace(UNSAFE_IN_SCRIPT, (character) => ESCAPES[character]!);
}

/** Whether a value is a snapshot this version reads (a page may hold anything under its name). */
export function isTargetSnapshot(value: unknown): value is TargetSnapshot {
  const snapshot = value as Partial<TargetSnapshot> | null;
  return typeof snapshot === "object" && snapshot !== null && snapshot.version === 1 && typeof snapshot.callKey === "string" && typeof snapshot.mboxes === "object" && snapshot.mboxes !== null && Array.isArray(snapshot.notified) && typeof snapshot.sessionId === "string";
}
