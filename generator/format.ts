/**
 * Stage 6, `format`: prettier, once per file, in memory, before anything is written or compared
 * (formatting after writing would make every file look stale to `--check`).
 */
import { format as prettierFormat, type Options as PrettierOptions } from "prettier";

/**
 * Formats TypeScript source with prettier and the given options (no config file is read).
 * The `babel-ts` parser prints generated code identically to `typescript` and parses it about a
 * quarter faster (measured on the benchmark's modules); a configured `parser` wins.
 */
export async function format(source: string, options: PrettierOptions): Promise<string> {
  return prettierFormat(source, prettierOptionsFor(options));
}

/** The options prettier gets: the configured ones, `babel-ts` unless a parser is set, never a file path. */
export function prettierOptionsFor(options: PrettierOptions): PrettierOptions {
  const { filepath: _filepath, ...rest } = options;
  return { parser: "babel-ts", ...rest };
}
