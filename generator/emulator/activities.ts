/**
 * The emulator's activities file: its types, its validation (ajv against activities.schema.json),
 * and deterministic allocation of visitors to experiences.
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

/** FNV-1a, 32 bits: a stable hash for allocation (not for security). */
function hash32(text: string): number {
  let hash = 0x811c9dc5;
  for (let index = 0; index < text.length; index += 1) {
    hash ^= text.charCodeAt(index);
    hash = Math.imul(hash, 0x01000193) >>> 0;
  }
  return hash;
}

/** The experience a visitor gets in an activity: the same one every time, in proportion to the weights. */
export function allocate(activity: Activity, visitorId: string): Experience {
  const total = activity.experiences.reduce((sum, experience) => sum + experience.weight, 0);
  const point = (hash32(`${activity.id}.${visitorId}`) / 0x100000000) * total;
  let cumulative = 0;
  for (const experience of activity.experiences) {
    cumulative += experience.weight;
    if (point < cumulative) return experience;
  }
  return activity.experiences[activity.experiences.length - 1]!;
}

/** True when the mbox parameters qualify for the audience (no audience: everyone). */
export function qualifies(audience: Audience | undefined, parameters: Record<string, unknown> | undefined): boolean {
  if (!audience) return true;
  const value = parameters?.[audience.parameter];
  if (typeof value !== "string") return false;
  return audience.equals !== undefined ? value === audience.equals : (audience.oneOf ?? []).includes(value);
}
