/**
 * The on-device benchmark's artifacts, requests and clients (issue #8), shared by the
 * orchestrating benchmark and the worker processes that run one client each.
 */
import { readdirSync, readFileSync } from "node:fs";
import { createRequire } from "node:module";
import { dirname, join } from "node:path";
import { createTargetClient } from "@mboxgen/runtime/on-device";
import { createAdobeOnDeviceClient } from "../test/support/adobe-sdk.js";

const require = createRequire(import.meta.url);
const artifactFolder = join(dirname(require.resolve("@adobe/target-decisioning-engine/package.json")), "test/schema/artifacts");
const CLIENT = "benchclient";
const ORGANIZATION = "BENCHORG@AdobeOrg";

/** A rules artifact, as far as the benchmark builds them. */
export type Artifact = { rules: { mboxes: Record<string, Array<Record<string, any>>> } } & Record<string, any>;

function loadArtifact(name: string): Artifact {
  return JSON.parse(readFileSync(join(artifactFolder, `${name}.json`), "utf8")) as Artifact;
}

// A rule of another mbox, moved to `mbox` under a new activity id, so that allocations differ.
function moveRule(rule: Record<string, any>, mbox: string, activityId: number): Record<string, any> {
  const moved = structuredClone(rule);
  moved.activityId = activityId;
  moved.ruleKey = String(activityId);
  moved.meta = { ...moved.meta, "activity.id": activityId, "location.name": mbox };
  moved.consequence = { ...moved.consequence, name: mbox };
  return moved;
}

/** Adobe's feature-flag artifact with a second mbox of the same two rules, so that a call asks for two. */
export function featureFlagArtifact(): Artifact {
  const artifact = loadArtifact("TEST_ARTIFACT_FEATURE_FLAG");
  const rules = artifact.rules.mboxes["mbox-feature-flags"]!;
  artifact.rules.mboxes["mbox-feature-flags-2"] = rules.map((rule) => moveRule(rule, "mbox-feature-flags-2", 225885));
  return artifact;
}

/**
 * A large artifact: 200 mboxes, each with the audience-targeted rules of Adobe's address,
 * browser, parameter, time-frame and priority artifacts (URL, user agent, mbox parameter and time
 * conditions, 24 rules) and then an A/B split that everyone qualifies for, so a call evaluates
 * every rule of both mboxes before the last ones match.
 */
export function largeArtifact(): Artifact {
  const artifact = loadArtifact("TEST_ARTIFACT_FEATURE_FLAG");
  const targeted = ["TEST_ARTIFACT_ADDRESS", "TEST_ARTIFACT_BROWSER", "TEST_ARTIFACT_PARAMS", "TEST_ARTIFACT_TIMEFRAME", "TEST_ARTIFACT_PRIORITIES"].flatMap((name) =>
    Object.values(loadArtifact(name).rules.mboxes).flat(),
  );
  const split = artifact.rules.mboxes["mbox-feature-flags"]!;
  const mboxes: Artifact["rules"]["mboxes"] = {};
  for (let index = 0; index < 200; index += 1) {
    const mbox = `flags-${index}`;
    mboxes[mbox] = [...targeted, ...split].map((rule, position) => moveRule(rule, mbox, 100_000 + index * 100 + position));
  }
  artifact.rules.mboxes = mboxes;
  artifact.responseTokens = [...new Set([...(artifact.responseTokens ?? []), "activity.id", "experience.name", "offer.name"])];
  return artifact;
}

/** The largest artifact in Adobe's conformance fixtures. */
export function largestShippedArtifact(): { name: string; artifact: Artifact; bytes: number } {
  const files = readdirSync(artifactFolder).filter((file) => file.endsWith(".json"));
  const sized = files.map((file) => ({ file, bytes: readFileSync(join(artifactFolder, file)).byteLength })).sort((left, right) => right.bytes - left.bytes)[0]!;
  return { name: sized.file, artifact: JSON.parse(readFileSync(join(artifactFolder, sized.file), "utf8")) as Artifact, bytes: sized.bytes };
}

const PAGE_CONTEXT = {
  channel: "web",
  address: { url: "https://shop.example.co.uk/products/shoes?color=red&size=42", referringUrl: "https://www.google.com/search?q=shoes" },
  userAgent: "Mozilla/5.0 (Macintosh; Intel Mac OS X 10_15_7) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/120.0.0.0 Safari/537.36",
};
const BARE_CONTEXT = { channel: "web" };

/** What one measured call asks for. */
export interface Scenario {
  name: string;
  artifact: () => Artifact;
  mboxes: string[];
  context: Record<string, unknown>;
}

/** The scenarios, by key. */
export const SCENARIOS: Record<string, Scenario> = {
  "flags-page": { name: "feature-flag artifact, page request (URL, referrer, user agent)", artifact: featureFlagArtifact, mboxes: ["mbox-feature-flags", "mbox-feature-flags-2"], context: PAGE_CONTEXT },
  "flags-bare": { name: 'feature-flag artifact, no page context (`{ channel: "web" }` only)', artifact: featureFlagArtifact, mboxes: ["mbox-feature-flags", "mbox-feature-flags-2"], context: BARE_CONTEXT },
  "large-page": { name: "large artifact (200 mboxes × 26 rules), page request", artifact: largeArtifact, mboxes: ["flags-7", "flags-123"], context: PAGE_CONTEXT },
};

/** A client under measurement. */
export interface Contender {
  getAttributes(mboxes: string[], options: Record<string, unknown>): Promise<unknown>;
  close(): Promise<void>;
}

// The Delivery API for notifications and the location-hint ping, answered in process at once:
// the measurement is the clients' own work, not the network's.
const deliveryBody = JSON.stringify({ status: 200, id: {}, client: CLIENT });
const instantResponse = { ok: true, status: 200, statusText: "OK", headers: { get: () => null }, text: async () => deliveryBody, json: async () => JSON.parse(deliveryBody) };
const instantFetch = async () => instantResponse;

/** mboxgen's on-device client over `artifact`, ready. */
export async function createOurs(artifact: Artifact): Promise<Contender> {
  const client = createTargetClient({ client: CLIENT, organizationId: ORGANIZATION, decisioningMethod: "on-device", artifactPayload: artifact, pollingInterval: 0, targetLocationHint: "28", fetch: instantFetch as never });
  await client.ready;
  return { getAttributes: (mboxes, options) => client.getAttributes(mboxes, options), close: () => client.close() };
}

/** Adobe's SDK on the device over `artifact`, ready, telemetry off. */
export async function createAdobe(artifact: Artifact): Promise<Contender> {
  const client = await createAdobeOnDeviceClient({ client: CLIENT, organizationId: ORGANIZATION, artifactPayload: artifact, fetchApi: instantFetch });
  return { getAttributes: (mboxes, options) => client.getAttributes(mboxes, options), close: async () => undefined };
}
