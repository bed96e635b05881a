/**
 * Generated code is tree-shakable (issue #7): an app that imports one descriptor from the
 * generated index bundles only that mbox, within 5% of importing its module directly, with
 * esbuild and with Rollup.
 */
import { mkdtempSync, mkdirSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { generate } from "../../generator/index.js";
import { createSyntheticSchemas } from "../../bench/synthetic-schemas.js";
import { bundleEntry, type Bundler } from "../support/bundles.js";

const MBOX_COUNT = 10;
let folder: string;

beforeAll(async () => {
  folder = mkdtempSync(join(tmpdir(), "mboxgen-tree-shaking-"));
  const schemas = createSyntheticSchemas(MBOX_COUNT).map((schema) => ({ path: schema.path, text: JSON.stringify(schema.schema) }));
  const { files } = await generate({ schemas, config: { format: false } });
  mkdirSync(join(folder, "target"));
  for (const file of files) writeFileSync(join(folder, "target", file.path), file.text);
  writeFileSync(join(folder, "through-index.ts"), 'import { benchMbox3 } from "./target/index.js";\nconsole.log(benchMbox3.mbox);\n');
  writeFileSync(join(folder, "direct.ts"), 'import { benchMbox3 } from "./target/bench-mbox3.js";\nconsole.log(benchMbox3.mbox);\n');
  writeFileSync(join(folder, "side-effect-free.ts"), 'import "./target/index.js";\n');
});
afterAll(() => rmSync(folder, { recursive: true, force: true }));

describe.each<Bundler>(["esbuild", "rollup"])("tree-shaking with %s", (bundler) => {
  it("bundles one mbox through the index within 5% of importing its module directly", async () => {
    const throughIndex = await bundleEntry(join(folder, "through-index.ts"), bundler);
    const direct = await bundleEntry(join(folder, "direct.ts"), bundler);
    expect(throughIndex.code).toContain('"bench-mbox-3"');
    for (let index = 0; index < MBOX_COUNT; index += 1) {
      if (index !== 3) expect(throughIndex.code, `bench-mbox-${index} is bundled`).not.toContain(`"bench-mbox-${index}"`);
    }
    expect(throughIndex.minified).toBeLessThanOrEqual(direct.minified * 1.05);
  });

  it("an import of the index for its side effects bundles no descriptor", async () => {
    const bundle = await bundleEntry(join(folder, "side-effect-free.ts"), bundler);
    expect(bundle.code).not.toContain("bench-mbox-");
  });
});

describe("the tree-shaking check itself", () => {
  it("fails when the defineMbox calls are not marked pure", async () => {
    const unmarked = join(folder, "unmarked");
    mkdirSync(unmarked);
    const schemas = createSyntheticSchemas(3).map((schema) => ({ path: schema.path, text: JSON.stringify(schema.schema) }));
    const { files } = await generate({ schemas, config: { format: false } });
    mkdirSync(join(unmarked, "target"));
    for (const file of files) writeFileSync(join(unmarked, "target", file.path), file.text.replaceAll("/*#__PURE__*/", ""));
    writeFileSync(join(unmarked, "entry.ts"), 'import { benchMbox1 } from "./target/index.js";\nconsole.log(benchMbox1.mbox);\n');
    const bundle = await bundleEntry(join(unmarked, "entry.ts"), "esbuild");
    expect(bundle.code).toContain('"bench-mbox-0"');
  });
});
