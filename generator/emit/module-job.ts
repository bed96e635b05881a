/**
 * One mbox module from its named IR (offer types, validators and descriptor from the same IR,
 * already laid out as prettier lays out TypeScript, then the hash stamp), and the companion
 * modules the options ask for (the OpenFeature getters), from the same IR and with the same stamp.
 */
import type { GenerateContext } from "../config.js";
import { format, hasCustomFormatting } from "../format.js";
import type { GeneratedFile } from "./generated-file.js";
import type { MboxIr } from "../ir.js";
import { stamp } from "../stamp.js";
import { emitMboxModule } from "./mbox-module.js";
import { emitOpenFeatureModule, OPENFEATURE_SERVER_FOLDER } from "./openfeature-module.js";
import { emitReactModule, REACT_FOLDER } from "./react-module.js";

/** What a module job needs. */
export interface ModuleJob {
  ir: MboxIr;
  context: GenerateContext;
  /** The hash of the module's inputs, for its stamp. */
  inputHash: string;
}

/** The paths a module job writes for an mbox: its module, and its companions the options ask for. */
export function modulePaths(fileName: string, context: GenerateContext): string[] {
  return [`${fileName}.ts`, ...(context.openfeature.includes("server") ? [`${OPENFEATURE_SERVER_FOLDER}/${fileName}.ts`] : []), ...(context.openfeature.includes("react") ? [`${REACT_FOLDER}/${fileName}.ts`] : [])];
}

/**
 * Runs one module job: the mbox module and its companions. Prettier runs only for options of the
 * user's own (the text is already in its default layout).
 */
export async function runModuleJob(job: ModuleJob): Promise<GeneratedFile[]> {
  const sources = [
    emitMboxModule(job.ir, job.context),
    ...(job.context.openfeature.includes("server") ? [emitOpenFeatureModule(job.ir, job.context)] : []),
    ...(job.context.openfeature.includes("react") ? [emitReactModule(job.ir, job.context)] : []),
  ];
  const paths = modulePaths(job.ir.fileName, job.context);
  return Promise.all(
    sources.map(async (source, index) => {
      const text = hasCustomFormatting(job.context) ? await format(source, job.context.prettier) : source;
      return { path: paths[index]!, text: stamp(text, job.inputHash) };
    }),
  );
}
