/**
 * One mbox module from its named IR: offer types, validators and descriptor from the same IR,
 * already laid out as prettier lays out TypeScript, then the hash stamp.
 */
import type { GenerateContext } from "../config.js";
import { format, hasCustomFormatting } from "../format.js";
import type { GeneratedFile } from "./generated-file.js";
import type { MboxIr } from "../ir.js";
import { stamp } from "../stamp.js";
import { emitMboxModule } from "./mbox-module.js";

/** What a module job needs. */
export interface ModuleJob {
  ir: MboxIr;
  context: GenerateContext;
  /** The hash of the module's inputs, for its stamp. */
  inputHash: string;
}

/** Runs one module job. Prettier runs only for options of the user's own (the text is already in its default layout). */
export async function runModuleJob(job: ModuleJob): Promise<GeneratedFile> {
  const source = emitMboxModule(job.ir, job.context);
  const text = hasCustomFormatting(job.context) ? await format(source, job.context.prettier) : source;
  return { path: `${job.ir.fileName}.ts`, text: stamp(text, job.inputHash) };
}
