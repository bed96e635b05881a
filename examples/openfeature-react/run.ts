/**
 * `npm run example:openfeature`: the server-rendered React page that reads Target's flags through
 * OpenFeature, on 127.0.0.1, against the emulator. Open the URL it prints; Ctrl-C stops it.
 */
import { startExample } from "./server.js";

const port = Number(process.env.PORT ?? 0);
const example = await startExample({ port });
console.log(`Example on ${example.url} (add ?region=us for the other region); Ctrl-C to stop`);
await new Promise<void>((resolve) => process.once("SIGINT", () => resolve()));
await example.close();
