/**
 * The static text in `templates/`, read once when the generator loads (shipped files, not user
 * input), and filled with escaped values only.
 */
import { existsSync, readFileSync } from "node:fs";
import { lineCommentText } from "./escape.js";

// generator/emit/ from source, dist/generator/emit/ when built: templates/ is two or three levels up.
function readTemplate(name: string): string {
  for (const levels of ["../../", "../../../"]) {
    const url = new URL(`${levels}templates/${name}`, import.meta.url);
    if (existsSync(url)) return readFileSync(url, "utf8");
  }
  throw new Error(`mboxgen: template ${name} is missing from the installation`);
}

const fileHeaderTemplate = readTemplate("file-header.txt");

/** The two-line header of every generated file: what it came from and how to regenerate it. */
export function fileHeader(source: string, command: string): string {
  return fileHeaderTemplate.replace("{{source}}", () => lineCommentText(source)).replace("{{command}}", () => lineCommentText(command));
}
