/**
 * Generated modules at run time, against the loopback Delivery API server, over mboxgen's client
 * and over @adobe/target-nodejs-sdk's: Target values, defaults, invalid values falling back with
 * onFallback, Target down (defaults plus error), strict mode rejecting, hostile data.
 */
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { createTargetClient, isTargetResponseError, TargetHttpError, TargetResponseError, type FallbackEvent } from "@mboxgen/runtime";
import { demoEngineeringFlags, getAttributes, heroBanner } from "../../fixtures/example/expected/index.js";
import { hostile } from "../../fixtures/hostile-names/expected/index.js";
import { catalogPage } from "../../fixtures/types-and-refs/expected/index.js";
import { createAdobeClient } from "../support/adobe-sdk.js";
import { echoMboxes, startDeliveryServer, type DeliveryTestServer, type OfferContents } from "../support/delivery-server.js";

const offers: OfferContents = {
  "demo-engineering-flags": [{ content: { cdnHostname: "cdn-b.example.com", searchProviderId: 7, "max-items": 48, hasLegacyAccess: true, checkoutFlow: "express" } }],
  "hero-banner": [
    { content: { headline: "Summer sale", cta: { label: "Go", url: "/summer" }, slides: [{ imageUrl: "https://img.example.com/1.png", alt: "Beach" }] } },
  ],
};

let server: DeliveryTestServer;
beforeAll(async () => {
  server = await startDeliveryServer(offers);
});
afterAll(() => server.close());
afterEach(() => {
  server.respond(echoMboxes(offers));
  server.requests.length = 0;
});

const client = (options: { timeout?: number; retries?: number } = {}) =>
  createTargetClient({ client: "mockclient", organizationId: "MOCKORG@AdobeOrg", serverDomain: server.serverDomain, secure: false, retryDelay: 1, ...options });

describe("fetch over mboxgen's client", () => {
  it("returns Target's values and defaults for what Target did not send", async () => {
    const events: FallbackEvent[] = [];
    const flags = await demoEngineeringFlags.fetch(client(), { onFallback: (event) => events.push(event) });
    expect(flags.cdnHostname()).toBe("cdn-b.example.com");
    expect(flags.searchProviderId()).toBe(7);
    expect(flags.maxItems()).toBe(48);
    expect(flags.hasLegacyAccess()).toBe(true);
    expect(flags.checkoutFlow()).toBe("express");
    expect(flags.betaRibbon()).toBeUndefined();
    expect(flags.error).toBeUndefined();
    expect(events).toEqual([{ mbox: "demo-engineering-flags", key: "betaRibbon", reason: "missing", value: undefined }]);
    expect(server.requests).toHaveLength(1);
  });

  it("falls back on values that fail the schema and reports each once", async () => {
    server.respond(() => ({
      status: 200,
      json: {
        execute: {
          mboxes: [
            {
              index: 1,
              name: "demo-engineering-flags",
              options: [{ type: "json", content: { cdnHostname: 42, searchProviderId: 0, "max-items": 2.5, checkoutFlow: "teleport", betaRibbon: null } }],
            },
          ],
        },
      },
    }));
    const events: FallbackEvent[] = [];
    const flags = await demoEngineeringFlags.fetch(client(), { onFallback: (event) => events.push(event) });
    expect(flags.cdnHostname()).toBe("cdn.example.com");
    expect(flags.cdnHostname()).toBe("cdn.example.com");
    expect(flags.searchProviderId()).toBe(143); // minimum 1
    expect(flags.maxItems()).toBe(24); // integer
    expect(flags.checkoutFlow()).toBe("classic");
    expect(flags.betaRibbon()).toBeNull(); // null is a valid value
    expect(events.filter((event) => event.reason === "invalid").map((event) => [event.key, event.value, event.expected])).toEqual([
      ["cdnHostname", 42, "a string"],
      ["searchProviderId", 0, "an integer ≥ 1"],
      ["max-items", 2.5, "an integer ≥ 1 and ≤ 100"],
      ["checkoutFlow", "teleport", 'one of "classic", "one-page", "express"'],
    ]);
    // Only an invalid value says what was expected.
    expect(events.filter((event) => event.reason !== "invalid").every((event) => event.expected === undefined)).toBe(true);
  });

  it("asObject applies defaults and keeps only valid values", async () => {
    const banner = await heroBanner.fetch(client());
    expect(banner.asObject()).toEqual({
      headline: "Summer sale",
      cta: { label: "Go", url: "/summer" },
      theme: "light",
      slides: [{ imageUrl: "https://img.example.com/1.png", alt: "Beach" }],
    });
    expect(JSON.parse(JSON.stringify(banner))).toEqual(banner.asObject());
  });

  it("defaults are fresh copies, so mutating one does not change the next", async () => {
    server.respond(() => ({ status: 200, json: {} }));
    const first = await heroBanner.fetch(client());
    (first.cta() as { label: string }).label = "changed";
    const second = await heroBanner.fetch(client());
    expect(second.cta()).toEqual({ label: "Shop now", url: "/shop" });
  });

  it("Target down: resolves with defaults, error set, every key reported as target-error", async () => {
    server.respond(() => ({ status: 503, text: "down" }));
    const events: FallbackEvent[] = [];
    const flags = await demoEngineeringFlags.fetch(client({ retries: 0 }), { onFallback: (event) => events.push(event) });
    expect(flags.error).toBeInstanceOf(TargetHttpError);
    expect(flags.searchProviderId()).toBe(143);
    expect(flags.hasLegacyAccess()).toBeUndefined();
    flags.asObject();
    expect(new Set(events.map((event) => event.reason))).toEqual(new Set(["target-error"]));
    expect(events).toHaveLength(6);
  });

  it("a timeout falls back as well", async () => {
    server.respond(() => ({ hang: true }));
    const flags = await demoEngineeringFlags.fetch(client({ timeout: 100 }));
    expect(flags.cdnHostname()).toBe("cdn.example.com");
    expect((flags.error as Error).name).toBe("TargetTimeoutError");
  });

  it("strict: true rejects instead", async () => {
    server.respond(() => ({ status: 500, text: "boom" }));
    await expect(demoEngineeringFlags.fetch(client({ retries: 0 }), { strict: true })).rejects.toBeInstanceOf(TargetHttpError);
  });

  it("programming errors still throw", async () => {
    await expect(demoEngineeringFlags.fetch(undefined as never)).rejects.toThrow(TypeError);
    await expect(getAttributes(client(), [{ mbox: "x", exportName: "x" } as never])).rejects.toThrow(/descriptor from a generated module/);
    // A request the client rejects before any I/O is the caller's bug, not Target's failure.
    const badRequest = { context: { channel: "web" as const }, prefetch: { views: [] } };
    await expect(demoEngineeringFlags.fetch(client(), { request: badRequest })).rejects.toThrow("Either views, pageLoad or mboxes is required in prefetch");
    expect(server.requests).toHaveLength(0);
  });

  it.each([
    ["a JSON array", "[]"],
    ["a proxy's error object", '{"error":"upstream unavailable"}'],
    ["an empty 204", ""],
  ])("a 2xx whose body is %s is a target-error with a TargetResponseError, and strict rejects", async (_, text) => {
    server.respond(() => (text === "" ? { status: 204 } : { status: 200, text, headers: { "content-type": "application/json" } }));
    const events: FallbackEvent[] = [];
    const flags = await demoEngineeringFlags.fetch(client(), { onFallback: (event) => events.push(event) });
    expect(flags.error).toBeInstanceOf(TargetResponseError);
    expect(flags.searchProviderId()).toBe(143);
    expect(events.map((event) => event.reason)).toEqual(["target-error"]);
    await expect(demoEngineeringFlags.fetch(client(), { strict: true })).rejects.toBeInstanceOf(TargetResponseError);
  });

  it("a client that fails with a TypeError of its own, or throws instead of rejecting, is a target-error", async () => {
    const rejecting = { getAttributes: () => Promise.reject(new TypeError("terminated")) };
    const throwing = {
      getAttributes: () => {
        throw new TypeError("fetch failed");
      },
    };
    for (const failing of [rejecting, throwing]) {
      const flags = await demoEngineeringFlags.fetch(failing);
      expect((flags.error as Error).message).toMatch(/terminated|fetch failed/);
      expect(flags.searchProviderId()).toBe(143);
      await expect(demoEngineeringFlags.fetch(failing, { strict: true })).rejects.toThrow(TypeError);
    }
  });

  it("an onFallback that throws does not make the accessor throw", async () => {
    server.respond(() => ({ status: 200, json: {} }));
    const flags = await demoEngineeringFlags.fetch(client(), {
      onFallback: () => {
        throw new Error("hook bug");
      },
    });
    expect(flags.cdnHostname()).toBe("cdn.example.com");
  });
});

describe("getAttributes: several mboxes, one call", () => {
  it("keys the result by export name and sends one request with both mboxes", async () => {
    const all = await getAttributes(client(), [demoEngineeringFlags, heroBanner], { sessionId: "s-1" });
    expect(all.demoEngineeringFlags.searchProviderId()).toBe(7);
    expect(all.heroBanner.cta().label).toBe("Go");
    expect(server.requests).toHaveLength(1);
    expect(server.requests[0]?.body.execute.mboxes.map((mbox: { name: string }) => mbox.name)).toEqual(["demo-engineering-flags", "hero-banner"]);
    expect(server.requests[0]?.query.sessionId).toBe("s-1");
  });

  it("does not mutate the options it was given", async () => {
    const options = Object.freeze({ sessionId: "s", onFallback: () => undefined, strict: false });
    await getAttributes(client(), [heroBanner], options);
    expect(options).toEqual({ sessionId: "s", onFallback: expect.any(Function), strict: false });
  });
});

describe("over Adobe's SDK", () => {
  it("from(provider) of @adobe/target-nodejs-sdk gives the same values as mboxgen's", async () => {
    const adobeProvider = await createAdobeClient(server.serverDomain).getAttributes(["hero-banner", "demo-engineering-flags"]);
    const ourProvider = await client().getAttributes(["hero-banner", "demo-engineering-flags"]);
    expect(heroBanner.from(adobeProvider).asObject()).toEqual(heroBanner.from(ourProvider).asObject());
    expect(demoEngineeringFlags.from(adobeProvider).asObject()).toEqual(demoEngineeringFlags.from(ourProvider).asObject());
    expect(demoEngineeringFlags.from(adobeProvider).searchProviderId()).toBe(7);
  });

  it("fetch(adobeClient) works, and falls back when Adobe's call fails", async () => {
    const adobe = createAdobeClient(server.serverDomain, { timeout: 2000 });
    expect((await heroBanner.fetch(adobe)).headline()).toBe("Summer sale");
    server.respond(() => ({ status: 400, json: { status: 400, message: "bad" } }));
    const banner = await heroBanner.fetch(adobe);
    expect(banner.headline()).toBe("Welcome");
    expect((banner.error as Error).message).toBe("Bad Request");
  });

  it("a truncated body, which Adobe's client rejects with undici's TypeError, is a target-error", async () => {
    const adobe = createAdobeClient(server.serverDomain, { timeout: 2000 });
    server.respond(() => ({ truncated: '{"status":200,"execute":{"mbo' }));
    const banner = await heroBanner.fetch(adobe);
    expect(banner.error).toBeInstanceOf(TypeError);
    expect(banner.headline()).toBe("Welcome");
    await expect(heroBanner.fetch(adobe, { strict: true })).rejects.toThrow(TypeError);
  });

  it("a 2xx that is not a Delivery API response, which Adobe's client resolves, is a target-error", async () => {
    const adobe = createAdobeClient(server.serverDomain, { timeout: 2000 });
    server.respond(() => ({ status: 200, text: "[]", headers: { "content-type": "application/json" } }));
    const banner = await heroBanner.fetch(adobe);
    expect(isTargetResponseError(banner.error)).toBe(true);
    expect(banner.headline()).toBe("Welcome");
    await expect(heroBanner.fetch(adobe, { strict: true })).rejects.toSatisfy(isTargetResponseError);
  });
});

describe("hostile names at run time", () => {
  it("reads __proto__, constructor and comment-ending keys as data and pollutes nothing", async () => {
    const content = JSON.parse(
      '{"__proto__": "from-target", "constructor": 3, "*/": "end", "then": true, "🚀": "go", "nested": {"__proto__": {"polluted": true}}}',
    );
    const provider = { asObject: () => content };
    const accessors = hostile.from(provider);
    expect(accessors.protoKey()).toBe("from-target");
    expect(accessors.constructor()).toBe(3);
    expect(accessors.commentEnd()).toBe("end");
    expect(accessors.thenValue()).toBe(true);
    expect(accessors.rocket()).toBe("go");
    const offer = accessors.asObject() as unknown as Record<string, unknown>;
    expect(Object.keys(offer)).toContain("__proto__");
    expect(Object.getPrototypeOf(offer)).toBe(Object.prototype);
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
    // A thenable would be unwrapped by await; the accessors object is not one.
    expect(await Promise.resolve(accessors)).toBe(accessors);
  });

  it("recursive and cross-file shapes validate", () => {
    const provider = {
      asObject: () => ({
        menu: { label: "Root", children: [{ label: "A", children: [{ label: "A1" }] }] },
        price: { amount: 9.5, currency: "CHF" },
        layout: { kind: "grid", columns: 3 },
        matrix: [[1, 2], [3, 4]],
        code: "ABC",
        origin: { x: 0, y: 0 },
      }),
    };
    const page = catalogPage.from(provider);
    expect(page.menu()?.children?.[0]?.children?.[0]?.label).toBe("A1");
    expect(page.price()?.currency).toBe("CHF");
    expect(page.layout()).toEqual({ kind: "grid", columns: 3 });
    expect(page.matrix()).toEqual([[1, 2], [3, 4]]);
    expect(page.code()).toBe("ABC");
    expect(page.origin()).toEqual({ x: 0, y: 0 });

    const invalid = catalogPage.from({
      asObject: () => ({ menu: { label: "Root", children: [{ nolabel: true }] }, price: { amount: 1, currency: "XYZ" }, matrix: [[1, 2, 3]], code: "abcd", origin: { x: 1, y: 0 } }),
    });
    expect(invalid.menu()).toBeUndefined();
    expect(invalid.price()).toBeUndefined();
    expect(invalid.matrix()).toBeUndefined();
    expect(invalid.code()).toBeUndefined();
    expect(invalid.origin()).toBeUndefined();
  });
});

describe("an accessor never throws", () => {
  const events: FallbackEvent[] = [];
  const onFallback = (event: FallbackEvent) => events.push(event);
  afterEach(() => {
    events.length = 0;
  });

  it("a value nested deeper than the stack falls back as invalid", () => {
    // menu.children is recursive: each level is checked by the generated validator, one call deeper.
    let menu: Record<string, unknown> = { label: "leaf" };
    for (let level = 0; level < 200_000; level += 1) menu = { label: `level ${level}`, children: [menu] };
    const page = catalogPage.from({ asObject: () => ({ menu }) }, { onFallback });
    expect(page.menu()).toBeUndefined();
    // (Compared field by field: a diff of a 200,000-deep value would overflow the stack.)
    expect(events).toHaveLength(1);
    expect({ ...events[0]!, value: undefined }).toEqual({ mbox: "catalog-page", key: "menu", reason: "invalid", value: undefined, expected: 'an object with required key "label" and no keys but "label", "children"' });
    expect(events[0]!.value).toBe(menu);
  });

  it("a validator or a default that throws (hand-made or broken generated code) falls back, never throws", async () => {
    const { defineMbox } = await import("@mboxgen/runtime");
    const broken = defineMbox<"broken", { a(): unknown; b(): unknown; asObject(): object }>({
      mbox: "broken",
      exportName: "broken",
      attributes: [
        ["a", () => { throw new RangeError("Maximum call stack size exceeded"); }, () => "default-a"],
        ["b", () => false, () => { throw new Error("a default that cannot be made"); }],
      ],
    });
    const accessors = broken.from({ asObject: () => ({ a: 1, b: 2 }) }, { onFallback });
    expect(accessors.a()).toBe("default-a");
    expect(accessors.b()).toBeUndefined();
    expect(accessors.asObject()).toEqual({ a: "default-a" });
    expect(events.map((event) => [event.key, event.reason])).toEqual([["a", "invalid"], ["b", "invalid"]]);
  });

  it("a provider that throws, or an offer whose getter throws, is read as a failed or missing value", async () => {
    const failing = { asObject: () => { throw new TypeError("provider broke"); } };
    const fromFailing = demoEngineeringFlags.from(failing, { onFallback });
    expect(fromFailing.maxItems()).toBe(24);
    expect(fromFailing.error).toBeInstanceOf(TypeError);
    expect(events[0]).toMatchObject({ key: "max-items", reason: "target-error" });

    const throwingClient = { getAttributes: async () => failing };
    const fetched = await demoEngineeringFlags.fetch(throwingClient);
    expect(fetched.searchProviderId()).toBe(143);
    expect(fetched.error).toBeInstanceOf(TypeError);

    events.length = 0;
    const offer = Object.defineProperty({}, "searchProviderId", { enumerable: true, get: () => { throw new Error("getter"); } });
    const withGetter = demoEngineeringFlags.from({ asObject: () => offer }, { onFallback });
    expect(withGetter.searchProviderId()).toBe(143);
    expect(events.find((event) => event.key === "searchProviderId")).toMatchObject({ reason: "missing" });
  });
});
