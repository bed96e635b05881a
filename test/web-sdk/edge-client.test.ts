/**
 * The Edge Network client (`createEdgeNetworkClient`) against the emulator's `/ee/v2/interact`
 * (values equal the Delivery API's for the same visitor, identity kept through the kndctr
 * cookies, parameters reach audiences, display events counted once per proposition) and against a
 * loopback stand-in answering as Adobe documents it (recorded payloads, Adobe's error bodies,
 * 5xx, timeouts, non-JSON, Target errors inside a 200).
 */
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createEdgeNetworkClient, isTargetError, isTargetHttpError, isTargetNetworkError, isTargetResponseError, isTargetTimeoutError, sendDisplay } from "@mboxgen/runtime/web-sdk";
import { demoEngineeringFlags, getAttributes, heroBanner, promoStrip } from "../../fixtures/example/expected/index.js";
import type { RunningEmulator } from "../../generator/index.js";
import { startDeliveryServer, type DeliveryTestServer } from "../support/delivery-server.js";
import { repositoryRoot } from "../support/fixtures.js";
import { exampleActivities, remoteClientFor, startTestEmulator } from "../support/openfeature.js";

let emulator: RunningEmulator;
let standIn: DeliveryTestServer;
const fixture = JSON.parse(readFileSync(join(repositoryRoot, "fixtures/web-sdk/edge-responses.json"), "utf8")) as { cases: Record<string, { response: unknown; expected: Record<string, unknown> }> };

beforeAll(async () => {
  emulator = await startTestEmulator({ ...exampleActivities(), edge: { organizationId: "ACME0000000000@AdobeOrg", datastreamId: "ds-example" } });
  standIn = await startDeliveryServer();
});
afterAll(async () => {
  await emulator.close();
  await standIn.close();
});

const edgeFor = (options: Partial<Parameters<typeof createEdgeNetworkClient>[0]> = {}) =>
  createEdgeNetworkClient({ datastreamId: "ds-example", edgeDomain: emulator.serverDomain, secure: false, timeout: 5000, ...options });
const standInEdge = (options: Partial<Parameters<typeof createEdgeNetworkClient>[0]> = {}) =>
  createEdgeNetworkClient({ datastreamId: "ds-1", edgeDomain: standIn.serverDomain, secure: false, retryDelay: 1, ...options });

describe("the Edge Network client against the emulator", () => {
  it("gives a visitor the values the Delivery API gives the same visitor, for every mbox", async () => {
    const delivery = remoteClientFor(emulator);
    const edge = edgeFor();
    for (let visitor = 0; visitor < 12; visitor += 1) {
      const ecid = `${visitor + 1}`.padStart(38, "7");
      const region = ["eu", "ch", "us", "jp"][visitor % 4]!;
      const provider = await edge.getAttributes(["demo-engineering-flags", "hero-banner", "promo-strip"], { ecid, parameters: { region } });
      const viaEdge = [demoEngineeringFlags.from(provider).asObject(), heroBanner.from(provider).asObject(), promoStrip.from(provider).asObject()];
      const request = { context: { channel: "web" as const }, id: { marketingCloudVisitorId: ecid }, execute: { mboxes: ["demo-engineering-flags", "hero-banner", "promo-strip"].map((name, index) => ({ name, index, parameters: { region } })) } };
      const all = await getAttributes(delivery, [demoEngineeringFlags, heroBanner, promoStrip], { request });
      expect(viaEdge).toEqual([all.demoEngineeringFlags.asObject(), all.heroBanner.asObject(), all.promoStrip.asObject()]);
      // And the same activity and experience.
      const envelope = await delivery.getOffers({ request });
      for (const mbox of envelope.response.execute!.mboxes!) {
        const tokens = mbox.options?.[0]?.responseTokens as Record<string, unknown> | undefined;
        expect(provider.getDecisions(mbox.name!).map((decision) => `${decision.activity.id}:${decision.experience.id}`)).toEqual(tokens ? [`${tokens["activity.id"]}:${tokens["experience.id"]}`] : []);
      }
    }
  });

  it("keeps a new visitor's identity through the cookies it hands back, and the region it names", async () => {
    const edge = edgeFor();
    const first = await edge.getAttributes(["hero-banner"]);
    const { cookies, ecid, locationHint, url } = first.getEdgeResponse();
    expect(ecid).toMatch(/^\d{38}$/);
    expect(url).toMatch(/\/ee\/v2\/interact\?dataStreamId=ds-example&requestId=[0-9a-f]{32}$/);
    expect(locationHint).toBe("emulator");
    expect(cookies.map((cookie) => cookie.name).sort()).toEqual(["kndctr_ACME0000000000_AdobeOrg_cluster", "kndctr_ACME0000000000_AdobeOrg_identity"]);
    expect(cookies.find((cookie) => cookie.name.endsWith("_identity"))!.maxAge).toBeGreaterThan(86_400);
    // The next page view sends them back (as a Cookie header would), and is the same visitor.
    const cookieHeader = ["theme=dark", ...cookies.map((cookie) => `${cookie.name}=${cookie.value}`)].join("; ");
    const fresh = edgeFor();
    for (let view = 0; view < 3; view += 1) {
      const next = await fresh.getAttributes(["hero-banner"], { cookies: cookieHeader });
      expect(next.getEdgeResponse().ecid).toBe(ecid);
      expect(next.getEdgeResponse().url).toContain("/ee/emulator/v2/interact");
      expect(next.asObject("hero-banner")).toEqual(first.asObject("hero-banner"));
      expect(next.getEdgeResponse().request.meta).toEqual({ state: { cookiesEnabled: true, entries: cookies.map((cookie) => ({ key: cookie.name, value: cookie.value })) } });
    }
  });

  it("sends mbox and profile parameters as Adobe documents them (data.__adobe.target), which reach audiences", async () => {
    const edge = edgeFor();
    const provider = await edge.getAttributes(["hero-banner", "promo-strip"], {
      ecid: "12345678901234567890123456789012345678",
      url: "https://www.example.com/home",
      referrer: "https://search.example.com/",
      parameters: JSON.parse('{"region":"ch","__proto__":"data","count":3,"beta":true}'),
      profileParameters: { tier: "gold" },
      identityMap: { FPID: [{ id: "fp-1", authenticatedState: "ambiguous" }] },
    });
    const event = (provider.getEdgeResponse().request.event as Record<string, any>);
    expect(event.data.__adobe.target).toEqual(JSON.parse('{"region":"ch","__proto__":"data","count":3,"beta":true,"profile.tier":"gold"}'));
    expect(event.xdm.identityMap).toEqual({ FPID: [{ id: "fp-1", authenticatedState: "ambiguous" }], ECID: [{ id: "12345678901234567890123456789012345678", authenticatedState: "ambiguous", primary: true }] });
    expect(event.xdm.web).toEqual({ webPageDetails: { URL: "https://www.example.com/home" }, webReferrer: { URL: "https://search.example.com/" } });
    expect(event.xdm.eventType).toBe("decisioning.propositionFetch");
    expect(provider.getEdgeResponse().request.query).toEqual({ identity: { fetch: ["ECID"] }, personalization: { schemas: ["https://ns.adobe.com/personalization/json-content-item"], decisionScopes: ["hero-banner", "promo-strip"] } });
    // region=ch qualifies for the Swiss hero activity (202); no promo for ch.
    expect(provider.getDecisions("hero-banner").map((decision) => decision.activity.id)).toEqual(["202"]);
  });

  it("counts impressions only from display events, once per proposition read, with the visitor of the call", async () => {
    const edge = edgeFor();
    const before = { ...emulator.stats.impressions };
    const displaysBefore = { ...emulator.stats.edge.displays };
    const provider = await edge.getAttributes(["demo-engineering-flags", "hero-banner", "promo-strip"], { parameters: { region: "eu" } });
    expect(emulator.stats.impressions).toEqual(before);
    const ecid = provider.getEdgeResponse().ecid;
    heroBanner.from(provider);
    demoEngineeringFlags.from(provider);
    const first = await sendDisplay(edge, provider);
    expect(first.error).toBeUndefined();
    expect(first.sent.map((reference) => reference.scope).sort()).toEqual(["demo-engineering-flags", "hero-banner"]);
    expect((await sendDisplay(edge, provider)).sent).toEqual([]);
    const counted = Object.fromEntries(Object.entries(emulator.stats.impressions).map(([mbox, count]): [string, number] => [mbox, count - (before[mbox] ?? 0)]).filter(([, count]) => count > 0));
    expect(counted).toEqual({ "demo-engineering-flags": 1, "hero-banner": 1 });
    const newDisplays = Object.entries(emulator.stats.edge.displays).filter(([id, count]) => count !== (displaysBefore[id] ?? 0));
    expect(newDisplays.map(([id, count]) => count - (displaysBefore[id] ?? 0))).toEqual([1, 1]);
    expect(newDisplays.map(([id]) => id).sort()).toEqual(first.sent.map((reference) => reference.id).sort());
    // The display event went out as the visitor the call created (its ECID and cookies).
    const display = await edge.sendEvent({ xdm: {} }, { ecid });
    expect(display.ecid).toBe(ecid);
  });

  it("reads through the generated getAttributes (one Edge Network call), falling back when the call fails", async () => {
    const all = await getAttributes(edgeFor(), [heroBanner, promoStrip], { parameters: { region: "us" } });
    expect(all.heroBanner.error).toBeUndefined();
    expect(typeof all.heroBanner.headline()).toBe("string");
    const failed = await getAttributes(edgeFor({ datastreamId: "unknown-datastream" }), [heroBanner]);
    expect(isTargetHttpError(failed.heroBanner.error)).toBe(true);
    expect(failed.heroBanner.headline()).toBe("Welcome");
  });

  it("answers an unknown datastream with Adobe's error body, read into the error's message", async () => {
    const error = await edgeFor({ datastreamId: "unknown-datastream" }).getAttributes(["hero-banner"]).catch((caught: unknown) => caught);
    expect(isTargetHttpError(error)).toBe(true);
    expect((error as { status: number }).status).toBe(400);
    expect((error as { body: Record<string, unknown> }).body).toMatchObject({ type: "https://ns.adobe.com/aep/errors/EXEG-0003-400", status: 400, title: "Invalid datastream ID" });
    expect((error as Error).message).toContain("The datastream 'unknown-datastream' does not exist");
  });
});

describe("the Edge Network client against recorded payloads", () => {
  it.each(Object.keys(fixture.cases))("reads the %s payload", async (name) => {
    standIn.respond(() => ({ status: 200, json: fixture.cases[name]!.response }));
    const provider = await standInEdge().getAttributes(Object.keys(fixture.cases[name]!.expected).length > 0 ? Object.keys(fixture.cases[name]!.expected) : ["hero-banner"]);
    expect(provider.asObject()).toEqual(fixture.cases[name]!.expected);
  });

  it("hands back state:store cookies, identity and region, and routes the next call to that region", async () => {
    standIn.respond(() => ({ status: 200, json: fixture.cases.mixed!.response }));
    const edge = standInEdge({ edgeBasePath: "/ee-pre-prd/" });
    const provider = await edge.getAttributes(["demo-engineering-flags"]);
    expect(provider.getEdgeResponse()).toMatchObject({ ecid: "05907638112924484241029082405297151763", locationHint: "or2", cookies: [] });
    expect(edge.locationHint).toBe("or2");
    standIn.respond(() => ({ status: 200, json: fixture.cases.documented!.response }));
    const next = await edge.getAttributes(["hero-banner"]);
    expect(standIn.requests.at(-1)!.path).toBe("/ee-pre-prd/or2/v2/interact");
    expect(next.getEdgeResponse().cookies).toEqual([{ name: "kndctr_53A16ACB5CC1D3760A495C99_AdobeOrg_identity", value: expect.any(String), maxAge: 34128000 }]);
    // A visitor's own cluster cookie wins over the client's.
    await edge.getAttributes(["hero-banner"], { cookies: { kndctr_ORG_AdobeOrg_cluster: "va6", other: "x" } });
    expect(standIn.requests.at(-1)!.path).toBe("/ee-pre-prd/va6/v2/interact");
    expect(standIn.requests.at(-1)!.headers["x-exc-sdk"]).toBe("mboxgen");
  });

  it("sends the configured and per-call headers (authentication for server.adobedc.net)", async () => {
    standIn.respond(() => ({ status: 200, json: fixture.cases.empty!.response }));
    await standInEdge({ headers: { Authorization: "Bearer token-1", "x-api-key": "key-1" } }).getAttributes(["hero-banner"], { headers: { "x-gw-ims-org": "ORG@AdobeOrg" } });
    expect(standIn.requests.at(-1)!.headers).toMatchObject({ authorization: "Bearer token-1", "x-api-key": "key-1", "x-gw-ims-org": "ORG@AdobeOrg", "content-type": "application/json" });
  });

  describe("faults: typed errors, never unhandled, timeouts abort", () => {
    it("4xx with Adobe's problem body: no retry, the detail in the message", async () => {
      standIn.requests.length = 0;
      standIn.respond(() => ({ status: 403, json: { type: "https://ns.adobe.com/aep/errors/EXEG-0501-401", status: 403, title: "Forbidden", detail: "The datastream is disabled." } }));
      const error = await standInEdge().getAttributes(["hero-banner"]).catch((caught: unknown) => caught);
      expect(isTargetHttpError(error) && error.status === 403).toBe(true);
      expect((error as Error).message).toContain("The datastream is disabled.");
      expect(standIn.requests).toHaveLength(1);
    });

    it("5xx: retried, then the last status", async () => {
      standIn.requests.length = 0;
      standIn.respond(() => ({ status: 503, json: { type: "https://ns.adobe.com/aep/errors/EXEG-0500-503", status: 503, title: "Service unavailable" } }));
      const error = await standInEdge({ retries: 2 }).getAttributes(["hero-banner"]).catch((caught: unknown) => caught);
      expect(isTargetHttpError(error) && error.status === 503).toBe(true);
      expect(standIn.requests).toHaveLength(3);
      standIn.respond((_request, index) => (index < 1 ? { status: 502, text: "bad gateway" } : { status: 200, json: fixture.cases.documented!.response }));
      standIn.requests.length = 0;
      expect((await standInEdge({ retries: 2 }).getAttributes(["hero-banner"])).asObject("hero-banner")).toEqual(fixture.cases.documented!.expected["hero-banner"]);
    });

    it("a hanging server: a timeout error after the budget, the request aborted", async () => {
      standIn.respond(() => ({ hang: true }));
      const started = Date.now();
      const error = await standInEdge({ timeout: 150 }).getAttributes(["hero-banner"]).catch((caught: unknown) => caught);
      expect(isTargetTimeoutError(error)).toBe(true);
      expect(Date.now() - started).toBeLessThan(3000);
    });

    it.each([
      ["a body that is not JSON", { status: 200, text: "<html>proxy login</html>" }, /not JSON/],
      ["JSON that is not an Edge Network response", { status: 200, json: [1, 2] }, /not an Edge Network response/],
      ["a handle that is not an array", { status: 200, json: { requestId: "r", handle: { type: "x" } } }, /not an Edge Network response/],
      ["a Target error inside a 200", { status: 200, json: { requestId: "r", handle: [], errors: [{ type: "https://ns.adobe.com/aep/errors/TGT-1000-500", status: 500, title: "Target timed out" }] } }, /Target error .*Target timed out/],
    ] as const)("%s: a response error", async (_name, action, message) => {
      standIn.respond(() => action as never);
      const error = await standInEdge().getAttributes(["hero-banner"]).catch((caught: unknown) => caught);
      expect(isTargetResponseError(error)).toBe(true);
      expect((error as Error).message).toMatch(message);
    });

    it("a refused connection: a network error", async () => {
      const error = await createEdgeNetworkClient({ datastreamId: "d", edgeDomain: "127.0.0.1:9", secure: false, retries: 0 }).getAttributes(["x"]).catch((caught: unknown) => caught);
      expect(isTargetNetworkError(error)).toBe(true);
    });

    it("other errors and warnings beside Target's propositions go to the logger only", async () => {
      const logged: unknown[] = [];
      standIn.respond(() => ({ status: 200, json: { ...(fixture.cases.documented!.response as object), errors: [{ type: "https://ns.adobe.com/aep/errors/EXEG-0104-422", title: "Analytics unavailable" }] } }));
      const provider = await standInEdge({ logger: { error: (...messages: unknown[]) => logged.push(messages) } }).getAttributes(["hero-banner"]);
      expect(provider.asObject("hero-banner")).toEqual(fixture.cases.documented!.expected["hero-banner"]);
      expect(logged).toHaveLength(1);
    });

    it("bad arguments: validation errors (thrown by the factory, rejected by calls)", async () => {
      expect(() => createEdgeNetworkClient({} as never)).toThrow(/datastreamId is required/);
      expect(() => createEdgeNetworkClient(undefined as never)).toThrow(/Options map is required/);
      const edge = standInEdge();
      for (const names of ["hero-banner", [""], [42]]) {
        const error = await edge.getAttributes(names as never).catch((caught: unknown) => caught);
        expect(isTargetError(error) && error.kind === "validation").toBe(true);
      }
      const throwing = Object.defineProperty({}, "cookies", { get: () => { throw new Error("getter"); } });
      await expect(edge.getAttributes(["x"], throwing)).rejects.toThrow("getter");
    });
  });
});
