/**
 * Where generator errors go. Every stage reports what is wrong with its input into the run's one
 * `Diagnostics` and carries on, so that a run lists every problem at once; the orchestrator throws
 * once, between stages. Errors travel this one way: no stage returns them, and a `GeneratorError`
 * is the same object (with its `cause`) from the stage that found it to the `GeneratorErrors` the
 * caller catches.
 */
import { GeneratorError, GeneratorErrors } from "./errors.js";

// File, then line, then column: the order a reader fixes them in.
function byLocation(left: GeneratorError, right: GeneratorError): number {
  const key = (error: GeneratorError) => `${error.location.file ?? ""}\u0000${String(error.location.line ?? 0).padStart(8, "0")}\u0000${String(error.location.column ?? 0).padStart(8, "0")}`;
  const leftKey = key(left);
  const rightKey = key(right);
  return leftKey < rightKey ? -1 : leftKey > rightKey ? 1 : 0;
}

/** The errors of one run (or of one input, when a caller wants them apart). */
export class Diagnostics {
  readonly #errors: GeneratorError[] = [];

  /** Records a problem. */
  report(error: GeneratorError): void {
    this.#errors.push(error);
  }

  /**
   * Runs `step`; a `GeneratorError` it throws is recorded and `fallback` returned in its place.
   * Anything else it throws is a bug, not bad input, and propagates.
   */
  capture<T>(step: () => T, fallback: T): T {
    try {
      return step();
    } catch (error) {
      if (!(error instanceof GeneratorError)) throw error;
      this.report(error);
      return fallback;
    }
  }

  /** The problems recorded so far, in the order they were found. */
  get errors(): readonly GeneratorError[] {
    return this.#errors;
  }

  /** True once anything was recorded. */
  get hasErrors(): boolean {
    return this.#errors.length > 0;
  }

  /** Throws one `GeneratorErrors` with every recorded problem (those `which` selects), in file order. */
  throwIfAny(which: (error: GeneratorError) => boolean = () => true): void {
    const selected = this.#errors.filter(which);
    if (selected.length > 0) throw new GeneratorErrors([...selected].sort(byLocation));
  }
}
