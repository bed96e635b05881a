/**
 * One module per mbox: the offer types, the accessors interface, the descriptor and the
 * validators, as one prettier document for the whole file, printed once (./layout.ts).
 */
import type { GenerateContext } from "../config.js";
import type { AttributeIr, MboxIr } from "../ir.js";
import { toPascalCase } from "../naming.js";
import { docLines } from "./docs.js";
import { commentText } from "./escape.js";
import {
  arrayLiteral,
  arrowReturning,
  breakParent,
  conditionalGroup,
  group,
  hardline,
  ifBreak,
  indent,
  indentIfBreak,
  join,
  jsDoc,
  jsDocLine,
  line,
  printDocument,
  stringLiteral,
  type Doc,
} from "./layout.js";
import { emitOfferTypes, interfaceBodyDoc, typeArgumentsDoc, typeDoc } from "./offer-types.js";
import { fileHeader } from "./templates.js";
import type { TsType } from "./ts-types.js";
import { describeExpectation } from "./expectations.js";
import { constantDoc, createValidatorContext, emitAttributeCheck, validatorDoc } from "./validators.js";

const BLANK_LINE: Doc = [hardline, hardline];

function keyUnion(keys: readonly string[]): TsType {
  if (keys.length === 0) return { kind: "keyword", name: "never" };
  const literals: TsType[] = keys.map((key) => ({ kind: "literal", value: key }));
  return literals.length === 1 ? literals[0]! : { kind: "union", members: literals };
}

// Emits: ["max-items", $isMaxItems, () => 10, "maxItems", "an integer ≥ 1 and ≤ 100"]
function attributeSpec(attribute: AttributeIr, check: string, definitions: MboxIr["definitions"]): Doc {
  const renamed = attribute.accessorName !== attribute.key;
  return arrayLiteral([
    stringLiteral(attribute.key),
    check,
    attribute.fallback ? arrowReturning(attribute.fallback.value) : "undefined",
    renamed ? stringLiteral(attribute.accessorName) : "undefined",
    stringLiteral(describeExpectation(attribute.type, definitions)),
  ]);
}

// Emits: import { defineMbox, isJsonObject, type MboxAccessors } from "@mboxgen/runtime";
function importDoc(specifiers: readonly string[], moduleSpecifier: string): Doc {
  return ["import", " ", group(["{", indent([line, join([",", line], [...specifiers])]), ifBreak(","), line, "}"]), " from", " ", stringLiteral(moduleSpecifier), ";"];
}

// Emits: maxItems(): Exclude<DemoEngineeringFlags["max-items"], undefined> | undefined;
function renamedAccessorDoc(ir: MboxIr, attribute: AttributeIr): Doc {
  const value: TsType = {
    kind: "reference",
    name: "Exclude",
    typeArguments: [
      { kind: "indexedAccess", object: { kind: "reference", name: ir.typeName }, index: { kind: "literal", value: attribute.key } },
      { kind: "keyword", name: "undefined" },
    ],
  };
  const returnType: TsType = attribute.fallback ? value : { kind: "union", members: [value, { kind: "keyword", name: "undefined" }] };
  const lines = docLines(attribute.docs, attribute.type, attribute.fallback);
  return [...jsDoc(lines.length > 0 ? lines : commentText(`The offer's ${JSON.stringify(attribute.key)} value.`).split("\n")), group([attribute.accessorName, "(", ")", group([":", " ", typeDoc(returnType, "annotation")])])];
}

// Emits: export interface DemoEngineeringFlagsAccessors extends MboxAccessors<DemoEngineeringFlags, "a", never> {}
function accessorsInterfaceDoc(ir: MboxIr): Doc {
  const renamed = ir.attributes.filter((attribute) => attribute.accessorName !== attribute.key);
  const defaulted = ir.attributes.filter((attribute) => attribute.fallback).map((attribute) => attribute.key);
  const typeArguments: TsType[] = [{ kind: "reference", name: ir.typeName }, keyUnion(defaulted), keyUnion(renamed.map((attribute) => attribute.key))];
  return [
    ...jsDocLine(
      commentText(
        `Typed accessors of mbox ${JSON.stringify(ir.mbox)}: one method per key of {@link ${ir.typeName}}, with the key's docs. ` +
          "Each returns Target's value when it matches the schema, else the default (or undefined).",
      ),
    ),
    ["export", " ", "interface", " ", ir.accessorsTypeName, " ", "extends ", "MboxAccessors", typeArgumentsDoc(typeArguments), " ", interfaceBodyDoc(renamed.map((attribute) => renamedAccessorDoc(ir, attribute)))],
  ];
}

// Emits: export const demoEngineeringFlags = /*#__PURE__*/ defineMbox<"demoEngineeringFlags", DemoEngineeringFlagsAccessors>({ mbox, exportName, attributes })
function descriptorDoc(ir: MboxIr, specs: readonly Doc[]): Doc {
  const attributesId = Symbol("assignment");
  const properties: Doc[] = [
    group(["mbox", ":", " ", stringLiteral(ir.mbox)]),
    group(["exportName", ":", group(indent([line, stringLiteral(ir.exportName)]))]),
    // An array of arrays of two or more items is always written one item per line.
    group(["attributes", ":", group(indent(line), { id: attributesId }), indentIfBreak(arrayLiteral(specs, { shouldBreak: specs.length > 1 }), { groupId: attributesId })]),
  ];
  const argument = group(["{", indent([line, join([",", line], properties)]), ifBreak(","), line, "}"], { shouldBreak: true });
  // The object argument hugs the parentheses, as prettier prints a call's last object argument.
  const call: Doc = [
    "/*#__PURE__*/",
    " ",
    "defineMbox",
    typeArgumentsDoc([
      { kind: "literal", value: ir.exportName },
      { kind: "reference", name: ir.accessorsTypeName },
    ]),
    breakParent,
    conditionalGroup([["(", group(argument, { shouldBreak: true }), ")"], group(["(", indent([line, argument]), ifBreak(","), line, ")"], { shouldBreak: true })]),
  ];
  const id = Symbol("assignment");
  const description = ir.docs.description ? `${ir.docs.description}\n\n` : "";
  return [
    ...jsDoc(commentText(`${description}Mbox ${JSON.stringify(ir.mbox)}: \`fetch(client, options)\` asks Target for it, \`from(provider)\` reads a provider you have.`).split("\n").map((text) => text.trimEnd())),
    "export",
    " ",
    group(["const", " ", group([ir.exportName, " =", group(indent(line), { id }), indentIfBreak(call, { groupId: id })]), ";"]),
  ];
}

/** The module's text for one mbox, laid out as prettier lays it out. */
export function emitMboxModule(ir: MboxIr, context: GenerateContext): string {
  // Emits: header; import { defineMbox } from "@mboxgen/runtime"; interface DemoEngineeringFlags;
  // interface DemoEngineeringFlagsAccessors extends MboxAccessors<…>; export const demoEngineeringFlags = /*#__PURE__*/ defineMbox(…); validators
  const validators = createValidatorContext(ir.definitions);
  const specs = ir.attributes.map((attribute) => attributeSpec(attribute, emitAttributeCheck(attribute.type, validators, `$is${toPascalCase(attribute.accessorName)}`), ir.definitions));
  const imports = ["defineMbox", ...[...validators.helpers].sort(), "type MboxAccessors"];
  const statements: Doc[] = [importDoc(imports, context.runtimeImport), ...emitOfferTypes(ir), accessorsInterfaceDoc(ir), descriptorDoc(ir, specs), ...validators.constants.map((constant) => constantDoc(constant)), ...validators.functions.map((fn) => validatorDoc(fn))];
  return fileHeader(ir.sourcePath, context.regenerateCommand) + printDocument([join(BLANK_LINE, statements), hardline]);
}

/**
 * The same attribute checks as the module's, printed as the body of a plain JavaScript function
 * (`new Function(...helpers, body)`, given the runtime helpers it names) that returns the
 * attribute specs: the validators, defaults and expectations `mboxgen offers check` applies, so
 * that its verdict is the accessors' verdict, key by key. Built from the same IR by the same
 * printers; schema text reaches it as string literals only, exactly as in the module.
 */
export function emitCheckScript(ir: MboxIr): { helpers: string[]; body: string } {
  const validators = createValidatorContext(ir.definitions);
  const specs = ir.attributes.map((attribute) => attributeSpec(attribute, emitAttributeCheck(attribute.type, validators, `$is${toPascalCase(attribute.accessorName)}`), ir.definitions));
  const statements: Doc[] = [
    '"use strict";',
    ...validators.constants.map((constant) => constantDoc(constant, "js")),
    ...validators.functions.map((fn) => validatorDoc(fn, "js")),
    ["return", " ", arrayLiteral(specs), ";"],
  ];
  return { helpers: [...validators.helpers].sort(), body: printDocument([join(BLANK_LINE, statements), hardline]) };
}
