/**
 * The React hooks `mboxgen generate --openfeature react` writes, rendered with React's server
 * renderer through `@openfeature/react-sdk` and TargetWebProvider: typed values, the schema's
 * default when the offer leaves a key out, the default with TYPE_MISMATCH when a value fails the
 * key's schema (whatever the provider answered), and details.
 */
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { createElement } from "react";
import { renderToString } from "react-dom/server";
import { OpenFeatureProvider } from "@openfeature/react-sdk";
import { OpenFeature, type Provider, type ResolutionDetails } from "@openfeature/web-sdk";
import { TargetWebProvider, type TargetSnapshot } from "@mboxgen/openfeature/web";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { generate, readSchemaFolder } from "../../generator/index.js";
import { repositoryRoot } from "../support/fixtures.js";

let workFolder: string;
type Hooks = Record<string, (...args: unknown[]) => unknown>;
let hooks: { demoEngineeringFlags: Hooks; heroBanner: Hooks };
let descriptors: Record<string, { readonly mbox: string }>;

beforeAll(async () => {
  const result = await generate({ schemas: await readSchemaFolder(join(repositoryRoot, "fixtures/example/schemas"), repositoryRoot), config: { openfeature: ["react"] } });
  // Written into the repository and imported as an app would, so that they share the runtime the provider uses.
  workFolder = mkdtempSync(join(repositoryRoot, "test/openfeature/.work-react-"));
  for (const file of result.files) {
    mkdirSync(dirname(join(workFolder, file.path)), { recursive: true });
    writeFileSync(join(workFolder, file.path), file.text);
  }
  hooks = (await import(join(workFolder, "react/index.ts"))) as typeof hooks;
  descriptors = (await import(join(workFolder, "index.ts"))) as typeof descriptors;
});
afterAll(async () => {
  await OpenFeature.close();
  rmSync(workFolder, { recursive: true, force: true });
});

function snapshotOf(offers: Record<string, Record<string, unknown>>): TargetSnapshot {
  const mboxes = Object.fromEntries(Object.entries(offers).map(([mbox, offer]) => [mbox, { offer, otherContent: false, eventTokens: [], responseTokens: { "experience.name": `${mbox} experience`, "activity.type": "ab" } }]));
  return { version: 1, callKey: "[]", mboxes, decisioningMethod: "server-side", visitor: {}, sessionId: "s", notified: Object.keys(offers) };
}

let domains = 0;
function render(provider: Provider, read: () => unknown): unknown {
  const domain = `react-${(domains += 1)}`;
  OpenFeature.setProvider(domain, provider);
  let seen: unknown;
  const Probe = () => {
    seen = read();
    return null;
  };
  renderToString(createElement(OpenFeatureProvider, { domain }, createElement(Probe)));
  return seen;
}

const noClient = { getOffers: () => Promise.reject(new Error("no call expected")), sendNotifications: () => Promise.resolve() };

describe("generated React hooks", () => {
  it("give typed values, details with the experience, and the schema default for a key the offer leaves out", () => {
    const provider = new TargetWebProvider({ client: noClient, mboxes: [descriptors.demoEngineeringFlags!, descriptors.heroBanner!], bootstrap: snapshotOf({ "demo-engineering-flags": { searchProviderId: 7, "max-items": 48 }, "hero-banner": { headline: "Hi", cta: { label: "Go", url: "/go" } } }), cookie: false });
    const seen = render(provider, () => ({
      searchProviderId: hooks.demoEngineeringFlags.useSearchProviderId!(),
      maxItems: hooks.demoEngineeringFlags.useMaxItemsDetails!(),
      checkout: hooks.demoEngineeringFlags.useCheckoutFlow!(),
      legacy: hooks.demoEngineeringFlags.useHasLegacyAccess!(true),
      cta: hooks.heroBanner.useCta!({ label: "x", url: "/x" }),
    })) as Record<string, any>;
    expect(seen.searchProviderId).toBe(7);
    expect(seen.maxItems).toMatchObject({ value: 48, variant: "demo-engineering-flags experience", reason: "CACHED", flagKey: "demo-engineering-flags.max-items" });
    expect(seen.checkout).toBe("classic");
    expect(seen.legacy).toBe(true);
    expect(seen.cta).toEqual({ label: "Go", url: "/go" });
  });

  it("check any provider's answer with the key's schema: a failing value gives the default with TYPE_MISMATCH", () => {
    // A provider of another vendor that answers a number out of the schema's bounds.
    const other: Provider = {
      metadata: { name: "other" },
      runsOn: "client",
      resolveBooleanEvaluation: (_key, value) => ({ value }) as ResolutionDetails<boolean>,
      resolveStringEvaluation: (_key, value) => ({ value }) as ResolutionDetails<string>,
      resolveNumberEvaluation: () => ({ value: 1000, reason: "STATIC", variant: "big" }),
      resolveObjectEvaluation: (_key, value) => ({ value }),
    };
    const seen = render(other, () => hooks.demoEngineeringFlags.useMaxItemsDetails!()) as Record<string, unknown>;
    expect(seen).toMatchObject({ value: 24, reason: "ERROR", errorCode: "TYPE_MISMATCH", errorMessage: 'the value of flag "demo-engineering-flags.max-items" does not match its schema: expected an integer ≥ 1 and ≤ 100' });
    expect(seen.variant).toBeUndefined();
    expect(render(other, () => hooks.demoEngineeringFlags.useSearchProviderId!())).toBe(1000);
  });
});
