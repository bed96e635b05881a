/**
 * The runtime's public API, held: every name each entry exports (values and types, as TypeScript
 * sees them) and the package's `exports` map. A re-layout of the runtime's folders must not change
 * either; a new export is added here on purpose.
 */
import { readFileSync } from "node:fs";
import { createRequire } from "node:module";
import { join } from "node:path";
import type * as TypeScript from "typescript-5.9";
import { describe, expect, it } from "vitest";
import { repositoryRoot } from "../support/fixtures.js";

const ts = createRequire(import.meta.url)("typescript-5.9") as typeof TypeScript;

const REMOTE_ENTRY = [
    "AccessorOptions", "AccessorOptionsFor", "AccessorsByExportName", "Address", "AttributeResolution", "AttributeSpec", "AttributesClient", "AttributesProvider",
    "AttributesSource", "ChannelType", "ClientOptionsOf", "Context", "CustomerId", "CustomerIdInput", "DeliveryRequest",
    "DeliveryResponse", "ExecuteRequest", "FallbackEvent", "FallbackOptions", "FallbackReason", "FetchFunction", "FetchInit",
    "FetchResponse", "Geo", "GetOffersOptions", "JsonValue", "MboxAccessors", "MboxAccessorsBase", "MboxAttributes",
    "MboxDescriptor", "MboxRequest", "MboxResponse", "MboxSpec", "Notification", "Option", "Order",
    "PageLoadResponse", "PrefetchRequest", "QaMode", "RUNTIME_VERSION", "RequestDetails", "ResponseMeta",
    "SendNotificationsOptions", "TargetClient", "TargetClientOptions", "TargetCookie", "TargetCookieNames",
    "TargetError", "TargetErrorKind", "TargetHttpError", "TargetLogger", "TargetNetworkError",
    "TargetResponseEnvelope", "TargetResponseError", "TargetTimeoutError", "TargetUnsupportedError",
    "TargetValidationError", "ViewRequest", "VisitorId", "WithDefaults", "createAttributesProvider",
    "createTargetClient", "defineMbox", "getTypedAttributes", "hasUniqueItems", "includesJsonEqual", "isJsonEqual",
    "isJsonObject", "isMultipleOf", "isTargetError", "isTargetHttpError", "isTargetNetworkError",
    "isTargetResponseError", "isTargetTimeoutError", "matchesAll", "matchesAny", "matchesExactlyOne", "matchesPattern",
    "mboxSpecOf", "resolveAttribute",
];

/** The on-device entry exports everything of the remote one, and these. */
const ON_DEVICE_ADDITIONS = [
    "ArtifactMetric", "ArtifactRule", "DecisioningArtifact", "DecisioningMethod", "DomainParts",
    "OnDeviceClientOptions", "OnDeviceGetOffersOptions", "OnDeviceTargetClient", "ParseDomain", "TargetArtifactError",
    "TargetEvent", "TargetEvents", "TargetNotReadyError",
];

/** The Web SDK entry: propositions from the Web SDK and the Edge Network, display events, the Edge Network client. */
const WEB_SDK_ENTRY = [
    "DISPLAY_EVENT_TYPE", "DisplayEvent", "DisplayEventSender", "DisplayResult", "EdgeAttributesProvider", "EdgeCallOptions",
    "EdgeCallResult", "EdgeCookie", "EdgeHandle", "EdgeNetworkClient", "EdgeNetworkClientOptions", "EdgeResponseBody",
    "FetchFunction", "IdentityItem", "JSON_CONTENT_ITEM_SCHEMA", "Proposition", "PropositionItem", "PropositionReference",
    "PropositionsInput", "PropositionsProvider", "ScopeDetails", "SendDisplayOptions", "TARGET_DECISION_PROVIDER",
    "TargetDecision", "TargetParameterValue", "WebSdkInstance", "createEdgeNetworkClient", "isTargetError",
    "isTargetHttpError", "isTargetNetworkError", "isTargetResponseError", "isTargetTimeoutError", "propositionsProvider",
    "sendDisplay",
];

/** The domains entry: the Public Suffix List reading, apart so that the on-device entry loads it on demand. */
const DOMAINS_ENTRY = ["DomainParts", "ParseDomain", "parseDomain"];

function exportedNames(entry: string): string[] {
  const path = join(repositoryRoot, entry);
  const program = ts.createProgram([path], { module: ts.ModuleKind.NodeNext, moduleResolution: ts.ModuleResolutionKind.NodeNext, target: ts.ScriptTarget.ES2022, noEmit: true, types: [] });
  const checker = program.getTypeChecker();
  const moduleSymbol = checker.getSymbolAtLocation(program.getSourceFile(path)!)!;
  return checker.getExportsOfModule(moduleSymbol).map((symbol) => symbol.name).sort();
}

describe("@mboxgen/runtime's public API", () => {
  it("the remote entry exports exactly its names", () => {
    expect(exportedNames("runtime/index.ts")).toEqual(REMOTE_ENTRY);
  });

  it("the on-device entry exports the remote entry's names and its own", () => {
    expect(exportedNames("runtime/on-device.ts")).toEqual([...REMOTE_ENTRY, ...ON_DEVICE_ADDITIONS].sort());
  });

  it("the Web SDK entry exports exactly its names", () => {
    expect(exportedNames("runtime/web-sdk.ts")).toEqual([...WEB_SDK_ENTRY].sort());
  });

  it("the domains entry exports the Public Suffix List reading", () => {
    expect(exportedNames("runtime/domains.ts")).toEqual(DOMAINS_ENTRY);
  });

  it("@mboxgen/openfeature's entries export exactly their names, at the paths of its exports map", () => {
    expect(exportedNames("openfeature/server.ts")).toEqual(["FlagGetter", "FlagGetterWithDefault", "FlagKind", "MboxDescriptorLike", "TargetProvider", "TargetProviderClient", "TargetProviderOptions", "TargetSnapshot", "TypedEvaluationDetails", "VisitorIdField", "defineServerFlags", "embedSnapshot", "evaluateTypedFlag"]);
    expect(exportedNames("openfeature/ofrep.ts")).toEqual(["OfrepAnswer", "OfrepService", "OfrepServiceOptions", "PageViewClient", "VisitorIdField", "createOfrepService"]);
    expect(exportedNames("openfeature/web.ts")).toEqual(["MboxCookieOptions", "ReactFlag", "ReactFlags", "TargetSnapshot", "TargetWebClient", "TargetWebProvider", "TargetWebProviderOptions", "TypedFlagDetails", "VisitorIdField", "defineReactFlags", "embedSnapshot", "isTargetSnapshot", "readMboxCookie", "writeMboxCookie"]);
    const manifest = JSON.parse(readFileSync(join(repositoryRoot, "openfeature/package.json"), "utf8")) as { exports: Record<string, unknown>; peerDependenciesMeta: Record<string, unknown>; dependencies: Record<string, string> };
    expect(manifest.exports).toEqual({
      "./server": { types: "./dist/server.d.ts", default: "./dist/server.js" },
      "./web": { types: "./dist/web.d.ts", default: "./dist/web.js" },
      "./ofrep": { types: "./dist/ofrep.d.ts", default: "./dist/ofrep.js" },
      "./package.json": "./package.json",
    });
    expect(manifest.dependencies).toEqual({ "@mboxgen/runtime": JSON.parse(readFileSync(join(repositoryRoot, "runtime/package.json"), "utf8")).version });
    expect(manifest.peerDependenciesMeta).toEqual({ "@openfeature/server-sdk": { optional: true }, "@openfeature/web-sdk": { optional: true } });
  });

  it("the package exports the entries at the same paths", () => {
    const manifest = JSON.parse(readFileSync(join(repositoryRoot, "runtime/package.json"), "utf8")) as { exports: Record<string, unknown> };
    expect(manifest.exports).toEqual({
      ".": { types: "./dist/index.d.ts", default: "./dist/index.js" },
      "./on-device": { types: "./dist/on-device.d.ts", default: "./dist/on-device.js" },
      "./domains": { types: "./dist/domains.d.ts", default: "./dist/domains.js" },
      "./web-sdk": { types: "./dist/web-sdk.d.ts", default: "./dist/web-sdk.js" },
      "./package.json": "./package.json",
    });
  });
});
