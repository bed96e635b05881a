/**
 * Setup file of every test worker: a test that ends with a process of its own still alive fails,
 * and so does a test file that leaves one after its last hook (test/support/processes.ts says how
 * they are found; of `concurrent` tests, the last one to end checks for all of them). What is left is ended so that it holds no port. Registered first, so these hooks
 * run after the test file's own cleanup hooks.
 */
import { afterAll, afterEach, beforeEach } from "vitest";
import { liveTestProcesses, waitFor, WORKER_MARK, type ProcessInfo } from "./processes.js";

process.env[WORKER_MARK] = String(process.pid);

/**
 * Processes the worker keeps on purpose for its whole life, ended when it exits: esbuild's service,
 * which the esbuild module starts on its first build and shares with every later one.
 */
const KEPT_FOR_THE_WORKER = [/\besbuild(\.exe)? --service=/];

const kept = (info: ProcessInfo) => KEPT_FOR_THE_WORKER.some((pattern) => pattern.test(info.command));

let before = new Set<number>();
/** Tests of this file running now: with `concurrent` tests, a process may belong to a neighbour. */
let running = 0;

function end(leftovers: readonly ProcessInfo[]): void {
  for (const { pid } of leftovers) {
    try {
      process.kill(pid, "SIGKILL");
    } catch {
      // Ended in the meantime.
    }
  }
}

async function failOnLeftovers(select: (info: ProcessInfo) => boolean, when: string): Promise<void> {
  const leftovers = () => liveTestProcesses().filter((info) => select(info) && !kept(info));
  // A process that was just signalled needs a moment to exit.
  if (await waitFor(() => leftovers().length === 0, 2000)) return;
  const found = leftovers();
  end(found);
  throw new Error(`${when} left processes running (now ended): ${found.map((info) => `${info.pid} ${info.command}`).join("; ")}`);
}

beforeEach(() => {
  if (running++ === 0) before = new Set(liveTestProcesses().map((info) => info.pid));
});

// Only the last of overlapping tests checks: its processes cannot be told apart from those of a
// concurrent neighbour still running. The file's own check below catches what they all leave.
afterEach(() => (--running === 0 ? failOnLeftovers((info) => !before.has(info.pid), "the test") : undefined));

afterAll(() => failOnLeftovers(() => true, "the test file"));
