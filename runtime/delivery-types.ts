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
  url?: string;
  referringUrl?: string;
}

/** `context.geo`: where the visitor is. */
export interface Geo {
  ipAddress?: string;
  latitude?: number;
  longitude?: number;
  countryCode?: string;
  stateCode?: string;
  city?: string;
  zip?: string;
}

/** `context`: the device, page and time of the request. `channel` is required by the API. */
export interface Context {
  channel?: ChannelType;
  mobilePlatform?: { deviceName?: string; deviceType?: "phone" | "tablet"; platformType?: "android" | "ios"; version?: string };
  application?: { id?: string; name?: string; version?: string };
  screen?: { width?: number; height?: number; colorDepth?: number; pixelRatio?: number; orientation?: "portrait" | "landscape" };
  window?: { width?: number; height?: number };
  browser?: { host?: string; language?: string; webGLRenderer?: string };
  address?: Address;
  geo?: Geo;
  timeOffsetInMinutes?: number;
  userAgent?: string;
  clientHints?: {
    mobile?: boolean;
    model?: string;
    platform?: string;
    platformVersion?: string;
    browserUAWithMajorVersion?: string;
    browserUAWithFullVersion?: string;
    architecture?: string;
    bitness?: string;
  };
  beacon?: boolean;
}

/** A customer id sent in `id.customerIds`. */
export interface CustomerId {
  id?: string;
  integrationCode?: string;
  authenticatedState?: "unknown" | "authenticated" | "logged_out";
}

/** `id`: who the visitor is. With none of the ids, Target creates a `tntId`. */
export interface VisitorId {
  tntId?: string;
  thirdPartyId?: string;
  marketingCloudVisitorId?: string;
  customerIds?: CustomerId[];
}

/** Order details attached to a mbox or page load request. */
export interface Order {
  id?: string;
  total?: number;
  purchasedProductIds?: string[];
  time?: string;
  experienceLocalId?: string;
  duplicate?: boolean;
  outlier?: boolean;
}

/** Fields shared by mbox, view and page-load requests. */
export interface RequestDetails {
  address?: Address;
  parameters?: Record<string, string>;
  profileParameters?: Record<string, string>;
  order?: Order;
  product?: { id?: string; categoryId?: string };
}

/** One mbox of `execute.mboxes` or `prefetch.mboxes`. */
export interface MboxRequest extends RequestDetails {
  name: string;
  /** Position of the mbox; assigned by the client when missing (§2.2, §2.3). */
  index?: number;
}

/** One view of `prefetch.views`. */
export interface ViewRequest extends RequestDetails {
  name?: string;
  key?: string;
}

/** `execute`: decisions that count as impressions at delivery time (§4). */
export interface ExecuteRequest {
  pageLoad?: RequestDetails;
  mboxes?: MboxRequest[];
}

/** `prefetch`: decisions that count only once notified (§4). */
export interface PrefetchRequest {
  pageLoad?: RequestDetails;
  views?: ViewRequest[];
  mboxes?: MboxRequest[];
}

/** One display or click notification (`sendNotifications`). */
export interface Notification extends RequestDetails {
  id: string;
  type: "display" | "click";
  timestamp: number;
  impressionId?: string;
  tokens?: string[];
  mbox?: { name?: string; state?: string };
  view?: { name?: string; key?: string; state?: string };
  pageLoad?: { state?: string };
}

/** QA mode: preview activities and force experiences (`previewIndexes` are 1-based). */
export interface QaMode {
  token?: string;
  listedActivitiesOnly?: boolean;
  evaluateAsTrueAudienceIds?: number[];
  evaluateAsFalseAudienceIds?: number[];
  previewIndexes?: Array<{ activityIndex?: number; experienceIndex?: number }>;
}

/** The body of `POST /rest/v1/delivery`. */
export interface DeliveryRequest {
  requestId?: string;
  impressionId?: string;
  id?: VisitorId;
  environmentId?: number;
  property?: { token?: string };
  trace?: { authorizationToken?: string; usage?: Record<string, string> };
  context?: Context;
  experienceCloud?: {
    audienceManager?: { locationHint?: number; blob?: string };
    analytics?: {
      supplementalDataId?: string;
      logging?: "server_side" | "client_side";
      trackingServer?: string;
      trackingServerSecure?: string;
    };
  };
  execute?: ExecuteRequest;
  prefetch?: PrefetchRequest;
  telemetry?: { entries?: Array<Record<string, unknown>> };
  notifications?: Notification[];
  qaMode?: QaMode;
  preview?: { token?: string };
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
