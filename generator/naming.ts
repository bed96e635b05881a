/**
 * Stages 2 and 6, `nameMboxes` and `nameMembers`: every mbox gets its export, type and file names
 * in one pass over all mboxes (quicktype's global naming pass), every key its accessor name and
 * every `$ref` target its type name in a pass over its own IR, so that a collision is found once and reported with the config
 * alias that resolves it. Never a silent suffix.
 */
import type { GenerateContext } from "./config.js";
import type { Diagnostics } from "./diagnostics.js";
import { createGeneratorError } from "./errors.js";
import type { AttributeIr, DefinitionIr, MboxIr, MboxNames } from "./ir.js";

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

/** JavaScript's own values that generated validators call: an export under one of these names would hide it. */
const GLOBAL_VALUE_NAMES: Record<string, string> = {
  Array: "generated validators call Array.isArray",
  Number: "generated validators call Number.isInteger",
  Object: "generated validators call Object.hasOwn",
};

/**
 * TypeScript's own types that generated modules name (`Exclude<…>` in accessors, `Array<-1>`):
 * a type the module declared under one of these names would hide it.
 */
const GLOBAL_TYPE_NAMES: ReadonlySet<string> = new Set(["Exclude", "Array"]);

/** Type names an mbox's offer or accessors type may not take, and why. */
const RESERVED_TYPE_NAMES: Record<string, string> = {
  MboxAccessors: "the runtime type every generated module imports",
  AccessorOptions: "a runtime type the generated index exports",
  FallbackEvent: "a runtime type the generated index exports",
  FallbackReason: "a runtime type the generated index exports",
  ...Object.fromEntries([...GLOBAL_TYPE_NAMES].map((name) => [name, `TypeScript's own ${name}, which generated modules use`])),
};

// Why the offer type (`Hero`) or accessors type (`HeroAccessors`) of an export name may not be, if so.
function reservedTypeName(exportName: string): string | undefined {
  for (const typeName of [offerTypeName(exportName), `${offerTypeName(exportName)}Accessors`]) {
    if (Object.hasOwn(RESERVED_TYPE_NAMES, typeName)) return `its type ${typeName} would take the name of ${RESERVED_TYPE_NAMES[typeName]}`;
  }
  return undefined;
}

// ECMAScript reserved words, strict-mode ones included: not usable as `export const` names.
const RESERVED_WORDS = new Set(
  (
    "break case catch class const continue debugger default delete do else enum export extends false finally for function if import in " +
    "instanceof new null return super switch this throw true try typeof var void while with yield let static implements interface " +
    "package private protected public await arguments eval undefined NaN Infinity"
  ).split(" "),
);

const IDENTIFIER = /^[\p{ID_Start}$_][\p{ID_Continue}$\u200C\u200D]*$/u;

/**
 * Characters a generated name may have: those of blocks complete since well before Unicode 12.1.
 * TypeScript 5's scanner reads identifiers by the Unicode 12.1 tables, so a letter added later
 * (`ꟓ`, U+A7D3, Unicode 14) in a name would not compile there, though Node.js calls it a letter.
 * Latin, Greek, Cyrillic, Hebrew, Arabic, Devanagari, Thai, Vietnamese, kana, CJK and Hangul.
 */
const PORTABLE = "$_0-9A-Za-z\\u00AA\\u00B5\\u00BA\\u00C0-\\u00D6\\u00D8-\\u00F6\\u00F8-\\u024F\\u0300-\\u036F\\u0370-\\u03FF\\u0400-\\u04FF\\u0591-\\u05F2\\u0600-\\u06FF\\u0900-\\u097F\\u0E01-\\u0E5B\\u1E00-\\u1FFF\\u3041-\\u309F\\u30A0-\\u30FF\\u4E00-\\u9FEF\\uAC00-\\uD7A3";
const PORTABLE_NAME = new RegExp(`^[${PORTABLE}]*$`, "u");
const WORD_RUNS = new RegExp(`(?:(?=[\\p{L}\\p{Nd}])[${PORTABLE}])+`, "gu");

/** True when `name` can be written as an identifier every supported TypeScript reads (property position: reserved words allowed). */
export function isIdentifierName(name: string): boolean {
  return IDENTIFIER.test(name) && PORTABLE_NAME.test(name);
}

// A case change that keeps the name portable, else the text as it was (Georgian capitals, say, are newer than its small letters).
function portableCase(text: string, toCase: "upper" | "lower"): string {
  const changed = toCase === "upper" ? text.toUpperCase() : text.toLowerCase();
  return PORTABLE_NAME.test(changed) ? changed : text;
}

/**
 * lowerCamelCase of the letter and digit runs of `text`, `_` before a leading digit:
 * `demo-engineering-flags` → `demoEngineeringFlags`, `max-items` → `maxItems`, `2col` → `_2col`,
 * `URL_config` → `urlConfig`. `undefined` when `text` has no letters or digits (of the portable ones).
 */
export function toLowerCamelCase(text: string): string | undefined {
  const words = text.match(WORD_RUNS);
  if (!words) return undefined;
  const [first, ...rest] = words as [string, ...string[]];
  const head = first === first.toUpperCase() ? portableCase(first, "lower") : portableCase(first[0]!, "lower") + first.slice(1);
  const name = head + rest.map((word) => portableCase(word[0]!, "upper") + word.slice(1)).join("");
  return /^\p{Nd}/u.test(name) ? `_${name}` : name;
}

/** PascalCase of an export name: `demoEngineeringFlags` → `DemoEngineeringFlags`. */
export function toPascalCase(exportName: string): string {
  const start = exportName.startsWith("_") ? 1 : 0;
  return exportName.slice(0, start) + portableCase(exportName.charAt(start), "upper") + exportName.slice(start + 1);
}

/**
 * The offer type's name for an export name: its PascalCase (`flags` → `Flags`), with `Offer`
 * appended where that would be the export name itself (`_2col`, or a configured `Hero`): the
 * index exports both, and one name cannot be a value and a type there.
 */
function offerTypeName(exportName: string): string {
  const typeName = toPascalCase(exportName);
  return typeName === exportName ? `${typeName}Offer` : typeName;
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
  // TypeScript's types that the module names are taken: a title `Array` gives the type `Array2`.
  const taken = new Set<string>(GLOBAL_TYPE_NAMES);
  // The next number to try after each base name, so that a thousand `Thing`s number in one pass.
  const nextSuffix = new Map<string, number>();
  for (const [id, definition] of [...ir.definitions].sort(([left], [right]) => (left < right ? -1 : left > right ? 1 : 0))) {
    const base = toPascalCase(toLowerCamelCase(definition.nameHint) ?? "definition");
    if (reserved.has(base)) onReserved(base);
    let typeName = base;
    let suffix = nextSuffix.get(base) ?? 2;
    while (taken.has(typeName) || reserved.has(typeName)) typeName = `${base}${suffix++}`;
    nextSuffix.set(base, suffix);
    taken.add(typeName);
    named.set(id, { ...definition, typeName });
  }
  return named;
}

/**
 * Names every mbox: export, type and file names, with every collision between mboxes reported
 * with the config alias that resolves it. An mbox's names depend on its name and config only, so
 * a module reused from a previous run is named without reading its schema again.
 */
export function nameMboxes(mboxes: ReadonlyArray<{ mbox: string; sourcePath: string }>, context: GenerateContext, diagnostics: Diagnostics): MboxNames[] {
  const owners = { exportName: new Map<string, string>(), typeName: new Map<string, string>(), fileName: new Map<string, string>() };
  const claim = (what: "export name" | "type name" | "file name", registry: Map<string, string>, value: string, owner: string, mbox: string, file: string): void => {
    const key = what === "file name" ? value.toLowerCase() : value;
    const previous = registry.get(key);
    if (previous === undefined) registry.set(key, owner);
    else diagnostics.report(createGeneratorError("NAME_COLLISION", { what, name: value, first: previous, second: owner, configPath: configPathOfMbox(mbox) }, { file }));
  };

  return mboxes.map(({ mbox, sourcePath: file }) => {
    const configured = context.mboxes[mbox]?.exportName;
    const owner = `mbox ${JSON.stringify(mbox)}`;
    let exportName = configured ?? toLowerCamelCase(mbox);
    if (exportName === undefined) {
      diagnostics.report(createGeneratorError("NAME_UNDERIVABLE", { what: "export name", name: mbox, configPath: configPathOfMbox(mbox) }, { file }));
      exportName = "";
    } else if (!isIdentifierName(exportName) || exportName.startsWith("$")) {
      diagnostics.report(createGeneratorError("NAME_INVALID", { what: "export name", name: exportName, configPath: configPathOfMbox(mbox) }, { file }));
    } else if (RESERVED_WORDS.has(exportName) || Object.hasOwn(RESERVED_EXPORT_NAMES, exportName) || Object.hasOwn(GLOBAL_VALUE_NAMES, exportName)) {
      const reservedFor = RESERVED_EXPORT_NAMES[exportName] ?? GLOBAL_VALUE_NAMES[exportName] ?? "a JavaScript reserved word";
      diagnostics.report(createGeneratorError("NAME_RESERVED", { what: "export name", name: exportName, reservedFor, configPath: configPathOfMbox(mbox) }, { file }));
    } else if (reservedTypeName(exportName) !== undefined) {
      diagnostics.report(createGeneratorError("NAME_RESERVED", { what: "export name", name: exportName, reservedFor: reservedTypeName(exportName)!, configPath: configPathOfMbox(mbox) }, { file }));
    } else {
      const typeName = offerTypeName(exportName);
      claim("export name", owners.exportName, exportName, owner, mbox, file);
      claim("type name", owners.typeName, typeName, owner, mbox, file);
      claim("type name", owners.typeName, `${typeName}Accessors`, owner, mbox, file);
      claim("file name", owners.fileName, toFileName(exportName), owner, mbox, file);
    }
    if (toFileName(exportName) === "index") {
      diagnostics.report(createGeneratorError("NAME_RESERVED", { what: "export name", name: exportName, reservedFor: "its module would be index.ts", configPath: configPathOfMbox(mbox) }, { file }));
    }
    const typeName = offerTypeName(exportName);
    return { mbox, sourcePath: file, exportName, typeName, accessorsTypeName: `${typeName}Accessors`, fileName: toFileName(exportName) };
  });
}

/** The React hooks of a key (`generate --openfeature react`): value, details, suspense. */
export function hookNamesOf(accessorName: string): [value: string, details: string, suspense: string] {
  const base = `use${toPascalCase(accessorName)}`;
  return [base, `${base}Details`, `${base}Suspense`];
}

/** The React hooks of keys whose accessor names differ may still meet (`foo` and `Foo`, `foo` and `fooDetails`): each hook name has one key. */
function checkHookNames(ir: MboxIr, attributes: readonly AttributeIr[], file: string, diagnostics: Diagnostics): void {
  const owners = new Map<string, string>();
  for (const attribute of attributes) {
    if (attribute.accessorName === "") continue;
    const owner = `key ${JSON.stringify(attribute.key)} of mbox ${JSON.stringify(ir.mbox)}`;
    for (const hook of hookNamesOf(attribute.accessorName)) {
      const previous = owners.get(hook);
      if (previous === undefined) owners.set(hook, owner);
      else if (previous !== owner) diagnostics.report(createGeneratorError("NAME_COLLISION", { what: "hook name", name: hook, first: previous, second: owner, configPath: configPathOfKey(ir.mbox, attribute.key) }, { file }));
    }
  }
}

/**
 * Names what one mbox's schema declares, on a fresh copy of its IR: every key's accessor name
 * and every `$ref` target's type name; reports every naming problem into `diagnostics`.
 */
export function nameMembers(ir: MboxIr, names: MboxNames, context: GenerateContext, diagnostics: Diagnostics): MboxIr {
  const file = ir.sourcePath;
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
  if (context.openfeature.includes("react")) checkHookNames(ir, attributes, file, diagnostics);

  const definitions = nameDefinitions(ir, new Set([names.typeName, names.accessorsTypeName, ...Object.keys(RESERVED_EXPORT_NAMES)]), (name) =>
    diagnostics.report(
      createGeneratorError(
        "NAME_COLLISION",
        { what: "type name", name, first: "a type the schema declares (title or $defs)", second: `mboxgen's own declarations for mbox ${JSON.stringify(ir.mbox)}`, configPath: configPathOfMbox(ir.mbox) },
        { file },
      ),
    ),
  );
  return { ...ir, ...names, attributes, definitions };
}
