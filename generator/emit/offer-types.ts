/**
 * The offer's TypeScript types, printed from the IR (the same reading the validators come from):
 * the offer interface with one member per key, and one named type per `$ref` target. Printed as
 * prettier documents (./layout.ts), each type in the layout prettier gives it where it stands.
 */
import type { DefinitionIr, MboxIr } from "../ir.js";
import { docLines } from "./docs.js";
import { align, group, hardline, ifBreak, indent, indentIfBreak, join, jsDoc, line, numberLiteral, propertyKey, softline, stringLiteral, type Doc } from "./layout.js";
import { projectType, type TsMember, type TsType } from "./ts-types.js";

/**
 * Where a type stands, which decides its layout: after `key:` or `):`, as a type argument, as an
 * array's element or an intersection's member (a union there needs parentheses), elsewhere.
 */
type TypePosition = "annotation" | "typeArgument" | "parenthesized" | "plain";

// An object-like member and nothing but null besides: `{ … } | null` stays on one line with it.
function isHuggedUnion(type: TsType & { kind: "union" }): boolean {
  const objectLike = type.members.filter((member) => member.kind === "object" || member.kind === "reference");
  return objectLike.length === 1 && type.members.every((member) => member.kind === "object" || member.kind === "reference" || (member.kind === "keyword" && member.name === "null"));
}

// `| A | B` when broken, `A | B` when it fits.
function unionLines(type: TsType & { kind: "union" }): Doc {
  return group([ifBreak("| "), join([line, "| "], type.members.map((member) => align(2, typeDoc(member, member.kind === "intersection" ? "parenthesized" : "plain"))))]);
}

/** A type's document in `position`. */
export function typeDoc(type: TsType, position: TypePosition = "plain"): Doc {
  switch (type.kind) {
    case "keyword":
      return type.name;
    case "literal":
      return typeof type.value === "string" ? stringLiteral(type.value) : typeof type.value === "number" ? numberLiteral(type.value) : String(type.value);
    case "reference":
      return type.typeArguments ? [type.name, typeArgumentsDoc(type.typeArguments)] : type.name;
    case "indexedAccess":
      return [typeDoc(type.object), "[", typeDoc(type.index), "]"];
    case "array": {
      const element = type.element;
      // `-1[]` is TypeScript, but Babel's TypeScript parser refuses it and prettier removes the
      // parentheses of `(-1)[]`: an array of a negative literal is written `Array<-1>`, hugged as
      // prettier hugs a single literal type argument.
      if (element.kind === "literal" && typeof element.value === "number" && (element.value < 0 || Object.is(element.value, -0))) return ["Array<", typeDoc(element), ">"];
      return [typeDoc(element, element.kind === "union" || element.kind === "intersection" ? "parenthesized" : "plain"), "[]"];
    }
    case "tuple":
      if (type.elements.length === 0) return group(["[", "]"]);
      return group(["[", indent([softline, join([",", line], type.elements.map((element) => group(typeDoc(element)))), ifBreak(",")]), softline, "]"]);
    case "object":
      return objectTypeDoc(type.members, type.index);
    case "union": {
      if (isHuggedUnion(type)) {
        const hugged = join(" | ", type.members.map((member) => typeDoc(member)));
        return position === "parenthesized" ? ["(", hugged, ")"] : hugged;
      }
      if (position === "annotation") return group(indent([softline, unionLines(type)]));
      if (position === "parenthesized") return ["(", group([indent([softline, unionLines(type)]), softline]), ")"];
      return unionLines(type);
    }
    case "intersection": {
      const printed = intersectionDoc(type);
      return position === "parenthesized" ? ["(", printed, ")"] : printed;
    }
  }
}

function typeArgumentsDoc(typeArguments: readonly TsType[]): Doc {
  return group(["<", indent([softline, join([",", line], typeArguments.map((argument) => typeDoc(argument, "typeArgument")))]), softline, ">"]);
}

// Objects meet objects inline, other types break onto their own lines (printIntersectionType).
function intersectionDoc(type: TsType & { kind: "intersection" }): Doc {
  let wasIndented = false;
  const parts = type.members.map((member, index): Doc => {
    const doc = typeDoc(member, member.kind === "union" ? "parenthesized" : "plain");
    if (index === 0) return doc;
    const isObject = member.kind === "object";
    const previousIsObject = type.members[index - 1]!.kind === "object";
    if (isObject && previousIsObject) return [" & ", wasIndented ? indent(doc) : doc];
    if (!isObject && !previousIsObject) return indent([" &", line, doc]);
    if (index > 1) wasIndented = true;
    return [" & ", index > 1 ? indent(doc) : doc];
  });
  return group(parts);
}

/** `key?: Type` with its JSDoc, as a member of an interface or a type literal. */
function memberDoc(member: TsMember): Doc {
  return [...jsDoc(docLines(member.docs, member.constraintsOf)), group([propertyKey(member.key), member.optional ? "?" : "", ":", " ", typeDoc(member.type, "annotation")])];
}

function indexSignatureDoc(type: TsType): Doc {
  return group(["[", group([indent([softline, "k", ":", " ", "string"]), softline]), "]", ":", " ", typeDoc(type, "annotation")]);
}

// A type literal, always written expanded (prettier keeps a literal that starts with a line break).
function objectTypeDoc(members: readonly TsMember[], index: TsType | undefined): Doc {
  const printed = [...members.map(memberDoc), ...(index ? [indexSignatureDoc(index)] : [])];
  if (printed.length === 0) return "{}";
  return group(["{", indent([line, join([";", line], printed), ifBreak(";")]), line, "}"], { shouldBreak: true });
}

/** An interface body: one member per line, each ended by `;`. */
export function interfaceBodyDoc(members: readonly Doc[]): Doc {
  if (members.length === 0) return "{}";
  return ["{", indent([hardline, join(hardline, members.map((member) => [member, ";"]))]), hardline, "}"];
}

// Emits: export type Currency = "EUR" | "USD";
function typeAliasDoc(name: string, type: TsType): Doc {
  const head = group(["type ", name]);
  if (type.kind === "union" && !isHuggedUnion(type)) return ["export", " ", group([head, " =", group(indent([line, unionLines(type)]))]), ";"];
  const id = Symbol("assignment");
  return ["export", " ", group([head, " =", group(indent(line), { id }), indentIfBreak(typeDoc(type), { groupId: id })]), ";"];
}

// Emits: export interface MenuItem { … } or export type Currency = "EUR" | "USD";
function definitionDoc(definition: DefinitionIr, definitions: ReadonlyMap<string, DefinitionIr>): Doc {
  const type = projectType(definition.type, definitions);
  const docs = jsDoc(docLines(definition.docs, definition.type));
  if (type.kind === "object") return [...docs, interfaceDoc(definition.typeName, type.members, type.index)];
  return [...docs, typeAliasDoc(definition.typeName, type)];
}

function interfaceDoc(name: string, members: readonly TsMember[], index: TsType | undefined): Doc {
  const printed = [...members.map(memberDoc), ...(index ? [indexSignatureDoc(index)] : [])];
  return ["export", " ", "interface", " ", name, " ", interfaceBodyDoc(printed)];
}

/** The offer types of one mbox: the offer interface, then its named types by name, a blank line apart. */
export function emitOfferTypes(ir: MboxIr): Doc[] {
  // Emits: export interface DemoEngineeringFlags { /** docs */ searchProviderId?: number; … }
  const members: TsMember[] = ir.attributes.map((attribute) => ({
    key: attribute.key,
    optional: !attribute.required,
    type: projectType(attribute.type, ir.definitions),
    docs: attribute.fallback ? { ...attribute.docs, default: { value: attribute.fallback.value } } : attribute.docs,
    constraintsOf: attribute.type,
  }));
  const offer: Doc = [...jsDoc(docLines(ir.docs)), interfaceDoc(ir.typeName, members, undefined)];
  const definitions = [...ir.definitions.values()].sort((left, right) => (left.typeName < right.typeName ? -1 : left.typeName > right.typeName ? 1 : 0));
  return [offer, ...definitions.map((definition) => definitionDoc(definition, ir.definitions))];
}

export { typeArgumentsDoc };
