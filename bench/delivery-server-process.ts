/**
 * The loopback Delivery API server in its own process, so that the server's work does not share
 * the event loop with the clients being measured. Prints its serverDomain on stdout.
 */
import { startDeliveryServer } from "../test/support/delivery-server.js";

const contents = JSON.parse(process.argv[2] ?? "{}");
const server = await startDeliveryServer(contents, { record: false });
process.stdout.write(`${server.serverDomain}\n`);
process.on("SIGTERM", () => void server.close().then(() => process.exit(0)));
