/**
 * The README Quickstart's first command, as a test: the example generates its modules, the app
 * type-checks against them, and running it prints typed values from the local Delivery API.
 */
import { execFileSync } from "node:child_process";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { repositoryRoot } from "./support/fixtures.js";

describe("npm run example", () => {
  it("generates, type-checks and prints typed values", () => {
    const output = execFileSync(process.execPath, ["--import", "tsx", join(repositoryRoot, "examples/quickstart/run.ts")], {
      cwd: repositoryRoot,
      encoding: "utf8",
      stdio: ["ignore", "pipe", "pipe"],
    });
    expect(output).toContain("visitor-linus (region ch):");
    expect(output).toMatch(/visitor-ada \(region eu\):\n  search \d+, \d+ per page, checkout [a-z-]+, CDN cdn-eu2?\.example\.com/);
    expect(output).toMatch(/Target unreachable: searchProviderId = 143 \(default\), error = TargetNetworkError/);
    expect(output).toMatch(/On the device, from http:\/\/127\.0\.0\.1:\d+\/emulator\/production\/v1\/rules\.json: the same decisions for 3 of 3 visitors/);

    const tsc = join(repositoryRoot, "node_modules/typescript/bin/tsc");
    expect(execFileSync(process.execPath, [tsc, "-p", join(repositoryRoot, "examples/quickstart/tsconfig.json")], { encoding: "utf8" })).toBe("");
  });
});
