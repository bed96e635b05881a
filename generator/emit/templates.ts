/**
 * The static text in `templates/`, read once when the generator loads (shipped files, not user
 * input), and filled with escaped values only.
 */
import { readFileSync } from "node:fs";
import { shippedFile } from "../package-files.js";
import { lineCommentText } from "./escape.js";

const fileHeaderTemplate = readFileSync(shippedFile("templates/file-header.txt"), "utf8");

/** The two-line header of every generated file: what it came from and how to regenerate it. */
export function fileHeader(source: string, command: string): string {
  // Prettier prints a line comment without its trailing spaces; so does the header.
  const header = fileHeaderTemplate.replace("{{source}}", () => lineCommentText(source)).replace("{{command}}", () => lineCommentText(command));
  return header
    .split("\n")
    .map((line) => line.trimEnd())
    .join("\n");
}
