/**
 * `react/<file>.ts` and `react/index.ts` (`generate --openfeature react`): typed React hooks per
 * key through `@openfeature/react-sdk`, in `"use client"` modules: `useSearchProviderId()` gives the
 * key's offer type, `…Details()` the evaluation details, `…Suspense()` suspends until the provider
 * is ready and while it reconciles. Each value is checked by the key's generated validator
 * (`defineReactFlags` of `@mboxgen/openfeature/web`); a key without a schema default takes one.
 * Every module-level name but the hooks is fixed, and hooks start with `use`, so no schema makes
 * two names meet (hook names themselves are checked in the naming pass).
 */
import type { GenerateContext } from "../config.js";
import type { AttributeIr, MboxIr, MboxNames } from "../ir.js";
import { hookNamesOf } from "../naming.js";
import { docLines } from "./docs.js";
import { commentText } from "./escape.js";
import { group, hardline, ifBreak, indent, indentIfBreak, join, jsDoc, jsDocLine, line, printDocument, propertyKey, softline, stringLiteral, type Doc } from "./layout.js";
import { interfaceBodyDoc, typeArgumentsDoc } from "./offer-types.js";
import { flagKindOf } from "./openfeature-module.js";
import { fileHeader } from "./templates.js";
import type { TsType } from "./ts-types.js";

/** The folder of the React hooks in the output. */
export const REACT_FOLDER = "react";

const BLANK_LINE: Doc = [hardline, hardline];

const REACT_EVALUATION: Record<ReturnType<typeof flagKindOf>, string> = {
  boolean: "useBooleanFlagDetails",
  string: "useStringFlagDetails",
  number: "useNumberFlagDetails",
  object: "useObjectFlagDetails",
};

// Emits: export function useX(params): ReturnType { body }, laid out as prettier lays out a declaration.
function functionDoc(docs: Doc[], name: string, parameters: readonly string[], returnType: Doc, body: Doc[]): Doc {
  const parameterList = parameters.length === 0 ? "()" : group(["(", indent([softline, join([",", line], [...parameters])]), ifBreak(","), softline, ")"]);
  return [...docs, "export", " ", "function", " ", group([name, parameterList, ":", " ", returnType]), " ", "{", indent([hardline, join(hardline, body)]), hardline, "}"];
}

// Emits: name(arguments), its arguments broken one per line when long (as prettier prints a call).
function callDoc(callee: Doc, args: readonly Doc[]): Doc {
  return group([callee, "(", indent([softline, join([",", line], [...args])]), ifBreak(","), softline, ")"]);
}

function hooksDoc(attribute: AttributeIr, ir: MboxIr): Doc[] {
  const [valueHook, detailsHook, suspenseHook] = hookNamesOf(attribute.accessorName);
  const valueType = `Values[${stringLiteral(attribute.key)}]`;
  const kind = flagKindOf(attribute, ir);
  const takesDefault = attribute.fallback === undefined;
  const lines = docLines(attribute.docs, attribute.type, attribute.fallback);
  const flagLine = commentText(`Flag ${JSON.stringify(`${ir.mbox}.${attribute.key}`)}.`).split("\n");
  const firstTag = lines.findIndex((text) => text.startsWith("@"));
  const description = (firstTag === -1 ? lines : lines.slice(0, firstTag)).filter((text, index, all) => !(index === all.length - 1 && text === ""));
  const tags = firstTag === -1 ? [] : lines.slice(firstTag);
  const valueDocs = [...description, ...(description.length > 0 ? [""] : []), ...flagLine, ...(tags.length > 0 ? ["", ...tags] : [])];
  const defaultParameter = takesDefault ? [`defaultValue: ${valueType}`] : [];
  const fallback = takesDefault ? "defaultValue" : "fallback";
  const evaluated = callDoc(`openfeature.${REACT_EVALUATION[kind]}`, ["flag.key", kind === "object" ? `flag.json(${fallback})` : fallback, "options"]);
  const detailsArguments = (options: string) => [...(takesDefault ? ["defaultValue"] : []), options];
  const typed: Doc = ["support.TypedFlagDetails", typeArgumentsDoc([{ kind: "reference", name: valueType }])];
  return [
    functionDoc(jsDoc(valueDocs), valueHook, [...defaultParameter, "options?: openfeature.ReactFlagEvaluationOptions"], valueType, [assignmentDoc("details", callDoc(detailsHook, detailsArguments("options")), !takesDefault), "return details.value;"]),
    functionDoc(jsDocLine(`The evaluation details of {@link ${valueHook}}: value, variant, reason, error code and message, metadata.`), detailsHook, [...defaultParameter, "options?: openfeature.ReactFlagEvaluationOptions"], typed, [
      // A long key moves the member access to its own line (prettier's "break after operator").
      group(["const", " ", "flag", " =", group(indent([line, "flags", group(["[", indent([softline, stringLiteral(attribute.key)]), softline, "]"])])), ";"]),
      ...(takesDefault ? [] : [["const", " ", "fallback", " ", "=", " ", "flag.defaultValue()", ";"]]),
      ["return", " ", callDoc("flag.check", [evaluated, fallback]), ";"],
    ]),
    functionDoc(jsDocLine(`{@link ${valueHook}}, suspending until the provider is ready and while it reconciles.`), suspenseHook, [...defaultParameter, "options?: openfeature.ReactFlagEvaluationNoSuspenseOptions"], valueType, [
      ["const", " ", "suspending", " ", "=", " ", "{ ...options, suspend: true }", ";"],
      assignmentDoc("details", callDoc(detailsHook, detailsArguments("suspending")), !takesDefault),
      "return details.value;",
    ]),
  ];
}

// Emits: const name = call(…). A call of one short argument is "poorly breakable" to prettier: the
// line breaks after `=` first; other calls break their arguments first ("fluid").
function assignmentDoc(name: string, call: Doc, poorlyBreakable = false): Doc {
  if (poorlyBreakable) return group(["const", " ", name, " =", group(indent([line, call])), ";"]);
  const id = Symbol("assignment");
  return group(["const", " ", group([name, " =", group(indent(line), { id }), indentIfBreak(call, { groupId: id })]), ";"]);
}

// Emits: const flags = /*#__PURE__*/ support.defineReactFlags<Values>(mbox.demoEngineeringFlags);
function flagsDoc(ir: MboxIr): Doc {
  return assignmentDoc("flags", ["/*#__PURE__*/", " ", callDoc("support.defineReactFlags<Values>", [`mbox.${ir.exportName}`])]);
}

/** The text of `react/<file>.ts` for one mbox. */
export function emitReactModule(ir: MboxIr, context: GenerateContext): string {
  const values = ir.attributes.map((attribute): Doc => {
    const typeArguments: TsType[] = [
      { kind: "indexedAccess", object: { kind: "reference", name: `mbox.${ir.typeName}` }, index: { kind: "literal", value: attribute.key } },
      { kind: "keyword", name: "undefined" },
    ];
    return group([propertyKey(attribute.key), ":", " ", "Exclude", typeArgumentsDoc(typeArguments)]);
  });
  const statements: Doc[] = [
    [
      '"use client";',
      hardline,
      ["import", " ", "* as openfeature", " from", " ", stringLiteral("@openfeature/react-sdk"), ";"],
      hardline,
      ["import", " ", "* as support", " from", " ", stringLiteral(context.openFeatureWebImport), ";"],
      hardline,
      ["import", " ", "* as mbox", " from", " ", stringLiteral(`../${ir.fileName}.js`), ";"],
    ],
    [...jsDocLine(commentText(`The value type of each key of mbox ${JSON.stringify(ir.mbox)}.`)), ["interface", " ", "Values", " ", interfaceBodyDoc(values)]],
    flagsDoc(ir),
    ...ir.attributes.flatMap((attribute) => hooksDoc(attribute, ir)),
  ];
  return fileHeader(ir.sourcePath, context.regenerateCommand) + printDocument([join(BLANK_LINE, statements), hardline]);
}

/** The text of `react/index.ts`: every mbox's hooks, as a namespace named by its descriptor's export name. */
export function emitReactIndex(mboxes: readonly MboxNames[], schemasLabel: string, context: GenerateContext): string {
  const sorted = [...mboxes].sort((left, right) => (left.fileName < right.fileName ? -1 : 1));
  const statements: Doc[] = ['"use client";', ...sorted.map((names): Doc => ["export", " ", "*", " ", "as", " ", names.exportName, " from", " ", stringLiteral(`./${names.fileName}.js`), ";"])];
  return fileHeader(schemasLabel, context.regenerateCommand) + printDocument([join(hardline, statements), hardline]);
}
