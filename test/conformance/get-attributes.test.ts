/**
 * Conformance: Adobe's SDK (@adobe/target-nodejs-sdk 2.4.3) and @mboxgen/runtime run the same
 * scenario against the same loopback Delivery API server. Provider output (toJSON, asObject, every
 * getValue, a missing and an inherited key), the envelope and the wire requests must match after
 * masking random ids. TARGET-PROTOCOL.md is the reference; each scenario names its section.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createTargetClient } from "@mboxgen/runtime";
import { createAdobeClient, createAdobeClientRaw } from "../support/adobe-sdk.js";
import { startDeliveryServer, echoMboxes, type DeliveryTestServer, type OfferContents, type Responder } from "../support/delivery-server.js";
import { describeProvider, describeValue, describeWireRequest, maskRandomIds, normalizeEnvelope } from "../support/normalize.js";

type AnyClient = {
  getAttributes(mboxNames: string[], options?: any): Promise<any>;
  getOffers(options: any): Promise<any>;
};

interface Scenario {
  name: string;
  contents?: OfferContents;
  responder?: Responder;
  config?: Record<string, unknown>;
  /** Runs the calls with one client; returns what to compare. */
  run: (client: AnyClient) => Promise<unknown>;
}

const flagContents: OfferContents = {
  "feature-flag-a": [{ content: { paymentExperience: "legacy", showFeatureX: false, paymentGatewayVersion: 2.3, customerFeedbackValue: 10 } }],
  "feature-flag-b": [{ content: { purchaseExperience: "beta2", showFeatureY: true, cartVersion: 1.3, customerSurveyValue: 102 } }],
};

/** Observes a provider after one getAttributes call. */
const attributesOf = (mboxNames: string[], options?: any) => async (client: AnyClient) =>
  describeProvider(await client.getAttributes(mboxNames, options), mboxNames);

/** Serves a fixed response body, whatever was asked. */
const fixedResponse = (json: unknown): Responder => () => ({ status: 200, json });

/** Records the host each call was meant for, and sends it to the loopback server instead. */
function createRedirectingFetch(server: DeliveryTestServer, hosts: string[]) {
  return async (input: string, init: RequestInit) => {
    const url = new URL(input);
    hosts.push(url.host);
    return fetch(`${server.url}${url.pathname}${url.search}`, init);
  };
}

const wideOffer = Object.fromEntries(Array.from({ length: 200 }, (_, index) => [`key${index}`, index % 3 === 0 ? `v${index}` : index]));
const nestedOffer = { level1: { level2: { level3: { list: [1, { deep: [true, null, "x"] }], empty: {} } } }, matrix: [[1, 2], [3, 4]] };

const scenarios: Scenario[] = [
  { name: "one mbox, one json offer (§3.1)", contents: flagContents, run: attributesOf(["feature-flag-a"]) },
  { name: "two mboxes in one call (§2.2)", contents: flagContents, run: attributesOf(["feature-flag-a", "feature-flag-b"]) },
  {
    name: "no options object at all, then a second call (SDK/test/attributes.spec.js)",
    contents: flagContents,
    run: async (client) => [
      describeProvider(await client.getAttributes(["feature-flag-a"], { sessionId: "dummy_session" }), ["feature-flag-a"]),
      describeProvider(await client.getAttributes(["feature-flag-a", "feature-flag-b"]), ["feature-flag-a", "feature-flag-b"]),
    ],
  },
  {
    name: "prefetch in the request plus execute added (§6.2)",
    contents: flagContents,
    run: attributesOf(["feature-flag-a", "feature-flag-b"], {
      request: { prefetch: { mboxes: [{ name: "feature-flag-a", index: 2 }] } },
    }),
  },
  {
    name: "several json options merge shallowly, last wins (§3.2)",
    contents: { m: [{ content: { a: "first", x: 1 } }, { content: { a: "second", y: { nested: true } } }, { content: { z: null } }] },
    run: attributesOf(["m"]),
  },
  {
    name: "execute overrides prefetch, later duplicate entries override earlier (§3.2)",
    responder: fixedResponse({
      prefetch: { mboxes: [{ index: 1, name: "m", options: [{ type: "json", content: { a: "prefetch", p: 1 } }] }] },
      execute: {
        mboxes: [
          { index: 2, name: "m", options: [{ type: "json", content: { a: "e1", x: 1 } }, { type: "json", content: { a: "e2", y: 2 } }] },
          { index: 3, name: "m", options: [{ type: "json", content: { a: "e3" } }] },
        ],
      },
    }),
    run: attributesOf(["m"]),
  },
  {
    name: "only type json counts: html, redirect and JSON are ignored (§3.2)",
    contents: {
      m: [
        { type: "html", content: "<b>hi</b>" },
        { type: "JSON", content: { upper: true } },
        { type: "redirect", content: { url: "https://example.com" } },
        { type: "json", content: { kept: "yes" } },
      ],
      "html-only": [{ type: "html", content: "<i>x</i>" }],
    },
    run: attributesOf(["m", "html-only"]),
  },
  {
    name: "content null or missing is skipped; {} makes an empty entry (§3.2)",
    contents: { "null-content": [{ content: null }], "no-content": [{}], "empty-object": [{ content: {} }] },
    run: attributesOf(["null-content", "no-content", "empty-object"]),
  },
  {
    name: "string, array, number and boolean content follow Object.assign (§3.2)",
    contents: { text: [{ content: "ab" }], list: [{ content: [10, 20] }], number: [{ content: 42 }], flag: [{ content: true }] },
    run: attributesOf(["text", "list", "number", "flag"]),
  },
  {
    name: "a mbox without a name is stored under 'undefined'; options null is no options (§3.2)",
    responder: fixedResponse({
      execute: { mboxes: [{ index: 1, options: [{ type: "json", content: { orphan: 1 } }] }, { index: 2, name: "nulls", options: null }] },
    }),
    run: attributesOf(["nulls", "undefined"]),
  },
  {
    name: "a requested mbox Target has nothing for: getValue returns an Error, asObject {} (§3.3)",
    contents: flagContents,
    run: attributesOf(["unknown-flag", "feature-flag-a"]),
  },
  {
    name: "a name requested in prefetch stays prefetch-only (§2.2)",
    contents: flagContents,
    run: attributesOf(["feature-flag-a", "feature-flag-b"], {
      request: { context: { channel: "web" }, prefetch: { mboxes: [{ name: "feature-flag-a", index: 2 }] } },
    }),
  },
  {
    name: "dedupe against execute and preserve existing indexes (TT/src/utils.spec.js)",
    contents: { foo: [{ content: { f: 1 } }], jab: [{ content: { j: 1 } }], bar: [{ content: { b: 1 } }], baz: [{ content: { z: 1 } }] },
    run: attributesOf(["foo", "bar", "baz"], {
      request: { execute: { mboxes: [{ name: "foo", index: 6 }, { name: "jab", index: 2 }] } },
    }),
  },
  {
    name: "duplicates inside mboxNames are not deduped (§2.2)",
    contents: flagContents,
    run: attributesOf(["feature-flag-a", "feature-flag-a"]),
  },
  {
    name: "the worked example: unindexed existing mbox and the index collision quirk (§2.3, §2.4)",
    contents: flagContents,
    run: attributesOf(["feature-flag-a", "feature-flag-b", "new-1", "new-2"], {
      sessionId: "my-session-1",
      request: {
        id: { tntId: "abc123" },
        context: { channel: "web", address: { url: "http://example.com/x" } },
        execute: { mboxes: [{ name: "feature-flag-b", index: 7 }, { name: "noindex" }] },
        prefetch: { mboxes: [{ name: "feature-flag-a", index: 42 }] },
      },
    }),
  },
  {
    name: "odd and unicode mbox names and keys",
    contents: {
      "mbox with spaces": [{ content: { "key with spaces": 1 } }],
      "émoji-🚀-ünïcødé": [{ content: { "ключ": "значение", "🚀": "launch" } }],
      "quote\"and'back`tick": [{ content: { "*/": "comment end", "${x}": "template" } }],
      "constructor": [{ content: { toString: "shadow", hasOwnProperty: 1 } }],
    },
    run: attributesOf(["mbox with spaces", "émoji-🚀-ünïcødé", "quote\"and'back`tick", "constructor"]),
  },
  {
    name: "a wide offer (200 keys) and a nested offer",
    contents: { wide: [{ content: wideOffer }], nested: [{ content: nestedOffer }] },
    run: attributesOf(["wide", "nested"]),
  },
  {
    name: "visitor ids: tntId, thirdPartyId, ECID and customer ids (§5.4)",
    contents: flagContents,
    run: attributesOf(["feature-flag-a"], {
      customerIds: { userid: { id: "u-1", authState: 1 }, crm: "c-9" },
      request: {
        id: { tntId: "given-tnt", thirdPartyId: "3p", marketingCloudVisitorId: "ecid-1", customerIds: [{ id: "x", integrationCode: "y", authenticatedState: "logged_out" }] },
        context: { channel: "web" },
      },
    }),
  },
  {
    name: "the AMCV visitor cookie gives the ECID and Audience Manager values (§5.4)",
    contents: flagContents,
    run: attributesOf(["feature-flag-a"], {
      visitorCookie:
        "-1303530583%7CMCIDTS%7C19000%7CMCMID%7C12345678901234567890123456789012345678%7CMCAAMLH-1700000000%7C9%7CMCAAMB-1700000000%7Cj8Odv6LonN4r3an7LhD3WZrU1bUpAkFkkiY1ncBR96t2PTI%7CvVersion%7C5.5.0",
    }),
  },
  {
    name: "property token and environment id from the config (§5.4)",
    contents: flagContents,
    config: { propertyToken: "config-token", environmentId: 12345 },
    run: attributesOf(["feature-flag-a"]),
  },
  {
    name: "property token and environment id from the request beat the config (SDK/test/request.spec.js)",
    contents: flagContents,
    config: { propertyToken: "config-token", environmentId: 12345 },
    run: attributesOf(["feature-flag-a"], {
      request: { property: { token: "request-token" }, environmentId: 777, context: { channel: "web" } },
    }),
  },
  {
    name: "a request without context gets channel web and timeOffsetInMinutes (§5.5)",
    contents: flagContents,
    run: attributesOf(["feature-flag-a"], { request: { id: { thirdPartyId: "3p" } } }),
  },
  {
    name: "channel coercion: 'mobile' goes out as 'web', 'Mobile' verbatim; unknown fields dropped (§5.5)",
    contents: flagContents,
    run: async (client) => [
      await attributesOf(["feature-flag-a"], { request: { context: { channel: "mobile", foo: "dropped", address: { url: "http://x/", bar: 1 } } } })(client),
      await attributesOf(["feature-flag-a"], { request: { context: { channel: "Mobile", userAgent: "UA", geo: { city: "Basel", extra: true } } } })(client),
    ],
  },
  {
    name: "mbox parameters, profile parameters, order and product pass through the models (§5.4)",
    contents: flagContents,
    run: attributesOf(["feature-flag-b"], {
      request: {
        context: { channel: "web" },
        execute: {
          pageLoad: { parameters: { page: "home" } },
          mboxes: [
            {
              name: "feature-flag-a",
              index: 3,
              parameters: { color: "red" },
              profileParameters: { tier: "gold" },
              order: { id: "o1", total: 9.5, unknown: 1 },
              product: { id: "p1", categoryId: "c1" },
              extra: "dropped",
            },
          ],
        },
      },
    }),
  },
  {
    name: "the mbox cookie round trip over three calls: session and PC entries (§7.2-§7.4)",
    contents: flagContents,
    run: async (client) => {
      const results: unknown[] = [];
      let targetCookie: string | undefined;
      for (let call = 0; call < 3; call += 1) {
        const provider = await client.getAttributes(["feature-flag-a"], targetCookie ? { targetCookie } : { sessionId: "first-session" });
        results.push(describeProvider(provider, ["feature-flag-a"]));
        targetCookie = provider.getResponse().targetCookie.value;
      }
      return results;
    },
  },
  {
    name: "the cookie's session beats options.sessionId; tntId comes from PC (§7.3, §7.4)",
    contents: flagContents,
    run: attributesOf(["feature-flag-a"], {
      sessionId: "loses",
      targetCookie: `session#from-cookie#${Math.ceil(Date.now() / 1000) + 600}|PC#pc-tnt-id#${Math.ceil(Date.now() / 1000) + 6000}|stale#x#1`,
    }),
  },
  {
    name: "response tokens, A4T analytics and trace reach the envelope (§6.4)",
    responder: fixedResponse({
      id: { tntId: "tnt-from-target" },
      execute: {
        mboxes: [
          {
            index: 1,
            name: "m",
            analytics: { payload: { pe: "tnt", tnta: "1:2:3" } },
            trace: { clientCode: "mockclient" },
            options: [{ type: "json", content: { a: 1 }, responseTokens: { "activity.id": 42, "experience.name": "B" } }],
          },
        ],
      },
    }),
    run: attributesOf(["m"]),
  },
  {
    name: "an empty 2xx body (204) resolves with an empty response",
    responder: () => ({ status: 204 }),
    run: attributesOf(["feature-flag-a"]),
  },
  {
    name: "the version option is sent as &version= (§5.1)",
    contents: flagContents,
    config: { version: "2.9.0" },
    run: attributesOf(["feature-flag-a"]),
  },
];

describe("getAttributes conformance with @adobe/target-nodejs-sdk 2.4.3", () => {
  let server: DeliveryTestServer;
  beforeAll(async () => {
    server = await startDeliveryServer();
  });
  afterAll(() => server.close());

  it.each(scenarios.map((scenario) => [scenario.name, scenario] as const))("%s", async (_name, scenario) => {
    server.requests.length = 0;
    server.respond(scenario.responder ?? echoMboxes(scenario.contents ?? {}));
    const adobe = createAdobeClient(server.serverDomain, scenario.config);
    const ours = createTargetClient({
      client: "mockclient",
      organizationId: "MOCKORG@AdobeOrg",
      serverDomain: server.serverDomain,
      secure: false,
      ...scenario.config,
    });

    const adobeResult = await scenario.run(adobe);
    const adobeRequests = server.requests.splice(0).map(describeWireRequest);
    const ourResult = await scenario.run(ours);
    const ourRequests = server.requests.splice(0).map(describeWireRequest);

    expect(adobeRequests.length).toBeGreaterThan(0);
    expect(ourRequests).toEqual(adobeRequests);
    expect(ourResult).toEqual(adobeResult);
  });
});

describe("routing conformance: edge clusters and the sticky location hint (§5.2, §7.5)", () => {
  let server: DeliveryTestServer;
  beforeAll(async () => {
    server = await startDeliveryServer(flagContents);
  });
  afterAll(() => server.close());

  async function hostsFor(run: (client: AnyClient) => Promise<unknown>, configure: (hosts: string[]) => Record<string, unknown>) {
    const adobeHosts: string[] = [];
    const ourHosts: string[] = [];
    const adobeResult = await run(createAdobeClient(server.serverDomain, configure(adobeHosts)));
    const ourResult = await run(
      createTargetClient({ client: "mockclient", organizationId: "MOCKORG@AdobeOrg", serverDomain: server.serverDomain, secure: false, ...configure(ourHosts) }),
    );
    return { adobeHosts, ourHosts, adobeResult, ourResult };
  }

  it("a cluster from the PC tntId, the call's location hint, then an edgeHost that sticks", async () => {
    server.respond((request, callIndex) => {
      const echoed = echoMboxes(flagContents)(request, callIndex) as { status: number; json: Record<string, unknown> };
      // The second call of each client answers from edge 31; the client must stay there afterwards.
      return request.query.sessionId === "second" ? { status: 200, json: { ...echoed.json, edgeHost: "mboxedge31.tt.omtrdc.net" } } : echoed;
    });
    const run = async (client: AnyClient) => {
      const observed: unknown[] = [];
      const expires = Math.ceil(Date.now() / 1000) + 6000;
      observed.push(describeProvider(await client.getAttributes(["feature-flag-a"], { targetCookie: `PC#abc.28_0#${expires}`, sessionId: "first" }), []));
      observed.push(describeProvider(await client.getAttributes(["feature-flag-a"], { sessionId: "second", targetLocationHint: "17" }), []));
      observed.push(describeProvider(await client.getAttributes(["feature-flag-a"], { sessionId: "third" }), []));
      return observed;
    };
    const { adobeHosts, ourHosts, adobeResult, ourResult } = await hostsFor(run, (hosts) => ({
      fetchApi: createRedirectingFetch(server, hosts),
    }));
    expect(adobeHosts).toEqual(["mboxedge28.tt.omtrdc.net", "mboxedge17.tt.omtrdc.net", "mboxedge17.tt.omtrdc.net"]);
    expect(ourHosts).toEqual(adobeHosts);
    expect(JSON.parse(maskRandomIds(JSON.stringify(ourResult)))).toEqual(JSON.parse(maskRandomIds(JSON.stringify(adobeResult))));
  });

  it("a configured targetLocationHint routes the first call and is reported back", async () => {
    server.respond(echoMboxes(flagContents));
    const run = async (client: AnyClient) => describeProvider(await client.getAttributes(["feature-flag-b"]), []);
    const { adobeHosts, ourHosts, adobeResult, ourResult } = await hostsFor(run, (hosts) => ({
      fetchApi: createRedirectingFetch(server, hosts),
      targetLocationHint: "35",
    }));
    expect(adobeHosts).toEqual(["mboxedge35.tt.omtrdc.net"]);
    expect(ourHosts).toEqual(adobeHosts);
    expect(ourResult).toEqual(adobeResult);
  });
});

describe("validation conformance (§2.5)", () => {
  let server: DeliveryTestServer;
  beforeAll(async () => {
    server = await startDeliveryServer(flagContents);
  });
  afterAll(() => server.close());

  const messageOf = async (call: () => Promise<unknown>) => {
    try {
      await call();
      return "resolved";
    } catch (error) {
      return (error as Error).message;
    }
  };

  it.each([
    ["getAttributes([]) with no other mboxes", (client: AnyClient) => client.getAttributes([])],
    ["getOffers without options", (client: AnyClient) => client.getOffers(undefined)],
    ["getOffers without a request", (client: AnyClient) => client.getOffers({ sessionId: "x" })],
    ["an empty execute", (client: AnyClient) => client.getOffers({ request: { execute: { mboxes: [] }, context: { channel: "web" } } })],
    ["an empty prefetch", (client: AnyClient) => client.getOffers({ request: { prefetch: { views: [] }, context: { channel: "web" } } })],
  ])("%s rejects with Adobe's message and sends nothing", async (_name, call) => {
    server.requests.length = 0;
    const adobeMessage = await messageOf(() => call(createAdobeClient(server.serverDomain)));
    const ourMessage = await messageOf(() =>
      call(createTargetClient({ client: "mockclient", organizationId: "MOCKORG@AdobeOrg", serverDomain: server.serverDomain, secure: false })),
    );
    expect(adobeMessage).not.toBe("resolved");
    expect(ourMessage).toBe(adobeMessage);
    expect(server.requests).toHaveLength(0);
  });

  it.each([
    ["no options", undefined],
    ["no client", { organizationId: "o" }],
    ["an empty client", { client: "", organizationId: "o" }],
    ["no organization id", { client: "c" }],
    ["an invalid decisioning method", { client: "c", organizationId: "o", decisioningMethod: "sideways" }],
  ])("create with %s throws Adobe's message", (_name, options) => {
    const adobeMessage = (() => {
      try {
        createAdobeClientRaw(options);
        return "created";
      } catch (error) {
        return (error as Error).message;
      }
    })();
    expect(adobeMessage).not.toBe("created");
    expect(() => createTargetClient(options as never)).toThrow(adobeMessage);
  });

  it("getValue's returned Error is the same text and an Error in both", async () => {
    const adobe = await createAdobeClient(server.serverDomain).getAttributes(["feature-flag-a"]);
    const ours = await createTargetClient({ client: "mockclient", organizationId: "MOCKORG@AdobeOrg", serverDomain: server.serverDomain, secure: false }).getAttributes(["feature-flag-a"]);
    const adobeValue = adobe.getValue("feature-flag-xyz", "myPropertyName");
    const ourValue = ours.getValue("feature-flag-xyz", "myPropertyName");
    expect(adobeValue).toBeInstanceOf(Error);
    expect(ourValue).toBeInstanceOf(Error);
    expect(describeValue(ourValue)).toEqual(describeValue(adobeValue));
    expect((ourValue as Error).message).toBe("Attribute 'myPropertyName' does not exist for mbox 'feature-flag-xyz'");
  });
});

describe("sendNotifications conformance (§4)", () => {
  let server: DeliveryTestServer;
  beforeAll(async () => {
    server = await startDeliveryServer(flagContents);
  });
  afterAll(() => server.close());

  const notificationRequest = {
    context: { channel: "web" },
    id: { tntId: "visitor-1" },
    notifications: [
      { id: "display-1", type: "display", timestamp: 1700000000000, impressionId: "imp-1", mbox: { name: "feature-flag-a" }, tokens: ["token-feature-flag-a-0"] },
      { id: "click-1", type: "click", timestamp: 1700000000001, mbox: { name: "feature-flag-a" }, tokens: ["token-feature-flag-a-0"] },
      { id: "", type: "display", timestamp: 1 },
    ],
  };

  it("sends display and click notifications for prefetched mboxes like Adobe's SDK", async () => {
    server.requests.length = 0;
    const adobe = await createAdobeClient(server.serverDomain).sendNotifications({ request: notificationRequest, sessionId: "s-1" });
    const ours = await createTargetClient({ client: "mockclient", organizationId: "MOCKORG@AdobeOrg", serverDomain: server.serverDomain, secure: false }).sendNotifications({
      request: notificationRequest as never,
      sessionId: "s-1",
    });
    const [adobeRequest, ourRequest] = server.requests.map(describeWireRequest);
    expect(ourRequest).toBe(adobeRequest);
    expect(JSON.parse(adobeRequest!.split("\n")[1]!).notifications.map((notification: { id: string }) => notification.id)).toEqual(["display-1", "click-1"]);
    expect(JSON.parse(maskRandomIds(JSON.stringify(normalizeEnvelope(ours))))).toEqual(JSON.parse(maskRandomIds(JSON.stringify(normalizeEnvelope(adobe)))));
  });

  it("rejects without notifications, with Adobe's message", async () => {
    const request = { context: { channel: "web" }, notifications: [] };
    const adobeMessage = await createAdobeClient(server.serverDomain).sendNotifications({ request }).then(() => "resolved", (error: Error) => error.message);
    const ourMessage = await createTargetClient({ client: "c", organizationId: "o", serverDomain: server.serverDomain, secure: false })
      .sendNotifications({ request: request as never })
      .then(() => "resolved", (error: Error) => error.message);
    expect(adobeMessage).toBe("Notifications array is required in request");
    expect(ourMessage).toBe(adobeMessage);
  });
});
