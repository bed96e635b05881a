/**
 * One client of the on-device benchmark in a process of its own (`ours` or `adobe`, and a
 * scenario key), so that neither client's heap and garbage collection is billed to the other.
 * The orchestrator sends `{ calls }` to run a round and gets back `{ cpuPerCall }` in
 * microseconds; `{ heapAfter }` runs that many calls between two full collections and answers
 * `{ heapGrowth }` in bytes. Start it with `--expose-gc`.
 */
import { createAdobe, createOurs, SCENARIOS } from "./on-device-scenarios.js";

const [which, scenarioKey] = process.argv.slice(2) as ["ours" | "adobe", string];
const scenario = SCENARIOS[scenarioKey]!;
const contender = await (which === "ours" ? createOurs : createAdobe)(scenario.artifact());
const collectGarbage = (globalThis as { gc?: () => void }).gc!;
let visitorSequence = 0;

// Calls for a new visitor each; the event loop turns every ten calls, so that notification
// timers run as they would in a server.
async function run(calls: number): Promise<void> {
  for (let call = 0; call < calls; call += 1) {
    visitorSequence += 1;
    await contender.getAttributes(scenario.mboxes, { request: { id: { tntId: `visitor-${visitorSequence}` }, context: scenario.context } });
    if (call % 10 === 9) await new Promise((resolve) => setImmediate(resolve));
  }
}

process.on("message", (message: { calls?: number; heapAfter?: number; close?: boolean }) => {
  void (async () => {
    if (message.calls !== undefined) {
      const started = process.cpuUsage();
      await run(message.calls);
      const used = process.cpuUsage(started);
      process.send!({ cpuPerCall: (used.user + used.system) / message.calls });
    } else if (message.heapAfter !== undefined) {
      await new Promise((resolve) => setTimeout(resolve, 10));
      collectGarbage();
      const before = process.memoryUsage().heapUsed;
      await run(message.heapAfter);
      await new Promise((resolve) => setTimeout(resolve, 10));
      collectGarbage();
      process.send!({ heapGrowth: process.memoryUsage().heapUsed - before });
    } else if (message.close) {
      await contender.close();
      process.exit(0);
    }
  })();
});
process.send!({ ready: true });
