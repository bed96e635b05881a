/**
 * `npm run example`: generates the typed modules for fixtures/example/schemas into
 * examples/quickstart/target/, starts the Delivery API emulator with
 * fixtures/example/activities.json, and runs the example app against it. No Adobe account needed.
 */
import { readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { runCli, startEmulator } from "../../generator/index.js";

const root = fileURLToPath(new URL("../../", import.meta.url));
const code = await runCli(["generate", "--config", "fixtures/example/mboxgen.config.json"], {
  cwd: root,
  stdout: (text) => process.stdout.write(text),
  stderr: (text) => process.stderr.write(text),
});
if (code !== 0) process.exit(code);

const activities = JSON.parse(readFileSync(new URL("../../fixtures/example/activities.json", import.meta.url), "utf8"));
const emulator = await startEmulator({ activities });
console.log(`Delivery API emulator on ${emulator.url} (fixtures/example/activities.json)`);
try {
  const { runApp } = await import("./app.js");
  await runApp(emulator.serverDomain, emulator.artifactUrl);
} finally {
  await emulator.close();
}
