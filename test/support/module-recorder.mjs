// A module hook (`node --import <this file>`) that appends the URL of every module the process
// loads to the file named by MBOXGEN_RECORD_MODULES, to prove which commands load what.
import { appendFileSync } from "node:fs";
import { register } from "node:module";
import { isMainThread } from "node:worker_threads";

// Imported on the main thread by --import; registered there to run again as the hooks thread.
if (isMainThread && process.env.MBOXGEN_RECORD_MODULES) register(import.meta.url, { data: { file: process.env.MBOXGEN_RECORD_MODULES } });

let recordFile;

/** Hooks thread: where to record. */
export function initialize(data) {
  recordFile = data?.file;
}

/** Hooks thread: records each module as it loads. */
export async function load(url, context, nextLoad) {
  if (recordFile) appendFileSync(recordFile, `${url}\n`);
  return nextLoad(url, context);
}
