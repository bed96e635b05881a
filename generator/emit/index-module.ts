/**
 * `index.ts`: every descriptor under its export name, the offer and accessors types, and the
 * shared `getAttributes` (one Delivery API call for several mboxes).
 */
import { printStructure, StructureKind, type SourceFileStructure, type StatementStructures } from "ts-morph";
import type { GenerateContext } from "../config.js";
import type { MboxIr } from "../ir.js";
import { fileHeader } from "./templates.js";

/** The index module's text (unformatted). */
export function emitIndexModule(mboxes: readonly MboxIr[], schemasLabel: string, context: GenerateContext): string {
  // Emits: export { demoEngineeringFlags } from "./demo-engineering-flags.js"; export type { … }; and getAttributes
  const statements: Array<string | StatementStructures> = [
    fileHeader(schemasLabel, context.regenerateCommand),
    // Emits: export { getTypedAttributes as getAttributes } from "@mboxgen/runtime";
    {
      kind: StructureKind.ExportDeclaration,
      moduleSpecifier: context.runtimeImport,
      namedExports: [{ name: "getTypedAttributes", alias: "getAttributes" }],
    },
    {
      kind: StructureKind.ExportDeclaration,
      isTypeOnly: true,
      moduleSpecifier: context.runtimeImport,
      namedExports: ["AccessorOptions", "FallbackEvent", "FallbackReason"],
    },
  ];
  for (const ir of [...mboxes].sort((left, right) => (left.fileName < right.fileName ? -1 : 1))) {
    const moduleSpecifier = `./${ir.fileName}.js`;
    statements.push(
      { kind: StructureKind.ExportDeclaration, moduleSpecifier, namedExports: [ir.exportName] },
      { kind: StructureKind.ExportDeclaration, isTypeOnly: true, moduleSpecifier, namedExports: [ir.typeName, ir.accessorsTypeName] },
    );
  }
  const structure: SourceFileStructure = { kind: StructureKind.SourceFile, statements };
  return printStructure(structure);
}
