/**
 * Processes that tests start, and the check that none outlives its test. Every test worker marks
 * its environment (`MBOXGEN_TEST_WORKER=<pid>`, set by test/support/process-check-setup.ts), and
 * children inherit it, so the processes a test started are found by that mark in `/proc/<pid>/environ`
 * even after they were reparented (the emulator behind an `npx` that was killed, for example).
 * `spawnGroup` starts a command in a process group of its own; `endGroup` ends the whole group
 * (TERM, then KILL) and waits until no member of it is left.
 */
import { spawn, type ChildProcess, type SpawnOptions } from "node:child_process";
import { readdirSync, readFileSync } from "node:fs";

/** The environment variable that marks the processes of one test worker. */
export const WORKER_MARK = "MBOXGEN_TEST_WORKER";

/** A process this machine runs: its id, its process group and its command line. */
export interface ProcessInfo {
  pid: number;
  processGroup: number;
  command: string;
}

// Linux keeps what the check reads under /proc; elsewhere the check has nothing to read.
const canInspect = (() => {
  try {
    readFileSync("/proc/self/stat");
    return true;
  } catch {
    return false;
  }
})();

function read(path: string): string | undefined {
  try {
    return readFileSync(path, "utf8");
  } catch {
    return undefined;
  }
}

function infoOf(pid: number): ProcessInfo | undefined {
  const stat = read(`/proc/${pid}/stat`);
  if (stat === undefined) return undefined;
  // The command name is in parentheses and may contain spaces: the fields after it are fixed.
  const fields = stat.slice(stat.lastIndexOf(")") + 2).split(" ");
  // A zombie has ended; it only waits to be reaped.
  if (fields[0] === "Z") return undefined;
  const command = (read(`/proc/${pid}/cmdline`) ?? "").split("\0").filter(Boolean).join(" ");
  return { pid, processGroup: Number(fields[2]), command };
}

/** Every live process whose environment carries `mark` (`NAME=value`), this process excluded. */
export function processesMarked(mark: string): ProcessInfo[] {
  if (!canInspect) return [];
  const found: ProcessInfo[] = [];
  for (const entry of readdirSync("/proc")) {
    const pid = Number(entry);
    if (!Number.isInteger(pid) || pid === process.pid) continue;
    const environment = read(`/proc/${pid}/environ`);
    if (environment === undefined || !environment.split("\0").includes(mark)) continue;
    const info = infoOf(pid);
    if (info) found.push(info);
  }
  return found;
}

/** The processes this worker's tests started that are still alive. */
export function liveTestProcesses(): ProcessInfo[] {
  const worker = process.env[WORKER_MARK];
  return worker === undefined ? [] : processesMarked(`${WORKER_MARK}=${worker}`);
}

/** Waits until `check` holds, up to `timeout` milliseconds; resolves with whether it held. */
export async function waitFor(check: () => boolean, timeout: number): Promise<boolean> {
  const deadline = Date.now() + timeout;
  while (!check()) {
    if (Date.now() > deadline) return false;
    await new Promise((resolve) => setTimeout(resolve, 25));
  }
  return true;
}

/** Starts `command` in a process group of its own, so that `endGroup` can end it with every process it starts. */
export function spawnGroup(command: string, args: readonly string[], options: SpawnOptions = {}): ChildProcess {
  return spawn(command, args, { ...options, detached: true });
}

function signalGroup(group: number, signal: NodeJS.Signals): void {
  try {
    process.kill(-group, signal);
  } catch {
    // The group is gone already.
  }
}

const groupAlive = (group: number) => canInspect && readdirSync("/proc").some((entry) => Number(entry) !== process.pid && infoOf(Number(entry))?.processGroup === group);

/**
 * Ends the process group `child` leads: `signal` first (SIGTERM by default, or SIGINT to let it
 * stop as from a terminal), SIGKILL after `grace` milliseconds; resolves when no member is left.
 */
export async function endGroup(child: ChildProcess, { signal = "SIGTERM", grace = 3000 }: { signal?: NodeJS.Signals; grace?: number } = {}): Promise<void> {
  const group = child.pid;
  if (group === undefined) return;
  signalGroup(group, signal);
  if (!(await waitFor(() => !groupAlive(group), grace))) {
    signalGroup(group, "SIGKILL");
    await waitFor(() => !groupAlive(group), grace);
  }
}
