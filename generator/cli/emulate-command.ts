/**
 * `mboxgen emulate`: serves an activities file (by default mboxgen's bundled example) as a local
 * Delivery API until stopped. Loads neither the generator nor the inference code.
 */
import { readFile } from "node:fs/promises";
import { resolve } from "node:path";
import { parseActivities } from "../emulator/activities.js";
import { startEmulator, type RunningEmulator } from "../emulator/emulator.js";
import { createGeneratorError, GeneratorErrors } from "../errors.js";
import { parseJsonDocument } from "../json-document.js";
import { shippedFile } from "../package-files.js";
import { assertInputExists } from "./files.js";
import type { CliEnvironment } from "./environment.js";

/** The example activities file mboxgen ships; `emulate` serves it when no `--activities` is given. */
export const EXAMPLE_ACTIVITIES = "fixtures/example/activities.json";

/** Options of `mboxgen emulate` after parsing. */
export interface EmulateArguments {
  activities?: string | undefined;
  port: number;
  host: string;
}

function waitForStop(environment: CliEnvironment): Promise<void> {
  return new Promise((resolveStop) => {
    if (environment.signal) environment.signal.addEventListener("abort", () => resolveStop(), { once: true });
    else process.once("SIGINT", () => resolveStop());
  });
}

const LISTEN_FAILURES: Record<string, string> = {
  EADDRINUSE: "the port is in use",
  EACCES: "not allowed (ports below 1024 need privileges)",
  EADDRNOTAVAIL: "that address is not one of this machine's",
};

/** `mboxgen emulate`; resolves with the exit code once stopped (Ctrl-C or the environment's signal). */
export async function runEmulate(options: EmulateArguments, environment: CliEnvironment): Promise<number> {
  const path = options.activities === undefined ? shippedFile(EXAMPLE_ACTIVITIES) : resolve(environment.cwd, options.activities);
  const label = options.activities ?? `mboxgen's example ${EXAMPLE_ACTIVITIES}`;
  assertInputExists(path, options.activities ?? path, "the activities file", `pass --activities <file> (an example: ${shippedFile(EXAMPLE_ACTIVITIES)})`);
  const file = options.activities ?? path;
  const document = parseJsonDocument({ path: file, text: await readFile(path, "utf8") });
  const activities = parseActivities(document.value, { file, document });

  let emulator: RunningEmulator;
  try {
    emulator = await startEmulator({ activities, port: options.port, host: options.host });
  } catch (error) {
    const reason = LISTEN_FAILURES[String((error as { code?: unknown }).code)];
    if (reason === undefined) throw error;
    throw new GeneratorErrors([createGeneratorError("PORT_UNAVAILABLE", { host: options.host, port: options.port, reason }, {}, error)]);
  }
  environment.stderr(
    `✔ Delivery API emulator on ${emulator.url} serving ${label}\n` +
      `  point a client at it: createTargetClient({ client: "emulator", organizationId: "EMULATOR@AdobeOrg", serverDomain: "${emulator.serverDomain}", secure: false })\n` +
      `  on-device (from "@mboxgen/runtime/on-device"): add decisioningMethod: "on-device", artifactLocation: "${emulator.artifactUrl}"\n` +
      `  OpenFeature's OFREP providers: baseUrl "${emulator.url}" (every key of every mbox is a flag "<mbox>.<key>")\n` +
      "  Ctrl-C to stop\n",
  );
  await waitForStop(environment);
  await emulator.close();
  environment.stderr(`✔ emulator stopped after ${emulator.stats.requests} requests\n`);
  return 0;
}
