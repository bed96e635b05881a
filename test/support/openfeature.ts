/**
 * OpenFeature test setup: the emulator over the example's activities, mboxgen's clients pointed at
 * it (remote and on-device), and a provider registered in a domain of its own, so test files share
 * OpenFeature's global API without meeting each other.
 */
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { createTargetClient, type TargetClient } from "@mboxgen/runtime";
import { createTargetClient as createOnDeviceClient, type OnDeviceTargetClient } from "@mboxgen/runtime/on-device";
import { AsyncLocalStorageTransactionContextPropagator, OpenFeature, type Client, type EvaluationContext } from "@openfeature/server-sdk";
import { TargetProvider, type TargetProviderOptions } from "@mboxgen/openfeature/server";
import { startEmulator, type RunningEmulator } from "../../generator/index.js";
import { repositoryRoot } from "./fixtures.js";

/** The example's activities file. */
export const exampleActivities = (): Record<string, any> => JSON.parse(readFileSync(join(repositoryRoot, "fixtures/example/activities.json"), "utf8"));

/** Starts the emulator over `activities` (default: the example's). */
export function startTestEmulator(activities: unknown = exampleActivities()): Promise<RunningEmulator> {
  return startEmulator({ activities });
}

/** mboxgen's remote client, pointed at the emulator. */
export function remoteClientFor(emulator: RunningEmulator): TargetClient {
  return createTargetClient({ client: "emulator", organizationId: "EMULATOR@AdobeOrg", serverDomain: emulator.serverDomain, secure: false, timeout: 5000 });
}

/**
 * mboxgen's on-device client over the emulator's artifact; its start-up ping and notifications go
 * to the emulator (no `targetLocationHint`: a cluster would route them to Adobe's edge instead).
 */
export function onDeviceClientFor(emulator: RunningEmulator, options: { pollingInterval?: number; fetch?: typeof fetch } = {}): OnDeviceTargetClient {
  return createOnDeviceClient({
    client: "emulator",
    organizationId: "EMULATOR@AdobeOrg",
    serverDomain: emulator.serverDomain,
    secure: false,
    decisioningMethod: "on-device",
    artifactLocation: emulator.artifactUrl,
    pollingInterval: options.pollingInterval ?? 0,
    ...(options.fetch ? { fetch: options.fetch } : {}),
  });
}

let domains = 0;

/** Registers a TargetProvider in a fresh OpenFeature domain; resolves with its client once ready. */
export async function openFeatureClient(options: TargetProviderOptions): Promise<{ client: Client; provider: TargetProvider; domain: string }> {
  OpenFeature.setTransactionContextPropagator(new AsyncLocalStorageTransactionContextPropagator());
  const domain = `mboxgen-test-${(domains += 1)}`;
  const provider = new TargetProvider(options);
  await OpenFeature.setProviderAndWait(domain, provider);
  return { client: OpenFeature.getClient(domain), provider, domain };
}

/** Runs `handler` as one transaction (one page view) with `context`. */
export function inTransaction<Result>(context: EvaluationContext, handler: () => Promise<Result>): Promise<Result> {
  return new Promise<Result>((resolve, reject) => {
    OpenFeature.setTransactionContext(context, () => {
      handler().then(resolve, reject);
    });
  });
}
