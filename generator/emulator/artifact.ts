/**
 * An activities file as an on-device rules artifact (TARGET-PROTOCOL.md §10.1): one rule per
 * experience, in file order (the first qualifying activity of a mbox wins, as on Target), each with
 * its audience and its share of the allocation, its JSON offer, event token and response-token meta.
 * The emulator serves it at Adobe's artifact path and decides its own Delivery API responses
 * from it with the runtime's engine, so that remote and on-device apps agree.
 */
import type { ArtifactRule, DecisioningArtifact } from "@mboxgen/runtime/on-device";
import { isLive, type Activity, type ActivitiesFile, type Audience, type Experience } from "./activities.js";

/** The client code the emulator's artifact and decisions use (allocation hashes it). */
export const EMULATOR_CLIENT = "emulator";

/** Target's names for the activity types of the file. */
const ACTIVITY_TYPES: Record<Activity["type"], string> = { ab: "ab", xt: "landing", ap: "ap", abt: "abt", autoallocate: "ab" };

/** The response tokens the emulator's artifact asks for. */
const RESPONSE_TOKENS = ["activity.id", "activity.name", "activity.type", "experience.id", "experience.name", "offer.id", "offer.name", "option.id", "option.name"];

/** The event token of an experience: stable, opaque, distinct per activity and experience. */
export function eventTokenOf(activity: Activity, experience: Experience): string {
  return btoa(`mboxgen-emulator:${activity.id}:${experience.id}`);
}

function audienceCondition(audience: Audience | undefined): unknown[] {
  if (!audience) return [];
  const parameter = { var: `mbox.${audience.parameter}` };
  return [audience.equals !== undefined ? { "==": [parameter, audience.equals] } : { in: [parameter, audience.oneOf ?? []] }];
}

function rulesOf(mbox: string, activity: Activity): ArtifactRule[] {
  const total = activity.experiences.reduce((sum, experience) => sum + experience.weight, 0);
  let start = 0;
  return activity.experiences.map((experience, position) => {
    const end = position === activity.experiences.length - 1 ? 100 : start + (experience.weight / total) * 100;
    // Allocation is 0 to 99.99: [start, end) for every experience, the last one up to 100.
    const allocation = [{ "<=": [start, { var: "allocation" }] }, position === activity.experiences.length - 1 ? { "<=": [{ var: "allocation" }, 100] } : { "<": [{ var: "allocation" }, end] }];
    start = end;
    return {
      ruleKey: String(activity.id),
      activityId: activity.id,
      meta: {
        "activity.id": activity.id,
        "activity.name": activity.name,
        "activity.type": ACTIVITY_TYPES[activity.type],
        "experience.id": experience.id,
        "experience.name": experience.name,
        "location.id": 0,
        "location.name": mbox,
        "location.type": "mbox",
        "offer.id": experience.offer.id,
        "offer.name": experience.offer.name,
        "option.id": 1,
        "option.name": "Offer1",
        "audience.ids": activity.audience ? [activity.id] : [],
      },
      condition: { and: [...audienceCondition(activity.audience), ...allocation] },
      consequence: {
        name: mbox,
        options: [{ type: "json", eventToken: eventTokenOf(activity, experience), content: experience.offer.content }],
        metrics: [],
      },
    };
  });
}

/** The rules artifact of an activities file, for the given Target environment (every activity, or those live at `liveAt`). */
export function buildArtifact(file: ActivitiesFile, environment = "production", options: { liveAt?: number } = {}): DecisioningArtifact {
  const mboxes = Object.keys(file.mboxes);
  // With `liveAt`, only the activities that decide visitors then (approved, within their dates).
  const activitiesOf = (mbox: string) => file.mboxes[mbox]!.filter((activity) => options.liveAt === undefined || isLive(activity, options.liveAt));
  return {
    version: "1.0.0",
    meta: { clientCode: EMULATOR_CLIENT, environment, generatedAt: "1970-01-01T00:00:00.000Z", organizationId: "EMULATOR@AdobeOrg" },
    globalMbox: "target-global-mbox",
    geoTargetingEnabled: false,
    responseTokens: RESPONSE_TOKENS,
    remoteMboxes: [],
    localMboxes: mboxes,
    remoteViews: [],
    localViews: [],
    rules: { mboxes: Object.fromEntries(mboxes.map((mbox) => [mbox, activitiesOf(mbox).flatMap((activity) => rulesOf(mbox, activity))])), views: {} },
  };
}
