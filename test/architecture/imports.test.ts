/**
 * The house's shape, held by the import graph (STYLE.md §1): no import cycles anywhere; the
 * runtime's folders depend inward only (platform ← delivery-api ← accessors, on-device); the
 * runtime imports no package and nothing outside itself; the generator and the OpenFeature
 * package reach the runtime by its package name only; the runtime's entry files are thin (only
 * re-exports); the remote-only entry reaches nothing of on-device/, and the on-device entry loads
 * the Public Suffix List only on demand.
 */
import { readFileSync } from "node:fs";
import { createRequire } from "node:module";
import { join } from "node:path";
import type * as TypeScript from "typescript-5.9";
import { describe, expect, it } from "vitest";
import { repositoryRoot } from "../support/fixtures.js";
import { findImportCycles, reachableFrom, readImportGraph, type ImportGraph } from "../support/import-graph.js";

const ts = createRequire(import.meta.url)("typescript-5.9") as typeof TypeScript;
const graph = readImportGraph();

/** The runtime's folders and the runtime folders each may import (its own included). */
const RUNTIME_LAYERS: Record<string, readonly string[]> = {
  "runtime/platform": ["runtime/platform"],
  "runtime/delivery-api": ["runtime/platform", "runtime/delivery-api"],
  "runtime/accessors": ["runtime/platform", "runtime/delivery-api", "runtime/accessors"],
  "runtime/on-device/domains": ["runtime/on-device/domains"],
  "runtime/on-device": ["runtime/platform", "runtime/delivery-api", "runtime/on-device"],
  "runtime/web-sdk": ["runtime/platform", "runtime/delivery-api", "runtime/accessors", "runtime/web-sdk"],
};

const folderOf = (file: string) => file.slice(0, file.lastIndexOf("/"));

// The most specific layer a file belongs to (on-device/domains before on-device).
function layerOf(file: string): string | undefined {
  return Object.keys(RUNTIME_LAYERS)
    .filter((layer) => folderOf(file) === layer || folderOf(file).startsWith(`${layer}/`))
    .sort((left, right) => right.length - left.length)[0];
}

/** Imports that break the runtime's layering, as `file → target`. */
function layeringViolations(importGraph: ImportGraph): string[] {
  const violations: string[] = [];
  for (const [file, edges] of importGraph) {
    if (!file.startsWith("runtime/")) continue;
    const layer = layerOf(file);
    for (const edge of edges) {
      if (edge.target === undefined) {
        violations.push(`${file} → ${edge.specifier} (the runtime has no dependencies: only relative imports of its own files)`);
        continue;
      }
      if (!edge.target.startsWith("runtime/")) {
        violations.push(`${file} → ${edge.target} (outside the runtime package)`);
        continue;
      }
      // Top-level files are the entries; they may import any folder.
      if (layer === undefined) continue;
      const targetLayer = layerOf(edge.target);
      const allowed = RUNTIME_LAYERS[layer]!;
      if (targetLayer === undefined || !allowed.some((folder) => targetLayer === folder || targetLayer.startsWith(`${folder}/`))) {
        violations.push(`${file} → ${edge.target} (${layer} may import only ${allowed.join(", ")})`);
      }
    }
  }
  return violations;
}

describe("import graph", () => {
  it(`has no cycles (${graph.size} files)`, () => {
    expect(graph.size).toBeGreaterThan(100);
    expect(findImportCycles(graph).map((cycle) => cycle.join(" → "))).toEqual([]);
  });

  it("finds a cycle when there is one (negative control)", () => {
    const withCycle: ImportGraph = new Map([
      ["a.ts", [{ specifier: "./b.js", target: "b.ts", dynamic: false, typeOnly: false }]],
      ["b.ts", [{ specifier: "./c.js", target: "c.ts", dynamic: false, typeOnly: false }]],
      ["c.ts", [{ specifier: "./a.js", target: "a.ts", dynamic: false, typeOnly: false }, { specifier: "./d.js", target: "d.ts", dynamic: false, typeOnly: false }]],
      ["d.ts", [{ specifier: "./d.js", target: "d.ts", dynamic: false, typeOnly: false }]],
      ["e.ts", [{ specifier: "./a.js", target: "a.ts", dynamic: false, typeOnly: false }]],
    ]);
    expect(findImportCycles(withCycle).map((cycle) => cycle.join(" → ")).sort()).toEqual(["a.ts → b.ts → c.ts → a.ts", "d.ts → d.ts"]);
  });

  it("keeps the runtime's folders layered, dependency-free and self-contained", () => {
    expect(layeringViolations(graph)).toEqual([]);
    const broken: ImportGraph = new Map([
      ["runtime/platform/http.ts", [{ specifier: "../delivery-api/client.js", target: "runtime/delivery-api/client.ts", dynamic: false, typeOnly: false }]],
      ["runtime/delivery-api/client.ts", [{ specifier: "left-pad", target: undefined, dynamic: false, typeOnly: false }]],
      ["runtime/on-device/domains/parse-domain.ts", [{ specifier: "../client.js", target: "runtime/on-device/client.ts", dynamic: false, typeOnly: false }]],
    ]);
    expect(layeringViolations(broken)).toHaveLength(3);
  });

  it("the generator and the OpenFeature package reach the runtime by its package name only", () => {
    const reachingIn = [...graph].flatMap(([file, edges]) =>
      (file.startsWith("generator/") || file.startsWith("openfeature/")) ? edges.filter((edge) => edge.target?.startsWith("runtime/")).map((edge) => `${file} → ${edge.specifier}`) : [],
    );
    expect(reachingIn).toEqual([]);
    // And the runtime never imports the generator (covered by the layering: nothing outside runtime/).
  });

  it("the packages' entry files only re-export", () => {
    for (const entry of ["runtime/index.ts", "runtime/on-device.ts", "runtime/domains.ts", "runtime/web-sdk.ts", "openfeature/server.ts", "openfeature/web.ts", "openfeature/ofrep.ts"]) {
      const source = ts.createSourceFile(entry, readFileSync(join(repositoryRoot, entry), "utf8"), ts.ScriptTarget.ES2022);
      const logic = source.statements.filter((statement) => !ts.isExportDeclaration(statement)).map((statement) => statement.getText(source).slice(0, 60));
      expect(logic, entry).toEqual([]);
    }
  });

  it("@mboxgen/openfeature: core/ needs no OpenFeature SDK and knows no entry folder; web/ never reaches server/; the OFREP entry loads no SDK", () => {
    const violations: string[] = [];
    for (const [file, edges] of graph) {
      if (!file.startsWith("openfeature/")) continue;
      for (const edge of edges) {
        const packageName = edge.target === undefined ? edge.specifier : undefined;
        const sdkOfFolder = file.startsWith("openfeature/server/") ? "@openfeature/server-sdk" : file.startsWith("openfeature/web/") ? "@openfeature/web-sdk" : undefined;
        if (packageName !== undefined && !/^@mboxgen\/runtime(\/on-device)?$/.test(packageName) && packageName !== sdkOfFolder) {
          violations.push(`${file} → ${packageName} (only @mboxgen/runtime, and its own SDK in server/ and web/)`);
        }
        if (file.startsWith("openfeature/web/") && edge.target?.startsWith("openfeature/server/")) violations.push(`${file} → ${edge.target} (the web entry never loads the server's)`);
        if (file.startsWith("openfeature/core/") && edge.target !== undefined && !edge.target.startsWith("openfeature/core/")) violations.push(`${file} → ${edge.target} (core/ imports only core/)`);
        if (packageName === "@mboxgen/runtime/on-device" && !edge.typeOnly) violations.push(`${file} → ${packageName} (types only: the provider never loads the engine itself)`);
      }
    }
    expect(violations).toEqual([]);
    const ofrep = [...reachableFrom(graph, "openfeature/ofrep.ts", { loadedWithEntry: true })];
    expect(ofrep.filter((file) => file.startsWith("openfeature/server/"))).toEqual([]);
    expect(ofrep.flatMap((file) => graph.get(file)!.filter((edge) => edge.specifier.startsWith("@openfeature/")).map((edge) => edge.specifier))).toEqual([]);
  });

  it("the remote-only entry reaches nothing of on-device/ or web-sdk/", () => {
    const reached = [...reachableFrom(graph, "runtime/index.ts")];
    expect(reached.filter((file) => file.startsWith("runtime/on-device") || file.startsWith("runtime/web-sdk"))).toEqual([]);
    expect(reached).toContain("runtime/delivery-api/client.ts");
  });

  it("the Web SDK entry reaches nothing of on-device/ and not the Delivery API client", () => {
    const reached = [...reachableFrom(graph, "runtime/web-sdk.ts")];
    expect(reached.filter((file) => file.startsWith("runtime/on-device") || file === "runtime/delivery-api/client.ts")).toEqual([]);
    expect(reached).toContain("runtime/web-sdk/edge-client.ts");
  });

  it("the on-device entry reaches the Public Suffix List only through a dynamic import", () => {
    const list = "runtime/on-device/domains/public-suffix-list.ts";
    expect([...reachableFrom(graph, "runtime/on-device.ts", { loadedWithEntry: true })].filter((file) => file.startsWith("runtime/on-device/domains/"))).toEqual([]);
    expect(reachableFrom(graph, "runtime/on-device.ts")).toContain(list);
    expect(reachableFrom(graph, "runtime/domains.ts", { loadedWithEntry: true })).toContain(list);
    // The kinds of import are read from the syntax, not guessed.
    const clientEdges = graph.get("runtime/on-device/client.ts")!;
    expect(clientEdges.find((edge) => edge.target === "runtime/on-device/domains/parse-domain.ts")).toMatchObject({ dynamic: true, typeOnly: false });
    expect(clientEdges.find((edge) => edge.target === "runtime/on-device/artifact-types.ts")).toMatchObject({ dynamic: false, typeOnly: true });
    expect(clientEdges.find((edge) => edge.target === "runtime/on-device/decision-engine.ts")).toMatchObject({ dynamic: false, typeOnly: false });
  });
});
