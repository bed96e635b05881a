/**
 * Finds and reads the config file: `--config <path>`, else `mboxgen.config.json`, `.js` or `.mjs`
 * in the working directory. JSON errors name the file, line and column.
 */
import { existsSync } from "node:fs";
import { readFile } from "node:fs/promises";
import { resolve } from "node:path";
import { pathToFileURL } from "node:url";
import { validateConfig, type MboxgenConfig } from "../config.js";
import { Diagnostics } from "../diagnostics.js";
import { createGeneratorError, GeneratorErrors } from "../errors.js";
import { parseJsonDocument } from "../json-document.js";

/** The names looked for, in order, when no `--config` is given. */
export const DEFAULT_CONFIG_FILES = ["mboxgen.config.json", "mboxgen.config.js", "mboxgen.config.mjs"];

/** A loaded config and the file it came from (`undefined` when there is none). */
export interface LoadedConfig {
  config: MboxgenConfig;
  file: string | undefined;
}

/**
 * Loads the config and checks it against the config's JSON Schema (errors name the file, line
 * and JSON pointer); a missing default file is no error, a missing `--config` file is.
 */
export async function loadConfigFile(explicitPath: string | undefined, cwd: string): Promise<LoadedConfig> {
  const file = explicitPath ?? DEFAULT_CONFIG_FILES.find((name) => existsSync(resolve(cwd, name)));
  if (file === undefined) return { config: {}, file: undefined };
  const absolute = resolve(cwd, file);
  if (!existsSync(absolute)) {
    throw new GeneratorErrors([createGeneratorError("CONFIG_INVALID", { reason: "the config file does not exist" }, { file })]);
  }
  if (file.endsWith(".json")) {
    const parsed = parseJsonDocument({ path: file, text: await readFile(absolute, "utf8") });
    const diagnostics = new Diagnostics();
    validateConfig(parsed.value, diagnostics, { file, document: parsed });
    diagnostics.throwIfAny();
    return { config: parsed.value as MboxgenConfig, file };
  }
  let config: unknown;
  try {
    const module = (await import(pathToFileURL(absolute).href)) as { default?: unknown };
    config = module.default ?? {};
  } catch (error) {
    throw new GeneratorErrors([
      createGeneratorError("CONFIG_INVALID", { reason: `it could not be loaded (${error instanceof Error ? error.message : String(error)})` }, { file }, error),
    ]);
  }
  const diagnostics = new Diagnostics();
  validateConfig(config, diagnostics, { file });
  diagnostics.throwIfAny();
  return { config: config as MboxgenConfig, file };
}
