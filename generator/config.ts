/**
 * The generator's options (the config file's shape) and the context built from them once, with
 * every default resolved up front (openapi-typescript's GlobalContext).
 */
import { Ajv, type ValidateFunction } from "ajv";
import type { Options as PrettierOptions } from "prettier";
import configSchema from "./config.schema.json" with { type: "json" };
import type { Diagnostics } from "./diagnostics.js";
import { createGeneratorError, type ErrorLocation } from "./errors.js";
import { fromJsonPointer, locate, type JsonDocument } from "./json-document.js";
import { describeViolations } from "./schema-violations.js";

/** Per-key overrides of one mbox. */
export interface KeyConfig {
  /**
   * The accessor's name, when the derived one does not suit or clashes.
   * @example { "max-items": { "accessorName": "maxItems" } }
   */
  accessorName?: string;
  /**
   * A default for this key, used when Target sends no valid value; overrides the schema's `default`.
   * Makes the accessor return `T` instead of `T | undefined`.
   * @example { "searchProviderId": { "default": 143 } }
   */
  default?: unknown;
}

/** Per-mbox overrides. */
export interface MboxConfig {
  /**
   * The export name of the mbox's descriptor (default: lowerCamelCase of the mbox name).
   * @example { "demo-engineering-flags": { "exportName": "flags" } }
   */
  exportName?: string;
  /** Per-key overrides, keyed by the key as it appears in the offer. */
  keys?: Record<string, KeyConfig>;
}

/**
 * The contents of `mboxgen.config.json` (or `.js` / `.mjs`, default export). CLI flags win.
 *
 * @example
 * ```json
 * {
 *   "schemas": "schemas",
 *   "out": "src/target",
 *   "mboxes": { "demo-engineering-flags": { "exportName": "flags", "keys": { "max-items": { "accessorName": "maxItems" } } } }
 * }
 * ```
 */
export interface MboxgenConfig {
  /** The config's JSON Schema, for editors: `"./node_modules/mboxgen/generator/config.schema.json"`. */
  $schema?: string;
  /** Folder of `*.schema.json` files, one per mbox (CLI `--schemas`). */
  schemas?: string;
  /** Output folder; mboxgen owns it and replaces it whole (CLI `--out`). */
  out?: string;
  /** Module specifier generated code imports the runtime from. Default `"@mboxgen/runtime"`. */
  runtimeImport?: string;
  /**
   * What to write for OpenFeature (CLI `--openfeature`): `"server"`, typed getters over an OpenFeature
   * server client in `<out>/openfeature/`; `"react"`, typed React hooks through `@openfeature/react-sdk`
   * in `<out>/react/`; `"manifest"`, an OpenFeature CLI flag manifest, `<out>/openfeature/flags.json`.
   */
  openfeature?: OpenFeatureOutput[];
  /**
   * Run prettier with the `prettier` options below. Default `true` (CLI `--no-format` turns it off).
   * Without `prettier` options nothing runs: the output is already in prettier's default layout.
   */
  format?: boolean;
  /** Prettier options for the output (no config file is read, so output does not depend on the machine). */
  prettier?: PrettierOptions;
  /** Per-mbox overrides, keyed by mbox name. */
  mboxes?: Record<string, MboxConfig>;
  /**
   * Where `mboxgen sample` asks (the options of `createTargetClient` for the Delivery API, or a
   * datastream for the Edge Network) and where `offers check` and `infer --admin` read the Admin
   * API (tenant and URLs; credentials come from the environment only). CLI flags win.
   * @example { "client": "acmeclient", "organizationId": "1234567890@AdobeOrg" }
   */
  target?: {
    client?: string;
    organizationId?: string;
    serverDomain?: string;
    datastreamId?: string;
    edgeDomain?: string;
    secure?: boolean;
    timeout?: number;
    /** The tenant in Admin API paths, for `offers check` and `infer --admin`. */
    tenant?: string;
    /** Default `https://mc.adobe.io`. */
    adminUrl?: string;
    /** Default `https://ims-na1.adobelogin.com`. */
    imsUrl?: string;
  };
}

/** What `generate` writes for OpenFeature. */
export type OpenFeatureOutput = "server" | "react" | "manifest";

/** Everything a generate run needs, resolved once; passed to every stage. */
export interface GenerateContext {
  runtimeImport: string;
  /** OpenFeature outputs, sorted. */
  openfeature: OpenFeatureOutput[];
  /** Module specifier the OpenFeature server getters import their support from. */
  openFeatureImport: string;
  /** Module specifier the React hooks import their support from. */
  openFeatureWebImport: string;
  format: boolean;
  prettier: PrettierOptions;
  mboxes: Record<string, MboxConfig>;
  /** The command printed in every file header to regenerate it. */
  regenerateCommand: string;
}

let compiledValidator: ValidateFunction | undefined;

/**
 * Checks a config against the shipped JSON Schema (generator/config.schema.json, the one editors
 * use through `"$schema"`); reports every problem as a `CONFIG_INVALID` error at its JSON pointer,
 * with line and column when the config's JSON document is given.
 */
export function validateConfig(config: unknown, diagnostics: Diagnostics, source?: { file: string; document?: JsonDocument }): void {
  compiledValidator ??= new Ajv({ allErrors: true, verbose: true, strict: false }).compile(configSchema);
  if (compiledValidator(config)) return;
  for (const { pointer, reason, isKey } of describeViolations(compiledValidator.errors)) {
    const location: ErrorLocation = source?.document ? locate(source.document, fromJsonPointer(pointer), isKey ? "key" : "value") : { ...(source ? { file: source.file } : {}), pointer };
    diagnostics.report(createGeneratorError("CONFIG_INVALID", { reason }, location));
  }
}

/** Builds the context of a run from a (validated) config. */
export function createGenerateContext(config: MboxgenConfig, regenerateCommand: string): GenerateContext {
  return {
    runtimeImport: config.runtimeImport ?? "@mboxgen/runtime",
    openfeature: [...new Set(config.openfeature ?? [])].sort(),
    openFeatureImport: "@mboxgen/openfeature/server",
    openFeatureWebImport: "@mboxgen/openfeature/web",
    format: config.format ?? true,
    prettier: config.prettier ?? {},
    mboxes: config.mboxes ?? {},
    regenerateCommand,
  };
}
