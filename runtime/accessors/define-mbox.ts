/**
 * Support code of the modules `mboxgen generate` writes: typed, validated, defaulted accessors
 * over any attributes provider (mboxgen's or Adobe's). Validation itself is generated code, one
 * predicate per attribute; this file only applies it.
 */
import type { GetOffersOptions } from "../delivery-api/client-types.js";
import { setOwn } from "../platform/own-properties.js";
import { deliveryResponseProblem } from "../delivery-api/delivery-response.js";
import { isTargetError, TargetResponseError } from "../platform/errors.js";

/** Why an accessor returned its default (or `undefined`) instead of Target's value. */
export type FallbackReason = "missing" | "invalid" | "target-error";

/** What `onFallback` receives. */
export interface FallbackEvent {
  /** The mbox name. */
  mbox: string;
  /** The attribute key, as in the offer. */
  key: string;
  /** `missing`: Target sent no such key; `invalid`: the value fails the schema; `target-error`: the call failed. */
  reason: FallbackReason;
  /** Target's value when it was `invalid`, else `undefined`. */
  value: unknown;
  /** For `invalid`: what the schema requires, in words (`an integer ≥ 1 and ≤ 100`). */
  expected?: string;
  /** The error of the failed call, for `target-error`. */
  error?: unknown;
}

/**
 * Options of generated `fetch`, `from` and `getAttributes`: the runtime's getAttributes options
 * plus fallback handling.
 *
 * @example
 * ```ts
 * const flags = await demoEngineeringFlags.fetch(client, {
 *   request,
 *   onFallback: (event) => metrics.increment(`target.fallback.${event.reason}`),
 * });
 * ```
 */
export interface AccessorOptions extends GetOffersOptions, FallbackOptions {}

/** How accessors report and handle fallbacks: the options every `fetch`, `from` and `getAttributes` takes besides the client's. */
export interface FallbackOptions {
  /** Called once per attribute that falls back. Exceptions it throws are ignored: accessors never throw. */
  onFallback?: ((event: FallbackEvent) => void) | undefined;
  /** Reject instead of falling back when the Target call fails. Default `false`. */
  strict?: boolean | undefined;
}

/** The options a client's `getAttributes` takes (its second parameter): `GetOffersOptions` for mboxgen's Delivery API clients, `EdgeCallOptions` for the Edge Network client. */
export type ClientOptionsOf<Client> = Client extends { getAttributes(mboxNames: any, options?: infer Options): any } ? NonNullable<Options> : GetOffersOptions;

/**
 * Options of `fetch` and `getAttributes` over a given client: that client's call options plus
 * fallback handling.
 *
 * @example
 * ```ts
 * const hero = await heroBanner.fetch(edge, { cookies: request.headers.cookie, onFallback: console.warn });
 * ```
 */
export type AccessorOptionsFor<Client> = Omit<ClientOptionsOf<Client>, keyof FallbackOptions> & FallbackOptions;

/**
 * Anything with Adobe's `asObject(mbox)`: mboxgen's provider or `@adobe/target-nodejs-sdk`'s.
 * When it also has `getResponse()`, its `response` is checked to be a Delivery API response.
 */
export interface AttributesSource {
  asObject(mbox: string): Record<string, unknown>;
  getResponse?(): { response?: unknown };
}

/** Anything with Adobe's `getAttributes`: mboxgen's client or `@adobe/target-nodejs-sdk`'s. */
export interface AttributesClient {
  getAttributes(mboxNames: string[], options?: any): Promise<AttributesSource>;
}

/** One attribute of a generated descriptor: `[key, isValid, fallback?, accessorName?, expected?]`. */
export type AttributeSpec = readonly [
  key: string,
  isValid: (value: unknown) => boolean,
  fallback?: (() => unknown) | undefined,
  accessorName?: string | undefined,
  expected?: string | undefined,
];

/**
 * One attribute's value read from an offer, as every accessor reads it: Target's value when it is
 * present and passes the generated validator, else the default, with the reason it fell back.
 */
export interface AttributeResolution {
  /** The value the accessor returns. */
  value: unknown;
  /** Why Target's value was not used; absent when it was. */
  fallback?: FallbackReason;
  /** Target's value when it was `invalid`. */
  rejected?: unknown;
}

/** What a generated module passes to `defineMbox`. */
export interface MboxSpec<ExportName extends string> {
  mbox: string;
  exportName: ExportName;
  attributes: readonly AttributeSpec[];
}

type Present<Value> = Exclude<Value, undefined>;

/** The offer as `asObject()` returns it: defaults applied, so defaulted keys are present. */
export type WithDefaults<Offer, Defaulted extends keyof Offer> = Offer & { [K in Defaulted]-?: Present<Offer[K]> };

/** Members every accessors object has besides one method per attribute. */
export interface MboxAccessorsBase<Offer, Defaulted extends keyof Offer = never> {
  /** Every attribute with defaults applied, as a plain object; attributes without value are left out. */
  asObject(): WithDefaults<Offer, Defaulted>;
  /** Same as `asObject()`, so that `JSON.stringify(accessors)` gives the offer. */
  toJSON(): WithDefaults<Offer, Defaulted>;
  /** `undefined`, or the error of the Target call that made every attribute fall back. */
  readonly error: unknown;
}

/**
 * The accessors of an offer: one method per key (its JSDoc comes from the offer's interface),
 * returning `T` for keys with a default and `T | undefined` otherwise. Keys whose accessor name
 * differs from the key (`Renamed`) are declared by the generated interface instead.
 */
export type MboxAccessors<Offer, Defaulted extends keyof Offer = never, Renamed extends keyof Offer = never> = {
  readonly [K in keyof Pick<Offer, Exclude<keyof Offer, Renamed>>]-?: () => K extends Defaulted
    ? Present<Offer[K]>
    : Present<Offer[K]> | undefined;
} & MboxAccessorsBase<Offer, Defaulted>;

/** A generated mbox descriptor: its mbox name, export name, and how to get its accessors. */
export interface MboxDescriptor<ExportName extends string, Accessors> {
  /** The mbox name as Target knows it. */
  readonly mbox: string;
  /** The name the generated index exports it under; the key in `getAttributes` results. */
  readonly exportName: ExportName;
  /**
   * One Delivery API call for this mbox. Never rejects because of Target (timeout, HTTP error,
   * unreadable body): it resolves with defaults and sets `error`, unless `strict` is set.
   */
  fetch<Client extends AttributesClient>(client: Client, options?: AccessorOptionsFor<Client>): Promise<Accessors>;
  /** Accessors over a provider you already have (mboxgen's, Adobe's, or `propositionsProvider`'s). */
  from(provider: AttributesSource, options?: FallbackOptions): Accessors;
}

type AnyDescriptor = MboxDescriptor<string, unknown>;

/** The result of `getAttributes`: accessors keyed by each descriptor's export name. */
export type AccessorsByExportName<Descriptors extends readonly AnyDescriptor[]> = {
  [Descriptor in Descriptors[number] as Descriptor["exportName"]]: Descriptor extends MboxDescriptor<string, infer Accessors>
    ? Accessors
    : never;
};

const specsOfDescriptors = new WeakMap<object, MboxSpec<string>>();

function notify(onFallback: AccessorOptions["onFallback"], event: FallbackEvent): void {
  try {
    onFallback?.(event);
  } catch {
    // Documented: an accessor never throws, not even because of its hook.
  }
}

// The last line of defence behind generated code: a validator that fails (a value nested deeper
// than the stack, a getter that throws) rejects the value, it never throws out of an accessor.
function passes(isValid: AttributeSpec[1], value: unknown): boolean {
  try {
    return isValid(value) === true;
  } catch {
    return false;
  }
}

function fallbackValue(fallback: AttributeSpec[2]): unknown {
  try {
    return fallback?.();
  } catch {
    return undefined;
  }
}

/**
 * Reads one attribute from an offer (`undefined` when the Target call failed) exactly as generated
 * accessors do; never throws. For integrations that answer from descriptors, such as
 * `@mboxgen/openfeature`.
 *
 * @example
 * ```ts
 * const spec = mboxSpecOf(demoEngineeringFlags)!;
 * const attribute = spec.attributes.find(([key]) => key === "searchProviderId")!;
 * resolveAttribute(attribute, { searchProviderId: "x" }); // { value: 143, fallback: "invalid", rejected: "x" }
 * ```
 */
export function resolveAttribute(attribute: AttributeSpec, offer: Record<string, unknown> | undefined): AttributeResolution {
  const [key, isValid, fallback] = attribute;
  let present = false;
  let value: unknown;
  try {
    present = offer !== undefined && Object.hasOwn(offer, key);
    value = present ? offer![key] : undefined;
  } catch {
    // A getter of someone else's provider that throws: the value cannot be read.
    present = false;
  }
  if (present && passes(isValid, value)) return { value };
  if (offer === undefined) return { value: fallbackValue(fallback), fallback: "target-error" };
  return present ? { value: fallbackValue(fallback), fallback: "invalid", rejected: value } : { value: fallbackValue(fallback), fallback: "missing" };
}

function createAccessors(spec: MboxSpec<string>, values: Record<string, unknown>, error: unknown, onFallback: AccessorOptions["onFallback"]): unknown {
  const resolved = new Map<string, unknown>();
  const resolve = (attribute: AttributeSpec): unknown => {
    const key = attribute[0];
    if (resolved.has(key)) return resolved.get(key);
    const resolution = resolveAttribute(attribute, error === undefined ? values : undefined);
    if (resolution.fallback !== undefined) {
      const expected = resolution.fallback === "invalid" && attribute[4] !== undefined ? { expected: attribute[4] } : {};
      notify(onFallback, { mbox: spec.mbox, key, reason: resolution.fallback, value: resolution.rejected, ...expected, ...(error === undefined ? {} : { error }) });
    }
    resolved.set(key, resolution.value);
    return resolution.value;
  };
  const asObject = (): Record<string, unknown> => {
    const offer: Record<string, unknown> = {};
    for (const attribute of spec.attributes) {
      const value = resolve(attribute);
      // setOwn: a key named `__proto__` must stay data.
      if (value !== undefined) setOwn(offer, attribute[0], value);
    }
    return offer;
  };
  const accessors: Record<string, unknown> = {};
  for (const attribute of spec.attributes) {
    Object.defineProperty(accessors, attribute[3] ?? attribute[0], { value: () => resolve(attribute) });
  }
  Object.defineProperty(accessors, "asObject", { value: asObject });
  Object.defineProperty(accessors, "toJSON", { value: asObject });
  Object.defineProperty(accessors, "error", { value: error, enumerable: true });
  return accessors;
}

/**
 * The spec a generated descriptor was defined with (its mbox name, export name and attributes,
 * with their validators, defaults and expectations), or `undefined` for anything else. For
 * integrations that answer from descriptors, such as `@mboxgen/openfeature`.
 *
 * @example
 * ```ts
 * mboxSpecOf(demoEngineeringFlags)?.attributes.map(([key]) => key); // ["cdnHostname", "searchProviderId", …]
 * ```
 */
export function mboxSpecOf(descriptor: unknown): MboxSpec<string> | undefined {
  return typeof descriptor === "object" && descriptor !== null ? specsOfDescriptors.get(descriptor) : undefined;
}

function specOf(descriptor: unknown): MboxSpec<string> {
  const spec = mboxSpecOf(descriptor);
  if (!spec) throw new TypeError("mboxgen: expected a descriptor from a generated module (created by defineMbox)");
  return spec;
}

function assertClient(client: unknown): asserts client is AttributesClient {
  if (typeof (client as AttributesClient | undefined)?.getAttributes !== "function") {
    throw new TypeError("mboxgen: expected a Target client with getAttributes (createTargetClient() or Adobe's TargetClient.create())");
  }
}

// Only mboxgen's own checks before the call are programming errors and still throw. Anything
// else the client throws or rejects with, over any client, is the Target call failing: Adobe's
// client rejects with a TypeError for a truncated body (undici's "terminated"), for example.
function isProgrammingError(error: unknown): boolean {
  return isTargetError(error) && (error.kind === "validation" || error.kind === "unsupported");
}

// A provider over a 2xx whose body was not a Delivery API response (Adobe's client resolves
// with one, an empty 204 too): the call failed, it did not deliver "no offers".
function responseErrorOf(provider: AttributesSource): TargetResponseError | undefined {
  if (typeof provider.getResponse !== "function") return undefined;
  const problem = deliveryResponseProblem(provider.getResponse()?.response);
  return problem === undefined ? undefined : new TargetResponseError(undefined, undefined, problem);
}

// A provider's offer for one mbox; a provider that throws (someone else's) is a failed Target read.
function offerOf(provider: AttributesSource, mbox: string): { values: Record<string, unknown>; error: unknown } {
  try {
    const values = provider.asObject(mbox);
    return typeof values === "object" && values !== null ? { values, error: undefined } : { values: {}, error: undefined };
  } catch (caught) {
    return { values: {}, error: caught ?? new Error("the attributes provider failed") };
  }
}

function clientOptionsOf(options: FallbackOptions | undefined): unknown {
  if (!options) return undefined;
  const { onFallback: _onFallback, strict: _strict, ...clientOptions } = options;
  return clientOptions;
}

/**
 * Makes the accessors of several descriptors with one Delivery API call. Resolves to an object
 * keyed by export name; never rejects because of Target unless `strict` is set.
 *
 * @example
 * ```ts
 * const all = await getTypedAttributes(client, [demoEngineeringFlags, heroBanner], { request });
 * all.heroBanner.cta().label;
 * ```
 */
export async function getTypedAttributes<const Descriptors extends readonly AnyDescriptor[], Client extends AttributesClient = AttributesClient>(
  client: Client,
  descriptors: Descriptors,
  options?: AccessorOptionsFor<Client>,
): Promise<AccessorsByExportName<Descriptors>> {
  assertClient(client);
  const specs = descriptors.map(specOf);
  const mboxNames = [...new Set(specs.map((spec) => spec.mbox))];
  let provider: AttributesSource | undefined;
  let error: unknown;
  try {
    provider = await client.getAttributes(mboxNames, clientOptionsOf(options));
    const responseError = responseErrorOf(provider);
    if (responseError) {
      provider = undefined;
      throw responseError;
    }
  } catch (caught) {
    if (options?.strict || isProgrammingError(caught)) throw caught;
    error = caught ?? new Error("Target call failed");
  }
  const result: Record<string, unknown> = {};
  for (const spec of specs) {
    const { values, error: readError } = provider ? offerOf(provider, spec.mbox) : { values: {}, error: undefined };
    result[spec.exportName] = createAccessors(spec, values, error ?? readError, options?.onFallback);
  }
  return result as AccessorsByExportName<Descriptors>;
}

/**
 * Creates the descriptor of one mbox. Called by generated modules; the attribute specs carry the
 * generated validators and defaults.
 */
export function defineMbox<ExportName extends string, Accessors>(spec: MboxSpec<ExportName>): MboxDescriptor<ExportName, Accessors> {
  const descriptor: MboxDescriptor<ExportName, Accessors> = {
    mbox: spec.mbox,
    exportName: spec.exportName,
    async fetch(client, options) {
      const all = await getTypedAttributes(client, [descriptor], options);
      return (all as Record<string, Accessors>)[spec.exportName]!;
    },
    from(provider, options) {
      if (typeof provider?.asObject !== "function") {
        throw new TypeError("mboxgen: expected an attributes provider with asObject(mbox)");
      }
      const { values, error } = offerOf(provider, spec.mbox);
      return createAccessors(spec, values, error, options?.onFallback) as Accessors;
    },
  };
  // Frozen: integrations read it through mboxSpecOf and must not change what accessors check.
  specsOfDescriptors.set(descriptor, Object.freeze({ ...spec, attributes: Object.freeze([...spec.attributes]) }));
  return Object.freeze(descriptor);
}
