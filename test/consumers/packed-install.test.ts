/**
 * What users install is what npm packs (issue #7). Both packages are packed and installed into a
 * fresh app, `@mboxgen/runtime` as a dependency and `mboxgen` as a devDependency. The README's
 * commands run there as written (the emulator on a free port instead of 8080), the app and the
 * README's TypeScript blocks type-check and bundle, the dev dependencies are removed, and the app
 * runs against a loopback Delivery API with nothing but `@mboxgen/runtime` installed.
 */
import { execFile, type ChildProcess } from "node:child_process";
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from "node:fs";
import { createServer } from "node:net";
import { tmpdir } from "node:os";
import { join, relative } from "node:path";
import { promisify } from "node:util";
import { build } from "esbuild";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startDeliveryServer, type DeliveryTestServer } from "../support/delivery-server.js";
import { endGroup, spawnGroup } from "../support/processes.js";
import { repositoryRoot } from "../support/fixtures.js";
import { readmeBlocks, readmeTypeScriptBlocks, shellCommands, withAssignments } from "../support/readme.js";

const exec = promisify(execFile);
const npm = process.platform === "win32" ? "npm.cmd" : "npm";
let work: string;
let app: string;
const tarballs: Record<"runtime" | "mboxgen" | "openfeature", string> = { runtime: "", mboxgen: "", openfeature: "" };
const children: ChildProcess[] = [];

async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as { port: number };
  await new Promise((resolve) => server.close(resolve));
  return port;
}

async function packedFiles(tarball: string): Promise<string[]> {
  const { stdout } = await exec("tar", ["-tzf", tarball]);
  return stdout.trim().split("\n").map((path) => path.replace(/^package\//, "")).sort();
}

/** Runs a README command in the app, as a shell would (`npx`, `cp`). */
async function runCommand(words: string[]): Promise<{ stdout: string; stderr: string }> {
  const { env, command: [command, ...args] } = withAssignments(words) as { env: Record<string, string>; command: [string, ...string[]] };
  return exec(command === "npx" && process.platform === "win32" ? "npx.cmd" : command, args, { cwd: app, env: { ...process.env, CI: "true", ...env } });
}

beforeAll(async () => {
  work = mkdtempSync(join(tmpdir(), "mboxgen-packed-"));
  app = join(work, "app");
  mkdirSync(app);
  // The builds are fresh (npm test builds first); `prepack` would build again.
  for (const [name, args] of [["mboxgen", []], ["runtime", ["--workspace", "@mboxgen/runtime"]], ["openfeature", ["--workspace", "@mboxgen/openfeature"]]] as const) {
    const { stdout } = await exec(npm, ["pack", "--ignore-scripts", "--json", "--pack-destination", work, ...args], { cwd: repositoryRoot });
    tarballs[name] = join(work, (JSON.parse(stdout) as Array<{ filename: string }>)[0]!.filename);
  }
  writeFileSync(join(app, "package.json"), JSON.stringify({ name: "fresh-app", private: true, type: "module" }, null, 2));
  const install = ["install", "--prefer-offline", "--no-audit", "--no-fund"];
  await exec(npm, [...install, tarballs.runtime], { cwd: app });
  // The packages are not on the registry: mboxgen's own dependency on @mboxgen/openfeature (its
  // emulator serves OFREP) is met by the tarball, installed for development first, as the published
  // package would be fetched with mboxgen.
  await exec(npm, [...install, "--save-dev", tarballs.openfeature], { cwd: app });
  await exec(npm, [...install, "--save-dev", tarballs.mboxgen], { cwd: app });
}, 120_000);

afterAll(async () => {
  await Promise.all(children.map((child) => endGroup(child)));
  rmSync(work, { recursive: true, force: true });
});

describe("the packages as npm packs them", () => {
  it("ship what their READMEs, error messages and exports refer to, and no source map", async () => {
    const runtimeFiles = await packedFiles(tarballs.runtime);
    const mboxgenFiles = await packedFiles(tarballs.mboxgen);
    const openfeatureFiles = await packedFiles(tarballs.openfeature);
    expect(openfeatureFiles).toEqual(expect.arrayContaining(["LICENSE", "README.md", "package.json", "dist/server.js", "dist/server.d.ts", "dist/ofrep.js", "dist/ofrep.d.ts"]));
    expect(openfeatureFiles.filter((path) => !path.startsWith("dist/") && !["LICENSE", "README.md", "package.json"].includes(path))).toEqual([]);
    expect(runtimeFiles).toEqual(expect.arrayContaining(["LICENSE", "README.md", "package.json", "dist/index.js", "dist/index.d.ts", "dist/on-device.js", "dist/on-device.d.ts", "dist/on-device/domains/public-suffix-list.js"]));
    expect(runtimeFiles.filter((path) => !path.startsWith("dist/") && !["LICENSE", "README.md", "package.json"].includes(path))).toEqual([]);
    expect(mboxgenFiles).toEqual(
      expect.arrayContaining(["dist/generator/cli.js", "templates/file-header.txt", "generator/config.schema.json", "generator/emulator/activities.schema.json", "fixtures/example/activities.json", "fixtures/example/schemas/demo-engineering-flags.schema.json"]),
    );
    for (const files of [runtimeFiles, mboxgenFiles, openfeatureFiles]) {
      expect(files.filter((path) => path.endsWith(".map"))).toEqual([]);
      expect(files.filter((path) => path.endsWith(".ts") && !path.endsWith(".d.ts"))).toEqual([]);
    }
    // Every relative link of each README is a file of its tarball.
    for (const [readme, files] of [[join(repositoryRoot, "README.md"), mboxgenFiles], [join(repositoryRoot, "runtime/README.md"), runtimeFiles], [join(repositoryRoot, "openfeature/README.md"), openfeatureFiles]] as const) {
      const links = [...readFileSync(readme, "utf8").matchAll(/\]\(([^)#\s]+)(?:#[^)]*)?\)/g)].map((match) => match[1]!).filter((link) => !/^[a-z]+:/.test(link));
      for (const link of links) expect(files, `${relative(repositoryRoot, readme)} links ${link}`).toContain(link);
    }
  });

  it("declare repository, homepage, bugs, license and a prepack build; the runtime has no dependencies", () => {
    for (const folder of ["node_modules/mboxgen", "node_modules/@mboxgen/runtime"]) {
      const manifest = JSON.parse(readFileSync(join(app, folder, "package.json"), "utf8"));
      for (const field of ["repository", "homepage", "bugs", "license", "exports", "engines"]) expect(manifest[field], `${folder}: ${field}`).toBeDefined();
      expect(manifest.scripts.prepack).toMatch(/build/);
      expect(manifest.sideEffects).toBe(false);
    }
    const runtime = JSON.parse(readFileSync(join(app, "node_modules/@mboxgen/runtime/package.json"), "utf8"));
    expect(runtime.dependencies).toBeUndefined();
    const mboxgen = JSON.parse(readFileSync(join(app, "node_modules/mboxgen/package.json"), "utf8"));
    expect(mboxgen.dependencies["@mboxgen/runtime"]).toBe(runtime.version);
    // One copy of the runtime: mboxgen's dependency is the app's own.
    expect(existsSync(join(app, "node_modules/mboxgen/node_modules/@mboxgen/runtime"))).toBe(false);
  });
});

describe("a fresh app that follows the README", () => {
  let port: number;

  it("runs the README's commands as written: generate, emulate, sample, generate, check, offers check", async () => {
    port = await freePort();
    const withPort = (words: string[]) => words.map((word) => word.replace(/\b8080\b/, String(port)));
    const block = (marker: string) => shellCommands(readmeBlocks().find((each) => each.marker === marker)!.code).map(withPort);
    for (const command of block("generate")) await runCommand(command);
    expect(readdirSync(join(app, "src/target")).sort()).toEqual(["demo-engineering-flags.ts", "hero-banner.ts", "index.ts", "promo-strip.ts"]);
    const schemasBefore = Object.fromEntries(readdirSync(join(app, "schemas")).map((name) => [name, readFileSync(join(app, "schemas", name), "utf8")]));

    const [emulate] = block("emulator");
    // As typed in a terminal: npx starts a shell that starts mboxgen; Ctrl-C reaches the whole group.
    const emulator = spawnGroup(emulate![0]!, emulate!.slice(1), { cwd: app, stdio: ["ignore", "pipe", "pipe"] });
    children.push(emulator);
    let emulatorOutput = "";
    await new Promise<void>((resolve, reject) => {
      emulator.stderr!.on("data", (chunk: Buffer) => {
        emulatorOutput += chunk.toString();
        if (emulatorOutput.includes("Ctrl-C to stop")) resolve();
      });
      emulator.once("exit", (code) => reject(new Error(`the emulator exited with ${code}: ${emulatorOutput}`)));
    });
    expect(emulatorOutput).toContain(`on http://127.0.0.1:${port} serving mboxgen's example fixtures/example/activities.json`);

    const outputs: string[] = [];
    for (const command of block("sample-and-generate")) outputs.push((await runCommand(command)).stderr);
    // The offers check, through the emulator's Admin API, passes on the sampled schemas, as the README says.
    const [offersCheck] = block("offers-check");
    const checked = await runCommand(offersCheck!);
    expect(checked.stderr).toBe(`${/With the schemas as sampled above it prints\n`([^`]+)`/.exec(readFileSync(join(repositoryRoot, "README.md"), "utf8"))![1]}\n`);
    await endGroup(emulator, { signal: "SIGINT" });
    const output = outputs.join("");
    expect(output).toContain("coverage complete");
    // As the README says: two schemas stay byte for byte, one loses a `required` it cannot keep, and nothing else.
    expect(output).toContain("✔ updated schemas/demo-engineering-flags.schema.json\n    /cdnHostname: now optional (missing from some offers)\n✔ schemas/hero-banner.schema.json unchanged");
    expect(output).toContain("✔ every offer matches the schemas in schemas");
    for (const [name, text] of Object.entries(schemasBefore)) {
      const after = readFileSync(join(app, "schemas", name), "utf8");
      if (name !== "demo-engineering-flags.schema.json") expect(after, name).toBe(text);
      else {
        const { "x-mboxgen": provenance, ...schema } = JSON.parse(after);
        expect(provenance).toMatchObject({ source: "sample", coverage: "complete" });
        expect(schema).toEqual({ ...JSON.parse(text), required: ["searchProviderId"] });
      }
    }
  }, 60_000);

  it("type-checks the README's TypeScript blocks and an app against the generated modules", async () => {
    // The OpenFeature section's install (our package is already there, from its tarball; OpenFeature's
    // SDK from the registry), kept out of package.json so that the production check below is the
    // main install's; and its generate command, as written.
    await exec(npm, ["install", "--no-save", "--prefer-offline", "--no-audit", "--no-fund", "@openfeature/server-sdk@^1.17.0", "@openfeature/web-sdk@^1.4.0", "@openfeature/react-sdk@^1.4.1", "react@^19", "@types/react@^19", "@types/node@^20"], { cwd: app });
    for (const command of shellCommands(readmeBlocks().find((each) => each.marker === "openfeature-generate")!.code)) await runCommand(command);
    expect(readdirSync(join(app, "src/target/openfeature")).sort()).toEqual(["demo-engineering-flags.ts", "flags.json", "hero-banner.ts", "index.ts", "promo-strip.ts"]);
    expect(readdirSync(join(app, "src/target/react")).sort()).toEqual(["demo-engineering-flags.ts", "hero-banner.ts", "index.ts", "promo-strip.ts"]);
    const blocks = [...readmeTypeScriptBlocks(), ...readmeTypeScriptBlocks(join(repositoryRoot, "runtime/README.md")), ...readmeTypeScriptBlocks(join(repositoryRoot, "openfeature/README.md"))];
    // Blocks that use OpenFeature are a project of their own: OpenFeature's server SDK needs Node's types.
    const usesOpenFeature = (code: string) => /@openfeature\/|@mboxgen\/openfeature|\/openfeature\/|\/react\//.test(code);
    for (const [index, block] of blocks.entries()) writeFileSync(join(app, "src", `${usesOpenFeature(block.code) ? "openfeature-" : ""}readme-${index + 1}.ts`), block.code);
    writeFileSync(
      join(app, "src/main.ts"),
      [
        'import { createTargetClient } from "@mboxgen/runtime";',
        'import { demoEngineeringFlags, getAttributes, heroBanner, promoStrip } from "./target/index.js";',
        "",
        "const serverDomain = process.argv[2];",
        'if (!serverDomain) throw new Error("usage: main.js <host:port>");',
        'const client = createTargetClient({ client: "app", organizationId: "APP@AdobeOrg", serverDomain, secure: false, timeout: 2000 });',
        "const all = await getAttributes(client, [demoEngineeringFlags, heroBanner, promoStrip]);",
        "const pageSize: number = all.demoEngineeringFlags.maxItems();",
        "console.log(JSON.stringify({ pageSize, headline: all.heroBanner.headline(), promo: all.promoStrip.asObject(), error: all.demoEngineeringFlags.error === undefined }));",
        "",
      ].join("\n"),
    );
    const compilerOptions = { target: "ES2022", lib: ["ES2022"], module: "NodeNext", moduleResolution: "NodeNext", strict: true, exactOptionalPropertyTypes: true, noUncheckedIndexedAccess: true, verbatimModuleSyntax: true, skipLibCheck: false, skipDefaultLibCheck: true, types: [], outDir: "build", rootDir: "src" };
    writeFileSync(join(app, "tsconfig.json"), JSON.stringify({ compilerOptions, include: ["src"], exclude: ["src/openfeature-*.ts", "src/target/openfeature", "src/target/react"] }, null, 2));
    writeFileSync(join(app, "tsconfig.openfeature.json"), JSON.stringify({ compilerOptions: { ...compilerOptions, types: ["node"], noEmit: true }, include: ["src/openfeature-*.ts", "src/target/openfeature", "src/target/react"] }, null, 2));
    await exec(process.execPath, [join(repositoryRoot, "node_modules/typescript/bin/tsc"), "-p", join(app, "tsconfig.openfeature.json"), "--pretty", "false"], { cwd: app }).catch((error: { stdout: string }) => {
      throw new Error(error.stdout);
    });
    writeFileSync(join(app, "src/host.d.ts"), "declare const console: { log(...data: unknown[]): void; warn(...data: unknown[]): void };\ndeclare const process: { argv: string[] };\n");
    await exec(process.execPath, [join(repositoryRoot, "node_modules/typescript/bin/tsc"), "-p", app, "--pretty", "false"], { cwd: app }).catch((error: { stdout: string }) => {
      throw new Error(error.stdout);
    });
    expect(existsSync(join(app, "build/main.js"))).toBe(true);
    await build({ entryPoints: [join(app, "src/main.ts")], bundle: true, platform: "node", format: "esm", outfile: join(app, "bundle/main.mjs"), logLevel: "silent", absWorkingDir: app });
  }, 60_000);

  describe("in production, with dev dependencies removed", () => {
    let server: DeliveryTestServer;
    beforeAll(async () => {
      await exec(npm, ["prune", "--omit=dev", "--no-audit", "--no-fund"], { cwd: app });
      server = await startDeliveryServer({
        "demo-engineering-flags": [{ content: { searchProviderId: 7, "max-items": 48, cdnHostname: "cdn.example.com" } }],
        "hero-banner": [{ content: { headline: "Summer sale" } }],
        "promo-strip": [{ content: { visible: true, message: "10% off" } }],
      });
    }, 60_000);
    afterAll(() => server.close());

    // 300 kB held until the Web SDK entry (issue #16) added its 39 kB, half of it declarations with their docs.
    it("installs one package, under 350 kB", () => {
      const packages: string[] = [];
      const visit = (folder: string) => {
        for (const name of readdirSync(folder)) {
          if (name.startsWith(".")) continue;
          const path = join(folder, name);
          if (existsSync(join(path, "package.json"))) packages.push(relative(join(app, "node_modules"), path));
          else if (name.startsWith("@") && statSync(path).isDirectory()) visit(path);
        }
      };
      visit(join(app, "node_modules"));
      expect(packages).toEqual(["@mboxgen/runtime"]);
      const size = (path: string): number => (statSync(path).isDirectory() ? readdirSync(path).reduce((sum, name) => sum + size(join(path, name)), 0) : statSync(path).size);
      expect(size(join(app, "node_modules/@mboxgen/runtime"))).toBeLessThan(350_000);
    });

    it("runs the compiled app and its bundle against a loopback Delivery API", async () => {
      for (const entry of ["build/main.js", "bundle/main.mjs"]) {
        const { stdout } = await exec(process.execPath, [join(app, entry), server.serverDomain], { cwd: app });
        expect(JSON.parse(stdout), entry).toEqual({ pageSize: 48, headline: "Summer sale", promo: { visible: true, message: "10% off", dismissible: true, color: "#ffd400" }, error: true });
      }
      expect(server.requests.length).toBe(2);
    });
  });
});
