/** The generator's version; part of every module's input hash, so an upgrade regenerates everything. */
export const GENERATOR_VERSION = "0.1.0";
