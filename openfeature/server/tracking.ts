/**
 * `track()` as Target models a conversion: an `execute` call for an mbox named by the event (set a
 * conversion metric on that mbox in Target), with `details.value` as the order total, `orderId`
 * as the order id and `productIds` (an array, or a comma-separated string) as the purchased
 * products; every other detail is an mbox parameter. Always decided server-side: a conversion is
 * counted by Target's servers.
 */
import type { DeliveryRequest, Order } from "@mboxgen/runtime";
import type { PageViewClient } from "../core/page-views.js";
import { addParameters, type TargetCall } from "../core/target-call.js";

/** The details that make the order; all others are mbox parameters. */
const ORDER_DETAILS = new Set(["value", "orderId", "productIds"]);

function orderOf(details: Readonly<Record<string, unknown>>): Order | undefined {
  const order: Order = {};
  if (typeof details.value === "number" && Number.isFinite(details.value)) order.total = details.value;
  if (typeof details.orderId === "string" || typeof details.orderId === "number") order.id = String(details.orderId);
  const products = details.productIds;
  if (Array.isArray(products)) order.purchasedProductIds = products.map(String);
  else if (typeof products === "string" && products !== "") order.purchasedProductIds = products.split(",").map((product) => product.trim());
  return Object.keys(order).length > 0 ? order : undefined;
}

/** Sends the conversion; resolves with the details that could not be sent, rejects when Target does not take it. */
export async function trackConversion(client: PageViewClient, call: TargetCall, eventName: string, details: Readonly<Record<string, unknown>>): Promise<string[]> {
  if (typeof eventName !== "string" || eventName === "") throw new TypeError("the tracking event name must be a non-empty string: it names the conversion mbox");
  const parameters = { ...call.parameters };
  const problems: string[] = [];
  for (const [name, value] of Object.entries(details ?? {})) if (!ORDER_DETAILS.has(name)) addParameters(parameters, name, value, problems);
  const order = orderOf(details ?? {});
  const request: DeliveryRequest = {
    ...call.request,
    execute: {
      mboxes: [
        {
          name: eventName,
          index: 1,
          ...(Object.keys(parameters).length > 0 ? { parameters } : {}),
          ...(Object.keys(call.profileParameters).length > 0 ? { profileParameters: call.profileParameters } : {}),
          ...(order ? { order } : {}),
        },
      ],
    },
  };
  await client.getOffers({ ...call.options, request, decisioningMethod: "server-side" });
  return problems;
}
