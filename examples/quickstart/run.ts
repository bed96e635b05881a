/**
 * `npm run example`: generates the typed modules for fixtures/example/schemas into
 * examples/quickstart/target/, starts a local Delivery API, and runs the example app against it.
 * No Adobe account needed.
 */
import { readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { runCli } from "../../generator/index.js";
import { startLocalDeliveryApi } from "./local-delivery-api.js";

const root = fileURLToPath(new URL("../../", import.meta.url));
const code = await runCli(["generate", "--config", "fixtures/example/mboxgen.config.json"], {
  cwd: root,
  stdout: (text) => process.stdout.write(text),
  stderr: (text) => process.stderr.write(text),
});
if (code !== 0) process.exit(code);

const offers = JSON.parse(readFileSync(new URL("../../fixtures/example/offers.json", import.meta.url), "utf8"));
const server = await startLocalDeliveryApi(offers);
try {
  const { runApp } = await import("./app.js");
  await runApp(server.serverDomain);
} finally {
  await server.close();
}
