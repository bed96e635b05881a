/**
 * `mboxgen sample` and `mboxgen infer`: schemas from what Target serves. Loaded only when one of
 * them runs.
 */
import { readFile } from "node:fs/promises";
import { relative, resolve } from "node:path";
import { createTargetClient, type TargetClientOptions } from "@mboxgen/runtime";
import { createEdgeNetworkClient } from "@mboxgen/runtime/web-sdk";
import { Diagnostics } from "../diagnostics.js";
import { createGeneratorError, GeneratorErrors } from "../errors.js";
import { readArtifact } from "../infer/artifact.js";
import { typesOf, type JsonSchemaObject } from "../infer/infer-schema.js";
import { describeNetworkFailure } from "../network-failure.js";
import { deliveryApiSource, edgeNetworkSource, sample, type SampleResult, type SampleSource } from "../sample/sampler.js";
import { loadConfigFile } from "./config-file.js";
import { assertInputExists, toPosix } from "./files.js";
import type { CliEnvironment } from "./environment.js";
import { checkDrift, createMboxOffers, writeInferredSchemas, type MboxOffers, type SchemaWriteReport } from "./schema-output.js";
import { UsageError } from "./usage-error.js";

function keysReport(schema: JsonSchemaObject): Record<string, string[]> {
  const properties = (schema.properties ?? {}) as Record<string, Record<string, unknown>>;
  return Object.fromEntries(Object.keys(properties).map((key) => [key, typesOf(properties[key])]));
}

function printWriteReports(reports: SchemaWriteReport[], folder: string, environment: CliEnvironment): void {
  for (const report of reports) {
    const where = `${folder}/${report.file}`;
    const notes = report.notes.map((note) => `    note ${note}\n`).join("");
    if (report.created) environment.stderr(`✔ wrote ${where}\n`);
    else if (report.changes.length === 0) environment.stderr(`✔ ${where} unchanged (every offer matches it)\n${notes}`);
    else environment.stderr(`✔ updated ${where}\n${report.changes.map((change) => `    ${change}\n`).join("")}${notes}`);
  }
}

/** Writes the schemas of `entries` to `out` (relative to the working folder), or checks them with `check`: as `sample` and `infer` do. */
export function writeInferred(entries: MboxOffers[], out: string, check: boolean, environment: CliEnvironment): Promise<{ code: number; reports: SchemaWriteReport[] }> {
  return writeOrCheck(entries, out, check, environment);
}

async function writeOrCheck(entries: MboxOffers[], out: string, check: boolean, environment: CliEnvironment): Promise<{ code: number; reports: SchemaWriteReport[] }> {
  const folder = resolve(environment.cwd, out);
  const label = toPosix(relative(environment.cwd, folder)) || ".";
  if (check) {
    const drift = new Diagnostics();
    await checkDrift(folder, entries, drift);
    drift.throwIfAny();
    environment.stderr(`✔ every offer matches the schemas in ${label}\n`);
    return { code: 0, reports: [] };
  }
  const reports = await writeInferredSchemas(folder, entries);
  printWriteReports(reports, label, environment);
  return { code: 0, reports };
}

/** Options of `mboxgen sample` after parsing. */
export interface SampleArguments {
  mbox?: string[] | undefined;
  out?: string | undefined;
  config?: string | undefined;
  client?: string | undefined;
  organizationId?: string | undefined;
  serverDomain?: string | undefined;
  datastreamId?: string | undefined;
  edgeDomain?: string | undefined;
  secure?: boolean | undefined;
  timeout?: number | undefined;
  visitors: number;
  qaToken?: string | undefined;
  qaMaxActivities: number;
  qaMaxExperiences: number;
  concurrency: number;
  maxRequests: number;
  parameter?: string[] | undefined;
  json: boolean;
  enumMax?: number | undefined;
  check: boolean;
}

function coverageJson(result: SampleResult, entries: MboxOffers[], reports: SchemaWriteReport[]) {
  return {
    coverage: result.coverage,
    coverageReason: result.coverageReason,
    requests: result.requests,
    mboxes: result.mboxes.map((report, index) => ({
      mbox: report.mbox,
      requests: report.requests,
      offers: report.offers.length,
      experiences: [...report.experiences.entries()].sort(([left], [right]) => (left < right ? -1 : 1)).map(([key, seen]) => ({ key, ...seen })),
      keys: keysReport(entries[index]!.schema),
    })),
    files: reports,
  };
}

/**
 * `mboxgen sample`: schemas from what a live Target serves, through the Delivery API (`--client`)
 * or the Edge Network (`--datastream-id`; a datastream id on the command line, or only one in the
 * config, selects it).
 */
export async function runSample(options: SampleArguments, environment: CliEnvironment): Promise<number> {
  const { config } = await loadConfigFile(options.config, environment.cwd);
  const target = config.target ?? {};
  const timeout = options.timeout ?? target.timeout ?? 3000;
  const secure = options.secure ?? target.secure;
  const viaEdge = options.datastreamId !== undefined || (options.client === undefined && target.client === undefined && target.datastreamId !== undefined);
  const clientOptions: TargetClientOptions = {
    client: options.client ?? target.client ?? "",
    organizationId: options.organizationId ?? target.organizationId ?? "",
    timeout,
  };
  const serverDomain = options.serverDomain ?? target.serverDomain;
  if (serverDomain !== undefined) clientOptions.serverDomain = serverDomain;
  if (secure !== undefined) clientOptions.secure = secure;
  const datastreamId = options.datastreamId ?? target.datastreamId;
  const edgeDomain = options.edgeDomain ?? target.edgeDomain;
  const mboxes = options.mbox ?? [];
  const out = options.out ?? config.schemas;
  // Every missing option at once, each named with where it can come from.
  const missing = [
    viaEdge || clientOptions.client ? undefined : 'sample needs --client <client code> (or "target.client" in mboxgen.config.json), or --datastream-id <id> to sample through the Edge Network',
    viaEdge || clientOptions.organizationId ? undefined : 'sample needs --organization-id <id>@AdobeOrg (or "target.organizationId" in mboxgen.config.json)',
    !viaEdge || datastreamId ? undefined : 'sample needs --datastream-id <id> (or "target.datastreamId" in mboxgen.config.json)',
    mboxes.length > 0 ? undefined : "sample needs at least one --mbox <name>",
    out ? undefined : 'sample needs --out <folder> (or "schemas" in mboxgen.config.json)',
  ].filter((problem) => problem !== undefined);
  if (missing.length > 0 || !out) throw new UsageError(missing.join("\n✘ "));
  const parameters = Object.fromEntries(
    (options.parameter ?? []).map((pair) => {
      const separator = pair.indexOf("=");
      if (separator < 1) throw new UsageError(`--parameter must be name=value, got "${pair}"`);
      return [pair.slice(0, separator), pair.slice(separator + 1)];
    }),
  );
  const sampledParameters = Object.keys(parameters).length > 0 ? parameters : undefined;
  const source: SampleSource = viaEdge
    ? edgeNetworkSource(
        createEdgeNetworkClient({ datastreamId: datastreamId!, timeout, ...(edgeDomain === undefined ? {} : { edgeDomain }), ...(secure === undefined ? {} : { secure }) }),
        mboxes,
        sampledParameters,
      )
    : deliveryApiSource(createTargetClient(clientOptions), mboxes, sampledParameters);

  const controller = new AbortController();
  const stop = () => controller.abort();
  environment.signal?.addEventListener("abort", stop, { once: true });
  if (!environment.signal) process.once("SIGINT", stop);
  const progress = environment.isTerminal
    ? (done: number, planned: number) => {
        const width = 30;
        const filled = Math.min(width, Math.round((done / Math.max(planned, 1)) * width));
        environment.stderr(`\r  sampling [${"#".repeat(filled)}${"-".repeat(width - filled)}] ${done}/${planned} requests`);
      }
    : undefined;
  let result: SampleResult;
  try {
    result = await sample({
      mboxes,
      source,
      visitors: options.visitors,
      concurrency: options.concurrency,
      maxRequests: options.maxRequests,
      qaMaxActivities: options.qaMaxActivities,
      qaMaxExperiences: options.qaMaxExperiences,
      signal: controller.signal,
      ...(options.qaToken === undefined ? {} : { qaToken: options.qaToken }),
      ...(progress ? { onProgress: progress } : {}),
    });
  } catch (error) {
    if (controller.signal.aborted) {
      environment.stderr("\n✘ stopped; nothing was written\n");
      return 130;
    }
    throw error;
  } finally {
    if (progress) environment.stderr("\n");
    process.off("SIGINT", stop);
  }

  const entries = result.mboxes.map((report) =>
    createMboxOffers(
      report.mbox,
      report.offers,
      { source: "sample", samples: report.offers.length, experiences: [...report.experiences.keys()].sort(), coverage: result.coverage },
      options.enumMax,
    ),
  );
  const { code, reports } = await writeOrCheck(entries, out, options.check, environment);
  if (options.json) {
    environment.stdout(`${JSON.stringify(coverageJson(result, entries, reports), null, 2)}\n`);
  } else {
    for (const [index, report] of result.mboxes.entries()) {
      const experiences = [...report.experiences.values()].map((seen) => `${seen.activityName ?? seen.activityId}/${seen.experienceName ?? seen.experienceId}`);
      const keys = Object.entries(keysReport(entries[index]!.schema)).map(([key, types]) => `${key}: ${types.join(" | ")}`);
      environment.stderr(
        `  ${report.mbox}: ${report.requests} requests, ${report.offers.length} offers, ${report.experiences.size} experiences${experiences.length ? ` (${experiences.join(", ")})` : ""}\n` +
          (keys.length ? `    keys: ${keys.join(", ")}\n` : ""),
      );
    }
    environment.stderr(`${result.coverage === "complete" ? "✔" : "⚠"} coverage ${result.coverage}: ${result.coverageReason}\n`);
  }
  return code;
}

/** `mboxgen infer`: schemas from an on-device decisioning artifact. */
export async function runInfer(
  options: { artifact: string; out?: string | undefined; config?: string | undefined; enumMax?: number | undefined; check: boolean; json: boolean; timeout: number },
  environment: CliEnvironment,
): Promise<number> {
  const { config } = await loadConfigFile(options.config, environment.cwd);
  const out = options.out ?? config.schemas;
  if (!out) throw new UsageError('infer needs --out <folder> (or "schemas" in mboxgen.config.json)');
  let text: string;
  if (/^https?:\/\//i.test(options.artifact)) {
    let response: Response;
    try {
      response = await fetch(options.artifact, { signal: AbortSignal.timeout(options.timeout) });
      text = await response.text();
    } catch (error) {
      const { reason, fix } = describeNetworkFailure(error, options.artifact, { host: "the --artifact URL", timeout: "--timeout" });
      throw new GeneratorErrors([createGeneratorError("ARTIFACT_UNREACHABLE", { url: options.artifact, reason, fix }, {}, error)]);
    }
    if (!response.ok) {
      const reason = `HTTP ${response.status} ${response.statusText}`;
      throw new GeneratorErrors([createGeneratorError("ARTIFACT_UNREACHABLE", { url: options.artifact, reason, fix: "check the URL, or download the file and pass its path" })]);
    }
  } else {
    const path = resolve(environment.cwd, options.artifact);
    assertInputExists(path, options.artifact, "the artifact file", "pass the path of a rules.json, or its https:// URL");
    text = await readFile(path, "utf8");
  }
  const mboxes = readArtifact(text, options.artifact);
  const entries = mboxes.map((entry) =>
    createMboxOffers(entry.mbox, entry.offers, { source: "artifact", samples: entry.offers.length, experiences: entry.experiences }, options.enumMax),
  );
  if (entries.length === 0) environment.stderr(`⚠ ${options.artifact} has no mbox with JSON offers; nothing to write\n`);
  const { code, reports } = await writeOrCheck(entries, out, options.check, environment);
  if (options.json) environment.stdout(`${JSON.stringify({ mboxes: entries.map((entry) => ({ mbox: entry.mbox, offers: entry.offers.length, experiences: entry.provenance.experiences, keys: keysReport(entry.schema) })), files: reports }, null, 2)}\n`);
  return code;
}
