/**
 * Formatting is most of a cold run's time, so a run can format on worker threads while the main
 * thread keeps compiling types and emitting modules (`workers` option, opt-in). The workers load prettier only (not
 * ts-morph or json-schema-to-typescript), so they start in a fraction of a second. Output does not
 * depend on which thread formatted a file.
 */
import { availableParallelism } from "node:os";
import { Worker } from "node:worker_threads";
import type { Options as PrettierOptions } from "prettier";
import { format, prettierOptionsFor } from "./format.js";


/** Formats files, on workers or in-process. */
export interface FormatPool {
  format(source: string): Promise<string>;
  close(): Promise<void>;
}

// The worker resolves prettier from the URL the main thread resolved, so both use the same copy.
const WORKER_SOURCE = `
const { parentPort, workerData } = require("node:worker_threads");
const prettierReady = import(workerData.prettierUrl);
parentPort.on("message", async ({ id, source }) => {
  try {
    const prettier = await prettierReady;
    parentPort.postMessage({ id, text: await prettier.format(source, workerData.options) });
  } catch (error) {
    // An Error survives the structured clone with its name, message and stack.
    parentPort.postMessage({ id, error: error instanceof Error ? error : new Error(String(error)) });
  }
});`;

/**
 * How many format workers to start for `fileCount` files. Off unless asked for: on the 2-vCPU
 * benchmark machine workers made a 250-schema run slower (0.83x, BENCHMARKS.md), since its two
 * vCPUs share one core; with several physical cores they pay off. Never more than cores or files.
 */
export function formatWorkerCount(fileCount: number, requested: number | undefined): number {
  if (requested === undefined || requested <= 0) return 0;
  return Math.min(requested, availableParallelism(), fileCount);
}

/** A pool of `workers` formatting threads (0: format in-process). */
export function createFormatPool(workers: number, options: PrettierOptions): FormatPool {
  if (workers === 0) return { format: (source) => format(source, options), close: async () => undefined };
  const workerData = { prettierUrl: import.meta.resolve("prettier"), options: prettierOptionsFor(options) };
  const threads = Array.from({ length: workers }, () => new Worker(WORKER_SOURCE, { eval: true, workerData }));
  const pending = new Map<number, { resolve: (text: string) => void; reject: (error: Error) => void }>();
  const load = threads.map(() => 0);
  let nextId = 0;
  threads.forEach((thread, index) => {
    thread.on("message", (message: { id: number; text?: string; error?: Error }) => {
      load[index]! -= 1;
      const waiting = pending.get(message.id)!;
      pending.delete(message.id);
      if (message.error !== undefined) waiting.reject(new Error(`prettier failed on a worker: ${message.error.message}`, { cause: message.error }));
      else waiting.resolve(message.text!);
    });
    thread.on("error", (error) => {
      for (const waiting of pending.values()) waiting.reject(error);
      pending.clear();
    });
  });
  return {
    format(source) {
      const id = nextId++;
      // The least busy thread takes the file.
      const index = load.indexOf(Math.min(...load));
      load[index]! += 1;
      return new Promise((resolve, reject) => {
        pending.set(id, { resolve, reject });
        threads[index]!.postMessage({ id, source });
      });
    },
    async close() {
      await Promise.all(threads.map((thread) => thread.terminate()));
    },
  };
}
