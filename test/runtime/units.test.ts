/** Unit tests of the runtime's pure parts, with Adobe's own cases where Adobe has them. */
import { describe, expect, it } from "vitest";
import { addMboxesToRequest } from "../../runtime/delivery-api/add-mboxes-to-request.js";
import { createAttributesProvider } from "../../runtime/delivery-api/attributes-provider.js";
import type { TargetResponseEnvelope } from "../../runtime/delivery-api/client-types.js";
import { createSupplementalDataId, createUuid32 } from "../../runtime/platform/ids.js";
import {
  createTargetCookie,
  extractClusterFromDeviceId,
  extractClusterFromEdgeHost,
  getTargetHost,
  parseTargetCookie,
} from "../../runtime/delivery-api/target-cookie.js";
import { parseVisitorCookie } from "../../runtime/delivery-api/visitor-cookie.js";
import { createDeliveryRequest, type DeliveryRequestInputs } from "../../runtime/delivery-api/delivery-request.js";
import { endTimeout, startTimeout } from "../../runtime/platform/http.js";

describe("addMboxesToRequest (TT/src/utils.spec.js L112-227)", () => {
  it("adds to a request with prefetch: indexes 1, 2, 3", () => {
    const request = { prefetch: { mboxes: [{ name: "p", index: 9 }] } };
    expect(addMboxesToRequest(["a", "b", "c"], request).execute?.mboxes).toEqual([
      { name: "a", index: 1 },
      { name: "b", index: 2 },
      { name: "c", index: 3 },
    ]);
  });

  it("adds without duplicates and preserves existing", () => {
    const request = { execute: { mboxes: [{ name: "foo", index: 6 }, { name: "jab", index: 2 }] } };
    const result = addMboxesToRequest(["foo", "bar", "baz"], request);
    expect(result.execute?.mboxes).toEqual([
      { name: "foo", index: 6 },
      { name: "jab", index: 2 },
      { name: "bar", index: 7 },
      { name: "baz", index: 8 },
    ]);
    expect(request.execute.mboxes).toHaveLength(2);
  });

  it("keeps pageLoad and other sections, shares them by reference", () => {
    const prefetch = { views: [{ name: "v" }] };
    const request = { execute: { pageLoad: { parameters: { a: "1" } } }, prefetch };
    const result = addMboxesToRequest(["m"], request);
    expect(result.execute).toEqual({ pageLoad: { parameters: { a: "1" } }, mboxes: [{ name: "m", index: 1 }] });
    expect(result.prefetch).toBe(prefetch);
  });
});

describe("the mbox cookie and routing (§7)", () => {
  const inSeconds = (offset: number) => Math.ceil(Date.now() / 1000) + offset;

  it("parses entries, drops expired and malformed ones", () => {
    const entries = parseTargetCookie(`session#s1#${inSeconds(100)}|PC#tnt.28_0#${inSeconds(1000)}|old#x#1|broken|nan#v#abc|bad%#v#${inSeconds(5)}`);
    expect(Object.keys(entries)).toEqual(["session", "PC"]);
    expect(entries.PC?.value).toBe("tnt.28_0");
  });

  it("writes session and PC entries with their max ages", () => {
    const cookie = createTargetCookie("s 1", "tnt");
    expect(cookie.name).toBe("mbox");
    expect(cookie.value).toMatch(/^session#s%201#\d+\|PC#tnt#\d+$/);
    expect(cookie.maxAge).toBeGreaterThanOrEqual(63244800);
    expect(cookie.maxAge).toBeLessThanOrEqual(63244801);
    expect(createTargetCookie("s", undefined).maxAge).toBeLessThanOrEqual(1861);
  });

  it("derives clusters as Adobe does", () => {
    expect(extractClusterFromDeviceId("abc.28_0")).toBe("28");
    expect(extractClusterFromDeviceId("abc.28")).toBeUndefined();
    expect(extractClusterFromDeviceId("a.b.28_0")).toBeUndefined();
    expect(extractClusterFromEdgeHost("mboxedge28.tt.omtrdc.net")).toBe("28");
    expect(extractClusterFromEdgeHost("127.0.0.1")).toBe("127");
    expect(extractClusterFromEdgeHost("localhost")).toBeUndefined();
  });

  it("a cluster beats serverDomain, which beats the client host", () => {
    expect(getTargetHost({ serverDomain: "x.example", cluster: "35", client: "c", secure: undefined })).toBe("https://mboxedge35.tt.omtrdc.net");
    expect(getTargetHost({ serverDomain: "x.example", cluster: undefined, client: "c", secure: false })).toBe("http://x.example");
    expect(getTargetHost({ serverDomain: undefined, cluster: undefined, client: "c", secure: true })).toBe("https://c.tt.omtrdc.net");
  });
});

describe("visitor cookie", () => {
  it("reads MCMID, MCAAMLH and MCAAMB and ignores the rest", () => {
    expect(parseVisitorCookie("1%7CMCIDTS%7C1%7CMCMID%7Cecid%7CMCAAMLH-9%7C6%7CMCAAMB-9%7Cblob")).toEqual({
      marketingCloudVisitorId: "ecid",
      audienceManager: { locationHint: 6, blob: "blob" },
    });
    expect(parseVisitorCookie("%E0%A4%A")).toEqual({});
    expect(parseVisitorCookie(undefined)).toEqual({});
  });
});

describe("ids", () => {
  it("uuid32 and SDID have Adobe's formats", () => {
    expect(createUuid32()).toMatch(/^[0-9a-f]{12}4[0-9a-f]{3}[89ab][0-9a-f]{15}$/);
    expect(createSupplementalDataId()).toMatch(/^[0-9A-F]{16}-[0-9A-F]{16}$/);
    expect(createUuid32()).not.toBe(createUuid32());
  });
});

describe("createDeliveryRequest", () => {
  const inputs: DeliveryRequestInputs = { environmentId: undefined, propertyToken: undefined, onInvalid: () => undefined };

  it("drops invalid mboxes and notifications and reports them", () => {
    const invalid: unknown[] = [];
    const request = createDeliveryRequest(
      {
        context: { channel: "web" },
        execute: { mboxes: [{ name: "" }, { name: "ok" }, null as never] },
        notifications: [{ id: "n", type: "display", timestamp: 1 }, { id: "", type: "display", timestamp: 1 }, { id: "x", type: "view" as never, timestamp: 1 }],
      },
      { ...inputs, onInvalid: (_message, item) => invalid.push(item) },
    );
    expect(request.execute?.mboxes).toEqual([{ index: 0, name: "ok" }]);
    expect(request.notifications).toEqual([{ id: "n", type: "display", timestamp: 1 }]);
    expect(invalid).toHaveLength(4);
  });

  it("keeps every field of the request model, in the model's order, whatever order the caller's keys come in", () => {
    const notification = { mbox: { name: "m" }, tokens: ["t"], timestamp: 1, type: "display", impressionId: "i", id: "n" };
    class Address {
      get url() {
        return "https://shop.example/";
      }
    }
    const request = createDeliveryRequest(
      {
        preview: { token: "p" },
        qaMode: { token: "q" },
        notifications: [notification as never],
        telemetry: { entries: [{ requestId: "r", execution: 1 }] },
        prefetch: { views: [{ name: "v" }] },
        execute: { mboxes: [{ name: "m", index: 4 }] },
        experienceCloud: { analytics: { logging: "client_side" } },
        context: { userAgent: "ua", address: new Address() as never, channel: "web" },
        trace: { authorizationToken: "a" },
        property: { token: "pt" },
        environmentId: 7,
        id: { thirdPartyId: "3", tntId: "t" },
        impressionId: "imp",
        requestId: "req",
        unknownField: "dropped",
      } as never,
      inputs,
    );
    expect(Object.keys(request)).toEqual(["requestId", "impressionId", "id", "environmentId", "property", "trace", "context", "experienceCloud", "execute", "prefetch", "telemetry", "notifications", "qaMode", "preview"]);
    expect(Object.keys(request.id!)).toEqual(["tntId", "thirdPartyId"]);
    expect(request.context).toEqual({ channel: "web", address: { url: "https://shop.example/" }, userAgent: "ua" });
    expect(Object.keys(request.context!)).toEqual(["channel", "address", "userAgent"]);
    expect(Object.keys(request.notifications![0]!)).toEqual(["id", "impressionId", "type", "timestamp", "tokens", "mbox"]);
  });

  it("never mutates its input", () => {
    const original = { context: { channel: "mobile" as const, foo: 1 }, execute: { mboxes: [{ name: "m" }] } };
    const frozen = JSON.stringify(original);
    createDeliveryRequest(original as never, inputs);
    expect(JSON.stringify(original)).toBe(frozen);
  });
});

describe("timeouts", () => {
  it("hand a settled, never aborted controller to the next timeout, at most eight times, and never an aborted one", () => {
    const first = startTimeout(1000);
    endTimeout(first);
    const second = startTimeout(1000);
    expect(second.controller).toBe(first.controller);
    expect(second.uses).toBe(2);
    second.controller.abort();
    endTimeout(second);
    const third = startTimeout(1000);
    expect(third.controller).not.toBe(first.controller);
    expect(third.controller.signal.aborted).toBe(false);
    endTimeout(third);

    const controllers = new Set<unknown>();
    for (let round = 0; round < 20; round += 1) {
      const scope = startTimeout(1000);
      controllers.add(scope.controller);
      expect(scope.uses).toBeLessThanOrEqual(8);
      endTimeout(scope);
    }
    expect(controllers.size).toBeGreaterThanOrEqual(3);
  });
});

describe("AttributesProvider (TT/src/attributesProvider.spec.js)", () => {
  const envelope = {
    response: {
      prefetch: { mboxes: [{ index: 2, name: "feature-flag-a", options: [{ type: "json", content: { paymentExperience: "legacy", showFeatureX: false, paymentGatewayVersion: 2.3, customerFeedbackValue: 10 }, eventToken: "t" }] }] },
      execute: { mboxes: [{ index: 1, name: "feature-flag-b", options: [{ type: "json", content: { purchaseExperience: "beta2", showFeatureY: true, cartVersion: 1.3, customerSurveyValue: 102 } }] }] },
    },
  } as unknown as TargetResponseEnvelope;

  it("gets values for several mboxes from one provider", () => {
    const provider = createAttributesProvider(envelope);
    expect(["paymentExperience", "showFeatureX", "paymentGatewayVersion", "customerFeedbackValue"].map((key) => provider.getValue("feature-flag-a", key))).toEqual(["legacy", false, 2.3, 10]);
    expect(["purchaseExperience", "showFeatureY", "cartVersion", "customerSurveyValue"].map((key) => provider.getValue("feature-flag-b", key))).toEqual(["beta2", true, 1.3, 102]);
    expect(provider.getResponse()).toBe(envelope);
    expect(JSON.stringify(provider)).toBe(JSON.stringify(provider.asObject()));
  });

  it("returns (does not throw) an Error for a missing attribute", () => {
    const provider = createAttributesProvider(envelope);
    expect(provider.getValue("feature-flag-a", "myPropertyName")).toEqual(new Error("Attribute 'myPropertyName' does not exist for mbox 'feature-flag-a'"));
    expect(provider.getValue("feature-flag-xyz", "myPropertyName")).toEqual(new Error("Attribute 'myPropertyName' does not exist for mbox 'feature-flag-xyz'"));
  });

  it("asObject copies are shallow and independent of each other", () => {
    const provider = createAttributesProvider(envelope);
    const copy = provider.asObject("feature-flag-a");
    copy.paymentExperience = "changed";
    expect(provider.getValue("feature-flag-a", "paymentExperience")).toBe("legacy");
  });
});
