/**
 * mboxgen's on-device client against @adobe/target-nodejs-sdk 2.4.3 on-device (issue #8): seeded
 * random requests over Adobe's shipped artifacts (visitor id kinds, real user agents and client
 * hints, page and referring URLs and mbox parameters drawn from the artifacts' own rule literals,
 * times in and out of the artifacts' time frames, execute, prefetch, the global mbox, views,
 * property tokens, traces) go through both, on the same artifact, at the same mocked time. The
 * responses (decisions, options, event tokens, response tokens, status), the remote mboxes and the
 * display notifications must be identical once random ids are masked. One artifact is served to
 * mboxgen as `.bin`. A fixed seed in CI; `MBOXGEN_DIFFERENTIAL_RUNS` runs more locally.
 */
import fc from "fast-check";
import { afterEach, describe, expect, it, vi } from "vitest";
import { createTargetClient } from "@mboxgen/runtime/on-device";
import { createAdobeOnDeviceClient } from "../support/adobe-sdk.js";
import { loadTestArtifacts } from "../support/adobe-suites.js";
import { createFakeTarget, obfuscateArtifact, type FakeTarget } from "../support/fake-target.js";

const RUNS = Number(process.env.MBOXGEN_DIFFERENTIAL_RUNS ?? 40);
const CLIENT = "someClientId";
const ORGANIZATION = "someOrgId@AdobeOrg";

const USER_AGENTS = [
  "Mozilla/5.0 (Macintosh; Intel Mac OS X 10_15_3) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/80.0.3987.163 Safari/537.36",
  "Mozilla/5.0 (Macintosh; Intel Mac OS X 10.15; rv:73.0) Gecko/20100101 Firefox/73.0",
  "Mozilla/5.0 (Macintosh; Intel Mac OS X 10_15_3) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/13.0.5 Safari/605.1.15",
  "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/80.0.3987.149 Safari/537.36 Edg/80.0.361.69",
  "Mozilla/5.0 (Windows NT 10.0; WOW64; Trident/7.0; rv:11.0) like Gecko",
  "Mozilla/4.0 (compatible; MSIE 8.0; Windows NT 6.1; Trident/4.0)",
  "Mozilla/5.0 (iPhone; CPU iPhone OS 13_3_1 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/13.0.5 Mobile/15E148 Safari/604.1",
  "Mozilla/5.0 (Linux; Android 10; SM-G973F) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/80.0.3987.149 Mobile Safari/537.36",
  "Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/80.0.3987.149 Safari/537.36",
  "Mozilla/5.0 (X11; CrOS x86_64 12871.102.0) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/81.0.4044.141 Safari/537.36",
  "curl/7.68.0",
  "",
];
const HOSTS = ["local-target-test", "www.target.com", "shop.example.co.uk", "a.b.us-east-1.elasticbeanstalk.com", "127.0.0.1", "münchen.de", "WWW.Example.COM", "foo.blogspot.com", "x.com.fm", "intranet.local", "edu.gd"];

interface Literals {
  byVariable: Map<string, unknown[]>;
  timestamps: number[];
  propertyTokens: string[];
}

// The literals each `var` path is compared with in an artifact's conditions.
function literalsOf(artifact: any): Literals {
  const byVariable = new Map<string, unknown[]>();
  const propertyTokens = new Set<string>();
  const visit = (logic: unknown) => {
    if (Array.isArray(logic)) return logic.forEach(visit);
    if (typeof logic !== "object" || logic === null) return;
    for (const operands of Object.values(logic)) {
      if (Array.isArray(operands)) {
        const variable = operands.find((operand) => typeof operand === "object" && operand !== null && "var" in operand) as { var: unknown } | undefined;
        if (variable && typeof variable.var === "string") {
          const list = byVariable.get(variable.var) ?? [];
          for (const operand of operands) if (operand !== variable) list.push(...(Array.isArray(operand) ? operand : [operand]).filter((item) => typeof item !== "object"));
          byVariable.set(variable.var, list);
        }
      }
      visit(operands);
    }
  };
  for (const kind of ["mboxes", "views"]) {
    for (const rules of Object.values<any[]>(artifact.rules?.[kind] ?? {})) {
      for (const rule of rules) {
        visit(rule.condition);
        for (const token of rule.propertyTokens ?? []) propertyTokens.add(token);
      }
    }
  }
  const timestamps = (byVariable.get("current_timestamp") ?? []).filter((value): value is number => typeof value === "number");
  return { byVariable, timestamps, propertyTokens: [...propertyTokens] };
}

const hex = (minLength: number, maxLength: number) => fc.string({ unit: fc.constantFrom(..."0123456789abcdef"), minLength, maxLength });
const pick = <Value>(values: readonly Value[]) => fc.constantFrom(...(values.length > 0 ? values : ([undefined] as unknown as Value[])));

function requestArbitrary(artifact: any, literals: Literals) {
  const literal = (variable: string, fallback: unknown[]) => pick([...(literals.byVariable.get(variable) ?? []), ...fallback]);
  const mboxNames = [...new Set([...Object.keys(artifact.rules?.mboxes ?? {}), ...(artifact.localMboxes ?? []), ...(artifact.remoteMboxes ?? []), "mbox-unknown-to-the-artifact"])].filter((name) => name !== (artifact.globalMbox ?? "target-global-mbox"));
  const viewNames = Object.keys(artifact.rules?.views ?? {});
  const mboxParameters = [...literals.byVariable.keys()].filter((variable) => variable.startsWith("mbox."));
  const parameters = fc.record(
    Object.fromEntries(mboxParameters.map((variable) => [variable.slice(5).replace(/_lc$/, ""), literal(variable, ["other"]).chain((value) => fc.constantFrom(String(value), String(value).toUpperCase()))])),
    { requiredKeys: [] },
  );
  const url = fc
    .tuple(
      fc.constantFrom("http", "https"),
      fc.oneof(literal("page.domain", HOSTS), fc.constantFrom(...HOSTS)),
      literal("page.path", ["/", "/products/1", ""]),
      literal("page.query_lc", ["", "a=1"]),
      fc.constantFrom("", "#top"),
    )
    .map(([scheme, host, path, query, fragment]) => `${scheme}://${String(host)}${String(path).startsWith("/") || path === "" ? path : `/${String(path)}`}${query ? `?${String(query)}` : ""}${fragment}`);
  const id = fc.oneof(
    hex(8, 32).chain((hex) => fc.constantFrom({ tntId: hex }, { tntId: `${hex}.28_0` }, { tntId: `${hex}.35_0`, marketingCloudVisitorId: `0732702432440761585229413587${hex.length}` })),
    hex(8, 20).map((hex) => ({ marketingCloudVisitorId: `mcid-${hex}` })),
    hex(8, 20).map((hex) => ({ thirdPartyId: `third-${hex}` })),
  );
  const geo = fc.option(
    fc.record({
      city: literal("geo.city", ["BASEL"]),
      countryCode: literal("geo.country", ["CH"]),
      stateCode: literal("geo.region", ["BS"]),
      latitude: literal("geo.latitude", [47.5]),
      longitude: literal("geo.longitude", [7.6]),
    }),
    { nil: undefined },
  );
  const mbox = fc.record({ name: pick(mboxNames), index: fc.integer({ min: 0, max: 5 }), parameters: fc.option(parameters, { nil: undefined }), address: fc.option(url.map((value) => ({ url: value })), { nil: undefined }) }, { requiredKeys: ["name", "index"] });
  const view = viewNames.length > 0 ? fc.oneof(pick(viewNames).map((name) => ({ name })), fc.constant({})) : fc.constant({});
  const section = (withViews: boolean) =>
    fc.record(
      { mboxes: fc.array(mbox, { minLength: 1, maxLength: 3 }), pageLoad: fc.record({ parameters: fc.option(parameters, { nil: undefined }) }, { requiredKeys: [] }), ...(withViews ? { views: fc.array(view, { minLength: 1, maxLength: 2 }) } : {}) },
      { requiredKeys: [] },
    );
  return fc
    .record({
      requestId: hex(32, 32),
      id,
      context: fc.record(
        {
          channel: fc.constant("web"),
          userAgent: fc.constantFrom(...USER_AGENTS),
          clientHints: fc.option(fc.record({ browserUAWithMajorVersion: fc.constantFrom('"Chromium";v="110", "Not A(Brand";v="24", "Google Chrome";v="110"', '"Firefox";v="99"'), platform: fc.constantFrom("macOS", "Windows", "Linux", "Android") }, { requiredKeys: [] }), { nil: undefined }),
          address: fc.record({ url, referringUrl: url }, { requiredKeys: ["url"] }),
          geo,
        },
        { requiredKeys: ["channel", "userAgent", "address"] },
      ),
      execute: fc.option(section(false), { nil: undefined }),
      prefetch: fc.option(section(true), { nil: undefined }),
      property: fc.option(pick(literals.propertyTokens).map((token) => ({ token })), { nil: undefined }),
      trace: fc.option(fc.constant({}), { freq: 4, nil: undefined }),
    })
    .map((request) => JSON.parse(JSON.stringify(request)) as Record<string, any>)
    .filter((request) => (request.execute && Object.keys(request.execute).length > 0) || (request.prefetch && Object.keys(request.prefetch).length > 0));
}

function timeArbitrary(literals: Literals) {
  const around = literals.timestamps.flatMap((timestamp) => [timestamp - 3_600_000, timestamp - 1, timestamp + 1, timestamp + 3_600_000]);
  return fc.oneof(fc.integer({ min: Date.UTC(2020, 0, 1), max: Date.UTC(2026, 11, 31) }), ...(around.length > 0 ? [fc.constantFrom(...around)] : []));
}

/** JSON of a decision with the random parts masked. */
function normalized(value: unknown): unknown {
  return JSON.parse(JSON.stringify(value ?? null), (key, item) => {
    if (["id", "impressionId"].includes(key) && typeof item === "string" && /^[0-9a-f]{32}$/.test(item)) return "<uuid>";
    if (key === "artifactLastRetrieved") return "<time>";
    return item;
  });
}

async function waitForNotifications(target: FakeTarget): Promise<unknown[]> {
  await new Promise((resolve) => setTimeout(resolve, 0));
  await new Promise((resolve) => setImmediate(resolve));
  return target.notifications().map((request) => normalized(request.body.notifications));
}

function createAdobeClient(artifact: unknown, target: FakeTarget) {
  return createAdobeOnDeviceClient({ client: CLIENT, organizationId: ORGANIZATION, artifactPayload: artifact, fetchApi: target.fetch });
}

afterEach(() => {
  vi.useRealTimers();
});

const artifacts = loadTestArtifacts();
const names = Object.keys(artifacts).filter((name) => name !== "TEST_ARTIFACT_UNSUPPORTED");

describe.each(names)("%s: mboxgen decides as Adobe's SDK", (name) => {
  it(`${RUNS} random requests give identical responses, remote mboxes and notifications${name === "TEST_ARTIFACT_AB_MULTI_SIMPLE" ? " (mboxgen reading it as .bin)" : ""}`, async () => {
    const artifact = artifacts[name];
    const literals = literalsOf(artifact);
    const adobeTarget = createFakeTarget();
    const ourTarget = createFakeTarget();
    const adobe = await createAdobeClient(artifact, adobeTarget);
    const asBin = name === "TEST_ARTIFACT_AB_MULTI_SIMPLE";
    if (asBin) ourTarget.serveArtifact({ bytes: obfuscateArtifact(artifact, ORGANIZATION) });
    const ours = createTargetClient({
      client: CLIENT,
      organizationId: ORGANIZATION,
      decisioningMethod: "on-device",
      pollingInterval: 0,
      targetLocationHint: "28",
      fetch: ourTarget.fetch,
      ...(asBin ? { artifactLocation: "https://artifacts.test/rules.bin" } : { artifactPayload: artifact }),
    });
    await ours.ready;
    try {
      await fc.assert(
        fc.asyncProperty(requestArbitrary(artifact, literals), timeArbitrary(literals), async (request, now) => {
          vi.useFakeTimers({ toFake: ["Date"] });
          vi.setSystemTime(now);
          adobeTarget.requests.length = 0;
          ourTarget.requests.length = 0;
          const [adobeEnvelope, ourEnvelope] = await Promise.all([
            adobe.getOffers({ request: structuredClone(request), sessionId: "differential-session" }),
            ours.getOffers({ request: structuredClone(request) as never, sessionId: "differential-session" }),
          ]);
          vi.useRealTimers();
          const ourResponse = normalized(ourEnvelope.response) as Record<string, any>;
          const adobeResponse = normalized(adobeEnvelope.response) as Record<string, any>;
          if (asBin) {
            // The artifact part of a trace names where the artifact came from.
            for (const response of [ourResponse, adobeResponse]) {
              JSON.stringify(response, (key, value) => {
                if (key === "artifact" && typeof value === "object" && value !== null) value.artifactLocation = "<location>";
                return value;
              });
            }
          }
          expect(ourResponse).toEqual(adobeResponse);
          expect(normalized(ourEnvelope.meta)).toEqual(normalized(adobeEnvelope.meta));
          expect(normalized(ourEnvelope.responseTokens)).toEqual(normalized(adobeEnvelope.responseTokens));
          expect(await waitForNotifications(ourTarget)).toEqual(await waitForNotifications(adobeTarget));
        }),
        { numRuns: RUNS },
      );
    } finally {
      vi.useRealTimers();
      await ours.close();
    }
  });
});
