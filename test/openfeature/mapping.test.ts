/**
 * The pure parts of the OpenFeature provider: which mbox and key a flag key names (dots in both,
 * by the longest known mbox name; property-tested against a direct reading of the rule), and how
 * an evaluation context becomes a Target call (the documented table, conversions of values Target
 * cannot take, reports of what cannot go, hostile attribute names kept as data).
 */
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { FlagKeys } from "../../openfeature/core/flag-keys.js";
import { targetCallOf } from "../../openfeature/core/target-call.js";

describe("flag keys", () => {
  it("the longest known mbox name that is the key or prefixes it with a dot wins", () => {
    const keys = new FlagKeys(["checkout", "checkout.v2", "a.b"]);
    expect(keys.resolve("checkout.v2.flow")).toEqual({ mbox: "checkout.v2", key: "flow" });
    expect(keys.resolve("checkout.v2")).toEqual({ mbox: "checkout.v2", key: undefined });
    expect(keys.resolve("checkout.v3.flow")).toEqual({ mbox: "checkout", key: "v3.flow" });
    expect(keys.resolve("checkout.v2x")).toEqual({ mbox: "checkout", key: "v2x" });
    expect(keys.resolve("a.b.c.d")).toEqual({ mbox: "a.b", key: "c.d" });
    // Unknown mboxes: up to the first dot; no dot: the whole offer.
    expect(keys.resolve("other.key.with.dots")).toEqual({ mbox: "other", key: "key.with.dots" });
    expect(keys.resolve("other")).toEqual({ mbox: "other", key: undefined });
    expect(keys.resolve(".x")).toEqual({ mbox: ".x", key: undefined });
    expect(keys.resolve("x.")).toEqual({ mbox: "x.", key: undefined });
  });

  it("with a default mbox, a key no known mbox prefixes is a key of it", () => {
    const keys = new FlagKeys(["hero"], "feature-flags");
    expect(keys.resolve("showBanner")).toEqual({ mbox: "feature-flags", key: "showBanner" });
    expect(keys.resolve("a.b")).toEqual({ mbox: "feature-flags", key: "a.b" });
    expect(keys.resolve("hero.cta")).toEqual({ mbox: "hero", key: "cta" });
  });

  it("agrees with a direct reading of the rule for random names with dots", () => {
    const segment = fc.constantFrom("a", "b", "ab", "x-y", "__proto__", "é", "");
    const dotted = fc.array(segment, { minLength: 1, maxLength: 4 }).map((parts) => parts.join("."));
    fc.assert(
      fc.property(fc.uniqueArray(dotted, { maxLength: 6 }), dotted, fc.option(dotted, { nil: undefined }), (known, flagKey, defaultMbox) => {
        const resolved = new FlagKeys(known, defaultMbox).resolve(flagKey);
        const candidates = known.filter((name) => flagKey === name || (flagKey.startsWith(`${name}.`) && flagKey.length > name.length + 1));
        const longest = candidates.sort((left, right) => right.length - left.length)[0];
        if (longest !== undefined) {
          expect(resolved).toEqual({ mbox: longest, key: flagKey === longest ? undefined : flagKey.slice(longest.length + 1) });
        } else if (defaultMbox !== undefined) {
          expect(resolved).toEqual({ mbox: defaultMbox, key: flagKey });
        } else {
          // Reassembled, the address is the flag key again.
          expect(resolved.key === undefined ? resolved.mbox : `${resolved.mbox}.${resolved.key}`).toBe(flagKey);
        }
      }),
    );
  });
});

describe("evaluation context → Target call", () => {
  it("maps the reserved attributes to the Delivery API fields the README lists", () => {
    const call = targetCallOf({
      targetingKey: "visitor-1",
      ecid: "ecid-1",
      thirdPartyId: "crm-9",
      customerIds: { crm: "c-1", loyalty: { id: "l-1", authState: "authenticated" } },
      url: "https://shop.example/p/1",
      referrer: "https://search.example/",
      userAgent: "Mozilla/5.0",
      channel: "mobile",
      ipAddress: "203.0.113.7",
      geo: { city: "Basel", countryCode: "CH" },
      targetCookie: "session#abc|1#visitor#def|2",
      visitorCookie: "MCMID|123",
      sessionId: "s-1",
      locationHint: "34",
      propertyToken: "prop-1",
      profile: { loyalty: "gold", visits: 3 },
      region: "eu",
    });
    expect(call.request).toEqual({
      context: { channel: "mobile", address: { url: "https://shop.example/p/1", referringUrl: "https://search.example/" }, userAgent: "Mozilla/5.0", geo: { city: "Basel", countryCode: "CH", ipAddress: "203.0.113.7" } },
      id: { tntId: "visitor-1", thirdPartyId: "crm-9", marketingCloudVisitorId: "ecid-1" },
      property: { token: "prop-1" },
    });
    expect(call.options).toEqual({ customerIds: { crm: "c-1", loyalty: { id: "l-1", authState: "authenticated" } }, targetCookie: "session#abc|1#visitor#def|2", visitorCookie: "MCMID|123", sessionId: "s-1", targetLocationHint: "34" });
    expect(call.parameters).toEqual({ region: "eu" });
    expect(call.profileParameters).toEqual({ loyalty: "gold", visits: "3" });
    expect(call.problems).toEqual([]);
  });

  it("targetingKey fills the id the visitorId option names", () => {
    expect(targetCallOf({ targetingKey: "k" }, "thirdPartyId").request.id).toEqual({ thirdPartyId: "k" });
    expect(targetCallOf({}).request).toEqual({ context: { channel: "web" } });
  });

  it("converts what Target takes as strings, and reports what has no string form", () => {
    const call = targetCallOf({ n: 1.5, yes: true, when: new Date(Date.UTC(2026, 0, 2)), tags: ["a", 2, false], address: { city: "Basel", zip: { code: 4051 } }, nothing: null, infinite: Infinity, deep: [[1]], skipped: undefined });
    expect(call.parameters).toEqual({ n: "1.5", yes: "true", when: "2026-01-02T00:00:00.000Z", tags: "a,2,false", "address.city": "Basel", "address.zip.code": "4051" });
    expect(call.problems).toEqual([
      '"deep": an array with items that are not strings, numbers, booleans or dates, so it is not sent to Target',
      '"infinite": Infinity is not a finite number, so it is not sent to Target',
      '"nothing": null has no text, so it is not sent to Target',
    ]);
    expect(targetCallOf({ channel: "tv" }).problems).toEqual(['"channel": "tv" is not "web" or "mobile", so "web" is sent']);
    expect(targetCallOf({ customerIds: "x" }).problems[0]).toContain("customerIds");
  });

  it("keeps hostile attribute names and values as data", () => {
    const context = JSON.parse('{"__proto__": "polluted", "constructor": "c", "*/": "</script>", "a\\u2028b": "${x}`"}');
    const call = targetCallOf(context);
    expect(Object.getPrototypeOf(call.parameters)).toBe(Object.prototype);
    expect(Object.keys(call.parameters).sort()).toEqual(["*/", "__proto__", "a\u2028b", "constructor"]);
    expect(Object.getOwnPropertyDescriptor(call.parameters, "__proto__")?.value).toBe("polluted");
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
  });

  it("equal contexts make equal calls, whatever the order of their attributes", () => {
    fc.assert(
      fc.property(fc.dictionary(fc.string({ maxLength: 6 }), fc.oneof(fc.string(), fc.integer(), fc.boolean()), { maxKeys: 6 }), (attributes) => {
        const reversed = Object.fromEntries(Object.entries(attributes).reverse());
        expect(targetCallOf(reversed).key).toBe(targetCallOf(attributes).key);
      }),
    );
    expect(targetCallOf({ targetingKey: "a" }).key).not.toBe(targetCallOf({ targetingKey: "b" }).key);
  });
});
