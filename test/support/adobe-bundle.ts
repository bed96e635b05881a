/**
 * Oracles for unit-level differential tests: functions copied out of the dist bundle of
 * @adobe/target-nodejs-sdk 2.4.3 (what it really runs, which differs from the separately installed
 * @adobe/target-tools: an older parse-uri and Public Suffix List), evaluated in a VM context.
 * Whole-SDK behaviour is compared through its public API in test/on-device/.
 */
import { readFileSync } from "node:fs";
import { createRequire } from "node:module";
import { createContext, runInContext } from "node:vm";

const require = createRequire(import.meta.url);

/** Domain parts as Adobe's `parseDomainPsl` returns them. */
export interface AdobeDomainParts {
  subdomain: string;
  domain: string;
  topLevelDomain: string;
}

/** The bundled functions the tests compare with. */
export interface AdobeBundle {
  parseDomainPsl(host: string): AdobeDomainParts;
  parseURI(url: string): Record<string, string> | undefined;
  hashUnencodedChars(text: string): number;
  browserFromUserAgentOrClientHintUA(userAgent?: string, clientHints?: object): { name: string; version: number };
  operatingSystemFromUserAgentOrClientHints(userAgent: string, clientHints?: object): string;
}

function slice(source: string, start: string, end: string): string {
  const from = source.indexOf(start);
  const to = source.indexOf(end, from + start.length);
  if (from === -1 || to === -1) throw new Error(`the SDK bundle changed: ${start} … ${end} not found`);
  return source.slice(from, to);
}

let bundle: AdobeBundle | undefined;

/** Loads the oracles once. */
export function adobeBundle(): AdobeBundle {
  if (bundle) return bundle;
  const source = readFileSync(require.resolve("@adobe/target-nodejs-sdk"), "utf8");
  const code = [
    "const UNKNOWN = 'unknown';",
    "const isDefined = (value) => typeof value !== 'undefined';",
    "const reduce = (fn, initial, list) => list.reduce(fn, initial);",
    "function createCommonjsModule(fn, module) { return module = { exports: {} }, fn(module, module.exports), module.exports; }",
    "function getCjsExportFromNamespace(n) { return n && n['default'] || n; }",
    slice(source, "var src = (str, opts = {}) => {", "\nvar rules = ["),
    slice(source, "var rules = [", "// eslint-disable-next-line es/no-typed-arrays"),
    slice(source, "const withVersion = (matcher, matches) => {", "/* eslint-disable no-bitwise */\n\nfunction mul32"),
    slice(source, "function mul32(m, n) {", "\nconst hashUnencodedChars = memoize("),
    "({ parseDomainPsl, parseURI: src, hashUnencodedChars: hashUnencodedCharsRaw, browserFromUserAgentOrClientHintUA, operatingSystemFromUserAgentOrClientHints })",
  ].join("\n");
  const context = createContext({ punycode: require("node:punycode") });
  bundle = runInContext(code, context) as AdobeBundle;
  return bundle;
}
