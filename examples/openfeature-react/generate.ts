/**
 * The example's typed modules (plain, OpenFeature getters, React hooks), generated into target/
 * from mboxgen's example schemas and config. Its own module: whatever imports the page's modules
 * runs it first (they import target/).
 */
import { fileURLToPath } from "node:url";
import { runCli } from "../../generator/index.js";

const root = fileURLToPath(new URL("../../", import.meta.url));

/** Generates target/; rejects when mboxgen refuses the schemas. */
export async function generateExampleModules(): Promise<void> {
  // The example's config (its cta default), into this example's folder.
  let errors = "";
  const code = await runCli(["generate", "--config", "fixtures/example/mboxgen.config.json", "--out", "examples/openfeature-react/target", "--openfeature", "server", "react"], {
    cwd: root,
    stdout: (text) => process.stdout.write(text),
    stderr: (text) => void (errors += text),
  });
  if (code !== 0) throw new Error(`mboxgen generate failed for the example:\n${errors}`);
}
