/**
 * OFREP in the emulator: the single and bulk endpoints answer with the protocol's shapes (checked
 * against the vendored OpenAPI description), ETag / If-None-Match / 304, the protocol's errors; and
 * OpenFeature's own OFREP provider, evaluating against the emulator, agrees with TargetProvider on
 * values, variants and reasons.
 */
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { Ajv2020, type ValidateFunction } from "ajv/dist/2020.js";
import { OFREPProvider } from "@openfeature/ofrep-provider";
import { OFREPWebProvider } from "@openfeature/ofrep-web-provider";
import { OpenFeature as WebOpenFeature, type Provider as WebProvider } from "@openfeature/web-sdk";
import { ErrorCode, OpenFeature } from "@openfeature/server-sdk";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { parse } from "yaml";
import type { RunningEmulator } from "../../generator/index.js";
import { repositoryRoot } from "../support/fixtures.js";
import type { OnDeviceTargetClient } from "@mboxgen/runtime/on-device";
import { onDeviceClientFor, openFeatureClient, startTestEmulator } from "../support/openfeature.js";

let emulator: RunningEmulator;
const onDeviceClients: OnDeviceTargetClient[] = [];
beforeAll(async () => {
  emulator = await startTestEmulator();
});
afterAll(async () => {
  await OpenFeature.close();
  for (const client of onDeviceClients) await client.close();
  await emulator.close();
});

// The protocol's schemas, read as the protocol means them. Its `oneOf` of value shapes overlaps
// (an integer is also a float; `codeDefaultFlag`, with no properties, matches every success), so
// as written no integer or object value validates: it is read as `anyOf`. And `DEFAULT` is added
// to the success reasons: OFREP's "code default" answer (no value) carries OpenFeature's reason for
// it, which OFREP's list of reasons leaves out (only the "openapi-default" document has it).
const openapi = parse(readFileSync(join(repositoryRoot, "fixtures/ofrep/openapi.yaml"), "utf8")) as Record<string, any>;
const reasons: string[] = openapi.components.schemas.evaluationSuccess.allOf[0].properties.reason.enum;
const asMeant = structuredClone(openapi);
const valueShapes = asMeant.components.schemas.evaluationSuccess.allOf[1];
valueShapes.anyOf = valueShapes.oneOf;
delete valueShapes.oneOf;
const ajv = new Ajv2020({ strict: false, allErrors: true });
ajv.addSchema({ ...asMeant, $id: "https://ofrep.test/openapi" });
const withDefaultReason = structuredClone(asMeant);
withDefaultReason.components.schemas.evaluationSuccess.allOf[0].properties.reason.enum.push("DEFAULT");
ajv.addSchema({ ...withDefaultReason, $id: "https://ofrep.test/openapi-default" });
const schema = (name: string, document = "openapi"): ValidateFunction => ajv.compile({ $ref: `https://ofrep.test/${document}#/components/schemas/${name}` });

async function post(path: string, body: unknown, headers: Record<string, string> = {}) {
  const response = await fetch(`${emulator.url}${path}`, { method: "POST", headers: { "content-type": "application/json", ...headers }, body: typeof body === "string" ? body : JSON.stringify(body) });
  const text = await response.text();
  return { status: response.status, etag: response.headers.get("etag"), body: text === "" ? undefined : (JSON.parse(text) as Record<string, any>) };
}

describe("the emulator's OFREP endpoints", () => {
  it("answer a single flag with the protocol's success shape", async () => {
    const answer = await post("/ofrep/v1/evaluate/flags/demo-engineering-flags.searchProviderId", { context: { targetingKey: "ofrep-1", region: "eu" } });
    expect(answer.status).toBe(200);
    expect(answer.body).toMatchObject({ key: "demo-engineering-flags.searchProviderId", value: 143, reason: "TARGETING_MATCH", metadata: { "activity.id": 102 } });
    expect(["EU classic", "EU one-page", "EU express"]).toContain(answer.body!.variant);
    const validate = schema("serverEvaluationSuccess");
    expect(validate(answer.body), JSON.stringify(validate.errors)).toBe(true);
    expect(reasons).not.toContain("DEFAULT");
    // As written, the protocol's oneOf rejects every integer value (integerFlag and floatFlag both match).
    const written = new Ajv2020({ strict: false }).addSchema({ ...openapi, $id: "https://ofrep.test/written" }).compile({ $ref: "https://ofrep.test/written#/components/schemas/serverEvaluationSuccess" });
    expect(written(answer.body)).toBe(false);
  });

  it("answer no value for the visitor as the code default, with reason DEFAULT", async () => {
    // A mbox no activity serves this visitor: the code default.
    await emulator.setActivities({ mboxes: { "only-us": [{ id: 1, name: "US only", type: "xt", audience: { parameter: "region", equals: "us" }, experiences: [{ id: 0, name: "US", weight: 1, offer: { id: 1, name: "o", content: { on: true } } }] }] } });
    try {
      const codeDefault = await post("/ofrep/v1/evaluate/flags/only-us.on", { context: { targetingKey: "v", region: "eu" } });
      expect(codeDefault).toMatchObject({ status: 200, body: { key: "only-us.on", reason: "DEFAULT" } });
      expect("value" in codeDefault.body!).toBe(false);
      expect(schema("serverEvaluationSuccess")(codeDefault.body)).toBe(false);
      const validate = schema("serverEvaluationSuccess", "openapi-default");
      expect(validate(codeDefault.body), JSON.stringify(validate.errors)).toBe(true);
    } finally {
      const { exampleActivities } = await import("../support/openfeature.js");
      await emulator.setActivities(exampleActivities());
    }
  });

  it("answer the protocol's errors: unknown flag 404, missing targetingKey and bad bodies 400", async () => {
    const notFound = await post("/ofrep/v1/evaluate/flags/demo-engineering-flags.noSuchKey", { context: { targetingKey: "ofrep-2", region: "eu" } });
    expect(notFound).toMatchObject({ status: 404, body: { key: "demo-engineering-flags.noSuchKey", errorCode: "FLAG_NOT_FOUND" } });
    expect(schema("flagNotFound")(notFound.body)).toBe(true);
    const missingKey = await post("/ofrep/v1/evaluate/flags/demo-engineering-flags.searchProviderId", { context: { region: "eu" } });
    expect(missingKey).toMatchObject({ status: 400, body: { errorCode: "TARGETING_KEY_MISSING" } });
    expect(schema("evaluationFailure")(missingKey.body)).toBe(true);
    const noContext = await post("/ofrep/v1/evaluate/flags/x", { nothing: true });
    expect(noContext).toMatchObject({ status: 400, body: { errorCode: "INVALID_CONTEXT" } });
    const notJson = await post("/ofrep/v1/evaluate/flags/x", "{not json");
    expect(notJson).toMatchObject({ status: 400, body: { errorCode: "PARSE_ERROR" } });
  });

  it("answer the bulk evaluation with every key of every mbox, an ETag, and 304 for If-None-Match", async () => {
    const context = { context: { targetingKey: "ofrep-bulk", region: "us" } };
    const first = await post("/ofrep/v1/evaluate/flags", context);
    expect(first.status).toBe(200);
    const validate = schema("bulkEvaluationSuccess", "openapi-default");
    expect(validate(first.body), JSON.stringify(validate.errors)).toBe(true);
    const keys = first.body!.flags.map((flag: { key: string }) => flag.key);
    expect(keys).toEqual(expect.arrayContaining(["demo-engineering-flags", "demo-engineering-flags.searchProviderId", "hero-banner.cta", "promo-strip.message"]));
    expect(first.etag).toMatch(/^"[0-9a-f]{16}"$/);
    const again = await post("/ofrep/v1/evaluate/flags", context, { "if-none-match": first.etag! });
    expect(again).toMatchObject({ status: 304, body: undefined });
    const other = await post("/ofrep/v1/evaluate/flags", { context: { targetingKey: "ofrep-bulk-2", region: "eu" } }, { "if-none-match": first.etag! });
    expect(other.status).toBe(200);
    expect(other.etag).not.toBe(first.etag);
    // OFREP evaluations count no impression.
    expect(emulator.stats.ofrepRequests).toBeGreaterThan(0);
  });
});

/** An OpenFeature client over TargetProvider on-device: it knows every mbox's keys, as the emulator does. */
async function onDeviceTargetProvider() {
  const onDevice = onDeviceClientFor(emulator);
  await onDevice.ready;
  onDeviceClients.push(onDevice);
  return (await openFeatureClient({ client: onDevice })).client;
}

describe("OpenFeature's OFREP provider against the emulator", () => {
  it("agrees with TargetProvider (on-device: it knows every mbox's keys, as the emulator does) on values, variants and reasons for many visitors", async () => {
    const ours = await onDeviceTargetProvider();
    const ofrepDomain = "mboxgen-ofrep";
    await OpenFeature.setProviderAndWait(ofrepDomain, new OFREPProvider({ baseUrl: emulator.url }));
    const theirs = OpenFeature.getClient(ofrepDomain);
    let compared = 0;
    let defaults = 0;
    for (let visitor = 0; visitor < 40; visitor += 1) {
      const context = { targetingKey: `agree-${visitor}`, ...(visitor % 3 === 0 ? { region: "eu" } : visitor % 3 === 1 ? { region: "us" } : {}) };
      for (const [key, type] of [
        ["demo-engineering-flags.searchProviderId", "number"],
        ["demo-engineering-flags.cdnHostname", "string"],
        ["hero-banner.headline", "string"],
        ["promo-strip.dismissible", "boolean"],
        ["hero-banner", "object"],
      ] as const) {
        const [mine, other] = await Promise.all(
          [ours, theirs].map((client) =>
            type === "number" ? client.getNumberDetails(key, -1, context) : type === "string" ? client.getStringDetails(key, "fallback", context) : type === "boolean" ? client.getBooleanDetails(key, false, context) : client.getObjectDetails(key, {}, context),
          ),
        );
        if (mine!.reason === "DEFAULT") {
          // @openfeature/ofrep-provider 0.1.3 (the only one on npm) predates OFREP's code default:
          // it reads an answer without a value as an error (newer ofrep-core reads it as DEFAULT,
          // as the web provider does). The value is the caller's default either way.
          expect(other!).toMatchObject({ value: mine!.value, reason: "ERROR" });
          expect([ErrorCode.GENERAL, ErrorCode.TYPE_MISMATCH]).toContain(other!.errorCode);
          defaults += 1;
          continue;
        }
        expect({ value: other!.value, variant: other!.variant, reason: other!.reason, errorCode: other!.errorCode }, `${key} for ${JSON.stringify(context)}`).toEqual({ value: mine!.value, variant: mine!.variant, reason: mine!.reason, errorCode: mine!.errorCode });
        // The metadata Target's tokens give, but for where the decision was made.
        const { "activity.decisioningMethod": _mine, ...mineMetadata } = mine!.flagMetadata;
        const { "activity.decisioningMethod": _other, ...otherMetadata } = other!.flagMetadata;
        expect(otherMetadata).toEqual(mineMetadata);
        compared += 1;
      }
    }
    expect(compared).toBeGreaterThan(100);
    expect(defaults).toBeGreaterThan(0);
  });
});

describe("OpenFeature's OFREP web provider against the emulator", () => {
  it("bulk-evaluates every flag for a context, with the values, variants and reasons TargetProvider gives; a context change re-evaluates", async () => {
    const ours = await onDeviceTargetProvider();
    const domain = "mboxgen-ofrep-web";
    const requestsBefore = emulator.stats.ofrepRequests;
    try {
      await WebOpenFeature.setContext(domain, { targetingKey: "web-agree-0", region: "eu" });
      // (Its declared `hooks?: Hook[] | undefined` does not fit the SDK's Provider under exactOptionalPropertyTypes.)
      const provider = new OFREPWebProvider({ baseUrl: emulator.url, pollInterval: 0, cacheMode: "disabled" }) as unknown as WebProvider;
      await WebOpenFeature.setProviderAndWait(domain, provider);
      const theirs = WebOpenFeature.getClient(domain);
      let compared = 0;
      for (let visitor = 0; visitor < 12; visitor += 1) {
        const context = { targetingKey: `web-agree-${visitor}`, ...(visitor % 2 === 0 ? { region: "eu" } : { region: "us" }) };
        await WebOpenFeature.setContext(domain, context);
        for (const key of ["demo-engineering-flags.searchProviderId", "demo-engineering-flags.max-items", "hero-banner.theme", "promo-strip.message"]) {
          const mine = key.endsWith("Id") || key.endsWith("items") ? await ours.getNumberDetails(key, -1, context) : await ours.getStringDetails(key, "fallback", context);
          const other = key.endsWith("Id") || key.endsWith("items") ? theirs.getNumberDetails(key, -1) : theirs.getStringDetails(key, "fallback");
          expect({ value: other.value, variant: other.variant, reason: other.reason, errorCode: other.errorCode }, `${key} for ${JSON.stringify(context)}`).toEqual({ value: mine.value, variant: mine.variant, reason: mine.reason, errorCode: mine.errorCode });
          compared += 1;
        }
      }
      expect(compared).toBe(48);
      // One bulk evaluation at initialize and one per setContext (the web SDK calls it even for an equal context).
      expect(emulator.stats.ofrepRequests - requestsBefore).toBe(13);
    } finally {
      await WebOpenFeature.close();
    }
  });
});

