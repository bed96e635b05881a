/** The fixture cases of fixtures/<case>/ and how the golden files were generated from them. */
import { existsSync, readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { generate, readSchemaFolder, type MboxgenConfig } from "../../generator/index.js";

/** The repository root. */
export const repositoryRoot = fileURLToPath(new URL("../../", import.meta.url));

/** Names of the fixture cases that have a schemas/ folder. */
export function fixtureCases(): string[] {
  return readdirSync(join(repositoryRoot, "fixtures"))
    .filter((name) => existsSync(join(repositoryRoot, "fixtures", name, "schemas")))
    .sort();
}

/** Generates a fixture case exactly as its golden files record it (`overrides` change its config). */
export async function generateFixture(name: string, overrides: MboxgenConfig = {}) {
  const folder = join(repositoryRoot, "fixtures", name);
  const optionsPath = join(folder, "options.json");
  return generate({
    schemas: await readSchemaFolder(join(folder, "schemas"), repositoryRoot),
    config: { ...(existsSync(optionsPath) ? (JSON.parse(readFileSync(optionsPath, "utf8")) as MboxgenConfig) : {}), ...overrides },
    schemasLabel: `fixtures/${name}/schemas`,
    regenerateCommand: "npm run golden:update",
  });
}
