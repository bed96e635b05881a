/**
 * The generator's options (the config file's shape) and the context built from them once, with
 * every default resolved up front (openapi-typescript's GlobalContext).
 */
import type { Options as PrettierOptions } from "prettier";
import { createGeneratorError, type GeneratorError } from "./errors.js";
import { isPlainObject } from "./json-values.js";

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
  /** Folder of `*.schema.json` files, one per mbox (CLI `--schemas`). */
  schemas?: string;
  /** Output folder; mboxgen owns it and replaces it whole (CLI `--out`). */
  out?: string;
  /** Module specifier generated code imports the runtime from. Default `"@mboxgen/runtime"`. */
  runtimeImport?: string;
  /** Format the output with prettier. Default `true` (CLI `--no-format` turns it off). */
  format?: boolean;
  /** Prettier options for the output (no config file is read, so output does not depend on the machine). */
  prettier?: PrettierOptions;
  /** Per-mbox overrides, keyed by mbox name. */
  mboxes?: Record<string, MboxConfig>;
  /**
   * Where `mboxgen sample` asks: the options of `createTargetClient` (CLI flags win).
   * @example { "client": "acmeclient", "organizationId": "1234567890@AdobeOrg" }
   */
  target?: { client?: string; organizationId?: string; serverDomain?: string; secure?: boolean; timeout?: number };
}

/** Everything a generate run needs, resolved once; passed to every stage. */
export interface GenerateContext {
  runtimeImport: string;
  format: boolean;
  prettier: PrettierOptions;
  mboxes: Record<string, MboxConfig>;
  /** The command printed in every file header to regenerate it. */
  regenerateCommand: string;
}

const KNOWN_CONFIG_KEYS = new Set(["schemas", "out", "runtimeImport", "format", "prettier", "mboxes", "target", "$schema"]);

/** Checks a config's shape; returns every problem as a `CONFIG_INVALID` error. */
export function validateConfig(config: unknown, file: string | undefined): GeneratorError[] {
  const errors: GeneratorError[] = [];
  const fail = (reason: string) => errors.push(createGeneratorError("CONFIG_INVALID", { reason }, file ? { file } : {}));
  if (!isPlainObject(config)) {
    fail("the config must be an object");
    return errors;
  }
  for (const key of Object.keys(config)) if (!KNOWN_CONFIG_KEYS.has(key)) fail(`unknown option "${key}"`);
  for (const key of ["schemas", "out", "runtimeImport"] as const) {
    if (config[key] !== undefined && typeof config[key] !== "string") fail(`"${key}" must be a string`);
  }
  if (config.format !== undefined && typeof config.format !== "boolean") fail('"format" must be true or false');
  if (config.prettier !== undefined && !isPlainObject(config.prettier)) fail('"prettier" must be an object of prettier options');
  if (config.target !== undefined && !isPlainObject(config.target)) fail('"target" must be an object with client, organizationId, serverDomain, secure, timeout');
  if (config.mboxes === undefined) return errors;
  if (!isPlainObject(config.mboxes)) {
    fail('"mboxes" must be an object keyed by mbox name');
    return errors;
  }
  for (const [mbox, mboxConfig] of Object.entries(config.mboxes)) {
    if (!isPlainObject(mboxConfig)) {
      fail(`mboxes["${mbox}"] must be an object`);
      continue;
    }
    for (const key of Object.keys(mboxConfig)) if (key !== "exportName" && key !== "keys") fail(`unknown option mboxes["${mbox}"].${key}`);
    if (mboxConfig.exportName !== undefined && typeof mboxConfig.exportName !== "string") fail(`mboxes["${mbox}"].exportName must be a string`);
    if (mboxConfig.keys === undefined) continue;
    if (!isPlainObject(mboxConfig.keys)) {
      fail(`mboxes["${mbox}"].keys must be an object keyed by offer key`);
      continue;
    }
    for (const [key, keyConfig] of Object.entries(mboxConfig.keys)) {
      if (!isPlainObject(keyConfig)) {
        fail(`mboxes["${mbox}"].keys["${key}"] must be an object`);
        continue;
      }
      for (const option of Object.keys(keyConfig)) {
        if (option !== "accessorName" && option !== "default") fail(`unknown option mboxes["${mbox}"].keys["${key}"].${option}`);
      }
      if (keyConfig.accessorName !== undefined && typeof keyConfig.accessorName !== "string") {
        fail(`mboxes["${mbox}"].keys["${key}"].accessorName must be a string`);
      }
    }
  }
  return errors;
}

/** Builds the context of a run from a (validated) config. */
export function createGenerateContext(config: MboxgenConfig, regenerateCommand: string): GenerateContext {
  return {
    runtimeImport: config.runtimeImport ?? "@mboxgen/runtime",
    format: config.format ?? true,
    prettier: config.prettier ?? {},
    mboxes: config.mboxes ?? {},
    regenerateCommand,
  };
}
