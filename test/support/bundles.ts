/**
 * Bundling generated modules as an app would: esbuild, and Rollup (the tree-shaker of Vite and of
 * most library builds), both minified, for the tree-shaking tests and the size benchmark.
 * `@mboxgen/runtime` resolves to this repository's built package.
 */
import { existsSync } from "node:fs";
import { dirname, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { gzipSync } from "node:zlib";
import { build, transform } from "esbuild";
import { rollup, type Plugin } from "rollup";

const repositoryRoot = fileURLToPath(new URL("../../", import.meta.url));
const runtimeEntry = resolve(repositoryRoot, "runtime/dist/index.js");

/** The bundlers compared. */
export type Bundler = "esbuild" | "rollup";

/** A minified bundle and its sizes. */
export interface BundleResult {
  code: string;
  minified: number;
  gzipped: number;
}

function sizes(code: string): BundleResult {
  const bytes = Buffer.from(code);
  return { code, minified: bytes.byteLength, gzipped: gzipSync(bytes, { level: 9 }).byteLength };
}

// Resolves `@mboxgen/runtime` and `./x.js` → `./x.ts`, and strips types with esbuild.
function typescriptPlugin(): Plugin {
  return {
    name: "mboxgen-test-typescript",
    resolveId(source, importer) {
      if (source === "@mboxgen/runtime") return runtimeEntry;
      if (!source.startsWith(".") || !importer) return null;
      const path = resolve(dirname(importer), source);
      const typescriptPath = path.replace(/\.js$/, ".ts");
      return existsSync(typescriptPath) ? typescriptPath : path;
    },
    async transform(code, id) {
      if (!id.endsWith(".ts")) return null;
      return { code: (await transform(code, { loader: "ts", format: "esm" })).code, map: null };
    },
  };
}

/** Bundles `entry` (a file path) for the browser with `bundler`, minified. */
export async function bundleEntry(entry: string, bundler: Bundler): Promise<BundleResult> {
  if (bundler === "esbuild") {
    const result = await build({
      entryPoints: [entry],
      bundle: true,
      minify: true,
      format: "esm",
      platform: "browser",
      write: false,
      logLevel: "silent",
      alias: { "@mboxgen/runtime": runtimeEntry },
    });
    return sizes(result.outputFiles[0]!.text);
  }
  const bundle = await rollup({ input: entry, plugins: [typescriptPlugin()], onwarn: () => undefined });
  try {
    const { output } = await bundle.generate({ format: "esm" });
    const minified = await transform(output[0].code, { minify: true, format: "esm" });
    return sizes(minified.code);
  } finally {
    await bundle.close();
  }
}
