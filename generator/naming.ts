/**
 * Stage 4, `name`: one pass over the whole IR that gives every mbox its export, type and file
 * names and every key its accessor name, so that a collision is found once and reported with the
 * config alias that resolves it (quicktype's global naming pass). Never a silent suffix.
 */
import type { GenerateContext } from "./config.js";
import type { Diagnostics } from "./diagnostics.js";
import { createGeneratorError } from "./errors.js";
import type { DefinitionIr, MboxIr } from "./ir.js";

/** Members every accessors object has; a key may not take these names. */
export const ACCESSOR_MEMBERS: Record<string, string> = {
  asObject: "a member of every accessors object",
  toJSON: "a member of every accessors object",
  error: "a member of every accessors object",
  then: "it would make the accessors object a thenable that `await` unwraps",
  // Computed key: a plain `__proto__:` in a literal would set the prototype instead.
  ["__proto__"]: "it would be read as the object's prototype",
};

/** Names the generated index or modules use themselves. */
const RESERVED_EXPORT_NAMES: Record<string, string> = {
  getAttributes: "exported by the generated index",
  defineMbox: "imported by every generated module",
  isJsonObject: "imported by generated modules",
  isJsonEqual: "imported by generated modules",
  matchesPattern: "imported by generated modules",
  hasUniqueItems: "imported by generated modules",
  isMultipleOf: "imported by generated modules",
  MboxAccessors: "imported by every generated module",
  ["__proto__"]: "it would be read as an object's prototype",
};

// ECMAScript reserved words, strict-mode ones included: not usable as `export const` names.
const RESERVED_WORDS = new Set(
  (
    "break case catch class const continue debugger default delete do else enum export extends false finally for function if import in " +
    "instanceof new null return super switch this throw true try typeof var void while with yield let static implements interface " +
    "package private protected public await arguments eval undefined NaN Infinity"
  ).split(" "),
);

const IDENTIFIER = /^[\p{ID_Start}$_][\p{ID_Continue}$\u200C\u200D]*$/u;
const WORD_RUNS = /[\p{L}\p{Nd}]+/gu;

/** True when `name` can be written as an identifier (property position: reserved words allowed). */
export function isIdentifierName(name: string): boolean {
  return IDENTIFIER.test(name);
}

/**
 * lowerCamelCase of the letter and digit runs of `text`, `_` before a leading digit:
 * `demo-engineering-flags` → `demoEngineeringFlags`, `max-items` → `maxItems`, `2col` → `_2col`,
 * `URL_config` → `urlConfig`. `undefined` when `text` has no letters or digits.
 */
export function toLowerCamelCase(text: string): string | undefined {
  const words = text.match(WORD_RUNS);
  if (!words) return undefined;
  const [first, ...rest] = words as [string, ...string[]];
  const head = first === first.toUpperCase() ? first.toLowerCase() : first[0]!.toLowerCase() + first.slice(1);
  const name = head + rest.map((word) => word[0]!.toUpperCase() + word.slice(1)).join("");
  return /^\p{Nd}/u.test(name) ? `_${name}` : name;
}

/** PascalCase of an export name: `demoEngineeringFlags` → `DemoEngineeringFlags`. */
export function toPascalCase(exportName: string): string {
  const start = exportName.startsWith("_") ? 1 : 0;
  return exportName.slice(0, start) + exportName.charAt(start).toUpperCase() + exportName.slice(start + 1);
}

/** kebab-case file name of an export name: `demoEngineeringFlags` → `demo-engineering-flags`. */
export function toFileName(exportName: string): string {
  const fileName = exportName
    .replace(/^_+/, "")
    .replace(/(\p{Ll}|\p{Nd})(\p{Lu})/gu, "$1-$2")
    .toLowerCase();
  // An export name of underscores only would leave nothing.
  return fileName === "" ? exportName : fileName;
}

function configPathOfMbox(mbox: string): string {
  return `mboxes[${JSON.stringify(mbox)}].exportName`;
}

function configPathOfKey(mbox: string, key: string): string {
  return `mboxes[${JSON.stringify(mbox)}].keys[${JSON.stringify(key)}].accessorName`;
}

/**
 * Names the types of a module's `$ref` targets after their titles or pointers, in the order of
 * their ids: a second type of the same name gets a number (`MenuItem2`), a name mboxgen declares
 * itself is an error.
 */
function nameDefinitions(ir: MboxIr, reserved: ReadonlySet<string>, onReserved: (name: string) => void): Map<string, DefinitionIr> {
  const named = new Map<string, DefinitionIr>();
  const taken = new Set<string>();
  for (const [id, definition] of [...ir.definitions].sort(([left], [right]) => (left < right ? -1 : left > right ? 1 : 0))) {
    const base = toPascalCase(toLowerCamelCase(definition.nameHint) ?? "definition");
    if (reserved.has(base)) onReserved(base);
    let typeName = base;
    for (let suffix = 2; taken.has(typeName) || reserved.has(typeName); suffix += 1) typeName = `${base}${suffix}`;
    taken.add(typeName);
    named.set(id, { ...definition, typeName });
  }
  return named;
}

/** Names every mbox and key, on fresh copies; reports every naming problem into `diagnostics`. */
export function name(mboxes: readonly MboxIr[], context: GenerateContext, diagnostics: Diagnostics): MboxIr[] {
  const named: MboxIr[] = [];
  const owners = { exportName: new Map<string, string>(), typeName: new Map<string, string>(), fileName: new Map<string, string>() };
  const claim = (what: "export name" | "type name" | "file name", registry: Map<string, string>, value: string, owner: string, mbox: string, file: string): void => {
    const key = what === "file name" ? value.toLowerCase() : value;
    const previous = registry.get(key);
    if (previous === undefined) registry.set(key, owner);
    else diagnostics.report(createGeneratorError("NAME_COLLISION", { what, name: value, first: previous, second: owner, configPath: configPathOfMbox(mbox) }, { file }));
  };

  for (const ir of mboxes) {
    const file = ir.sourcePath;
    const configured = context.mboxes[ir.mbox]?.exportName;
    const owner = `mbox ${JSON.stringify(ir.mbox)}`;
    let exportName = configured ?? toLowerCamelCase(ir.mbox);
    if (exportName === undefined) {
      diagnostics.report(createGeneratorError("NAME_UNDERIVABLE", { what: "export name", name: ir.mbox, configPath: configPathOfMbox(ir.mbox) }, { file }));
      exportName = "";
    } else if (!isIdentifierName(exportName) || exportName.startsWith("$")) {
      diagnostics.report(createGeneratorError("NAME_INVALID", { what: "export name", name: exportName, configPath: configPathOfMbox(ir.mbox) }, { file }));
    } else if (RESERVED_WORDS.has(exportName) || Object.hasOwn(RESERVED_EXPORT_NAMES, exportName)) {
      const reservedFor = RESERVED_EXPORT_NAMES[exportName] ?? "a JavaScript reserved word";
      diagnostics.report(createGeneratorError("NAME_RESERVED", { what: "export name", name: exportName, reservedFor, configPath: configPathOfMbox(ir.mbox) }, { file }));
    } else {
      const typeName = toPascalCase(exportName);
      claim("export name", owners.exportName, exportName, owner, ir.mbox, file);
      claim("type name", owners.typeName, typeName, owner, ir.mbox, file);
      claim("type name", owners.typeName, `${typeName}Accessors`, owner, ir.mbox, file);
      claim("file name", owners.fileName, toFileName(exportName), owner, ir.mbox, file);
    }
    if (toFileName(exportName) === "index") {
      diagnostics.report(createGeneratorError("NAME_RESERVED", { what: "export name", name: exportName, reservedFor: "its module would be index.ts", configPath: configPathOfMbox(ir.mbox) }, { file }));
    }

    const accessorOwners = new Map<string, string>();
    const attributes = ir.attributes.map((attribute) => {
      const configPath = configPathOfKey(ir.mbox, attribute.key);
      const configuredName = context.mboxes[ir.mbox]?.keys?.[attribute.key]?.accessorName;
      let accessorName = configuredName ?? (isIdentifierName(attribute.key) ? attribute.key : toLowerCamelCase(attribute.key));
      if (accessorName === undefined) {
        diagnostics.report(createGeneratorError("NAME_UNDERIVABLE", { what: "accessor name", name: attribute.key, configPath }, { file }));
        accessorName = "";
      } else if (!isIdentifierName(accessorName)) {
        diagnostics.report(createGeneratorError("NAME_INVALID", { what: "accessor name", name: accessorName, configPath }, { file }));
      } else if (Object.hasOwn(ACCESSOR_MEMBERS, accessorName)) {
        const reservedFor = ACCESSOR_MEMBERS[accessorName]!;
        diagnostics.report(createGeneratorError("NAME_RESERVED", { what: "accessor name", name: accessorName, reservedFor, configPath }, { file }));
      } else {
        const keyOwner = `key ${JSON.stringify(attribute.key)} of mbox ${JSON.stringify(ir.mbox)}`;
        const previous = accessorOwners.get(accessorName);
        if (previous === undefined) accessorOwners.set(accessorName, keyOwner);
        else diagnostics.report(createGeneratorError("NAME_COLLISION", { what: "accessor name", name: accessorName, first: previous, second: keyOwner, configPath }, { file }));
      }
      return { ...attribute, accessorName };
    });

    const typeName = toPascalCase(exportName);
    const accessorsTypeName = `${typeName}Accessors`;
    const definitions = nameDefinitions(ir, new Set([typeName, accessorsTypeName, ...Object.keys(RESERVED_EXPORT_NAMES)]), (name) =>
      diagnostics.report(
        createGeneratorError(
          "NAME_COLLISION",
          { what: "type name", name, first: "a type the schema declares (title or $defs)", second: `mboxgen's own declarations for mbox ${JSON.stringify(ir.mbox)}`, configPath: configPathOfMbox(ir.mbox) },
          { file },
        ),
      ),
    );
    named.push({ ...ir, exportName, typeName, accessorsTypeName, fileName: toFileName(exportName), attributes, definitions });
  }
  return named;
}
