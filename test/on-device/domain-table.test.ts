/**
 * The Public Suffix List is loaded on demand (issue #13): an on-device app whose artifact never
 * reads page or referring domains never loads the table, in Node (proved by the modules a child
 * process loads) and in a bundle (esbuild puts it in a chunk of its own); an artifact that reads
 * domains loads it before it goes live, so its decisions stay synchronous and exact.
 */
import { execFile } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { pathToFileURL } from "node:url";
import { promisify } from "node:util";
import { build } from "esbuild";
import { afterAll, describe, expect, it } from "vitest";
import { compileArtifact } from "../../runtime/on-device/decision-engine.js";
import { loadTestArtifacts } from "../support/adobe-suites.js";
import { repositoryRoot } from "../support/fixtures.js";

const artifacts = loadTestArtifacts();
const workspace = mkdtempSync(join(tmpdir(), "mboxgen-domain-table-"));
afterAll(() => rmSync(workspace, { recursive: true, force: true }));

const DOMAIN_PARTS = /"var":\s*"(page|referring)\.(domain|subdomain|topLevelDomain)(_lc)?"/;

/** What a Node app loads: the runtime's modules (relative to runtime/dist/) after it decided one call. */
async function modulesLoadedDeciding(artifact: unknown, call: Record<string, unknown>): Promise<{ loaded: string[]; offers: unknown }> {
  const folder = mkdtempSync(join(workspace, "app-"));
  const artifactFile = join(folder, "artifact.json");
  const record = join(folder, "modules.txt");
  writeFileSync(artifactFile, JSON.stringify(artifact));
  writeFileSync(
    join(folder, "app.mjs"),
    `import { readFileSync } from "node:fs";
import { createTargetClient } from ${JSON.stringify(pathToFileURL(join(repositoryRoot, "runtime/dist/on-device.js")).href)};
const client = createTargetClient({
  client: "someClientId", organizationId: "someOrgId@AdobeOrg", decisioningMethod: "on-device", pollingInterval: 0,
  targetLocationHint: "35", artifactPayload: JSON.parse(readFileSync(${JSON.stringify(artifactFile)}, "utf8")),
  fetch: async () => new Response("{}", { status: 200, headers: { "content-type": "application/json" } }),
});
await client.ready;
const envelope = await client.getOffers(${JSON.stringify(call)});
await client.close();
process.stdout.write(JSON.stringify(envelope.response.prefetch ?? envelope.response.execute ?? null));
`,
  );
  const { stdout } = await promisify(execFile)(process.execPath, ["--import", join(repositoryRoot, "test/support/module-recorder.mjs"), join(folder, "app.mjs")], {
    env: { ...process.env, MBOXGEN_RECORD_MODULES: record },
  });
  const distUrl = pathToFileURL(join(repositoryRoot, "runtime/dist/")).href;
  const loaded = readFileSync(record, "utf8").trim().split("\n").filter((url) => url.startsWith(distUrl)).map((url) => url.slice(distUrl.length));
  return { loaded, offers: JSON.parse(stdout) };
}

const TABLE = "on-device/domains/public-suffix-list.js";

describe("which artifacts need the domain table", () => {
  it("exactly those whose rules read page or referring domain parts, by an independent reading", () => {
    const verdicts = Object.entries(artifacts).map(([name, artifact]) => [name, compileArtifact(artifact).needs.domains, DOMAIN_PARTS.test(JSON.stringify(artifact.rules))]);
    for (const [name, compiled, read] of verdicts) expect(compiled, String(name)).toBe(read);
    expect(verdicts.filter(([, needs]) => needs).map(([name]) => name)).toContain("TEST_ARTIFACT_ADDRESS");
    expect(verdicts.filter(([, needs]) => !needs).map(([name]) => name)).toContain("TEST_ARTIFACT_FEATURE_FLAG");
  });

  it("a rule computing its variable's path may read anything, domains included", () => {
    const artifact = structuredClone(artifacts.TEST_ARTIFACT_FEATURE_FLAG);
    const [rule] = Object.values(artifact.rules.mboxes as Record<string, Array<{ condition: unknown }>>)[0]!;
    rule!.condition = { "==": [{ var: { cat: ["page.", "domain"] } }, "example.com"] };
    expect(compileArtifact(artifact).needs.domains).toBe(true);
  });
});

describe("loading the table on demand in Node", () => {
  const flagsCall = { request: { id: { tntId: "visitor-1" }, context: { channel: "web", address: { url: "https://shop.example.co.uk/" } }, execute: { mboxes: [{ name: "mbox-feature-flags", index: 1 }] } } };

  it("a feature-flag artifact decides without ever loading it", async () => {
    const { loaded, offers } = await modulesLoadedDeciding(artifacts.TEST_ARTIFACT_FEATURE_FLAG, flagsCall);
    expect(loaded).toContain("on-device/decision-engine.js");
    expect(loaded.filter((file) => file.startsWith("on-device/domains/"))).toEqual([]);
    expect(JSON.stringify(offers)).toContain("paymentExperience");
  });

  it("an artifact whose rules read domains loads it before it is ready, and decides by it", async () => {
    const call = { request: { id: { tntId: "visitor-1" }, context: { channel: "web", address: { url: "https://pied.piper.decentralized.test.hooli.com/?implementation=psl" } }, execute: { mboxes: [{ name: "mbox-urlcontains", index: 1 }] } } };
    const { loaded, offers } = await modulesLoadedDeciding(artifacts.TEST_ARTIFACT_ADDRESS, call);
    expect(loaded).toContain(TABLE);
    // A rule on hooli.com's domain parts matched (both of its experiences say fizz): the parts came from the list.
    expect(JSON.stringify(offers)).toContain('"fizz":"buzz"');
  });

  it("a traced call loads it (a trace shows every context field), even for a feature-flag artifact", async () => {
    const traced = { request: { ...flagsCall.request, trace: { authorizationToken: "token" } } };
    const { loaded, offers } = await modulesLoadedDeciding(artifacts.TEST_ARTIFACT_FEATURE_FLAG, traced);
    expect(loaded).toContain(TABLE);
    expect(JSON.stringify(offers)).toContain('"domain":"example.co.uk"');
  });
});

describe("bundles", () => {
  it("with code splitting, the table is a chunk of its own that the on-device entry loads only by import()", async () => {
    const result = await build({
      entryPoints: [join(repositoryRoot, "runtime/dist/on-device.js")],
      bundle: true,
      splitting: true,
      format: "esm",
      platform: "browser",
      minify: true,
      outdir: join(workspace, "split"),
      write: false,
      metafile: true,
      logLevel: "silent",
    });
    const outputs = Object.entries(result.metafile.outputs).filter(([file]) => file.endsWith(".js"));
    const holding = (source: string) => outputs.filter(([, output]) => Object.keys(output.inputs).some((input) => input.endsWith(source))).map(([file]) => file);
    // A chunk reached by import() has an entryPoint of its own.
    const [entryChunk] = outputs.filter(([, output]) => output.entryPoint === "runtime/dist/on-device.js").map(([file]) => file);
    const [tableChunk] = holding("domains/public-suffix-list.js");
    expect(tableChunk).toBeDefined();
    expect(tableChunk).not.toBe(entryChunk);
    expect(holding("on-device/decision-engine.js")).toEqual([entryChunk]);
    const entryText = result.outputFiles.find((file) => file.path.endsWith(entryChunk!.split("/").pop()!))!.text;
    expect(entryText).toMatch(/import\(["'][^"']+["']\)/);
  });

  it("when the table's chunk cannot load, a domain artifact is refused with a typed error and a feature-flag artifact still works", async () => {
    const outdir = join(workspace, "split-missing");
    const result = await build({ entryPoints: { "on-device": join(repositoryRoot, "runtime/dist/on-device.js") }, bundle: true, splitting: true, format: "esm", platform: "neutral", outdir, metafile: true, logLevel: "silent" });
    const [tableChunk] = Object.entries(result.metafile.outputs).filter(([, output]) => Object.keys(output.inputs).some((input) => input.endsWith("domains/public-suffix-list.js"))).map(([file]) => file);
    rmSync(join(repositoryRoot, tableChunk!));
    const app = join(outdir, "app.mjs");
    writeFileSync(
      app,
      `import { createTargetClient, isTargetError } from "./on-device.js";
const artifacts = ${JSON.stringify({ address: artifacts.TEST_ARTIFACT_ADDRESS, flags: artifacts.TEST_ARTIFACT_FEATURE_FLAG })};
const fetch = async () => new Response("{}", { status: 200, headers: { "content-type": "application/json" } });
const outcome = {};
for (const [name, artifactPayload] of Object.entries(artifacts)) {
  const errors = [];
  const client = createTargetClient({ client: "c", organizationId: "o@AdobeOrg", decisioningMethod: "on-device", pollingInterval: 0, targetLocationHint: "35", artifactPayload, fetch, logger: { error: (message) => errors.push(String(message)) } });
  outcome[name] = await client.ready.then(() => "ready", (error) => ({ kind: isTargetError(error) ? error.kind : "untyped", message: error.message, logged: errors }));
  await client.close();
}
process.stdout.write(JSON.stringify(outcome));
`,
    );
    const { stdout } = await promisify(execFile)(process.execPath, [app]);
    const outcome = JSON.parse(stdout);
    expect(outcome.flags).toBe("ready");
    expect(outcome.address).toMatchObject({ kind: "artifact", message: expect.stringContaining("reads page or referring domains, and the Public Suffix List could not be loaded") });
    expect(outcome.address.logged).toEqual([outcome.address.message]);
  });
});
