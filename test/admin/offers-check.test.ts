/**
 * `mboxgen offers check` against the emulator's Admin API (fixtures/admin/activities.json: a tenant
 * with live, scheduled, ended, saved and deactivated activities of every JSON type, a shared
 * offer, offers that break their schemas in every way the validators know, an mbox without a
 * schema): exit codes, the report, `--json`, filters; its verdicts are the generated accessors'
 * (a differential property over random offers); and faults: bad credentials, an expired token
 * mid-run, 429 with Retry-After, 5xx, a hanging server, a non-JSON body, a page that fails,
 * an unknown tenant, a refused key; never a secret or token in the output.
 */
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import fc from "fast-check";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createAdminClient } from "../../generator/admin/admin-client.js";
import { checkOffer, compileSchemaChecks } from "../../generator/admin/offer-check.js";
import { buildSchemaIrs } from "../../generator/generate.js";
import { readSchemaFolder, runCli, type RunningEmulator } from "../../generator/index.js";
import * as example from "../../fixtures/example/expected/index.js";
import { startDeliveryServer, type DeliveryTestServer } from "../support/delivery-server.js";
import { repositoryRoot } from "../support/fixtures.js";
import { startTestEmulator } from "../support/openfeature.js";

const activities = JSON.parse(readFileSync(join(repositoryRoot, "fixtures/admin/activities.json"), "utf8"));
const SECRET = "acme-client-secret-0123456789";
const CREDENTIALS = { MBOXGEN_TARGET_CLIENT_ID: "acme-client-id", MBOXGEN_TARGET_CLIENT_SECRET: SECRET };
let emulator: RunningEmulator;
let standIn: DeliveryTestServer;
let workspace: string;

beforeAll(async () => {
  emulator = await startTestEmulator(activities);
  standIn = await startDeliveryServer();
  workspace = mkdtempSync(join(repositoryRoot, "test/admin/.work-"));
});
afterAll(async () => {
  await emulator.close();
  await standIn.close();
  rmSync(workspace, { recursive: true, force: true });
});

async function check(flags: string[], env: Record<string, string> = CREDENTIALS, server: { url: string } = emulator) {
  let stdout = "";
  let stderr = "";
  const tenant = flags.includes("--tenant") ? [] : ["--tenant", "acme"];
  const code = await runCli(["offers", "check", "--schemas", "fixtures/example/schemas", "--config", "fixtures/example/mboxgen.config.json", ...tenant, "--admin-url", server.url, "--ims-url", server.url, ...flags], {
    cwd: repositoryRoot,
    stdout: (text) => (stdout += text),
    stderr: (text) => (stderr += text),
    env,
  });
  // Whatever happened, no secret and no token reaches the output.
  expect(`${stdout}${stderr}`).not.toContain(SECRET);
  expect(`${stdout}${stderr}`).not.toMatch(/eyJ[A-Za-z0-9_-]{20,}|token-[a-z]+-\d/);
  return { code, stdout, stderr };
}

interface JsonResult {
  activity: { id: number; status: string };
  experience: { id: number | undefined };
  mbox: string;
  offer: { id: number };
  verdict: string;
  severity?: string;
  violations: Array<{ key: string; rule: string; value?: unknown; fallback: unknown; inside?: { pointer: string } }>;
}

describe("mboxgen offers check against the emulator", () => {
  it("exits 1 when a live or scheduled activity's offer breaks its schema, naming activity, experience, mbox, offer, rule, value and default", async () => {
    const { code, stderr } = await check([]);
    expect(code).toBe(1);
    expect(stderr).toContain('✘ activity 501 "Hero spring test" (ab, live, 2026-01-01T00:00:00Z → 2031-01-01T00:00:00Z)');
    expect(stderr).toContain('    experience 1 "Purple" · mbox hero-banner · offer 9002 "Hero purple </script> */"');
    expect(stderr).toContain('      /theme: must be one of "light", "dark"; got "purple" → visitors get the default "light"');
    expect(stderr).toContain('      /headline: must be a string of at least 1 character; got "" → visitors get the default "Welcome"');
    expect(stderr).toContain('✘ activity 502 "Hero summer" (xt, scheduled, 2030-06-01T00:00:00Z → …)');
    expect(stderr).toMatch(/\/cta: must be an object with required keys "label", "url".*; got \{"label":"See the deals"\} → visitors get the default \{"label":"Shop now","url":"\/shop"\}/);
    // Nested failures name the place inside the value, under the key's line.
    expect(stderr).toMatch(/→ visitors get the default \{"label":"Shop now","url":"\/shop"\}\n {8}at \/cta\/url: must be present \(the schema requires it\); it is missing\n/);
    expect(stderr).toContain('        at /slides/0/imageUrl: must be a string matching /^https:///; got "http://img.example.com/a.jpg"\n');
    expect(stderr).toContain('      /max-items: must be an integer ≥ 1 and ≤ 100; got 500 → visitors get the default 24');
    expect(stderr).toContain('      /searchProviderId: must be an integer ≥ 1; got "seven" → visitors get the default 143');
    // Drafts, archived and ended activities: warnings.
    expect(stderr).toContain('⚠ activity 503 "Hero draft" (ab, inactive)');
    expect(stderr).toContain('⚠ activity 602 "Archived search" (xt, archived)');
    expect(stderr).toContain("      /cdnHostname: must be present (the schema requires it); it is missing → visitors get the default \"cdn.example.com\"");
    expect(stderr).toContain('⚠ activity 603 "Checkout flow test" (ab, ended, 2026-01-01T00:00:00Z → 2026-06-30T23:59:59Z)');
    // Mboxes without schemas are listed, not ignored.
    expect(stderr).toContain('• mbox "checkout-banner" has no schema in fixtures/example/schemas: offer 9201 (activity 701) not checked');
    expect(stderr).toMatch(/✘ 13 offer placements in 9 activities of tenant acme: 6 pass, 3 break their schema where visitors see them, 3 in inactive or ended activities, 1 not checked\n$/);
  });

  it("--json: the whole report for machines; the shared offer is checked in both activities", async () => {
    const { code, stdout } = await check(["--json"]);
    expect(code).toBe(1);
    const report = JSON.parse(stdout) as { tenant: string; results: JsonResult[]; mboxesWithoutSchema: unknown[]; summary: Record<string, number> };
    expect(report.tenant).toBe("acme");
    expect(report.summary).toEqual({ activities: 9, offers: 13, passed: 6, errors: 3, warnings: 3, unchecked: 1, unread: 0 });
    const byOffer = (id: number) => report.results.filter((result) => result.offer.id === id);
    expect(byOffer(9102).map((result) => [result.activity.id, result.verdict])).toEqual([[601, "pass"], [602, "pass"]]);
    expect(byOffer(9003)[0]).toMatchObject({ activity: { id: 502, status: "scheduled" }, mbox: "hero-banner", verdict: "fail", severity: "error" });
    expect(byOffer(9003)[0]!.violations.map((violation) => violation.key)).toEqual(["cta", "slides"]);
    expect(byOffer(9003)[0]!.violations.map((violation) => violation.inside?.pointer)).toEqual(["/cta/url", "/slides/0/imageUrl"]);
    expect(byOffer(9004)[0]).toMatchObject({ severity: "warning", violations: [{ key: "headline", rule: "a string of at least 1 character", value: 42, fallback: "Welcome" }] });
    expect(report.mboxesWithoutSchema).toEqual([{ mbox: "checkout-banner", offers: [9201], activities: [701] }]);
  });

  it("filters by activity, state and workspace; exit 0 when what is checked passes", async () => {
    expect((await check(["--activity", "801", "--activity", "802"])).code).toBe(0);
    const live = JSON.parse((await check(["--state", "live", "--json"])).stdout) as { results: JsonResult[] };
    expect([...new Set(live.results.map((result) => result.activity.id))]).toEqual([501, 601, 701, 801, 802]);
    const drafts = await check(["--state", "inactive", "--state", "archived"]);
    expect(drafts.code).toBe(0);
    expect(drafts.stderr).toContain("⚠ activity 503");
    expect((await check(["--workspace", "elsewhere", "--json"])).stdout).toContain('"offers": 0');
    expect((await check(["--state", "sleeping"])).code).toBe(2);
  });

  it("--concurrency: the same report one request at a time; a count below 1 is a usage error", async () => {
    const all = await check(["--json"]);
    const one = await check(["--json", "--concurrency", "1"]);
    expect(one.code).toBe(1);
    expect(JSON.parse(one.stdout)).toEqual(JSON.parse(all.stdout));
    const zero = await check(["--concurrency", "0"]);
    expect(zero.code).toBe(2);
    expect(zero.stderr).toContain("--concurrency must be a whole number of at least 1, got 0");
  });

  it("names and contents from Target are data: control characters, line separators and bidi overrides are shown escaped; __proto__ is a key like any other", async () => {
    const hostile = JSON.parse(String.raw`{
      "admin": { "tenant": "acme", "clientId": "acme-client-id", "clientSecret": "acme-client-secret-0123456789" },
      "mboxes": {
        "hero-banner": [{ "id": 1, "name": "\u001b[2J\u001b[31mRED\u202eevil\u2028` + "`${process.exit()}`" + String.raw` */ </script>", "type": "ab", "experiences": [
          { "id": 0, "name": "E\n✔ 99 offer placements: all pass", "weight": 1, "offer": { "id": 5, "name": "__proto__", "content": { "headline": "", "__proto__": { "polluted": true }, "theme": "\u001b[0m\u2066" } } }
        ] }],
        "__proto__": [{ "id": 2, "name": "proto", "type": "ab", "experiences": [{ "id": 0, "name": "E", "weight": 1, "offer": { "id": 6, "name": "O", "content": { "a": 1 } } }] }]
      }
    }`);
    const server = await startTestEmulator(hostile);
    try {
      const { code, stderr, stdout } = await check(["--tenant", "acme"], CREDENTIALS, server);
      expect(code).toBe(1);
      expect(stdout).toBe("");
      expect(stderr).not.toMatch(/[\u0000-\u0009\u000b-\u001f\u007f-\u009f\u2028\u2029\u202a-\u202e\u2066-\u2069]/);
      expect(stderr).toContain(String.raw`✘ activity 1 "\u001b[2J\u001b[31mRED\u202eevil\u2028` + "`${process.exit()}`" + String.raw` */ </script>" (ab, live)`);
      expect(stderr).toContain(String.raw`    experience 0 "E\u000a✔ 99 offer placements: all pass" · mbox hero-banner · offer 5 "__proto__"`);
      expect(stderr).toContain(String.raw`/theme: must be one of "light", "dark"; got "\u001b[0m\u2066"`);
      expect(stderr).toContain('• mbox "__proto__" has no schema');
      // Only the summary line starts with a verdict mark at the start of a line after the failures.
      expect(stderr.split("\n").filter((line) => /^✔/.test(line))).toEqual([]);
      expect(({} as Record<string, unknown>).polluted).toBeUndefined();
    } finally {
      await server.close();
    }
  });

  it("--inactive-as-errors fails for drafts, archived and ended activities too", async () => {
    const { code, stdout } = await check(["--state", "inactive", "--inactive-as-errors", "--json"]);
    expect(code).toBe(1);
    expect((JSON.parse(stdout) as { summary: { errors: number } }).summary.errors).toBe(1);
  });

  it("a broken schema is reported before any call, with its file and pointer", async () => {
    const schemas = join(workspace, "broken-schemas");
    mkdirSync(schemas, { recursive: true });
    writeFileSync(join(schemas, "hero-banner.schema.json"), '{\n  "type": "object",\n  "properties": { "headline": { "type": "strin" } }\n}\n');
    const before = emulator.stats.admin.requests + emulator.stats.admin.tokenRequests;
    let stderr = "";
    const code = await runCli(["offers", "check", "--schemas", schemas, "--tenant", "acme", "--admin-url", emulator.url, "--ims-url", emulator.url], { cwd: workspace, stdout: () => undefined, stderr: (text) => (stderr += text), env: CREDENTIALS });
    expect(code).toBe(1);
    expect(stderr).toMatch(/hero-banner\.schema\.json:3:\d+ \/properties\/headline\/type: unknown type "strin".*\[SCHEMA_UNKNOWN_TYPE\]/);
    expect(emulator.stats.admin.requests + emulator.stats.admin.tokenRequests).toBe(before);
  });

  it("follows every page of a list", async () => {
    const client = createAdminClient({ tenant: "acme", adminUrl: emulator.url, imsUrl: emulator.url, credentials: { clientId: "acme-client-id", clientSecret: SECRET }, pageSize: 2 });
    const before = emulator.stats.admin.requests;
    expect((await client.listActivities()).map((activity) => activity.id)).toEqual([501, 502, 503, 601, 602, 603, 701, 801, 802]);
    expect(emulator.stats.admin.requests - before).toBe(5);
    expect((await client.listOffers()).map((offer) => offer.id)).toEqual([9001, 9002, 9003, 9004, 9101, 9102, 9103, 9104, 9201, 9301, 9302, 9303]);
  });
});

describe("its verdict is the generated accessors' verdict, key by key", () => {
  it("for random offers around the example's schemas", async () => {
    const checks = compileSchemaChecks(buildSchemaIrs({ schemas: await readSchemaFolder(join(repositoryRoot, "fixtures/example/schemas"), repositoryRoot), config: JSON.parse(readFileSync(join(repositoryRoot, "fixtures/example/mboxgen.config.json"), "utf8")) }));
    const descriptors = [example.demoEngineeringFlags, example.heroBanner, example.promoStrip];
    const value = fc.oneof(fc.jsonValue({ maxDepth: 3 }), fc.constantFrom(143, 24, 0, 101, -1, 1.5, "classic", "express", "light", "dark", "", "https://x/y.jpg", { label: "Go", url: "/go" }, [{ imageUrl: "https://a/b.jpg", alt: "b" }], [{ imageUrl: "http://a", alt: "b" }], true, "#ffd400", "red"));
    const key = fc.constantFrom("searchProviderId", "max-items", "cdnHostname", "checkoutFlow", "betaRibbon", "hasLegacyAccess", "headline", "theme", "cta", "slides", "message", "dismissible", "visible", "color", "textColor", "other");
    fc.assert(
      fc.property(fc.constantFrom(0, 1, 2), fc.dictionary(key, value, { maxKeys: 8 }), (index, offer) => {
        const descriptor = descriptors[index]!;
        const events: string[] = [];
        descriptor.from({ asObject: () => offer }, { onFallback: (event) => events.push(`${event.key}:${event.reason}`) }).asObject();
        const check = checks.get(descriptor.mbox)!;
        const violations = checkOffer(check, offer);
        // Every invalid key the accessors fall back on is a violation; a missing one is when the schema requires it.
        const expected = events.filter((event) => event.endsWith(":invalid") || (event.endsWith(":missing") && check.required.has(event.split(":")[0]!))).map((event) => event.split(":")[0]);
        expect(violations.map((violation) => violation.key)).toEqual(expected);
      }),
      { numRuns: 500 },
    );
  });
});

describe("faults: clear errors, no secret printed", () => {
  it("no credentials: says which variables to set", async () => {
    const { code, stderr } = await check([], {});
    expect(code).toBe(1);
    expect(stderr).toContain("no credentials for Target's Admin API: MBOXGEN_TARGET_CLIENT_ID and MBOXGEN_TARGET_CLIENT_SECRET are not set");
    expect(stderr).toContain("[ADMIN_CREDENTIALS_MISSING]");
  });

  it("bad credentials: IMS's refusal, without the secret", async () => {
    const { code, stderr } = await check([], { ...CREDENTIALS, MBOXGEN_TARGET_CLIENT_SECRET: "wrong-secret-value" });
    expect(code).toBe(1);
    expect(stderr).toMatch(/authentication failed at http:\/\/127\.0\.0\.1:\d+\/ims\/token\/v3: Adobe IMS refused the client credentials \(HTTP 401: invalid_client: invalid client_secret parameter\).*\[ADMIN_AUTH_FAILED\]/);
    expect(stderr).not.toContain("wrong-secret-value");
  });

  it("an unknown tenant and a refused key", async () => {
    const tenant = await check(["--tenant", "nobody"]);
    expect(tenant.stderr).toMatch(/the Admin API knows no tenant "nobody".*\[ADMIN_TENANT_NOT_FOUND\]/);
    const key = await check([], { ...CREDENTIALS, MBOXGEN_TARGET_API_KEY: "another-key" });
    expect(key.stderr).toMatch(/the Admin API refused .*HTTP 403: Forbidden: Api Key is invalid.*\[ADMIN_PERMISSION_DENIED\]/);
  });

  it("a token that expires mid-run is renewed once, and the run completes", async () => {
    // The token is refused (expired) from the second activity call on: the client asks IMS again, once.
    let expired = false;
    const counts = faulty((path) => {
      if (path === "/ims/token/v3" && expired) recordedAnswers.set("/ims/token/v3", { status: 200, json: { access_token: "token-standin-2", token_type: "bearer", expires_in: 86399 }, headers: {} });
      if (path === "/acme/target/activities/ab/601" && !expired) {
        expired = true;
        return { status: 401, text: JSON.stringify({ httpStatus: 401, errors: [{ errorCode: "Unauthorized", message: "Oauth token is not valid" }] }) };
      }
      return "pass";
    });
    const { code, stdout } = await check(["--json"], CREDENTIALS, standIn);
    expect(code).toBe(1);
    expect((JSON.parse(stdout) as { summary: { unread: number; offers: number } }).summary).toMatchObject({ unread: 0, offers: 4 });
    expect(counts.get("/ims/token/v3")).toBe(2);
    expect(counts.get("/acme/target/activities/ab/601")).toBe(2);
    expect(standIn.requests.at(-1)!.headers.authorization).toBe("Bearer token-standin-2");
    recordedAnswers.set("/ims/token/v3", { status: 200, json: { access_token: "token-standin-1", token_type: "bearer", expires_in: 86399 }, headers: {} });
  });

  it("a ready token (MBOXGEN_TARGET_TOKEN) works; refused, it is named", async () => {
    const token = ((await (await fetch(`${emulator.url}/ims/token/v3`, { method: "POST", body: new URLSearchParams({ grant_type: "client_credentials", client_id: "acme-client-id", client_secret: SECRET }) })).json()) as { access_token: string }).access_token;
    const ok = await check(["--activity", "801"], { MBOXGEN_TARGET_TOKEN: token, MBOXGEN_TARGET_API_KEY: "acme-client-id" });
    expect(ok.code).toBe(0);
    expect(ok.stderr).not.toContain(token);
    emulator.expireAdminTokens();
    const refused = await check([], { MBOXGEN_TARGET_TOKEN: token, MBOXGEN_TARGET_API_KEY: "acme-client-id" });
    expect(refused.stderr).toContain("the token in MBOXGEN_TARGET_TOKEN is invalid or expired");
    expect(refused.stderr).not.toContain(token);
  });

  /** A stand-in Admin API over the emulator's answers, with faults injected by path. */
  function faulty(fault: (path: string, count: number) => "pass" | { status: number; text?: string; headers?: Record<string, string> } | "hang") {
    const counts = new Map<string, number>();
    standIn.respond((request) => {
      const count = (counts.get(request.path) ?? 0) + 1;
      counts.set(request.path, count);
      const decided = fault(request.path, count);
      if (decided === "hang") return { hang: true };
      if (decided !== "pass") return decided;
      // Forward to the emulator synchronously is not possible here: answer from a recorded copy.
      const recorded = recordedAnswers.get(request.path);
      return recorded ?? { status: 404, json: { httpStatus: 404, errors: [{ errorCode: "NotFound", message: "not recorded" }] } };
    });
    return counts;
  }
  const recordedAnswers = new Map<string, { status: number; json: unknown; headers: Record<string, string> }>();
  beforeAll(async () => {
    const token = ((await (await fetch(`${emulator.url}/ims/token/v3`, { method: "POST", body: new URLSearchParams({ grant_type: "client_credentials", client_id: "acme-client-id", client_secret: SECRET }) })).json()) as { access_token: string }).access_token;
    recordedAnswers.set("/ims/token/v3", { status: 200, json: { access_token: "token-standin-1", token_type: "bearer", expires_in: 86399 }, headers: {} });
    const paths = ["/acme/target/activities", "/acme/target/offers", "/acme/target/activities/ab/501", "/acme/target/activities/ab/601", "/acme/target/offers/json/9001", "/acme/target/offers/json/9002", "/acme/target/offers/json/9101", "/acme/target/offers/json/9102"];
    for (const path of paths) {
      const response = await fetch(`${emulator.url}${path}`, { headers: { authorization: `Bearer ${token}`, "x-api-key": "acme-client-id" } });
      const json = (await response.json()) as Record<string, any>;
      // Two activities only, in every list page.
      if (path === "/acme/target/activities") {
        json.activities = json.activities.filter((activity: { id: number }) => activity.id === 501 || activity.id === 601);
        json.total = 2;
      }
      recordedAnswers.set(path, { status: response.status, json, headers: { "content-type": response.headers.get("content-type")! } });
    }
  });

  it("429 with Retry-After is honoured, then the run completes", async () => {
    const counts = faulty((path, count) => (path === "/acme/target/activities" && count === 1 ? { status: 429, text: "slow down", headers: { "retry-after": "1" } } : "pass"));
    const started = Date.now();
    const { code, stdout } = await check(["--json"], CREDENTIALS, standIn);
    expect(Date.now() - started).toBeGreaterThanOrEqual(900);
    expect(counts.get("/acme/target/activities")).toBe(2);
    expect(code).toBe(1);
    expect((JSON.parse(stdout) as { summary: { offers: number } }).summary.offers).toBe(4);
  });

  it("5xx on every attempt: retried, then a clear error; nothing reported as passing", async () => {
    const counts = faulty((path) => (path === "/acme/target/offers" ? { status: 503, text: "unavailable" } : "pass"));
    const { code, stderr } = await check(["--timeout", "2000"], CREDENTIALS, standIn);
    expect(code).toBe(1);
    expect(counts.get("/acme/target/offers")).toBe(4);
    expect(stderr).toMatch(/could not read http:\/\/127\.0\.0\.1:\d+\/acme\/target\/offers\?limit=100&offset=0: listing the offers \(page 1\) failed with HTTP 503 on every attempt.*\[ADMIN_UNREACHABLE\]/);
  }, 20_000);

  it("a hanging server: a timeout error", async () => {
    faulty((path) => (path === "/acme/target/activities" ? "hang" : "pass"));
    const { code, stderr } = await check(["--timeout", "300"], CREDENTIALS, standIn);
    expect(code).toBe(1);
    expect(stderr).toMatch(/listing the activities \(page 1\) got no answer within 300 ms.*\[ADMIN_UNREACHABLE\]/);
  });

  it("a body that is not JSON: a clear error", async () => {
    faulty((path) => (path === "/acme/target/activities" ? { status: 200, text: "<html>proxy login</html>" } : "pass"));
    const { code, stderr } = await check([], CREDENTIALS, standIn);
    expect(code).toBe(1);
    expect(stderr).toContain("answered with a body that is not JSON (<html>proxy login</html>)");
  });

  it("a page that fails: the rest is reported, the failure is named, exit 1", async () => {
    faulty((path) => (path === "/acme/target/activities/ab/601" || path === "/acme/target/offers/json/9001" ? { status: 500, text: "boom" } : "pass"));
    const { code, stderr } = await check(["--timeout", "2000"], CREDENTIALS, standIn);
    expect(code).toBe(1);
    expect(stderr).toContain('✘ activity 501 "Hero spring test"');
    expect(stderr).toMatch(/✘ could not read ab activity 601 "Search provider test": reading ab activity 601 failed with HTTP 500 on every attempt/);
    expect(stderr).toMatch(/✘ could not read JSON offer 9001 "Hero welcome": reading JSON offer 9001 failed with HTTP 500 on every attempt/);
    expect(stderr).toMatch(/2 could not be read\n$/);
  }, 20_000);

});
