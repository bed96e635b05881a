/**
 * The README's offers check section, as written: its command against the emulator prints the
 * output the README shows (exit 1 on the example's schemas, the pass line on sampled ones), and its
 * GitHub Actions workflow is valid YAML whose triggers and step run the check with the credentials
 * its `env` maps from the repository's secrets (here the emulator's).
 */
import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { parse } from "yaml";
import { runCli, startEmulator, type RunningEmulator } from "../../generator/index.js";
import { repositoryRoot } from "../support/fixtures.js";
import { readmeBlocks, shellCommands, withAssignments } from "../support/readme.js";

let emulator: RunningEmulator;
let workspace: string;
beforeAll(async () => {
  emulator = await startEmulator({ activities: JSON.parse(readFileSync(join(repositoryRoot, "fixtures/example/activities.json"), "utf8")) });
  workspace = mkdtempSync(join(repositoryRoot, "test/admin/.work-"));
  cpSync(join(repositoryRoot, "fixtures/example/schemas"), join(workspace, "schemas"), { recursive: true });
});
afterAll(async () => {
  await emulator.close();
  rmSync(workspace, { recursive: true, force: true });
});

const block = (marker: string) => {
  const found = readmeBlocks().find((each) => each.marker === marker);
  if (!found) throw new Error(`the README has no block marked ${marker}`);
  return found;
};

/** A shell command as the README writes it: `NAME=value` words first, then `npx mboxgen …`. */
function splitCommand(words: string[]): { env: Record<string, string>; argv: string[] } {
  const { env, command } = withAssignments(words);
  expect(command.slice(0, 2)).toEqual(["npx", "mboxgen"]);
  return { env, argv: command.slice(2).map((word) => word.replace("http://127.0.0.1:8080", emulator.url)) };
}

async function run(argv: string[], env: Record<string, string>) {
  let stdout = "";
  let stderr = "";
  const code = await runCli(argv, { cwd: workspace, stdout: (text) => (stdout += text), stderr: (text) => (stderr += text), env });
  return { code, stdout, stderr };
}

describe("the README's offers check", () => {
  it("prints what the README shows for the example's schemas, and its pass line once cdnHostname is optional", async () => {
    const [command, ...rest] = shellCommands(block("offers-check").code);
    expect(rest).toEqual([]);
    const { env, argv } = splitCommand(command!);
    expect(Object.keys(env).sort()).toEqual(["MBOXGEN_TARGET_CLIENT_ID", "MBOXGEN_TARGET_CLIENT_SECRET"]);
    const failing = await run(argv, env);
    expect(failing.stderr).toBe(block("offers-check-output").code);
    expect(failing.code).toBe(1);

    // What `sample` did to the schema in the README's walk-through.
    const path = join(workspace, "schemas/demo-engineering-flags.schema.json");
    const original = readFileSync(path, "utf8");
    const schema = JSON.parse(original);
    schema.required = schema.required.filter((key: string) => key !== "cdnHostname");
    writeFileSync(path, JSON.stringify(schema, null, 2));
    try {
      const passing = await run(argv, env);
      const stated = /With the schemas as sampled above it prints\n`([^`]+)`/.exec(readFileSync(join(repositoryRoot, "README.md"), "utf8"))?.[1];
      expect(stated).toBeDefined();
      expect(passing.stderr).toBe(`${stated}\n`);
      expect(passing.code).toBe(0);
    } finally {
      writeFileSync(path, original);
    }
  });

  it("its GitHub Actions workflow runs on schema changes and nightly, and its step checks with the secrets its env maps", async () => {
    const workflow = parse(block("offers-check-workflow").code) as {
      on: { pull_request: { paths: string[] }; schedule: Array<{ cron: string }>; workflow_dispatch: unknown };
      jobs: Record<string, { "runs-on": string; steps: Array<{ uses?: string; run?: string; with?: Record<string, unknown>; env?: Record<string, string> }> }>;
    };
    expect(workflow.on.pull_request.paths).toContain("schemas/**");
    expect(workflow.on.schedule).toHaveLength(1);
    // Five cron fields, each a number or `*`.
    expect(workflow.on.schedule[0]!.cron.split(" ").map((field) => /^(\*|\d+)$/.test(field))).toEqual([true, true, true, true, true]);
    const [job] = Object.values(workflow.jobs);
    const steps = job!.steps;
    expect(steps.map((step) => step.uses ?? step.run)).toEqual(["actions/checkout@v4", "actions/setup-node@v4", "npm ci", "npx mboxgen offers check"]);
    expect(steps[1]!.with).toMatchObject({ "node-version": 20 });
    const check = steps[3]!;
    const secrets: Record<string, string> = { TARGET_CLIENT_ID: "emulator-client", TARGET_CLIENT_SECRET: "emulator-secret" };
    const env = Object.fromEntries(
      Object.entries(check.env!).map(([name, value]) => {
        const secret = /^\$\{\{ secrets\.(\w+) \}\}$/.exec(value)?.[1];
        expect(secret, `${name} comes from a secret`).toBeDefined();
        return [name, secrets[secret!]!];
      }),
    );
    // The repository's config names the tenant (here, and the emulator as Admin API and IMS).
    writeFileSync(join(workspace, "mboxgen.config.json"), JSON.stringify({ schemas: "schemas", target: { tenant: "emulator", adminUrl: emulator.url, imsUrl: emulator.url } }));
    try {
      const words = check.run!.split(" ");
      const { argv } = splitCommand(words);
      const checked = await run(argv, env);
      expect(checked.stderr).toBe(block("offers-check-output").code);
      expect(checked.code).toBe(1);
      // Without the secrets the step fails with the variables it needs named, before any request.
      const requests = emulator.stats.admin.requests;
      const bare = await run(argv, {});
      expect(bare.code).toBe(1);
      expect(bare.stderr).toMatch(/\[ADMIN_CREDENTIALS_MISSING\]/);
      expect(bare.stderr).toMatch(/MBOXGEN_TARGET_CLIENT_ID/);
      expect(bare.stderr).toMatch(/MBOXGEN_TARGET_CLIENT_SECRET/);
      expect(emulator.stats.admin.requests).toBe(requests);
    } finally {
      rmSync(join(workspace, "mboxgen.config.json"));
    }
  });
});
