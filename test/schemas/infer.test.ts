/**
 * `mboxgen infer` over the artifacts @adobe/target-decisioning-engine ships, and the inference
 * core's properties: inferred schemas accept every sample (ajv), the generated types accept every
 * sample (tsc), and the order of the samples changes nothing.
 */
import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { createRequire } from "node:module";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { Ajv2020 } from "ajv/dist/2020.js";
import fc from "fast-check";
import { Project } from "ts-morph";
import { afterAll, describe, expect, it } from "vitest";
import { generate, runCli } from "../../generator/index.js";
import { buildIr, matchesType } from "../../generator/build-ir.js";
import { readArtifact } from "../../generator/infer/artifact.js";
import { Diagnostics } from "../../generator/diagnostics.js";
import { load } from "../../generator/load.js";
import { inferOfferSchema } from "../../generator/infer/infer-schema.js";
import { renderSchemaFile } from "../../generator/infer/schema-file.js";
import { startDeliveryServer } from "../support/delivery-server.js";
import { repositoryRoot } from "../support/fixtures.js";

const require = createRequire(import.meta.url);
const artifactsFolder = join(dirname(require.resolve("@adobe/target-decisioning-engine/package.json")), "test/schema/artifacts");
const artifacts = readdirSync(artifactsFolder).filter((file) => file.endsWith(".json")).sort();
const folders: string[] = [];
afterAll(() => {
  for (const folder of folders) rmSync(folder, { recursive: true, force: true });
});

function temporaryFolder(): string {
  const folder = mkdtempSync(join(tmpdir(), "mboxgen-infer-"));
  folders.push(folder);
  return folder;
}

async function cli(cwd: string, ...argv: string[]) {
  let stderr = "";
  let stdout = "";
  const code = await runCli(argv, { cwd, stdout: (text) => (stdout += text), stderr: (text) => (stderr += text) });
  return { code, stdout, stderr };
}

describe("mboxgen infer over Adobe's shipped artifacts", () => {
  it("finds the artifacts", () => {
    expect(artifacts.length).toBe(18);
  });

  it.each(artifacts.filter((file) => file !== "TEST_ARTIFACT_UNSUPPORTED.json"))("%s: every JSON offer is accepted by its schema", async (file) => {
    const out = temporaryFolder();
    const result = await cli(repositoryRoot, "infer", "--artifact", join(artifactsFolder, file), "--out", out);
    expect(result.code, result.stderr).toBe(0);
    const ajv = new Ajv2020({ strict: false });
    const offers = readArtifact(readFileSync(join(artifactsFolder, file), "utf8"), file);
    expect(readdirSync(out).sort()).toEqual(offers.map((entry) => `${entry.mbox}.schema.json`).sort());
    for (const entry of offers) {
      const validate = ajv.compile(JSON.parse(readFileSync(join(out, `${entry.mbox}.schema.json`), "utf8")));
      for (const offer of entry.offers) expect(validate(offer), `${entry.mbox}: ${JSON.stringify(validate.errors)}`).toBe(true);
    }
    if (offers.length > 0) expect((await generate({ schemas: readdirSync(out).map((name) => ({ path: name, text: readFileSync(join(out, name), "utf8") })) })).files.length).toBe(offers.length + 1);
  });

  it("the feature-flag artifact gives the documented schema", async () => {
    const [flags] = readArtifact(readFileSync(join(artifactsFolder, "TEST_ARTIFACT_FEATURE_FLAG.json"), "utf8"), "flags");
    expect(flags?.mbox).toBe("mbox-feature-flags");
    expect(flags?.experiences).toHaveLength(2);
    expect(inferOfferSchema(flags!.offers)).toEqual({
      type: "object",
      properties: {
        customerFeedbackValue: { type: "integer" },
        paymentExperience: { type: "string" },
        paymentGatewayVersion: { type: "number" },
        showFeatureX: { type: "boolean" },
      },
      required: ["customerFeedbackValue", "paymentExperience", "paymentGatewayVersion", "showFeatureX"],
      additionalProperties: false,
    });
  });

  it("an unsupported major version, a non-JSON file and a wrong shape are clear errors that write nothing", async () => {
    const out = temporaryFolder();
    const unsupported = await cli(repositoryRoot, "infer", "--artifact", join(artifactsFolder, "TEST_ARTIFACT_UNSUPPORTED.json"), "--out", out);
    expect(unsupported.code).toBe(1);
    expect(unsupported.stderr).toContain("/version: artifact version 99.0.0 is not supported (mboxgen reads major version 1)");
    const notJson = join(out, "not-json.json");
    writeFileSync(notJson, "<html>");
    expect((await cli(out, "infer", "--artifact", notJson, "--out", out)).stderr).toMatch(/not an on-device decisioning artifact: it is not JSON .*\[ARTIFACT_INVALID\]/);
    writeFileSync(notJson, JSON.stringify({ version: "1.0.0", rules: [] }));
    expect((await cli(out, "infer", "--artifact", notJson, "--out", out)).stderr).toContain('"rules.mboxes" is missing or not an object');
    expect(readdirSync(out)).toEqual(["not-json.json"]);
  });

  it("downloads an artifact by URL, and reports a failed download", async () => {
    const server = await startDeliveryServer();
    const artifact = readFileSync(join(artifactsFolder, "TEST_ARTIFACT_FEATURE_FLAG.json"), "utf8");
    server.respond((request) => (request.path === "/rules.json" ? { status: 200, text: artifact } : { status: 404, text: "no" }));
    try {
      const out = temporaryFolder();
      expect((await cli(out, "infer", "--artifact", `${server.url}/rules.json`, "--out", out)).code).toBe(0);
      expect(readdirSync(out)).toEqual(["mbox-feature-flags.schema.json"]);
      const missing = await cli(out, "infer", "--artifact", `${server.url}/missing.json`, "--out", out);
      expect(missing.code).toBe(1);
      expect(missing.stderr).toContain(`could not download ${server.url}/missing.json: HTTP 404`);
    } finally {
      await server.close();
    }
  });
});

// ajv, the independent oracle, ignores a property named __proto__ (it reports it as additional),
// so its property runs without that key; mboxgen's own matcher is checked with it below.
const jsonObjectWith = (keys: string[]) => fc.dictionary(
  fc.constantFrom(...keys),
  fc.oneof(fc.integer(), fc.double({ noNaN: true, noDefaultInfinity: true }), fc.string(), fc.boolean(), fc.constant(null), fc.array(fc.integer(), { maxLength: 3 }), fc.dictionary(fc.constantFrom("x", "y"), fc.oneof(fc.string(), fc.integer()))),
  { maxKeys: 5 },
);
const sampleSetsWith = (keys: string[]) =>
  fc.array(jsonObjectWith(keys).map((sample) => JSON.parse(JSON.stringify(sample)) as Record<string, unknown>), { minLength: 1, maxLength: 8 });
const sampleSets = sampleSetsWith(["a", "b", "max-items", "n"]);
const sampleSetsWithProto = sampleSetsWith(["a", "__proto__", "max-items"]);

describe("the inference core", () => {
  it("accepts every sample it was inferred from (ajv), whatever the order", () => {
    const ajv = new Ajv2020({ strict: false });
    fc.assert(
      fc.property(sampleSets, fc.integer(), (samples, seed) => {
        const schema = inferOfferSchema(samples, { enumMax: 3 });
        const validate = ajv.compile(schema);
        for (const sample of samples) expect(validate(sample), JSON.stringify(validate.errors)).toBe(true);
        const shuffled = [...samples].sort((left, right) => ((JSON.stringify(left).length * 31 + seed) % 7) - ((JSON.stringify(right).length * 31 + seed) % 7));
        expect(JSON.stringify(inferOfferSchema(shuffled.reverse(), { enumMax: 3 }))).toBe(JSON.stringify(schema));
      }),
      { numRuns: 150 },
    );
  });

  it("keeps __proto__ keys, and the generated validators' rules accept every sample", () => {
    fc.assert(
      fc.property(sampleSetsWithProto, (samples) => {
        const text = renderSchemaFile({ mbox: "m", inferred: inferOfferSchema(samples), offers: samples, provenance: { source: "sample", samples: samples.length, experiences: [] } }).text;
        const diagnostics = new Diagnostics();
        const loaded = load([{ path: "m.schema.json", text }], diagnostics);
        const ir = buildIr(loaded.mboxes[0]!, loaded.documents, undefined, diagnostics);
        expect(diagnostics.errors).toEqual([]);
        for (const sample of samples) {
          for (const key of Object.keys(sample)) expect(ir.attributes.map((attribute) => attribute.key)).toContain(key);
          for (const attribute of ir.attributes) {
            if (Object.hasOwn(sample, attribute.key)) expect(matchesType(attribute.type, sample[attribute.key], ir.definitions)).toBe(true);
            else expect(attribute.required).toBe(false);
          }
        }
      }),
      { numRuns: 100 },
    );
  });

  it("follows the merge policy", () => {
    expect(inferOfferSchema([{ a: 1, b: null }, { a: 2.5 }, { a: 3, c: [] }], {})).toEqual({
      type: "object",
      properties: { a: { type: "number" }, b: { type: "null" }, c: { type: "array", items: { description: "Every array seen here (1) was empty, so the item type is unknown." } } },
      required: ["a"],
      additionalProperties: false,
    });
    expect(inferOfferSchema([{ mode: "a" }, { mode: "a" }, { mode: "b" }, { mode: "b" }], { enumMax: 2 }).properties).toEqual({ mode: { type: "string", enum: ["a", "b"] } });
    expect(inferOfferSchema([{ mode: "a" }, { mode: "a" }, { mode: "b" }], { enumMax: 2 }).properties).toEqual({ mode: { type: "string" } });
    expect(inferOfferSchema([{ nested: { x: 1 } }, { nested: { x: "s", y: true } }]).properties).toEqual({
      nested: { type: "object", properties: { x: { type: ["string", "integer"] }, y: { type: "boolean" } }, required: ["x"] },
    });
  });

  it("the generated types accept every sample (tsc)", async () => {
    const sets = [...fc.sample(sampleSets, { numRuns: 10, seed: 4242 }), ...fc.sample(sampleSetsWithProto, { numRuns: 4, seed: 7 })];
    const folder = mkdtempSync(join(repositoryRoot, "test/schemas/.work-types-"));
    folders.push(folder);
    const schemas = sets.map((samples, index) => ({
      path: `m${index}.schema.json`,
      text: renderSchemaFile({ mbox: `m${index}`, inferred: inferOfferSchema(samples), offers: samples, provenance: { source: "sample", samples: samples.length, experiences: [] } }).text,
    }));
    const { files } = await generate({ schemas, config: { mboxes: Object.fromEntries(sets.map((samples, index) => [`m${index}`, samples.some((sample) => Object.hasOwn(sample, "__proto__")) ? { keys: { ["__proto__"]: { accessorName: "protoKey" } } } : {}])) } });
    for (const file of files) writeFileSync(join(folder, file.path), file.text);
    const checks = sets.map(
      (samples, index) =>
        `import type { M${index} } from "./m${index}.js";\n` +
        samples.map((sample, position) => `export const sample${index}_${position}: M${index} = JSON.parse(${JSON.stringify(JSON.stringify(sample))}) as never;\nexport const literal${index}_${position}: M${index} = ${literalOf(sample)};`).join("\n"),
    );
    writeFileSync(join(folder, "samples.ts"), checks.join("\n"));
    const project = new Project({ tsConfigFilePath: join(repositoryRoot, "test/generator/typecheck/tsconfig.strict.json"), skipAddingFilesFromTsConfig: true });
    project.addSourceFilesAtPaths(join(folder, "*.ts"));
    const diagnostics = project.getPreEmitDiagnostics().map((diagnostic) => `${diagnostic.getSourceFile()?.getBaseName()}:${diagnostic.getLineNumber()} ${JSON.stringify(diagnostic.getMessageText())}`);
    expect(diagnostics).toEqual([]);
  });
});

/** A TypeScript object literal for a JSON value, `__proto__` as a computed key. */
function literalOf(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(literalOf).join(", ")}]`;
  if (value !== null && typeof value === "object") {
    return `{ ${Object.entries(value).map(([key, item]) => `${key === "__proto__" ? `["__proto__"]` : JSON.stringify(key)}: ${literalOf(item)}`).join(", ")} }`;
  }
  return JSON.stringify(value);
}
