/**
 * Target's `mbox` cookie in the browser, kept as Adobe's at.js keeps it: first-party, `path=/`,
 * for as long as Target's response says (its `PC` entry, the visitor's tntId, lives two years; its
 * `session` entry thirty minutes), so that a visitor keeps its experience across page loads. The
 * value is the one Target's response carries (`envelope.targetCookie`), read back as the call's
 * `targetCookie`.
 */

/** Where the cookie is kept; `false` keeps none. */
export interface MboxCookieOptions {
  /** Default `"mbox"`, as at.js. */
  name?: string | undefined;
  /** Default: the page's host (at.js uses the top-level registrable domain; set it to share the visitor across subdomains). */
  domain?: string | undefined;
  /** Default `"/"`. */
  path?: string | undefined;
  /** Default `"Lax"`. */
  sameSite?: "Lax" | "Strict" | "None" | undefined;
  /** Default: on for `https:` pages. */
  secure?: boolean | undefined;
}

/** The document the cookie lives in (the page's, when there is one). */
interface CookieDocument {
  cookie: string;
  location?: { protocol?: string };
}

function cookieDocument(): CookieDocument | undefined {
  const candidate = (globalThis as { document?: CookieDocument }).document;
  return candidate && typeof candidate.cookie === "string" ? candidate : undefined;
}

/** The `mbox` cookie's value, or `undefined` (no document, no cookie, or a malformed one). */
export function readMboxCookie(options: MboxCookieOptions = {}): string | undefined {
  const page = cookieDocument();
  if (!page) return undefined;
  const name = options.name ?? "mbox";
  for (const part of page.cookie.split(";")) {
    const separator = part.indexOf("=");
    if (separator === -1 || part.slice(0, separator).trim() !== name) continue;
    try {
      return decodeURIComponent(part.slice(separator + 1).trim());
    } catch {
      return undefined;
    }
  }
  return undefined;
}

/** Keeps Target's cookie for `maxAge` seconds. */
export function writeMboxCookie(cookie: { value: string; maxAge: number }, options: MboxCookieOptions = {}): void {
  const page = cookieDocument();
  if (!page || !Number.isFinite(cookie.maxAge)) return;
  const secure = options.secure ?? page.location?.protocol === "https:";
  const attributes = [
    `${options.name ?? "mbox"}=${encodeURIComponent(cookie.value)}`,
    `Max-Age=${Math.max(0, Math.floor(cookie.maxAge))}`,
    `Path=${options.path ?? "/"}`,
    ...(options.domain ? [`Domain=${options.domain}`] : []),
    `SameSite=${options.sameSite ?? "Lax"}`,
    ...(secure ? ["Secure"] : []),
  ];
  page.cookie = attributes.join("; ");
}
