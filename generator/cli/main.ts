/**
 * The `mboxgen` command line: yargs for the arguments, one module per command, loaded only when
 * that command runs (so `mboxgen --version` and `mboxgen emulate` never load prettier). Exit codes: 0 success, 1 generation error or stale output,
 * 2 usage error. Stack traces only with `--debug`.
 */
import yargs, { type Options } from "yargs";
import { closestMatch } from "../did-you-mean.js";
import { GeneratorError, GeneratorErrors } from "../errors.js";
import { GENERATOR_VERSION } from "../version.js";
import type { EmulateArguments } from "./emulate-command.js";
import type { GenerateArguments } from "./generate-command.js";
import type { SampleArguments } from "./schema-commands.js";
import type { InferAdminArguments, OffersCheckArguments } from "./offers-command.js";
import type { CliEnvironment } from "./environment.js";
import { UsageError } from "./usage-error.js";

const BUG_REPORT_URL = "https://github.com/mboxgen/mboxgen/issues";

// String and number options need a value: `--out` alone is a usage error, never "the current folder".
const text = (describe: string, extra: Options = {}): Options => ({ type: "string", requiresArg: true, describe, ...extra });
const count = (describe: string, extra: Options = {}): Options => ({ type: "number", requiresArg: true, describe, ...extra });
const flag = (describe: string, extra: Options = {}): Options => ({ type: "boolean", describe, ...extra });

const GLOBAL_OPTIONS: Record<string, Options> = {
  debug: flag("Print stack traces of errors", { default: false }),
};

interface CommandSpec {
  describe: string;
  /** A positional argument the command requires (`offers <action>`). */
  positional?: { name: string; choices: string[]; describe: string };
  options: Record<string, Options>;
  examples: Array<[command: string, description: string]>;
}

/** The Admin API options of `offers check` and `infer --admin`. */
const ADMIN_OPTIONS: Record<string, Options> = {
  tenant: text("Target tenant in Admin API paths (config: target.tenant); credentials from MBOXGEN_TARGET_CLIENT_ID and MBOXGEN_TARGET_CLIENT_SECRET, or MBOXGEN_TARGET_TOKEN"),
  "admin-url": text("Admin API base URL (config: target.adminUrl)", { defaultDescription: "https://mc.adobe.io" }),
  "ims-url": text("Adobe IMS base URL; the token comes from <ims-url>/ims/token/v3 (config: target.imsUrl)", { defaultDescription: "https://ims-na1.adobelogin.com" }),
  activity: count("Only this activity id (repeat for several)", { array: true }),
  state: text("Only activities in this state: live, scheduled, ended, inactive, archived (or approved, saved, deactivated); repeat for several", { array: true }),
  workspace: text("Only activities of this workspace id (repeat for several)", { array: true }),
  concurrency: count("Admin API requests in flight at once", { default: 4 }),
};

/** Every command with its options: the parser's input and the vocabulary of "did you mean". */
const COMMANDS: Record<string, CommandSpec> = {
  generate: {
    describe: "Generate typed accessor modules from one JSON Schema per mbox",
    options: {
      schemas: text("Folder of <mbox>.schema.json files (config: schemas)"),
      out: text("Output folder; mboxgen owns and replaces it (config: out)"),
      config: text("Config file (default: mboxgen.config.json, .js or .mjs in the working directory)"),
      check: flag("Exit 1 and list stale, missing and extra files; write nothing", { default: false }),
      watch: flag("Regenerate when a schema or the config changes", { default: false }),
      stdout: flag("Print the generated files instead of writing them", { default: false }),
      format: flag("Run prettier for the config's prettier options (default true; output is in prettier's default layout already)"),
      "runtime-import": text('Module the generated code imports the runtime from (default "@mboxgen/runtime")'),
      openfeature: { type: "array", choices: ["server", "react", "manifest"], describe: "Also write for OpenFeature: server (typed getters over an OpenFeature client), react (typed React hooks), manifest (an OpenFeature CLI flag manifest)" },
    },
    examples: [
      ["$0 generate --schemas schemas --out src/target", "Write src/target/index.ts and one module per mbox"],
      ["$0 generate --check", "In CI: fail when the committed output is stale"],
      ["$0 generate --openfeature server manifest", "Also write typed OpenFeature getters and a flag manifest to <out>/openfeature/"],
    ],
  },
  emulate: {
    describe: "Serve an activities file as a local Delivery API (POST /rest/v1/delivery), rules artifact and OFREP endpoint",
    options: {
      activities: text("Activities file (JSON); default: mboxgen's bundled example, fixtures/example/activities.json"),
      port: count("Port (default: a free one)", { default: 0 }),
      host: text("Host to listen on", { default: "127.0.0.1" }),
    },
    examples: [
      ["$0 emulate --port 8080", "Serve the bundled example's activities on 127.0.0.1:8080"],
      ["$0 emulate --activities activities.json", "Serve your own activities"],
    ],
  },
  sample: {
    describe: "Write <mbox>.schema.json files from what a live Target serves (Delivery API or Edge Network)",
    options: {
      mbox: text("Mbox to sample (repeat for several)", { array: true }),
      out: text("Folder for the schemas (config: schemas)"),
      config: text('Config file; its "target" holds the connection'),
      client: text("Target client code (config: target.client)"),
      "organization-id": text("Experience Cloud organization id (config: target.organizationId)"),
      "server-domain": text("host[:port] of the Delivery API (config: target.serverDomain)"),
      "datastream-id": text("Sample through the Edge Network with this datastream (config: target.datastreamId)"),
      "edge-domain": text("host[:port] of the Edge Network, default edge.adobedc.net (config: target.edgeDomain)"),
      secure: flag("https (default); --no-secure for http"),
      timeout: count("Milliseconds per request (default 3000)"),
      visitors: count("Synthetic visitors to ask as", { default: 200 }),
      "qa-token": text("Walk qaMode.previewIndexes over every activity and experience of this QA token"),
      "qa-max-activities": count("Activity indexes to walk", { default: 10 }),
      "qa-max-experiences": count("Experience indexes to walk per activity", { default: 10 }),
      concurrency: count("Requests in flight at once", { default: 8 }),
      "max-requests": count("Hard cap on requests", { default: 1000 }),
      parameter: text("Mbox parameter name=value sent with every mbox (for audiences)", { array: true }),
      "enum-max": count("Write string enums of at most N values, each seen twice"),
      json: flag("Print the coverage report as JSON on stdout", { default: false }),
      check: flag("Write nothing; exit 1 when Target serves what the committed schemas do not allow", { default: false }),
    },
    examples: [
      ["$0 sample --mbox hero-banner --out schemas --client acmeclient --organization-id 1234567890@AdobeOrg", "Sample one mbox from Target"],
      ["$0 sample --mbox hero-banner --out schemas --datastream-id 0f4bd3ac-…", "Sample it through the Edge Network"],
    ],
  },
  offers: {
    describe: "Check every JSON offer authored in Target against its mbox's schema, through the Admin API, before visitors see it",
    positional: { name: "action", choices: ["check"], describe: "check: validate every authored JSON offer" },
    options: {
      schemas: text("Folder of <mbox>.schema.json files (config: schemas)"),
      config: text('Config file; its "schemas" and "target" (tenant, adminUrl, imsUrl) apply'),
      ...ADMIN_OPTIONS,
      "inactive-as-errors": flag("Fail also for offers of inactive (saved), archived (deactivated) and ended activities, not only live and scheduled ones", { default: false }),
      timeout: count("Milliseconds per request attempt (default 10000)"),
      json: flag("Print the report as JSON on stdout", { default: false }),
    },
    examples: [
      ["$0 offers check --schemas schemas --tenant acmeclient", "Exit 1 when a live or scheduled activity's JSON offer breaks its schema"],
      ["$0 offers check --state live --json", "Only live activities; the report as JSON"],
    ],
  },
  infer: {
    describe: "Write <mbox>.schema.json files from an on-device decisioning artifact, or from every JSON offer authored in Target (--admin)",
    options: {
      artifact: text("rules.json path or http(s) URL"),
      admin: flag("Infer from the JSON offers authored for each mbox, read through the Admin API (live and scheduled activities)", { default: false }),
      "include-inactive": flag("With --admin: offers of inactive (saved) activities too", { default: false }),
      ...ADMIN_OPTIONS,
      out: text("Folder for the schemas (config: schemas)"),
      config: text("Config file"),
      timeout: count("Milliseconds for downloading a URL, or per Admin API attempt", { default: 10000 }),
      "enum-max": count("Write string enums of at most N values, each seen twice"),
      json: flag("Print what was found as JSON on stdout", { default: false }),
      check: flag("Write nothing; exit 1 when the artifact serves what the committed schemas do not allow", { default: false }),
    },
    examples: [
      ["$0 infer --artifact rules.json --out schemas", "One schema per mbox with JSON offers"],
      ["$0 infer --admin --tenant acmeclient --out schemas", "One schema per mbox from the JSON offers authored in Target"],
    ],
  },
};

function createParser() {
  let parser = yargs()
    .scriptName("mboxgen")
    .usage("$0 <command> [options]")
    .options(GLOBAL_OPTIONS);
  for (const [name, spec] of Object.entries(COMMANDS)) {
    const { positional } = spec;
    parser = parser.command(positional ? `${name} <${positional.name}>` : name, spec.describe, (command) => {
      let withOptions = positional ? command.positional(positional.name, { choices: positional.choices, describe: positional.describe, type: "string" }).options(spec.options) : command.options(spec.options);
      for (const [example, description] of spec.examples) withOptions = withOptions.example(example, description);
      return withOptions;
    });
  }
  return parser
    .demandCommand(1, `Name a command: ${Object.keys(COMMANDS).join(", ")} (mboxgen --help)`)
    .strict()
    .help()
    .alias("h", "help")
    .version(GENERATOR_VERSION)
    .alias("v", "version")
    .wrap(Math.min(110, process.stdout.columns ?? 110))
    .exitProcess(false);
}

/** The flags a command accepts, as typed on the command line (`--no-x` for booleans too). */
function flagsOf(command: string | undefined): string[] {
  const options = { ...GLOBAL_OPTIONS, ...(command ? COMMANDS[command]?.options : {}) };
  const names = ["help", "version", ...Object.keys(options)];
  for (const [name, option] of Object.entries(options)) if (option.type === "boolean") names.push(`no-${name}`);
  return names;
}

// yargs' messages, said the way the rest of the CLI says things, with suggestions.
function explainParseError(message: string, argv: readonly string[]): string {
  const command = argv.find((argument) => !argument.startsWith("-"));
  const knownCommand = command !== undefined && Object.hasOwn(COMMANDS, command) ? command : undefined;
  const unknown = /^Unknown arguments?: (.+)$/.exec(message);
  if (unknown) {
    return unknown[1]!
      .split(", ")
      .map((name) => {
        const typedAsFlag = argv.some((argument) => /^--?/.test(argument) && argument.replace(/^--?/, "").split("=")[0] === name);
        if (!typedAsFlag && knownCommand === undefined) {
          const suggestion = closestMatch(name, Object.keys(COMMANDS));
          return `unknown command "${name}"${suggestion ? `; did you mean "${suggestion}"?` : `; the commands are ${Object.keys(COMMANDS).join(", ")}`}`;
        }
        if (!typedAsFlag) return `unexpected argument "${name}" (${knownCommand} takes no positional arguments)`;
        const suggestion = closestMatch(name, flagsOf(knownCommand));
        return `unknown option --${name}${knownCommand ? ` for ${knownCommand}` : ""}${suggestion ? `; did you mean --${suggestion}?` : ""}`;
      })
      .join("\n✘ ");
  }
  const needsValue = /^Not enough arguments following: (.+)$/.exec(message);
  if (needsValue) return `--${needsValue[1]} needs a value`;
  const missing = /^Missing required arguments?: (.+)$/.exec(message);
  if (missing) return missing[1]!.split(", ").map((name) => `${knownCommand ?? "this command"} needs --${name}`).join("\n✘ ");
  return message;
}

function parse(argv: readonly string[]): Promise<{ parsed: Record<string, unknown>; output: string }> {
  return new Promise((resolveParse, rejectParse) => {
    void createParser().parse([...argv], {}, (error, result, output) => {
      if (error) rejectParse(new UsageError(explainParseError(error.message, argv)));
      else resolveParse({ parsed: result as Record<string, unknown>, output });
    });
  });
}

// A number option given something that is not a number: yargs lets NaN through.
function assertNumbers(command: string, parsed: Record<string, unknown>): void {
  for (const [name, option] of Object.entries(COMMANDS[command]?.options ?? {})) {
    if (option.type === "number" && Number.isNaN(parsed[name])) throw new UsageError(`--${name} must be a number`);
  }
}

/** Prints an error: every problem of a `GeneratorErrors`, a stack only with `--debug`. */
function reportError(error: unknown, environment: CliEnvironment, debug: boolean): void {
  const errors = error instanceof GeneratorErrors ? error.errors : [error];
  for (const each of errors) {
    if (each instanceof GeneratorError || each instanceof UsageError) {
      environment.stderr(`✘ ${each.message}\n`);
    } else {
      // Not one of ours: a bug, said so, with the way to report it.
      const message = each instanceof Error ? `${each.name}: ${each.message}` : String(each);
      environment.stderr(`✘ unexpected error: ${message}\n  This is a bug in mboxgen; please report it at ${BUG_REPORT_URL}${debug ? "" : " with the output of the same command run with --debug"}\n`);
    }
    if (debug && each instanceof Error && each.stack) environment.stderr(`${each.stack}\n`);
  }
  if (errors.length > 1) environment.stderr(`✘ ${errors.length} problems; nothing was written\n`);
}

/** Runs the CLI with `argv` (without node and script); resolves with the exit code. */
export async function runCli(argv: readonly string[], environment: CliEnvironment): Promise<number> {
  const debug = argv.includes("--debug");
  let parsed: Record<string, unknown>;
  try {
    const result = await parse(argv);
    if (result.output) {
      environment.stdout(`${result.output}\n`);
      return 0;
    }
    parsed = result.parsed;
    assertNumbers(String((parsed._ as unknown[])[0]), parsed);
  } catch (error) {
    environment.stderr(`✘ ${error instanceof Error ? error.message : String(error)}\n  Run mboxgen --help for the usage.\n`);
    return 2;
  }
  const command = String((parsed._ as unknown[])[0]);
  try {
    switch (command) {
      case "emulate":
        return await (await import("./emulate-command.js")).runEmulate(parsed as unknown as EmulateArguments, environment);
      case "sample":
        return await (await import("./schema-commands.js")).runSample(parsed as unknown as SampleArguments, environment);
      case "offers":
        return await (await import("./offers-command.js")).runOffersCheck(parsed as unknown as OffersCheckArguments, environment);
      case "infer":
        if (parsed.admin === true) {
          if (parsed.artifact !== undefined) throw new UsageError("infer takes --artifact or --admin, not both");
          const { writeInferred } = await import("./schema-commands.js");
          return await (await import("./offers-command.js")).runInferAdmin(parsed as unknown as InferAdminArguments, environment, (entries, out) => writeInferred(entries, out, parsed.check === true, environment));
        }
        if (parsed.artifact === undefined) throw new UsageError("infer needs --artifact <rules.json | URL>, or --admin to read the offers authored in Target");
        return await (await import("./schema-commands.js")).runInfer(parsed as never, environment);
      default:
        return await (await import("./generate-command.js")).runGenerate(parsed as unknown as GenerateArguments, environment, (error) => reportError(error, environment, debug));
    }
  } catch (error) {
    reportError(error, environment, debug);
    return error instanceof UsageError ? 2 : 1;
  }
}
