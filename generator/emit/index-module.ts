/**
 * `index.ts`: every descriptor under its export name, the offer and accessors types, and the
 * shared `getAttributes` (one Delivery API call for several mboxes), laid out as prettier lays it out.
 */
import type { GenerateContext } from "../config.js";
import type { MboxNames } from "../ir.js";
import { group, hardline, ifBreak, indent, join, line, printDocument, stringLiteral, type Doc } from "./layout.js";
import { fileHeader } from "./templates.js";

// Emits: export { a } from "…"; or export type { A, B } from "…"; (one name stays on its line, several may break)
function exportDoc(names: readonly string[], moduleSpecifier: string, typeOnly = false): Doc {
  const list: Doc = names.length === 1 ? ["{", " ", names[0]!, " ", "}"] : group(["{", indent([line, join([",", line], [...names])]), ifBreak(","), line, "}"]);
  return ["export", typeOnly ? " type" : "", " ", list, " from", " ", stringLiteral(moduleSpecifier), ";"];
}

/** The index module's text. */
export function emitIndexModule(mboxes: readonly MboxNames[], schemasLabel: string, context: GenerateContext): string {
  // Emits: export { getTypedAttributes as getAttributes } from "@mboxgen/runtime"; export { demoEngineeringFlags } from "./demo-engineering-flags.js"; …
  const statements: Doc[] = [
    exportDoc(["getTypedAttributes as getAttributes"], context.runtimeImport),
    exportDoc(["AccessorOptions", "FallbackEvent", "FallbackReason"], context.runtimeImport, true),
  ];
  for (const ir of [...mboxes].sort((left, right) => (left.fileName < right.fileName ? -1 : 1))) {
    const moduleSpecifier = `./${ir.fileName}.js`;
    statements.push(exportDoc([ir.exportName], moduleSpecifier), exportDoc([ir.typeName, ir.accessorsTypeName], moduleSpecifier, true));
  }
  return fileHeader(schemasLabel, context.regenerateCommand) + printDocument([join(hardline, statements), hardline]);
}
