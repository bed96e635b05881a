/**
 * ajv's errors as mboxgen's messages: what is wrong, in words, at which JSON pointer. Used for
 * the config file and the emulator's activities file, which are checked against shipped schemas.
 */
import type { ErrorObject } from "ajv";
import { suggestionText } from "./did-you-mean.js";
import { uniqueBy } from "./json-values.js";

/** One problem of a checked document. */
export interface SchemaViolation {
  /** JSON pointer of the offending value (for an unknown key: of that key). */
  pointer: string;
  /** What is wrong, in words. */
  reason: string;
  /** True when the problem is the key itself (an unknown option), not its value. */
  isKey?: boolean;
}

const TYPE_WORDS: Record<string, string> = {
  string: "a string",
  number: "a number",
  integer: "an integer",
  boolean: "true or false",
  object: "an object",
  array: "an array",
  null: "null",
};

function nameAt(pointer: string): string {
  const last = pointer.slice(pointer.lastIndexOf("/") + 1).replace(/~1/g, "/").replace(/~0/g, "~");
  return pointer === "" ? "the document" : JSON.stringify(last);
}

function describeOne(error: ErrorObject): SchemaViolation {
  const params = error.params as Record<string, unknown>;
  const where = nameAt(error.instancePath);
  switch (error.keyword) {
    case "additionalProperties": {
      const key = String(params.additionalProperty);
      const known = Object.keys(((error.parentSchema as { properties?: object } | undefined)?.properties ?? {}) as object);
      const pointer = `${error.instancePath}/${key.replace(/~/g, "~0").replace(/\//g, "~1")}`;
      return { pointer, reason: `unknown option ${JSON.stringify(key)}${suggestionText(key, known)}`, isKey: true };
    }
    case "required":
      return { pointer: error.instancePath, reason: `${where} needs ${JSON.stringify(params.missingProperty)}` };
    case "type": {
      const types = String(params.type).split(",");
      return { pointer: error.instancePath, reason: `${where} must be ${types.map((type) => TYPE_WORDS[type] ?? type).join(" or ")}` };
    }
    case "enum":
      return { pointer: error.instancePath, reason: `${where} must be one of ${(params.allowedValues as unknown[]).map((value) => JSON.stringify(value)).join(", ")}` };
    case "minLength":
      if (params.limit === 1) return { pointer: error.instancePath, reason: `${where} must not be empty` };
      break;
    case "minItems":
      if (params.limit === 1) return { pointer: error.instancePath, reason: `${where} must not be empty` };
      break;
  }
  return { pointer: error.instancePath, reason: `${where} ${error.message ?? "is invalid"}` };
}

/**
 * Every problem ajv found (compile with `allErrors` and `verbose`). A failed `anyOf`/`oneOf`
 * whose branches each miss a required key reads as "needs one of …"; otherwise its branches'
 * own errors say more than the combinator's.
 */
export function describeViolations(errors: readonly ErrorObject[] | null | undefined): SchemaViolation[] {
  const all = errors ?? [];
  const consumed = new Set<ErrorObject>();
  const violations: SchemaViolation[] = [];
  for (const error of all) {
    if (error.keyword !== "anyOf" && error.keyword !== "oneOf") continue;
    const branches = all.filter((other) => other !== error && other.schemaPath.startsWith(`${error.schemaPath}/`));
    const passing = (error.params as { passingSchemas?: unknown }).passingSchemas;
    if (Array.isArray(passing)) {
      violations.push({ pointer: error.instancePath, reason: `${nameAt(error.instancePath)} matches more than one of its allowed forms` });
    } else if (branches.length > 0 && branches.every((branch) => branch.keyword === "required")) {
      const keys = branches.map((branch) => JSON.stringify((branch.params as { missingProperty: string }).missingProperty));
      violations.push({ pointer: error.instancePath, reason: `${nameAt(error.instancePath)} needs one of ${keys.join(", ")}` });
      for (const branch of branches) consumed.add(branch);
    } else if (branches.length === 0) {
      violations.push(describeOne(error));
    }
    consumed.add(error);
  }
  for (const error of all) if (!consumed.has(error)) violations.push(describeOne(error));
  return uniqueBy(violations, (violation) => `${violation.pointer}\u0000${violation.reason}`);
}
