/**
 * The emulator's activities file: its types and its validation (ajv against
 * activities.schema.json). Decisions come from the rules artifact built from it (artifact.ts).
 */
import { Ajv2020 } from "ajv/dist/2020.js";
import activitiesSchema from "./activities.schema.json" with { type: "json" };
import { createGeneratorError, GeneratorErrors } from "../errors.js";
import { fromJsonPointer, locate, type JsonDocument } from "../json-document.js";
import { describeViolations } from "../schema-violations.js";

/** Who qualifies for an activity, by one mbox parameter. */
export interface Audience {
  parameter: string;
  equals?: string;
  oneOf?: string[];
}

/** One experience of an activity and the JSON offer it serves. */
export interface Experience {
  id: number;
  name: string;
  weight: number;
  offer: { id: number; name: string; content: Record<string, unknown> };
}

/** One activity on an mbox. */
export interface Activity {
  id: number;
  name: string;
  type: "ab" | "xt" | "ap";
  audience?: Audience;
  experiences: Experience[];
}

/** The activities file. */
export interface ActivitiesFile {
  qaToken?: string;
  /** What its Edge Network answers as: the organization of its `kndctr_*` cookies, the one datastream it accepts. */
  edge?: { organizationId?: string; datastreamId?: string };
  mboxes: Record<string, Activity[]>;
}

const validateActivities = new Ajv2020({ allErrors: true, verbose: true, strict: false }).compile(activitiesSchema);

/**
 * Checks an activities file; throws `GeneratorErrors` naming each problem's JSON pointer, with
 * line and column when the file's JSON document is given.
 */
export function parseActivities(value: unknown, source: { file: string; document?: JsonDocument } = { file: "activities" }): ActivitiesFile {
  if (validateActivities(value)) return value as unknown as ActivitiesFile;
  throw new GeneratorErrors(
    describeViolations(validateActivities.errors).map(({ pointer, reason, isKey }) =>
      createGeneratorError("ACTIVITIES_INVALID", { reason }, source.document ? locate(source.document, fromJsonPointer(pointer), isKey ? "key" : "value") : { file: source.file, pointer }),
    ),
  );
}
