/**
 * `propositionsProvider` and `sendDisplay` over propositions shaped as Adobe documents them
 * (fixtures/web-sdk/edge-responses.json): every input form, only Target's JSON items, several
 * propositions per scope in order, string content, hostile names as data, inputs that are not
 * propositions; generated accessors over it; display events once per proposition.
 */
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { isTargetError, isTargetResponseError, propositionsProvider, sendDisplay, type DisplayEvent, type Proposition } from "@mboxgen/runtime/web-sdk";
import { demoEngineeringFlags, heroBanner } from "../../fixtures/example/expected/index.js";
import { repositoryRoot } from "../support/fixtures.js";

const isTargetValidationError = (error: unknown) => isTargetError(error) && error.kind === "validation";

interface EdgeCase {
  description: string;
  response: { requestId: string; handle: Array<{ type: string; payload: any[] }> };
  expected: Record<string, Record<string, unknown>>;
}
const fixtureText = readFileSync(join(repositoryRoot, "fixtures/web-sdk/edge-responses.json"), "utf8");
// Parsed anew for each use: a display is remembered per proposition object (one page view's result).
const cases = new Proxy({} as Record<string, EdgeCase>, { get: (_target, name: string) => (JSON.parse(fixtureText) as { cases: Record<string, EdgeCase> }).cases[name] });
const caseNames = Object.keys((JSON.parse(fixtureText) as { cases: Record<string, EdgeCase> }).cases);
const decisionsOf = (edgeCase: EdgeCase) => edgeCase.response.handle.filter((handle) => handle.type === "personalization:decisions").flatMap((handle) => handle.payload);
/** What the Web SDK's sendEvent resolves with for the same response: propositions with renderAttempted. */
const webSdkResultOf = (edgeCase: EdgeCase) => ({ propositions: decisionsOf(edgeCase).map((proposition) => ({ ...proposition, renderAttempted: false })), decisions: [] });

describe("propositionsProvider", () => {
  describe.each(caseNames)("the %s payload", (name) => {
    const edgeCase = cases[name]!;
    const inputs = {
      "an Edge Network response": edgeCase.response,
      "its handle array": edgeCase.response.handle,
      "the personalization:decisions handle": edgeCase.response.handle.find((handle) => handle.type === "personalization:decisions")!,
      "the handle's payload": decisionsOf(edgeCase),
      "a Web SDK sendEvent result": webSdkResultOf(edgeCase),
      "a Web SDK result's propositions": webSdkResultOf(edgeCase).propositions,
      "a Web SDK result before 2.7 (decisions only)": { decisions: decisionsOf(edgeCase) },
    };
    it.each(Object.keys(inputs))("reads %s", (form) => {
      const provider = propositionsProvider(inputs[form as keyof typeof inputs] as never);
      expect(provider.error).toBeUndefined();
      expect(provider.asObject()).toEqual(edgeCase.expected);
      for (const [mbox, offer] of Object.entries(edgeCase.expected)) {
        expect(provider.asObject(mbox)).toEqual(offer);
        for (const [key, value] of Object.entries(offer)) expect(provider.getValue(mbox, key)).toEqual(value);
      }
      expect(JSON.parse(JSON.stringify(provider))).toEqual(JSON.parse(JSON.stringify(edgeCase.expected)));
    });
  });

  it("returns Adobe's error for a missing mbox or key, and {} for an mbox without JSON offers", () => {
    const provider = propositionsProvider(cases.mixed!.response);
    expect(provider.getValue("demo-engineering-flags", "nope")).toEqual(new Error("Attribute 'nope' does not exist for mbox 'demo-engineering-flags'"));
    expect(provider.getValue("promo-strip", "message")).toEqual(new Error("Attribute 'message' does not exist for mbox 'promo-strip'"));
    expect(provider.asObject("promo-strip")).toEqual({});
    expect(provider.asObject("__view__")).toEqual({});
  });

  it("keeps hostile names as data: no prototype is touched", () => {
    const provider = propositionsProvider(cases.hostile!.response);
    const offer = provider.asObject("__proto__");
    expect(Object.getPrototypeOf(offer)).toBe(Object.prototype);
    expect(Object.hasOwn(offer, "__proto__")).toBe(true);
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
    expect(provider.getValue("__proto__", "*/")).toBe("end of comment");
    expect(provider.getValue("hero-banner", "headline")).toBe("</script><script>alert(1)</script>");
  });

  it("exposes each mbox's activity and experience, in Adobe's order, without marking anything read", async () => {
    const provider = propositionsProvider(cases.mixed!.response);
    expect(provider.getDecisions("demo-engineering-flags")).toEqual([
      {
        mbox: "demo-engineering-flags",
        propositionId: decisionsOf(cases.mixed!)[0].id,
        activity: { id: "101", name: "Search provider test" },
        experience: { id: "1", name: "Provider 7" },
        offers: [{ id: "1002", name: "Provider 7 offer" }],
        eventToken: decisionsOf(cases.mixed!)[0].scopeDetails.characteristics.eventToken,
        responseTokens: { "activity.id": "101", "activity.name": "Search provider test", "experience.id": "1", "experience.name": "Provider 7", "offer.id": "1002", "offer.name": "Provider 7 offer" },
      },
      expect.objectContaining({ activity: { id: "102", name: "Checkout and CDN by region" }, experience: { id: "2", name: "EU CDN 2" } }),
    ]);
    expect(provider.getPropositions("demo-engineering-flags").map((proposition) => proposition.scopeDetails?.activity?.id)).toEqual(["101", "102"]);
    expect(provider.getDecisions("promo-strip")).toEqual([]);
    const events: DisplayEvent[] = [];
    expect(await sendDisplay(async (_command: string, event: DisplayEvent) => void events.push(event), provider)).toEqual({ sent: [] });
    expect(events).toEqual([]);
  });

  it.each([
    ["undefined", undefined],
    ["null", null],
    ["a number", 42],
    ["an object without propositions", { requestId: "x" }],
  ])("reads %s as a failed call: accessors fall back with target-error, nothing throws", (_name, input) => {
    const provider = propositionsProvider(input as never);
    expect(isTargetResponseError(provider.error)).toBe(true);
    expect(() => provider.asObject("hero-banner")).toThrow(/unreadable response/);
    expect(provider.getValue("hero-banner", "headline")).toBeInstanceOf(Error);
    const fallbacks: string[] = [];
    const hero = heroBanner.from(provider, { onFallback: (event) => fallbacks.push(`${event.key}:${event.reason}`) });
    expect(hero.headline()).toBe("Welcome");
    expect(hero.error).toBe(provider.error);
    expect(fallbacks).toContain("headline:target-error");
  });

  it("reads a rejected sendEvent's error as that error", () => {
    const rejection = new Error("The user declined consent.");
    const flags = demoEngineeringFlags.from(propositionsProvider(rejection));
    expect(flags.error).toBe(rejection);
    expect(flags.searchProviderId()).toBe(demoEngineeringFlags.from(propositionsProvider({ propositions: [] })).searchProviderId());
  });

  it("feeds generated accessors: typed values, validation and defaults as on the Delivery API path", () => {
    const fallbacks: string[] = [];
    const flags = demoEngineeringFlags.from(propositionsProvider(webSdkResultOf(cases.mixed!)), { onFallback: (event) => fallbacks.push(`${event.key}:${event.reason}`) });
    expect(flags.searchProviderId()).toBe(7);
    expect(flags.maxItems()).toBe(24);
    expect(flags.cdnHostname()).toBe("cdn-eu2.example.com");
    expect(flags.checkoutFlow()).toBe("one-page");
    expect(fallbacks.every((entry) => entry.endsWith(":missing"))).toBe(true);
    const wrong = structuredClone(decisionsOf(cases.documented!));
    wrong[0].items[0].data.content.theme = "purple";
    const invalid: string[] = [];
    const hero = heroBanner.from(propositionsProvider(wrong), { onFallback: (event) => invalid.push(`${event.key}:${event.reason}`) });
    expect(hero.theme()).toBe("light");
    expect(invalid).toEqual(["theme:invalid"]);
  });
});

describe("sendDisplay", () => {
  function recordingAlloy(fail = 0) {
    const events: DisplayEvent[] = [];
    let failures = fail;
    const alloy = async (command: string, event: DisplayEvent) => {
      expect(command).toBe("sendEvent");
      if (failures > 0) {
        failures -= 1;
        throw new Error("Edge Network unreachable");
      }
      events.push(event);
      return {};
    };
    return { alloy, events };
  }
  const namesOf = (event: DisplayEvent) => event.xdm._experience.decisioning.propositions.map((proposition) => `${proposition.scope}:${proposition.scopeDetails?.activity?.id}`);

  it("sends one display event for exactly the propositions read, each once", async () => {
    const { alloy, events } = recordingAlloy();
    const result = webSdkResultOf(cases.mixed!);
    const provider = propositionsProvider(result);
    expect(await sendDisplay(alloy, provider)).toEqual({ sent: [] });
    demoEngineeringFlags.from(provider);
    const first = await sendDisplay(alloy, provider);
    expect(first.sent.map((reference) => reference.scope)).toEqual(["demo-engineering-flags", "demo-engineering-flags"]);
    expect(events).toHaveLength(1);
    expect(events[0]!.xdm.eventType).toBe("decisioning.propositionDisplay");
    expect(events[0]!.xdm._experience.decisioning.propositionEventType).toEqual({ display: 1 });
    expect(namesOf(events[0]!)).toEqual(["demo-engineering-flags:101", "demo-engineering-flags:102"]);
    // Adobe's reference shape: id, scope, scopeDetails, nothing else (no items, no content).
    const original = result.propositions[0]!;
    expect(events[0]!.xdm._experience.decisioning.propositions[0]).toEqual({ id: original.id, scope: original.scope, scopeDetails: original.scopeDetails });
    expect(await sendDisplay(alloy, provider)).toEqual({ sent: [] });
    // A second provider over the same result (another component) sends nothing new either.
    demoEngineeringFlags.from(propositionsProvider(result));
    expect(await sendDisplay(alloy, propositionsProvider(result))).toEqual({ sent: [] });
    expect(events).toHaveLength(1);
  });

  it("sends what was read since, in later calls; concurrent calls never send a proposition twice", async () => {
    const { alloy, events } = recordingAlloy();
    const both = { propositions: [...decisionsOf(cases.documented!), ...decisionsOf(cases.mixed!)] };
    const provider = propositionsProvider(both);
    provider.getValue("hero-banner", "headline");
    const [one, two] = await Promise.all([sendDisplay(alloy, provider), sendDisplay(alloy, provider)]);
    expect(one.sent.length + two.sent.length).toBe(1);
    provider.asObject("demo-engineering-flags");
    expect((await sendDisplay(alloy, provider)).sent).toHaveLength(2);
    expect(events.map(namesOf)).toEqual([["hero-banner:140281"], ["demo-engineering-flags:101", "demo-engineering-flags:102"]]);
  });

  it("a new page view's result is displayed anew", async () => {
    const { alloy, events } = recordingAlloy();
    for (let view = 0; view < 2; view += 1) {
      const provider = propositionsProvider(webSdkResultOf(cases.documented!));
      heroBanner.from(provider);
      await sendDisplay(alloy, provider);
    }
    expect(events).toHaveLength(2);
  });

  it("never rejects: a failed send keeps its propositions pending for the next call", async () => {
    const { alloy, events } = recordingAlloy(1);
    const provider = propositionsProvider(cases.documented!.response);
    heroBanner.from(provider);
    const failed = await sendDisplay(alloy, provider);
    expect(failed.sent).toEqual([]);
    expect((failed.error as Error).message).toBe("Edge Network unreachable");
    expect((await sendDisplay(alloy, provider)).sent).toHaveLength(1);
    expect(events).toHaveLength(1);
    const throwing = () => {
      throw new TypeError("alloy is not configured");
    };
    const other = propositionsProvider(webSdkResultOf(cases.documented!));
    other.asObject();
    expect(((await sendDisplay(throwing as never, other)).error as Error).message).toBe("alloy is not configured");
    expect(isTargetValidationError((await sendDisplay(alloy, { asObject: () => ({}) })).error)).toBe(true);
    expect(isTargetValidationError((await sendDisplay({} as never, other)).error)).toBe(true);
  });

  it("leaves propositions the Web SDK rendered itself (renderAttempted) to the Web SDK", async () => {
    const { alloy, events } = recordingAlloy();
    const rendered: Proposition[] = decisionsOf(cases.documented!).map((proposition) => ({ ...proposition, renderAttempted: true }));
    const provider = propositionsProvider({ propositions: rendered });
    expect(heroBanner.from(provider).headline()).toBe("Summer sale");
    expect(await sendDisplay(alloy, provider)).toEqual({ sent: [] });
    expect(events).toEqual([]);
  });

  it("merges the caller's XDM beside the display fields, which it cannot override", async () => {
    const { alloy, events } = recordingAlloy();
    const provider = propositionsProvider(cases.documented!.response);
    provider.asObject();
    await sendDisplay(alloy, provider, { xdm: { eventType: "web.webpagedetails.pageViews", web: { webPageDetails: { name: "Home" } } } });
    expect(events[0]!.xdm.eventType).toBe("decisioning.propositionDisplay");
    expect(events[0]!.xdm.web).toEqual({ webPageDetails: { name: "Home" } });
  });
});
