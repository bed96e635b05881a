/**
 * One mbox module from its named IR: offer types and validators from the same IR, the module text,
 * prettier (possibly on a worker, generator/format-pool.ts), and the hash stamp.
 */
import type { GenerateContext } from "../config.js";
import type { GeneratedFile } from "../generate.js";
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

/**
 * Runs one module job: emits the module and starts formatting it (on a worker, when the pool has
 * them, so that formatting overlaps with the next module's emit on this thread).
 */
export async function runModuleJob(job: ModuleJob, formatSource: (source: string) => Promise<string>): Promise<GeneratedFile> {
  const source = emitMboxModule(job.ir, emitOfferTypes(job.ir), job.context);
  const path = `${job.ir.fileName}.ts`;
  const text = job.context.format ? await formatSource(source) : source;
  return { path, text: stamp(text, job.inputHash) };
}
