/**
 * The runtime bundled for a web platform (esbuild, platform "browser") loads and answers
 * getAttributes inside Vercel's Edge Runtime VM against the loopback server. Adobe's SDK cannot
 * run there: even its browser bundle needs node's crypto and https.
 */
import { build } from "esbuild";
import { EdgeVM } from "@edge-runtime/vm";

import { fileURLToPath } from "node:url";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { loadTestArtifacts } from "../support/adobe-suites.js";
import { startDeliveryServer, type DeliveryTestServer } from "../support/delivery-server.js";

const runtimeFolder = fileURLToPath(new URL("../../runtime/", import.meta.url));
let server: DeliveryTestServer;
let bundle: string;
let onDeviceBundle: string;

async function bundleFor(entry: string, globalName: string): Promise<string> {
  const result = await build({ entryPoints: [`${runtimeFolder}${entry}`], bundle: true, platform: "browser", format: "iife", globalName, write: false, logLevel: "silent" });
  return result.outputFiles[0]!.text;
}

beforeAll(async () => {
  server = await startDeliveryServer({ "edge-flags": [{ content: { region: "eu", rollout: 0.25 } }] });
  bundle = await bundleFor("index.ts", "mboxgenRuntime");
  onDeviceBundle = await bundleFor("on-device.ts", "mboxgenOnDevice");
});
afterAll(() => server.close());

describe("edge runtime", () => {
  it("answers getAttributes inside @edge-runtime/vm", async () => {
    const vm = new EdgeVM();
    vm.evaluate(bundle);
    const result = await vm.evaluate(`(async () => {
      const client = mboxgenRuntime.createTargetClient({
        client: "mockclient", organizationId: "MOCKORG@AdobeOrg", serverDomain: ${JSON.stringify(server.serverDomain)}, secure: false,
      });
      const attributes = await client.getAttributes(["edge-flags"]);
      return JSON.stringify({ all: attributes.asObject(), region: attributes.getValue("edge-flags", "region") });
    })()`);
    expect(JSON.parse(result as string)).toEqual({ all: { "edge-flags": { region: "eu", rollout: 0.25 } }, region: "eu" });
    expect(server.requests.at(-1)?.headers["x-exc-sdk"]).toBe("mboxgen");
  });

  it("decides on the device inside @edge-runtime/vm from an artifactPayload, and sends its notification", async () => {
    const artifact = loadTestArtifacts().TEST_ARTIFACT_FEATURE_FLAG;
    const vm = new EdgeVM();
    vm.evaluate(onDeviceBundle);
    server.requests.length = 0;
    const result = await vm.evaluate(`(async () => {
      const client = mboxgenOnDevice.createTargetClient({
        client: "mockclient", organizationId: "MOCKORG@AdobeOrg", serverDomain: ${JSON.stringify(server.serverDomain)}, secure: false,
        decisioningMethod: "on-device", artifactPayload: ${JSON.stringify(artifact)}, pollingInterval: 0,
      });
      await client.ready;
      const attributes = await client.getAttributes(["mbox-feature-flags"], { request: { id: { tntId: "edge-visitor" }, context: { channel: "web", address: { url: "https://shop.example.co.uk/" } } } });
      await client.close();
      return JSON.stringify({ offer: attributes.asObject("mbox-feature-flags"), meta: attributes.getResponse().meta });
    })()`);
    const { offer, meta } = JSON.parse(result as string);
    expect(meta.decisioningMethod).toBe("on-device");
    expect(Object.keys(offer).sort()).toEqual(["customerFeedbackValue", "paymentExperience", "paymentGatewayVersion", "showFeatureX"]);
    // The start-up location-hint ping and the display notification, both through the VM's fetch.
    expect(server.requests.map((request) => request.query.sessionId === "ping123" ? "ping" : request.body?.notifications ? "notification" : "other")).toEqual(["ping", "notification"]);
  });

  it("loads the domain table inside @edge-runtime/vm when the artifact's rules read domains", async () => {
    const artifact = loadTestArtifacts().TEST_ARTIFACT_ADDRESS;
    const vm = new EdgeVM();
    vm.evaluate(onDeviceBundle);
    const result = await vm.evaluate(`(async () => {
      const client = mboxgenOnDevice.createTargetClient({
        client: "mockclient", organizationId: "MOCKORG@AdobeOrg", serverDomain: ${JSON.stringify(server.serverDomain)}, secure: false,
        decisioningMethod: "on-device", artifactPayload: ${JSON.stringify(artifact)}, pollingInterval: 0, targetLocationHint: "35",
      });
      await client.ready;
      const attributes = await client.getAttributes(["mbox-urlcontains"], { request: { id: { tntId: "edge-visitor" }, context: { channel: "web", address: { url: "https://pied.piper.decentralized.test.hooli.com/?implementation=psl" } } } });
      await client.close();
      return JSON.stringify(attributes.asObject("mbox-urlcontains"));
    })()`);
    // Only the rules on hooli.com's domain parts give fizz.
    expect(JSON.parse(result as string)).toMatchObject({ fizz: "buzz" });
  });

  it("errors raised inside the VM pass the guards of this realm", async () => {
    const vm = new EdgeVM();
    vm.evaluate(bundle);
    const error = await vm.evaluate(`(async () => {
      const client = mboxgenRuntime.createTargetClient({ client: "c", organizationId: "o" });
      return client.getAttributes([]).catch((caught) => caught);
    })()`);
    const { isTargetError } = await import("@mboxgen/runtime");
    expect(error instanceof Error).toBe(false); // another realm's Error
    expect(isTargetError(error)).toBe(true);
  });
});
