/**
 * What every command of the CLI runs against: the working folder, the output streams and the
 * signal that ends long-running commands. Its own module, so that `main.ts` and the command modules
 * it loads share it without importing each other.
 */

/** Where the CLI reads and writes; the real process by default, swapped in tests. */
export interface CliEnvironment {
  cwd: string;
  stdout: (text: string) => void;
  stderr: (text: string) => void;
  /** Ends `--watch`, `emulate` and `sample` (Ctrl-C does the same from a terminal). */
  signal?: AbortSignal;
  /** Whether stderr is a terminal (progress bars are drawn only there). */
  isTerminal?: boolean;
  /** Environment variables (the Admin API's credentials); default `process.env`. */
  env?: Record<string, string | undefined>;
}
