// Builds @mboxgen/runtime into dist/: ES modules with declarations (CommonJS apps load them with
// Node's require(esm), Node 20.19 and later). Run by `npm run build` and `prepack`.
import { execFileSync } from "node:child_process";
import { rmSync } from "node:fs";
import { createRequire } from "node:module";
import { dirname, join } from "node:path";

// typescript's exports map hides bin/tsc; its package.json is exported and sits beside bin/.
const tsc = join(dirname(createRequire(import.meta.url).resolve("typescript/package.json")), "bin", "tsc");
const here = new URL(".", import.meta.url);
rmSync(new URL("dist", here), { recursive: true, force: true });
execFileSync(process.execPath, [tsc, "-p", "tsconfig.json"], { cwd: here, stdio: "inherit" });
