/**
 * `openfeature/<file>.ts` and `openfeature/index.ts` (`generate --openfeature server`): typed
 * getters over any OpenFeature server client, one per key, from the same IR as the mbox module.
 * Each key's getter resolves to its offer type (`Exclude<Offer["key"], undefined>`) and is
 * checked by the key's generated validator at run time (`defineServerFlags` of
 * `@mboxgen/openfeature/server`). A key's OpenFeature evaluation follows from the JSON types its
 * schema admits: only booleans, only strings or only numbers use those; anything else is an object
 * flag. Every module-level name is fixed (`Flags`, `createFlags`, the mbox module as a namespace),
 * so no schema can make two names meet.
 */
import type { GenerateContext } from "../config.js";
import type { AttributeIr, MboxIr, MboxNames } from "../ir.js";
import { jsonTypesOf } from "../normalize.js";
import { docLines } from "./docs.js";
import { commentText } from "./escape.js";
import { arrayLiteral, group, hardline, ifBreak, indent, indentIfBreak, join, jsDoc, jsDocLine, line, printDocument, propertyKey, softline, stringLiteral, type Doc } from "./layout.js";
import { interfaceBodyDoc, typeArgumentsDoc } from "./offer-types.js";
import { fileHeader } from "./templates.js";
import type { TsType } from "./ts-types.js";

/** The folder of the OpenFeature server getters in the output. */
export const OPENFEATURE_SERVER_FOLDER = "openfeature";

/** The OpenFeature evaluation of a key. */
export type FlagKind = "boolean" | "string" | "number" | "object";

/** Which OpenFeature evaluation reads `attribute`. */
export function flagKindOf(attribute: AttributeIr, ir: MboxIr): FlagKind {
  const types = jsonTypesOf(attribute.type, ir.definitions);
  if (types.size === 1) {
    const [only] = types;
    if (only === "boolean" || only === "string" || only === "number") return only;
  }
  return "object";
}

const BLANK_LINE: Doc = [hardline, hardline];

// Emits: import { a, type B } from "…"; (broken one per line when long, as prettier does)
function importDoc(specifiers: readonly string[], moduleSpecifier: string, typeOnly = false): Doc {
  return ["import", typeOnly ? " type" : "", " ", group(["{", indent([line, join([",", line], [...specifiers])]), ifBreak(","), line, "}"]), " from", " ", stringLiteral(moduleSpecifier), ";"];
}

// The key's docs, with the flag key it reads after the description (before tags, which would take it).
function getterDocLines(attribute: AttributeIr, flagKey: string): string[] {
  const lines = docLines(attribute.docs, attribute.type, attribute.fallback);
  const flagLine = commentText(`Flag ${JSON.stringify(flagKey)}.`).split("\n");
  const firstTag = lines.findIndex((text) => text.startsWith("@"));
  if (firstTag === -1) return lines.length > 0 ? [...lines, "", ...flagLine] : flagLine;
  const description = lines.slice(0, firstTag).filter((text, index, all) => !(index === all.length - 1 && text === ""));
  return [...description, ...(description.length > 0 ? [""] : []), ...flagLine, "", ...lines.slice(firstTag)];
}

// Emits: /** docs */ cdnHostname: FlagGetter<Exclude<mbox.DemoEngineeringFlags["cdnHostname"], undefined>>;
function getterMemberDoc(attribute: AttributeIr, ir: MboxIr): Doc {
  const value: TsType = {
    kind: "reference",
    name: "Exclude",
    typeArguments: [
      { kind: "indexedAccess", object: { kind: "reference", name: `mbox.${ir.typeName}` }, index: { kind: "literal", value: attribute.key } },
      { kind: "keyword", name: "undefined" },
    ],
  };
  return [...jsDoc(getterDocLines(attribute, `${ir.mbox}.${attribute.key}`)), group([propertyKey(attribute.accessorName), ":", " ", attribute.fallback ? "FlagGetter" : "FlagGetterWithDefault", typeArgumentsDoc([value])])];
}

/** The text of `openfeature/<file>.ts` for one mbox. */
export function emitOpenFeatureModule(ir: MboxIr, context: GenerateContext): string {
  const kinds = ir.attributes.map((attribute) => arrayLiteral([stringLiteral(attribute.key), stringLiteral(flagKindOf(attribute, ir))]));
  const arguments_: Doc[] = [`mbox.${ir.exportName}`, "kinds"];
  const call: Doc = ["/*#__PURE__*/", " ", "defineServerFlags<Flags>", group(["(", indent([softline, join([",", line], arguments_)]), ifBreak(","), softline, ")"])];
  const id = Symbol("assignment");
  const statements: Doc[] = [
    [
      importDoc(["Client"], "@openfeature/server-sdk", true),
      hardline,
      importDoc(["defineServerFlags", "type FlagGetter", "type FlagGetterWithDefault"], context.openFeatureImport),
      hardline,
      ["import", " ", "* as mbox", " from", " ", stringLiteral(`../${ir.fileName}.js`), ";"],
    ],
    [
      ...jsDocLine(commentText(`Typed OpenFeature getters of mbox ${JSON.stringify(ir.mbox)}: one per key of {@link mbox.${ir.typeName}}, reading flag "${ir.mbox}.<key>", checked by the key's generated validator. \`key(context?)\` resolves to the value, \`key.details(context?)\` to the evaluation details; a key without a schema default takes the default first.`)),
      ["export", " ", "interface", " ", "Flags", " ", interfaceBodyDoc(ir.attributes.map((attribute) => getterMemberDoc(attribute, ir)))],
    ],
    [...jsDocLine("The OpenFeature evaluation of each key, from the JSON types its schema admits."), "const", " ", "kinds", " ", "=", " ", arrayLiteral(kinds, { shouldBreak: kinds.length > 1 }), " ", "as", " ", "const", ";"],
    [
      ...jsDocLine(commentText("The getters over an OpenFeature server client: `createFlags(OpenFeature.getClient())`.")),
      "export",
      " ",
      group(["const", " ", group(["createFlags", " =", group(indent(line), { id }), indentIfBreak(call, { groupId: id })]), ";"]),
    ],
  ];
  return fileHeader(ir.sourcePath, context.regenerateCommand) + printDocument([join(BLANK_LINE, statements), hardline]);
}

// Emits: demoEngineeringFlags: $demoEngineeringFlags.createFlags(client): the value on its own
// line when long, then its argument too (prettier's "break after operator" layout).
function factoryPropertyDoc(names: MboxNames): Doc {
  const call: Doc = group([`$${names.exportName}.createFlags`, group(["(", indent([softline, "client"]), ifBreak(","), softline, ")"])]);
  return group([names.exportName, ":", group(indent([line, call]))]);
}

/** The text of `openfeature/index.ts`: every mbox's getters, and `createTypedFlags` for all of them. */
export function emitOpenFeatureIndex(mboxes: readonly MboxNames[], schemasLabel: string, context: GenerateContext): string {
  const sorted = [...mboxes].sort((left, right) => (left.fileName < right.fileName ? -1 : 1));
  const namespace = (names: MboxNames) => `$${names.exportName}`;
  const statements: Doc[] = [
    [importDoc(["Client"], "@openfeature/server-sdk", true), ...sorted.flatMap((names) => [hardline, ["import", " ", `* as ${namespace(names)}`, " from", " ", stringLiteral(`./${names.fileName}.js`), ";"]])],
    [
      ...jsDocLine(commentText("Typed OpenFeature getters of every mbox, by the export name of its descriptor.")),
      ["export", " ", "interface", " ", "TypedFlags", " ", interfaceBodyDoc(sorted.map((names) => [names.exportName, ":", " ", `${namespace(names)}.Flags`]))],
    ],
    [
      ...jsDocLine(commentText("The getters of every mbox over an OpenFeature server client: `createTypedFlags(OpenFeature.getClient())`.")),
      "export",
      " ",
      "function",
      " ",
      "createTypedFlags(client: Client): TypedFlags",
      " ",
      "{",
      indent([hardline, "return", " ", sorted.length === 0 ? "{}" : group(["{", indent([line, join([",", line], sorted.map(factoryPropertyDoc))]), ",", line, "}"], { shouldBreak: true }), ";"]),
      hardline,
      "}",
    ],
  ];
  return fileHeader(schemasLabel, context.regenerateCommand) + printDocument([join(BLANK_LINE, statements), hardline]);
}
