/**
 * The on-device decisioning artifact (`rules.json`, TARGET-PROTOCOL.md §10.1), as Target's CDN
 * serves it. Adobe ships these as `DecisioningArtifact.d.ts`; written for mboxgen.
 */
import type { Option } from "../delivery-api/delivery-types.js";

/** A metric of a rule's consequence: a display or click event with its token. */
export interface ArtifactMetric {
  type?: "display" | "click" | (string & {});
  eventToken?: string;
  selector?: string;
}

/** One rule: an activity experience, its audience condition (JsonLogic) and what it delivers. */
export interface ArtifactRule {
  ruleKey?: string;
  activityId?: number;
  /** The rule only applies to requests with one of these property tokens (none: to every request). */
  propertyTokens?: string[];
  /** `activity.id`, `activity.name`, `experience.id`, `offer.id`, `audience.ids`, ... */
  meta?: Record<string, unknown>;
  condition?: unknown;
  consequence?: { name?: string; options?: Option[]; metrics?: ArtifactMetric[]; [key: string]: unknown };
}

/** `rules.json`. */
export interface DecisioningArtifact {
  /** `"1.0.0"`: the major version must be 1. */
  version: string;
  meta?: { clientCode?: string; environment?: string; generatedAt?: string; organizationId?: string; workspace?: string | number; [key: string]: unknown };
  /** The page-load mbox, `"target-global-mbox"` by default. */
  globalMbox?: string;
  /** When true, a request with only `context.geo.ipAddress` triggers a geo lookup. */
  geoTargetingEnabled?: boolean;
  /** Response token names to return, e.g. `"activity.id"`, `"geo.city"`. */
  responseTokens?: string[];
  remoteMboxes?: string[];
  localMboxes?: string[];
  remoteViews?: string[];
  localViews?: string[];
  rules: { mboxes?: Record<string, ArtifactRule[]>; views?: Record<string, ArtifactRule[]> };
}
