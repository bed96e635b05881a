// Builds @mboxgen/runtime: ES modules in dist/, CommonJS in dist/cjs/ (marked by its own
// package.json), both with declarations. Run by `npm run build` and `prepack`.
import { execFileSync } from "node:child_process";
import { mkdirSync, rmSync, writeFileSync } from "node:fs";
import { createRequire } from "node:module";

import { dirname, join } from "node:path";

// typescript's exports map hides bin/tsc; its package.json is exported and sits beside bin/.
const tsc = join(dirname(createRequire(import.meta.url).resolve("typescript/package.json")), "bin", "tsc");
const here = new URL(".", import.meta.url);
rmSync(new URL("dist", here), { recursive: true, force: true });
for (const project of ["tsconfig.json", "tsconfig.cjs.json"]) {
  execFileSync(process.execPath, [tsc, "-p", project], { cwd: here, stdio: "inherit" });
}
mkdirSync(new URL("dist/cjs", here), { recursive: true });
writeFileSync(new URL("dist/cjs/package.json", here), '{ "type": "commonjs" }\n');
