/**
 * A `fetch` for on-device tests that stands in for Target's CDN, geo service and Delivery API
 * without a network: it serves an artifact (with an ETag and 304s), geo values, and a valid
 * Delivery API answer, and records every request. Faults are injected per call.
 */

/** One request the fake saw. */
export interface FakeRequest {
  url: string;
  method: string;
  headers: Record<string, string>;
  body: any;
}

/** What the fake answers for the artifact, per download attempt. */
export type ArtifactAnswer = { json: unknown; etag?: string } | { bytes: Uint8Array; etag?: string } | { status: number; text?: string } | { error: Error } | { hang: true };

/** The fake and what it saw. */
export interface FakeTarget {
  fetch: (input: string, init: { method: string; headers: Record<string, string>; body?: string; signal?: AbortSignal }) => Promise<Response>;
  requests: FakeRequest[];
  /** Requests to the Delivery API that carried notifications. */
  notifications(): FakeRequest[];
  /** Sets what artifact downloads get, in order; the last answer repeats. */
  serveArtifact(...answers: ArtifactAnswer[]): void;
  /** Sets the geo service's JSON. */
  serveGeo(values: Record<string, unknown> | { status: number }): void;
  /** Sets the Delivery API's answer (default 200 with a minimal valid body), or makes it hang until aborted. */
  serveDelivery(answer: (body: any) => { status: number; json?: unknown } | { hang: true }): void;
}

function hangUntilAborted(signal: AbortSignal | undefined): Promise<Response> {
  return new Promise<Response>((_, reject) => signal?.addEventListener("abort", () => reject(new DOMException("aborted", "AbortError")), { once: true }));
}

/** Creates the fake. */
export function createFakeTarget(): FakeTarget {
  const requests: FakeRequest[] = [];
  let artifactAnswers: ArtifactAnswer[] = [{ status: 404, text: "no artifact" }];
  let artifactCalls = 0;
  let geo: Record<string, unknown> | { status: number } = {};
  let delivery = (body: any): { status: number; json?: unknown } | { hang: true } => ({
    status: 200,
    json: { status: 200, requestId: body?.requestId ?? "fake", client: "fake", id: body?.id ?? {}, ...(body?.notifications ? { notifications: body.notifications.map((notification: { id: string }) => ({ id: notification.id })) } : {}) },
  });

  const fetch: FakeTarget["fetch"] = async (input, init) => {
    const body = init.body === undefined ? undefined : JSON.parse(init.body);
    requests.push({ url: input, method: init.method, headers: { ...init.headers }, body });
    const url = new URL(input);
    if (url.pathname.endsWith("/v1/geo")) {
      if ("status" in geo && typeof geo.status === "number" && Object.keys(geo).length === 1) return new Response("geo failure", { status: geo.status as number });
      return Response.json(geo);
    }
    if (/rules\.(json|bin)$/.test(url.pathname) || url.hostname === "artifacts.test") {
      const answer = artifactAnswers[Math.min(artifactCalls, artifactAnswers.length - 1)]!;
      artifactCalls += 1;
      if ("hang" in answer) return hangUntilAborted(init.signal);
      if ("error" in answer) throw answer.error;
      if ("status" in answer) return new Response(answer.text ?? "", { status: answer.status });
      const etag = answer.etag;
      if (etag !== undefined && init.headers["If-None-Match"] === etag) return new Response(null, { status: 304 });
      const headers = etag === undefined ? {} : { etag };
      if ("bytes" in answer) return new Response(answer.bytes as Uint8Array<ArrayBuffer>, { status: 200, headers });
      return new Response(JSON.stringify(answer.json), { status: 200, headers: { ...headers, "content-type": "application/json" } });
    }
    if (url.pathname === "/rest/v1/delivery") {
      const answer = delivery(body);
      if ("hang" in answer) return hangUntilAborted(init.signal);
      return answer.json === undefined ? new Response(null, { status: answer.status }) : Response.json(answer.json, { status: answer.status });
    }
    return new Response("not found", { status: 404 });
  };

  return {
    fetch,
    requests,
    notifications: () => requests.filter((request) => request.url.includes("/rest/v1/delivery") && Array.isArray(request.body?.notifications)),
    serveArtifact(...answers) {
      artifactAnswers = answers;
      artifactCalls = 0;
    },
    serveGeo(values) {
      geo = values;
    },
    serveDelivery(answer) {
      delivery = answer;
    },
  };
}

/** Obfuscates an artifact as Target's `.bin` (TARGET-PROTOCOL.md §10.3): header, then XOR with organizationId + key. */
export function obfuscateArtifact(artifact: unknown, organizationId: string, key = "0123456789abcdef0123456789abcdef"): Uint8Array {
  const header = new TextEncoder().encode(`ATOD:001${key}`);
  const payload = new TextEncoder().encode(JSON.stringify(artifact));
  const secret = new TextEncoder().encode(organizationId + key);
  const bytes = new Uint8Array(header.length + payload.length);
  bytes.set(header);
  for (let index = 0; index < payload.length; index += 1) bytes[header.length + index] = payload[index]! ^ secret[index % secret.length]!;
  return bytes;
}
