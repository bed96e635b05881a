/** What the pipeline produces: files of the output folder, as text, before anything is written. */

/** One generated file; `path` is relative to the output folder. */
export interface GeneratedFile {
  path: string;
  text: string;
}
