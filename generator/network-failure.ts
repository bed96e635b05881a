/**
 * A failed request in words, for `sample` and `infer`: the cause behind fetch's "fetch failed"
 * (refused, DNS, TLS, reset, timeout), named once, with advice that fits it.
 */

/** What went wrong and what to try. */
export interface NetworkFailure {
  reason: string;
  fix: string;
}

const TLS_CODE = /^(ERR_TLS_|ERR_SSL_|CERT_|UNABLE_TO_|DEPTH_ZERO_|SELF_SIGNED_|EPROTO$|HOSTNAME_MISMATCH|ERR_CERT)/;

interface ErrorLike {
  name?: unknown;
  code?: unknown;
  message?: unknown;
  cause?: unknown;
  kind?: unknown;
  status?: unknown;
  statusText?: unknown;
  timeout?: unknown;
}

function chainOf(error: unknown): ErrorLike[] {
  const chain: ErrorLike[] = [];
  for (let current = error; typeof current === "object" && current !== null && chain.length < 8; current = (current as ErrorLike).cause) {
    chain.push(current as ErrorLike);
  }
  return chain;
}

/**
 * Describes a failed request to `url`. Knows undici's errors (the code sits on `cause`),
 * mboxgen's runtime errors (`kind`), and aborts by timeout. `flags` names the options that
 * choose the host, for the advice.
 */
export function describeNetworkFailure(error: unknown, url: string, flags: { host: string; timeout: string }): NetworkFailure {
  const chain = chainOf(error);
  const host = (() => {
    try {
      return new URL(url).host;
    } catch {
      return url;
    }
  })();
  const first = chain[0];
  if (first?.kind === "http") {
    const status = Number(first.status);
    return {
      reason: String(first.message ?? "").replace(/^\S+ \S+ failed with /, ""),
      fix: status === 429 || status >= 500 ? "the server failed (mboxgen retried); try again later" : `check ${flags.host}: the server refused the request`,
    };
  }
  if (chain.some((link) => link.kind === "timeout" || link.name === "TimeoutError")) {
    const timeout = chain.find((link) => typeof link.timeout === "number")?.timeout;
    return { reason: `no answer${timeout === undefined ? "" : ` within ${String(timeout)} ms`}`, fix: `raise ${flags.timeout}, or check that ${host} answers` };
  }
  const code = chain.map((link) => link.code).find((value): value is string => typeof value === "string");
  if (code === "ECONNREFUSED") return { reason: `connection refused by ${host} (nothing listens there)`, fix: `check ${flags.host} and the port, or start the server` };
  if (code === "ENOTFOUND" || code === "EAI_AGAIN") return { reason: `DNS lookup of ${host.replace(/:\d+$/, "")} failed (${code})`, fix: `check the host name (${flags.host}) and your network` };
  if (code !== undefined && TLS_CODE.test(code)) {
    return { reason: `TLS failed (${code})`, fix: "for a plain-http server, such as mboxgen emulate, pass --no-secure; otherwise check the server's certificate" };
  }
  if (code === "ECONNRESET" || code === "UND_ERR_SOCKET" || code === "EPIPE") {
    return { reason: `the connection was closed before an answer (${code})`, fix: `check that ${host} speaks HTTP${url.startsWith("https:") ? "S" : ""}, and try again` };
  }
  if (code === "EHOSTUNREACH" || code === "ENETUNREACH") return { reason: `${host} is unreachable (${code})`, fix: "check your network" };
  const deepest = chain.at(-1);
  const message = typeof deepest?.message === "string" && deepest.message !== "" ? deepest.message : String(error);
  return { reason: code === undefined ? message : `${message} (${code})`, fix: `check ${flags.host} and your network` };
}
