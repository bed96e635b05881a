/**
 * The emulator's activities file: its types and its validation (ajv against
 * activities.schema.json). Decisions come from the rules artifact built from it (artifact.ts).
 */
import { Ajv2020 } from "ajv/dist/2020.js";
import activitiesSchema from "./activities.schema.json" with { type: "json" };
import { createGeneratorError, GeneratorErrors } from "../errors.js";
import { fromJsonPointer, locate, toJsonPointer, type JsonDocument } from "../json-document.js";
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
  type: "ab" | "xt" | "ap" | "abt" | "autoallocate";
  audience?: Audience;
  experiences: Experience[];
  /** The Admin API's state; absent means approved. */
  state?: "approved" | "saved" | "deactivated";
  /** ISO 8601 start; an approved activity whose start is ahead is scheduled. */
  startsAt?: string;
  /** ISO 8601 end; an approved activity whose end is past has ended. */
  endsAt?: string;
  /** The Admin API workspace id; absent means "default". */
  workspace?: string;
  priority?: number;
}

/** What the emulator's Admin API and IMS token endpoint answer as. */
export interface AdminSettings {
  tenant: string;
  clientId: string;
  clientSecret: string;
  /** Seconds an IMS token lives. */
  tokenLifetime?: number;
}

/** The activities file. */
export interface ActivitiesFile {
  qaToken?: string;
  /** What its Edge Network answers as: the organization of its `kndctr_*` cookies, the one datastream it accepts. */
  edge?: { organizationId?: string; datastreamId?: string };
  /** What its Admin API answers as. */
  admin?: AdminSettings;
  /** Offers that experiences name by id (resolved by `parseActivities`: every experience then holds its offer). */
  offers?: Array<Experience["offer"]>;
  mboxes: Record<string, Activity[]>;
}

const validateActivities = new Ajv2020({ allErrors: true, verbose: true, strict: false, validateFormats: false }).compile(activitiesSchema);

/** Whether an activity decides visitors at `now`: approved (the default) and within its dates. */
export function isLive(activity: Activity, now = Date.now()): boolean {
  if ((activity.state ?? "approved") !== "approved") return false;
  if (activity.startsAt !== undefined && Date.parse(activity.startsAt) > now) return false;
  return activity.endsAt === undefined || Date.parse(activity.endsAt) > now;
}

// Before resolution, an experience's offer may be a reference ({ id }) to a shared one.
const hasContent = (offer: Experience["offer"]): boolean => Object.hasOwn(offer, "content");
const sameOffer = (left: Experience["offer"], right: Experience["offer"]) => left.name === right.name && JSON.stringify(left.content) === JSON.stringify(right.content);

// Offers by id resolved into every experience, dates read: each problem with its JSON pointer.
// Offers written inline may reuse an id with other content (each placement keeps its own, as
// decisions always did); an id that `offers` defines, or that a reference names, means one offer.
function resolveOffers(file: ActivitiesFile): Array<{ pointer: string; reason: string }> {
  const problems: Array<{ pointer: string; reason: string }> = [];
  const shared = new Map<number, { offer: Experience["offer"]; pointer: string }>();
  file.offers?.forEach((offer, index) => {
    const pointer = `/offers/${index}`;
    const known = shared.get(offer.id);
    if (!known) shared.set(offer.id, { offer, pointer });
    else problems.push({ pointer: `${pointer}/id`, reason: `offer ${offer.id} is defined twice in "offers" (also at ${known.pointer}); give each shared offer its own id` });
  });
  const inline = new Map<number, { offer: Experience["offer"]; pointer: string }>();
  const references = new Map<number, string>();
  const mboxes = Object.entries(file.mboxes);
  const each = (visit: (experience: Experience, at: string) => void) => {
    for (const [mbox, activities] of mboxes) {
      activities.forEach((activity, activityIndex) => {
        activity.experiences.forEach((experience, index) => visit(experience, toJsonPointer(["mboxes", mbox, activityIndex, "experiences", index, "offer"])));
      });
    }
  };
  for (const [mbox, activities] of mboxes) {
    activities.forEach((activity, activityIndex) => {
      const at = toJsonPointer(["mboxes", mbox, activityIndex]);
      for (const field of ["startsAt", "endsAt"] as const) {
        if (activity[field] !== undefined && Number.isNaN(Date.parse(activity[field]!))) problems.push({ pointer: `${at}/${field}`, reason: `must be an ISO 8601 date-time (such as 2027-01-31T00:00:00Z), got ${JSON.stringify(activity[field])}` });
      }
    });
  }
  each((experience, pointer) => {
    if (hasContent(experience.offer)) {
      if (!inline.has(experience.offer.id)) inline.set(experience.offer.id, { offer: experience.offer, pointer });
    } else if (!references.has(experience.offer.id)) references.set(experience.offer.id, pointer);
  });
  each((experience, pointer) => {
    const { id } = experience.offer;
    if (hasContent(experience.offer)) {
      const known = shared.get(id) ?? (references.has(id) ? inline.get(id) : undefined);
      if (known && known.offer !== experience.offer && !sameOffer(known.offer, experience.offer)) {
        problems.push({ pointer, reason: `offer ${id} is also defined at ${known.pointer} with another name or content, and ${shared.has(id) ? `"offers" defines it` : `${references.get(id)} names it by id`}; a shared offer is defined once (in "offers") and named by {"id": ${id}}` });
      }
      return;
    }
    const known = shared.get(id) ?? inline.get(id);
    if (known) experience.offer = known.offer;
    else problems.push({ pointer: `${pointer}/id`, reason: `names offer ${id}, which no offer defines (add it to "offers" with its name and content)` });
  });
  return problems;
}

/**
 * Checks an activities file; throws `GeneratorErrors` naming each problem's JSON pointer, with
 * line and column when the file's JSON document is given.
 */
export function parseActivities(value: unknown, source: { file: string; document?: JsonDocument } = { file: "activities" }): ActivitiesFile {
  const where = (pointer: string, isKey = false) => (source.document ? locate(source.document, fromJsonPointer(pointer), isKey ? "key" : "value") : { file: source.file, pointer });
  if (!validateActivities(value)) {
    throw new GeneratorErrors(describeViolations(validateActivities.errors).map(({ pointer, reason, isKey }) => createGeneratorError("ACTIVITIES_INVALID", { reason }, where(pointer, isKey))));
  }
  // A copy: resolving offers writes into it, never into the caller's object.
  const file = structuredClone(value) as unknown as ActivitiesFile;
  const problems = resolveOffers(file);
  if (problems.length > 0) throw new GeneratorErrors(problems.map(({ pointer, reason }) => createGeneratorError("ACTIVITIES_INVALID", { reason }, where(pointer))));
  return file;
}
