import {
  TargetHttpError,
  TargetNetworkError,
  TargetResponseError,
  TargetTimeoutError,
} from "./errors.js";

/** What the runtime reads of a fetch response: the global `Response` and node-fetch's both fit. */
export interface FetchResponse {
  status: number;
  statusText: string;
  headers: { get(name: string): string | null };
  text(): Promise<string>;
  /** Read for `.bin` rules artifacts by the on-device client. */
  arrayBuffer?(): Promise<ArrayBuffer>;
  body?: { cancel(): Promise<void> } | null;
}

/** What the runtime passes to fetch. `signal` is an `AbortSignal`, typed loosely so no DOM types are needed. */
export interface FetchInit {
  method: string;
  headers: Record<string, string>;
  /** The JSON body of a POST; none for the on-device client's GETs (artifact, geo). */
  body?: string;
  signal: any;
}

/**
 * The `fetch` signature the runtime needs: the global one, undici's, node-fetch, or any
 * WHATWG-compatible one. Declared structurally, so the runtime's types need no DOM or Node typings.
 */
export type FetchFunction = (input: string, init: FetchInit) => Promise<FetchResponse>;

/** How one Delivery API call is made. */
export interface PostJsonOptions {
  fetch: FetchFunction;
  /** One budget for the whole call, retries and backoff included. */
  timeout: number;
  /** Retries after the first attempt, for network errors, 429 and 5xx only. */
  retries: number;
  /** Upper bound of the first backoff in ms; doubles per retry, full jitter. */
  retryDelay: number;
}

const METHOD = "POST";

/** Whether a status is worth another attempt: 429 and 5xx. */
function isRetryableStatus(status: number): boolean {
  return status === 429 || status >= 500;
}

/** Milliseconds a `Retry-After` header asks for, or `undefined` when absent or unreadable. */
function parseRetryAfter(header: string | null): number | undefined {
  if (!header) return undefined;
  const seconds = Number(header);
  if (Number.isFinite(seconds)) return Math.max(0, seconds * 1000);
  const date = Date.parse(header);
  return Number.isNaN(date) ? undefined : Math.max(0, date - Date.now());
}

// Backoff is only ever started when it ends before the deadline, so it needs no abort handling.
function sleep(milliseconds: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, milliseconds));
}

async function readErrorBody(response: FetchResponse): Promise<unknown> {
  try {
    const text = await response.text();
    try {
      return JSON.parse(text) as unknown;
    } catch {
      return text;
    }
  } catch {
    return undefined;
  }
}

/**
 * One timeout for one or more requests started together: they share the deadline, the abort
 * signal and the timer. Sharing matters on hot paths: an AbortController costs microseconds in
 * Node and is kept until a full garbage collection, and the on-device client starts one
 * notification request per decided call.
 */
export interface TimeoutScope {
  /** An AbortController (typed structurally: the runtime's types need no DOM or Node typings), aborted when the timeout ends. */
  readonly controller: { readonly signal: { readonly aborted: boolean }; abort(): void };
  /** When the timeout ends, in `Date.now()` milliseconds. */
  readonly deadline: number;
  /** The timeout in milliseconds, for error messages. */
  readonly timeout: number;
  /** The timer that aborts (a number or a Node Timeout object). */
  readonly timer: unknown;
  /** How many timeouts the controller has served, this one included. */
  readonly uses: number;
}

// Controllers whose requests all settled without an abort, each with how often it was handed out:
// the next timeout takes one instead of a new AbortController. A fetch may keep its abort
// listener until garbage collection (undici does), so a controller serves at most
// MAX_CONTROLLER_USES requests: never more listeners than EventTarget's leak warning allows.
const idleControllers: Array<[TimeoutScope["controller"], number]> = [];
const MAX_CONTROLLER_USES = 8;

/** Starts a timeout of `timeout` milliseconds for the requests about to be made; `endTimeout` ends it. */
export function startTimeout(timeout: number): TimeoutScope {
  const [controller, used] = idleControllers.pop() ?? [new AbortController(), 0];
  return { controller, deadline: Date.now() + timeout, timeout, timer: setTimeout(() => controller.abort(), timeout), uses: used + 1 };
}

/** Ends a timeout once every request of its scope has settled. */
export function endTimeout(scope: TimeoutScope): void {
  clearTimeout(scope.timer as ReturnType<typeof setTimeout>);
  if (!scope.controller.signal.aborted && scope.uses < MAX_CONTROLLER_USES && idleControllers.length < 16) idleControllers.push([scope.controller, scope.uses]);
}

/**
 * Sends a request and hands a 2xx (or 304) response to `read` while the timeout still runs.
 *
 * Deliberately unlike Adobe's SDK (TARGET-PROTOCOL.md §8, README "Differences"): only network
 * errors, 429 and 5xx are retried, at most `retries` times with jittered exponential backoff that
 * honours `Retry-After`; the single `timeout` covers every attempt and the body, and aborts the one
 * in flight, so nothing keeps running after the promise settles. Rejects only with `TargetError`
 * subclasses (and what `read` throws).
 */
export async function fetchWithRetries<Result>(
  method: string,
  url: string,
  headers: Record<string, string>,
  body: string | undefined,
  options: PostJsonOptions,
  read: (response: FetchResponse, timedOut: () => boolean) => Promise<Result>,
  sharedTimeout?: TimeoutScope,
): Promise<Result> {
  // A request of its own has a timeout of its own; one of a group uses the group's.
  const scope = sharedTimeout ?? startTimeout(options.timeout);
  const { deadline, controller } = scope;
  const timedOut = () => controller.signal.aborted;
  const timeoutError = (): TargetTimeoutError => new TargetTimeoutError(method, url, scope.timeout);
  const init: FetchInit = body === undefined ? { method, headers, signal: controller.signal } : { method, headers, body, signal: controller.signal };

  try {
    for (let attempt = 0; ; attempt += 1) {
      const canRetry = attempt < options.retries;
      const backoff = Math.random() * options.retryDelay * 2 ** attempt;
      let response: FetchResponse;
      try {
        response = await options.fetch(url, init);
      } catch (error) {
        if (timedOut()) throw timeoutError();
        if (!canRetry || Date.now() + backoff >= deadline) throw new TargetNetworkError(method, url, error);
        await sleep(backoff);
        continue;
      }

      if ((response.status >= 200 && response.status < 300) || response.status === 304) return await read(response, timedOut);

      const retryAfter = parseRetryAfter(response.headers.get("retry-after"));
      const delay = retryAfter ?? backoff;
      if (canRetry && isRetryableStatus(response.status) && Date.now() + delay < deadline) {
        await response.body?.cancel().catch(() => undefined);
        await sleep(delay);
        continue;
      }
      const errorBody = await readErrorBody(response);
      if (timedOut()) throw timeoutError();
      throw new TargetHttpError(method, url, response.status, response.statusText, errorBody);
    }
  } finally {
    if (!sharedTimeout) endTimeout(scope);
  }
}

/**
 * POSTs a JSON body and resolves with the parsed JSON response (`undefined` for an empty 2xx such
 * as 204). `sharedTimeout`, when given, is the timeout of a group of requests started together.
 */
export function postJson(url: string, headers: Record<string, string>, body: string, options: PostJsonOptions, sharedTimeout?: TimeoutScope): Promise<unknown> {
  return fetchWithRetries(METHOD, url, headers, body, options, async (response, timedOut) => {
    let text: string;
    try {
      text = await response.text();
    } catch (error) {
      if (timedOut()) throw new TargetTimeoutError(METHOD, url, sharedTimeout?.timeout ?? options.timeout);
      throw new TargetResponseError(METHOD, url, "the body could not be read", error);
    }
    if (text.trim() === "") return undefined;
    try {
      return JSON.parse(text) as unknown;
    } catch (error) {
      throw new TargetResponseError(METHOD, url, `the body is not JSON (${text.slice(0, 80)})`, error);
    }
  }, sharedTimeout);
}
