/**
 * What Target's Admin API says each mbox can serve: every activity that can deliver JSON offers
 * to an mbox (A/B, Experience Targeting, Auto-Target, Auto-Allocate), its experiences joined to
 * locations (mboxes) and options (offers), and the JSON offers fetched once each. A call that
 * fails for one activity or offer is recorded as unread; the rest is still read.
 */
import { AdminApiError, type AdminClient } from "./admin-client.js";
import type { ActivityListDescription, ActivityType, JsonOffer, OfferListDescription } from "./admin-types.js";

/** What the UI calls an activity, from its API state and dates. */
export type ActivityStatus = "live" | "scheduled" | "ended" | "inactive" | "archived";

/** An activity, as reports name it. */
export interface AuthoredActivity {
  id: number;
  name: string;
  type: ActivityType;
  /** The API state: `approved`, `saved`, `deactivated`. */
  state: string;
  status: ActivityStatus;
  startsAt?: string;
  endsAt?: string;
  workspace?: string;
}

/** One offer an experience of an activity serves on one mbox. */
export interface AuthoredServing {
  activity: AuthoredActivity;
  /** The experience (Auto-Target's automated options have none). */
  experience: { id: number | undefined; name: string | undefined };
  mbox: string;
  offer: { id: number; name: string | undefined; type: string; content?: unknown };
}

/** Something the run could not read, and why. */
export interface UnreadItem {
  what: string;
  reason: string;
}

/** Everything authored for the tenant's mboxes. */
export interface AuthoredOffers {
  activities: AuthoredActivity[];
  servings: AuthoredServing[];
  /** Activities of types that deliver no JSON offers to mboxes (recommendations, multivariate), by id. */
  skipped: Array<{ id: number; name: string; type: string }>;
  unread: UnreadItem[];
}

/** Which activities to read. */
export interface AuthoredOffersFilter {
  activityIds?: readonly number[] | undefined;
  /** Statuses (`live`, `scheduled`, `ended`, `inactive`, `archived`) or API states (`approved`, `saved`, `deactivated`). */
  states?: readonly string[] | undefined;
  workspaces?: readonly string[] | undefined;
}

const JSON_ACTIVITY_TYPES: ReadonlySet<string> = new Set(["ab", "xt", "abt", "auto_allocate", "autoallocate"]);

/** The UI status of an activity (Adobe's table in ActivityState). */
export function statusOf(state: string | undefined, startsAt: string | undefined, endsAt: string | undefined, now: number): ActivityStatus {
  if (state === "saved") return "inactive";
  if (state !== "approved") return "archived";
  const start = startsAt ? Date.parse(startsAt) : Number.NaN;
  const end = endsAt ? Date.parse(endsAt) : Number.NaN;
  if (!Number.isNaN(end) && end <= now) return "ended";
  if (!Number.isNaN(start) && start > now) return "scheduled";
  return "live";
}

const records = (value: unknown): Array<Record<string, any>> => (Array.isArray(value) ? value.filter((item): item is Record<string, any> => typeof item === "object" && item !== null) : []);

/**
 * The (experience, location, option) triples of an activity's definition: `experiences[].optionLocations`
 * for A/B, Experience Targeting and Auto-Allocate; the control and explicit experiences'
 * `locationOptions` and the automated `locationOptions` for Auto-Target.
 */
function triplesOf(definition: Record<string, any>): Array<{ experience: { id: number | undefined; name: string | undefined }; location: unknown; option: unknown }> {
  const triples: Array<{ experience: { id: number | undefined; name: string | undefined }; location: unknown; option: unknown }> = [];
  const experienceOf = (experience: Record<string, any>, fallbackName?: string) => ({
    id: typeof experience.experienceLocalId === "number" ? experience.experienceLocalId : undefined,
    name: typeof experience.name === "string" ? experience.name : fallbackName,
  });
  for (const experience of records(definition.experiences)) {
    for (const pair of records(experience.optionLocations)) triples.push({ experience: experienceOf(experience), location: pair.locationLocalId, option: pair.optionLocalId });
  }
  const control = definition.controlExperience?.custom;
  if (control && typeof control === "object") for (const pair of records(control.locationOptions)) triples.push({ experience: experienceOf(control, "Control"), location: pair.locationLocalId, option: pair.optionLocalId });
  for (const experience of records(definition.targetedExperience?.explicit?.explicitExperiences)) {
    for (const pair of records(experience.locationOptions)) triples.push({ experience: experienceOf(experience), location: pair.locationLocalId, option: pair.optionLocalId });
  }
  for (const location of records(definition.targetedExperience?.automatic?.locationOptions)) {
    for (const option of records(location.options)) triples.push({ experience: { id: undefined, name: undefined }, location: location.locationLocalId, option: option.optionLocalId });
  }
  return triples;
}

async function inPool<Item>(items: readonly Item[], concurrency: number, work: (item: Item) => Promise<void>): Promise<void> {
  let next = 0;
  await Promise.all(Array.from({ length: Math.min(concurrency, items.length) }, async () => {
    while (next < items.length) await work(items[next++]!);
  }));
}

const reasonOf = (error: unknown) => (error instanceof AdminApiError ? error.message : error instanceof Error ? error.message : String(error));

/** Reads every activity that can serve JSON offers to mboxes, with its offers. Listing failures reject; per-item failures are `unread`. */
export async function readAuthoredOffers(client: AdminClient, filter: AuthoredOffersFilter = {}, now = Date.now(), concurrency = 4): Promise<AuthoredOffers> {
  const [listed, offerList] = await Promise.all([client.listActivities(), client.listOffers()]);
  const offersById = new Map<number, OfferListDescription>();
  for (const offer of offerList) if (typeof offer.id === "number") offersById.set(offer.id, offer);
  const activities: AuthoredActivity[] = [];
  const skipped: AuthoredOffers["skipped"] = [];
  for (const entry of listed as ActivityListDescription[]) {
    if (typeof entry.id !== "number" || entry.state === "deleted") continue;
    const startsAt = entry.startsAt ?? entry.lifetime?.start;
    const endsAt = entry.endsAt ?? entry.lifetime?.end;
    const activity: AuthoredActivity = {
      id: entry.id,
      name: entry.name ?? `activity ${entry.id}`,
      type: (entry.type ?? "ab") as ActivityType,
      state: entry.state ?? "approved",
      status: statusOf(entry.state, startsAt, endsAt, now),
      ...(startsAt ? { startsAt } : {}),
      ...(endsAt ? { endsAt } : {}),
      ...(entry.workspace !== undefined ? { workspace: entry.workspace } : {}),
    };
    if (filter.activityIds && filter.activityIds.length > 0 && !filter.activityIds.includes(activity.id)) continue;
    if (filter.states && filter.states.length > 0 && !filter.states.includes(activity.status) && !filter.states.includes(activity.state)) continue;
    if (filter.workspaces && filter.workspaces.length > 0 && !filter.workspaces.includes(activity.workspace ?? "")) continue;
    if (!JSON_ACTIVITY_TYPES.has(activity.type)) {
      skipped.push({ id: activity.id, name: activity.name, type: activity.type });
      continue;
    }
    activities.push(activity);
  }

  const unread: UnreadItem[] = [];
  const servings: AuthoredServing[] = [];
  await inPool(activities, concurrency, async (activity) => {
    let definition: Record<string, any>;
    try {
      definition = await client.getActivity(activity.type, activity.id);
    } catch (error) {
      unread.push({ what: `${activity.type} activity ${activity.id} "${activity.name}"`, reason: reasonOf(error) });
      return;
    }
    const mboxes = new Map<unknown, string>(records(definition.locations?.mboxes).filter((mbox) => typeof mbox.name === "string").map((mbox) => [mbox.locationLocalId, mbox.name as string]));
    const options = new Map<unknown, Record<string, any>>(records(definition.options).map((option) => [option.optionLocalId, option]));
    const seen = new Set<string>();
    for (const { experience, location, option } of triplesOf(definition)) {
      const mbox = mboxes.get(location);
      const offerId = options.get(option)?.offerId;
      if (mbox === undefined || typeof offerId !== "number") continue;
      const key = `${experience.id}:${mbox}:${offerId}`;
      if (seen.has(key)) continue;
      seen.add(key);
      const listedOffer = offersById.get(offerId);
      servings.push({ activity, experience, mbox, offer: { id: offerId, name: listedOffer?.name, type: listedOffer?.type ?? "unknown" } });
    }
  });

  // Each JSON offer once, whoever serves it.
  const jsonOfferIds = [...new Set(servings.filter((serving) => serving.offer.type === "json").map((serving) => serving.offer.id))];
  const contents = new Map<number, JsonOffer>();
  await inPool(jsonOfferIds, concurrency, async (id) => {
    try {
      contents.set(id, await client.getJsonOffer(id));
    } catch (error) {
      unread.push({ what: `JSON offer ${id}${offersById.get(id)?.name ? ` "${offersById.get(id)!.name}"` : ""}`, reason: reasonOf(error) });
    }
  });
  for (const serving of servings) {
    const offer = contents.get(serving.offer.id);
    if (offer) serving.offer = { ...serving.offer, name: serving.offer.name ?? offer.name, content: offer.content };
  }
  const order = (left: AuthoredServing, right: AuthoredServing) => left.activity.id - right.activity.id || (left.experience.id ?? -1) - (right.experience.id ?? -1) || (left.mbox < right.mbox ? -1 : left.mbox > right.mbox ? 1 : 0) || left.offer.id - right.offer.id;
  servings.sort(order);
  unread.sort((left, right) => (left.what < right.what ? -1 : 1));
  activities.sort((left, right) => left.id - right.id);
  return { activities, servings, skipped, unread };
}
