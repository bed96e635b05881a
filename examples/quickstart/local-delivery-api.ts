/**
 * A tiny local stand-in for Target's Delivery API, for the example only: each visitor (by
 * tntId) gets one of the offers in fixtures/example/offers.json, the same one every time.
 */
import { createServer } from "node:http";
import type { AddressInfo } from "node:net";

type Offers = Record<string, Array<Record<string, unknown>>>;

function pick<Item>(items: readonly Item[], visitor: string): Item {
  let hash = 0;
  for (const character of visitor) hash = (hash * 31 + character.charCodeAt(0)) >>> 0;
  return items[hash % items.length]!;
}

/** Starts the server on 127.0.0.1 and an OS-assigned port. */
export async function startLocalDeliveryApi(offers: Offers): Promise<{ serverDomain: string; close(): Promise<void> }> {
  const server = createServer((request, response) => {
    let body = "";
    request.on("data", (chunk) => (body += chunk));
    request.on("end", () => {
      const delivery = JSON.parse(body || "{}");
      const tntId: string = delivery.id?.tntId ?? `visitor-${Math.random().toString(36).slice(2)}`;
      const mboxes = (delivery.execute?.mboxes ?? []).map((mbox: { index: number; name: string }) => {
        const candidates = offers[mbox.name];
        return candidates ? { ...mbox, options: [{ type: "json", content: pick(candidates, tntId) }] } : mbox;
      });
      response.writeHead(200, { "content-type": "application/json" });
      response.end(JSON.stringify({ status: 200, requestId: delivery.requestId, id: { tntId }, client: "example", execute: { mboxes } }));
    });
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;
  return { serverDomain: `127.0.0.1:${port}`, close: () => new Promise((resolve) => server.close(() => resolve())) };
}
