/**
 * The deliberate differences from Adobe's SDK that the README lists, each shown beside Adobe's
 * own behaviour where Adobe's SDK can run the same case.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  createAttributesProvider,
  createTargetClient,
  isTargetError,
  TargetUnsupportedError,
  TargetValidationError,
  type TargetResponseEnvelope,
} from "@mboxgen/runtime";
import { createAdobeClient } from "../support/adobe-sdk.js";
import { startDeliveryServer, type DeliveryTestServer } from "../support/delivery-server.js";

let server: DeliveryTestServer;
beforeAll(async () => {
  server = await startDeliveryServer({ flags: [{ content: { on: true } }] });
});
afterAll(() => server.close());

const ourClient = () =>
  createTargetClient({ client: "mockclient", organizationId: "MOCKORG@AdobeOrg", serverDomain: server.serverDomain, secure: false });

function envelopeWith(mboxes: unknown[]): TargetResponseEnvelope {
  return {
    visitorState: {},
    request: {},
    targetCookie: { name: "mbox", value: "", maxAge: 0 },
    meta: { decisioningMethod: "server-side", remoteMboxes: [], remoteViews: [] },
    response: JSON.parse(JSON.stringify({ execute: { mboxes } })),
  };
}

describe("the caller's options are never mutated (§14.12)", () => {
  it("Adobe writes options.request; mboxgen leaves options and request untouched", async () => {
    const adobeOptions: Record<string, unknown> = { sessionId: "s" };
    await createAdobeClient(server.serverDomain).getAttributes(["flags"], adobeOptions);
    expect(adobeOptions.request).toEqual({ context: { channel: "web" } });

    const request = { context: { channel: "web" as const }, execute: { mboxes: [{ name: "other", index: 3 }] } };
    const ourOptions = Object.freeze({ sessionId: "s", request: Object.freeze(request) });
    const snapshot = JSON.stringify(ourOptions);
    await ourClient().getAttributes(["flags"], ourOptions);
    expect(JSON.stringify(ourOptions)).toBe(snapshot);

    const bare: Record<string, unknown> = {};
    await ourClient().getAttributes(["flags"], bare);
    expect(bare).toEqual({});
  });
});

describe("prototype-safe maps (§14.13)", () => {
  const hostile = [
    { index: 1, name: "__proto__", options: [{ type: "json", content: { polluted: true } }] },
    { index: 2, name: "constructor", options: [{ type: "json", content: JSON.parse('{"__proto__": {"evil": 1}, "prototype": 2}') }] },
  ];

  it("a mbox named __proto__ is an ordinary entry, and a __proto__ key an ordinary key", () => {
    const provider = createAttributesProvider(envelopeWith(hostile));
    expect(provider.getValue("__proto__", "polluted")).toBe(true);
    expect(provider.asObject("__proto__")).toEqual({ polluted: true });
    expect(Object.keys(provider.asObject())).toEqual(["__proto__", "constructor"]);
    expect(provider.getValue("constructor", "__proto__")).toEqual({ evil: 1 });
    const constructorEntry = provider.asObject("constructor");
    expect(Object.getPrototypeOf(constructorEntry)).toBe(Object.prototype);
    expect(Object.keys(constructorEntry)).toEqual(["__proto__", "prototype"]);
    expect(({} as Record<string, unknown>).evil).toBeUndefined();
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
  });

  it("inherited names are never attributes", () => {
    const provider = createAttributesProvider(envelopeWith([{ index: 1, name: "m", options: [{ type: "json", content: { a: 1 } }] }]));
    for (const key of ["toString", "hasOwnProperty", "__proto__", "constructor", "valueOf"]) {
      expect(provider.getValue("m", key)).toBeInstanceOf(Error);
      expect(provider.getValue(key, "a")).toBeInstanceOf(Error);
      expect(provider.asObject(key)).toEqual({});
    }
  });
});

describe("typed errors instead of generic ones", () => {
  it("a non-array mboxNames rejects (Adobe throws a TypeError synchronously)", async () => {
    expect(() => createAdobeClient(server.serverDomain).getAttributes("flags" as never)).toThrow(TypeError);
    const pending = ourClient().getAttributes("flags" as never);
    await expect(pending).rejects.toBeInstanceOf(TargetValidationError);
    await expect(pending).rejects.toThrow("getAttributes expects an array of mbox names, got string");
  });

  it("validation errors are TargetErrors and Errors, with Adobe's text", async () => {
    const error = await ourClient().getAttributes([]).catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(Error);
    expect(isTargetError(error)).toBe(true);
    expect((error as Error).message).toBe("Either pageLoad or mboxes is required in execute");
  });

  it("the remote-only entry points on-device and hybrid decisioning to the on-device entry", async () => {
    for (const decisioningMethod of ["on-device", "hybrid"] as const) {
      expect(() => createTargetClient({ client: "c", organizationId: "o", decisioningMethod })).toThrow(TargetUnsupportedError);
      expect(() => createTargetClient({ client: "c", organizationId: "o", decisioningMethod })).toThrow('import createTargetClient from "@mboxgen/runtime/on-device"');
      await expect(ourClient().getAttributes(["flags"], { decisioningMethod })).rejects.toBeInstanceOf(TargetUnsupportedError);
    }
  });

  it("Adobe-only options are accepted and ignored", async () => {
    const client = createTargetClient({
      client: "mockclient",
      organizationId: "MOCKORG@AdobeOrg",
      serverDomain: server.serverDomain,
      secure: false,
      telemetryEnabled: true,
      pollingInterval: 0,
      artifactPayload: { version: "1.0.0" },
      events: { clientReady: () => undefined },
    });
    expect((await client.getAttributes(["flags"])).getValue("flags", "on")).toBe(true);
  });
});

describe("headers identify mboxgen", () => {
  it("sends X-EXC-SDK: mboxgen and the package version, and a request id unlike the body's", async () => {
    server.requests.length = 0;
    await ourClient().getAttributes(["flags"]);
    const [request] = server.requests;
    const { version } = (await import("../../runtime/package.json", { with: { type: "json" } })).default;
    expect(request?.headers["x-exc-sdk"]).toBe("mboxgen");
    expect(request?.headers["x-exc-sdk-version"]).toBe(version);
    // Released in lockstep: the generator's version (in every module's input hash) is the same.
    const { GENERATOR_VERSION } = await import("../../generator/version.js");
    expect(GENERATOR_VERSION).toBe((await import("../../package.json", { with: { type: "json" } })).default.version);
    expect(GENERATOR_VERSION).toBe(version);
    expect(request?.headers["x-request-id"]).toMatch(/^[0-9a-f]{32}$/);
    expect(request?.headers["x-request-id"]).not.toBe(request?.body.requestId);
  });
});
