import type { CustomerId, DeliveryRequest, MboxRequest, Notification, VisitorId } from "./delivery-types.js";
import { createSupplementalDataId, createUuid32 } from "../platform/ids.js";
import { isNonEmptyArray, isNonEmptyObject, isNonEmptyString } from "./validation.js";

/**
 * The fields of the Delivery API request models, in the order Adobe's generated client writes them
 * (`TT/delivery-api-client` `*ToJSON`). `field{...}` recurses into a model (arrays map their items),
 * `field:Name` into a named model of `SHARED_MODELS`, and a bare field is copied as it is. Unknown
 * fields are dropped, as Adobe drops them (TARGET-PROTOCOL.md §5.4).
 */
const DETAILS = "$_type address:Address parameters profileParameters order{id total purchasedProductIds time experienceLocalId duplicate outlier} product{id categoryId}";
const SHARED_MODELS: Record<string, string> = {
  Address: "url referringUrl",
  MboxRequest: `${DETAILS} index name`,
  Context:
    "channel mobilePlatform{deviceName deviceType platformType version} application{id name version} screen{width height colorDepth pixelRatio orientation} window{width height} browser{host language webGLRenderer} address:Address geo{ipAddress latitude longitude countryCode stateCode city zip} timeOffsetInMinutes userAgent clientHints{mobile model platform platformVersion browserUAWithMajorVersion browserUAWithFullVersion architecture bitness} beacon",
  Notification: `${DETAILS} id impressionId type timestamp tokens mbox{name state} view{name key state} pageLoad{state}`,
  DeliveryRequest:
    "requestId impressionId id{tntId thirdPartyId marketingCloudVisitorId customerIds{id integrationCode authenticatedState}} environmentId property{token} trace{authorizationToken usage} context:Context experienceCloud{audienceManager{locationHint blob} analytics{supplementalDataId logging trackingServer trackingServerSecure}} " +
    `execute{pageLoad{${DETAILS}} mboxes:MboxRequest} prefetch{views{${DETAILS} name key} pageLoad{${DETAILS}} mboxes:MboxRequest} ` +
    "telemetry{entries{requestId timestamp mode execution parsing features{decisioningMethod executeMboxCount executePageLoad prefetchMboxCount prefetchPageLoad prefetchViewCount} request{dns tls timeToFirstByte download responseSize} telemetryServerToken}} " +
    "notifications:Notification qaMode{token listedActivitiesOnly evaluateAsTrueAudienceIds evaluateAsFalseAudienceIds previewIndexes{activityIndex experienceIndex}} preview{token}",
};

/**
 * A parsed model: its field names in order, each field's nested model (`undefined` for a plain
 * value) at the same position, and each name's position.
 */
interface Model {
  names: string[];
  nested: Array<Model | undefined>;
  positions: Map<string, number>;
}

const parsedModels: Record<string, Model> = {};

// Reads one model from `tokens`, from `position` up to its closing brace or the end.
function parseModel(tokens: string[], position = { at: 0 }): Model {
  const model: Model = { names: [], nested: [], positions: new Map() };
  const add = (name: string, nested: Model | undefined) => {
    model.positions.set(name, model.names.length);
    model.names.push(name);
    model.nested.push(nested);
  };
  while (position.at < tokens.length) {
    const token = tokens[position.at++]!;
    if (token === "}") break;
    if (tokens[position.at] === "{") {
      position.at += 1;
      add(token, parseModel(tokens, position));
    } else {
      const [field, shared] = token.split(":") as [string, string | undefined];
      add(field, shared === undefined ? undefined : modelNamed(shared));
    }
  }
  return model;
}

function modelNamed(name: string): Model {
  return (parsedModels[name] ??= parseModel(SHARED_MODELS[name]!.match(/[^\s{}]+|[{}]/g)!));
}

/**
 * Copies `value` through a request model: only the model's fields, in its order, `undefined` and
 * `null` fields left out. Arrays are mapped item by item. Never mutates `value`.
 */
export function pickModelFields(value: unknown, model: Model | undefined): unknown {
  if (value === null || value === undefined) return undefined;
  if (!model || typeof value !== "object") return value;
  if (Array.isArray(value)) return value.map((item) => pickModelFields(item, model));
  const prototype = Object.getPrototypeOf(value);
  // A plain object has few of a model's many fields: read its keys, not every field of the model.
  // Every field is read for other objects, which also reads getters of class instances, as
  // Adobe's generated client does.
  const names = prototype === Object.prototype || prototype === null ? modelKeysOf(value, model) : model.names;
  const result: Record<string, unknown> = {};
  for (const name of names) {
    const fieldValue = (value as Record<string, unknown>)[name];
    if (fieldValue !== undefined && fieldValue !== null) result[name] = pickModelFields(fieldValue, model.nested[model.positions.get(name)!]);
  }
  return result;
}

// The keys of a plain object that the model has, in the model's order (they usually come in it).
function modelKeysOf(value: object, model: Model): string[] {
  const names: string[] = [];
  let previous = -1;
  let ordered = true;
  for (const name in value) {
    const position = model.positions.get(name);
    if (position === undefined) continue;
    if (position < previous) ordered = false;
    previous = position;
    names.push(name);
  }
  return ordered ? names : names.sort((left, right) => model.positions.get(left)! - model.positions.get(right)!);
}

/** What `createDeliveryRequest` takes from the client: the same for every call. */
export interface DeliveryRequestInputs {
  environmentId: number | undefined;
  propertyToken: string | undefined;
  /** Called with Adobe's log message and the item for each mbox or notification dropped as invalid. */
  onInvalid: (message: string, item: unknown) => void;
}

/** What `createDeliveryRequest` takes from the call's cookies and options: who the visitor is. */
export interface VisitorInputs {
  deviceId?: string | undefined;
  marketingCloudVisitorId?: string | undefined;
  audienceManager?: { locationHint?: number; blob?: string } | undefined;
  customerIds?: CustomerId[] | undefined;
}

// Adobe's `createVisitorId` (§5.4): request ids win; tntId falls back to the cookie's PC entry.
function createVisitorId(id: VisitorId | undefined, inputs: VisitorInputs): VisitorId | undefined {
  const tntId = id?.tntId === undefined ? inputs.deviceId : id.tntId;
  const marketingCloudVisitorId =
    id?.marketingCloudVisitorId === undefined ? inputs.marketingCloudVisitorId : id.marketingCloudVisitorId;
  const customerIds = inputs.customerIds?.length ? [...inputs.customerIds, ...(id?.customerIds ?? [])] : id?.customerIds;
  const result: VisitorId = {};
  if (isNonEmptyString(tntId)) result.tntId = tntId;
  if (isNonEmptyString(id?.thirdPartyId)) result.thirdPartyId = id.thirdPartyId;
  if (isNonEmptyString(marketingCloudVisitorId)) result.marketingCloudVisitorId = marketingCloudVisitorId;
  if (isNonEmptyArray(customerIds)) result.customerIds = customerIds;
  return isNonEmptyObject(result) ? result : undefined;
}

// Adobe's `createContext` (§5.5): the channel is kept only when it is literally "Mobile" or "Web";
// the default timeOffsetInMinutes applies only when the request had no context at all.
function createContext(context: DeliveryRequest["context"]): DeliveryRequest["context"] {
  if (context === undefined || context === null) return { channel: "web", timeOffsetInMinutes: -new Date().getTimezoneOffset() };
  if (context.channel === "Mobile" || context.channel === "Web") return context;
  return { ...context, channel: "web" };
}

// Adobe's `createExperienceCloud` (§5.4): analytics always, with a fresh SDID; AAM only when known.
function createExperienceCloud(experienceCloud: DeliveryRequest["experienceCloud"], visitor: VisitorInputs): DeliveryRequest["experienceCloud"] {
  const analytics = experienceCloud?.analytics ?? {};
  const audienceManager = {
    locationHint: experienceCloud?.audienceManager?.locationHint ?? visitor.audienceManager?.locationHint,
    blob: experienceCloud?.audienceManager?.blob ?? visitor.audienceManager?.blob,
  };
  const result: NonNullable<DeliveryRequest["experienceCloud"]> = {};
  if (isNonEmptyObject(audienceManager)) result.audienceManager = audienceManager as { locationHint?: number; blob?: string };
  result.analytics = {
    supplementalDataId: createSupplementalDataId(),
    logging: isNonEmptyString(analytics.logging) ? analytics.logging : "server_side",
  };
  if (isNonEmptyString(analytics.trackingServer)) result.analytics.trackingServer = analytics.trackingServer;
  if (isNonEmptyString(analytics.trackingServerSecure)) {
    result.analytics.trackingServerSecure = analytics.trackingServerSecure;
  }
  return result;
}

// Adobe's `createMboxes` (§2.3): drop items without a name; a missing index becomes the position.
function createMboxes(mboxes: unknown, inputs: DeliveryRequestInputs): MboxRequest[] | undefined {
  if (!isNonEmptyArray(mboxes)) return undefined;
  const valid = mboxes.filter((mbox): mbox is MboxRequest => {
    const isValid = isNonEmptyObject(mbox) && isNonEmptyString(mbox.name);
    if (!isValid) inputs.onInvalid("Mbox validation failed for: ", mbox);
    return isValid;
  });
  const result = valid.map((mbox, position) => ({
    ...mbox,
    index: typeof mbox.index === "number" ? mbox.index : position,
  }));
  return result.length > 0 ? result : undefined;
}

// Adobe's `createNotifications` (§5.4): id, numeric timestamp and display/click type are required.
function createNotifications(notifications: unknown, inputs: DeliveryRequestInputs): Notification[] | undefined {
  if (!isNonEmptyArray(notifications)) return undefined;
  const result: Notification[] = [];
  for (const notification of notifications) {
    const isValid =
      isNonEmptyObject(notification) &&
      isNonEmptyString(notification.id) &&
      typeof notification.timestamp === "number" &&
      (notification.type === "display" || notification.type === "click");
    if (!isValid) {
      inputs.onInvalid("Notification validation failed for: ", notification);
      continue;
    }
    result.push(notification as unknown as Notification);
  }
  return result.length > 0 ? result : undefined;
}

// Adobe's `createExecute` / `createPrefetch`: a section with nothing to decide is left out;
// views count only in prefetch.
function createSection<Section extends { pageLoad?: unknown; mboxes?: unknown; views?: unknown }>(
  section: Section | undefined,
  inputs: DeliveryRequestInputs,
  withViews: boolean,
): Section | undefined {
  if (!isNonEmptyObject(section)) return undefined;
  const hasPageLoad = typeof section.pageLoad === "object" && section.pageLoad !== null;
  const hasViews = withViews && isNonEmptyArray(section.views);
  if (!hasPageLoad && !isNonEmptyArray(section.mboxes) && !hasViews) return undefined;
  const result: Record<string, unknown> = {};
  if (hasPageLoad) result.pageLoad = section.pageLoad;
  if (hasViews) result.views = section.views;
  const mboxes = createMboxes(section.mboxes, inputs);
  if (mboxes) result.mboxes = mboxes;
  return result as Section;
}

// The nested models of the request's fields, looked up once.
const REQUEST_MODEL = modelNamed("DeliveryRequest");
const fieldModel = (name: string): Model => REQUEST_MODEL.nested[REQUEST_MODEL.positions.get(name)!]!;
const ID_MODEL = fieldModel("id");
const TRACE_MODEL = fieldModel("trace");
const CONTEXT_MODEL = fieldModel("context");
const EXECUTE_MODEL = fieldModel("execute");
const PREFETCH_MODEL = fieldModel("prefetch");
const TELEMETRY_MODEL = fieldModel("telemetry");
const NOTIFICATIONS_MODEL = fieldModel("notifications");
const QA_MODE_MODEL = fieldModel("qaMode");
const PREVIEW_MODEL = fieldModel("preview");

/**
 * Builds the wire body of a Delivery API call from the caller's request, as Adobe's
 * `createDeliveryRequest` (TARGET-PROTOCOL.md §5.4-§5.5): defaults, visitor id, property token,
 * context rules, experienceCloud, re-indexed mboxes, falsy top-level keys removed (Adobe's
 * removeEmptyKeys), and every field passed through the request models, in their order, in one
 * pass. Pure: reads the request, never writes it.
 */
export function createDeliveryRequest(
  request: DeliveryRequest,
  inputs: DeliveryRequestInputs,
  visitor: VisitorInputs = {},
): DeliveryRequest {
  const result: Record<string, unknown> = {};
  let value: unknown;
  if ((value = request.requestId ?? createUuid32())) result.requestId = value;
  if ((value = request.impressionId)) result.impressionId = value;
  if ((value = pickModelFields(createVisitorId(request.id, visitor), ID_MODEL))) result.id = value;
  if ((value = request.environmentId ?? inputs.environmentId)) result.environmentId = value;
  const token = request.property?.token || inputs.propertyToken;
  if (isNonEmptyString(token)) result.property = { token };
  if ((value = pickModelFields(request.trace, TRACE_MODEL))) result.trace = value;
  if ((value = pickModelFields(createContext(request.context), CONTEXT_MODEL))) result.context = value;
  if ((value = createExperienceCloud(request.experienceCloud, visitor))) result.experienceCloud = value;
  if ((value = pickModelFields(createSection(request.execute, inputs, false), EXECUTE_MODEL))) result.execute = value;
  if ((value = pickModelFields(createSection(request.prefetch, inputs, true), PREFETCH_MODEL))) result.prefetch = value;
  if ((value = pickModelFields(request.telemetry, TELEMETRY_MODEL))) result.telemetry = value;
  if ((value = pickModelFields(createNotifications(request.notifications, inputs), NOTIFICATIONS_MODEL))) result.notifications = value;
  if ((value = pickModelFields(request.qaMode, QA_MODE_MODEL))) result.qaMode = value;
  if ((value = pickModelFields(request.preview, PREVIEW_MODEL))) result.preview = value;
  return result as DeliveryRequest;
}
