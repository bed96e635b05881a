/**
 * The OpenFeature Remote Evaluation Protocol (OFREP, open-feature/protocol) answered from Target:
 * `POST /ofrep/v1/evaluate/flags/{key}` and the bulk `POST /ofrep/v1/evaluate/flags` with an
 * ETag, as bodies and statuses; any HTTP server (mboxgen's emulator, or yours) puts them on the
 * wire. Flags resolve exactly as `TargetProvider` resolves them (same flag keys, context mapping
 * and resolution), so an OFREP provider and `TargetProvider` agree. OFREP asks for no type, so a
 * value is sent as Target has it and the provider checks the type.
 *
 * Outcomes: a value is 200 `{ key, value, reason, variant, metadata }`; no value for the visitor
 * is 200 `{ key, reason: "DEFAULT", metadata }` (OFREP's "code default": the provider uses the
 * caller's default; `DEFAULT` is OpenFeature's reason for it, beyond OFREP's listed reasons); an
 * unknown flag 404 `FLAG_NOT_FOUND`; a context without `targetingKey` 400 `TARGETING_KEY_MISSING`;
 * content that cannot be read as the flag (HTML, a value failing its schema) 400 `PARSE_ERROR`; a
 * failed Target call 500 (in a bulk answer, a `GENERAL` failure per flag).
 */
import { mboxSpecOf, type MboxSpec } from "@mboxgen/runtime";
import { FlagKeys } from "./flag-keys.js";
import { PageViews, type MboxOutcome, type PageViewClient } from "./page-views.js";
import { resolveFlag, type FlagResolution } from "./resolution.js";
import { targetCallOf, type VisitorIdField } from "./target-call.js";

/** An HTTP answer: status, JSON body (none for 304) and headers. */
export interface OfrepAnswer {
  status: number;
  body?: Record<string, unknown>;
  headers: Record<string, string>;
}

/** Options of `createOfrepService`. */
export interface OfrepServiceOptions {
  /** The Target client flags are decided with (display notifications are not sent: OFREP evaluations count no impressions). */
  client: PageViewClient;
  /** Generated descriptors or mbox names, as `TargetProvider` takes them. */
  mboxes?: ReadonlyArray<{ readonly mbox: string } | string> | undefined;
  /** As `TargetProvider`'s `defaultMbox`. */
  defaultMbox?: string | undefined;
  /** As `TargetProvider`'s `visitorId`. */
  visitorId?: VisitorIdField | undefined;
  /** Every flag key the bulk evaluation answers (default: each key of each descriptor's schema, and each descriptor's mbox). */
  flagKeys?: (() => readonly string[]) | undefined;
}

/** The OFREP endpoints' logic. */
export interface OfrepService {
  /** `POST /ofrep/v1/evaluate/flags/{key}` with `body`. */
  evaluateFlag(key: string, body: unknown): Promise<OfrepAnswer>;
  /** `POST /ofrep/v1/evaluate/flags` with `body` and the request's `If-None-Match`. */
  evaluateFlags(body: unknown, ifNoneMatch?: string | undefined): Promise<OfrepAnswer>;
}

const JSON_HEADERS = { "content-type": "application/json" };

// A 64-bit FNV-1a hash of the answer, as hex: the ETag of a bulk evaluation (web-standard code only).
function etagOf(text: string): string {
  let high = 0xcbf29ce4;
  let low = 0x84222325;
  for (let index = 0; index < text.length; index += 1) {
    low = (low ^ text.charCodeAt(index)) >>> 0;
    // Multiply the 64-bit (high, low) by FNV's prime 0x100000001b3.
    const lowProduct = low * 0x1b3;
    const carry = Math.floor(lowProduct / 0x100000000);
    high = (Math.imul(high, 0x1b3) + Math.imul(low, 0x100) + carry) >>> 0;
    low = lowProduct >>> 0;
  }
  return `"${high.toString(16).padStart(8, "0")}${low.toString(16).padStart(8, "0")}"`;
}

function contextOf(body: unknown): { context: Record<string, unknown> } | { failure: { errorCode: string; errorDetails: string } } {
  const context = (body as { context?: unknown } | null)?.context;
  if (typeof body !== "object" || body === null || typeof context !== "object" || context === null || Array.isArray(context)) {
    return { failure: { errorCode: "INVALID_CONTEXT", errorDetails: 'the request body must be a JSON object with a "context" object' } };
  }
  const targetingKey = (context as { targetingKey?: unknown }).targetingKey;
  if (typeof targetingKey !== "string" || targetingKey === "") {
    return { failure: { errorCode: "TARGETING_KEY_MISSING", errorDetails: 'the context has no "targetingKey": Target decides per visitor, and it names the visitor' } };
  }
  return { context: context as Record<string, unknown> };
}

/** One flag's OFREP item (a success or a failure) and the status a single evaluation answers with. */
function itemOf(key: string, resolution: FlagResolution<unknown>): { status: number; item: Record<string, unknown> } {
  const metadata = resolution.flagMetadata;
  switch (resolution.errorCode) {
    case undefined:
      return {
        status: 200,
        item: resolution.reason === "DEFAULT" && resolution.value === undefined ? { key, reason: "DEFAULT", metadata } : { key, value: resolution.value, reason: resolution.reason, ...(resolution.variant !== undefined ? { variant: resolution.variant } : {}), metadata },
      };
    case "FLAG_NOT_FOUND":
      return { status: 404, item: { key, errorCode: "FLAG_NOT_FOUND", errorDetails: resolution.errorMessage, metadata } };
    case "PARSE_ERROR":
    case "TYPE_MISMATCH":
      return { status: 400, item: { key, errorCode: "PARSE_ERROR", errorDetails: resolution.errorMessage, metadata } };
    default:
      return { status: 500, item: { key, errorCode: "GENERAL", errorDetails: resolution.errorMessage, metadata } };
  }
}

/**
 * The OFREP endpoints over a Target client.
 *
 * @example
 * ```ts
 * const ofrep = createOfrepService({ client, mboxes: [demoEngineeringFlags] });
 * const { status, body } = await ofrep.evaluateFlag("demo-engineering-flags.searchProviderId", { context: { targetingKey: "visitor-1" } });
 * ```
 */
export function createOfrepService(options: OfrepServiceOptions): OfrepService {
  const specs = new Map<string, MboxSpec<string>>();
  const names: string[] = [];
  for (const mbox of options.mboxes ?? []) {
    const spec = typeof mbox === "string" ? undefined : mboxSpecOf(mbox);
    if (spec) specs.set(spec.mbox, spec);
    names.push(typeof mbox === "string" ? mbox : mbox.mbox);
  }
  const flagKeys = new FlagKeys(names, options.defaultMbox);
  const listFlags = options.flagKeys ?? (() => [...specs.values()].flatMap((spec) => [spec.mbox, ...spec.attributes.map(([key]) => `${spec.mbox}.${key}`)]));

  // The keys each mbox's flags have, from the flag list, when one is given.
  const knownKeysOf = (mbox: string): ReadonlySet<string> | undefined => {
    if (!options.flagKeys) return undefined;
    const keys = new Set<string>();
    for (const flagKey of options.flagKeys()) {
      const address = flagKeys.resolve(flagKey);
      if (address.mbox === mbox && address.key !== undefined) keys.add(address.key);
    }
    return keys;
  };

  // Each request is a page view of its own (an object no other request has).
  const resolveAll = async (keys: readonly string[], context: Record<string, unknown>) => {
    const call = targetCallOf(context, options.visitorId);
    const requestScope = {};
    const addresses = keys.map((key) => flagKeys.resolve(key));
    const mboxes = [...new Set(addresses.map((address) => address.mbox))];
    const outcomes = new Map<string, Promise<MboxOutcome>>();
    // All mboxes of the request in one call: the first decide() fetches them together.
    const together = new PageViews({ client: options.client, prefetchTogether: mboxes, onNotificationError: () => undefined, notify: false });
    for (const mbox of mboxes) outcomes.set(mbox, together.decide(call, mbox, requestScope).outcome);
    const known = new Map(mboxes.map((mbox) => [mbox, knownKeysOf(mbox)]));
    return Promise.all(
      keys.map(async (key, index) => {
        const address = addresses[index]!;
        return resolveFlag({ flagKey: key, address, type: "any", defaultValue: undefined as unknown, spec: specs.get(address.mbox), knownKeys: known.get(address.mbox), decision: await outcomes.get(address.mbox)! });
      }),
    );
  };

  return {
    async evaluateFlag(key, body) {
      const read = contextOf(body);
      if ("failure" in read) return { status: 400, body: { key, ...read.failure }, headers: JSON_HEADERS };
      const [resolution] = await resolveAll([key], read.context);
      const { status, item } = itemOf(key, resolution!);
      if (status === 500) return { status, body: { errorDetails: item.errorDetails }, headers: JSON_HEADERS };
      return { status, body: item, headers: JSON_HEADERS };
    },
    async evaluateFlags(body, ifNoneMatch) {
      const read = contextOf(body);
      if ("failure" in read) return { status: 400, body: read.failure, headers: JSON_HEADERS };
      const keys = [...new Set(listFlags())];
      const resolutions = await resolveAll(keys, read.context);
      const answer = { flags: keys.map((key, index) => itemOf(key, resolutions[index]!).item) };
      const etag = etagOf(JSON.stringify(answer));
      if (ifNoneMatch !== undefined && ifNoneMatch.split(",").some((tag) => tag.trim() === etag)) return { status: 304, headers: { etag } };
      return { status: 200, body: answer, headers: { ...JSON_HEADERS, etag } };
    },
  };
}
