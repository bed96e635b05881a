/**
 * The generator's typed error catalog. Every code has exactly one message builder; the compiler
 * checks that the catalog covers every code (quicktype's Messages.ts pattern).
 *
 * Message format (STYLE.md §5): `<file>[:line:col] <json-pointer>: <what is wrong>; <how to fix> [CODE]`.
 */
import { shippedFile } from "./package-files.js";
import type { RingProblemReason } from "./rings.js";

/** The parameters each error code needs. */
export interface ErrorParameters {
  NO_SCHEMAS: { folder: string };
  JSON_SYNTAX: { reason: string };
  SCHEMA_ROOT_NOT_OBJECT: { found: string };
  SCHEMA_NOT_AN_OBJECT: { found: string };
  SCHEMA_UNSUPPORTED_KEYWORD: { keyword: string };
  SCHEMA_INVALID_KEYWORD: { keyword: string; expected: string };
  SCHEMA_UNKNOWN_TYPE: { type: string };
  SCHEMA_REF_SIBLINGS: { keywords: string[] };
  SCHEMA_TOO_DEEP: { what: "schema" | "value" | "references"; limit: number };
  SCHEMA_REF_RING: { ring: string[]; reason: RingProblemReason };
  SCHEMA_UNKNOWN_DIALECT: { uri: string; nearest: string | undefined };
  REF_NOT_FOUND: { ref: string; targetFile: string };
  REF_POINTER_NOT_FOUND: { ref: string; targetFile: string };
  REF_UNSUPPORTED: { ref: string };
  DEFAULT_INVALID: { key: string; value: string };
  DUPLICATE_MBOX: { mbox: string; otherFile: string };
  NAME_UNDERIVABLE: { what: "export name" | "accessor name"; name: string; configPath: string };
  NAME_INVALID: { what: "export name" | "accessor name"; name: string; configPath: string };
  NAME_RESERVED: { what: "export name" | "accessor name"; name: string; reservedFor: string; configPath: string };
  NAME_COLLISION: { what: "export name" | "accessor name" | "type name" | "file name" | "hook name"; name: string; first: string; second: string; configPath: string };
  CONFIG_INVALID: { reason: string };
  CONFIG_UNKNOWN_MBOX: { mbox: string };
  CONFIG_UNKNOWN_KEY: { mbox: string; key: string };
  OUTPUT_NOT_OWNED: { folder: string; file: string };
  ACTIVITIES_INVALID: { reason: string };
  ARTIFACT_INVALID: { reason: string };
  ARTIFACT_UNSUPPORTED_VERSION: { version: string };
  ARTIFACT_UNREACHABLE: { url: string; reason: string; fix: string };
  TARGET_UNREACHABLE: { service: string; url: string; reason: string; fix: string };
  FILE_NOT_FOUND: { what: string; path: string; fix: string; found?: "a file" | "a folder" };
  PORT_UNAVAILABLE: { host: string; port: number; reason: string };
  SCHEMA_DRIFT: { mbox: string; reason: string };
  SAMPLING_INCOMPLETE: { reason: string };
  ADMIN_CREDENTIALS_MISSING: { missing: string[] };
  ADMIN_AUTH_FAILED: { url: string; reason: string };
  ADMIN_TENANT_NOT_FOUND: { tenant: string; url: string };
  ADMIN_PERMISSION_DENIED: { url: string; reason: string };
  ADMIN_UNREACHABLE: { url: string; reason: string };
}

/** Every error code. */
export type GeneratorErrorCode = keyof ErrorParameters;

type MessageBuilder<Code extends GeneratorErrorCode> = (parameters: ErrorParameters[Code]) => { problem: string; fix: string };

/** One message builder per code; a missing or extra entry is a compile error. */
const catalog: { [Code in GeneratorErrorCode]: MessageBuilder<Code> } = {
  NO_SCHEMAS: ({ folder }) => ({
    problem: `no *.schema.json files in ${folder}`,
    fix: "add one JSON Schema per mbox named <mbox>.schema.json, or point --schemas at the folder that has them",
  }),
  JSON_SYNTAX: ({ reason }) => ({ problem: `invalid JSON (${reason})`, fix: "fix the JSON syntax at that position" }),
  SCHEMA_ROOT_NOT_OBJECT: ({ found }) => ({
    problem: `the root schema of an mbox must describe an object (its JSON offer), found ${found}`,
    fix: 'set "type": "object" and list the offer\'s keys under "properties"',
  }),
  SCHEMA_NOT_AN_OBJECT: ({ found }) => ({
    problem: `a schema must be an object or a boolean, found ${found}`,
    fix: "replace it with a JSON Schema object such as {} or { \"type\": \"string\" }",
  }),
  SCHEMA_UNSUPPORTED_KEYWORD: ({ keyword }) => ({
    problem: `the keyword "${keyword}" is not supported by mboxgen`,
    fix: "describe the value with type, properties, items, enum, const, anyOf or oneOf instead",
  }),
  SCHEMA_INVALID_KEYWORD: ({ keyword, expected }) => ({
    problem: `"${keyword}" must be ${expected}`,
    fix: `correct the value of "${keyword}"`,
  }),
  SCHEMA_UNKNOWN_TYPE: ({ type }) => ({
    problem: `unknown type "${type}"`,
    fix: 'use one of "string", "number", "integer", "boolean", "null", "object", "array"',
  }),
  SCHEMA_TOO_DEEP: ({ what, limit }) => ({
    problem:
      what === "schema"
        ? `the schema nests deeper than ${limit} levels here (objects, arrays and combinators), more than mboxgen reads`
        : what === "value"
          ? `this value nests deeper than ${limit} levels (arrays and objects), more than mboxgen reads`
          : "its $refs and combinators lead through each other deeper than mboxgen can follow (thousands of levels)",
    fix:
      what === "schema"
        ? `restructure it so that no value nests deeper than ${limit} levels`
        : what === "value"
          ? `shorten it to at most ${limit} levels`
          : "shorten the chains of $refs that pass through allOf, anyOf or oneOf",
  }),
  SCHEMA_REF_RING: ({ ring, reason }) => {
    const shown = ring.length <= 9 ? ring.join(" → ") : `${ring.slice(0, 8).join(" → ")} → … (${ring.length - 1} definitions) → ${ring[ring.length - 1]}`;
    const why =
      reason === "oneOf"
        ? "it passes through oneOf, which counts the members a value matches, so the schema contradicts itself (a value would match it exactly when it does not)"
        : reason === "empty"
          ? "read as mboxgen reads such rings (what a value can be shown to match without going round the ring), no value matches it"
          : "it is too large for mboxgen to unfold";
    return {
      problem: `the $refs ${shown} lead back to where they start without passing through a property or an array item, so the schema checks the same value against itself; ${why}`,
      fix: 'make the recursion pass through "properties" or "items" (a nested value), or remove the $ref that leads back',
    };
  },
  SCHEMA_UNKNOWN_DIALECT: ({ uri, nearest }) => ({
    problem: `"$schema" names ${JSON.stringify(uri)}, a dialect mboxgen does not read: it reads JSON Schema draft 2020-12 ("https://json-schema.org/draft/2020-12/schema", also when there is no "$schema") and draft-07 ("http://json-schema.org/draft-07/schema#"), and reading a schema as another draft could change what its keywords mean`,
    fix: nearest
      ? `if you meant ${JSON.stringify(nearest)}, write it so; if the schema means the same in one of those drafts, name that one`
      : 'if the schema means the same in one of those drafts (a draft-04 or draft-06 schema usually does in draft-07, a 2019-09 one in 2020-12), name that draft in "$schema"',
  }),
  SCHEMA_REF_SIBLINGS: ({ keywords }) => ({
    problem: `JSON Schema draft-07 ignores the keywords beside a $ref (${keywords.map((keyword) => `"${keyword}"`).join(", ")}), though validators such as ajv apply them`,
    fix: 'put them in an allOf beside the $ref ("allOf": [{ "$ref": … }, { … }]), or declare "$schema": "https://json-schema.org/draft/2020-12/schema", where they apply',
  }),
  REF_NOT_FOUND: ({ ref, targetFile }) => ({
    problem: `$ref "${ref}" points to ${targetFile}, which is not among the schema files`,
    fix: `create ${targetFile} in the schemas folder or correct the $ref`,
  }),
  REF_POINTER_NOT_FOUND: ({ ref, targetFile }) => ({
    problem: `$ref "${ref}" points to a location that does not exist in ${targetFile}`,
    fix: "correct the JSON pointer after # in the $ref",
  }),
  REF_UNSUPPORTED: ({ ref }) => ({
    problem: `$ref "${ref}" is not a local pointer (#/...) or a relative file in the schemas folder`,
    fix: "copy the referenced schema into the schemas folder and reference it by relative path",
  }),
  DEFAULT_INVALID: ({ key, value }) => ({
    problem: `the default of "${key}" (${value}) does not match its own schema`,
    fix: "change the default or the schema so that the default is a valid value",
  }),
  DUPLICATE_MBOX: ({ mbox, otherFile }) => ({
    problem: `mbox "${mbox}" is also defined by ${otherFile}`,
    fix: 'keep one schema per mbox; check the file names and "x-mbox" values',
  }),
  NAME_UNDERIVABLE: ({ what, name, configPath }) => ({
    problem: `no ${what} can be derived from "${name}" (it has no letters or digits that every TypeScript version reads in a name)`,
    fix: `set ${configPath} in the config`,
  }),
  NAME_INVALID: ({ what, name, configPath }) => ({
    problem: `the configured ${what} "${name}" is not a valid TypeScript identifier`,
    fix: `correct ${configPath} in the config`,
  }),
  NAME_RESERVED: ({ what, name, reservedFor, configPath }) => ({
    problem: `the ${what} "${name}" is reserved (${reservedFor})`,
    fix: `choose another name with ${configPath} in the config`,
  }),
  NAME_COLLISION: ({ what, name, first, second, configPath }) => ({
    problem: `${first} and ${second} both get the ${what} "${name}"`,
    fix: `give one of them another name with ${configPath} in the config`,
  }),
  CONFIG_INVALID: ({ reason }) => ({
    problem: `invalid config: ${reason}`,
    fix: 'correct it against mboxgen\'s generator/config.schema.json (README, Config); "$schema": "./node_modules/mboxgen/generator/config.schema.json" in the file gives your editor completion',
  }),
  CONFIG_UNKNOWN_MBOX: ({ mbox }) => ({
    problem: `the config names mbox "${mbox}", which has no schema`,
    fix: "remove the entry or add the mbox's schema",
  }),
  CONFIG_UNKNOWN_KEY: ({ mbox, key }) => ({
    problem: `the config names key "${key}" of mbox "${mbox}", which its schema does not declare`,
    fix: "remove the entry or add the key to the schema's properties",
  }),
  OUTPUT_NOT_OWNED: ({ folder, file }) => ({
    problem: `the output folder ${folder} holds ${file}, which mboxgen did not generate`,
    fix: "point --out at a folder that only mboxgen writes to (it replaces the whole folder), or move that file",
  }),
  ACTIVITIES_INVALID: ({ reason }) => ({
    problem: `invalid activities file: ${reason}`,
    // Absolute paths: they exist in a checkout and in an installed package alike.
    fix: `correct it against ${shippedFile("generator/emulator/activities.schema.json")} (an example: ${shippedFile("fixtures/example/activities.json")})`,
  }),
  ARTIFACT_INVALID: ({ reason }) => ({
    problem: `not an on-device decisioning artifact: ${reason}`,
    fix: "pass the rules.json Target serves for on-device decisioning (assets.adobetarget.com/<client>/<environment>/v1/rules.json)",
  }),
  ARTIFACT_UNSUPPORTED_VERSION: ({ version }) => ({
    problem: `artifact version ${version} is not supported (mboxgen reads major version 1)`,
    fix: "use an artifact of major version 1, or upgrade mboxgen",
  }),
  ARTIFACT_UNREACHABLE: ({ url, reason, fix }) => ({ problem: `could not download ${url}: ${reason}`, fix }),
  TARGET_UNREACHABLE: ({ service, url, reason, fix }) => ({ problem: `${service} call to ${url} failed: ${reason}`, fix }),
  FILE_NOT_FOUND: ({ what, path, fix, found }) => ({ problem: `${what} ${path} ${found ? `is ${found}` : "does not exist"}`, fix }),
  PORT_UNAVAILABLE: ({ host, port, reason }) => ({
    problem: `cannot listen on ${host}:${port}: ${reason}`,
    fix: "pass another --port (0 picks a free one), or stop what listens there",
  }),
  SCHEMA_DRIFT: ({ mbox, reason }) => ({
    problem: `Target now serves mbox "${mbox}" offers that its committed schema does not allow: ${reason}`,
    fix: "review the offer in Target, or run the same command without --check to update the schema",
  }),
  SAMPLING_INCOMPLETE: ({ reason }) => ({ problem: `sampling stopped before it completed (${reason})`, fix: "nothing was written; run it again" }),
  ADMIN_CREDENTIALS_MISSING: ({ missing }) => ({
    problem: `no credentials for Target's Admin API: ${missing.join(" and ")} ${missing.length === 1 ? "is" : "are"} not set`,
    fix: "set MBOXGEN_TARGET_CLIENT_ID and MBOXGEN_TARGET_CLIENT_SECRET from an OAuth Server-to-Server credential of your Adobe Developer Console project with the Target API (or MBOXGEN_TARGET_TOKEN with a bearer token); in CI, from secrets",
  }),
  ADMIN_AUTH_FAILED: ({ url, reason }) => ({
    problem: `authentication failed at ${url}: ${reason}`,
    fix: "check MBOXGEN_TARGET_CLIENT_ID and MBOXGEN_TARGET_CLIENT_SECRET (or MBOXGEN_TARGET_TOKEN, which expires after 24 hours), and --ims-url",
  }),
  ADMIN_TENANT_NOT_FOUND: ({ tenant, url }) => ({
    problem: `the Admin API knows no tenant "${tenant}" (${url} answered 404)`,
    fix: "pass the tenant of your Target account with --tenant (in Target's Admin API paths, usually the client code), and check --admin-url",
  }),
  ADMIN_PERMISSION_DENIED: ({ url, reason }) => ({
    problem: `the Admin API refused ${url}: ${reason}`,
    fix: "give the credential's product profile access to Target (Editor or Approver role) in the Adobe Admin Console, and use the same x-api-key as its client id",
  }),
  ADMIN_UNREACHABLE: ({ url, reason }) => ({
    problem: `could not read ${url}: ${reason}`,
    fix: "check --admin-url and your network; raise --timeout for a slow network; nothing was written",
  }),
};

/** Where an error is: file, optional line and column (1-based), optional JSON pointer. */
export interface ErrorLocation {
  file?: string;
  line?: number;
  column?: number;
  pointer?: string;
}

/**
 * The one error type of the generator: a code from the catalog, a location, and the message built
 * from both. A wrapped error stays available as `cause`.
 */
export class GeneratorError extends Error {
  /** The catalog code, e.g. `REF_NOT_FOUND`. */
  readonly code: GeneratorErrorCode;
  /** Where the problem is. */
  readonly location: ErrorLocation;
  /** What is wrong, without location or fix. */
  readonly problem: string;
  /** How to fix it. */
  readonly fix: string;

  constructor(code: GeneratorErrorCode, problem: string, fix: string, location: ErrorLocation, cause?: unknown) {
    super(formatMessage(code, problem, fix, location), cause === undefined ? undefined : { cause });
    this.name = "GeneratorError";
    this.code = code;
    this.location = location;
    this.problem = problem;
    this.fix = fix;
  }
}

function formatMessage(code: GeneratorErrorCode, problem: string, fix: string, location: ErrorLocation): string {
  let where = location.file ?? "";
  if (location.file && location.line !== undefined) where += `:${location.line}:${location.column ?? 1}`;
  if (location.pointer !== undefined) where += `${where ? " " : ""}${location.pointer || "/"}`;
  return `${where ? `${where}: ` : ""}${problem}; ${fix} [${code}]`;
}

/** Creates a catalog error. */
export function createGeneratorError<Code extends GeneratorErrorCode>(
  code: Code,
  parameters: ErrorParameters[Code],
  location: ErrorLocation = {},
  cause?: unknown,
): GeneratorError {
  const { problem, fix } = (catalog[code] as MessageBuilder<Code>)(parameters);
  return new GeneratorError(code, problem, fix, location, cause);
}

/** Several generator errors at once: every problem of the inputs, reported together. */
export class GeneratorErrors extends Error {
  /** The individual errors, in file order. */
  readonly errors: GeneratorError[];

  constructor(errors: GeneratorError[]) {
    super(errors.map((error) => error.message).join("\n"));
    this.name = "GeneratorErrors";
    this.errors = errors;
  }
}

/** True for a `GeneratorError` or `GeneratorErrors`. */
export function isGeneratorError(value: unknown): value is GeneratorError | GeneratorErrors {
  return value instanceof GeneratorError || value instanceof GeneratorErrors;
}
