/**
 * Type-level tests of generated accessors (vitest typecheck): `T` with a default, `T | undefined`
 * without, renamed keys, asObject with defaults applied, getAttributes keyed by export name.
 */
import { describe, expectTypeOf, it } from "vitest";
import { createTargetClient, type AttributesSource } from "@mboxgen/runtime";
import {
  demoEngineeringFlags,
  getAttributes,
  heroBanner,
  type DemoEngineeringFlagsAccessors,
  type HeroBannerAccessors,
} from "../../fixtures/example/expected/index.js";
import { hostile } from "../../fixtures/hostile-names/expected/index.js";

declare const flags: DemoEngineeringFlagsAccessors;
declare const banner: HeroBannerAccessors;
declare const provider: AttributesSource;

describe("generated accessor types", () => {
  it("returns T for keys with a default and T | undefined for the others", () => {
    expectTypeOf(flags.searchProviderId()).toEqualTypeOf<number>();
    expectTypeOf(flags.cdnHostname()).toEqualTypeOf<string>();
    expectTypeOf(flags.hasLegacyAccess()).toEqualTypeOf<boolean | undefined>();
    expectTypeOf(flags.checkoutFlow()).toEqualTypeOf<"classic" | "one-page" | "express">();
    expectTypeOf(flags.betaRibbon()).toEqualTypeOf<string | null | undefined>();
  });

  it("names non-identifier keys in lowerCamelCase and hides the raw key", () => {
    expectTypeOf(flags.maxItems()).toEqualTypeOf<number>();
    // @ts-expect-error the raw key is not an accessor
    flags["max-items"];
    // @ts-expect-error unknown keys are compile errors
    flags.searchProviderID();
  });

  it("types nested objects, arrays and defaults from the config", () => {
    expectTypeOf(banner.cta()).toEqualTypeOf<{ label: string; url: string }>();
    expectTypeOf(banner.slides()).toEqualTypeOf<Array<{ imageUrl: string; alt: string; [k: string]: unknown }>>();
    expectTypeOf(banner.theme()).toEqualTypeOf<"light" | "dark">();
    expectTypeOf(banner.headline()).toEqualTypeOf<string>();
  });

  it("asObject applies defaults; error is unknown", () => {
    const offer = flags.asObject();
    expectTypeOf(offer.searchProviderId).toEqualTypeOf<number>();
    expectTypeOf(offer["max-items"]).toEqualTypeOf<number>();
    expectTypeOf(offer.hasLegacyAccess).toEqualTypeOf<boolean | undefined>();
    expectTypeOf(flags.error).toEqualTypeOf<unknown>();
  });

  it("fetch, from and getAttributes are typed by descriptor", async () => {
    const client = createTargetClient({ client: "c", organizationId: "o" });
    expectTypeOf(await demoEngineeringFlags.fetch(client)).toEqualTypeOf<DemoEngineeringFlagsAccessors>();
    expectTypeOf(heroBanner.from(provider)).toEqualTypeOf<HeroBannerAccessors>();
    const all = await getAttributes(client, [demoEngineeringFlags, heroBanner]);
    expectTypeOf(all.demoEngineeringFlags).toEqualTypeOf<DemoEngineeringFlagsAccessors>();
    expectTypeOf(all.heroBanner.cta().label).toEqualTypeOf<string>();
    // @ts-expect-error only requested descriptors are in the result
    all.hostile;
    // @ts-expect-error options are checked
    await demoEngineeringFlags.fetch(client, { strict: "yes" });
  });

  it("options accept an explicit undefined (exactOptionalPropertyTypes is on here)", async () => {
    const client = createTargetClient({ client: "c", organizationId: "o", timeout: undefined as number | undefined, logger: undefined });
    const targetCookie = undefined as string | undefined;
    const request = { context: { channel: "web" as const, address: { url: undefined as string | undefined } } };
    await demoEngineeringFlags.fetch(client, { request, targetCookie, sessionId: undefined, onFallback: undefined, strict: undefined });
    await client.getAttributes(["m"], { targetCookie, visitorCookie: undefined, customerIds: { crm: { id: "1", authState: undefined } } });
  });

  it("hostile keys get their configured names", () => {
    const accessors = hostile.from(provider);
    expectTypeOf(accessors.protoKey()).toEqualTypeOf<string>();
    expectTypeOf(accessors.commentEnd()).toEqualTypeOf<string | undefined>();
    expectTypeOf(accessors.thenValue()).toEqualTypeOf<boolean | undefined>();
    expectTypeOf(accessors.constructor()).toEqualTypeOf<number>();
  });
});
