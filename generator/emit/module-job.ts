/**
 * One mbox module from its named IR: offer types and validators from the same IR, the module text,
 * prettier (possibly on a worker, generator/format-pool.ts), and the hash stamp.
 */
import type { GenerateContext } from "../config.js";
import { GeneratorError } from "../errors.js";
import type { MboxIr } from "../ir.js";
import { stamp } from "../stamp.js";
import { emitMboxModule } from "./mbox-module.js";
import { emitOfferTypes } from "./offer-types.js";

/** What a module job needs. */
export interface ModuleJob {
  ir: MboxIr;
  context: GenerateContext;
  reservedTypeNames: ReadonlySet<string>;
  inputHash: string;
}

/** A job's outcome: the file, or the error as plain data. */
export type ModuleJobResult =
  | { kind: "file"; path: string; text: string }
  | { kind: "error"; code: GeneratorError["code"]; problem: string; fix: string; location: GeneratorError["location"] };

/**
 * Runs one module job. The returned promise of the text is started at once, so formatting (on
 * a worker) overlaps with the next module's emit on this thread.
 */
export async function runModuleJob(job: ModuleJob, formatSource: (source: string) => Promise<string>): Promise<ModuleJobResult | Promise<ModuleJobResult>> {
  const source = emitMboxModule(job.ir, emitOfferTypes(job.ir), job.context);
  const path = `${job.ir.fileName}.ts`;
  if (!job.context.format) return { kind: "file", path, text: stamp(source, job.inputHash) };
  const formatted = formatSource(source).then((text): ModuleJobResult => ({ kind: "file", path, text: stamp(text, job.inputHash) }));
  // Handled by the caller later; keep Node from reporting it as unhandled in between.
  formatted.catch(() => undefined);
  return formatted;
}

/** Turns an error result back into a GeneratorError. */
export function toGeneratorError(result: Extract<ModuleJobResult, { kind: "error" }>): GeneratorError {
  return new GeneratorError(result.code, result.problem, result.fix, result.location);
}
