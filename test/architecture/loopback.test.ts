/**
 * The suite reaches nothing beyond loopback: the global fetch refuses other hosts as a network
 * failure, and the test that tried is failed (test/support/loopback-only-setup.ts).
 */
import { createServer } from "node:http";
import type { AddressInfo } from "node:net";
import { describe, expect, it } from "vitest";
import { createTargetClient, isTargetNetworkError } from "@mboxgen/runtime";
import { takeRefused } from "../support/loopback-only-setup.js";

describe("loopback only", () => {
  it("refuses a request to another host as a failed fetch, and records it so that the test fails", async () => {
    await expect(fetch("https://example.com/")).rejects.toThrow(TypeError);
    // A client configured for Adobe's hosts sees a network error, never a real answer.
    const client = createTargetClient({ client: "acmeclient", organizationId: "1@AdobeOrg", retries: 0 });
    const error = await client.getOffers({ request: { context: { channel: "web" }, execute: { mboxes: [{ name: "m", index: 1 }] } } }).catch((caught: unknown) => caught);
    expect(isTargetNetworkError(error)).toBe(true);
    expect(takeRefused()).toEqual(["https://example.com/", expect.stringMatching(/^https:\/\/acmeclient\.tt\.omtrdc\.net\/rest\/v1\/delivery\?/)]);
  });

  it("lets loopback through", async () => {
    const server = createServer((_request, response) => response.end("ok"));
    await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
    try {
      const response = await fetch(`http://127.0.0.1:${(server.address() as AddressInfo).port}/`);
      expect(await response.text()).toBe("ok");
      expect(takeRefused()).toEqual([]);
    } finally {
      await new Promise((resolve) => server.close(resolve));
    }
  });
});
