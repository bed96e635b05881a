/**
 * The test page's script: Adobe's Web SDK (the npm package's `createInstance`, or the prebuilt
 * `alloy.min.js` the page loaded with Adobe's queue stub), configured as the test asks, and
 * mboxgen's generated accessors over its `sendEvent` result, with `sendDisplay` through the same
 * instance. Bundled by the test with esbuild; nothing here is shipped.
 */
import { createInstance } from "@adobe/alloy";
import { propositionsProvider, sendDisplay } from "@mboxgen/runtime/web-sdk";
import { demoEngineeringFlags, heroBanner, promoStrip } from "../../../fixtures/example/expected/index.js";

type Alloy = (command: string, options?: Record<string, unknown>) => Promise<any>;

/** What the test asks the page to do. */
export interface PageScenario {
  /** `npm`: `createInstance` from `@adobe/alloy`; `standalone`: the page's `window.alloy` from `alloy.min.js`. */
  library: "npm" | "standalone";
  configuration: Record<string, unknown>;
  sendEvent: Record<string, unknown>;
  /** Which generated descriptors the page reads (by export name). */
  read: Array<"demoEngineeringFlags" | "heroBanner" | "promoStrip">;
  /** How many times the page calls sendDisplay after reading. */
  displays: number;
}

const descriptors = { demoEngineeringFlags, heroBanner, promoStrip };
let instance: Alloy | undefined;

async function run(scenario: PageScenario) {
  if (!instance) {
    instance = scenario.library === "npm" ? (createInstance({ name: "alloy" }) as Alloy) : (window as unknown as { alloy: Alloy }).alloy;
    await instance("configure", scenario.configuration);
  }
  const alloy = instance;
  const result = await alloy("sendEvent", scenario.sendEvent);
  const provider = propositionsProvider(result);
  const values: Record<string, unknown> = {};
  const fallbacks: string[] = [];
  for (const name of scenario.read) values[name] = descriptors[name].from(provider, { onFallback: (event) => fallbacks.push(`${event.mbox}.${event.key}:${event.reason}`) }).asObject();
  // Typed: this line would not compile if the accessor were not a number.
  const searchProviderId: number = demoEngineeringFlags.from(propositionsProvider(result)).searchProviderId();
  const sent: number[] = [];
  for (let call = 0; call < scenario.displays; call += 1) {
    const display = await sendDisplay(alloy, provider);
    if (display.error) throw display.error;
    sent.push(display.sent.length);
  }
  const identity = await alloy("getIdentity", { namespaces: ["ECID"] });
  const decisions = Object.fromEntries(scenario.read.map((name) => [descriptors[name].mbox, provider.getDecisions(descriptors[name].mbox).map((decision) => `${decision.activity.id}:${decision.experience.id}`)]));
  return { values, fallbacks, sent, ecid: identity.identity.ECID as string, searchProviderId, decisions, renderAttempted: (result.propositions as Array<{ renderAttempted?: boolean }>).map((proposition) => proposition.renderAttempted) };
}

(window as unknown as { mboxgenTest: { run: typeof run } }).mboxgenTest = { run };
