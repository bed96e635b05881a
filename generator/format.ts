/**
 * Stage 8, `format`. The emitters already lay every file out as prettier does with its default
 * options (generator/emit/layout.ts), so by default nothing runs here. Users who pass their own
 * prettier options get prettier, once per file, in memory, before anything is written or
 * compared (formatting after writing would make every file look stale to `--check`). Prettier
 * is loaded only then.
 */
import type { Options as PrettierOptions } from "prettier";
import type { GenerateContext } from "./config.js";

/** True when the run formats with prettier options of the user's own. */
export function hasCustomFormatting(context: GenerateContext): boolean {
  return context.format && Object.keys(context.prettier).length > 0;
}

/**
 * Formats TypeScript source with prettier and the given options (no config file is read). The
 * `typescript` parser, unless one is configured: it reads exactly what TypeScript reads (the
 * layout test also holds every generated file to `babel-ts`).
 */
export async function format(source: string, options: PrettierOptions): Promise<string> {
  const { format: prettierFormat } = await import("prettier");
  return prettierFormat(source, prettierOptionsFor(options));
}

/** The options prettier gets: the configured ones, `typescript` unless a parser is set, never a file path. */
export function prettierOptionsFor(options: PrettierOptions): PrettierOptions {
  const { filepath: _filepath, ...rest } = options;
  return { parser: "typescript", ...rest };
}
