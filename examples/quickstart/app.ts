/**
 * The example app: typed Target attributes through the generated modules. Run `npm run example`.
 */
import { createTargetClient } from "@mboxgen/runtime";
import { demoEngineeringFlags, getAttributes, heroBanner, promoStrip } from "./target/index.js";

/** A visitor of the example: an id, and the region the site passes as an mbox parameter. */
export interface ExampleVisitor {
  tntId: string;
  region: string;
}

/** The visitors the example prints. */
export const exampleVisitors: ExampleVisitor[] = [
  { tntId: "visitor-ada", region: "eu" },
  { tntId: "visitor-grace", region: "us" },
  { tntId: "visitor-linus", region: "ch" },
];

/** Prints what each visitor gets, through typed accessors. */
export async function runApp(serverDomain: string): Promise<void> {
  const client = createTargetClient({ client: "example", organizationId: "EXAMPLE@AdobeOrg", serverDomain, secure: false });

  for (const visitor of exampleVisitors) {
    const request = {
      id: { tntId: visitor.tntId },
      context: { channel: "web" as const },
      // The flags mbox carries the region, which one activity's audience targets.
      execute: { mboxes: [{ name: "demo-engineering-flags", index: 1, parameters: { region: visitor.region } }] },
    };
    const fallbacks: string[] = [];
    // One Delivery API call for three mboxes; never rejects because of Target.
    const { demoEngineeringFlags: flags, heroBanner: banner, promoStrip: promo } = await getAttributes(
      client,
      [demoEngineeringFlags, heroBanner, promoStrip],
      { request, onFallback: (event) => fallbacks.push(`${event.key} (${event.reason})`) },
    );
    const searchProviderId: number = flags.searchProviderId(); // a number; 143 when Target has none
    console.log(`${visitor.tntId} (region ${visitor.region}):`);
    console.log(`  search ${searchProviderId}, ${flags.maxItems()} per page, checkout ${flags.checkoutFlow()}, CDN ${flags.cdnHostname()}`);
    console.log(`  hero "${banner.headline()}" [${banner.theme()}] → ${banner.cta().label} (${banner.cta().url}), ${banner.slides().length} slides`);
    console.log(`  promo ${promo.visible() ? `"${promo.message()}" on ${promo.color()}` : "hidden"}`);
    if (fallbacks.length > 0) console.log(`  defaults used for: ${fallbacks.join(", ")}`);
  }

  // Target down: the same calls resolve with the schema's defaults and say why.
  const offline = createTargetClient({ client: "example", organizationId: "EXAMPLE@AdobeOrg", serverDomain: "127.0.0.1:9", secure: false, timeout: 300, retries: 0 });
  const fallback = await demoEngineeringFlags.fetch(offline);
  console.log(`Target unreachable: searchProviderId = ${fallback.searchProviderId()} (default), error = ${(fallback.error as Error).name}`);
}
