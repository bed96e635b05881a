/** A bad command line: the CLI prints it without a stack trace and exits with 2. */
export class UsageError extends Error {
  override readonly name = "UsageError";
}
