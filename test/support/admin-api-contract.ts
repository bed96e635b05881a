/**
 * Adobe's published OpenAPI description of the Target Admin API (vendored from
 * ../shared/target-openapi with its license), read as JSON Schema: the response schema of each
 * operation, with OpenAPI 3.0's own keywords converted (`nullable`) and the rest as it is.
 */
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { Ajv, type ValidateFunction } from "ajv";
import { repositoryRoot } from "./fixtures.js";

interface OpenApi {
  paths: Record<string, Record<string, { responses?: Record<string, { content?: Record<string, { schema?: unknown }> }> }>>;
  components: { schemas: Record<string, unknown> };
}

/** The vendored description. */
export const adminApi = JSON.parse(readFileSync(join(repositoryRoot, "fixtures/target-openapi/admin-api.json"), "utf8")) as OpenApi;

/** OpenAPI 3.0 schema → JSON Schema: `nullable: true` admits null; `$ref`s point into the document's id. */
export function toJsonSchema(schema: unknown): unknown {
  if (Array.isArray(schema)) return schema.map(toJsonSchema);
  if (typeof schema !== "object" || schema === null) return schema;
  const converted: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(schema)) {
    if (key === "$ref" && typeof value === "string") converted.$ref = value.replace(/^#\//, "admin-api#/");
    else if (key === "nullable" || key === "example" || key === "xml" || key === "externalDocs" || key === "discriminator") continue;
    else if (key === "properties" && typeof value === "object" && value !== null) converted.properties = Object.fromEntries(Object.entries(value).map(([name, property]) => [name, toJsonSchema(property)]));
    else converted[key] = toJsonSchema(value);
  }
  if ((schema as { nullable?: unknown }).nullable === true) {
    if (typeof converted.type === "string") converted.type = [converted.type, "null"];
    else if (converted.enum) converted.enum = [...(converted.enum as unknown[]), null];
    else return { anyOf: [converted, { type: "null" }] };
  }
  return converted;
}

const ajv = new Ajv({ allErrors: true, strict: false, validateFormats: false });
ajv.addSchema({ $id: "admin-api", components: { schemas: toJsonSchema(adminApi.components.schemas) } });

/** The operation of a concrete path (`/acme/target/activities/ab/501`) and its 200 response's media type and validator. */
export function responseContract(method: string, path: string): { template: string; mediaType: string; validate: ValidateFunction } {
  for (const [template, operations] of Object.entries(adminApi.paths)) {
    const pattern = new RegExp(`^${template.replace(/\{[^}]+\}/g, "[^/]+")}$`);
    if (!pattern.test(path)) continue;
    const content = operations[method.toLowerCase()]?.responses?.["200"]?.content;
    if (!content) continue;
    const [mediaType, { schema }] = Object.entries(content)[0]!;
    return { template, mediaType, validate: ajv.compile(toJsonSchema(schema) as object) };
  }
  throw new Error(`no ${method} operation for ${path} in the Admin API description`);
}

/** An instance of a schema with every property it declares filled (arrays of one item, depth-limited): a response "shaped exactly as the description says". */
export function maximalInstance(schema: unknown, depth = 0): unknown {
  const resolved = (value: unknown): Record<string, any> => {
    const record = value as Record<string, any>;
    if (typeof record?.$ref === "string") return resolved(adminApi.components.schemas[record.$ref.split("/").pop()!]);
    return record ?? {};
  };
  const node = resolved(schema);
  if (depth > 6) return node.type === "array" ? [] : node.type === "object" || node.properties ? {} : null;
  if (node.enum) return node.enum[0];
  switch (node.type) {
    case "string":
      return node.format === "date-time" ? "2026-05-01T12:00:00.000Z" : "text";
    case "integer":
    case "number":
      return 7;
    case "boolean":
      return true;
    case "array":
      return [maximalInstance(node.items, depth + 1)];
    default:
      if (node.properties) return Object.fromEntries(Object.entries(node.properties).map(([name, property]) => [name, maximalInstance(property, depth + 1)]));
      return {};
  }
}
