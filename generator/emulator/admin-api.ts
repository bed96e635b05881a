/**
 * The emulator's Target Admin API (`GET /{tenant}/target/activities`, `/activities/{type}/{id}`,
 * `/offers`, `/offers/json/{id}`, with Adobe's media types, `limit`/`offset` pages and error
 * bodies) and Adobe IMS token endpoint (`POST /ims/token/v3`, client credentials), from the same
 * activities file as its Delivery API: every activity, whatever its state and dates, as Adobe's
 * published OpenAPI description shapes it. An activity that spans several mboxes is one activity
 * with several locations; a shared offer is one offer.
 */
import { randomBytes, randomUUID } from "node:crypto";
import type { IncomingHttpHeaders } from "node:http";
import type { Activity, ActivitiesFile, AdminSettings } from "./activities.js";

/** What the Admin API endpoints served so far. */
export interface AdminApiStats {
  /** Admin API requests (errors included). */
  requests: number;
  /** IMS token requests, and how many it granted. */
  tokenRequests: number;
  tokensGranted: number;
}

/** An answer: status, body, content type. */
export interface AdminAnswer {
  status: number;
  body: unknown;
  contentType: string;
}

/** What the tenant, client and tokens are when the activities file names no `admin`. */
export const DEFAULT_ADMIN: AdminSettings = { tenant: "emulator", clientId: "emulator-client", clientSecret: "emulator-secret" };
const DEFAULT_TOKEN_LIFETIME = 86399;
const ACTIVITY_MEDIA_TYPE = "application/vnd.adobe.target.v3+json";
const OFFER_MEDIA_TYPE = "application/vnd.adobe.target.v2+json";
/** Each activity endpoint's media type, as Adobe's OpenAPI description gives it. */
const ACTIVITY_MEDIA_TYPES: Record<string, string> = { ab: ACTIVITY_MEDIA_TYPE, xt: ACTIVITY_MEDIA_TYPE, abt: "application/vnd.adobe.target.v2+json", autoallocate: "application/vnd.adobe.target.v1+json" };
const DEFAULT_PAGE = 2147483647;
const MODIFIED_AT = "2026-01-01T00:00:00.000Z";

/** The Admin API's type of each of the file's activity types (it has no Automated Personalization: `ap` is listed as Auto-Target). */
const LIST_TYPES: Record<Activity["type"], string> = { ab: "ab", xt: "xt", ap: "abt", abt: "abt", autoallocate: "auto_allocate" };
const PATH_TYPES: Record<string, string> = { ab: "ab", xt: "xt", abt: "abt", auto_allocate: "autoallocate" };

/** One activity as the Admin API knows it: its entries under every mbox of the file, merged. */
interface AdminActivity {
  activity: Activity;
  /** Its locations, in file order. */
  mboxes: string[];
  /** Per mbox, its own entry (experiences and offers on that location). */
  entries: Map<string, Activity>;
}

function adminActivities(file: ActivitiesFile): AdminActivity[] {
  const byId = new Map<number, AdminActivity>();
  for (const [mbox, activities] of Object.entries(file.mboxes)) {
    for (const activity of activities) {
      const known = byId.get(activity.id) ?? { activity, mboxes: [], entries: new Map<string, Activity>() };
      if (!known.entries.has(mbox)) {
        known.mboxes.push(mbox);
        known.entries.set(mbox, activity);
      }
      byId.set(activity.id, known);
    }
  }
  return [...byId.values()].sort((left, right) => left.activity.id - right.activity.id);
}

function problem(status: number, errorCode: string, message: string): AdminAnswer {
  return { status, contentType: "application/json", body: { httpStatus: status, requestId: randomUUID(), requestTime: new Date().toISOString(), errors: [{ errorCode, message }] } };
}

function listDescription(entry: AdminActivity) {
  const { activity } = entry;
  return {
    id: activity.id,
    name: activity.name,
    type: LIST_TYPES[activity.type],
    state: activity.state ?? "approved",
    ...(activity.startsAt ? { startsAt: activity.startsAt } : {}),
    ...(activity.endsAt ? { endsAt: activity.endsAt } : {}),
    priority: activity.priority ?? 0,
    workspace: activity.workspace ?? "default",
    modifiedAt: MODIFIED_AT,
  };
}

// The definition the type's endpoint returns: locations, options and experiences joined by local ids.
function definitionOf(entry: AdminActivity, offers: Map<object, AdminOffer>): Record<string, unknown> {
  const { activity } = entry;
  const locations = entry.mboxes.map((name, index) => ({ locationLocalId: index, name, ...(activity.audience ? { audienceIds: [activity.id] } : {}) }));
  const options: Array<{ optionLocalId: number; name: string; offerId: number }> = [];
  const experiences = new Map<number, { experienceLocalId: number; name: string; weight: number; pairs: Array<{ locationLocalId: number; optionLocalId: number }> }>();
  entry.mboxes.forEach((mbox, locationLocalId) => {
    for (const experience of entry.entries.get(mbox)!.experiences) {
      const optionLocalId = options.length;
      options.push({ optionLocalId, name: `Offer${optionLocalId + 1}`, offerId: offers.get(experience.offer)!.id });
      const known = experiences.get(experience.id) ?? { experienceLocalId: experience.id, name: experience.name, weight: experience.weight, pairs: [] };
      known.pairs.push({ locationLocalId, optionLocalId });
      experiences.set(experience.id, known);
    }
  });
  const total = [...experiences.values()].reduce((sum, experience) => sum + experience.weight, 0);
  const percentage = (weight: number) => Math.round((weight / total) * 100);
  const common = {
    id: activity.id,
    name: activity.name,
    state: activity.state ?? "approved",
    ...(activity.startsAt ? { startsAt: activity.startsAt } : {}),
    ...(activity.endsAt ? { endsAt: activity.endsAt } : {}),
    priority: activity.priority ?? 0,
    locations: { mboxes: locations },
    options,
    workspace: activity.workspace ?? "default",
    modifiedAt: MODIFIED_AT,
    createdAt: MODIFIED_AT,
  };
  const list = [...experiences.values()];
  if (LIST_TYPES[activity.type] === "abt") {
    const [control, ...targeted] = list;
    return {
      ...common,
      controlExperience: { visitorPercentage: percentage(control!.weight), type: "custom", custom: { experienceLocalId: control!.experienceLocalId, locationOptions: control!.pairs } },
      targetedExperience: { explicit: { optimizeByExperience: true, explicitExperiences: targeted.map((experience) => ({ experienceLocalId: experience.experienceLocalId, name: experience.name, locationOptions: experience.pairs })) }, modelProvider: "target" },
    };
  }
  return {
    ...common,
    experiences: list.map((experience) => ({
      experienceLocalId: experience.experienceLocalId,
      name: experience.name,
      ...(activity.audience ? { audienceIds: [activity.id] } : {}),
      visitorPercentage: percentage(experience.weight),
      optionLocations: experience.pairs,
    })),
  };
}

interface AdminOffer {
  id: number;
  name: string;
  content: Record<string, unknown>;
  workspace: string;
}

// Every offer the file holds, with the id the Admin API lists it under: its own, or, for an inline
// offer whose id another offer with other content took first, the next free one (Target gives
// every offer its own id). Keyed by the offer object each experience holds.
function offersOf(file: ActivitiesFile): Map<object, AdminOffer> {
  const byObject = new Map<object, AdminOffer>();
  const byId = new Map<number, AdminOffer>();
  const all = [...(file.offers ?? []).map((offer) => ({ offer, workspace: "default" }))];
  for (const activities of Object.values(file.mboxes)) {
    for (const activity of activities) for (const experience of activity.experiences) all.push({ offer: experience.offer, workspace: activity.workspace ?? "default" });
  }
  let nextId = all.reduce((highest, { offer }) => Math.max(highest, offer.id), 0) + 1;
  for (const { offer, workspace } of all) {
    if (byObject.has(offer)) continue;
    const known = byId.get(offer.id);
    if (known && known.name === offer.name && JSON.stringify(known.content) === JSON.stringify(offer.content)) {
      byObject.set(offer, known);
      continue;
    }
    const listed: AdminOffer = { id: known ? nextId++ : offer.id, name: offer.name, content: offer.content, workspace };
    byId.set(listed.id, listed);
    byObject.set(offer, listed);
  }
  return byObject;
}

/** The Admin API and IMS endpoints of one emulator. */
export interface AdminApi {
  /** Answers a request, or `undefined` when its path is not one of these endpoints. */
  answer(method: string, url: URL, headers: IncomingHttpHeaders, rawBody: string): AdminAnswer | undefined;
  /** Ends every token granted so far (a test's "expired mid-run"). */
  expireTokens(): void;
  readonly stats: AdminApiStats;
}

/** Creates the endpoints over the emulator's current activities file. */
export function createAdminApi(currentFile: () => ActivitiesFile): AdminApi {
  const tokens = new Map<string, number>();
  const stats: AdminApiStats = { requests: 0, tokenRequests: 0, tokensGranted: 0 };
  const settings = () => currentFile().admin ?? DEFAULT_ADMIN;

  function grant(rawBody: string, headers: IncomingHttpHeaders): AdminAnswer {
    stats.tokenRequests += 1;
    const form = new URLSearchParams(rawBody);
    // IMS also takes the client's credentials as HTTP Basic.
    const basic = /^Basic (.+)$/i.exec(headers.authorization ?? "")?.[1];
    const [basicId, basicSecret] = basic ? Buffer.from(basic, "base64").toString("utf8").split(":") : [];
    const clientId = form.get("client_id") ?? basicId;
    const clientSecret = form.get("client_secret") ?? basicSecret;
    const imsError = (status: number, error: string, description: string): AdminAnswer => ({ status, contentType: "application/json;charset=UTF-8", body: { error, error_description: description } });
    if (form.get("grant_type") !== "client_credentials") return imsError(400, "unsupported_grant_type", "grant_type must be client_credentials");
    const { clientId: expectedId, clientSecret: expectedSecret, tokenLifetime } = settings();
    if (clientId !== expectedId) return imsError(400, "invalid_client", "invalid client_id parameter");
    if (clientSecret !== expectedSecret) return imsError(401, "invalid_client", "invalid client_secret parameter");
    const token = `eyJ${randomBytes(24).toString("base64url")}`;
    const lifetime = tokenLifetime ?? DEFAULT_TOKEN_LIFETIME;
    tokens.set(token, Date.now() + lifetime * 1000);
    stats.tokensGranted += 1;
    return { status: 200, contentType: "application/json;charset=UTF-8", body: { access_token: token, token_type: "bearer", expires_in: lifetime } };
  }

  function page<Item>(items: readonly Item[], url: URL): { total: number; offset: number; limit: number; items: Item[] } {
    const offset = Math.max(0, Number.parseInt(url.searchParams.get("offset") ?? "0", 10) || 0);
    const limit = Math.max(1, Number.parseInt(url.searchParams.get("limit") ?? String(DEFAULT_PAGE), 10) || DEFAULT_PAGE);
    return { total: items.length, offset, limit, items: items.slice(offset, offset + limit) };
  }

  return {
    stats,
    expireTokens: () => tokens.clear(),
    answer(method, url, headers, rawBody) {
      if (url.pathname === "/ims/token/v3") return method === "POST" ? grant(rawBody, headers) : problem(405, "Method.NotAllowed", "POST the token request");
      const match = /^\/([^/]+)\/target\/(activities|offers)(?:\/([a-z_]+))?(?:\/(\d+))?\/?$/.exec(url.pathname);
      if (!match) return undefined;
      stats.requests += 1;
      const [, tenant, collection, kind, id] = match;
      const token = /^Bearer (.+)$/i.exec(headers.authorization ?? "")?.[1];
      const expiresAt = token ? tokens.get(token) : undefined;
      if (expiresAt === undefined || expiresAt <= Date.now()) return problem(401, "Unauthorized", "Oauth token is not valid");
      if (headers["x-api-key"] !== settings().clientId) return problem(403, "Forbidden", "Api Key is invalid");
      if (method !== "GET") return problem(405, "Method.NotAllowed", "the emulator's Admin API is read-only");
      if (tenant !== settings().tenant) return problem(404, "Tenant.NotFound", `Tenant ${tenant} not found`);
      const file = currentFile();
      const entries = adminActivities(file);
      if (collection === "activities") {
        if (kind === undefined && id === undefined) {
          const { total, offset, limit, items } = page(entries.map(listDescription), url);
          return { status: 200, contentType: ACTIVITY_MEDIA_TYPE, body: { total, offset, limit, activities: items } };
        }
        const entry = entries.find((candidate) => String(candidate.activity.id) === id);
        if (!entry || kind === undefined || PATH_TYPES[LIST_TYPES[entry.activity.type]] !== kind) return problem(404, "Activity.NotFound", `Activity ${id ?? ""} of type ${kind ?? ""} not found`);
        return { status: 200, contentType: ACTIVITY_MEDIA_TYPES[kind]!, body: definitionOf(entry, offersOf(file)) };
      }
      const offers = [...new Set(offersOf(file).values())].sort((left, right) => left.id - right.id);
      if (kind === undefined && id === undefined) {
        const { total, offset, limit, items } = page(offers.map((offer) => ({ id: offer.id, name: offer.name, type: "json", modifiedAt: MODIFIED_AT, workspace: offer.workspace })), url);
        return { status: 200, contentType: OFFER_MEDIA_TYPE, body: { total, offset, limit, offers: items } };
      }
      const offer = kind === "json" ? offers.find((candidate) => String(candidate.id) === id) : undefined;
      if (!offer) return problem(404, "Offer.NotFound", `Offer ${id ?? ""} not found`);
      return { status: 200, contentType: OFFER_MEDIA_TYPE, body: { id: offer.id, name: offer.name, content: offer.content, workspace: offer.workspace, modifiedAt: MODIFIED_AT } };
    },
  };
}
