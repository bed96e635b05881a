/**
 * On-device decisioning (TARGET-PROTOCOL.md §10.2), Adobe's engine semantics exactly: property
 * token filtering, first match for a regular mbox and one match per rule key for the global mbox
 * and views, allocation, post-processing (event tokens removed from execute and kept for
 * prefetch, click metrics, response tokens with `activity.decisioningMethod`, campaign macros),
 * display notifications, 206 and `remoteMboxes` for what cannot be decided here, and the trace.
 *
 * `compileArtifact` turns an artifact into closures once; `decide` is then a hash and a few
 * comparisons per rule. A malformed rule or an unknown operator never throws at call time: the
 * rule does not match, and `onRuleProblem` hears about it once per rule.
 */
import { allocationVisitorId, computeAllocation } from "./allocation.js";
import type { ArtifactMetric, ArtifactRule, DecisioningArtifact } from "./artifact-types.js";
import {
  createDecisioningContext,
  createGeoContext,
  createMboxContext,
  createPageContext,
  type ContextNeeds,
  type DecisioningContext,
  type ParseDomain,
} from "./decisioning-context.js";
import type { DeliveryRequest, MboxRequest, Notification, Option, RequestDetails, ViewRequest } from "../delivery-api/delivery-types.js";
import { copyOwn, setOwn } from "../platform/own-properties.js";
import { createUuid32 } from "../platform/ids.js";
import { compileLogic, type CompiledLogic } from "./json-logic.js";

const DEFAULT_GLOBAL_MBOX = "target-global-mbox";
const META_TOKENS = ["activity.id", "activity.name", "activity.type", "experience.id", "experience.name", "location.id", "location.name", "location.type", "offer.id", "offer.name", "option.id", "option.name"];
const GEO_TOKENS: Array<[token: string, field: "city" | "country" | "region" | "latitude" | "longitude"]> = [
  ["geo.city", "city"],
  ["geo.country", "country"],
  ["geo.state", "region"],
  ["geo.latitude", "latitude"],
  ["geo.longitude", "longitude"],
];
const TIME_VARIABLES = new Set(["current_timestamp", "current_time", "current_day"]);
const EVERYTHING: ContextNeeds = { time: true, user: true, page: true, referring: true, geo: true, mbox: true, domains: true };
const EMPTY: Record<string, unknown> = Object.freeze({}) as Record<string, unknown>;

type Mode = "execute" | "prefetch";
type RequestType = "mbox" | "view";

/** A rule, compiled: its condition a closure, its consequence post-processed per mode ahead of time. */
interface CompiledRule {
  rule: ArtifactRule;
  ruleKey: unknown;
  activityId: unknown;
  condition: CompiledLogic;
  propertyTokens: readonly unknown[];
  /** The response tokens from the rule's meta that the artifact lists. */
  metaTokens: Record<string, unknown>;
  /** `metaTokens` with `activity.decisioningMethod`: an option's response tokens before geo. */
  responseTokens: Record<string, unknown>;
  /** Why the rule can never match (no meta, say), when it cannot. */
  problem: string | undefined;
  /** The consequence without options and metrics (its name, mostly). */
  consequenceRest: Record<string, unknown>;
  /** The consequence's options and metrics as they are. */
  sourceOptions: Option[];
  metrics: ArtifactMetric[];
  /** Execute: options that are not blank, without event tokens (as `optionTemplate`s); click metrics only. */
  executeOptions: Array<Record<string, unknown>>;
  clickMetrics: ArtifactMetric[];
  /** Prefetch: options with their event token, a display metric's when they have none. */
  prefetchOptions: Array<Record<string, unknown>>;
  /** Whether the consequence is a name, options and metrics only, as Target writes it. */
  plainConsequence: boolean;
  /** Whether an option has content with campaign macros to replace (html or actions). */
  hasMacros: boolean;
  /** Whether options or response tokens hold objects besides the content, so each decision copies them deeply. */
  optionsAreDeep: boolean;
}

/** An artifact turned into closures, ready for `decide`. */
export interface CompiledArtifact {
  readonly artifact: DecisioningArtifact;
  readonly globalMbox: string;
  readonly geoTargetingEnabled: boolean;
  /** The context parts the rules read. */
  readonly needs: ContextNeeds;
  readonly mboxRules: ReadonlyMap<string, CompiledRule[]>;
  readonly viewRules: ReadonlyMap<string, CompiledRule[]>;
  readonly allViewRules: readonly CompiledRule[];
  readonly geoTokens: ReadonlyArray<[string, "city" | "country" | "region" | "latitude" | "longitude"]>;
  /** The artifact's `remoteMboxes`, `localMboxes`, `remoteViews` and `localViews` as lookups. */
  readonly locality: { mboxes: Locality; views: Locality };
}

/** Where the artifact says names are decided: `remote` maps a name to its first position in the artifact's list. */
interface Locality {
  remote: ReadonlyMap<unknown, number>;
  remoteNames: readonly unknown[];
  local: ReadonlySet<unknown>;
}

function localityOf(remote: unknown, local: unknown): Locality {
  const remoteNames = Array.isArray(remote) ? remote : [];
  const positions = new Map<unknown, number>();
  remoteNames.forEach((name, position) => {
    if (!positions.has(name)) positions.set(name, position);
  });
  return { remote: positions, remoteNames, local: new Set(Array.isArray(local) ? local : []) };
}

/** Which mboxes and views a request needs the Delivery API for. */
export interface RemoteDependency {
  remoteNeeded: boolean;
  remoteMboxes: string[];
  remoteViews: string[];
}

/** What `decide` needs besides the request. */
export interface DecideOptions {
  /** The Target client code (`client` option): part of every allocation hash. */
  client: string;
  sessionId: string;
  /** Page and referring domain parts; needed when the artifact's needs say `domains` or a trace is asked for. */
  parseDomain: ParseDomain | undefined;
  /** The artifact part of a trace (Adobe's ArtifactTracer), built only when a trace is requested. */
  artifactTrace: () => Record<string, unknown>;
  /** Told once per rule that cannot be evaluated: an unknown operator, a malformed rule. */
  onRuleProblem: (rule: ArtifactRule, problem: string) => void;
  /** The request's remote dependency, when the caller has it already. */
  remote?: RemoteDependency | undefined;
}

/** A decision: the Delivery API response Adobe's engine would give, and its display notifications. */
export interface Decision {
  response: Record<string, unknown>;
  notifications: Notification[];
  /** What the artifact cannot decide: the response's status is 206 when anything. */
  remote: RemoteDependency;
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

// The roots of every `var` path a condition reads (and whether one reads a domain part, which
// needs the Public Suffix List); false when a path is computed.
function collectVariables(logic: unknown, roots: Set<string>, domains: { read: boolean }): boolean {
  if (Array.isArray(logic)) return logic.every((item) => collectVariables(item, roots, domains));
  if (!isObject(logic) || Object.keys(logic).length !== 1) return true;
  const [operator] = Object.keys(logic) as [string];
  const values = logic[operator];
  if (operator === "var") {
    const path = Array.isArray(values) ? values[0] : values;
    if (typeof path === "number") return true;
    if (typeof path !== "string" || path === "") return false;
    roots.add(path.split(".")[0]!);
    if (DOMAIN_PATH.test(path)) domains.read = true;
    return Array.isArray(values) ? values.slice(1).every((item) => collectVariables(item, roots, domains)) : true;
  }
  // Scoped operators read their items, not the context, in their second argument.
  if (["filter", "map", "reduce", "all", "none", "some"].includes(operator) && Array.isArray(values)) return collectVariables(values[0], roots, domains);
  return collectVariables(values, roots, domains);
}

// A path that reads domain parts of the page or referring URL: one of them, or the whole object.
const DOMAIN_PATH = /^(page|referring)($|\.(domain|subdomain|topLevelDomain)(_lc)?$)/;

/**
 * An option as JSON has it, with a `responseTokens` slot: every decision copies it and fills the
 * slot, which is much faster in V8 than adding a property to each copy.
 */
function optionTemplate(option: Record<string, unknown>): Record<string, unknown> {
  return { ...(cloneJson(option) as Record<string, unknown>), responseTokens: undefined };
}

function compileRule(rule: ArtifactRule, artifactTokens: ReadonlySet<string>, roots: Set<string>, dynamic: { value: boolean }, domains: { read: boolean }): CompiledRule {
  const meta = isObject(rule?.meta) ? rule.meta : undefined;
  const metaTokens: Record<string, unknown> = {};
  for (const token of META_TOKENS) if (artifactTokens.has(token) && meta?.[token] !== undefined) metaTokens[token] = meta[token];
  let condition: CompiledLogic = () => false;
  let problem: string | undefined = meta ? undefined : "the rule has no meta";
  if (!problem) {
    try {
      condition = compileLogic(rule.condition);
      if (!collectVariables(rule.condition, roots, domains)) dynamic.value = true;
    } catch (error) {
      problem = `its condition cannot be compiled (${error instanceof Error ? error.message : String(error)})`;
    }
  }
  const consequence = isObject(rule?.consequence) ? rule.consequence : {};
  const { options: _options, metrics: _metrics, ...consequenceRest } = consequence;
  const sourceOptions: Option[] = Array.isArray(consequence.options) ? consequence.options : [];
  const metrics: ArtifactMetric[] = Array.isArray(consequence.metrics) ? consequence.metrics : [];
  const responseTokens = cloneJson({ ...metaTokens, "activity.decisioningMethod": "on-device" }) as Record<string, unknown>;
  const executeOptions = sourceOptions
    .filter((option) => !(option?.type === undefined && option?.content === undefined))
    .map((option) => {
      const { eventToken: _eventToken, ...rest } = option as Option & Record<string, unknown>;
      return optionTemplate(rest);
    });
  const prefetchOptions = sourceOptions.map((option, position) => {
    let eventToken = option?.eventToken;
    if (eventToken === undefined && metrics.length > position && metrics[position]?.type === "display") eventToken = metrics[position]!.eventToken;
    return optionTemplate(eventToken === undefined ? { ...option } : { ...option, eventToken });
  });
  return {
    rule,
    ruleKey: rule?.ruleKey,
    activityId: meta?.["activity.id"],
    condition,
    propertyTokens: Array.isArray(rule?.propertyTokens) ? rule.propertyTokens : [],
    metaTokens,
    responseTokens,
    problem,
    consequenceRest,
    sourceOptions,
    metrics,
    executeOptions,
    clickMetrics: metrics.filter((metric) => metric?.type === "click"),
    prefetchOptions,
    plainConsequence: Object.keys(consequenceRest).length === 1 && Object.hasOwn(consequenceRest, "name") && !isObjectValue(consequenceRest.name),
    hasMacros: sourceOptions.some((option) => option?.type === "html" || option?.type === "actions"),
    optionsAreDeep:
      Object.values(responseTokens).some(isObjectValue) ||
      [...executeOptions, ...prefetchOptions].some((option) => Object.entries(option).some(([key, value]) => key !== "content" && isObjectValue(value))),
  };
}

/** Compiles an artifact once: conditions into closures, rules indexed by mbox and view. */
export function compileArtifact(artifact: DecisioningArtifact): CompiledArtifact {
  const tokens = new Set(Array.isArray(artifact.responseTokens) ? artifact.responseTokens : []);
  const roots = new Set<string>();
  const dynamic = { value: false };
  const domains = { read: false };
  const compileAll = (rules: unknown) => (Array.isArray(rules) ? rules.map((rule) => compileRule(rule as ArtifactRule, tokens, roots, dynamic, domains)) : []);
  const mboxRules = new Map<string, CompiledRule[]>();
  for (const [name, rules] of Object.entries(isObject(artifact.rules?.mboxes) ? artifact.rules.mboxes : {})) mboxRules.set(name, compileAll(rules));
  const viewRules = new Map<string, CompiledRule[]>();
  for (const [name, rules] of Object.entries(isObject(artifact.rules?.views) ? artifact.rules.views : {})) viewRules.set(name, compileAll(rules));
  const needs: ContextNeeds = dynamic.value
    ? EVERYTHING
    : {
        time: [...TIME_VARIABLES].some((name) => roots.has(name)),
        user: roots.has("user"),
        page: roots.has("page"),
        referring: roots.has("referring"),
        geo: roots.has("geo"),
        mbox: roots.has("mbox"),
        domains: domains.read,
      };
  return {
    artifact,
    globalMbox: artifact.globalMbox || DEFAULT_GLOBAL_MBOX,
    geoTargetingEnabled: artifact.geoTargetingEnabled === true,
    needs,
    mboxRules,
    viewRules,
    allViewRules: [...viewRules.values()].flat(),
    geoTokens: GEO_TOKENS.filter(([token]) => tokens.has(token)),
    locality: { mboxes: localityOf(artifact.remoteMboxes, artifact.localMboxes), views: localityOf(artifact.remoteViews, artifact.localViews) },
  };
}

// The names of a request's mboxes or views, prefetch first, each once.
function namesOf(request: DeliveryRequest, key: "mboxes" | "views"): string[] {
  const names: string[] = [];
  for (const section of [request.prefetch, request.execute] as Array<Record<string, unknown> | undefined>) {
    const items = section?.[key];
    if (!Array.isArray(items)) continue;
    for (const item of items as Array<{ name?: unknown }>) {
      const name = item?.name as string;
      if (name !== undefined && !names.includes(name)) names.push(name);
    }
  }
  return names;
}

// The requested names the artifact lists as remote, in the artifact's order, then those it does not list as local.
function remoteNamesOf(requested: readonly string[], locality: Locality): string[] {
  if (requested.every((name) => locality.local.has(name) && !locality.remote.has(name))) return [];
  const remote = new Set<unknown>(requested.filter((name) => locality.remote.has(name)).sort((left, right) => locality.remote.get(left)! - locality.remote.get(right)!));
  for (const name of requested) if (!locality.local.has(name)) remote.add(name);
  return [...remote] as string[];
}

/** Which requested mboxes and views the artifact cannot decide (Adobe's `hasRemoteDependency`). */
export function findRemoteDependency(compiled: CompiledArtifact, request: DeliveryRequest): RemoteDependency {
  const { mboxes: mboxLocality, views: viewLocality } = compiled.locality;
  const mboxes = namesOf(request, "mboxes");
  if (isObject(request.execute?.pageLoad) || isObject(request.prefetch?.pageLoad)) mboxes.push(DEFAULT_GLOBAL_MBOX);
  const views = namesOf(request, "views");
  const remoteMboxes = remoteNamesOf(mboxes, mboxLocality);
  const requestedViews = [request.prefetch, request.execute].some((section) => Array.isArray((section as { views?: unknown } | undefined)?.views));
  // Asking for views without naming any asks for all of them.
  const remoteViews = requestedViews && views.length === 0 ? ([...new Set(viewLocality.remoteNames)] as string[]) : remoteNamesOf(views, viewLocality);
  return { remoteNeeded: remoteMboxes.length > 0 || remoteViews.length > 0, remoteMboxes, remoteViews };
}

/**
 * A JSON copy: what Adobe's `JSON.parse(JSON.stringify(...))` gives, without the text in between.
 * Every decision gets fresh objects, so a caller that changes them never changes the artifact.
 */
function cloneJson(value: unknown): unknown {
  if (typeof value !== "object" || value === null) return typeof value === "number" && !Number.isFinite(value) ? null : value;
  if (Array.isArray(value)) {
    const copy = new Array<unknown>(value.length);
    for (let index = 0; index < value.length; index += 1) {
      const item = value[index];
      copy[index] = item === undefined || typeof item === "function" ? null : cloneJson(item);
    }
    return copy;
  }
  if (typeof (value as { toJSON?: unknown }).toJSON === "function") return JSON.parse(JSON.stringify(value));
  const copy: Record<string, unknown> = {};
  for (const key in value) {
    if (!Object.hasOwn(value, key)) continue;
    const item = (value as Record<string, unknown>)[key];
    if (item === undefined || typeof item === "function") continue;
    // `=` would set the prototype for a key named __proto__; JSON.parse makes it an own property.
    if (key === "__proto__") setOwn(copy, key, cloneJson(item));
    else copy[key] = cloneJson(item);
  }
  return copy;
}

function isObjectValue(value: unknown): boolean {
  return typeof value === "object" && value !== null;
}

const MACRO = /\$\{([a-zA-Z0-9_.]*?)\}/gi;
const MACRO_RENAMES: Record<string, string> = { campaign: "activity", recipe: "experience" };

// Adobe's replaceCampaignMacros, quirks included: `${campaign.name}` reads `activity.name` of the
// rule's meta, then the request detail, then its parameters; a capitalised `Campaign` becomes "undefined".
function replaceMacros(text: unknown, meta: Record<string, unknown>, detail: RequestDetails & { name?: string | undefined; index?: number | undefined }): unknown {
  if (typeof text !== "string") return text;
  return text.replace(MACRO, (whole, macro: string) => {
    let parts = macro.replace(/campaign|recipe/gi, (matched) => String(MACRO_RENAMES[matched])).split(".");
    if (parts.length > 2) parts = parts.slice(parts.length - 2);
    const key = parts.filter((part) => part !== "mbox").join(".");
    for (const source of [meta, detail as Record<string, unknown>, (detail.parameters ?? {}) as Record<string, unknown>]) {
      if (isObject(source) && source[key] !== undefined) return source[key] as string;
    }
    return whole;
  });
}

/** Adobe's RequestTracer: campaigns and evaluated targets of one mode, with the arrays it shares. */
interface Tracer {
  request(mode: Mode, type: RequestType, detail: object, context: DecisioningContext): void;
  ruleEvaluated(rule: CompiledRule, ruleContext: object, satisfied: boolean): void;
  notification(rule: CompiledRule): (notification: Notification) => void;
  result(): Record<string, unknown> | undefined;
}

function createTracer(compiled: CompiledArtifact, wrap: (result: Record<string, unknown>) => Record<string, unknown>): Tracer {
  let request: Record<string, unknown> = {};
  const campaigns = new Map<unknown, Record<string, any>>();
  const targets = new Map<unknown, Record<string, any>>();
  return {
    request(mode, type, detail, context) {
      request = { pageURL: context.page?.url, host: context.page?.domain };
      request[type] = { ...detail, type: mode };
    },
    ruleEvaluated(rule, ruleContext, satisfied) {
      const meta = rule.rule.meta as Record<string, unknown>;
      const activityId = rule.activityId;
      if (satisfied && !campaigns.has(activityId)) {
        campaigns.set(activityId, {
          id: activityId,
          campaignType: meta["activity.type"],
          branchId: meta["experience.id"],
          offers: meta["offer.id"] !== undefined ? [meta["offer.id"]] : [],
          environment: compiled.artifact.meta?.environment,
        });
      }
      let target = targets.get(activityId);
      if (!target) {
        target = { context: ruleContext, campaignId: activityId, campaignType: meta["activity.type"], matchedSegmentIds: new Set(), unmatchedSegmentIds: new Set(), matchedRuleConditions: [], unmatchedRuleConditions: [] };
        targets.set(activityId, target);
      }
      const audienceIds = Array.isArray(meta["audience.ids"]) ? (meta["audience.ids"] as unknown[]) : [];
      for (const audienceId of audienceIds) target[satisfied ? "matchedSegmentIds" : "unmatchedSegmentIds"].add(audienceId);
      target[satisfied ? "matchedRuleConditions" : "unmatchedRuleConditions"].push(rule.rule.condition);
    },
    notification(rule) {
      const campaign = campaigns.get(rule.activityId)!;
      campaign.notifications ??= [];
      return (notification) => campaign.notifications.push(notification);
    },
    result() {
      return wrap({
        campaigns: [...campaigns.values()].map((campaign) => ({ ...campaign })),
        evaluatedCampaignTargets: [...targets.values()].map((target) => ({ ...target, matchedSegmentIds: [...target.matchedSegmentIds], unmatchedSegmentIds: [...target.unmatchedSegmentIds] })),
        request,
      });
    },
  };
}

/**
 * Decides a Delivery API request on the device. `request` is the wire request after the visitor
 * id, request id and geo context were settled (Adobe's `validDeliveryRequest`).
 */
export function decide(compiled: CompiledArtifact, request: DeliveryRequest, options: DecideOptions): Decision {
  const tracing = request.trace !== undefined;
  const requestContext = request.context ?? { channel: "web" as const };
  const needs = tracing ? EVERYTHING : compiled.needs;
  // Domain parts are computed only when a rule (or the trace) reads them.
  const parseDomain = needs.domains ? options.parseDomain : undefined;
  const context = createDecisioningContext(requestContext, needs, parseDomain);
  const geo = context.geo ?? (compiled.geoTokens.length > 0 ? createGeoContext(requestContext.geo) : undefined);
  let geoTokens: Array<[string, unknown]> | undefined;
  for (const [token, field] of compiled.geoTokens) if (geo?.[field] !== undefined) (geoTokens ??= []).push([token, geo[field]]);
  const propertyToken = request.property?.token;
  const sharedContext = copyOwn(context);
  sharedContext.page = undefined;
  sharedContext.referring = undefined;
  sharedContext.mbox = undefined;
  sharedContext.allocation = 0;
  const visitorId = allocationVisitorId(request.id);
  const notifications: Notification[] = [];
  let lastActivityId: unknown;
  let lastAllocation = 0;
  const timestamp = Date.now();
  // The mbox context of each request detail, made once per call when rules read it.
  let mboxContexts: Map<object, Record<string, unknown>> | undefined;
  let artifactTrace: Record<string, unknown> | undefined;
  let profile: Record<string, unknown> | undefined;
  const wrapTrace = (result: Record<string, unknown>): Record<string, unknown> => {
    artifactTrace ??= options.artifactTrace();
    if (!profile) {
      const [tntId, profileLocation] = typeof request.id?.tntId === "string" ? request.id.tntId.split(".") : [undefined, undefined];
      profile = { visitorId: { ...request.id, tntId, profileLocation } };
    }
    return {
      clientCode: options.client,
      artifact: artifactTrace,
      profile,
      request: { sessionId: options.sessionId, ...(result.request as object) },
      campaigns: result.campaigns,
      evaluatedCampaignTargets: result.evaluatedCampaignTargets,
    };
  };

  const byProperty = (rule: CompiledRule) =>
    propertyToken === undefined ? rule.propertyTokens.length === 0 : rule.propertyTokens.length === 0 || rule.propertyTokens.includes(propertyToken);

  // Whether this call notifies `eventToken` of mbox `name` already: Adobe deduplicates by both.
  // The lists are short (one notification per executed mbox), so a scan beats building sets.
  function notified(name: string | undefined, eventToken: string): boolean {
    for (const notification of notifications) if (notification.mbox?.name === name && notification.tokens!.includes(eventToken)) return true;
    return false;
  }

  function addNotification(name: string | undefined, options: Option[] | undefined, trace: ((notification: Notification) => void) | undefined): void {
    const tokens: string[] = [];
    for (const option of options ?? []) {
      const eventToken = option?.eventToken;
      if (eventToken !== undefined && !notified(name, eventToken) && !tokens.includes(eventToken)) tokens.push(eventToken);
    }
    if (tokens.length === 0) return;
    // Keys in the wire order of the Delivery API's Notification model: the request copies it fastest.
    const notification = { id: createUuid32(), impressionId: createUuid32(), type: "display", timestamp, tokens, mbox: { name } } as Notification;
    trace?.(notification);
    notifications.push(notification);
  }

  // An option as the response carries it: its content copied, campaign macros replaced, the
  // rule's response tokens with this call's geo tokens.
  function optionWithTokens(option: Record<string, unknown>, rule: CompiledRule, detail: RequestDetails & { name?: string | undefined }): Record<string, unknown> {
    const decided: Record<string, unknown> = { ...option };
    const content = option.content;
    if (typeof content === "object" && content !== null) decided.content = cloneJson(content);
    const responseTokens = { ...rule.responseTokens };
    if (geoTokens) for (const [token, value] of geoTokens) responseTokens[token] = value;
    decided.responseTokens = responseTokens;
    return optionWithMacros(rule.optionsAreDeep ? (cloneJson(decided) as Record<string, unknown>) : decided, rule, detail);
  }

  function optionWithMacros(decided: Record<string, unknown>, rule: CompiledRule, detail: RequestDetails & { name?: string | undefined }): Record<string, unknown> {
    if (!rule.hasMacros) return decided;
    const content = decided.content;
    const meta = rule.rule.meta as Record<string, unknown>;
    if (decided.type === "html") decided.content = replaceMacros(content, meta, detail);
    else if (decided.type === "actions" && Array.isArray(content)) {
      decided.content = content.map((action: Record<string, unknown>) => cloneJson({ ...action, content: replaceMacros(action?.content, meta, detail) }));
    }
    return decided;
  }

  /** Adobe's processRule with the post-processors of `mode`; `undefined` when the rule does not match. */
  function evaluate(rule: CompiledRule, detail: RequestDetails & { name?: string | undefined; index?: number | undefined }, type: RequestType, mode: Mode, tracer: Tracer | undefined, pageLoad: boolean): Record<string, unknown> | undefined {
    if (rule.problem) {
      options.onRuleProblem(rule.rule, rule.problem);
      return undefined;
    }
    let page = context.page;
    let referring = context.referring;
    // Adobe's quirk: a mbox's own address replaces page and referring alike.
    if (detail.address !== undefined && (needs.page || needs.referring)) {
      page = createPageContext(detail.address, parseDomain);
      referring = createPageContext(detail.address, parseDomain);
    }
    let mbox: Record<string, unknown> | undefined;
    if (needs.mbox || tracing) {
      mboxContexts ??= new Map();
      mbox = mboxContexts.get(detail);
      if (!mbox) mboxContexts.set(detail, (mbox = createMboxContext(detail.parameters as Record<string, unknown> | undefined)));
    }
    // The rules of an activity come one after another, and they share its allocation.
    if (rule.activityId !== lastActivityId || lastActivityId === undefined) {
      lastActivityId = rule.activityId;
      lastAllocation = computeAllocation(options.client, rule.activityId, visitorId);
    }
    const allocation = lastAllocation;
    // A trace keeps each activity's first rule context, so it gets its own objects; otherwise one
    // context object serves every rule of the call.
    let ruleContext: Record<string, unknown>;
    if (tracing) {
      ruleContext = { ...context, page, referring, mbox: mbox ?? {}, allocation };
    } else {
      ruleContext = sharedContext;
      ruleContext.page = page;
      ruleContext.referring = referring;
      ruleContext.mbox = mbox ?? EMPTY;
      ruleContext.allocation = allocation;
    }
    let satisfied: unknown;
    try {
      satisfied = rule.condition(ruleContext);
    } catch (error) {
      options.onRuleProblem(rule.rule, `its condition failed: ${error instanceof Error ? error.message : String(error)}`);
      satisfied = false;
    }
    tracer?.ruleEvaluated(rule, ruleContext, Boolean(satisfied));
    if (!satisfied) return undefined;

    let responseOptions: Array<Record<string, unknown>>;
    let metrics: ArtifactMetric[] | undefined;
    if (mode === "execute") {
      addNotification(rule.consequenceRest.name as string | undefined, rule.sourceOptions, tracer?.notification(rule));
      responseOptions = rule.executeOptions;
      if (rule.clickMetrics.length > 0) metrics = rule.clickMetrics;
    } else {
      responseOptions = rule.prefetchOptions;
      if (type === "view") metrics = rule.metrics;
    }
    // Fresh objects for everything a caller could change: the artifact's own are never handed out.
    const decidedOptions: Array<Record<string, unknown>> = new Array(responseOptions.length);
    for (let position = 0; position < responseOptions.length; position += 1) decidedOptions[position] = optionWithTokens(responseOptions[position]!, rule, detail);
    // A page load's decision has no name or index; its trace is taken (the page-load decision
    // keeps the last one), not kept here. Object literals keep V8 on its fast path.
    const index = pageLoad ? undefined : detail.index;
    let response: Record<string, unknown>;
    if (rule.plainConsequence) {
      const name = rule.consequenceRest.name;
      response = pageLoad ? { options: decidedOptions } : index === undefined ? { name, options: decidedOptions } : { name, options: decidedOptions, index };
    } else {
      response = { ...(cloneJson(rule.consequenceRest) as Record<string, unknown>), options: decidedOptions };
      if (pageLoad) delete response.name;
      if (index !== undefined) response.index = index;
    }
    if (metrics !== undefined) response.metrics = cloneJson(metrics);
    const trace = tracer?.result();
    if (!pageLoad && trace !== undefined) response.trace = cloneJson(trace);
    return response;
  }

  function mboxDecisions(mode: Mode, mboxRequest: MboxRequest, tracer: Tracer | undefined, pageLoad = false): Array<Record<string, unknown>> {
    const isGlobal = mboxRequest.name === compiled.globalMbox;
    tracer?.request(mode, "mbox", mboxRequest, context);
    const results: Array<Record<string, unknown>> = [];
    // The global mbox takes one rule per rule key; any other mbox its first match.
    const matchedKeys = isGlobal ? new Set<unknown>() : undefined;
    for (const rule of compiled.mboxRules.get(mboxRequest.name) ?? []) {
      if (!byProperty(rule) || matchedKeys?.has(rule.ruleKey)) continue;
      const result = evaluate(rule, mboxRequest, "mbox", mode, tracer, pageLoad);
      if (!result) continue;
      results.push(result);
      if (!matchedKeys) break;
      matchedKeys.add(rule.ruleKey);
    }
    if (!isGlobal && results.length === 0) {
      // A blank entry, its trace not copied: Adobe's later evaluations still add to its arrays.
      const blank: Record<string, unknown> = { name: mboxRequest.name, index: mboxRequest.index };
      const trace = tracer?.result();
      if (trace !== undefined) blank.trace = trace;
      results.push(blank);
    }
    return results;
  }

  function viewDecisions(mode: Mode, view: ViewRequest, tracer: Tracer | undefined): Array<Record<string, unknown>> {
    tracer?.request(mode, "view", view, context);
    const rules = Object.hasOwn(view, "name") && view.name !== undefined ? (compiled.viewRules.get(view.name) ?? []) : compiled.allViewRules;
    const byName = new Map<unknown, Record<string, unknown>>();
    const matchedKeys = new Set<unknown>();
    for (const rule of rules) {
      if (!byProperty(rule) || matchedKeys.has(rule.ruleKey)) continue;
      const result = evaluate(rule, view, "view", mode, tracer, false);
      if (!result) continue;
      matchedKeys.add(rule.ruleKey);
      const existing = byName.get(result.name);
      byName.set(
        result.name,
        existing
          ? { ...existing, options: [...(existing.options as unknown[]), ...(result.options as unknown[])], metrics: [...((existing.metrics as unknown[]) ?? []), ...((result.metrics as unknown[]) ?? [])] }
          : result,
      );
    }
    return [...byName.values()];
  }

  function pageLoadDecision(mode: Mode, pageLoad: RequestDetails, tracer: Tracer | undefined): Record<string, unknown> {
    let trace: unknown;
    const decisions = mboxDecisions(mode, { ...pageLoad, name: compiled.globalMbox } as MboxRequest, tracer && { ...tracer, result: () => (trace = tracer.result()) }, true);
    const metricsByToken = new Map<unknown, unknown>();
    for (const decision of decisions) {
      if (Array.isArray(decision.metrics)) for (const metric of decision.metrics as ArtifactMetric[]) metricsByToken.set(metric.eventToken, metric);
    }
    const result: Record<string, unknown> = { options: decisions.flatMap((decision) => (decision.options as unknown[]) ?? []) };
    if (trace !== undefined) result.trace = trace;
    if (metricsByToken.size > 0) result.metrics = [...metricsByToken.values()];
    return result;
  }

  function sectionDecisions(mode: Mode): Record<string, unknown> | undefined {
    const section = request[mode] as { mboxes?: MboxRequest[]; views?: ViewRequest[]; pageLoad?: RequestDetails } | undefined;
    if (section === undefined) return undefined;
    const tracer = tracing ? createTracer(compiled, wrapTrace) : undefined;
    const result: Record<string, unknown> = {};
    if (section.mboxes) {
      const mboxes: Array<Record<string, unknown>> = [];
      for (const mbox of section.mboxes) mboxes.push(...mboxDecisions(mode, mbox, tracer));
      result.mboxes = mboxes;
    }
    if (section.views) {
      const views: Array<Record<string, unknown>> = [];
      for (const view of section.views) views.push(...viewDecisions(mode, view, tracer));
      result.views = views;
    }
    if (section.pageLoad) result.pageLoad = pageLoadDecision(mode, section.pageLoad, tracer);
    return result;
  }

  const remote = options.remote ?? findRemoteDependency(compiled, request);
  const response: Record<string, unknown> = { status: remote.remoteNeeded ? 206 : 200 };
  if (request.requestId !== undefined) response.requestId = request.requestId;
  response.id = copyOwn(request.id);
  response.client = options.client;
  const execute = sectionDecisions("execute");
  if (execute) response.execute = execute;
  const prefetch = sectionDecisions("prefetch");
  if (prefetch) response.prefetch = prefetch;
  return { response, notifications, remote };
}
