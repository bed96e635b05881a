import { createRequire } from "node:module";

const require = createRequire(import.meta.url);

/** Adobe's provider as the SDK returns it (the SDK ships no types, adobe/target-nodejs-sdk#80). */
export interface AdobeAttributesProvider {
  getValue(mbox: string, key: string): unknown;
  asObject(mbox?: string): Record<string, any>;
  toJSON(): Record<string, any>;
  getResponse(): any;
}

/** The slice of Adobe's `TargetClient` the tests use. */
export interface AdobeTargetClient {
  getAttributes(mboxNames: string[], options?: Record<string, unknown>): Promise<AdobeAttributesProvider>;
  getOffers(options: Record<string, unknown>): Promise<any>;
  sendNotifications(options: Record<string, unknown>): Promise<any>;
}

const TargetClient = require("@adobe/target-nodejs-sdk") as {
  create(options: Record<string, unknown>): AdobeTargetClient;
};

const quietLogger = { debug() {}, error() {} };

/**
 * Adobe's SDK pointed at a loopback server (TARGET-PROTOCOL.md §9.2): plain http, telemetry off,
 * a silent logger. Extra options are merged over these.
 */
export function createAdobeClient(serverDomain: string, options: Record<string, unknown> = {}): AdobeTargetClient {
  return TargetClient.create({
    client: "mockclient",
    organizationId: "MOCKORG@AdobeOrg",
    serverDomain,
    secure: false,
    telemetryEnabled: false,
    logger: quietLogger,
    ...options,
  });
}

/** Adobe's `TargetClient.create`, for validation tests. */
export function createAdobeClientRaw(options: unknown): AdobeTargetClient {
  return TargetClient.create(options as Record<string, unknown>);
}

/**
 * Adobe's SDK deciding on the device from `artifactPayload` (no polling, telemetry off, a silent
 * logger, the location hint given so that it sends no ping), resolved once `clientReady` fired.
 */
export async function createAdobeOnDeviceClient(options: { client: string; organizationId: string; artifactPayload: unknown; fetchApi: unknown }): Promise<AdobeTargetClient> {
  let ready!: () => void;
  const readyPromise = new Promise<void>((resolve) => (ready = resolve));
  const client = TargetClient.create({
    ...options,
    decisioningMethod: "on-device",
    pollingInterval: 0,
    targetLocationHint: "28",
    telemetryEnabled: false,
    logger: quietLogger,
    events: { clientReady: ready },
  });
  await readyPromise;
  return client;
}
