import type { DeliveryResponse, MboxResponse } from "./delivery-types.js";
import type { TargetResponseEnvelope } from "./client-types.js";
import { setOwn } from "../platform/own-properties.js";

/** The attributes of one mbox: the merged keys of its JSON offers. */
export type MboxAttributes = Record<string, unknown>;

/**
 * What `getAttributes` resolves with: the JSON offers of the requested mboxes, merged per mbox.
 * Same methods and results as Adobe's `AttributesProvider` (TARGET-PROTOCOL.md §3).
 *
 * @example
 * ```ts
 * const attributes = await client.getAttributes(["demo-engineering-flags"]);
 * const providerId = attributes.getValue("demo-engineering-flags", "searchProviderId");
 * if (!(providerId instanceof Error)) console.log(providerId);
 * ```
 */
export interface AttributesProvider<Envelope extends { response: DeliveryResponse } = TargetResponseEnvelope> {
  /**
   * The value of `key` in the merged offer of `mbox`. As Adobe's SDK, a missing mbox or key
   * **returns** (does not throw) `Error("Attribute '<key>' does not exist for mbox '<mbox>'")`.
   * mboxgen's generated accessors turn this into a typed default instead.
   */
  getValue(mbox: string, key: string): unknown;
  /** A shallow copy of the merged offer of `mbox`; `{}` when the mbox delivered no JSON offer. */
  asObject(mbox: string): MboxAttributes;
  /** A shallow copy of the whole map `{ [mbox]: attributes }`, in response order. */
  asObject(): Record<string, MboxAttributes>;
  /** Same as `asObject()`, so `JSON.stringify(provider)` gives the map. */
  toJSON(): Record<string, MboxAttributes>;
  /** The envelope the call resolved with: request sent, response, cookies, meta (or what was given, such as at.js's `{ response }`). */
  getResponse(): Envelope;
}


/** A shallow copy of an attributes map: own keys only, `__proto__` kept as data. */
export function shallowCopy<Value>(source: Record<string, Value>): Record<string, Value> {
  const copy: Record<string, Value> = {};
  for (const key of Object.keys(source)) setOwn(copy, key, source[key]);
  return copy;
}

/**
 * Merges one JSON offer into a mbox's attributes with `Object.assign` semantics (§3.2): objects
 * and arrays copy their own keys, a string its characters, a number or boolean nothing.
 */
export function mergeContent(target: MboxAttributes, content: unknown): void {
  if (typeof content === "string") {
    for (let index = 0; index < content.length; index += 1) target[String(index)] = content[index];
  } else if (typeof content === "object" && content !== null) {
    for (const key of Object.keys(content)) setOwn(target, key, (content as Record<string, unknown>)[key]);
  }
}

function indexJsonOffers(response: DeliveryResponse): Record<string, MboxAttributes> {
  // A null-prototype map and `setOwn`: a mbox or key named `__proto__` or `constructor` is data,
  // never a prototype (Adobe's map is polluted by `__proto__`, §3.2).
  const indexed: Record<string, MboxAttributes> = Object.create(null);
  for (const section of [response.prefetch, response.execute]) {
    const mboxes: unknown = section?.mboxes;
    if (!Array.isArray(mboxes)) continue;
    for (const mbox of mboxes as MboxResponse[]) {
      const name = String(mbox?.name);
      for (const option of mbox?.options ?? []) {
        if (option?.type !== "json" || option.content === undefined || option.content === null) continue;
        // A new object per option, as Adobe: earlier asObject() copies never see later merges.
        const merged: MboxAttributes = {};
        const previous = indexed[name];
        if (previous) mergeContent(merged, previous);
        mergeContent(merged, option.content);
        indexed[name] = merged;
      }
    }
  }
  return indexed;
}

/**
 * Creates the provider over a `getOffers` envelope: indexes the `json` options of prefetch, then
 * execute mboxes, merging each mbox's offers shallowly, last wins (TARGET-PROTOCOL.md §3.1-§3.2).
 * Also reads a Delivery API response from anywhere else, such as at.js 2.x's
 * `adobe.target.getOffers()`, given as `{ response }`.
 *
 * @example
 * ```ts
 * const response = await adobe.target.getOffers({ request: { prefetch: { mboxes: [{ index: 0, name: "hero-banner" }] } } });
 * const hero = heroBanner.from(createAttributesProvider({ response }));
 * ```
 */
export function createAttributesProvider<Envelope extends { response: DeliveryResponse } = TargetResponseEnvelope>(envelope: Envelope): AttributesProvider<Envelope> {
  const indexed = indexJsonOffers(envelope.response);
  const asObject = (mbox?: string): Record<string, unknown> => {
    if (mbox === undefined) return shallowCopy(indexed);
    const attributes = indexed[mbox];
    return attributes ? shallowCopy(attributes) : {};
  };
  return {
    getValue(mbox: string, key: string): unknown {
      const attributes = Object.hasOwn(indexed, mbox) ? indexed[mbox] : undefined;
      if (!attributes || !Object.hasOwn(attributes, key)) {
        return new Error(`Attribute '${key}' does not exist for mbox '${mbox}'`);
      }
      return attributes[key];
    },
    asObject: asObject as AttributesProvider["asObject"],
    toJSON: () => shallowCopy(indexed),
    getResponse: () => envelope,
  };
}
