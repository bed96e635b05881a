/**
 * `mboxgen emulate`: a local Delivery API (`POST /rest/v1/delivery`), rules artifact
 * (`GET /<client>/<environment>/v1/rules.json`, with an ETag), Edge Network (`POST
 * /ee[/<region>]/v1|v2/interact|collect`, for the Web SDK and the Server API; edge-network.ts) and
 * OpenFeature Remote Evaluation Protocol (`POST /ofrep/v1/evaluate/flags[/{key}]`, every key of
 * every mbox a flag) and Target Admin API with an IMS token endpoint (`GET
 * /<tenant>/target/activities…`, `/offers…`, `POST /ims/token/v3`; admin-api.ts) for an activities
 * file, so that sampling, generation, offer checks and apps, remote, on-device, through the Web SDK
 * or through any OpenFeature provider, can be developed and tested offline.
 *
 * Its Delivery API decides with the runtime's on-device engine over the artifact it serves, so a
 * remote app and an on-device app (client code `"emulator"`) get the same experience for the same
 * visitor. QA mode forces experiences on top. It never returns an `edgeHost`, and its tntIds never
 * carry a cluster, so Adobe's SDK stays on it.
 */
import { createHash, randomUUID } from "node:crypto";
import { createServer, type IncomingMessage, type ServerResponse } from "node:http";
import type { AddressInfo, Socket } from "node:net";
import type { GetOffersOptions, TargetResponseEnvelope } from "@mboxgen/runtime";
import { createTargetClient as createOnDeviceClient, type DecisioningArtifact, type OnDeviceTargetClient } from "@mboxgen/runtime/on-device";
import { createOfrepService, type OfrepAnswer } from "@mboxgen/openfeature/ofrep";
import { parseActivities, type Activity, type ActivitiesFile, type Experience } from "./activities.js";
import { buildArtifact, EMULATOR_CLIENT, eventTokenOf } from "./artifact.js";
import { answerEdgeNetwork, edgePathOf, type EdgeNetworkStats } from "./edge-network.js";
import { createAdminApi, type AdminApiStats } from "./admin-api.js";

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
  /** Where the rules artifact is served, for `artifactLocation` (client `"emulator"`, environment `production`). */
  artifactUrl: string;
  /** The artifact it serves and decides with (replaced by `setActivities`). */
  readonly artifact: DecisioningArtifact;
  /** What it served so far. */
  readonly stats: EmulatorStats;
  /** Serves and decides with other activities from now on (a new artifact, with a new ETag). */
  setActivities(activities: unknown): Promise<void>;
  /** Ends every Admin API token its IMS endpoint granted (as if they expired). */
  expireAdminTokens(): void;
  close(): Promise<void>;
}

/** What the emulator served so far. */
export interface EmulatorStats {
  /** Delivery API calls. */
  requests: number;
  /** Display notifications received. */
  notifications: number;
  /**
   * Impressions by mbox, as Target counts them: one per mbox of an `execute` request and one per
   * mbox of a display notification (prefetch counts none).
   */
  impressions: Record<string, number>;
  /** Rules artifact downloads (304s included). */
  artifactDownloads: number;
  /** OFREP evaluation requests. */
  ofrepRequests: number;
  /** Edge Network requests, decisions and display events (per proposition: more than 1 is a double count). */
  edge: EdgeNetworkStats;
  /** Admin API and IMS token requests. */
  admin: AdminApiStats;
}

interface MboxRequestItem {
  name?: unknown;
  index?: unknown;
  parameters?: Record<string, unknown>;
}

interface Option {
  type: string;
  content?: unknown;
  eventToken?: string;
  responseTokens?: Record<string, unknown>;
}

class BadRequest extends Error {}

/** The organization whose Edge Network cookies the emulator writes when the activities file names none. */
export const EMULATOR_ORGANIZATION = "EMULATOR@AdobeOrg";

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

// The response tokens of an option, as the artifact's meta gives them, decided server-side.
function serverSideTokens(tokens: Record<string, unknown> | undefined): Record<string, unknown> {
  return { ...tokens, "activity.decisioningMethod": "server-side" };
}

/** What the emulator decides with: the activities, their artifact and the engine over it. */
interface Decider {
  file: ActivitiesFile;
  artifact: DecisioningArtifact;
  artifactText: string;
  etag: string;
  qaOrder: Activity[];
  ruleMeta: Map<string, Record<string, unknown>>;
  engine: OnDeviceTargetClient;
  /** Every flag OFREP answers: each mbox (its whole offer) and each key of its offers. */
  flagKeys: string[];
}

async function createDecider(activities: unknown): Promise<Decider> {
  const file = parseActivities(activities);
  // Only approved activities within their dates decide visitors; QA links force any activity.
  const artifact = buildArtifact(file, "production", { liveAt: Date.now() });
  const artifactText = JSON.stringify(artifact);
  const ruleMeta = new Map<string, Record<string, unknown>>();
  for (const rules of Object.values(buildArtifact(file).rules.mboxes ?? {})) for (const rule of rules) ruleMeta.set(`${rule.activityId}:${String(rule.meta?.["experience.id"])}`, rule.meta ?? {});
  // The engine decides; its own notifications stay inside the emulator, which counts impressions itself.
  const engine = createOnDeviceClient({
    client: EMULATOR_CLIENT,
    organizationId: "EMULATOR@AdobeOrg",
    decisioningMethod: "on-device",
    artifactPayload: artifact,
    pollingInterval: 0,
    targetLocationHint: "emulator",
    fetch: async () => new Response(JSON.stringify({ status: 200, id: {} }), { status: 200 }),
  });
  await engine.ready;
  const flagKeys = Object.entries(file.mboxes).flatMap(([mbox, activities]) => [
    mbox,
    ...[...new Set(activities.flatMap((activity) => activity.experiences.flatMap((experience) => Object.keys(experience.offer.content))))].map((key) => `${mbox}.${key}`),
  ]);
  return { file, artifact, artifactText, etag: `"${createHash("sha256").update(artifactText).digest("hex").slice(0, 16)}"`, qaOrder: qaActivities(file), ruleMeta, engine, flagKeys };
}

/** Starts the emulator; resolves once it listens. */
export async function startEmulator(options: EmulatorOptions): Promise<RunningEmulator> {
  let current = await createDecider(options.activities);
  const adminApi = createAdminApi(() => current.file);
  const stats: EmulatorStats = {
    requests: 0,
    notifications: 0,
    impressions: Object.create(null) as Record<string, number>,
    artifactDownloads: 0,
    ofrepRequests: 0,
    edge: { requests: 0, events: 0, decisions: 0, displayEvents: 0, displays: Object.create(null) as Record<string, number> },
    admin: adminApi.stats,
  };
  const sockets = new Set<Socket>();
  const count = (mbox: unknown) => {
    if (typeof mbox === "string") stats.impressions[mbox] = (stats.impressions[mbox] ?? 0) + 1;
  };

  function forcedOption(activity: Activity, experience: Experience, prefetch: boolean): Option {
    const tokens = serverSideTokens(current.ruleMeta.get(`${activity.id}:${experience.id}`));
    const { "audience.ids": _audiences, "location.id": _locationId, "location.name": _locationName, "location.type": _locationType, ...responseTokens } = tokens;
    return { type: "json", content: experience.offer.content, ...(prefetch ? { eventToken: eventTokenOf(activity, experience) } : {}), responseTokens };
  }

  async function decide(request: Record<string, any>, visitor: Record<string, unknown>, sessionId: string): Promise<Record<string, unknown>> {
    const { file, qaOrder, engine } = current;
    const qaMode = request.qaMode as { token?: unknown; previewIndexes?: Array<{ activityIndex?: number; experienceIndex?: number }>; listedActivitiesOnly?: boolean } | undefined;
    if (qaMode && file.qaToken !== undefined && qaMode.token !== file.qaToken) throw new BadRequest("Invalid QA token");
    // activityIndex / experienceIndex are 1-based; an index past the last forces nothing.
    const forced = new Map<string, Array<[Activity, Experience]>>();
    for (const preview of qaMode?.previewIndexes ?? []) {
      const activity = qaOrder[(preview.activityIndex ?? 0) - 1];
      const experience = activity?.experiences[(preview.experienceIndex ?? 0) - 1];
      if (!activity || !experience) continue;
      for (const [mbox, activities] of Object.entries(file.mboxes)) if (activities.includes(activity)) forced.set(mbox, [...(forced.get(mbox) ?? []), [activity, experience]]);
    }
    const listedOnly = qaMode?.listedActivitiesOnly === true;
    const { qaMode: _qaMode, notifications: _notifications, ...decidable } = request;
    const hasMboxes = Array.isArray(request.execute?.mboxes) || Array.isArray(request.prefetch?.mboxes);
    const envelope = hasMboxes ? await engine.getOffers({ request: { ...decidable, id: visitor }, sessionId, decisioningMethod: "on-device" }) : undefined;
    const decided = (envelope?.response ?? {}) as Record<string, any>;

    const response: Record<string, unknown> = {};
    for (const section of ["execute", "prefetch"] as const) {
      const mboxes = decided[section]?.mboxes as Array<{ name: string; index: number; options?: Option[] }> | undefined;
      if (!Array.isArray(request[section]?.mboxes) || !mboxes) continue;
      const prefetch = section === "prefetch";
      response[section] = {
        mboxes: mboxes.map((mbox) => {
          // A forced experience is served whatever the audience and priority, as a QA link evaluating it as true.
          const forcedHere = forced.get(mbox.name);
          let options: Option[] | undefined = forcedHere
            ? forcedHere.map(([activity, experience]) => forcedOption(activity, experience, prefetch))
            : listedOnly
              ? undefined
              : mbox.options?.map((option) => ({ ...option, responseTokens: serverSideTokens(option.responseTokens) }));
          if (options?.length === 0) options = undefined;
          return { index: mbox.index, name: mbox.name, ...(options ? { options } : {}), ...(prefetch && options ? { state: "mboxgen-emulator" } : {}) };
        }),
      };
    }
    return response;
  }

  // One Delivery API call: the body Target would answer (the HTTP endpoint and OFREP share it).
  async function deliver(body: Record<string, any>, sessionId: string): Promise<Record<string, unknown>> {
    // A new visitor (no id) gets a tntId; it never has Target's `<id>.<cluster>_<n>` form, which
    // would send Adobe's SDK to an edge host.
    const hasId = body.id?.tntId || body.id?.marketingCloudVisitorId || body.id?.thirdPartyId;
    const visitor = { ...(body.id ?? {}), ...(hasId ? {} : { tntId: randomUUID().replace(/-/g, "") }) };
    const notifications = Array.isArray(body.notifications) ? body.notifications : [];
    return {
      status: 200,
      requestId: body.requestId ?? randomUUID().replace(/-/g, ""),
      client: EMULATOR_CLIENT,
      id: visitor,
      ...(await decide(body, visitor, sessionId)),
      ...(notifications.length > 0 ? { notifications: notifications.map((notification: { id?: unknown }) => ({ id: notification?.id })) } : {}),
    };
  }

  // OFREP over the same decisions as the Delivery API: each evaluation is one call, counting no impression.
  const ofrep = createOfrepService({
    client: {
      async getOffers(callOptions: GetOffersOptions): Promise<TargetResponseEnvelope> {
        const request = callOptions.request ?? { context: { channel: "web" } };
        const response = await deliver(request as Record<string, any>, callOptions.sessionId ?? randomUUID());
        return { request, response, meta: { decisioningMethod: "server-side", remoteMboxes: [], remoteViews: [] } } as unknown as TargetResponseEnvelope;
      },
      sendNotifications: () => Promise.reject(new Error("OFREP evaluations send no notifications")),
    },
    flagKeys: () => current.flagKeys,
  });

  async function handleOfrep(path: string, incoming: IncomingMessage, rawBody: string): Promise<OfrepAnswer> {
    stats.ofrepRequests += 1;
    let body: unknown;
    try {
      body = JSON.parse(rawBody);
    } catch {
      return { status: 400, body: { errorCode: "PARSE_ERROR", errorDetails: "the request body is not valid JSON" }, headers: {} };
    }
    if (path === "/ofrep/v1/evaluate/flags") {
      const ifNoneMatch = incoming.headers["if-none-match"];
      return ofrep.evaluateFlags(body, typeof ifNoneMatch === "string" ? ifNoneMatch : undefined);
    }
    return ofrep.evaluateFlag(decodeURIComponent(path.slice("/ofrep/v1/evaluate/flags/".length)), body);
  }

  const edgeNetwork = {
    deliver: (body: Record<string, any>, sessionId: string) => deliver(body, sessionId) as Promise<Record<string, any>>,
    organizationId: () => current.file.edge?.organizationId ?? EMULATOR_ORGANIZATION,
    datastreamId: () => current.file.edge?.datastreamId,
    countImpression: count,
    stats: stats.edge,
  };

  async function handle(incoming: IncomingMessage, outgoing: ServerResponse, rawBody: string): Promise<void> {
    // Pages on other origins (an app's dev server, a test page) call it from browsers: CORS for
    // all, with credentials (the Web SDK's fetch sends them) for the origin that asks.
    const origin = incoming.headers.origin;
    if (typeof origin === "string" && origin !== "null") {
      outgoing.setHeader("access-control-allow-origin", origin);
      outgoing.setHeader("access-control-allow-credentials", "true");
      outgoing.setHeader("vary", "Origin");
    } else {
      outgoing.setHeader("access-control-allow-origin", "*");
    }
    outgoing.setHeader("access-control-expose-headers", "etag");
    const reply = (status: number, body: unknown, headers: Record<string, string> = {}) => {
      outgoing.writeHead(status, { "content-type": "application/json", ...headers });
      outgoing.end(body === undefined ? undefined : typeof body === "string" ? body : JSON.stringify(body));
    };
    if (incoming.method === "OPTIONS") {
      outgoing.writeHead(204, { "access-control-allow-methods": "GET, POST, OPTIONS", "access-control-allow-headers": incoming.headers["access-control-request-headers"] ?? "content-type", "access-control-max-age": "600" });
      return void outgoing.end();
    }
    const url = new URL(incoming.url ?? "/", "http://emulator");
    if (incoming.method === "GET" && /^\/[^/]+\/[^/]+\/v1\/(?:[^/]+\/)?rules\.json$/.test(url.pathname)) {
      stats.artifactDownloads += 1;
      if (incoming.headers["if-none-match"] === current.etag) return reply(304, undefined, { etag: current.etag });
      return reply(200, current.artifactText, { etag: current.etag });
    }
    if (incoming.method === "POST" && (url.pathname === "/ofrep/v1/evaluate/flags" || url.pathname.startsWith("/ofrep/v1/evaluate/flags/"))) {
      try {
        const answer = await handleOfrep(url.pathname, incoming, rawBody);
        outgoing.writeHead(answer.status, { ...answer.headers });
        return void outgoing.end(answer.body === undefined ? undefined : JSON.stringify(answer.body));
      } catch {
        return reply(500, { errorDetails: "Internal emulator error" });
      }
    }
    const adminAnswer = adminApi.answer(incoming.method ?? "GET", url, incoming.headers, rawBody);
    if (adminAnswer) {
      outgoing.writeHead(adminAnswer.status, { "content-type": adminAnswer.contentType });
      return void outgoing.end(JSON.stringify(adminAnswer.body));
    }
    const edgePath = incoming.method === "POST" ? edgePathOf(url.pathname) : undefined;
    if (edgePath) {
      try {
        const answer = await answerEdgeNetwork(edgeNetwork, edgePath, url.searchParams, incoming.headers, rawBody);
        if (answer.status !== 204) return reply(answer.status, answer.body);
        outgoing.writeHead(204);
        return void outgoing.end();
      } catch {
        return reply(500, { type: "https://ns.adobe.com/aep/errors/EXEG-0500-500", status: 500, title: "Internal emulator error" });
      }
    }
    if (incoming.method !== "POST" || url.pathname !== "/rest/v1/delivery") {
      return reply(404, {
        status: 404,
        message:
          "Not found: the emulator serves POST /rest/v1/delivery, GET /<client>/<environment>/v1/rules.json, POST /ee[/<region>]/v1|v2/interact|collect, POST /ofrep/v1/evaluate/flags[/{key}], GET /<tenant>/target/activities|offers[/...] and POST /ims/token/v3",
      });
    }
    try {
      const sessionId = url.searchParams.get("sessionId");
      if (!sessionId) throw new BadRequest("Invalid request: sessionId query parameter is required");
      if (!url.searchParams.get("imsOrgId") && !url.searchParams.get("client")) throw new BadRequest("Invalid request: imsOrgId or client query parameter is required");
      let body: unknown;
      try {
        body = JSON.parse(rawBody);
      } catch {
        throw new BadRequest("Request body is not valid JSON");
      }
      validateBody(body);
      stats.requests += 1;
      const notifications: Array<{ type?: unknown; mbox?: { name?: unknown } }> = Array.isArray(body.notifications) ? body.notifications : [];
      for (const notification of notifications) {
        if (notification?.type !== "display") continue;
        stats.notifications += 1;
        count(notification.mbox?.name);
      }
      for (const mbox of Array.isArray(body.execute?.mboxes) ? (body.execute.mboxes as Array<{ name?: unknown }>) : []) count(mbox?.name);
      reply(200, await deliver(body, sessionId));
    } catch (error) {
      if (error instanceof BadRequest) return reply(400, { status: 400, message: error.message });
      reply(500, { status: 500, message: "Internal emulator error" });
    }
  }

  const server = createServer((incoming, outgoing) => {
    const chunks: Buffer[] = [];
    incoming.on("data", (chunk: Buffer) => chunks.push(chunk));
    incoming.on("end", () => void handle(incoming, outgoing, Buffer.concat(chunks).toString("utf8")));
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
  const url = `http://${host}:${address.port}`;
  return {
    url,
    serverDomain: `${host}:${address.port}`,
    artifactUrl: `${url}/${EMULATOR_CLIENT}/production/v1/rules.json`,
    get artifact() {
      return current.artifact;
    },
    stats,
    expireAdminTokens: () => adminApi.expireTokens(),
    async setActivities(activities: unknown) {
      const previous = current;
      current = await createDecider(activities);
      await previous.engine.close();
    },
    async close() {
      await current.engine.close();
      for (const socket of sockets) socket.destroy();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}
