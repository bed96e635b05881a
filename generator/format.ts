/**
 * Stage 6, `format`: prettier, once per file, in memory, before anything is written or compared
 * (formatting after writing would make every file look stale to `--check`).
 */
import { format as prettierFormat, type Options as PrettierOptions } from "prettier";

/** Formats TypeScript source with prettier and the given options (no config file is read). */
export async function format(source: string, options: PrettierOptions): Promise<string> {
  const { filepath: _filepath, ...rest } = options;
  return prettierFormat(source, { ...rest, parser: "typescript" });
}
