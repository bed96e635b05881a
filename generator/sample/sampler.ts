/**
 * `mboxgen sample`: asks a Delivery API for the mboxes as many synthetic visitors, and, with a QA
 * token, walks `qaMode.previewIndexes` over activities and experiences so that every experience
 * is seen deterministically. Returns the offers and a coverage report; writes nothing.
 */
import type { AttributesClient } from "@mboxgen/runtime";
import { createGeneratorError, GeneratorErrors } from "../errors.js";
import { describeNetworkFailure } from "../network-failure.js";

/** Options of a sampling run. */
export interface SampleOptions {
  mboxes: readonly string[];
  /** mboxgen's client (or any with Adobe's getAttributes and getResponse()). */
  client: AttributesClient;
  /** Synthetic visitors to ask as. Default 200. */
  visitors?: number;
  /** Mbox parameters sent with every mbox (audiences often target them). */
  parameters?: Record<string, string>;
  /** With a token: walk activity and experience indexes (1-based, as Target). */
  qaToken?: string;
  qaMaxActivities?: number;
  qaMaxExperiences?: number;
  /** Requests in flight at once. Default 8. */
  concurrency?: number;
  /** Hard cap on requests. Default 1000. */
  maxRequests?: number;
  /** Stops the run; it then rejects, and nothing should be written. */
  signal?: AbortSignal;
  /** Called after every request. */
  onProgress?: (done: number, planned: number) => void;
}

/** One experience seen, from the response tokens. */
export interface SeenExperience {
  activityId: string;
  activityName?: string;
  experienceId: string;
  experienceName?: string;
}

/** What sampling found for one mbox. */
export interface MboxSampleReport {
  mbox: string;
  requests: number;
  /** Offers (the mbox's merged JSON) that Target served. */
  offers: Record<string, unknown>[];
  /** Distinct experiences, keyed `<activity id>:<experience id>`. */
  experiences: Map<string, SeenExperience>;
}

/** The whole run. */
export interface SampleResult {
  mboxes: MboxSampleReport[];
  requests: number;
  coverage: "complete" | "partial";
  /** Why coverage is what it is, in words. */
  coverageReason: string;
}

interface ProviderWithResponse {
  asObject(mbox: string): Record<string, unknown>;
  getResponse(): { response?: { execute?: { mboxes?: Array<{ name?: string; options?: Array<{ type?: string; responseTokens?: Record<string, unknown> }> }> } } };
}

/** Samples the mboxes; rejects with `GeneratorErrors` when a request fails or the run is stopped. */
export async function sample(options: SampleOptions): Promise<SampleResult> {
  const visitors = options.visitors ?? 200;
  const concurrency = Math.max(1, options.concurrency ?? 8);
  const maxRequests = options.maxRequests ?? 1000;
  const qaMaxActivities = options.qaMaxActivities ?? 10;
  const qaMaxExperiences = options.qaMaxExperiences ?? 10;
  const planned = Math.min(maxRequests, visitors + (options.qaToken ? qaMaxActivities * qaMaxExperiences : 0));
  const reports = new Map<string, MboxSampleReport>(options.mboxes.map((mbox) => [mbox, { mbox, requests: 0, offers: [], experiences: new Map() }]));
  let requests = 0;

  // Resolves with the experience keys of the response.
  const ask = async (tntId: string, qaMode?: Record<string, unknown>): Promise<Set<string>> => {
    if (options.signal?.aborted) throw new GeneratorErrors([createGeneratorError("SAMPLING_INCOMPLETE", { reason: "stopped" })]);
    requests += 1;
    const request = {
      id: { tntId },
      context: { channel: "web" as const },
      execute: { mboxes: options.mboxes.map((name, index) => ({ name, index: index + 1, ...(options.parameters ? { parameters: options.parameters } : {}) })) },
      ...(qaMode ? { qaMode } : {}),
    };
    let provider: ProviderWithResponse;
    try {
      provider = (await options.client.getAttributes([...options.mboxes], { request })) as unknown as ProviderWithResponse;
    } catch (error) {
      const url = (error as { url?: unknown }).url;
      const where = typeof url === "string" ? url : "the Delivery API";
      const { reason, fix } = describeNetworkFailure(error, where, { host: "--client or --server-domain", timeout: "--timeout" });
      throw new GeneratorErrors([createGeneratorError("TARGET_UNREACHABLE", { url: where, reason, fix }, {}, error)]);
    }
    const served = new Set<string>();
    for (const mbox of provider.getResponse().response?.execute?.mboxes ?? []) {
      const report = mbox.name === undefined ? undefined : reports.get(mbox.name);
      if (!report) continue;
      report.requests += 1;
      const jsonOptions = (mbox.options ?? []).filter((option) => option.type === "json");
      if (jsonOptions.length === 0) continue;
      report.offers.push(provider.asObject(report.mbox));
      for (const option of jsonOptions) {
        const tokens = option.responseTokens ?? {};
        if (tokens["activity.id"] === undefined || tokens["experience.id"] === undefined) continue;
        const key = `${String(tokens["activity.id"])}:${String(tokens["experience.id"])}`;
        served.add(key);
        report.experiences.set(key, {
          activityId: String(tokens["activity.id"]),
          experienceId: String(tokens["experience.id"]),
          ...(typeof tokens["activity.name"] === "string" ? { activityName: tokens["activity.name"] } : {}),
          ...(typeof tokens["experience.name"] === "string" ? { experienceName: tokens["experience.name"] } : {}),
        });
      }
    }
    options.onProgress?.(requests, planned);
    return served;
  };

  // Synthetic visitors, a bounded number at a time. Distinct, stable ids: allocation is per visitor.
  let nextVisitor = 0;
  const visitorBudget = Math.min(visitors, maxRequests);
  await Promise.all(
    Array.from({ length: Math.min(concurrency, visitorBudget) }, async () => {
      while (nextVisitor < visitorBudget) {
        const visitor = nextVisitor++;
        await ask(`mboxgen-sample-${visitor}`);
      }
    }),
  );

  // The QA walk (1-based indexes, as Target). Per activity index, force experience 1, 2, … and
  // move on when a forced request brings no experience this activity's walk has not seen. The
  // token's activities may belong to other mboxes, so an index that forces nothing here does not
  // end the walk; coverage is complete when the last index walked forced nothing (the token has
  // no more activities for these mboxes) and no experience index hit its bound.
  let coverage: SampleResult["coverage"] = "partial";
  let coverageReason = "random visitors only (pass --qa-token for a deterministic walk over every experience)";
  if (options.qaToken) {
    const qaVisitor = "mboxgen-sample-qa";
    const baseline = await ask(qaVisitor, { token: options.qaToken });
    const sameAs = (left: Set<string>, right: Set<string>) => left.size === right.size && [...left].every((key) => right.has(key));
    let boundReached = false;
    let lastForcedNothing = false;
    for (let activityIndex = 1; activityIndex <= qaMaxActivities && !boundReached; activityIndex += 1) {
      const walked = new Set<string>();
      let forcedSomething = false;
      for (let experienceIndex = 1; ; experienceIndex += 1) {
        if (experienceIndex > qaMaxExperiences || requests >= maxRequests) {
          boundReached = true;
          break;
        }
        const served = await ask(qaVisitor, { token: options.qaToken, previewIndexes: [{ activityIndex, experienceIndex }] });
        if ([...served].every((key) => walked.has(key))) break;
        for (const key of served) walked.add(key);
        if (!sameAs(served, baseline)) forcedSomething = true;
      }
      lastForcedNothing = !forcedSomething;
    }
    if (lastForcedNothing && !boundReached) {
      coverage = "complete";
      coverageReason = "the QA walk forced every experience of every activity of the QA token";
    } else {
      coverageReason = `the QA walk reached its bounds (--qa-max-activities ${qaMaxActivities}, --qa-max-experiences ${qaMaxExperiences}, --max-requests ${maxRequests}); more experiences may exist`;
    }
  }
  return { mboxes: [...reports.values()], requests, coverage, coverageReason };
}
