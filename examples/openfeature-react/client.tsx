/**
 * The browser's start: Target as the OpenFeature web provider, ready at once from the server's
 * snapshot (no Delivery API call for the first render, no flash of defaults), then hydration.
 */
import { hydrateRoot } from "react-dom/client";
import { OpenFeatureProvider } from "@openfeature/react-sdk";
import { OpenFeature } from "@openfeature/web-sdk";
import { createTargetClient } from "@mboxgen/runtime";
import { TargetWebProvider } from "@mboxgen/openfeature/web";
import { demoEngineeringFlags, heroBanner } from "./target/index.js";
import { Page } from "./page.js";

/** What the server puts in the page. */
interface PageData {
  snapshot: unknown;
  context: Record<string, string>;
  serverDomain: string;
}

const data = (globalThis as unknown as { __EXAMPLE__: PageData }).__EXAMPLE__;
const client = createTargetClient({ client: "emulator", organizationId: "EMULATOR@AdobeOrg", serverDomain: data.serverDomain, secure: false });
OpenFeature.setProvider(new TargetWebProvider({ client, mboxes: [demoEngineeringFlags, heroBanner], bootstrap: data.snapshot }));
// The server's context: the same decisions, so nothing is fetched.
void OpenFeature.setContext(data.context);
hydrateRoot(
  document.getElementById("root")!,
  <OpenFeatureProvider>
    <Page region={data.context.region ?? "eu"} />
  </OpenFeatureProvider>,
);
