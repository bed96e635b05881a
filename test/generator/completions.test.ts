/**
 * IDE autocompletion through the TypeScript language service: after `flags.`, every accessor is
 * offered, with the schema's description as its documentation and @default / @deprecated tags.
 */
import { join } from "node:path";
import { Project, ts } from "ts-morph";
import { describe, expect, it } from "vitest";
import { repositoryRoot } from "../support/fixtures.js";

function completionsAfter(source: string) {
  const project = new Project({ tsConfigFilePath: join(repositoryRoot, "test/generator/typecheck/tsconfig.strict.json"), skipAddingFilesFromTsConfig: true });
  const path = join(repositoryRoot, "fixtures/example/usage.ts");
  const file = project.createSourceFile(path, source, { overwrite: true });
  project.resolveSourceFileDependencies();
  const service = project.getLanguageService().compilerObject;
  const position = file.getFullText().lastIndexOf(".") + 1;
  const completions = service.getCompletionsAtPosition(path, position, {})!;
  return completions.entries.map((entry) => {
    const details = service.getCompletionEntryDetails(path, position, entry.name, {}, undefined, undefined, undefined);
    return {
      name: entry.name,
      documentation: ts.displayPartsToString(details?.documentation),
      tags: (details?.tags ?? []).map((tag) => `@${tag.name} ${ts.displayPartsToString(tag.text)}`.trim()),
    };
  });
}

describe("completions after flags.", () => {
  const entries = completionsAfter(`
import { demoEngineeringFlags } from "./expected/index.js";
declare const provider: { asObject(mbox: string): Record<string, unknown> };
const flags = demoEngineeringFlags.from(provider);
flags.`);
  const byName = new Map(entries.map((entry) => [entry.name, entry]));

  it("lists every accessor and the common members, and no raw non-identifier key", () => {
    expect([...byName.keys()].sort()).toEqual(
      ["asObject", "betaRibbon", "cdnHostname", "checkoutFlow", "error", "hasLegacyAccess", "maxItems", "searchProviderId", "toJSON"].sort(),
    );
  });

  it("documents accessors with the schema's description, the constraints the type cannot state, and tags", () => {
    expect(byName.get("searchProviderId")).toEqual({ name: "searchProviderId", documentation: "Which search backend answers site search.", tags: ["@integer", "@minimum 1", "@default 143"] });
    expect(byName.get("cdnHostname")?.documentation).toBe("Host name of the CDN that serves static assets.");
    expect(byName.get("maxItems")).toEqual({ name: "maxItems", documentation: "Products per listing page.", tags: ["@integer", "@minimum 1", "@maximum 100", "@default 24"] });
    expect(byName.get("betaRibbon")?.tags).toContain("@deprecated");
    expect(byName.get("hasLegacyAccess")?.documentation).toBe("Whether the legacy account pages are reachable.");
  });
});
