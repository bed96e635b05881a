import type { DeliveryRequest, MboxRequest } from "./delivery-types.js";
import { copyOwn } from "../platform/own-properties.js";

function mboxesOf(section: { mboxes?: unknown } | undefined): unknown[] | undefined {
  return Array.isArray(section?.mboxes) ? section.mboxes : undefined;
}

function nameOf(mbox: unknown): unknown {
  return typeof mbox === "object" && mbox !== null ? (mbox as { name?: unknown }).name : undefined;
}

/**
 * Adds the mbox names that `getAttributes` asks for to `execute.mboxes`, as Adobe's
 * `addMboxesToRequest` (TARGET-PROTOCOL.md §2.2): names already requested in prefetch or execute
 * are skipped, new ones get indexes after the highest existing execute index. Duplicates inside
 * `mboxNames` are kept, as Adobe keeps them. Returns a new request; the input is not mutated.
 */
export function addMboxesToRequest(mboxNames: readonly string[], request: DeliveryRequest): DeliveryRequest {
  const requestedNames = new Set<unknown>();
  const executeMboxes = mboxesOf(request.execute) ?? [];
  for (const section of [mboxesOf(request.prefetch) ?? [], executeMboxes]) {
    for (const mbox of section) {
      const name = nameOf(mbox);
      if (name !== undefined) requestedNames.add(name);
    }
  }
  const mboxes = executeMboxes.slice() as MboxRequest[];
  let nextIndex =
    mboxes.reduce((highest, mbox) => {
      const index = typeof mbox === "object" && mbox !== null ? mbox.index : undefined;
      return Math.max(highest, typeof index === "number" ? index : 0);
    }, 0) + 1;
  for (const name of mboxNames) {
    if (requestedNames.has(name)) continue;
    // `index` first, as the Delivery API model orders them.
    mboxes.push({ index: nextIndex, name });
    nextIndex += 1;
  }
  // Copied key by key: adding a key to a spread copy is slow in Node 20 (see copyOwn).
  const execute = copyOwn(request.execute);
  execute.mboxes = mboxes;
  const result = copyOwn(request) as DeliveryRequest;
  result.execute = execute;
  return result;
}
