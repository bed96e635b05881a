/**
 * What `mboxgen generate --openfeature server manifest` writes: typed getters over any OpenFeature
 * server client (values equal the accessors' through TargetProvider; a value another provider
 * serves that fails the schema gives the default with TYPE_MISMATCH; the types are the offer's, a
 * key without a schema default takes one), and an OpenFeature CLI flag manifest valid against the
 * CLI's own schema. OpenFeature's typed flag keys (`BooleanFlagKey`, by module augmentation) do not
 * compile under any TypeScript of the matrix, so mboxgen does not emit them: a test proves it.
 */
import { spawnSync } from "node:child_process";
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { createRequire } from "node:module";
import { dirname, join } from "node:path";
import { Ajv } from "ajv";
import { OFREPProvider } from "@openfeature/ofrep-provider";
import { ErrorCode, OpenFeature, type Client } from "@openfeature/server-sdk";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { demoEngineeringFlags } from "../../fixtures/example/expected/index.js";
import { generate, readSchemaFolder, type RunningEmulator } from "../../generator/index.js";
import { repositoryRoot } from "../support/fixtures.js";
import { exampleActivities, openFeatureClient, remoteClientFor, startTestEmulator } from "../support/openfeature.js";

const ts = createRequire(import.meta.url)("typescript-5.9") as typeof import("typescript-5.9");

/** TypeScript 5.9's errors for a file on disk, strict, as an app in NodeNext mode reads it. */
function typeErrors(file: string): string[] {
  const program = ts.createProgram([file], { module: ts.ModuleKind.NodeNext, moduleResolution: ts.ModuleResolutionKind.NodeNext, target: ts.ScriptTarget.ES2022, strict: true, exactOptionalPropertyTypes: true, noEmit: true, skipLibCheck: true, allowImportingTsExtensions: true, types: [] });
  return ts.getPreEmitDiagnostics(program).map((diagnostic) => `${diagnostic.file?.fileName.split("/").pop()}:${diagnostic.file ? diagnostic.file.getLineAndCharacterOfPosition(diagnostic.start!).line + 1 : 0} ${ts.flattenDiagnosticMessageText(diagnostic.messageText, "\n")}`);
}

let emulator: RunningEmulator;
let workFolder: string;
let files: Map<string, string>;
type Getter = ((...args: unknown[]) => Promise<unknown>) & { details: (...args: unknown[]) => Promise<Record<string, unknown>> };
let createTypedFlags: (client: Client) => Record<string, Record<string, Getter>>;

beforeAll(async () => {
  emulator = await startTestEmulator();
  const result = await generate({ schemas: await readSchemaFolder(join(repositoryRoot, "fixtures/example/schemas"), repositoryRoot), config: { openfeature: ["server", "manifest"] } });
  files = new Map(result.files.map((file) => [file.path, file.text]));
  // Written into the repository and imported as an app would, so that they share the modules the provider uses.
  workFolder = mkdtempSync(join(repositoryRoot, "test/openfeature/.work-typed-"));
  for (const file of result.files) {
    mkdirSync(dirname(join(workFolder, file.path)), { recursive: true });
    writeFileSync(join(workFolder, file.path), file.text);
  }
  ({ createTypedFlags } = (await import(join(workFolder, "openfeature/index.ts"))) as { createTypedFlags: typeof createTypedFlags });
});
afterAll(async () => {
  await OpenFeature.close();
  await emulator.close();
  rmSync(workFolder, { recursive: true, force: true });
});

describe("typed OpenFeature getters", () => {
  it("give through TargetProvider what the generated accessors give, with details", async () => {
    const { client } = await openFeatureClient({ client: remoteClientFor(emulator), mboxes: [demoEngineeringFlags] });
    const flags = createTypedFlags(client);
    for (let visitor = 0; visitor < 20; visitor += 1) {
      const context = { targetingKey: `typed-${visitor}`, ...(visitor % 2 === 0 ? { region: "eu" } : {}) };
      const envelope = await remoteClientFor(emulator).getOffers({ request: { id: { tntId: context.targetingKey }, context: { channel: "web" }, prefetch: { mboxes: [{ name: "demo-engineering-flags", index: 1, ...(visitor % 2 === 0 ? { parameters: { region: "eu" } } : {}) }] } } });
      const accessors = demoEngineeringFlags.from({ asObject: () => ((envelope.response as any).prefetch.mboxes[0].options?.[0]?.content ?? {}) });
      const demo = flags.demoEngineeringFlags!;
      expect(await demo.maxItems!(context)).toBe(accessors.maxItems());
      expect(await demo.cdnHostname!(context)).toBe(accessors.cdnHostname());
      expect(await demo.checkoutFlow!(context)).toBe(accessors.checkoutFlow());
      expect(await demo.hasLegacyAccess!(true, context)).toBe(accessors.hasLegacyAccess() ?? true);
      const details = await demo.searchProviderId!.details(context);
      expect(details).toMatchObject({ flagKey: "demo-engineering-flags.searchProviderId", value: accessors.searchProviderId() });
    }
    // A nullable key is an object flag: its null and its string both come through.
    expect(await flags.demoEngineeringFlags!.betaRibbon!(null, { targetingKey: "typed-ribbon" })).toSatisfy((value: unknown) => value === null || typeof value === "string");
  });

  it("check another provider's values with the generated validator: a value that fails it gives the default, TYPE_MISMATCH", async () => {
    const activities = exampleActivities();
    activities.mboxes["demo-engineering-flags"] = [{ id: 1, name: "Broken", type: "xt", experiences: [{ id: 0, name: "Too many", weight: 1, offer: { id: 1, name: "o", content: { "max-items": 1000, searchProviderId: 7 } } }] }];
    await emulator.setActivities(activities);
    try {
      const domain = "typed-ofrep";
      await OpenFeature.setProviderAndWait(domain, new OFREPProvider({ baseUrl: emulator.url }));
      const flags = createTypedFlags(OpenFeature.getClient(domain));
      const details = await flags.demoEngineeringFlags!.maxItems!.details({ targetingKey: "typed-ofrep" });
      expect(details).toMatchObject({ value: 24, reason: "ERROR", errorCode: ErrorCode.TYPE_MISMATCH, errorMessage: 'the value of flag "demo-engineering-flags.max-items" does not match its schema: expected an integer ≥ 1 and ≤ 100' });
      expect(await flags.demoEngineeringFlags!.searchProviderId!({ targetingKey: "typed-ofrep" })).toBe(7);
    } finally {
      await emulator.setActivities(exampleActivities());
    }
  });

  it("type-check: each getter resolves to its key's type; a key without a default takes one", () => {
    const use = [
      'import type { Client } from "@openfeature/server-sdk";',
      'import { createTypedFlags } from "./openfeature/index.js";',
      "declare const client: Client;",
      "const flags = createTypedFlags(client);",
      "export async function use(): Promise<void> {",
      '  const id: number = await flags.demoEngineeringFlags.searchProviderId({ targetingKey: "v" });',
      '  const flow: "classic" | "one-page" | "express" = await flags.demoEngineeringFlags.checkoutFlow();',
      "  const legacy: boolean = await flags.demoEngineeringFlags.hasLegacyAccess(false);",
      "  const ribbon: string | null = await flags.demoEngineeringFlags.betaRibbon(null);",
      "  const details = await flags.demoEngineeringFlags.maxItems.details();",
      "  const value: number = details.value;",
      "  void [id, flow, legacy, ribbon, value];",
      "  // @ts-expect-error a key without a schema default needs one",
      "  await flags.demoEngineeringFlags.hasLegacyAccess();",
      "  // @ts-expect-error the value is a number",
      "  const wrong: string = await flags.demoEngineeringFlags.searchProviderId();",
      "  void wrong;",
      "}",
      "",
    ].join("\n");
    writeFileSync(join(workFolder, "use.ts"), use);
    expect(typeErrors(join(workFolder, "use.ts"))).toEqual([]);
    // The check can fail: a wrong type is reported.
    writeFileSync(join(workFolder, "wrong.ts"), use.replace("// @ts-expect-error the value is a number\n", ""));
    expect(typeErrors(join(workFolder, "wrong.ts")).join("\n")).toMatch(/Type 'number' is not assignable to type 'string'/);
  });
});

describe("the OpenFeature CLI flag manifest", () => {
  it("is valid against the CLI's schema and lists every key and mbox with its type and default", () => {
    const manifest = JSON.parse(files.get("openfeature/flags.json")!);
    const schema = JSON.parse(readFileSync(join(repositoryRoot, "fixtures/openfeature-cli/flag-manifest.json"), "utf8"));
    const validate = new Ajv({ strict: false, allErrors: true }).compile(schema);
    expect(validate(manifest), JSON.stringify(validate.errors)).toBe(true);
    expect(manifest.flags["demo-engineering-flags.searchProviderId"]).toEqual({ flagType: "integer", defaultValue: 143, description: "Which search backend answers site search." });
    expect(manifest.flags["demo-engineering-flags.checkoutFlow"]).toMatchObject({ flagType: "string", defaultValue: "classic" });
    expect(manifest.flags["demo-engineering-flags.hasLegacyAccess"]).toMatchObject({ flagType: "boolean", defaultValue: false, description: expect.stringContaining("No default in the schema") });
    expect(manifest.flags["hero-banner.cta"]).toMatchObject({ flagType: "object", schema: { type: "object", properties: { label: { type: "string" } } } });
    expect(manifest.flags["demo-engineering-flags"]).toMatchObject({ flagType: "object", defaultValue: { searchProviderId: 143, "max-items": 24 } });
    // A manifest with a flag of the wrong shape fails the same check (the check can fail).
    expect(validate({ flags: { x: { flagType: "boolean", defaultValue: "no" } } })).toBe(false);
  });
});

describe("OpenFeature's typed flag keys", () => {
  it("cannot be declared by module augmentation under any TypeScript of the matrix, so they are not emitted", () => {
    const require = createRequire(import.meta.url);
    const source = ['import type { BooleanFlagKey } from "@openfeature/core";', 'declare module "@openfeature/core" {', '  export type BooleanFlagKey = "demo-engineering-flags.hasLegacyAccess";', "}", "export const key: BooleanFlagKey = \"demo-engineering-flags.hasLegacyAccess\";", ""].join("\n");
    for (const version of ["typescript-5.5", "typescript-5.9"]) {
      const ts = require(version) as typeof import("typescript-5.9");
      const host = ts.createCompilerHost({});
      const file = join(repositoryRoot, "test/openfeature/augment.ts");
      const original = host.getSourceFile.bind(host);
      host.getSourceFile = (name, options, onError) => (name === file ? ts.createSourceFile(name, source, options) : original(name, options, onError));
      host.fileExists = ((exists) => (name: string) => name === file || exists(name))(host.fileExists.bind(host));
      const program = ts.createProgram([file], { module: ts.ModuleKind.NodeNext, moduleResolution: ts.ModuleResolutionKind.NodeNext, strict: true, noEmit: true, skipLibCheck: true, types: [] }, host);
      const messages = ts.getPreEmitDiagnostics(program).map((diagnostic) => ts.flattenDiagnosticMessageText(diagnostic.messageText, "\n"));
      expect(messages.join("\n"), version).toMatch(/Duplicate identifier 'BooleanFlagKey'/);
    }
    // TypeScript 7, the native compiler, through its binary on a project in the repository.
    const project = mkdtempSync(join(repositoryRoot, "test/openfeature/.work-augment-"));
    try {
      writeFileSync(join(project, "augment.ts"), source);
      writeFileSync(join(project, "tsconfig.json"), JSON.stringify({ compilerOptions: { module: "nodenext", moduleResolution: "nodenext", strict: true, noEmit: true, skipLibCheck: true, types: [] }, files: ["augment.ts"] }));
      const tsc = join(dirname(require.resolve("typescript/package.json")), "bin", "tsc");
      const result = spawnSync(process.execPath, [tsc, "-p", project, "--pretty", "false"], { encoding: "utf8" });
      expect(result.status).not.toBe(0);
      expect(result.stdout, "TypeScript 7").toMatch(/Duplicate identifier 'BooleanFlagKey'/);
    } finally {
      rmSync(project, { recursive: true, force: true });
    }
  });
});
