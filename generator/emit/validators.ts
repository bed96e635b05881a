/**
 * Validators as generated code: one boolean expression per attribute, compiled from its TypeIr,
 * plus one function per `$ref` target (so recursive shapes terminate) and one RegExp per pattern.
 * Nothing here interprets a schema at run time.
 */
import type { JsonValue, TypeIr } from "../ir.js";
import { jsonLiteral, propertyAccess, stringLiteral } from "./escape.js";

/** Module-level declarations validators of one module need, and the runtime helpers they use. */
export interface ValidatorContext {
  definitions: ReadonlyMap<string, TypeIr>;
  /** `$ref` id → helper function name, filled as references are met. */
  definitionNames: Map<string, string>;
  /** Pattern source → RegExp constant name. */
  patternNames: Map<string, string>;
  /** Runtime helpers used (`isJsonObject`, `isJsonEqual`). */
  helpers: Set<string>;
}

/** A fresh context for one module. */
export function createValidatorContext(definitions: ReadonlyMap<string, TypeIr>): ValidatorContext {
  return { definitions, definitionNames: new Map(), patternNames: new Map(), helpers: new Set() };
}

function literalCheck(value: string, literal: JsonValue, context: ValidatorContext): string {
  if (typeof literal === "object" && literal !== null) {
    context.helpers.add("isJsonEqual");
    return `isJsonEqual(${value}, ${jsonLiteral(literal)})`;
  }
  return `${value} === ${jsonLiteral(literal)}`;
}

function joinAll(checks: string[]): string {
  const meaningful = checks.filter((check) => check !== "true");
  if (meaningful.includes("false")) return "false";
  return meaningful.length === 0 ? "true" : meaningful.join(" && ");
}

function joinAny(checks: string[]): string {
  if (checks.includes("true")) return "true";
  const meaningful = checks.filter((check) => check !== "false");
  if (meaningful.length === 0) return "false";
  return meaningful.length === 1 ? meaningful[0]! : `(${meaningful.map((check) => `(${check})`).join(" || ")})`;
}

/**
 * A boolean expression that is true when the value of expression `value` has the shape `type`.
 * `depth` names the variables of nested callbacks (`item1`, `key1`, …).
 */
export function emitCheck(type: TypeIr, value: string, context: ValidatorContext, depth = 0): string {
  // Emits: isJsonObject(value) && Object.hasOwn(value, "label") && typeof value["label"] === "string"
  switch (type.kind) {
    case "any":
      return "true";
    case "never":
      return "false";
    case "string": {
      const checks = [`typeof ${value} === "string"`];
      // JSON Schema counts code points, not UTF-16 units.
      if (type.minLength !== undefined) checks.push(`[...${value}].length >= ${type.minLength}`);
      if (type.maxLength !== undefined) checks.push(`[...${value}].length <= ${type.maxLength}`);
      if (type.pattern !== undefined) {
        let patternName = context.patternNames.get(type.pattern);
        if (!patternName) {
          patternName = `$pattern${context.patternNames.size}`;
          context.patternNames.set(type.pattern, patternName);
        }
        checks.push(`${patternName}.test(${value})`);
      }
      return joinAll(checks);
    }
    case "number": {
      const checks = [type.integer ? `Number.isInteger(${value})` : `typeof ${value} === "number"`];
      const bound = (operator: string, limit: number | undefined) => {
        if (limit !== undefined) checks.push(`(${value} as number) ${operator} ${jsonLiteral(limit)}`);
      };
      bound(">=", type.minimum);
      bound("<=", type.maximum);
      bound(">", type.exclusiveMinimum);
      bound("<", type.exclusiveMaximum);
      return joinAll(checks);
    }
    case "boolean":
      return `typeof ${value} === "boolean"`;
    case "null":
      return `${value} === null`;
    case "literal":
      return joinAny(type.values.map((literal) => literalCheck(value, literal, context)));
    case "array": {
      const item = `item${depth + 1}`;
      const checks = [`Array.isArray(${value})`];
      if (type.minItems !== undefined) checks.push(`${value}.length >= ${type.minItems}`);
      if (type.maxItems !== undefined) checks.push(`${value}.length <= ${type.maxItems}`);
      const itemCheck = emitCheck(type.items, item, context, depth + 1);
      if (itemCheck !== "true") checks.push(`${value}.every((${item}: unknown) => ${itemCheck})`);
      return joinAll(checks);
    }
    case "object": {
      context.helpers.add("isJsonObject");
      const checks = [`isJsonObject(${value})`];
      for (const property of type.properties) {
        const has = `Object.hasOwn(${value}, ${stringLiteral(property.key)})`;
        const check = emitCheck(property.type, propertyAccess(value, property.key), context, depth + 1);
        if (property.required) checks.push(has, check);
        else if (check !== "true") checks.push(`(!${has} || ${check === "false" ? "false" : `(${check})`})`);
      }
      if (type.additional !== "any") {
        const key = `key${depth + 1}`;
        const declared = type.properties.map((property) => `${key} === ${stringLiteral(property.key)}`);
        const extra = type.additional === "none" ? "false" : emitCheck(type.additional, `${value}[${key}]`, context, depth + 1);
        const allowed = joinAny([...declared, extra]);
        if (allowed !== "true") checks.push(`Object.keys(${value}).every((${key}) => ${allowed})`);
      }
      return joinAll(checks);
    }
    case "anyOf":
      return joinAny(type.members.map((member) => emitCheck(member, value, context, depth)));
    case "allOf":
      return joinAll(type.members.map((member) => `(${emitCheck(member, value, context, depth)})`).map((check) => (check === "(true)" ? "true" : check === "(false)" ? "false" : check)));
    case "ref": {
      let functionName = context.definitionNames.get(type.id);
      if (!functionName) {
        functionName = `$isDefinition${context.definitionNames.size}`;
        context.definitionNames.set(type.id, functionName);
      }
      return `${functionName}(${value})`;
    }
  }
}

/** The helper functions for every `$ref` met so far (and those they meet): `[name, body expression]`. */
export function emitDefinitionFunctions(context: ValidatorContext): Array<[name: string, check: string]> {
  // Emits (as [name, body]): function $isDefinition0(value: unknown): boolean { return <check>; }
  const emitted: Array<[string, string]> = [];
  const done = new Set<string>();
  // Emitting a body can meet new references, so loop until no new name appears.
  for (let progress = true; progress; ) {
    progress = false;
    for (const [id, functionName] of [...context.definitionNames]) {
      if (done.has(id)) continue;
      done.add(id);
      progress = true;
      emitted.push([functionName, emitCheck(context.definitions.get(id) ?? { kind: "any" }, "value", context)]);
    }
  }
  return emitted.sort(([left], [right]) => left.localeCompare(right, "en"));
}
