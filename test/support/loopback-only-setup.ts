/**
 * Setup file of every test worker: tests reach nothing beyond loopback. The global `fetch` refuses
 * any other host (as a failed fetch, a TypeError, so the code under test sees a network failure)
 * and the test that tried fails, naming the URL. Child processes are held to loopback by what they
 * are given (their servers' addresses).
 */
import { afterEach } from "vitest";

const LOOPBACK = new Set(["127.0.0.1", "localhost", "[::1]"]);
const realFetch = globalThis.fetch;
const reached: string[] = [];

globalThis.fetch = (input: Parameters<typeof fetch>[0], init?: Parameters<typeof fetch>[1]) => {
  const url = new URL(typeof input === "string" ? input : input instanceof URL ? input.href : input.url);
  if ((url.protocol === "http:" || url.protocol === "https:") && !LOOPBACK.has(url.hostname)) {
    reached.push(url.href);
    return Promise.reject(new TypeError("fetch failed", { cause: new Error(`the test suite allows loopback only, not ${url.host}`) }));
  }
  return realFetch(input, init);
};

/** The URLs refused since the last call, cleared: for the test that proves the refusal. */
export function takeRefused(): string[] {
  return reached.splice(0);
}

afterEach(() => {
  const urls = reached.splice(0);
  if (urls.length > 0) throw new Error(`the test tried to reach beyond loopback: ${[...new Set(urls)].join(", ")}`);
});
