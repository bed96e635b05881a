/**
 * The example app: typed Target attributes through the generated modules. Run `npm run example`.
 */
import { createTargetClient } from "@mboxgen/runtime";
import { createTargetClient as createOnDeviceClient } from "@mboxgen/runtime/on-device";
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

function requestFor(visitor: ExampleVisitor) {
  return {
    id: { tntId: visitor.tntId },
    context: { channel: "web" as const },
    // Every mbox carries the region, which the first activity of each targets.
    execute: { mboxes: ["demo-engineering-flags", "hero-banner", "promo-strip"].map((name, index) => ({ name, index: index + 1, parameters: { region: visitor.region } })) },
  };
}

/** Prints what each visitor gets, through typed accessors, remotely and then decided on the device. */
export async function runApp(serverDomain: string, artifactUrl: string): Promise<void> {
  // Client code "emulator": the emulator decides with its own artifact, whose allocation hashes it.
  const client = createTargetClient({ client: "emulator", organizationId: "EXAMPLE@AdobeOrg", serverDomain, secure: false });

  for (const visitor of exampleVisitors) {
    const request = requestFor(visitor);
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
  const offline = createTargetClient({ client: "emulator", organizationId: "EXAMPLE@AdobeOrg", serverDomain: "127.0.0.1:9", secure: false, timeout: 300, retries: 0 });
  const fallback = await demoEngineeringFlags.fetch(offline);
  console.log(`Target unreachable: searchProviderId = ${fallback.searchProviderId()} (default), error = ${(fallback.error as Error).name}`);

  // The same visitors decided on the device, from the rules artifact the emulator serves: no call per request.
  const onDevice = createOnDeviceClient({ client: "emulator", organizationId: "EXAMPLE@AdobeOrg", serverDomain, secure: false, decisioningMethod: "on-device", artifactLocation: artifactUrl, pollingInterval: 0 });
  await onDevice.ready;
  let same = 0;
  for (const visitor of exampleVisitors) {
    const [remote, local] = await Promise.all([
      getAttributes(client, [demoEngineeringFlags, heroBanner, promoStrip], { request: requestFor(visitor) }),
      getAttributes(onDevice, [demoEngineeringFlags, heroBanner, promoStrip], { request: requestFor(visitor) }),
    ]);
    if (JSON.stringify(remote) === JSON.stringify(local)) same += 1;
  }
  await onDevice.close();
  console.log(`On the device, from ${artifactUrl}: the same decisions for ${same} of ${exampleVisitors.length} visitors`);
}
