/**
 * The README's code blocks, as tests read them: the TypeScript blocks are compiled against
 * generated modules, and the blocks marked `<!-- readme-test: <name> -->` are run as written.
 */
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { repositoryRoot } from "./fixtures.js";

/** One fenced block of the README. */
export interface ReadmeBlock {
  language: string;
  code: string;
  /** The name in a `<!-- readme-test: name -->` line right above the block, if any. */
  marker: string | undefined;
  /** 1-based line of the opening fence. */
  line: number;
}

/** Every fenced block of a Markdown file (the repository's README by default). */
export function readmeBlocks(path = join(repositoryRoot, "README.md")): ReadmeBlock[] {
  const lines = readFileSync(path, "utf8").split("\n");
  const blocks: ReadmeBlock[] = [];
  for (let index = 0; index < lines.length; index += 1) {
    const opening = /^```(\w*)\s*$/.exec(lines[index]!);
    if (!opening) continue;
    const start = index;
    const body: string[] = [];
    for (index += 1; index < lines.length && !/^```\s*$/.test(lines[index]!); index += 1) body.push(lines[index]!);
    const marker = /^<!-- readme-test: ([\w-]+) -->$/.exec(lines[start - 1] ?? "")?.[1] ?? /^<!-- readme-test: ([\w-]+) -->$/.exec(lines[start - 2] ?? "")?.[1];
    blocks.push({ language: opening[1] ?? "", code: `${body.join("\n")}\n`, marker, line: start + 1 });
  }
  return blocks;
}

/** The README's TypeScript blocks. */
export function readmeTypeScriptBlocks(path?: string): ReadmeBlock[] {
  return readmeBlocks(path).filter((block) => block.language === "ts" || block.language === "typescript");
}

/**
 * The commands of a shell block, one per command: `\` continuations joined, comments and blank
 * lines dropped, each split into words (no quoting is used in the README's commands).
 */
export function shellCommands(code: string): string[][] {
  return code
    .replace(/\\\n\s*/g, " ")
    .split("\n")
    .map((line) => line.replace(/\s+#.*$/, "").trim())
    .filter((line) => line !== "" && !line.startsWith("#"))
    .map((line) => line.split(/\s+/));
}

/** A command's words split as a shell reads them: leading `NAME=value` words set its environment. */
export function withAssignments(words: readonly string[]): { env: Record<string, string>; command: string[] } {
  const first = words.findIndex((word) => !/^[A-Z_]+=/.test(word));
  const assignments = first === -1 ? words : words.slice(0, first);
  const env = Object.fromEntries(assignments.map((word) => [word.slice(0, word.indexOf("=")), word.slice(word.indexOf("=") + 1)]));
  return { env, command: first === -1 ? [] : words.slice(first) };
}
