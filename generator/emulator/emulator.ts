/**
 * `mboxgen emulate`: a local Delivery API (`POST /rest/v1/delivery`) that serves the JSON offers
 * of an activities file, so that sampling, generation and apps can be developed and tested
 * offline. Deterministic per visitor; never returns an `edgeHost`, so Adobe's SDK stays on it.
 */
import { randomUUID } from "node:crypto";
import { createServer, type IncomingMessage, type ServerResponse } from "node:http";
import type { AddressInfo, Socket } from "node:net";
import { allocate, parseActivities, qualifies, type Activity, type ActivitiesFile, type Experience } from "./activities.js";

/** Options of `startEmulator`. */
export interface EmulatorOptions {
  /** The activities (an object as in the activities file; validated). */
  activities: unknown;
  /** Port; default 0 (the OS picks a free one). */
  port?: number;
  /** Host; default 127.0.0.1. */
  host?: string;
}

/** A running emulator. */
export interface RunningEmulator {
  /** `http://host:port`. */
  url: string;
  /** `host:port`, for `serverDomain` with `secure: false`. */
  serverDomain: string;
  /** Delivery API calls and display notifications served so far. */
  readonly stats: { requests: number; notifications: number };
  close(): Promise<void>;
}

interface MboxRequestItem {
  name?: unknown;
  index?: unknown;
  parameters?: Record<string, unknown>;
}

class BadRequest extends Error {}

function tokenOf(activity: Activity, experience: Experience): string {
  return Buffer.from(`mboxgen-emulator:${activity.id}:${experience.id}`).toString("base64");
}

function responseTokens(activity: Activity, experience: Experience): Record<string, unknown> {
  return {
    "activity.id": activity.id,
    "activity.name": activity.name,
    "activity.type": activity.type,
    "experience.id": experience.id,
    "experience.name": experience.name,
    "offer.id": experience.offer.id,
    "offer.name": experience.offer.name,
  };
}

/** The activity order a QA token's `activityIndex` counts (1-based): file order, mbox by mbox. */
function qaActivities(file: ActivitiesFile): Activity[] {
  return Object.values(file.mboxes).flat();
}

function validateBody(body: unknown): asserts body is Record<string, any> {
  if (typeof body !== "object" || body === null || Array.isArray(body)) throw new BadRequest("Request body must be a JSON object");
  const request = body as Record<string, any>;
  if (typeof request.context !== "object" || request.context === null) throw new BadRequest("Invalid request: context is required");
  if (request.context.channel !== "web" && request.context.channel !== "mobile") throw new BadRequest("Invalid request: context.channel must be web or mobile");
  for (const section of ["execute", "prefetch"] as const) {
    const mboxes = request[section]?.mboxes;
    if (mboxes === undefined) continue;
    if (!Array.isArray(mboxes)) throw new BadRequest(`Invalid request: ${section}.mboxes must be an array`);
    for (const mbox of mboxes as MboxRequestItem[]) {
      if (typeof mbox?.name !== "string" || mbox.name === "") throw new BadRequest(`Invalid request: ${section}.mboxes[].name is required`);
      if (typeof mbox.index !== "number") throw new BadRequest(`Invalid request: ${section}.mboxes[].index is required`);
    }
  }
}

/** Starts the emulator; resolves once it listens. */
export async function startEmulator(options: EmulatorOptions): Promise<RunningEmulator> {
  const file = parseActivities(options.activities);
  const qaOrder = qaActivities(file);
  const stats = { requests: 0, notifications: 0 };
  const sockets = new Set<Socket>();

  function decide(request: Record<string, any>, visitorId: string) {
    const qaMode = request.qaMode as { token?: unknown; previewIndexes?: Array<{ activityIndex?: number; experienceIndex?: number }>; listedActivitiesOnly?: boolean } | undefined;
    if (qaMode && file.qaToken !== undefined && qaMode.token !== file.qaToken) throw new BadRequest("Invalid QA token");
    // activityIndex / experienceIndex are 1-based; an index past the last forces nothing.
    const forced = new Map<Activity, Experience>();
    for (const preview of qaMode?.previewIndexes ?? []) {
      const activity = qaOrder[(preview.activityIndex ?? 0) - 1];
      const experience = activity?.experiences[(preview.experienceIndex ?? 0) - 1];
      if (activity && experience) forced.set(activity, experience);
    }
    const listedOnly = qaMode?.listedActivitiesOnly === true;

    const serve = (mbox: MboxRequestItem, prefetch: boolean) => {
      const name = mbox.name as string;
      const options = [];
      for (const activity of file.mboxes[name] ?? []) {
        const forcedExperience = forced.get(activity);
        if (listedOnly && !forcedExperience) continue;
        // A forced experience is served whatever the audience, as a QA link evaluating it as true.
        if (!forcedExperience && !qualifies(activity.audience, mbox.parameters)) continue;
        const experience = forcedExperience ?? allocate(activity, visitorId);
        options.push({
          type: "json",
          content: experience.offer.content,
          responseTokens: responseTokens(activity, experience),
          ...(prefetch ? { eventToken: tokenOf(activity, experience) } : {}),
        });
      }
      return { index: mbox.index, name, ...(options.length > 0 ? { options } : {}), ...(prefetch && options.length > 0 ? { state: "mboxgen-emulator" } : {}) };
    };
    const response: Record<string, unknown> = {};
    if (Array.isArray(request.execute?.mboxes)) response.execute = { mboxes: request.execute.mboxes.map((mbox: MboxRequestItem) => serve(mbox, false)) };
    if (Array.isArray(request.prefetch?.mboxes)) response.prefetch = { mboxes: request.prefetch.mboxes.map((mbox: MboxRequestItem) => serve(mbox, true)) };
    return response;
  }

  function handle(incoming: IncomingMessage, outgoing: ServerResponse, rawBody: string): void {
    const reply = (status: number, body: unknown) => {
      outgoing.writeHead(status, { "content-type": "application/json" });
      outgoing.end(JSON.stringify(body));
    };
    const url = new URL(incoming.url ?? "/", "http://emulator");
    if (incoming.method !== "POST" || url.pathname !== "/rest/v1/delivery") {
      return reply(404, { status: 404, message: "Not found: the emulator serves POST /rest/v1/delivery" });
    }
    try {
      if (!url.searchParams.get("sessionId")) throw new BadRequest("Invalid request: sessionId query parameter is required");
      if (!url.searchParams.get("imsOrgId") && !url.searchParams.get("client")) throw new BadRequest("Invalid request: imsOrgId or client query parameter is required");
      let body: unknown;
      try {
        body = JSON.parse(rawBody);
      } catch {
        throw new BadRequest("Request body is not valid JSON");
      }
      validateBody(body);
      stats.requests += 1;
      const notifications = Array.isArray(body.notifications) ? body.notifications : [];
      stats.notifications += notifications.filter((notification: { type?: unknown }) => notification?.type === "display").length;
      // A new visitor (no id) gets a tntId; it never has Target's `<id>.<cluster>_<n>` form, which
      // would send Adobe's SDK to an edge host.
      const tntId: string = body.id?.tntId ?? randomUUID().replace(/-/g, "");
      const visitorId: string = body.id?.tntId ?? body.id?.marketingCloudVisitorId ?? body.id?.thirdPartyId ?? tntId;
      reply(200, {
        status: 200,
        requestId: body.requestId ?? randomUUID().replace(/-/g, ""),
        client: url.searchParams.get("client") ?? "mboxgen-emulator",
        id: { ...(body.id ?? {}), tntId },
        ...decide(body, visitorId),
        ...(notifications.length > 0 ? { notifications: notifications.map((notification: { id?: unknown }) => ({ id: notification?.id })) } : {}),
      });
    } catch (error) {
      if (error instanceof BadRequest) return reply(400, { status: 400, message: error.message });
      reply(500, { status: 500, message: "Internal emulator error" });
    }
  }

  const server = createServer((incoming, outgoing) => {
    const chunks: Buffer[] = [];
    incoming.on("data", (chunk: Buffer) => chunks.push(chunk));
    incoming.on("end", () => handle(incoming, outgoing, Buffer.concat(chunks).toString("utf8")));
  });
  server.on("connection", (socket) => {
    sockets.add(socket);
    socket.on("close", () => sockets.delete(socket));
  });
  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen(options.port ?? 0, options.host ?? "127.0.0.1", resolve);
  });
  const address = server.address() as AddressInfo;
  const host = address.family === "IPv6" ? `[${address.address}]` : address.address;
  return {
    url: `http://${host}:${address.port}`,
    serverDomain: `${host}:${address.port}`,
    stats,
    async close() {
      for (const socket of sockets) socket.destroy();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}
