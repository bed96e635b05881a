/**
 * Browser and platform of a request for on-device rules (`user.browserType`, `user.browserVersion`,
 * `user.platform`), with the matchers of Adobe's target-tools, first match wins, client hints
 * filling in what the user agent does not say (TARGET-PROTOCOL.md §10.2).
 */
import type { Context } from "../delivery-api/delivery-types.js";

const UNKNOWN = "unknown";

type Matcher = [name: string, pattern: RegExp, versionGroup?: number];

const BROWSERS: Matcher[] = [
  ["Edge", /(edge|edgios|edga|edg)\/((\d+)?[\w.]+)/i, 2],
  ["Mobile Safari", /version\/([\w.]+).+?mobile\/\w+\s(safari)/i, 1],
  ["Safari", /version\/([\w.]+).+?(mobile\s?safari|safari)/i, 1],
  ["Chrome", /(chrome)\/v?([\w.]+)/i, 2],
  ["Firefox", /(firefox)\/([\w.-]+)$/i, 2],
  ["IE", /(?:ms|\()(ie)\s([\w.]+)/i, 2],
  ["IE", /(trident).+rv[:\s]([\w.]+).+like\sgecko/i, 2],
];

const CLIENT_HINT_BROWSERS: Matcher[] = [
  ["Chrome", /Chrome";v="([0-9.]+)"/i, 1],
  ["Edge", /Edge";v="([0-9.]+)"/i, 1],
  ["Safari", /Safari";v="([0-9.]+)"/i, 1],
  ["Firefox", /Firefox";v="([0-9.]+)"/i, 1],
];

const PLATFORMS: Matcher[] = [
  ["iOS", /iPhone|iPad|iPod/],
  ["Android", /Android [0-9.]+;/],
  ["Linux", / Linux /],
  ["Unix", /FreeBSD|OpenBSD|CrOS/],
  ["Windows", /[( ]Windows /],
  ["Mac OS", /Macintosh;/],
];

// Adobe's names for the platforms rules compare against.
const TARGET_PLATFORMS: Record<string, string> = { Windows: "windows", Macintosh: "mac", "Mac OS": "mac", macOS: "mac", Linux: "linux" };

/** A browser: its name and major version (-1 when unknown; NaN when the version is not a number, as Adobe's parseInt gives). */
interface Browser {
  name: string;
  version: number;
}

function matchBrowser(matchers: Matcher[], text: string): Browser {
  for (const [name, pattern, group] of matchers) {
    const matches = text.match(pattern);
    if (matches) {
      const version = (matches.length > group! ? matches[group!] : undefined) || "-1";
      return { name, version: parseInt(version.split(".")[0]!, 10) };
    }
  }
  return { name: UNKNOWN, version: -1 };
}

/** The `user` part of the rule context. */
export interface UserContext {
  browserType: string;
  platform: string;
  locale: string;
  browserVersion: number;
}

/** Browser type, version and platform from `context.userAgent` and `context.clientHints`. */
export function createUserContext(context: Context): UserContext {
  const userAgent = context.userAgent ?? "";
  const hints = context.clientHints ?? {};
  const fromAgent = matchBrowser(BROWSERS, userAgent);
  const fromHints = matchBrowser(CLIENT_HINT_BROWSERS, hints.browserUAWithFullVersion || hints.browserUAWithMajorVersion || "");
  let name = UNKNOWN;
  let version = -1;
  for (const browser of [fromAgent, fromHints]) {
    if (browser.name !== UNKNOWN) name = browser.name;
    if (browser.version >= 0) version = browser.version;
  }
  let platform: string = hints.platform !== undefined ? hints.platform : UNKNOWN;
  if (hints.platform === undefined) {
    for (const [platformName, pattern] of PLATFORMS) {
      if (pattern.test(userAgent)) {
        platform = platformName;
        break;
      }
    }
  }
  return { browserType: name.toLowerCase(), platform: Object.hasOwn(TARGET_PLATFORMS, platform) ? TARGET_PLATFORMS[platform]! : platform, locale: "en", browserVersion: version };
}
