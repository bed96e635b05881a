/**
 * Faults against a real loopback server: every failure gives the documented typed error within
 * the timeout, retries are counted, and nothing keeps running or rejects unhandled afterwards.
 */
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import {
  createTargetClient,
  isTargetHttpError,
  isTargetNetworkError,
  isTargetResponseError,
  isTargetTimeoutError,
  TargetHttpError,
  TargetNetworkError,
  TargetResponseError,
  TargetTimeoutError,
  type TargetClientOptions,
} from "@mboxgen/runtime";
import { startDeliveryServer, echoMboxes, type DeliveryTestServer } from "../support/delivery-server.js";

const contents = { flags: [{ content: { enabled: true } }] };
let server: DeliveryTestServer;
const unhandled: unknown[] = [];
const onUnhandled = (reason: unknown) => unhandled.push(reason);

beforeAll(async () => {
  server = await startDeliveryServer(contents);
  process.on("unhandledRejection", onUnhandled);
});
afterAll(async () => {
  process.off("unhandledRejection", onUnhandled);
  await server.close();
});
afterEach(async () => {
  // Give stray timers or promises a chance to surface before checking.
  await new Promise((resolve) => setTimeout(resolve, 20));
  expect(unhandled).toEqual([]);
  server.requests.length = 0;
  server.respond(echoMboxes(contents));
});

function client(options: Partial<TargetClientOptions> = {}) {
  return createTargetClient({
    client: "mockclient",
    organizationId: "MOCKORG@AdobeOrg",
    serverDomain: server.serverDomain,
    secure: false,
    retryDelay: 5,
    ...options,
  });
}

async function rejectionOf(promise: Promise<unknown>): Promise<unknown> {
  try {
    await promise;
  } catch (error) {
    return error;
  }
  throw new Error("expected a rejection");
}

describe("HTTP faults", () => {
  it("400 is not retried and rejects with status, body, method and URL", async () => {
    server.respond(() => ({ status: 400, json: { status: 400, message: "Invalid request: context is required" } }));
    const error = await rejectionOf(client().getAttributes(["flags"]));
    expect(error).toBeInstanceOf(TargetHttpError);
    expect(isTargetHttpError(error)).toBe(true);
    const httpError = error as TargetHttpError;
    expect(httpError.status).toBe(400);
    expect(httpError.statusText).toBe("Bad Request");
    expect(httpError.body).toEqual({ status: 400, message: "Invalid request: context is required" });
    expect(httpError.method).toBe("POST");
    expect(httpError.url).toMatch(new RegExp(`^http://${server.serverDomain}/rest/v1/delivery\\?imsOrgId=`));
    expect(httpError.message).toContain("HTTP 400 Bad Request: Invalid request: context is required");
    expect(server.requests).toHaveLength(1);
  });

  it("500 is retried twice, then rejects after three requests", async () => {
    server.respond(() => ({ status: 500, text: "boom" }));
    const error = await rejectionOf(client().getAttributes(["flags"]));
    expect(error).toBeInstanceOf(TargetHttpError);
    expect((error as TargetHttpError).status).toBe(500);
    expect((error as TargetHttpError).body).toBe("boom");
    expect(server.requests).toHaveLength(3);
  });

  it("503 then 200 resolves with the values of the second answer", async () => {
    const echo = echoMboxes(contents);
    server.respond((request, callIndex) => (callIndex === 0 ? { status: 503, text: "busy" } : echo(request, callIndex)));
    const attributes = await client().getAttributes(["flags"]);
    expect(attributes.getValue("flags", "enabled")).toBe(true);
    expect(server.requests).toHaveLength(2);
  });

  it("429 honours Retry-After when it fits in the timeout", async () => {
    const echo = echoMboxes(contents);
    server.respond((request, callIndex) =>
      callIndex === 0 ? { status: 429, text: "slow down", headers: { "retry-after": "0" } } : echo(request, callIndex),
    );
    const attributes = await client().getAttributes(["flags"]);
    expect(attributes.getValue("flags", "enabled")).toBe(true);
    expect(server.requests).toHaveLength(2);
  });

  it("a Retry-After longer than the timeout is not waited for", async () => {
    server.respond(() => ({ status: 503, text: "maintenance", headers: { "retry-after": "120" } }));
    const started = Date.now();
    const error = await rejectionOf(client({ timeout: 2000 }).getAttributes(["flags"]));
    expect(error).toBeInstanceOf(TargetHttpError);
    expect((error as TargetHttpError).status).toBe(503);
    expect(Date.now() - started).toBeLessThan(2000);
    expect(server.requests).toHaveLength(1);
  });

  it("a server that hangs past the timeout rejects with TargetTimeoutError and aborts the request", async () => {
    server.respond(() => ({ hang: true }));
    const started = Date.now();
    const error = await rejectionOf(client({ timeout: 150 }).getAttributes(["flags"]));
    expect(error).toBeInstanceOf(TargetTimeoutError);
    expect(isTargetTimeoutError(error)).toBe(true);
    expect((error as TargetTimeoutError).timeout).toBe(150);
    expect((error as Error).message).toMatch(/timed out after 150 ms/);
    expect(Date.now() - started).toBeLessThan(1500);
    expect(server.requests).toHaveLength(1);
  });

  it("after a timeout, the next calls succeed: the fired timeout's abort signal is never reused", async () => {
    const target = client({ timeout: 150 });
    server.respond(() => ({ hang: true }));
    expect(await rejectionOf(target.getAttributes(["flags"]))).toBeInstanceOf(TargetTimeoutError);
    server.respond(echoMboxes(contents));
    for (let call = 0; call < 12; call += 1) expect((await target.getAttributes(["flags"])).getValue("flags", "enabled")).toBe(true);
  });

  it("a closed socket is a network error, retried, with the fetch error as cause", async () => {
    server.respond(() => ({ destroy: true }));
    const error = await rejectionOf(client().getAttributes(["flags"]));
    expect(error).toBeInstanceOf(TargetNetworkError);
    expect(isTargetNetworkError(error)).toBe(true);
    expect((error as Error).cause).toBeInstanceOf(Error);
    expect(server.requests).toHaveLength(3);
  });

  it("a refused connection is a network error", async () => {
    const closed = await startDeliveryServer();
    const domain = closed.serverDomain;
    await closed.close();
    const error = await rejectionOf(client({ serverDomain: domain, retries: 0 }).getAttributes(["flags"]));
    expect(error).toBeInstanceOf(TargetNetworkError);
    expect((error as Error).message).toContain(`POST http://${domain}/rest/v1/delivery`);
  });

  it("invalid JSON in a 200 rejects with TargetResponseError", async () => {
    server.respond(() => ({ status: 200, text: "<html>not json</html>", headers: { "content-type": "text/html" } }));
    const error = await rejectionOf(client().getAttributes(["flags"]));
    expect(error).toBeInstanceOf(TargetResponseError);
    expect(isTargetResponseError(error)).toBe(true);
    expect((error as Error).cause).toBeInstanceOf(SyntaxError);
    expect(server.requests).toHaveLength(1);
  });

  it("204 resolves with an empty provider", async () => {
    server.respond(() => ({ status: 204 }));
    const attributes = await client().getAttributes(["flags"]);
    expect(attributes.asObject()).toEqual({});
    expect(attributes.getResponse().response).toEqual({});
    expect(attributes.getValue("flags", "enabled")).toBeInstanceOf(Error);
  });

  it.each<[string, string]>([
    ["a JSON array", "[]"],
    ["a JSON string", '"ok"'],
    ["a number", "42"],
    ["null", "null"],
    ["an empty object", "{}"],
    ["a proxy's error object", '{"error":"upstream unavailable"}'],
    ["execute of the wrong shape", '{"status":200,"execute":[]}'],
    ["mboxes of the wrong shape", '{"status":200,"prefetch":{"mboxes":{"name":"flags"}}}'],
  ])("a 2xx whose body is %s rejects with TargetResponseError, not retried", async (_, text) => {
    server.respond(() => ({ status: 200, text, headers: { "content-type": "application/json" } }));
    const error = await rejectionOf(client().getAttributes(["flags"]));
    expect(error).toBeInstanceOf(TargetResponseError);
    expect((error as Error).message).toMatch(/^POST http:\/\/.+ returned an unreadable response: /);
    expect(server.requests).toHaveLength(1);
  });

  it("retries: 0 makes exactly one request on a 500", async () => {
    server.respond(() => ({ status: 500, text: "boom" }));
    await rejectionOf(client({ retries: 0 }).getAttributes(["flags"]));
    expect(server.requests).toHaveLength(1);
  });
});

describe("every async method rejects, never throws", () => {
  const throwingOptions = () =>
    Object.defineProperty({}, "request", {
      enumerable: true,
      get() {
        throw new Error("getter bug");
      },
    });

  it.each([
    ["getAttributes", (target: ReturnType<typeof client>) => target.getAttributes(["flags"], throwingOptions())],
    ["getOffers", (target: ReturnType<typeof client>) => target.getOffers(throwingOptions())],
    ["sendNotifications", (target: ReturnType<typeof client>) => target.sendNotifications(throwingOptions() as never)],
    ["getAttributes with mbox names that are not an array", (target: ReturnType<typeof client>) => target.getAttributes("flags" as never)],
  ])("%s with options whose getter throws returns a rejected promise", async (_, call) => {
    let result: Promise<unknown> | undefined;
    expect(() => {
      result = call(client());
    }).not.toThrow();
    await expect(result).rejects.toThrow();
    expect(server.requests).toHaveLength(0);
  });
});
