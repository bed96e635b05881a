/**
 * `mboxgen offers check` and `mboxgen infer --admin`: authored offers from Target's Admin API,
 * checked against the schemas with the accessors' own checks, or made into schemas. Loaded only
 * when one of them runs.
 */
import { relative, resolve } from "node:path";
import { AdminApiError, createAdminClient, credentialsFromEnvironment, CREDENTIAL_VARIABLES, type AdminClient } from "../admin/admin-client.js";
import { readAuthoredOffers, type AuthoredOffers, type AuthoredOffersFilter } from "../admin/authored-offers.js";
import { checkAuthoredOffers, compileSchemaChecks, type KeyViolation, type OfferCheckReport, type OfferResult } from "../admin/offer-check.js";
import { createGeneratorError, GeneratorErrors } from "../errors.js";
import { buildSchemaIrs } from "../generate.js";
import { toJsonPointer } from "../json-document.js";
import { loadConfigFile } from "./config-file.js";
import type { CliEnvironment } from "./environment.js";
import { assertInputExists, readSchemaFolder, toPosix } from "./files.js";
import { createMboxOffers } from "./schema-output.js";
import { UsageError } from "./usage-error.js";

/** The Admin API connection options both commands take. */
export interface AdminArguments {
  config?: string | undefined;
  tenant?: string | undefined;
  adminUrl?: string | undefined;
  imsUrl?: string | undefined;
  timeout?: number | undefined;
  activity?: number[] | undefined;
  state?: string[] | undefined;
  workspace?: string[] | undefined;
  /** Admin API requests in flight at once (default 4). */
  concurrency?: number | undefined;
  json: boolean;
}

/** Options of `mboxgen offers check` after parsing. */
export interface OffersCheckArguments extends AdminArguments {
  action: "check";
  schemas?: string | undefined;
  inactiveAsErrors: boolean;
}

/** Options of `mboxgen infer --admin` after parsing. */
export interface InferAdminArguments extends AdminArguments {
  out?: string | undefined;
  includeInactive: boolean;
  enumMax?: number | undefined;
  check: boolean;
}

const STATES = ["live", "scheduled", "ended", "inactive", "archived", "approved", "saved", "deactivated"];

/** The Admin API client from flags, config and environment; every missing piece named at once. */
async function adminClientOf(options: AdminArguments, environment: CliEnvironment, needs: string[]): Promise<{ client: AdminClient; tenant: string; config: Awaited<ReturnType<typeof loadConfigFile>>["config"] }> {
  const { config } = await loadConfigFile(options.config, environment.cwd);
  const target = config.target ?? {};
  const tenant = options.tenant ?? target.tenant;
  const { credentials, missing } = credentialsFromEnvironment(environment.env ?? process.env);
  for (const state of options.state ?? []) if (!STATES.includes(state)) throw new UsageError(`--state must be one of ${STATES.join(", ")}, got "${state}"`);
  if (options.concurrency !== undefined && !(Number.isInteger(options.concurrency) && options.concurrency >= 1)) throw new UsageError(`--concurrency must be a whole number of at least 1, got ${options.concurrency}`);
  const problems = [
    ...needs,
    tenant ? undefined : 'needs --tenant <tenant> (or "target.tenant" in mboxgen.config.json): the Target tenant in Admin API paths',
  ].filter((problem) => problem !== undefined);
  if (problems.length > 0) throw new UsageError(problems.join("\n✘ "));
  if (missing.length > 0) throw new GeneratorErrors([createGeneratorError("ADMIN_CREDENTIALS_MISSING", { missing })]);
  const client = createAdminClient({
    tenant: tenant!,
    adminUrl: options.adminUrl ?? target.adminUrl,
    imsUrl: options.imsUrl ?? target.imsUrl,
    credentials,
    timeout: options.timeout ?? target.timeout ?? 10_000,
  });
  return { client, tenant: tenant!, config };
}

/** An Admin API failure as a catalog error (no secret in it: the client's messages carry none). */
function adminError(error: unknown, tenant: string): never {
  if (!(error instanceof AdminApiError)) throw error;
  const location = {};
  switch (error.kind) {
    case "auth":
      throw new GeneratorErrors([createGeneratorError("ADMIN_AUTH_FAILED", { url: error.url, reason: error.message }, location, error)]);
    case "tenant":
      throw new GeneratorErrors([createGeneratorError("ADMIN_TENANT_NOT_FOUND", { tenant, url: error.url }, location, error)]);
    case "permission":
      throw new GeneratorErrors([createGeneratorError("ADMIN_PERMISSION_DENIED", { url: error.url, reason: error.message }, location, error)]);
    default:
      throw new GeneratorErrors([createGeneratorError("ADMIN_UNREACHABLE", { url: error.url, reason: error.message }, location, error)]);
  }
}

async function readAuthored(client: AdminClient, tenant: string, filter: AuthoredOffersFilter, concurrency: number | undefined): Promise<AuthoredOffers> {
  try {
    return await readAuthoredOffers(client, filter, Date.now(), concurrency ?? 4);
  } catch (error) {
    return adminError(error, tenant);
  }
}

const filterOf = (options: AdminArguments): AuthoredOffersFilter => ({ activityIds: options.activity, states: options.state, workspaces: options.workspace });

/**
 * Text from Target (names, keys, values) as the terminal should show it: control characters, line
 * separators and bidirectional overrides written as `\u` escapes, so that a name can neither move
 * the cursor, recolour a CI log, nor reorder what is printed around it.
 */
function printable(text: string): string {
  return text.replace(/[\u0000-\u001f\u007f-\u009f\u2028\u2029\u202a-\u202e\u2066-\u2069\u200e\u200f\u061c]/g, (character) => `\\u${character.charCodeAt(0).toString(16).padStart(4, "0")}`);
}

function describeValue(value: unknown): string {
  if (value === undefined) return "nothing";
  const text = printable(JSON.stringify(value));
  return text.length > 120 ? `${text.slice(0, 117)}...` : text;
}

const quoted = (name: string) => `"${printable(name)}"`;

function violationLine(violation: KeyViolation): string {
  const where = violation.key === "" ? "the offer" : printable(toJsonPointer([violation.key]));
  const got = "value" in violation ? `; got ${describeValue(violation.value)}` : "; it is missing";
  const instead = violation.fallback === undefined ? "visitors get no value (the key has no default)" : `visitors get the default ${describeValue(violation.fallback)}`;
  const line = `      ${where}: must be ${printable(violation.rule)}${got} → ${instead}`;
  if (!violation.inside) return line;
  const { pointer, rule } = violation.inside;
  return `${line}\n        at ${printable(pointer)}: must be ${printable(rule)}${"value" in violation.inside ? `; got ${describeValue(violation.inside.value)}` : "; it is missing"}`;
}

function dates(result: OfferResult): string {
  const { startsAt, endsAt } = result.activity;
  return startsAt || endsAt ? `, ${startsAt ?? "…"} → ${endsAt ?? "…"}` : "";
}

/** The report for people: failures by activity, then what was not checked, then the summary. */
function renderReport(report: OfferCheckReport): string {
  const lines: string[] = [];
  const byActivity = new Map<number, OfferResult[]>();
  for (const result of report.results) if (result.verdict === "fail") byActivity.set(result.activity.id, [...(byActivity.get(result.activity.id) ?? []), result]);
  for (const results of byActivity.values()) {
    const { activity } = results[0]!;
    const mark = results.some((result) => result.severity === "error") ? "✘" : "⚠";
    lines.push(`${mark} activity ${activity.id} ${quoted(activity.name)} (${printable(activity.type)}, ${activity.status}${printable(dates(results[0]!))})`);
    for (const result of results) {
      const experience = result.experience.id === undefined ? "automated options" : `experience ${result.experience.id}${result.experience.name ? ` ${quoted(result.experience.name)}` : ""}`;
      lines.push(`    ${experience} · mbox ${printable(result.mbox)} · offer ${result.offer.id}${result.offer.name ? ` ${quoted(result.offer.name)}` : ""}`);
      for (const violation of result.violations) lines.push(violationLine(violation));
    }
  }
  for (const entry of report.mboxesWithoutSchema) {
    lines.push(`• mbox ${quoted(entry.mbox)} has no schema in ${report.schemas}: offer${entry.offers.length === 1 ? "" : "s"} ${entry.offers.join(", ")} (activit${entry.activities.length === 1 ? "y" : "ies"} ${entry.activities.join(", ")}) not checked`);
  }
  for (const skipped of report.skipped) lines.push(`• activity ${skipped.id} ${quoted(skipped.name)} (${printable(skipped.type)}) serves no JSON offers to mboxes; not checked`);
  for (const item of report.unread) lines.push(`✘ could not read ${printable(item.what)}: ${printable(item.reason)}`);
  const { summary } = report;
  const verdict = summary.errors > 0 || summary.unread > 0 ? "✘" : summary.warnings > 0 ? "⚠" : "✔";
  lines.push(
    `${verdict} ${summary.offers} offer placement${summary.offers === 1 ? "" : "s"} in ${summary.activities} activit${summary.activities === 1 ? "y" : "ies"} of tenant ${report.tenant}: ${summary.passed} pass, ${summary.errors} break their schema where visitors see them, ${summary.warnings} in inactive or ended activities, ${summary.unchecked} not checked${summary.unread > 0 ? `, ${summary.unread} could not be read` : ""}`,
  );
  return `${lines.join("\n")}\n`;
}

/** `mboxgen offers check`: every authored JSON offer against its mbox's schema. Exit 1 when one that visitors see breaks it, or something could not be read. */
export async function runOffersCheck(options: OffersCheckArguments, environment: CliEnvironment): Promise<number> {
  const { config } = await loadConfigFile(options.config, environment.cwd);
  const schemas = options.schemas ?? config.schemas;
  const { client, tenant } = await adminClientOf(options, environment, [schemas ? undefined : 'needs --schemas <folder> (or "schemas" in mboxgen.config.json)'].filter((problem): problem is string => problem !== undefined));
  const folder = resolve(environment.cwd, schemas!);
  assertInputExists(folder, schemas!, "the schemas folder", "pass --schemas <folder> with one <mbox>.schema.json per mbox", "folder");
  const label = toPosix(relative(environment.cwd, folder)) || ".";
  // The schemas first: a broken schema is reported before any call is made.
  const checks = compileSchemaChecks(buildSchemaIrs({ schemas: await readSchemaFolder(folder, environment.cwd), config, schemasLabel: label }));
  const authored = await readAuthored(client, tenant, filterOf(options), options.concurrency);
  const report = checkAuthoredOffers(authored, checks, { tenant, schemas: label, inactiveAsErrors: options.inactiveAsErrors });
  if (options.json) environment.stdout(`${JSON.stringify(report, null, 2)}\n`);
  else environment.stderr(renderReport(report));
  return report.summary.errors > 0 || report.summary.unread > 0 ? 1 : 0;
}

/** `mboxgen infer --admin`: schemas from the JSON offers authored for each mbox (live and scheduled; inactive too with --include-inactive). */
export async function runInferAdmin(options: InferAdminArguments, environment: CliEnvironment, writeOrCheck: (entries: ReturnType<typeof createMboxOffers>[], out: string) => Promise<{ code: number; reports: unknown[] }>): Promise<number> {
  const { config } = await loadConfigFile(options.config, environment.cwd);
  const out = options.out ?? config.schemas;
  const { client, tenant } = await adminClientOf(options, environment, [out ? undefined : 'infer needs --out <folder> (or "schemas" in mboxgen.config.json)'].filter((problem): problem is string => problem !== undefined));
  const states = options.state && options.state.length > 0 ? options.state : ["live", "scheduled", ...(options.includeInactive ? ["inactive"] : [])];
  const authored = await readAuthored(client, tenant, { ...filterOf(options), states }, options.concurrency);
  if (authored.unread.length > 0) {
    throw new GeneratorErrors(authored.unread.map((item) => createGeneratorError("ADMIN_UNREACHABLE", { url: item.what, reason: item.reason })));
  }
  const byMbox = new Map<string, { offers: Record<string, unknown>[]; experiences: Set<string> }>();
  for (const serving of authored.servings) {
    if (serving.offer.type !== "json" || typeof serving.offer.content !== "object" || serving.offer.content === null || Array.isArray(serving.offer.content)) continue;
    const entry = byMbox.get(serving.mbox) ?? { offers: [], experiences: new Set<string>() };
    entry.offers.push(serving.offer.content as Record<string, unknown>);
    entry.experiences.add(`${serving.activity.id}:${serving.experience.id ?? `offer-${serving.offer.id}`}`);
    byMbox.set(serving.mbox, entry);
  }
  const entries = [...byMbox]
    .sort(([left], [right]) => (left < right ? -1 : 1))
    .map(([mbox, entry]) => createMboxOffers(mbox, entry.offers, { source: "admin", samples: entry.offers.length, experiences: [...entry.experiences].sort() }, options.enumMax));
  if (entries.length === 0) environment.stderr(`⚠ tenant ${tenant} has no JSON offers on mboxes in ${states.join(", ")} activities; nothing to write\n`);
  const { code, reports } = await writeOrCheck(entries, out!);
  if (options.json) environment.stdout(`${JSON.stringify({ mboxes: entries.map((entry) => ({ mbox: entry.mbox, offers: entry.offers.length, experiences: entry.provenance.experiences })), files: reports }, null, 2)}\n`);
  return code;
}

export { CREDENTIAL_VARIABLES };
