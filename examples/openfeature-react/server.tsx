/**
 * The example's server: it reads the visitor's flags through OpenFeature's server SDK with
 * TargetProvider (one page view per request, a transaction), snapshots them for the browser,
 * renders the React page from the snapshot with the same generated hooks the browser runs, and
 * serves the browser bundle (esbuild, from the lockfile's packages). Against the emulator.
 */
import { createServer, type IncomingMessage, type ServerResponse } from "node:http";
import type { AddressInfo, Socket } from "node:net";
import { fileURLToPath } from "node:url";
import { build } from "esbuild";
import { renderToString } from "react-dom/server";
import { OpenFeatureProvider } from "@openfeature/react-sdk";
import { OpenFeature as WebOpenFeature } from "@openfeature/web-sdk";
import { AsyncLocalStorageTransactionContextPropagator, OpenFeature } from "@openfeature/server-sdk";
import { createTargetClient } from "@mboxgen/runtime";
import { embedSnapshot, TargetProvider } from "@mboxgen/openfeature/server";
import { TargetWebProvider, type TargetSnapshot } from "@mboxgen/openfeature/web";
import { startEmulator, type RunningEmulator } from "../../generator/index.js";
import { generateExampleModules } from "./generate.js";

const here = fileURLToPath(new URL(".", import.meta.url));
/** The web SDK domain server renders use. */
const SSR_DOMAIN = "server-render";
const root = fileURLToPath(new URL("../../", import.meta.url));
export { generateExampleModules };

/** A running example. */
export interface RunningExample {
  url: string;
  emulator: RunningEmulator;
  close(): Promise<void>;
}

function cookiesOf(request: IncomingMessage): Record<string, string> {
  const cookies: Record<string, string> = {};
  for (const part of (request.headers.cookie ?? "").split(";")) {
    const separator = part.indexOf("=");
    if (separator > 0) cookies[part.slice(0, separator).trim()] = decodeURIComponent(part.slice(separator + 1).trim());
  }
  return cookies;
}

// The page's HTML: the server's render, and the data the browser starts from, inert in a script.
function html(body: string, data: { snapshot: TargetSnapshot; context: Record<string, string>; serverDomain: string }): string {
  const embedded = `{"snapshot":${embedSnapshot(data.snapshot)},"context":${JSON.stringify(data.context).replace(/</g, "\\u003c")},"serverDomain":${JSON.stringify(data.serverDomain)}}`;
  return `<!doctype html>
<html lang="en">
<head><meta charset="utf-8"><title>mboxgen: Target through OpenFeature</title>
<style>body{font-family:system-ui,sans-serif;margin:2rem;max-width:40rem}button{font-size:1rem;padding:.4rem .8rem}</style></head>
<body><div id="root">${body}</div>
<script>window.__EXAMPLE__ = ${embedded};</script>
<script type="module" src="/client.js"></script>
</body>
</html>
`;
}

/** Starts the emulator (example activities) and the example's server on 127.0.0.1. */
export async function startExample(options: { port?: number; activities?: unknown } = {}): Promise<RunningExample> {
  await generateExampleModules();
  // The generated modules exist from here on; so do the page's imports of them.
  const { demoEngineeringFlags, heroBanner } = await import("./target/index.js");
  const { Page, REGIONS } = await import("./page.js");
  const bundle = await build({ entryPoints: [`${here}client.tsx`], bundle: true, format: "esm", platform: "browser", minify: true, write: false, jsx: "automatic", logLevel: "silent", absWorkingDir: root });
  const clientJs = bundle.outputFiles[0]!.text;
  const activities = options.activities ?? (await import("../../fixtures/example/activities.json", { with: { type: "json" } })).default;
  const emulator = await startEmulator({ activities });
  const targetClient = createTargetClient({ client: "emulator", organizationId: "EMULATOR@AdobeOrg", serverDomain: emulator.serverDomain, secure: false });
  const provider = new TargetProvider({ client: targetClient, mboxes: [demoEngineeringFlags, heroBanner] });
  OpenFeature.setTransactionContextPropagator(new AsyncLocalStorageTransactionContextPropagator());
  await OpenFeature.setProviderAndWait("example", provider);

  async function page(request: IncomingMessage, response: ServerResponse): Promise<void> {
    const url = new URL(request.url ?? "/", "http://example");
    const region = REGIONS.find((each) => each === url.searchParams.get("region")) ?? "eu";
    const cookies = cookiesOf(request);
    // What Target decides on; the mbox cookie carries the visitor (a new one gets it from Target).
    const context = { url: `http://example.test${url.pathname}`, region };
    const snapshot = await new Promise<TargetSnapshot>((resolve, reject) => {
      OpenFeature.setTransactionContext({ ...context, ...(cookies.mbox ? { targetCookie: cookies.mbox } : {}) }, () => {
        provider.snapshot({}).then(resolve, reject);
      });
    });
    // The same hooks render on the server, from the snapshot: a provider ready at once, in one
    // OpenFeature domain that each render takes in turn (setting it and rendering run without a
    // pause, so no two requests meet there). It sends no notification: the browser does.
    WebOpenFeature.setProvider(SSR_DOMAIN, new TargetWebProvider({ client: targetClient, mboxes: [demoEngineeringFlags, heroBanner], bootstrap: snapshot, cookie: false, notify: false }));
    const body = renderToString(
      <OpenFeatureProvider domain={SSR_DOMAIN}>
        <Page region={region} />
      </OpenFeatureProvider>,
    );
    const headers: Record<string, string> = { "content-type": "text/html; charset=utf-8", "cache-control": "no-store" };
    if (snapshot.targetCookie) headers["set-cookie"] = `${snapshot.targetCookie.name}=${encodeURIComponent(snapshot.targetCookie.value)}; Max-Age=${snapshot.targetCookie.maxAge}; Path=/; SameSite=Lax`;
    response.writeHead(200, headers);
    response.end(html(body, { snapshot, context, serverDomain: emulator.serverDomain }));
  }

  const server = createServer((request, response) => {
    if (request.url === "/client.js") {
      response.writeHead(200, { "content-type": "text/javascript; charset=utf-8" });
      return void response.end(clientJs);
    }
    if (request.url === "/favicon.ico") return void response.writeHead(204).end();
    page(request, response).catch((error: unknown) => {
      response.writeHead(500, { "content-type": "text/plain" });
      response.end(`The example failed: ${error instanceof Error ? error.message : String(error)}`);
    });
  });
  const sockets = new Set<Socket>();
  server.on("connection", (socket) => {
    sockets.add(socket);
    socket.on("close", () => sockets.delete(socket));
  });
  await new Promise<void>((resolve) => server.listen(options.port ?? 0, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}/`,
    emulator,
    async close() {
      for (const socket of sockets) socket.destroy();
      await new Promise((resolve) => server.close(resolve));
      await OpenFeature.clearProviders();
      await WebOpenFeature.clearProviders();
      await emulator.close();
    },
  };
}
