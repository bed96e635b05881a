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
): Promise<Result> {
  const controller = new AbortController();
  let timedOut = false;
  const timer = setTimeout(() => {
    timedOut = true;
    controller.abort();
  }, options.timeout);
  const deadline = Date.now() + options.timeout;
  const timeoutError = (): TargetTimeoutError => new TargetTimeoutError(method, url, options.timeout);
  const init: FetchInit = body === undefined ? { method, headers, signal: controller.signal } : { method, headers, body, signal: controller.signal };

  try {
    for (let attempt = 0; ; attempt += 1) {
      const canRetry = attempt < options.retries;
      const backoff = Math.random() * options.retryDelay * 2 ** attempt;
      let response: FetchResponse;
      try {
        response = await options.fetch(url, init);
      } catch (error) {
        if (timedOut) throw timeoutError();
        if (!canRetry || Date.now() + backoff >= deadline) throw new TargetNetworkError(method, url, error);
        await sleep(backoff);
        continue;
      }

      if ((response.status >= 200 && response.status < 300) || response.status === 304) return await read(response, () => timedOut);

      const retryAfter = parseRetryAfter(response.headers.get("retry-after"));
      const delay = retryAfter ?? backoff;
      if (canRetry && isRetryableStatus(response.status) && Date.now() + delay < deadline) {
        await response.body?.cancel().catch(() => undefined);
        await sleep(delay);
        continue;
      }
      const errorBody = await readErrorBody(response);
      if (timedOut) throw timeoutError();
      throw new TargetHttpError(method, url, response.status, response.statusText, errorBody);
    }
  } finally {
    clearTimeout(timer);
  }
}

/** POSTs a JSON body and resolves with the parsed JSON response (`undefined` for an empty 2xx such as 204). */
export function postJson(url: string, headers: Record<string, string>, body: string, options: PostJsonOptions): Promise<unknown> {
  return fetchWithRetries(METHOD, url, headers, body, options, async (response, timedOut) => {
    let text: string;
    try {
      text = await response.text();
    } catch (error) {
      if (timedOut()) throw new TargetTimeoutError(METHOD, url, options.timeout);
      throw new TargetResponseError(METHOD, url, "the body could not be read", error);
    }
    if (text.trim() === "") return undefined;
    try {
      return JSON.parse(text) as unknown;
    } catch (error) {
      throw new TargetResponseError(METHOD, url, `the body is not JSON (${text.slice(0, 80)})`, error);
    }
  });
}
