/**
 * Validators as generated code, compiled from the IR: one function per key, per `$ref` target
 * and per nested shape that needs more than one expression, each a list of `if (…) return false;`
 * statements over a value of type `unknown` that TypeScript narrows as it goes. Nothing here
 * interprets a schema at run time; schema text reaches the code as string literals only.
 */
import { utils } from "prettier/doc";
import type { DefinitionIr, JsonValue, TypeIr } from "../ir.js";
import { arrayLiteral, breakParent, conditionalGroup, group, hardline, ifBreak, indent, indentIfBreak, join, jsonValue, line, softline, type Doc } from "./layout.js";

const { willBreak } = utils;

/** One generated function: `function <name>(value: unknown): boolean { <statements> }`. */
export interface ValidatorFunction {
  name: string;
  /** The body's statements, in order; nested ones (`for` bodies) as `{ head, body }`. */
  statements: ValidatorStatement[];
}

/** A statement of a validator body. */
export type ValidatorStatement =
  /** `if (<test>) return <result>;` or, for `continue`, `if (<test>) continue;` */
  | { kind: "if"; test: Expression; then: "return false" | "continue" | "matches += 1" }
  | { kind: "return"; value: Expression }
  | { kind: "let"; name: string; value: string }
  | { kind: "forOf"; variable: string; iterable: Expression; body: ValidatorStatement[] };

/**
 * An expression, as a small tree so that the printer can lay it out: calls, comparisons,
 * negations, `&&`/`||` chains of one operator, and atoms (identifiers, literals, member access).
 */
export type Expression =
  | { kind: "atom"; text: string }
  | { kind: "literal"; value: JsonValue }
  | { kind: "member"; object: string; key: Expression }
  | { kind: "call"; callee: string; arguments: Expression[] }
  | { kind: "typeof"; operand: Expression }
  | { kind: "spreadLength"; operand: Expression }
  /** `<object>.length`. */
  | { kind: "length"; object: Expression }
  | { kind: "binary"; operator: "===" | "!==" | "<" | "<=" | ">" | ">=" | "/"; left: Expression; right: Expression }
  | { kind: "not"; operand: Expression }
  | { kind: "chain"; operator: "&&" | "||"; operands: Expression[] };

const atom = (text: string): Expression => ({ kind: "atom", text });
const call = (callee: string, ...args: Expression[]): Expression => ({ kind: "call", callee, arguments: args });
const binary = (operator: Extract<Expression, { kind: "binary" }>["operator"], left: Expression, right: Expression): Expression => ({ kind: "binary", operator, left, right });
const literal = (value: JsonValue): Expression => ({ kind: "literal", value });

/** `!expression`, simplified: `!!x` is never produced, `!(a === b)` becomes `a !== b`. */
export function not(expression: Expression): Expression {
  if (expression.kind === "not") return expression.operand;
  if (expression.kind === "binary" && (expression.operator === "===" || expression.operator === "!==")) {
    return { ...expression, operator: expression.operator === "===" ? "!==" : "===" };
  }
  if (expression.kind === "atom" && (expression.text === "true" || expression.text === "false")) return atom(expression.text === "true" ? "false" : "true");
  return { kind: "not", operand: expression };
}

/** What one module's validators need: its functions, and the runtime helpers they call. */
export interface ValidatorContext {
  definitions: ReadonlyMap<string, DefinitionIr>;
  /** Functions in the order they are emitted. */
  functions: ValidatorFunction[];
  /** `$ref` id → function name. */
  definitionNames: Map<string, string>;
  /** Runtime helpers used (`isJsonObject`, `isJsonEqual`, `matchesPattern`, `hasUniqueItems`). */
  helpers: Set<string>;
  /** Names taken by functions. */
  usedNames: Set<string>;
  /** Function name by body (as JSON), so that two identical checks share one function. */
  functionsByBody: Map<string, string>;
  /** `$ref` targets' functions named and placed, their bodies not built yet. */
  unbuilt: Array<{ fn: ValidatorFunction; type: TypeIr }>;
  /** Module-level constants the functions read: large literal sets and long lists of member checks. */
  constants: ValidatorConstant[];
}

/**
 * A module-level constant of the validators. Checks this long would be `||` chains or statement
 * lists that TypeScript cannot analyse (a 1,000-value enum overflows TypeScript 5's stack; 3,000
 * is TS2563), so they become data the runtime helpers walk.
 */
export type ValidatorConstant =
  /** `const <name> = new Set<unknown>([...])`: the primitive values of a large enum. */
  | { kind: "set"; name: string; values: Array<string | number | boolean | null> }
  /** `const <name> = [...]`: the object and array values of a large enum. */
  | { kind: "values"; name: string; values: JsonValue[] }
  /** `const <name> = [f1, f2, ...]`: the member checks of a long anyOf, allOf or oneOf. */
  | { kind: "checks"; name: string; functions: string[] };

/** More literal values than this are checked through a Set. */
export const LARGE_LITERAL_SET = 32;
/** Combinators with more members than this check them through a list of functions. */
export const LONG_COMBINATOR = 64;

/** A fresh context for one module. */
export function createValidatorContext(definitions: ReadonlyMap<string, DefinitionIr>): ValidatorContext {
  return { definitions, functions: [], definitionNames: new Map(), helpers: new Set(), usedNames: new Set(), functionsByBody: new Map(), unbuilt: [], constants: [] };
}

function uniqueName(context: ValidatorContext, base: string): string {
  let name = base;
  for (let suffix = 2; context.usedNames.has(name); suffix += 1) name = `${base}${suffix}`;
  context.usedNames.add(name);
  return name;
}

// A check as one expression when it is one: the type of a simple leaf, a $ref, else a call of a
// function of its own (named after `hint`).
function checkExpression(type: TypeIr, value: Expression, context: ValidatorContext, hint: string): Expression {
  return simpleCheck(type, value, context) ?? call(emitFunction(type, context, hint), value);
}

// The check of a leaf type as one expression, or undefined when it takes statements.
function simpleCheck(type: TypeIr, value: Expression, context: ValidatorContext): Expression | undefined {
  switch (type.kind) {
    case "any":
      return atom("true");
    case "never":
      return atom("false");
    case "boolean":
      return binary("===", { kind: "typeof", operand: value }, literal("boolean"));
    case "null":
      return binary("===", value, literal(null));
    case "string":
      if (type.minLength === undefined && type.maxLength === undefined && type.pattern === undefined) return binary("===", { kind: "typeof", operand: value }, literal("string"));
      break;
    case "number":
      if (type.minimum === undefined && type.maximum === undefined && type.exclusiveMinimum === undefined && type.exclusiveMaximum === undefined && type.multipleOf === undefined) {
        return type.integer ? call("Number.isInteger", value) : binary("===", { kind: "typeof", operand: value }, literal("number"));
      }
      break;
    case "literal":
      if (type.values.length === 1) return literalCheck(value, type.values[0]!, context);
      break;
    case "ref":
      return call(definitionFunction(type.id, context), value);
    default:
      break;
  }
  return undefined;
}

function literalCheck(value: Expression, candidate: JsonValue, context: ValidatorContext): Expression {
  if (typeof candidate === "object" && candidate !== null) {
    context.helpers.add("isJsonEqual");
    // The literal first: a last argument that is an object or array literal takes prettier's hugging layouts.
    return call("isJsonEqual", literal(candidate), value);
  }
  return binary("===", value, literal(candidate));
}

function definitionFunction(id: string, context: ValidatorContext): string {
  let name = context.definitionNames.get(id);
  if (name === undefined) {
    const definition = context.definitions.get(id);
    name = uniqueName(context, `$is${definition?.typeName || "Definition"}`);
    context.definitionNames.set(id, name);
    // Named and placed now, so a recursive reference finds the name; its body is built later
    // (buildDefinitionBodies), so a chain of $refs never nests this emitter.
    const fn: ValidatorFunction = { name, statements: [] };
    context.functions.push(fn);
    context.unbuilt.push({ fn, type: definition?.type ?? { kind: "any" } });
  }
  return name;
}

// Builds the bodies of the definitions' functions named so far, and of those they name.
function buildDefinitionBodies(context: ValidatorContext): void {
  // An array's iterator reads its length at every step: functions named while building one are
  // appended and built in this same loop.
  for (const { fn, type } of context.unbuilt) fn.statements = bodyOf(type, context, fn.name);
  context.unbuilt.length = 0;
}

/**
 * Emits a function that checks `type` and returns its name; the name of an earlier function with
 * the same body when there is one (nested checks are shared first, so equal types share whole
 * trees). `$ref` targets have functions of their own (`definitionFunction`) and are not shared.
 */
function emitFunction(type: TypeIr, context: ValidatorContext, hint: string): string {
  const name = uniqueName(context, hint);
  const fn: ValidatorFunction = { name, statements: [] };
  context.functions.push(fn);
  fn.statements = bodyOf(type, context, name);
  const body = JSON.stringify(fn.statements);
  const existing = context.functionsByBody.get(body);
  if (existing === undefined) {
    context.functionsByBody.set(body, name);
    return name;
  }
  // Nested functions were emitted after this one; the body just built is dropped whole.
  context.functions.splice(context.functions.indexOf(fn), 1);
  context.usedNames.delete(name);
  return existing;
}

const VALUE = atom("value");
const RETURN_TRUE: ValidatorStatement = { kind: "return", value: atom("true") };
const reject = (test: Expression): ValidatorStatement => ({ kind: "if", test, then: "return false" });

const isConstant = (expression: Expression, value: "true" | "false") => expression.kind === "atom" && expression.text === value;

// A test that always holds ends the body there (TypeScript would call what follows unreachable
// and lose its narrowing); one that never holds is no statement at all.
function withoutConstantTests(statements: ValidatorStatement[]): ValidatorStatement[] {
  const result: ValidatorStatement[] = [];
  for (const statement of statements) {
    if (statement.kind === "if" && isConstant(statement.test, "false")) continue;
    if (statement.kind === "if" && statement.then === "return false" && isConstant(statement.test, "true")) {
      result.push({ kind: "return", value: atom("false") });
      return result;
    }
    result.push(statement.kind === "forOf" ? { ...statement, body: withoutConstantTests(statement.body) } : statement);
    if (statement.kind === "return") return result;
  }
  return result;
}

// Statements that check `value: unknown` against `type`; `name` names nested functions.
function bodyOf(type: TypeIr, context: ValidatorContext, name: string): ValidatorStatement[] {
  return withoutConstantTests(statementsOf(type, context, name));
}

function statementsOf(type: TypeIr, context: ValidatorContext, name: string): ValidatorStatement[] {
  const simple = type.kind === "ref" ? undefined : simpleCheck(type, VALUE, context);
  if (simple) return [{ kind: "return", value: simple }];
  let nested = 0;
  const inner = (innerType: TypeIr, value: Expression) => checkExpression(innerType, value, context, `${name}_${(nested += 1)}`);
  switch (type.kind) {
    case "string": {
      const statements: ValidatorStatement[] = [reject(binary("!==", { kind: "typeof", operand: VALUE }, literal("string")))];
      // JSON Schema counts code points, not UTF-16 units.
      const length: Expression = { kind: "spreadLength", operand: VALUE };
      if (type.minLength !== undefined) statements.push(reject(binary("<", length, literal(type.minLength))));
      if (type.maxLength !== undefined) statements.push(reject(binary(">", length, literal(type.maxLength))));
      if (type.pattern !== undefined) {
        context.helpers.add("matchesPattern");
        statements.push(reject(not(call("matchesPattern", VALUE, literal(type.pattern)))));
      }
      return [...statements, RETURN_TRUE];
    }
    case "number": {
      const statements: ValidatorStatement[] = [reject(binary("!==", { kind: "typeof", operand: VALUE }, literal("number")))];
      if (type.integer) statements.push(reject(not(call("Number.isInteger", VALUE))));
      if (type.minimum !== undefined) statements.push(reject(binary("<", VALUE, literal(type.minimum))));
      if (type.exclusiveMinimum !== undefined) statements.push(reject(binary("<=", VALUE, literal(type.exclusiveMinimum))));
      if (type.maximum !== undefined) statements.push(reject(binary(">", VALUE, literal(type.maximum))));
      if (type.exclusiveMaximum !== undefined) statements.push(reject(binary(">=", VALUE, literal(type.exclusiveMaximum))));
      if (type.multipleOf !== undefined) {
        context.helpers.add("isMultipleOf");
        statements.push(reject(not(call("isMultipleOf", VALUE, literal(type.multipleOf)))));
      }
      return [...statements, RETURN_TRUE];
    }
    case "array": {
      const statements: ValidatorStatement[] = [reject(not(call("Array.isArray", VALUE)))];
      const length: Expression = { kind: "length", object: VALUE };
      if (type.minItems !== undefined) statements.push(reject(binary("<", length, literal(type.minItems))));
      if (type.maxItems !== undefined) statements.push(reject(binary(">", length, literal(type.maxItems))));
      if (type.uniqueItems) {
        context.helpers.add("hasUniqueItems");
        statements.push(reject(not(call("hasUniqueItems", VALUE))));
      }
      const itemCheck = inner(type.items, atom("item"));
      if (!(itemCheck.kind === "atom" && itemCheck.text === "true")) {
        statements.push({ kind: "forOf", variable: "item", iterable: VALUE, body: [reject(not(itemCheck))] });
      }
      return [...statements, RETURN_TRUE];
    }
    case "object": {
      context.helpers.add("isJsonObject");
      const statements: ValidatorStatement[] = [reject(not(call("isJsonObject", VALUE)))];
      const keys = call("Object.keys", VALUE);
      const keyCount: Expression = { kind: "length", object: keys };
      if (type.minProperties !== undefined) statements.push(reject(binary("<", keyCount, literal(type.minProperties))));
      if (type.maxProperties !== undefined) statements.push(reject(binary(">", keyCount, literal(type.maxProperties))));
      for (const property of type.properties) {
        const has = call("Object.hasOwn", VALUE, literal(property.key));
        const propertyValue: Expression = { kind: "member", object: "value", key: literal(property.key) };
        // An undeclared required key is checked by the additionalProperties loop below.
        const check = property.declared ? inner(property.type, propertyValue) : atom("true");
        const checks = !(check.kind === "atom" && check.text === "true");
        if (property.required) {
          statements.push(reject(not(has)));
          if (checks) statements.push(reject(not(check)));
        } else if (checks) {
          statements.push(reject({ kind: "chain", operator: "&&", operands: [has, not(check)] }));
        }
      }
      if (type.additional !== "any") {
        const declared = type.properties.filter((property) => property.declared).map((property) => binary("===", atom("key"), literal(property.key)));
        const extra = type.additional === "none" ? atom("false") : inner(type.additional, { kind: "member", object: "value", key: atom("key") });
        const body: ValidatorStatement[] = [];
        if (declared.length > 0) body.push({ kind: "if", test: declared.length === 1 ? declared[0]! : { kind: "chain", operator: "||", operands: declared }, then: "continue" });
        // No other key is allowed: the first one ends the check.
        body.push(extra.kind === "atom" && extra.text === "false" ? { kind: "return", value: extra } : reject(not(extra)));
        if (!(extra.kind === "atom" && extra.text === "true")) statements.push({ kind: "forOf", variable: "key", iterable: keys, body });
      }
      return [...statements, RETURN_TRUE];
    }
    case "literal":
      if (type.values.length > LARGE_LITERAL_SET) return [{ kind: "return", value: largeLiteralCheck(type.values, context, name) }];
      return [{ kind: "return", value: type.values.length === 1 ? literalCheck(VALUE, type.values[0]!, context) : { kind: "chain", operator: "||", operands: type.values.map((value) => literalCheck(VALUE, value, context)) } }];
    case "otherThan": {
      const isType: Record<string, Expression> = {
        string: binary("===", { kind: "typeof", operand: VALUE }, literal("string")),
        number: binary("===", { kind: "typeof", operand: VALUE }, literal("number")),
        boolean: binary("===", { kind: "typeof", operand: VALUE }, literal("boolean")),
        null: binary("===", VALUE, literal(null)),
        object: call("isJsonObject", VALUE),
        array: call("Array.isArray", VALUE),
      };
      if (type.types.includes("object")) context.helpers.add("isJsonObject");
      return [...type.types.map((name) => reject(isType[name]!)), RETURN_TRUE];
    }
    case "anyOf":
    case "allOf":
    case "oneOf":
      if (type.members.length > LONG_COMBINATOR) return [{ kind: "return", value: longCombinatorCheck(type, context, name) }];
      return combinatorStatements(type, inner);
    default:
      return [{ kind: "return", value: checkExpression(type, VALUE, context, `${name}_${(nested += 1)}`) }];
  }
}

// Emits: return matchesAny($isX_checks, value); with const $isX_checks = [$isX_1, $isX_2, …]
function longCombinatorCheck(type: TypeIr & { kind: "anyOf" | "allOf" | "oneOf" }, context: ValidatorContext, name: string): Expression {
  const functions = type.members.map((member, index) => (member.kind === "ref" ? definitionFunction(member.id, context) : emitFunction(member, context, `${name}_${index + 1}`)));
  const constant = uniqueName(context, `${name}_checks`);
  context.constants.push({ kind: "checks", name: constant, functions });
  const helper = type.kind === "anyOf" ? "matchesAny" : type.kind === "allOf" ? "matchesAll" : "matchesExactlyOne";
  context.helpers.add(helper);
  return call(helper, atom(constant), VALUE);
}

// Emits: $isX_values.has(value) (primitives) || includesJsonEqual($isX_objects, value) (objects and arrays)
function largeLiteralCheck(values: readonly JsonValue[], context: ValidatorContext, name: string): Expression {
  const primitives = values.filter((value): value is string | number | boolean | null => typeof value !== "object" || value === null);
  const structured = values.filter((value) => typeof value === "object" && value !== null);
  const checks: Expression[] = [];
  if (primitives.length > 0) {
    const constant = uniqueName(context, `${name}_values`);
    context.constants.push({ kind: "set", name: constant, values: primitives });
    checks.push(call(`${constant}.has`, VALUE));
  }
  if (structured.length > 0) {
    const constant = uniqueName(context, `${name}_objects`);
    context.constants.push({ kind: "values", name: constant, values: structured });
    context.helpers.add("includesJsonEqual");
    checks.push(call("includesJsonEqual", atom(constant), VALUE));
  }
  return checks.length === 1 ? checks[0]! : { kind: "chain", operator: "||", operands: checks };
}

function combinatorStatements(type: TypeIr & { kind: "anyOf" | "allOf" | "oneOf" }, inner: (type: TypeIr, value: Expression) => Expression): ValidatorStatement[] {
  switch (type.kind) {
    case "anyOf": {
      const checks = type.members.map((member) => inner(member, VALUE));
      return [{ kind: "return", value: checks.length === 1 ? checks[0]! : { kind: "chain", operator: "||", operands: checks } }];
    }
    case "allOf":
      return [...type.members.map((member) => reject(not(inner(member, VALUE)))), RETURN_TRUE];
    case "oneOf":
      return [
        { kind: "let", name: "matches", value: "0" },
        ...type.members.map((member): ValidatorStatement => ({ kind: "if", test: inner(member, VALUE), then: "matches += 1" })),
        { kind: "return", value: binary("===", atom("matches"), literal(1)) },
      ];
  }
}

/** The check of one attribute: the name of its function (with every function it needs built). */
export function emitAttributeCheck(type: TypeIr, context: ValidatorContext, hint: string): string {
  const name = type.kind === "ref" ? definitionFunction(type.id, context) : emitFunction(type, context, hint);
  buildDefinitionBodies(context);
  return name;
}

// ---------------------------------------------------------------------------------------------
// Layout: each statement and expression as the document prettier builds for it (./layout.ts).

const isBinaryish = (expression: Expression): expression is Extract<Expression, { kind: "binary" | "chain" }> => expression.kind === "binary" || expression.kind === "chain";

// The operands and operators of a binary expression or a chain of one logical operator, as
// printBinaryishExpressions lays them out. Inside an `if (…)` a chain's operators are not grouped.
function binaryishParts(expression: Extract<Expression, { kind: "binary" | "chain" }>, insideParentheses: boolean, parentIsSame: boolean): Doc[] {
  const operands = expression.kind === "chain" ? expression.operands : [expression.left, expression.right];
  const operators = expression.kind === "chain" ? operands.slice(1).map(() => expression.operator) : [expression.operator];
  const parts: Doc[] = [group(operandDoc(operands[0]!))];
  // A chain of three or more is nested on its left, so only a lone pair may group its right side.
  const shouldGroup = !(insideParentheses && expression.kind === "chain") && !parentIsSame && operands.length === 2 && !operands.some((operand) => operand.kind === expression.kind);
  operands.slice(1).forEach((operand, index) => {
    const right: Doc = [operators[index]!, line, operandDoc(operand)];
    parts.push(" ", shouldGroup ? group(right) : right);
  });
  return parts;
}

// An operand of a binaryish expression: a nested one gets its own group and indented rest.
function operandDoc(expression: Expression): Doc {
  if (!isBinaryish(expression)) return expressionDoc(expression);
  const parts = binaryishParts(expression, false, false);
  const printed = group([parts[0]!, indent(parts.slice(1))]);
  // Prettier keeps `a || (b && c)` parenthesized for clarity.
  return expression.kind === "chain" ? ["(", printed, ")"] : printed;
}

function argumentsDoc(args: readonly Expression[]): Doc {
  const printed = args.map(expressionDoc);
  return group(["(", indent([softline, join([",", line], printed)]), ifBreak(","), softline, ")"], { shouldBreak: printed.some((argument) => willBreak(argument)) });
}

function expressionDoc(expression: Expression): Doc {
  switch (expression.kind) {
    case "atom":
      return expression.text;
    case "literal":
      return jsonValue(expression.value);
    case "member":
      return [expression.object, group(["[", indent([softline, expressionDoc(expression.key)]), softline, "]"])];
    case "call": {
      const dot = expression.callee.indexOf(".");
      // `Object.hasOwn(…)`: a member chain short enough to stay on one line.
      if (dot !== -1) return group([expression.callee.slice(0, dot), ".", expression.callee.slice(dot + 1), argumentsDoc(expression.arguments)]);
      return [expression.callee, argumentsDoc(expression.arguments)];
    }
    case "typeof":
      return ["typeof", " ", expressionDoc(expression.operand)];
    case "spreadLength":
      return [group(["[", indent([softline, group(["...", expressionDoc(expression.operand)]), ifBreak(",")]), softline, "]"]), group(indent([softline, ".", "length"]))];
    case "length":
      return expression.object.kind === "atom" ? [expressionDoc(expression.object), ".", "length"] : [expressionDoc(expression.object), group(indent([softline, ".", "length"]))];
    case "not":
      if (isBinaryish(expression.operand)) return ["!", "(", group([indent([softline, ...binaryishParts(expression.operand, false, false)]), softline]), ")"];
      return ["!", expressionDoc(expression.operand)];
    case "binary":
    case "chain":
      return operandDoc(expression);
  }
}

const RETURN_FALSE: Doc = ["return", " ", "false", ";"];

function statementDoc(statement: ValidatorStatement): Doc {
  switch (statement.kind) {
    case "if": {
      const test = isBinaryish(statement.test) ? binaryishParts(statement.test, true, false) : expressionDoc(statement.test);
      const consequent: Doc = statement.then === "return false" ? RETURN_FALSE : statement.then === "continue" ? ["continue", ";"] : [group(["matches", " ", "+=", " ", "1"]), ";"];
      return group(["if (", group([indent([softline, test]), softline]), ")", indent([line, consequent])]);
    }
    case "return": {
      if (!isBinaryish(statement.value)) return ["return", " ", expressionDoc(statement.value), ";"];
      const argument = group(binaryishParts(statement.value, false, false));
      return ["return", " ", group([ifBreak("("), indent([softline, argument]), softline, ifBreak(")")]), ";"];
    }
    case "let":
      return `let ${statement.name} = ${statement.value};`;
    case "forOf":
      return group(["for", " (", group(["const", " ", statement.variable]), " ", "of", " ", expressionDoc(statement.iterable), ")", " ", "{", indent([hardline, join(hardline, statement.body.map(statementDoc))]), hardline, "}"]);
  }
}

/**
 * A module-level constant as a document: `const $isX_values = /*#__PURE__*\/ new Set<unknown>([…]);`
 * (the array hugs the call's parentheses, as prettier prints a sole array argument) or
 * `const $isX_checks = […];`.
 */
export function constantDoc(constant: ValidatorConstant, language: "ts" | "js" = "ts"): Doc {
  // A JSON array as jsonValue lays it out (numbers in prettier's concise fill); function names one per line when they break.
  const array = constant.kind === "checks" ? arrayLiteral(constant.functions) : jsonValue(constant.values);
  const value: Doc =
    constant.kind === "set"
      ? ["/*#__PURE__*/", " ", "new", " ", "Set", ...(language === "ts" ? ["<", "unknown", ">"] : []), breakParent, conditionalGroup([["(", group(array, { shouldBreak: true }), ")"], group(["(", indent([line, array]), ifBreak(","), line, ")"], { shouldBreak: true })])]
      : array;
  const id = Symbol("assignment");
  return group(["const", " ", group([constant.name, " =", group(indent(line), { id }), indentIfBreak(value, { groupId: id })]), ";"]);
}

/** A validator function as a document: TypeScript for modules, plain JavaScript for the checks `mboxgen offers check` runs. */
export function validatorDoc(fn: ValidatorFunction, language: "ts" | "js" = "ts"): Doc {
  return [
    "function",
    " ",
    fn.name,
    language === "ts" ? group(["(", indent([softline, "value", ":", " ", "unknown"]), ifBreak(","), softline, ")", ":", " ", "boolean"]) : "(value)",
    " ",
    "{",
    indent([hardline, join(hardline, fn.statements.map(statementDoc))]),
    hardline,
    "}",
  ];
}
