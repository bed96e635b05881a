/**
 * The offer's TypeScript types, from json-schema-to-typescript (formatting and banner off; mboxgen
 * formats the whole module once). Its output is checked before it is used: the declared names
 * must not clash with mboxgen's own.
 */
import { compile } from "json-schema-to-typescript";
import { createGeneratorError, type GeneratorError } from "../errors.js";
import type { MboxIr } from "../ir.js";
import { PROTO_KEY_PLACEHOLDER, ROOT_TYPE_PLACEHOLDER } from "../normalize.js";
import { stringLiteral } from "./escape.js";

const DECLARED_NAME = /^export (?:declare )?(?:interface|type|enum|const enum) ([\p{ID_Start}$_][\p{ID_Continue}$]*)/gmu;
// json-schema-to-typescript (format off) writes one property per line: `key?: type` or `key: type`.
const PROTO_PLACEHOLDER_KEY = new RegExp(`^(\\s*)${PROTO_KEY_PLACEHOLDER}(\\??):`, "gm");
const ROOT_PLACEHOLDER = new RegExp(`\\b${ROOT_TYPE_PLACEHOLDER}\\b`, "g");

/** The offer types of one mbox as TypeScript source, or an error. */
export async function emitOfferTypes(ir: MboxIr, reservedNames: ReadonlySet<string>): Promise<string | GeneratorError> {
  // Emits: export interface DemoEngineeringFlags { /** docs */ searchProviderId?: number; … }
  const schemaText = JSON.stringify(ir.typesSchema);
  if (schemaText.includes(ROOT_TYPE_PLACEHOLDER)) {
    return createGeneratorError("TYPES_FAILED", { reason: `the schema contains mboxgen's placeholder ${ROOT_TYPE_PLACEHOLDER}` }, { file: ir.sourcePath });
  }
  let source: string;
  try {
    source = await compile(JSON.parse(schemaText) as Parameters<typeof compile>[0], ROOT_TYPE_PLACEHOLDER, {
      bannerComment: "",
      format: false,
      additionalProperties: true,
      declareExternallyReferenced: true,
      ignoreMinAndMaxItems: true,
      strictIndexSignatures: false,
      unknownAny: true,
      unreachableDefinitions: false,
      $refOptions: { resolve: { file: false, http: false } },
    });
  } catch (error) {
    return createGeneratorError("TYPES_FAILED", { reason: error instanceof Error ? error.message : String(error) }, { file: ir.sourcePath }, error);
  }
  source = source.replace(ROOT_PLACEHOLDER, ir.typeName).replace(PROTO_PLACEHOLDER_KEY, (_match, indent: string, optional: string) => `${indent}${stringLiteral("__proto__")}${optional}:`);

  for (const match of source.matchAll(DECLARED_NAME)) {
    const declared = match[1]!;
    if (declared !== ir.typeName && reservedNames.has(declared)) {
      return createGeneratorError(
        "NAME_COLLISION",
        { what: "type name", name: declared, first: `a type the schema declares (title or $defs)`, second: `mboxgen's own declarations for mbox ${JSON.stringify(ir.mbox)}`, configPath: `mboxes[${JSON.stringify(ir.mbox)}].exportName` },
        { file: ir.sourcePath },
      );
    }
  }
  return source.trim();
}
