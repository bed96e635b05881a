/**
 * The parts of on-device decisioning against the functions Adobe's SDK bundle really runs
 * (test/support/adobe-bundle.ts): allocation hashing with Adobe's test vectors, domain parts from
 * the Public Suffix List over every listed suffix and random hosts, URL parts, browsers and
 * platforms, JsonLogic against json-logic-js, and the table's freshness.
 */
import { execFileSync } from "node:child_process";
import { readFileSync } from "node:fs";
import { createRequire } from "node:module";
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { computeAllocation, hashUnencodedChars } from "../../runtime/on-device/allocation.js";
import { createUrlContext } from "../../runtime/on-device/decisioning-context.js";
import { compileLogic, UnknownOperatorError } from "../../runtime/on-device/json-logic.js";
import { parseDomain } from "../../runtime/on-device/domains/parse-domain.js";
import { createUserContext } from "../../runtime/on-device/user-agent.js";
import { adobeBundle } from "../support/adobe-bundle.js";
import { repositoryRoot } from "../support/fixtures.js";

const require = createRequire(import.meta.url);
const bundle = adobeBundle();

describe("allocation", () => {
  it("matches Adobe's test vectors", () => {
    expect(hashUnencodedChars("someClientId.123456.tntId123.salty")).toBe(-1846592194);
    // Adobe's allocationProvider tests use the salt "salty".
    expect(computeAllocation("someClientId", "123456", "ecid123", "salty")).toBe(29.06);
    expect(computeAllocation("someClientId", "123456", "tntId123", "salty")).toBe(21.94);
    expect(computeAllocation("someClientId", "123456", "thirtPartyId123", "salty")).toBe(73.15);
    expect(computeAllocation("someClientId", "123456", "ecid123")).toBe(87.93);
  });

  it("hashes every string as Adobe's hashUnencodedChars, UTF-16 code units included", () => {
    fc.assert(
      fc.property(fc.string({ unit: "binary", maxLength: 80 }), (text) => {
        expect(hashUnencodedChars(text)).toBe(bundle.hashUnencodedChars(text));
      }),
      { numRuns: 2000 },
    );
  });
});

describe("domain parts from the Public Suffix List", () => {
  const source = readFileSync(require.resolve("@adobe/target-nodejs-sdk"), "utf8");
  const start = source.indexOf("var rules = [");
  const rules = JSON.parse(source.slice(start + "var rules = ".length, source.indexOf("];", start) + 1)) as string[];

  it("a UK shop is example.co.uk, and Adobe's ADDRESS suite host is its own suffix", () => {
    expect(parseDomain("shop.example.co.uk")).toEqual({ subdomain: "shop", domain: "example.co.uk", topLevelDomain: "co.uk" });
    expect(parseDomain("www.shop.example.co.uk")).toEqual({ subdomain: "shop", domain: "example.co.uk", topLevelDomain: "co.uk" });
    expect(parseDomain("us-east-1.elasticbeanstalk.com")).toEqual({ subdomain: "", domain: "us-east-1.elasticbeanstalk.com", topLevelDomain: "" });
    expect(parseDomain("local-target-test")).toEqual({ subdomain: "", domain: "local-target-test", topLevelDomain: "" });
  });

  // Adobe's lookup reads all rules for each host, so the oracle is slow: every wildcard,
  // exception, non-ASCII and shadowed rule, and every seventh of the others.
  it("equals Adobe's parseDomainPsl for hosts under the listed suffixes", () => {
    const special = (rule: string) => /^[*!]/.test(rule) || /[^\x00-\x7f]/.test(rule) || /\.(fm|gd)$/.test(rule);
    const sampled = rules.filter((rule, index) => special(rule) || index % 7 === 0);
    expect(sampled.length).toBeGreaterThan(1700);
    for (const rule of sampled) {
      const suffix = rule.replace(/^(\*\.|!)/, "");
      for (const host of [suffix, `www.example.${suffix}`, `a.b.example.${suffix}`]) expect(parseDomain(host), host).toEqual(bundle.parseDomainPsl(host));
    }
  }, 60_000);

  it("equals Adobe's parseDomainPsl for random hosts", () => {
    const label = fc.oneof(fc.constantFrom("www", "shop", "co", "uk", "com", "xn--mnchen-3ya", "münchen", "local", "blogspot", "-bad", "a_b", "fm", "gd", ""), fc.string({ unit: fc.constantFrom(..."abcxyz019-é"), maxLength: 8 }));
    fc.assert(
      fc.property(fc.array(label, { minLength: 1, maxLength: 5 }), fc.boolean(), (labels, trailingDot) => {
        const host = `${labels.join(".")}${trailingDot ? "." : ""}`;
        expect(parseDomain(host), host).toEqual(bundle.parseDomainPsl(host));
      }),
      { numRuns: 3000 },
    );
  });

  it("the committed table is what the build script writes from Adobe's bundle", () => {
    const committed = readFileSync(`${repositoryRoot}runtime/on-device/domains/public-suffix-list.ts`, "utf8");
    execFileSync(process.execPath, [`${repositoryRoot}runtime/on-device/domains/build-public-suffix-list.mjs`]);
    expect(readFileSync(`${repositoryRoot}runtime/on-device/domains/public-suffix-list.ts`, "utf8")).toBe(committed);
  });
});

describe("URL parts", () => {
  it("equal Adobe's parse-uri and parseDomainPsl for random URLs", () => {
    const piece = fc.constantFrom("http://", "https://", "//", "", "user:pw@", "www.example.co.uk", "local-target-test", ":8080", "/", "/a/b.html", "?q=1&x", "#frag", "mailto:", "a.b", ".", "@", "?", "#", "%20", "ü");
    fc.assert(
      fc.property(fc.array(piece, { maxLength: 8 }), (pieces) => {
        const url = pieces.join("");
        const adobe = bundle.parseURI(url) ?? {};
        const domain = bundle.parseDomainPsl(adobe.host ?? "");
        const expected = { url, path: adobe.path ?? "", query: adobe.query ?? "", fragment: adobe.anchor ?? "", ...domain };
        const lowerCased = Object.fromEntries(Object.entries(expected).map(([key, value]) => [`${key}_lc`, value.toLowerCase()]));
        expect(createUrlContext(url, parseDomain)).toEqual({ ...expected, ...lowerCased });
      }),
      { numRuns: 2000 },
    );
  });
});

describe("browser and platform", () => {
  it("equal Adobe's for user agents and client hints", () => {
    const agents = fc.oneof(
      fc.constantFrom("Mozilla/5.0 (Macintosh; Intel Mac OS X 10.15; rv:73.0) Gecko/20100101 Firefox/73.0", "Mozilla/5.0 (Windows NT 10.0; WOW64; Trident/7.0; rv:11.0) like Gecko", "Mozilla/5.0 (iPhone; CPU iPhone OS 13_3_1 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/13.0.5 Mobile/15E148 Safari/604.1", "Opera/9.80", ""),
      fc.array(fc.constantFrom("Mozilla/5.0", " (Windows ", " Linux ", "Android 10;", "Macintosh;", "CrOS", "Chrome/80.0.1", "Firefox/x", "Version/13.1 Safari/605", "Mobile/15E148 Safari", "Edg/80.0", "MSIE 8.0", "Trident/7.0; rv:11.0) like Gecko"), { maxLength: 6 }).map((parts) => parts.join(" ")),
    );
    const hints = fc.option(fc.record({ browserUAWithMajorVersion: fc.constantFrom('"Chromium";v="110"', '"Firefox";v="99"', '"Safari";v="x"'), platform: fc.constantFrom("macOS", "Windows", "Linux", "Chrome OS") }, { requiredKeys: [] }), { nil: undefined });
    const platforms: Record<string, string> = { Windows: "windows", Macintosh: "mac", "Mac OS": "mac", macOS: "mac", Linux: "linux" };
    fc.assert(
      fc.property(agents, hints, (userAgent, clientHints) => {
        const browser = bundle.browserFromUserAgentOrClientHintUA(userAgent, clientHints);
        const platform = bundle.operatingSystemFromUserAgentOrClientHints(userAgent, clientHints);
        const context = { channel: "web" as const, userAgent, ...(clientHints ? { clientHints } : {}) };
        expect(createUserContext(context)).toEqual({ browserType: browser.name.toLowerCase(), platform: platforms[platform] ?? platform, locale: "en", browserVersion: browser.version });
      }),
      { numRuns: 2000 },
    );
  });
});

describe("JsonLogic", () => {
  const jsonLogic = require("json-logic-js") as { apply(logic: unknown, data: unknown): unknown };
  const value = fc.oneof(fc.integer({ min: -3, max: 3 }), fc.constantFrom("", "0", "5", "abc", "37.70", null, true, false), fc.array(fc.constantFrom(1, "a"), { maxLength: 2 }));
  const variable = fc.constantFrom("a", "b", "nested.x", "missing", "list");
  const expression: fc.Arbitrary<unknown> = fc.letrec((tie) => ({
    node: fc.oneof(
      { depthSize: "small" },
      value,
      variable.map((name) => ({ var: name })),
      fc.tuple(variable, value).map(([name, fallback]) => ({ var: [name, fallback] })),
      fc.tuple(fc.constantFrom("==", "===", "!=", "!==", "<", "<=", ">", ">=", "in", "%", "+", "-", "*", "/", "cat", "min", "max", "merge", "substr"), fc.array(tie("node"), { minLength: 1, maxLength: 3 })).map(([operator, args]) => ({ [operator]: args })),
      fc.tuple(fc.constantFrom("and", "or", "if", "!", "!!", "missing", "missing_some"), fc.array(tie("node"), { maxLength: 3 })).map(([operator, args]) => ({ [operator]: args })),
      fc.tuple(fc.constantFrom("some", "all", "none", "map", "filter"), tie("node"), tie("node")).map(([operator, source, scoped]) => ({ [operator]: [source, scoped] })),
    ),
  })).node;
  const data = { a: 5, b: "5", nested: { x: "37.70" }, list: [1, 2, 3] };

  it("evaluates as json-logic-js for random expressions, errors included", () => {
    fc.assert(
      fc.property(expression, (logic) => {
        let expected: unknown;
        let expectedError: string | undefined;
        try {
          expected = jsonLogic.apply(logic, data);
        } catch (error) {
          expectedError = (error as Error).message;
        }
        const compiled = compileLogic(logic);
        if (expectedError !== undefined) expect(() => compiled(data)).toThrow();
        else expect(compiled(data)).toEqual(expected);
      }),
      { numRuns: 3000 },
    );
  });

  it("an unknown operator throws only when it is reached", () => {
    expect(compileLogic({ or: [true, { regexMatch: ["a", "b"] }] })({})).toBe(true);
    expect(() => compileLogic({ and: [true, { regexMatch: ["a", "b"] }] })({})).toThrow(UnknownOperatorError);
  });
});
