/**
 * One module per mbox: the offer types, the accessors interface and the descriptor, built as one
 * ts-morph structure for the whole file and printed once (no node-by-node edits).
 */
import {
  printStructure,
  StructureKind,
  VariableDeclarationKind,
  type JSDocStructure,
  type MethodSignatureStructure,
  type SourceFileStructure,
  type StatementStructures,
} from "ts-morph";
import type { GenerateContext } from "../config.js";
import type { AttributeIr, MboxIr } from "../ir.js";
import { commentText, jsonLiteral, stringLiteral } from "./escape.js";
import { fileHeader } from "./templates.js";
import { docLines } from "./docs.js";
import { createValidatorContext, emitAttributeCheck, renderValidator } from "./validators.js";
import { toPascalCase } from "../naming.js";

function attributeDocs(attribute: AttributeIr): JSDocStructure[] {
  const lines = docLines(attribute.docs, attribute.type, attribute.fallback);
  const description = lines.length > 0 ? lines.join("\n") : commentText(`The offer's ${JSON.stringify(attribute.key)} value.`);
  return [{ kind: StructureKind.JSDoc, description }];
}

function keyUnion(keys: readonly string[]): string {
  return keys.length === 0 ? "never" : keys.map(stringLiteral).join(" | ");
}

// Emits: ["max-items", $isMaxItems, () => 10, "maxItems"],
function attributeSpec(attribute: AttributeIr, check: string): string {
  const parts = [stringLiteral(attribute.key), check];
  const renamed = attribute.accessorName !== attribute.key;
  if (attribute.fallback) {
    const literal = jsonLiteral(attribute.fallback.value);
    parts.push(`() => ${literal.startsWith("{") ? `(${literal})` : literal}`);
  } else if (renamed) {
    parts.push("undefined");
  }
  if (renamed) parts.push(stringLiteral(attribute.accessorName));
  return `[${parts.join(", ")}]`;
}

/** The module's text (unformatted) for one mbox, from its IR and its offer types. */
export function emitMboxModule(ir: MboxIr, offerTypes: string, context: GenerateContext): string {
  // Emits: header; import { defineMbox } from "@mboxgen/runtime"; interface DemoEngineeringFlags;
  // interface DemoEngineeringFlagsAccessors extends MboxAccessors<…>; export const demoEngineeringFlags = /*#__PURE__*/ defineMbox(…)
  const validators = createValidatorContext(ir.definitions);
  const specs = ir.attributes.map((attribute) => attributeSpec(attribute, emitAttributeCheck(attribute.type, validators, `$is${toPascalCase(attribute.accessorName)}`)));
  const renamed = ir.attributes.filter((attribute) => attribute.accessorName !== attribute.key);
  const defaulted = ir.attributes.filter((attribute) => attribute.fallback).map((attribute) => attribute.key);
  const mboxLiteral = stringLiteral(ir.mbox);
  // For docs, the name as a reader would quote it (commentText keeps it inside the comment).
  const mboxQuoted = JSON.stringify(ir.mbox);

  // Emits: maxItems(): Exclude<DemoEngineeringFlags["max-items"], undefined> | undefined;
  const renamedMethods: MethodSignatureStructure[] = renamed.map((attribute) => ({
    kind: StructureKind.MethodSignature,
    name: attribute.accessorName,
    returnType: `Exclude<${ir.typeName}[${stringLiteral(attribute.key)}], undefined>${attribute.fallback ? "" : " | undefined"}`,
    docs: attributeDocs(attribute),
  }));

  const statements: Array<string | StatementStructures> = [
    fileHeader(ir.sourcePath, context.regenerateCommand),
    {
      kind: StructureKind.ImportDeclaration,
      moduleSpecifier: context.runtimeImport,
      namedImports: ["defineMbox", ...[...validators.helpers].sort(), { name: "MboxAccessors", isTypeOnly: true }],
    },
  ];
  statements.push(offerTypes);
  statements.push({
    kind: StructureKind.Interface,
    name: ir.accessorsTypeName,
    isExported: true,
    docs: [
      {
        kind: StructureKind.JSDoc,
        description: commentText(
          `Typed accessors of mbox ${mboxQuoted}: one method per key of {@link ${ir.typeName}}, with the key's docs. ` +
            "Each returns Target's value when it matches the schema, else the default (or undefined).",
        ),
      },
    ],
    extends: [`MboxAccessors<${ir.typeName}, ${keyUnion(defaulted)}, ${keyUnion(renamed.map((attribute) => attribute.key))}>`],
    methods: renamedMethods,
  });
  statements.push({
    kind: StructureKind.VariableStatement,
    isExported: true,
    declarationKind: VariableDeclarationKind.Const,
    docs: [
      {
        kind: StructureKind.JSDoc,
        description: commentText(
          `${ir.docs.description ? `${ir.docs.description}\n\n` : ""}Mbox ${mboxQuoted}: \`fetch(client, options)\` asks Target for it, \`from(provider)\` reads a provider you have.`,
        ),
      },
    ],
    declarations: [
      {
        kind: StructureKind.VariableDeclaration,
        name: ir.exportName,
        initializer: [
          // Pure: a bundle keeps only the descriptors an app imports, also through the index.
          `/*#__PURE__*/ defineMbox<${stringLiteral(ir.exportName)}, ${ir.accessorsTypeName}>({`,
          `mbox: ${mboxLiteral},`,
          `exportName: ${stringLiteral(ir.exportName)},`,
          `attributes: [${specs.map((spec) => `${spec},`).join("\n")}],`,
          "})",
        ].join("\n"),
      },
    ],
  });
  for (const fn of validators.functions) statements.push(renderValidator(fn));

  const structure: SourceFileStructure = { kind: StructureKind.SourceFile, statements };
  return printStructure(structure);
}
