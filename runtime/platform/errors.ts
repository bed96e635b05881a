/**
 * Typed errors of the runtime. Adobe's SDK rejects with plain `Error`s whose message is a status
 * text or an undici message (TARGET-PROTOCOL.md §3.4); these keep that information and add what a
 * caller needs to react: status, body, method and URL, cause. ky's error classes are the model.
 *
 * The guards (`isTargetError`, ...) check a brand registered with `Symbol.for`, which every realm
 * of one agent shares, so they also work for errors thrown inside an Edge VM or an iframe.
 */

const TARGET_ERROR_BRAND = Symbol.for("mboxgen.TargetError");

/** What kind of failure a `TargetError` stands for. */
export type TargetErrorKind = "http" | "timeout" | "network" | "response" | "validation" | "unsupported" | "not-ready" | "artifact";

/**
 * Base class of every error the runtime throws or rejects with.
 *
 * @example
 * ```ts
 * try {
 *   await client.getAttributes(["hero-banner"]);
 * } catch (error) {
 *   if (isTargetError(error)) console.warn(error.kind, error.message);
 * }
 * ```
 */
export class TargetError extends Error {
  /** The failure kind, stable for `switch` statements and logs. */
  readonly kind: TargetErrorKind;
  /** HTTP method of the failed call, when there was one. */
  readonly method: string | undefined;
  /** URL of the failed call, when there was one. */
  readonly url: string | undefined;

  constructor(kind: TargetErrorKind, message: string, method?: string, url?: string, cause?: unknown) {
    super(method ? `${method} ${url} ${message}` : message, cause === undefined ? undefined : { cause });
    // Set by hand: minifiers rename classes, and `name` is what logs and guards show.
    this.name = `Target${kind[0]!.toUpperCase()}${kind.slice(1)}Error`;
    this.kind = kind;
    this.method = method;
    this.url = url;
    Object.defineProperty(this, TARGET_ERROR_BRAND, { value: kind });
  }
}

/** The Delivery API or the Edge Network answered with a status outside 200-299 (after any retries). */
export class TargetHttpError extends TargetError {
  /** HTTP status code, e.g. 400. */
  readonly status: number;
  /** HTTP status text, e.g. "Bad Request" (Adobe's SDK rejects with just this text). */
  readonly statusText: string;
  /** The response body: parsed JSON when it was JSON (Target sends `{status, message}`, the Edge Network `{type, status, title, detail}`), else text. */
  readonly body: unknown;

  constructor(method: string, url: string, status: number, statusText: string, body: unknown) {
    // Target's `{status, message}`; the Edge Network's RFC 7807 `{type, title, detail}`.
    const problem = body as { message?: unknown; detail?: unknown; title?: unknown } | null;
    const detail = problem?.message ?? problem?.detail ?? problem?.title;
    super("http", `failed with HTTP ${status} ${statusText}${detail === undefined ? "" : `: ${String(detail)}`}`, method, url);
    this.status = status;
    this.statusText = statusText;
    this.body = body;
  }
}

/** The call did not complete within the client's `timeout`; the request in flight was aborted. */
export class TargetTimeoutError extends TargetError {
  /** The timeout that elapsed, in milliseconds. */
  readonly timeout: number;

  constructor(method: string, url: string, timeout: number) {
    super("timeout", `timed out after ${timeout} ms`, method, url);
    this.timeout = timeout;
  }
}

/** The request never got a response: DNS, refused or reset connection, TLS. `cause` holds fetch's error. */
export class TargetNetworkError extends TargetError {
  constructor(method: string, url: string, cause: unknown) {
    super("network", `failed: ${(cause as Error | undefined)?.message ?? String(cause)}`, method, url, cause);
  }
}

/**
 * A 2xx response whose body could not be read as a Delivery API response. `cause` holds the parse
 * error. Generated accessors also make one, without method and URL, for a client that resolved
 * with a response that is not a Delivery API response.
 */
export class TargetResponseError extends TargetError {
  constructor(method: string | undefined, url: string | undefined, reason: string, cause?: unknown) {
    super("response", `${method ? "" : "Target "}returned an unreadable response: ${reason}`, method, url, cause);
  }
}

/**
 * Bad arguments or options. The message is Adobe's own text where Adobe has one
 * (`Options map is required`, `Client is required`, ...; TARGET-PROTOCOL.md §2.5).
 */
export class TargetValidationError extends TargetError {
  constructor(message: string) {
    super("validation", message);
  }
}

/** An option that Adobe's SDK supports and mboxgen's runtime does not (yet), such as on-device decisioning. */
export class TargetUnsupportedError extends TargetError {
  constructor(message: string) {
    super("unsupported", message);
  }
}

/**
 * On-device decisioning was asked for before a usable artifact arrived (Adobe's message:
 * "Unable to fulfill request; decisioning engine not ready."). Hybrid calls go to the Delivery
 * API instead. Exported by `@mboxgen/runtime/on-device`.
 */
export class TargetNotReadyError extends TargetError {
  constructor(message: string, cause?: unknown) {
    super("not-ready", message, undefined, undefined, cause);
    this.name = "TargetNotReadyError";
  }
}

/**
 * The rules artifact could not be used: download failed, not JSON, not an artifact, an
 * unsupported major version, a `.bin` file with a bad header. `url` is where it came from.
 * Exported by `@mboxgen/runtime/on-device`.
 */
export class TargetArtifactError extends TargetError {
  constructor(url: string | undefined, reason: string, cause?: unknown) {
    super("artifact", `${url ? `the artifact ${url}` : "the artifact"} ${reason}`, undefined, url, cause);
  }
}

function brandOf(value: unknown): TargetErrorKind | undefined {
  return (value as { [TARGET_ERROR_BRAND]?: TargetErrorKind } | null)?.[TARGET_ERROR_BRAND];
}

function guardFor<Guarded extends TargetError>(kind: TargetErrorKind): (value: unknown) => value is Guarded {
  return (value): value is Guarded => brandOf(value) === kind;
}

/** True for any runtime error, from this realm or another. */
export function isTargetError(value: unknown): value is TargetError {
  return brandOf(value) !== undefined;
}

/** True for an HTTP status error, from this realm or another. */
export const isTargetHttpError = /*#__PURE__*/ guardFor<TargetHttpError>("http");

/** True for a timeout, from this realm or another. */
export const isTargetTimeoutError = /*#__PURE__*/ guardFor<TargetTimeoutError>("timeout");

/** True for a network failure, from this realm or another. */
export const isTargetNetworkError = /*#__PURE__*/ guardFor<TargetNetworkError>("network");

/** True for an unreadable 2xx response, from this realm or another. */
export const isTargetResponseError = /*#__PURE__*/ guardFor<TargetResponseError>("response");
