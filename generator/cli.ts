#!/usr/bin/env node
/** The `mboxgen` executable. */

// `mboxgen --version` answers before any module is loaded: it is what scripts and CI call most.
if (process.argv.length === 3 && (process.argv[2] === "--version" || process.argv[2] === "-v")) {
  const { GENERATOR_VERSION } = await import("./version.js");
  process.stdout.write(`${GENERATOR_VERSION}\n`);
} else {
  const { runCli } = await import("./cli/main.js");
  process.exitCode = await runCli(process.argv.slice(2), {
    cwd: process.cwd(),
    stdout: (text) => process.stdout.write(text),
    stderr: (text) => process.stderr.write(text),
    isTerminal: process.stderr.isTTY === true,
  });
}
