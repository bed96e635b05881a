/**
 * The suite's own guarantee that tests leave nothing running (test/support/processes.ts and the
 * setup file that checks every test): an orphan that outlived the shell that started it is still
 * found, and ending a process group ends every process in it.
 */
import { execFile } from "node:child_process";
import { promisify } from "node:util";
import { describe, expect, it } from "vitest";
import { endGroup, liveTestProcesses, spawnGroup, waitFor } from "../support/processes.js";

const exec = promisify(execFile);
const isLinux = process.platform === "linux";

describe.runIf(isLinux)("processes a test starts", () => {
  it("finds an orphan whose parent already exited (negative control of the leftover check)", async () => {
    // The shell exits at once; the sleep it started in the background is reparented and lives on.
    const { stdout } = await exec("sh", ["-c", "sleep 30 >/dev/null 2>&1 & echo $!"]);
    const orphan = Number(stdout.trim());
    try {
      expect(liveTestProcesses().map((info) => info.pid)).toContain(orphan);
    } finally {
      process.kill(orphan, "SIGKILL");
    }
    expect(await waitFor(() => !liveTestProcesses().some((info) => info.pid === orphan), 2000)).toBe(true);
  });

  it("ends a whole process group, the processes its leader started included", async () => {
    const leader = spawnGroup("sh", ["-c", "sleep 30 & sleep 30 & wait"], { stdio: "ignore" });
    expect(await waitFor(() => liveTestProcesses().filter((info) => info.processGroup === leader.pid).length === 3, 2000)).toBe(true);
    await endGroup(leader);
    expect(liveTestProcesses().filter((info) => info.processGroup === leader.pid)).toEqual([]);
  });
});
