/**
 * Types of the Adobe Target Delivery API (`POST /rest/v1/delivery`), after Adobe's OpenAPI
 * description (`adobe/target-openapi` `delivery/api.yaml`). Adobe's SDK ships no typings
 * (adobe/target-nodejs-sdk#80); these are written for mboxgen. TARGET-PROTOCOL.md §5 and §6.
 */

/** A JSON value as Target delivers it inside a JSON offer. */
export type JsonValue = string | number | boolean | null | JsonValue[] | { [key: string]: JsonValue };

/** `context.channel`. Adobe's SDK sends `"web"` unless the value is literally `"Mobile"` or `"Web"` (§5.5). */
export type ChannelType = "web" | "mobile" | "Web" | "Mobile";

/** `context.address`: the page the request is made for. */
export interface Address {
  url?: string | undefined;
  referringUrl?: string | undefined;
}

/** `context.geo`: where the visitor is. */
export interface Geo {
  ipAddress?: string | undefined;
  latitude?: number | undefined;
  longitude?: number | undefined;
  countryCode?: string | undefined;
  stateCode?: string | undefined;
  city?: string | undefined;
  zip?: string | undefined;
}

/** `context`: the device, page and time of the request. `channel` is required by the API. */
export interface Context {
  channel?: ChannelType | undefined;
  mobilePlatform?: { deviceName?: string; deviceType?: "phone" | "tablet"; platformType?: "android" | "ios"; version?: string } | undefined;
  application?: { id?: string; name?: string; version?: string } | undefined;
  screen?: { width?: number; height?: number; colorDepth?: number; pixelRatio?: number; orientation?: "portrait" | "landscape" } | undefined;
  window?: { width?: number; height?: number } | undefined;
  browser?: { host?: string; language?: string; webGLRenderer?: string } | undefined;
  address?: Address | undefined;
  geo?: Geo | undefined;
  timeOffsetInMinutes?: number | undefined;
  userAgent?: string | undefined;
  clientHints?: {
    mobile?: boolean;
    model?: string;
    platform?: string;
    platformVersion?: string;
    browserUAWithMajorVersion?: string;
    browserUAWithFullVersion?: string;
    architecture?: string;
    bitness?: string;
  } | undefined;
  beacon?: boolean | undefined;
}

/** A customer id sent in `id.customerIds`. */
export interface CustomerId {
  id?: string | undefined;
  integrationCode?: string | undefined;
  authenticatedState?: "unknown" | "authenticated" | "logged_out" | undefined;
}

/** `id`: who the visitor is. With none of the ids, Target creates a `tntId`. */
export interface VisitorId {
  tntId?: string | undefined;
  thirdPartyId?: string | undefined;
  marketingCloudVisitorId?: string | undefined;
  customerIds?: CustomerId[] | undefined;
}

/** Order details attached to a mbox or page load request. */
export interface Order {
  id?: string | undefined;
  total?: number | undefined;
  purchasedProductIds?: string[] | undefined;
  time?: string | undefined;
  experienceLocalId?: string | undefined;
  duplicate?: boolean | undefined;
  outlier?: boolean | undefined;
}

/** Fields shared by mbox, view and page-load requests. */
export interface RequestDetails {
  address?: Address | undefined;
  parameters?: Record<string, string> | undefined;
  profileParameters?: Record<string, string> | undefined;
  order?: Order | undefined;
  product?: { id?: string; categoryId?: string } | undefined;
}

/** One mbox of `execute.mboxes` or `prefetch.mboxes`. */
export interface MboxRequest extends RequestDetails {
  name: string;
  /** Position of the mbox; assigned by the client when missing (§2.2, §2.3). */
  index?: number | undefined;
}

/** One view of `prefetch.views`. */
export interface ViewRequest extends RequestDetails {
  name?: string | undefined;
  key?: string | undefined;
}

/** `execute`: decisions that count as impressions at delivery time (§4). */
export interface ExecuteRequest {
  pageLoad?: RequestDetails | undefined;
  mboxes?: MboxRequest[] | undefined;
}

/** `prefetch`: decisions that count only once notified (§4). */
export interface PrefetchRequest {
  pageLoad?: RequestDetails | undefined;
  views?: ViewRequest[] | undefined;
  mboxes?: MboxRequest[] | undefined;
}

/** One display or click notification (`sendNotifications`). */
export interface Notification extends RequestDetails {
  id: string;
  type: "display" | "click";
  timestamp: number;
  impressionId?: string | undefined;
  tokens?: string[] | undefined;
  mbox?: { name?: string; state?: string } | undefined;
  view?: { name?: string; key?: string; state?: string } | undefined;
  pageLoad?: { state?: string } | undefined;
}

/** QA mode: preview activities and force experiences (`previewIndexes` are 1-based). */
export interface QaMode {
  token?: string | undefined;
  listedActivitiesOnly?: boolean | undefined;
  evaluateAsTrueAudienceIds?: number[] | undefined;
  evaluateAsFalseAudienceIds?: number[] | undefined;
  previewIndexes?: Array<{ activityIndex?: number; experienceIndex?: number }> | undefined;
}

/** The body of `POST /rest/v1/delivery`. */
export interface DeliveryRequest {
  requestId?: string | undefined;
  impressionId?: string | undefined;
  id?: VisitorId | undefined;
  environmentId?: number | undefined;
  property?: { token?: string } | undefined;
  trace?: { authorizationToken?: string; usage?: Record<string, string> } | undefined;
  context?: Context | undefined;
  experienceCloud?: {
    audienceManager?: { locationHint?: number; blob?: string };
    analytics?: {
      supplementalDataId?: string;
      logging?: "server_side" | "client_side";
      trackingServer?: string;
      trackingServerSecure?: string;
    };
  } | undefined;
  execute?: ExecuteRequest | undefined;
  prefetch?: PrefetchRequest | undefined;
  telemetry?: { entries?: Array<Record<string, unknown>> } | undefined;
  notifications?: Notification[] | undefined;
  qaMode?: QaMode | undefined;
  preview?: { token?: string } | undefined;
}

/** One offer of a mbox response. mboxgen reads only `type: "json"` (§3.2). */
export interface Option {
  type?: "html" | "json" | "redirect" | "dynamic" | "actions" | (string & {});
  content?: unknown;
  eventToken?: string;
  responseTokens?: Record<string, unknown>;
}

/** One mbox of `execute.mboxes` or `prefetch.mboxes` in a response. */
export interface MboxResponse {
  index?: number;
  name?: string;
  options?: Option[] | null;
  metrics?: Array<Record<string, unknown>>;
  analytics?: { payload?: { pe?: string; tnta?: string } };
  trace?: Record<string, unknown>;
  /** Prefetch only. */
  state?: string;
}

/** Page-load or view decisions in a response. */
export interface PageLoadResponse {
  options?: Option[] | null;
  metrics?: Array<Record<string, unknown>>;
  analytics?: { payload?: { pe?: string; tnta?: string } };
  trace?: Record<string, unknown>;
  state?: string;
}

/** The body of a successful Delivery API response. */
export interface DeliveryResponse {
  status?: number;
  requestId?: string;
  id?: VisitorId;
  client?: string;
  edgeHost?: string;
  execute?: { pageLoad?: PageLoadResponse; mboxes?: MboxResponse[] };
  prefetch?: {
    pageLoad?: PageLoadResponse;
    views?: Array<PageLoadResponse & { name?: string; key?: string }>;
    mboxes?: MboxResponse[];
    metrics?: Array<Record<string, unknown>>;
  };
  notifications?: Array<{ id?: string }>;
  telemetryServerToken?: string;
}
