/**
 * `openfeature/flags.json` (`generate --openfeature manifest`): an OpenFeature CLI flag manifest
 * (open-feature/cli, schema v0) from the schemas, so that a team using OpenFeature's own tooling
 * starts from mboxgen's flags: one flag per key (`<mbox>.<key>`) and one object flag per mbox (its
 * whole offer), each with its type, its default and its description. Keys of several JSON types
 * and object keys are object flags with the manifest's schema subset (type, properties,
 * required, items, additionalProperties) of their JSON Schema. The manifest needs a default for
 * every flag: a key without one in its schema gets its type's empty value (false, "", 0, {}), and
 * its description says so.
 */
import type { AttributeIr, DefinitionIr, JsonValue, MboxIr, TypeIr } from "../ir.js";
import { flagKindOf } from "./openfeature-module.js";

/** Where the manifest's JSON Schema is published. */
export const FLAG_MANIFEST_SCHEMA = "https://raw.githubusercontent.com/open-feature/cli/refs/heads/main/schema/v0/flag-manifest.json";

/** The manifest's JSON Schema subset for object flags. */
interface PropertySchema {
  type: "object" | "array" | "string" | "number" | "integer" | "boolean";
  properties?: Record<string, PropertySchema>;
  required?: string[];
  items?: PropertySchema;
  additionalProperties?: boolean;
}

function resolve(type: TypeIr, definitions: ReadonlyMap<string, DefinitionIr>, seen = new Set<string>()): TypeIr {
  if (type.kind !== "ref" || seen.has(type.id)) return type;
  const target = definitions.get(type.id);
  return target ? resolve(target.type, definitions, new Set([...seen, type.id])) : type;
}

// The subset the manifest can say about a type, as far as it can: recursion stops at a depth.
function propertySchemaOf(type: TypeIr, definitions: ReadonlyMap<string, DefinitionIr>, depth = 0): PropertySchema | undefined {
  const resolved = resolve(type, definitions);
  if (depth > 16) return undefined;
  switch (resolved.kind) {
    case "string":
      return { type: "string" };
    case "boolean":
      return { type: "boolean" };
    case "number":
      return { type: resolved.integer ? "integer" : "number" };
    case "array": {
      const items = propertySchemaOf(resolved.items, definitions, depth + 1);
      return { type: "array", ...(items ? { items } : {}) };
    }
    case "object": {
      const properties: Record<string, PropertySchema> = {};
      for (const property of resolved.properties) {
        const schema = propertySchemaOf(property.type, definitions, depth + 1);
        if (schema) Object.defineProperty(properties, property.key, { value: schema, enumerable: true, writable: true, configurable: true });
      }
      const required = resolved.properties.filter((property) => property.required).map((property) => property.key);
      return { type: "object", properties, ...(required.length > 0 ? { required } : {}), additionalProperties: resolved.additional !== "none" };
    }
    case "literal": {
      const kinds = new Set(resolved.values.map((value) => (typeof value === "number" ? (Number.isInteger(value) ? "integer" : "number") : typeof value)));
      if (kinds.size === 2 && kinds.has("integer") && kinds.has("number")) return { type: "number" };
      const [only] = kinds;
      return kinds.size === 1 && (only === "string" || only === "boolean" || only === "integer" || only === "number") ? { type: only } : undefined;
    }
    case "anyOf":
    case "oneOf": {
      // A union the subset can say: members of one type.
      const members = resolved.members.map((member) => propertySchemaOf(member, definitions, depth + 1));
      const types = new Set(members.map((member) => member?.type));
      return members.every((member) => member !== undefined) && types.size === 1 && members[0]!.type !== "object" && members[0]!.type !== "array" ? { type: members[0]!.type } : undefined;
    }
    default:
      return undefined;
  }
}

function emptyValueOf(kind: "boolean" | "string" | "integer" | "float" | "object"): JsonValue {
  return kind === "boolean" ? false : kind === "string" ? "" : kind === "object" ? {} : 0;
}

function describe(docs: AttributeIr["docs"]): string | undefined {
  const text = docs.description ?? docs.title;
  return text === undefined || text.trim() === "" ? undefined : text.trim();
}

/** The manifest entries of one mbox, by flag key. */
export function manifestFlagsOf(ir: MboxIr): Array<[string, Record<string, unknown>]> {
  const flags: Array<[string, Record<string, unknown>]> = [];
  const defaults: Record<string, JsonValue> = {};
  for (const attribute of ir.attributes) {
    const kind = flagKindOf(attribute, ir);
    const resolved = resolve(attribute.type, ir.definitions);
    const flagType = kind === "number" ? (resolved.kind === "number" && resolved.integer ? "integer" : "float") : kind;
    const defaultValue = attribute.fallback?.value;
    if (defaultValue !== undefined) Object.defineProperty(defaults, attribute.key, { value: defaultValue, enumerable: true, writable: true, configurable: true });
    const description = [describe(attribute.docs), defaultValue === undefined ? `No default in the schema: ${JSON.stringify(emptyValueOf(flagType))} here.` : undefined].filter((part) => part !== undefined).join(" ");
    const schema = flagType === "object" ? propertySchemaOf(attribute.type, ir.definitions) : undefined;
    flags.push([`${ir.mbox}.${attribute.key}`, { flagType, defaultValue: defaultValue ?? emptyValueOf(flagType), ...(description ? { description } : {}), ...(schema ? { schema } : {}) }]);
  }
  const offer: PropertySchema = { type: "object", properties: {}, additionalProperties: true };
  for (const attribute of ir.attributes) {
    const schema = propertySchemaOf(attribute.type, ir.definitions);
    if (schema) Object.defineProperty(offer.properties!, attribute.key, { value: schema, enumerable: true, writable: true, configurable: true });
  }
  const required = ir.attributes.filter((attribute) => attribute.required).map((attribute) => attribute.key);
  if (required.length > 0) offer.required = required;
  const mboxDescription = describe(ir.docs) ?? `The whole offer of mbox ${JSON.stringify(ir.mbox)}.`;
  flags.unshift([ir.mbox, { flagType: "object", defaultValue: defaults, description: mboxDescription, schema: offer }]);
  return flags;
}

/** The manifest's text for the mboxes, flags sorted by key; its `$comment` says mboxgen wrote it (and owns it). */
export function emitFlagManifest(irs: readonly MboxIr[], schemasLabel: string, regenerateCommand: string): string {
  const entries = irs.flatMap(manifestFlagsOf).sort(([left], [right]) => (left < right ? -1 : left > right ? 1 : 0));
  const flags: Record<string, unknown> = {};
  for (const [key, flag] of entries) Object.defineProperty(flags, key, { value: flag, enumerable: true, writable: true, configurable: true });
  const comment = `Generated by mboxgen from ${schemasLabel}. DO NOT EDIT. Regenerate: ${regenerateCommand}`;
  return `${JSON.stringify({ $schema: FLAG_MANIFEST_SCHEMA, $comment: comment, flags }, null, 2)}\n`;
}
