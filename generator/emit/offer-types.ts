/**
 * The offer's TypeScript types, printed from the IR (the same reading the validators come from):
 * the offer interface with one member per key, and one named type per `$ref` target.
 */
import type { DefinitionIr, MboxIr } from "../ir.js";
import { docLines } from "./docs.js";
import { stringLiteral } from "./escape.js";
import { projectType, type TsMember, type TsType } from "./ts-types.js";

/** A property name as TypeScript reads it: bare when it can be, else a string literal. */
export function propertyName(key: string): string {
  return /^[$A-Z_a-z][$\w]*$/.test(key) ? key : stringLiteral(key);
}

function docComment(lines: readonly string[], indent: string): string {
  if (lines.length === 0) return "";
  return `${indent}/**\n${lines.map((line) => `${indent} *${line === "" ? "" : ` ${line}`}`).join("\n")}\n${indent} */\n`;
}

function needsParentheses(type: TsType): boolean {
  return type.kind === "union" || type.kind === "intersection";
}

/** TypeScript source for a type (prettier lays it out). */
export function renderType(type: TsType, indent = ""): string {
  switch (type.kind) {
    case "keyword":
      return type.name;
    case "literal":
      return typeof type.value === "string" ? stringLiteral(type.value) : String(type.value);
    case "reference":
      return type.typeArguments ? `${type.name}<${type.typeArguments.map((argument) => renderType(argument, indent)).join(", ")}>` : type.name;
    case "array": {
      const element = renderType(type.element, indent);
      return needsParentheses(type.element) ? `(${element})[]` : `${element}[]`;
    }
    case "tuple":
      return `[${type.elements.map((element) => renderType(element, indent)).join(", ")}]`;
    case "object":
      return renderObject(type.members, type.index, indent);
    case "union":
      return type.members.map((member) => renderType(member, indent)).join(" | ");
    case "intersection":
      return type.members.map((member) => (member.kind === "union" ? `(${renderType(member, indent)})` : renderType(member, indent))).join(" & ");
    case "indexedAccess":
      return `${renderType(type.object, indent)}[${renderType(type.index, indent)}]`;
  }
}

function renderMember(member: TsMember, indent: string): string {
  return `${docComment(docLines(member.docs, member.constraintsOf), indent)}${indent}${propertyName(member.key)}${member.optional ? "?" : ""}: ${renderType(member.type, indent)};\n`;
}

function renderObject(members: readonly TsMember[], index: TsType | undefined, indent: string): string {
  if (members.length === 0 && index === undefined) return "{}";
  const inner = `${indent}  `;
  const body = members.map((member) => renderMember(member, inner)).join("") + (index ? `${inner}[k: string]: ${renderType(index, inner)};\n` : "");
  return `{\n${body}${indent}}`;
}

// Emits: export interface MenuItem { … } or export type Currency = "EUR" | "USD";
function renderDefinition(definition: DefinitionIr, definitions: ReadonlyMap<string, DefinitionIr>): string {
  const type = projectType(definition.type, definitions);
  const docs = docComment(docLines(definition.docs, definition.type), "");
  if (type.kind === "object") return `${docs}export interface ${definition.typeName} ${renderObject(type.members, type.index, "")}\n`;
  return `${docs}export type ${definition.typeName} = ${renderType(type)};\n`;
}

/** The offer types of one mbox as TypeScript source. */
export function emitOfferTypes(ir: MboxIr): string {
  // Emits: export interface DemoEngineeringFlags { /** docs */ searchProviderId?: number; … }
  const members: TsMember[] = ir.attributes.map((attribute) => ({
    key: attribute.key,
    optional: !attribute.required,
    type: projectType(attribute.type, ir.definitions),
    docs: attribute.fallback ? { ...attribute.docs, default: { value: attribute.fallback.value } } : attribute.docs,
    constraintsOf: attribute.type,
  }));
  const offer = `${docComment(docLines(ir.docs), "")}export interface ${ir.typeName} ${renderObject(members, undefined, "")}\n`;
  const definitions = [...ir.definitions.values()].sort((left, right) => (left.typeName < right.typeName ? -1 : left.typeName > right.typeName ? 1 : 0));
  return [offer, ...definitions.map((definition) => renderDefinition(definition, ir.definitions))].join("\n");
}
