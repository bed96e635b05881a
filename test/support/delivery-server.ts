import { createServer, type IncomingHttpHeaders, type Server, type ServerResponse } from "node:http";
import type { AddressInfo, Socket } from "node:net";

/** One request as the server saw it. */
export interface RecordedRequest {
  method: string;
  url: string;
  path: string;
  query: Record<string, string>;
  headers: IncomingHttpHeaders;
  body: any;
  rawBody: string;
}

/** What a responder tells the server to do with one request. */
export type ResponderAction =
  | { status: number; json?: unknown; text?: string; headers?: Record<string, string> }
  | { hang: true }
  | { destroy: true }
  /** Sends a 200 announcing more bytes than `text`, then closes the socket: a truncated body. */
  | { truncated: string };

/** Decides the answer to a request; `callIndex` is the request's position in `requests`. */
export type Responder = (request: RecordedRequest, callIndex: number) => ResponderAction;

/** A loopback Delivery API stand-in for tests: 127.0.0.1, port 0, records every request. */
export interface DeliveryTestServer {
  /** `127.0.0.1:<port>`, for `serverDomain`. */
  serverDomain: string;
  url: string;
  requests: RecordedRequest[];
  /** Replaces the responder; the default echoes mboxes with `contents`. */
  respond(responder: Responder): void;
  close(): Promise<void>;
}

/** JSON options per mbox name that the default responder serves. */
export type OfferContents = Record<string, Array<{ type?: string; content?: unknown; responseTokens?: Record<string, unknown> }>>;

/**
 * The default answer, as TARGET-PROTOCOL.md §9.4 describes: every requested execute and prefetch mbox
 * comes back with the options from `contents` (prefetch options get an `eventToken`), with no
 * `edgeHost` and no cluster-shaped tntId, so that Adobe's SDK stays on the loopback host.
 */
export function echoMboxes(contents: OfferContents): Responder {
  return (request) => {
    const body = request.body ?? {};
    const section = (mboxes: Array<{ name: string; index: number }> | undefined, prefetch: boolean) =>
      mboxes?.map((mbox) => {
        const options = contents[mbox.name]?.map((option, position) => ({
          type: option.type ?? "json",
          ...(option.content === undefined ? {} : { content: option.content }),
          ...(option.responseTokens ? { responseTokens: option.responseTokens } : {}),
          ...(prefetch ? { eventToken: `token-${mbox.name}-${position}` } : {}),
        }));
        return { index: mbox.index, name: mbox.name, ...(options ? { options } : {}) };
      });
    const json: Record<string, unknown> = {
      status: 200,
      requestId: body.requestId,
      client: "mockclient",
      id: body.id?.tntId ? { tntId: body.id.tntId } : { tntId: "mocktntid0001" },
    };
    if (body.execute) json.execute = { ...(body.execute.mboxes ? { mboxes: section(body.execute.mboxes, false) } : {}) };
    if (body.prefetch) json.prefetch = { ...(body.prefetch.mboxes ? { mboxes: section(body.prefetch.mboxes, true) } : {}) };
    return { status: 200, json };
  };
}

/** Starts the server on 127.0.0.1 with an OS-assigned port. `record: false` keeps no request log (benchmarks). */
export async function startDeliveryServer(
  contents: OfferContents = {},
  options: { record?: boolean } = {},
): Promise<DeliveryTestServer> {
  const record = options.record ?? true;
  const requests: RecordedRequest[] = [];
  let callCount = 0;
  let responder: Responder = echoMboxes(contents);
  const sockets = new Set<Socket>();
  const hanging = new Set<ServerResponse>();

  const server: Server = createServer((incoming, outgoing) => {
    const chunks: Buffer[] = [];
    incoming.on("data", (chunk: Buffer) => chunks.push(chunk));
    incoming.on("end", () => {
      const rawBody = Buffer.concat(chunks).toString("utf8");
      const parsedUrl = new URL(incoming.url ?? "/", "http://127.0.0.1");
      let body: unknown;
      try {
        body = rawBody ? JSON.parse(rawBody) : undefined;
      } catch {
        body = undefined;
      }
      const recorded: RecordedRequest = {
        method: incoming.method ?? "",
        url: incoming.url ?? "",
        path: parsedUrl.pathname,
        query: Object.fromEntries(parsedUrl.searchParams),
        headers: incoming.headers,
        body,
        rawBody,
      };
      // With recording, the index counts from where a test last truncated `requests`.
      const callIndex = record ? requests.push(recorded) - 1 : callCount++;
      const action = responder(recorded, callIndex);
      if ("hang" in action) {
        hanging.add(outgoing);
        return;
      }
      if ("destroy" in action) {
        incoming.socket.destroy();
        return;
      }
      if ("truncated" in action) {
        outgoing.writeHead(200, { "content-type": "application/json", "content-length": String(Buffer.byteLength(action.truncated) + 100) });
        outgoing.write(action.truncated, () => incoming.socket.destroy());
        return;
      }
      const payload = action.text ?? (action.json === undefined ? "" : JSON.stringify(action.json));
      outgoing.writeHead(action.status, {
        ...(action.json === undefined ? {} : { "content-type": "application/json" }),
        ...action.headers,
      });
      outgoing.end(payload);
    });
  });
  server.on("connection", (socket) => {
    sockets.add(socket);
    socket.on("close", () => sockets.delete(socket));
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;

  return {
    serverDomain: `127.0.0.1:${port}`,
    url: `http://127.0.0.1:${port}`,
    requests,
    respond(next) {
      responder = next;
    },
    async close() {
      for (const socket of sockets) socket.destroy();
      hanging.clear();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}
