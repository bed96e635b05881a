/**
 * A client of Target's Admin API (`https://mc.adobe.io/<tenant>/target/…`) for what
 * `mboxgen offers check` and `mboxgen infer --admin` read: activities, their details, offers and
 * JSON offers, every list followed page by page. Authentication is OAuth Server-to-Server through
 * Adobe IMS (the client-credentials grant at `<ims-url>/ims/token/v3`), or a ready bearer token;
 * the token is cached and renewed when it expires or a call answers 401. HTTP through ky:
 * timeouts per attempt, retries with backoff for network errors, 429 (honouring `Retry-After`)
 * and 5xx. Every failure is an `AdminApiError` of a kind the CLI turns into a catalog error; no
 * secret or token ever reaches a message.
 */
import ky, { HTTPError, TimeoutError, type KyInstance } from "ky";
import type { ActivityListDescription, ActivityType, JsonOffer, OfferListDescription } from "./admin-types.js";

/** How the client authenticates: client credentials (IMS) or a ready token. */
export interface AdminCredentials {
  /** OAuth Server-to-Server client id (`MBOXGEN_TARGET_CLIENT_ID`). */
  clientId?: string | undefined;
  /** Its secret (`MBOXGEN_TARGET_CLIENT_SECRET`). */
  clientSecret?: string | undefined;
  /** Comma-separated scopes (`MBOXGEN_TARGET_SCOPES`); default Target's. */
  scopes?: string | undefined;
  /** A ready bearer token (`MBOXGEN_TARGET_TOKEN`), instead of client credentials. */
  token?: string | undefined;
  /** The `x-api-key` header (`MBOXGEN_TARGET_API_KEY`); default the client id. */
  apiKey?: string | undefined;
}

/** The environment variables the credentials come from. */
export const CREDENTIAL_VARIABLES = {
  clientId: "MBOXGEN_TARGET_CLIENT_ID",
  clientSecret: "MBOXGEN_TARGET_CLIENT_SECRET",
  scopes: "MBOXGEN_TARGET_SCOPES",
  token: "MBOXGEN_TARGET_TOKEN",
  apiKey: "MBOXGEN_TARGET_API_KEY",
} as const;

/** The scopes Adobe's Developer Console gives a Target OAuth Server-to-Server credential. */
export const DEFAULT_SCOPES = "openid,AdobeID,target_sdk,additional_info.projectedProductContext,read_organizations,additional_info.roles";

/** Reads the credentials from an environment; `missing` names what is needed and not set. */
export function credentialsFromEnvironment(environment: Record<string, string | undefined>): { credentials: AdminCredentials; missing: string[] } {
  const read = (name: string) => (environment[name]?.trim() ? environment[name]!.trim() : undefined);
  const credentials: AdminCredentials = {
    clientId: read(CREDENTIAL_VARIABLES.clientId),
    clientSecret: read(CREDENTIAL_VARIABLES.clientSecret),
    scopes: read(CREDENTIAL_VARIABLES.scopes),
    token: read(CREDENTIAL_VARIABLES.token),
    apiKey: read(CREDENTIAL_VARIABLES.apiKey),
  };
  const missing: string[] = [];
  if (!credentials.token) {
    if (!credentials.clientId) missing.push(CREDENTIAL_VARIABLES.clientId);
    if (!credentials.clientSecret) missing.push(CREDENTIAL_VARIABLES.clientSecret);
  } else if (!credentials.apiKey && !credentials.clientId) {
    missing.push(`${CREDENTIAL_VARIABLES.apiKey} (or ${CREDENTIAL_VARIABLES.clientId})`);
  }
  return { credentials, missing };
}

/** What kind of failure an `AdminApiError` is. */
export type AdminErrorKind = "auth" | "tenant" | "permission" | "not-found" | "unreachable" | "response";

/** A failed Admin API or IMS call. Its message never holds a secret or token. */
export class AdminApiError extends Error {
  readonly kind: AdminErrorKind;
  /** The URL called (never carries a secret: credentials go in headers and form bodies). */
  readonly url: string;
  /** The HTTP status, when there was a response. */
  readonly status: number | undefined;

  constructor(kind: AdminErrorKind, url: string, message: string, status?: number, cause?: unknown) {
    super(message, cause === undefined ? undefined : { cause });
    this.name = "AdminApiError";
    this.kind = kind;
    this.url = url;
    this.status = status;
  }
}

/** Options of `createAdminClient`. */
export interface AdminClientOptions {
  /** The tenant in Admin API paths (the Experience Cloud company's Target tenant, e.g. `acmeclient`). */
  tenant: string;
  /** Default `https://mc.adobe.io`. */
  adminUrl?: string | undefined;
  /** Default `https://ims-na1.adobelogin.com`. */
  imsUrl?: string | undefined;
  credentials: AdminCredentials;
  /** Milliseconds per attempt. Default 10000. */
  timeout?: number | undefined;
  /** Retries after the first attempt (network errors, 429, 5xx). Default 3. */
  retries?: number | undefined;
  /** Delay before retry n (1-based) when no `Retry-After` says otherwise. Default 0.3 s × 2^(n-1), at most 5 s. */
  retryDelay?: ((attempt: number) => number) | undefined;
  /** Entries per list page. Default 100. */
  pageSize?: number | undefined;
  /** The fetch to use. Default the global one. */
  fetch?: typeof fetch | undefined;
}

/** The Admin API calls the checks need. */
export interface AdminClient {
  /** Every activity of the tenant, all pages. */
  listActivities(): Promise<ActivityListDescription[]>;
  /** One activity's definition, from the endpoint of its type. */
  getActivity(type: ActivityType, id: number): Promise<Record<string, unknown>>;
  /** Every offer of the tenant (content, JSON, recommendations), all pages. */
  listOffers(): Promise<OfferListDescription[]>;
  /** One JSON offer with its content. */
  getJsonOffer(id: number): Promise<JsonOffer>;
}

const ACTIVITY_MEDIA_TYPE = "application/vnd.adobe.target.v3+json";
const OFFER_MEDIA_TYPE = "application/vnd.adobe.target.v2+json";
/** Each activity type's media type, as Adobe's OpenAPI description gives it. */
const ACTIVITY_MEDIA_TYPES: Record<string, string> = { ab: ACTIVITY_MEDIA_TYPE, xt: ACTIVITY_MEDIA_TYPE, abt: "application/vnd.adobe.target.v2+json", autoallocate: "application/vnd.adobe.target.v1+json" };
/** The type segment of each activity type's path (the list names auto-allocate `auto_allocate`). */
const ACTIVITY_PATHS: Record<ActivityType, string> = { ab: "ab", xt: "xt", abt: "abt", auto_allocate: "autoallocate", autoallocate: "autoallocate" };
const MAX_PAGES = 10_000;

// Removes any secret or token that an error body or cause might echo.
function redact(text: string, secrets: ReadonlyArray<string | undefined>): string {
  let clean = text;
  for (const secret of secrets) if (secret && secret.length >= 4) clean = clean.split(secret).join("[redacted]");
  return clean;
}

// Adobe's error bodies: the Admin API's { errors: [{ errorCode, message }] }, IMS's { error, error_description }.
function detailOf(body: unknown): string | undefined {
  if (typeof body !== "object" || body === null) return typeof body === "string" && body.trim() !== "" ? body.trim().slice(0, 200) : undefined;
  const record = body as Record<string, any>;
  const first = Array.isArray(record.errors) ? record.errors[0] : undefined;
  const parts = [first?.errorCode, first?.message, record.error, record.error_description, record.message].filter((part) => typeof part === "string" && part !== "");
  return parts.length > 0 ? parts.join(": ") : undefined;
}

async function bodyOf(response: Response): Promise<unknown> {
  const text = await response.text().catch(() => "");
  try {
    return JSON.parse(text) as unknown;
  } catch {
    return text;
  }
}

/** Creates an Admin API client. Nothing is called until a method is. */
export function createAdminClient(options: AdminClientOptions): AdminClient {
  const adminUrl = (options.adminUrl ?? "https://mc.adobe.io").replace(/\/+$/, "");
  const imsUrl = (options.imsUrl ?? "https://ims-na1.adobelogin.com").replace(/\/+$/, "");
  const { credentials } = options;
  const apiKey = credentials.apiKey ?? credentials.clientId ?? "";
  const pageSize = options.pageSize ?? 100;
  const secrets = () => [credentials.clientSecret, credentials.token, cachedToken?.value];
  const http: KyInstance = ky.create({
    timeout: options.timeout ?? 10_000,
    retry: {
      limit: options.retries ?? 3,
      methods: ["get", "post"],
      statusCodes: [408, 429, 500, 502, 503, 504],
      afterStatusCodes: [413, 429, 503],
      delay: options.retryDelay ?? ((attempt) => Math.min(5000, 300 * 2 ** (attempt - 1))),
      backoffLimit: 30_000,
      // A Retry-After beyond a minute ends the run instead of stalling it.
      maxRetryAfter: 60_000,
    },
    ...(options.fetch ? { fetch: options.fetch } : {}),
  });

  let cachedToken: { value: string; expiresAt: number } | undefined;
  let pendingToken: Promise<string> | undefined;

  const fail = (kind: AdminErrorKind, url: string, message: string, status?: number, cause?: unknown): never => {
    throw new AdminApiError(kind, url, redact(message, secrets()), status, cause);
  };

  // A request that did not give a usable response: timeout, network, or an HTTP status (after retries).
  async function failureOf(error: unknown, url: string, what: string): Promise<never> {
    if (error instanceof TimeoutError) return fail("unreachable", url, `${what} got no answer within ${options.timeout ?? 10_000} ms (each of ${(options.retries ?? 3) + 1} attempts)`);
    if (error instanceof HTTPError) {
      const status = error.response.status;
      const detail = detailOf(await bodyOf(error.response));
      const suffix = detail ? `: ${detail}` : "";
      if (status === 429) return fail("unreachable", url, `${what} was rate limited (HTTP 429) on every attempt${suffix}`, status);
      if (status >= 500) return fail("unreachable", url, `${what} failed with HTTP ${status} on every attempt${suffix}`, status);
      return fail("response", url, `${what} failed with HTTP ${status}${suffix}`, status);
    }
    const cause = (error as { cause?: { code?: string; message?: string } } | undefined)?.cause;
    return fail("unreachable", url, `${what} failed: ${cause?.code ?? cause?.message ?? (error as Error)?.message ?? String(error)}`, undefined, error);
  }

  async function requestToken(): Promise<string> {
    if (credentials.token) return credentials.token;
    const url = `${imsUrl}/ims/token/v3`;
    const form = new URLSearchParams({ grant_type: "client_credentials", client_id: credentials.clientId ?? "", client_secret: credentials.clientSecret ?? "", scope: credentials.scopes ?? DEFAULT_SCOPES });
    let response: Response;
    try {
      response = await http.post(url, { body: form, headers: { "content-type": "application/x-www-form-urlencoded" }, throwHttpErrors: (status) => status === 429 || status >= 500 });
    } catch (error) {
      return failureOf(error, url, "the IMS token request");
    }
    const body = await bodyOf(response);
    if (!response.ok) {
      const detail = detailOf(body);
      return fail("auth", url, `Adobe IMS refused the client credentials (HTTP ${response.status}${detail ? `: ${detail}` : ""})`, response.status);
    }
    const token = (body as { access_token?: unknown } | null)?.access_token;
    const expiresIn = Number((body as { expires_in?: unknown } | null)?.expires_in);
    if (typeof token !== "string" || token === "") return fail("response", url, "the IMS token response has no access_token");
    // Renewed a minute early; IMS states expires_in in seconds (older responses: milliseconds).
    const lifetime = Number.isFinite(expiresIn) && expiresIn > 0 ? (expiresIn > 10_000_000 ? expiresIn : expiresIn * 1000) : 60_000;
    cachedToken = { value: token, expiresAt: Date.now() + Math.max(0, lifetime - 60_000) };
    return token;
  }

  function token(renew: boolean): Promise<string> {
    if (!renew && cachedToken && cachedToken.expiresAt > Date.now()) return Promise.resolve(cachedToken.value);
    if (renew) cachedToken = undefined;
    // One token request at a time, whoever asks.
    pendingToken ??= requestToken().finally(() => {
      pendingToken = undefined;
    });
    return pendingToken;
  }

  async function get(path: string, mediaType: string, what: string): Promise<unknown> {
    const url = `${adminUrl}/${encodeURIComponent(options.tenant)}/target${path}`;
    for (let renewed = false; ; renewed = true) {
      const bearer = await token(renewed);
      let response: Response;
      try {
        response = await http.get(url, { headers: { authorization: `Bearer ${bearer}`, "x-api-key": apiKey, accept: mediaType }, throwHttpErrors: (status) => status === 429 || status >= 500 || status === 408 });
      } catch (error) {
        return failureOf(error, url, what);
      }
      if (response.status === 401 && !renewed && !credentials.token) continue;
      const body = await bodyOf(response);
      if (response.ok) {
        if (typeof body !== "object" || body === null) return fail("response", url, `${what} answered with a body that is not JSON (${String(body).slice(0, 80)})`, response.status);
        return body;
      }
      const detail = detailOf(body);
      const suffix = detail ? `: ${detail}` : "";
      if (response.status === 401) return fail("auth", url, `${what} was refused (HTTP 401${suffix}): ${credentials.token ? "the token in MBOXGEN_TARGET_TOKEN is invalid or expired" : "the new IMS token was refused too"}`, 401);
      if (response.status === 403) return fail("permission", url, `${what} is not permitted (HTTP 403${suffix})`, 403);
      if (response.status === 404) return fail("not-found", url, `${what} found nothing (HTTP 404${suffix})`, 404);
      return fail("response", url, `${what} failed with HTTP ${response.status}${suffix}`, response.status);
    }
  }

  async function listAll<Item>(path: string, field: "activities" | "offers", mediaType: string, what: string): Promise<Item[]> {
    const items: Item[] = [];
    for (let page = 0; page < MAX_PAGES; page += 1) {
      let body: Record<string, unknown>;
      try {
        body = (await get(`${path}?limit=${pageSize}&offset=${items.length}`, mediaType, `${what} (page ${page + 1})`)) as Record<string, unknown>;
      } catch (error) {
        // A 404 on a tenant-wide list means the tenant is unknown.
        if (error instanceof AdminApiError && error.kind === "not-found") throw new AdminApiError("tenant", error.url, error.message, 404);
        throw error;
      }
      const pageItems = body[field];
      if (!Array.isArray(pageItems)) return fail("response", `${adminUrl}/${options.tenant}/target${path}`, `${what} answered without a "${field}" array`);
      items.push(...(pageItems as Item[]));
      const total = typeof body.total === "number" ? body.total : undefined;
      if (pageItems.length === 0 || (total !== undefined ? items.length >= total : pageItems.length < pageSize)) return items;
    }
    return fail("response", `${adminUrl}/${options.tenant}/target${path}`, `${what} did not end after ${MAX_PAGES} pages`);
  }

  return {
    listActivities: () => listAll<ActivityListDescription>("/activities", "activities", ACTIVITY_MEDIA_TYPE, "listing the activities"),
    async getActivity(type, id) {
      const path = ACTIVITY_PATHS[type];
      return (await get(`/activities/${path}/${id}`, ACTIVITY_MEDIA_TYPES[path]!, `reading ${type} activity ${id}`)) as Record<string, unknown>;
    },
    listOffers: () => listAll<OfferListDescription>("/offers", "offers", OFFER_MEDIA_TYPE, "listing the offers"),
    async getJsonOffer(id) {
      return (await get(`/offers/json/${id}`, OFFER_MEDIA_TYPE, `reading JSON offer ${id}`)) as JsonOffer;
    },
  };
}
