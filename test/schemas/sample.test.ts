/**
 * `mboxgen sample` end to end: emulator (3 mboxes, 2 activities × 3 experiences each, one
 * audience-targeted) → sample with QA mode (100% coverage) → generate → compile → the accessors
 * return, for given visitors, exactly what the emulator assigned them. Plus re-runs that keep
 * what a person wrote, the drift check, faults, and a stopped run writing nothing.
 */
import { execFileSync } from "node:child_process";
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { pathToFileURL } from "node:url";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createTargetClient } from "@mboxgen/runtime";
import { runCli, startEmulator, type RunningEmulator } from "../../generator/index.js";
import { startDeliveryServer } from "../support/delivery-server.js";
import { repositoryRoot } from "../support/fixtures.js";

const activities = JSON.parse(readFileSync(join(repositoryRoot, "fixtures/example/activities.json"), "utf8"));
const mboxes = ["demo-engineering-flags", "hero-banner", "promo-strip"];
let emulator: RunningEmulator;
let workspace: string;

beforeAll(async () => {
  emulator = await startEmulator({ activities });
  // Inside the repository, so that generated code resolves "@mboxgen/runtime" to this package.
  workspace = mkdtempSync(join(repositoryRoot, "test/schemas/.work-"));
});
afterAll(async () => {
  await emulator.close();
  rmSync(workspace, { recursive: true, force: true });
});

async function cli(...argv: string[]) {
  let stdout = "";
  let stderr = "";
  const code = await runCli(argv, { cwd: workspace, stdout: (text) => (stdout += text), stderr: (text) => (stderr += text) });
  return { code, stdout, stderr };
}

const connection = () => ["--client", "emulator", "--organization-id", "EMU@AdobeOrg", "--server-domain", emulator.serverDomain, "--no-secure"];
const mboxFlags = mboxes.flatMap((mbox) => ["--mbox", mbox]);

describe("mboxgen sample → generate → compile → run", () => {
  it("covers every experience with QA mode, and the generated accessors return what the emulator assigns", async () => {
    const sampled = await cli("sample", ...mboxFlags, "--out", "schemas", ...connection(), "--qa-token", "example-qa-token", "--visitors", "40", "--json");
    expect(sampled.code, sampled.stderr).toBe(0);
    const report = JSON.parse(sampled.stdout);
    expect(report.coverage).toBe("complete");
    // Every experience of every activity of each mbox, also those the first activity's audience hides.
    for (const mbox of report.mboxes) {
      const experiences = activities.mboxes[mbox.mbox].flatMap((activity: any) => activity.experiences.map((experience: any) => `${activity.id}:${experience.id}`)).sort();
      expect(mbox.experiences.map((experience: { key: string }) => experience.key).sort()).toEqual(experiences);
    }
    expect(readdirSync(join(workspace, "schemas")).sort()).toEqual(mboxes.map((mbox) => `${mbox}.schema.json`));
    const flagsSchema = JSON.parse(readFileSync(join(workspace, "schemas/demo-engineering-flags.schema.json"), "utf8"));
    expect(flagsSchema).toMatchObject({ $schema: "https://json-schema.org/draft/2020-12/schema", "x-mbox": "demo-engineering-flags", "x-mboxgen": { source: "sample", coverage: "complete" } });
    expect(flagsSchema.properties["max-items"]).toEqual({ type: "integer" });

    const generated = await cli("generate", "--schemas", "schemas", "--out", "target");
    expect(generated.code, generated.stderr).toBe(0);
    writeFileSync(join(workspace, "tsconfig.json"), JSON.stringify({ extends: "../../generator/typecheck/tsconfig.strict.json", include: ["target/*.ts"] }));
    expect(execFileSync(process.execPath, [join(repositoryRoot, "node_modules/typescript/bin/tsc"), "-p", join(workspace, "tsconfig.json")], { encoding: "utf8" })).toBe("");

    const target = (await import(pathToFileURL(join(workspace, "target/index.ts")).href)) as Record<string, any>;
    const client = createTargetClient({ client: "emulator", organizationId: "EMU@AdobeOrg", serverDomain: emulator.serverDomain, secure: false });
    for (const visitor of ["visitor-ada", "visitor-grace", "visitor-linus", "visitor-42"]) {
      const request = { id: { tntId: visitor }, context: { channel: "web" as const }, execute: { mboxes: [{ name: "demo-engineering-flags", index: 1, parameters: { region: "eu" } }] } };
      const raw = await fetch(`${emulator.url}/rest/v1/delivery?imsOrgId=x&sessionId=s`, {
        method: "POST",
        body: JSON.stringify({ ...request, execute: { mboxes: mboxes.map((name, index) => ({ name, index: index + 1, ...(index === 0 ? { parameters: { region: "eu" } } : {}) })) } }),
      }).then((response) => response.json() as Promise<any>);
      const all = await target.getAttributes(client, [target.demoEngineeringFlags, target.heroBanner, target.promoStrip], { request });
      for (const [index, exportName] of ["demoEngineeringFlags", "heroBanner", "promoStrip"].entries()) {
        const assigned = Object.assign({}, ...raw.execute.mboxes[index].options.map((option: { content: object }) => option.content));
        expect(all[exportName].asObject(), `${visitor} ${exportName}`).toEqual(assigned);
        expect(all[exportName].error).toBeUndefined();
      }
    }
  });

  it("a re-run keeps what a person wrote, constraints included, and reports what it had to widen", async () => {
    const path = join(workspace, "schemas/promo-strip.schema.json");
    const edited = JSON.parse(readFileSync(path, "utf8"));
    edited.description = "Written by a person.";
    edited.properties.color = { ...edited.properties.color, description: "Background color.", default: "#ffd400", pattern: "^#[0-9a-f]{6}$", format: "color" };
    edited.properties.message = { ...edited.properties.message, minLength: 1, maxLength: 40 };
    edited.properties.legacy = { type: "string", description: "Gone from Target." };
    writeFileSync(path, JSON.stringify(edited, null, 2));
    const connectionFlags = [...connection(), "--qa-token", "example-qa-token", "--visitors", "10"];
    // Every offer satisfies the edited schema: the file stays as it was, byte for byte.
    const accepted = await cli("sample", "--mbox", "promo-strip", "--out", "schemas", ...connectionFlags);
    expect(accepted.code, accepted.stderr).toBe(0);
    expect(accepted.stderr).toContain("promo-strip.schema.json unchanged (every offer matches it)\n    note /legacy: not in any offer; kept\n");
    expect(readFileSync(path, "utf8")).toBe(JSON.stringify(edited, null, 2));

    // Tighter than what Target serves: widened as little as it takes, each step named with the value.
    edited.properties.message.maxLength = 12;
    edited.properties.visible.type = "string";
    writeFileSync(path, JSON.stringify(edited, null, 2));
    const widened = await cli("sample", "--mbox", "promo-strip", "--out", "schemas", ...connectionFlags);
    expect(widened.code, widened.stderr).toBe(0);
    expect(widened.stderr).toContain('/message: maxLength raised from 12 to 23 (value "CHF 20 off from CHF 100")');
    expect(widened.stderr).toMatch(/\/visible: type widened from string to string \| boolean \(value (true|false)\)/);
    const after = JSON.parse(readFileSync(path, "utf8"));
    expect(after.description).toBe("Written by a person.");
    expect(after.properties.color).toEqual(edited.properties.color);
    expect(after.properties.message).toEqual({ ...edited.properties.message, maxLength: 23 });
    expect(after.properties.legacy).toEqual({ type: "string", description: "Gone from Target." });
  });

  it("a committed schema that is not valid JSON is never overwritten", async () => {
    const path = join(workspace, "schemas/promo-strip.schema.json");
    const before = readFileSync(path, "utf8");
    writeFileSync(path, `${before}\n}`);
    const result = await cli("sample", "--mbox", "promo-strip", "--out", "schemas", ...connection(), "--visitors", "2");
    expect(result.code).toBe(1);
    expect(result.stderr).toMatch(/promo-strip\.schema\.json:\d+:\d+: invalid JSON .*\[JSON_SYNTAX\]/);
    expect(readFileSync(path, "utf8")).toBe(`${before}\n}`);
    writeFileSync(path, before);
  });

  it("--check exits 1 when Target serves what the committed schema does not allow, and writes nothing", async () => {
    expect((await cli("sample", ...mboxFlags, "--out", "schemas", ...connection(), "--qa-token", "example-qa-token", "--visitors", "10", "--check")).code).toBe(0);
    const changed = structuredClone(activities);
    changed.mboxes["promo-strip"][0].experiences[0].offer.content.countdown = 3;
    const drifted = await startEmulator({ activities: changed });
    try {
      const before = readFileSync(join(workspace, "schemas/promo-strip.schema.json"), "utf8");
      const result = await cli("sample", "--mbox", "promo-strip", "--out", "schemas", "--client", "c", "--organization-id", "o", "--server-domain", drifted.serverDomain, "--no-secure", "--qa-token", "example-qa-token", "--visitors", "10", "--check");
      expect(result.code).toBe(1);
      expect(result.stderr).toContain('Target now serves mbox "promo-strip" offers that its committed schema does not allow: key \"countdown\" is not in the schema');
      expect(readFileSync(join(workspace, "schemas/promo-strip.schema.json"), "utf8")).toBe(before);
    } finally {
      await drifted.close();
    }
  });
});

describe("mboxgen sample through the Edge Network", () => {
  it("gives the same report and the same schemas as the Delivery API, QA walk included", async () => {
    const flags = [...mboxFlags, "--qa-token", "example-qa-token", "--visitors", "40", "--json", "--no-secure"];
    const viaDelivery = await cli("sample", ...flags, "--out", "via-delivery", ...connection().filter((flag) => flag !== "--no-secure"));
    const viaEdge = await cli("sample", ...flags, "--out", "via-edge", "--datastream-id", "ds-sample", "--edge-domain", emulator.serverDomain);
    expect(viaDelivery.code, viaDelivery.stderr).toBe(0);
    expect(viaEdge.code, viaEdge.stderr).toBe(0);
    const withoutFiles = (stdout: string) => ({ ...JSON.parse(stdout), files: undefined });
    expect(withoutFiles(viaEdge.stdout)).toEqual(withoutFiles(viaDelivery.stdout));
    expect(JSON.parse(viaEdge.stdout).coverage).toBe("complete");
    for (const mbox of mboxes) {
      expect(readFileSync(join(workspace, "via-edge", `${mbox}.schema.json`), "utf8")).toBe(readFileSync(join(workspace, "via-delivery", `${mbox}.schema.json`), "utf8"));
    }
  });

  it("takes the datastream from the config when no client is configured, and names the Edge Network when it fails", async () => {
    const closed = await startDeliveryServer();
    const domain = closed.serverDomain;
    await closed.close();
    writeFileSync(join(workspace, "edge.config.json"), JSON.stringify({ schemas: "edge-schemas", target: { datastreamId: "ds-sample", edgeDomain: domain, secure: false, timeout: 500 } }));
    const failed = await cli("sample", "--config", "edge.config.json", "--mbox", "hero-banner");
    expect(failed.code).toBe(1);
    expect(failed.stderr).toMatch(/the Edge Network call to http:\/\/127\.0\.0\.1:\d+\/ee\/v2\/interact\?dataStreamId=ds-sample\S* failed: connection refused by 127\.0\.0\.1:\d+ \(nothing listens there\); check --edge-domain and --datastream-id and the port, or start the server \[TARGET_UNREACHABLE\]/);
    expect(existsSync(join(workspace, "edge-schemas"))).toBe(false);
    const missing = await cli("sample", "--mbox", "x", "--out", "x", "--edge-domain", "127.0.0.1:9");
    expect(missing.stderr).toContain("sample needs --client");
  });
});

describe("the CLI commands", () => {
  it("mboxgen emulate serves an activities file until stopped", async () => {
    const controller = new AbortController();
    let stderr = "";
    const running = runCli(["emulate", "--activities", join(repositoryRoot, "fixtures/example/activities.json")], {
      cwd: workspace,
      stdout: () => undefined,
      stderr: (text) => (stderr += text),
      signal: controller.signal,
    });
    for (let attempt = 0; attempt < 100 && !stderr.includes("emulator on"); attempt += 1) await new Promise((resolve) => setTimeout(resolve, 20));
    const url = /emulator on (http:\/\/127\.0\.0\.1:\d+)/.exec(stderr)?.[1];
    expect(url).toBeDefined();
    const response = await fetch(`${url}/rest/v1/delivery?imsOrgId=x&sessionId=s`, {
      method: "POST",
      body: JSON.stringify({ id: { tntId: "v" }, context: { channel: "web" }, execute: { mboxes: [{ name: "promo-strip", index: 1 }] } }),
    });
    expect(((await response.json()) as any).execute.mboxes[0].options.length).toBe(1);
    controller.abort();
    expect(await running).toBe(0);
    expect(stderr).toContain("emulator stopped after 1 requests");
  });

  it("draws a progress bar on a terminal", async () => {
    let stderr = "";
    const code = await runCli(["sample", "--mbox", "promo-strip", "--out", mkdtempSync(join(tmpdir(), "mboxgen-progress-")), ...connection(), "--visitors", "5"], {
      cwd: workspace,
      stdout: () => undefined,
      stderr: (text) => (stderr += text),
      isTerminal: true,
    });
    expect(code).toBe(0);
    expect(stderr).toContain("\r  sampling [##############################] 5/5 requests");
    expect(stderr).toContain("⚠ coverage partial: random visitors only");
  });
});

describe("sampling faults write nothing", () => {
  const folder = () => mkdtempSync(join(tmpdir(), "mboxgen-sample-"));

  it("an unreachable endpoint is a clear error", async () => {
    const out = folder();
    const closed = await startDeliveryServer();
    const domain = closed.serverDomain;
    await closed.close();
    const result = await cli("sample", "--mbox", "m", "--out", out, "--client", "c", "--organization-id", "o", "--server-domain", domain, "--no-secure", "--timeout", "500");
    expect(result.code).toBe(1);
    expect(result.stderr).toMatch(
      /the Delivery API call to http:\/\/127\.0\.0\.1:\d+\/rest\/v1\/delivery\?\S+ failed: connection refused by 127\.0\.0\.1:\d+ \(nothing listens there\); check --client or --server-domain and the port, or start the server \[TARGET_UNREACHABLE\]\n$/,
    );
    expect(result.stderr).not.toContain("fetch failed");
    expect(readdirSync(out)).toEqual([]);
  });

  it("https against a plain-http server names TLS and advises --no-secure", async () => {
    const out = folder();
    const server = await startDeliveryServer();
    try {
      const result = await cli("sample", "--mbox", "m", "--out", out, "--client", "c", "--organization-id", "o", "--server-domain", server.serverDomain, "--timeout", "2000");
      expect(result.code).toBe(1);
      expect(result.stderr).toMatch(/failed: TLS failed \(\w+\); for a plain-http server, such as mboxgen emulate, pass --no-secure/);
      expect(readdirSync(out)).toEqual([]);
    } finally {
      await server.close();
    }
  });

  it.each([
    [400, { status: 400, message: "Invalid request" }, "HTTP 400 Bad Request: Invalid request; check --client or --server-domain: the server refused the request"],
    [503, { status: 503, message: "Unavailable" }, "HTTP 503 Service Unavailable: Unavailable; the server failed (mboxgen retried); try again later"],
  ])("HTTP %i is a clear error", async (status, body, expected) => {
    const out = folder();
    const server = await startDeliveryServer();
    server.respond(() => ({ status, json: body }));
    try {
      const result = await cli("sample", "--mbox", "m", "--out", out, "--client", "c", "--organization-id", "o", "--server-domain", server.serverDomain, "--no-secure");
      expect(result.code).toBe(1);
      expect(result.stderr).toContain(`failed: ${expected} [TARGET_UNREACHABLE]`);
      expect(existsSync(join(out, "m.schema.json"))).toBe(false);
    } finally {
      await server.close();
    }
  });

  it("a timeout is a clear error", async () => {
    const out = folder();
    const server = await startDeliveryServer();
    server.respond(() => ({ hang: true }));
    try {
      const result = await cli("sample", "--mbox", "m", "--out", out, "--client", "c", "--organization-id", "o", "--server-domain", server.serverDomain, "--no-secure", "--timeout", "200", "--visitors", "2");
      expect(result.code).toBe(1);
      expect(result.stderr).toMatch(/the Delivery API call to http:\/\/127\.0\.0\.1:\d+\/rest\/v1\/delivery\?\S+ failed: no answer within 200 ms; raise --timeout, or check that 127\.0\.0\.1:\d+ answers \[TARGET_UNREACHABLE\]/);
      expect(readdirSync(out)).toEqual([]);
    } finally {
      await server.close();
    }
  });

  it("a stopped run (Ctrl-C) exits 130 and writes nothing", async () => {
    const out = folder();
    const server = await startDeliveryServer();
    server.respond(() => ({ hang: true }));
    const controller = new AbortController();
    let stderr = "";
    const running = runCli(["sample", "--mbox", "m", "--out", out, "--client", "c", "--organization-id", "o", "--server-domain", server.serverDomain, "--no-secure", "--timeout", "400"], {
      cwd: workspace,
      stdout: () => undefined,
      stderr: (text) => (stderr += text),
      signal: controller.signal,
    });
    setTimeout(() => controller.abort(), 100);
    expect(await running).toBe(130);
    expect(stderr).toContain("stopped; nothing was written");
    expect(readdirSync(out)).toEqual([]);
    await server.close();
  });

  it("missing options are a usage error that names each one", async () => {
    const result = await cli("sample", "--out", "x");
    expect(result.code).toBe(2);
    expect(result.stderr).toContain('✘ sample needs --client <client code> (or "target.client" in mboxgen.config.json), or --datastream-id <id> to sample through the Edge Network\n');
    expect(result.stderr).toContain('✘ sample needs --organization-id <id>@AdobeOrg (or "target.organizationId" in mboxgen.config.json)\n');
    expect(result.stderr).toContain("✘ sample needs at least one --mbox <name>\n");
    expect(result.stderr).not.toContain("--out <folder>");
  });
});
