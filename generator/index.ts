/**
 * mboxgen's build-time API: `generate` returns the typed modules for a set of mbox schemas
 * without touching the disk (`readSchemaFolder` reads a folder for it); `startEmulator` serves an
 * activities file as a local Delivery API; `runCli` is the `mboxgen` command line.
 */
export { generate } from "./generate.js";
export type { GenerateInput, GenerateResult, GeneratedFile } from "./generate.js";
export type { KeyConfig, MboxConfig, MboxgenConfig, OpenFeatureOutput } from "./config.js";
export type { SchemaSource } from "./json-document.js";
export { GeneratorError, GeneratorErrors, isGeneratorError } from "./errors.js";
export type { ErrorLocation, GeneratorErrorCode } from "./errors.js";
export { readSchemaFolder } from "./cli/files.js";
export { runCli } from "./cli/main.js";
export type { CliEnvironment } from "./cli/environment.js";
export { GENERATOR_VERSION } from "./version.js";
export { startEmulator } from "./emulator/emulator.js";
export type { EmulatorOptions, EmulatorStats, RunningEmulator } from "./emulator/emulator.js";
export { parseActivities } from "./emulator/activities.js";
export { buildArtifact } from "./emulator/artifact.js";
export type { ActivitiesFile, Activity, Audience, Experience } from "./emulator/activities.js";
