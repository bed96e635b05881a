/**
 * The example app: typed Target attributes through the generated modules. Run `npm run example`.
 */
import { createTargetClient } from "mboxgen/runtime";
import { demoEngineeringFlags, getAttributes, heroBanner } from "./target/index.js";

/** Prints what a few visitors get, through typed accessors. */
export async function runApp(serverDomain: string): Promise<void> {
  const client = createTargetClient({ client: "example", organizationId: "EXAMPLE@AdobeOrg", serverDomain, secure: false });

  for (const visitor of ["visitor-ada", "visitor-grace", "visitor-linus"]) {
    const request = { id: { tntId: visitor }, context: { channel: "web" as const } };
    const fallbacks: string[] = [];
    // One Delivery API call for both mboxes; never rejects because of Target.
    const { demoEngineeringFlags: flags, heroBanner: banner } = await getAttributes(client, [demoEngineeringFlags, heroBanner], {
      request,
      onFallback: (event) => fallbacks.push(`${event.key} (${event.reason}${event.value === undefined ? "" : `: ${JSON.stringify(event.value)}`})`),
    });
    const searchProviderId: number = flags.searchProviderId(); // a number, default 143 when Target has none
    console.log(`${visitor}:`);
    console.log(`  searchProviderId = ${searchProviderId}, maxItems = ${flags.maxItems()}, checkout = ${flags.checkoutFlow()}`);
    console.log(`  cdnHostname = ${flags.cdnHostname()}, hasLegacyAccess = ${flags.hasLegacyAccess() ?? "(not set)"}`);
    console.log(`  hero: "${banner.headline()}" [${banner.theme()}] → ${banner.cta().label} (${banner.cta().url})`);
    if (fallbacks.length > 0) console.log(`  defaults used for: ${fallbacks.join(", ")}`);
  }

  // Target down: the same calls resolve with the schema's defaults and say why.
  const offline = createTargetClient({ client: "example", organizationId: "EXAMPLE@AdobeOrg", serverDomain: "127.0.0.1:9", secure: false, timeout: 300, retries: 0 });
  const fallback = await demoEngineeringFlags.fetch(offline);
  console.log(`Target unreachable: searchProviderId = ${fallback.searchProviderId()} (default), error = ${(fallback.error as Error).name}`);
}
