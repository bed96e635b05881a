// Builds @mboxgen/runtime into dist/ (or, given a folder, the package there: @mboxgen/openfeature
// builds with `node ../runtime/build.mjs .`): ES modules with declarations (CommonJS apps load them
// with Node's require(esm), Node 20.19 and later). Run by `npm run build` and `prepack`. Two passes:
// declarations keep every JSDoc comment (what editors show), the JavaScript drops comments (what
// apps install and bundle; the install stays under 350 kB with the Public Suffix List).
import { execFileSync } from "node:child_process";
import { rmSync } from "node:fs";
import { createRequire } from "node:module";
import { dirname, join, resolve } from "node:path";
import { pathToFileURL } from "node:url";

// typescript's exports map hides bin/tsc; its package.json is exported and sits beside bin/.
const tsc = join(dirname(createRequire(import.meta.url).resolve("typescript/package.json")), "bin", "tsc");
const here = process.argv[2] ? pathToFileURL(`${resolve(process.argv[2])}/`) : new URL(".", import.meta.url);
rmSync(new URL("dist", here), { recursive: true, force: true });
const compile = (...flags) => execFileSync(process.execPath, [tsc, "-p", "tsconfig.json", ...flags], { cwd: here, stdio: "inherit" });
compile("--emitDeclarationOnly");
compile("--declaration", "false", "--removeComments");
