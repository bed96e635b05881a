/**
 * `mboxgen sample`: asks Target for the mboxes as many synthetic visitors, through the Delivery
 * API or the Edge Network (a source, below: the same visitors, reports and merge rules), and,
 * with a QA token, walks preview indexes over activities and experiences so that every
 * experience is seen deterministically (`qaMode.previewIndexes` on the Delivery API, Target's QA
 * link parameters in the page URL on the Edge Network). Returns the offers and a coverage
 * report; writes nothing.
 */
import type { AttributesClient } from "@mboxgen/runtime";
import type { EdgeNetworkClient } from "@mboxgen/runtime/web-sdk";
import { createGeneratorError, GeneratorErrors } from "../errors.js";
import { describeNetworkFailure } from "../network-failure.js";

/** A QA walk's request: Target's QA token and the experience it forces (1-based indexes). */
export interface QaRequest {
  token: string;
  previewIndexes?: Array<{ activityIndex: number; experienceIndex: number }>;
}

/** What one request served for one mbox: its merged offer (when Target served JSON) and the experiences behind it. */
export interface ServedMbox {
  mbox: string;
  offer: Record<string, unknown> | undefined;
  experiences: SeenExperience[];
}

/**
 * Where samples come from: one request for all mboxes as the synthetic visitor `visitor`
 * (0-based; a stable id per visitor, allocation is per visitor), optionally in QA mode.
 */
export interface SampleSource {
  /** Names the service in errors, e.g. "the Delivery API". */
  readonly service: string;
  /** Which flags fix its host and its timeout, for error messages. */
  readonly hints: { host: string; timeout: string };
  ask(visitor: number | "qa", qa: QaRequest | undefined): Promise<ServedMbox[]>;
}

/** Options of a sampling run. */
export interface SampleOptions {
  mboxes: readonly string[];
  /** mboxgen's Delivery API client (or any with Adobe's getAttributes and getResponse()); or give `source`. */
  client?: AttributesClient;
  /** Where to sample from (e.g. `edgeNetworkSource`); default: the Delivery API through `client`. */
  source?: SampleSource;
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

function seenFrom(tokens: Record<string, unknown>): SeenExperience | undefined {
  if (tokens["activity.id"] === undefined || tokens["experience.id"] === undefined) return undefined;
  return {
    activityId: String(tokens["activity.id"]),
    experienceId: String(tokens["experience.id"]),
    ...(typeof tokens["activity.name"] === "string" ? { activityName: tokens["activity.name"] } : {}),
    ...(typeof tokens["experience.name"] === "string" ? { experienceName: tokens["experience.name"] } : {}),
  };
}

/** Samples from the Delivery API: `execute` mboxes as tntId `mboxgen-sample-<n>`, QA through `qaMode`. */
export function deliveryApiSource(client: AttributesClient, mboxes: readonly string[], parameters?: Record<string, string>): SampleSource {
  return {
    service: "the Delivery API",
    hints: { host: "--client or --server-domain", timeout: "--timeout" },
    async ask(visitor, qa) {
      const request = {
        id: { tntId: `mboxgen-sample-${visitor}` },
        context: { channel: "web" as const },
        execute: { mboxes: mboxes.map((name, index) => ({ name, index: index + 1, ...(parameters ? { parameters } : {}) })) },
        ...(qa ? { qaMode: qa } : {}),
      };
      const provider = (await client.getAttributes([...mboxes], { request })) as unknown as ProviderWithResponse;
      const served: ServedMbox[] = [];
      for (const mbox of provider.getResponse().response?.execute?.mboxes ?? []) {
        if (mbox.name === undefined || !mboxes.includes(mbox.name)) continue;
        const jsonOptions = (mbox.options ?? []).filter((option) => option.type === "json");
        served.push({
          mbox: mbox.name,
          offer: jsonOptions.length > 0 ? provider.asObject(mbox.name) : undefined,
          experiences: jsonOptions.map((option) => seenFrom(option.responseTokens ?? {})).filter((seen) => seen !== undefined),
        });
      }
      return served;
    },
  };
}

/** The synthetic ECID of sample visitor `n`: 38 digits, stable per visitor. */
export function sampleEcid(visitor: number | "qa"): string {
  return visitor === "qa" ? "9".repeat(38) : `7${String(visitor).padStart(37, "0")}`;
}

/**
 * Samples through the Edge Network Server API: the decision scopes as ECID visitors, mbox
 * parameters in `data.__adobe.target`, QA through Target's QA link parameters in the page URL
 * (`at_preview_token`, `at_preview_index=<activity>_<experience>`), as the Web SDK passes them.
 */
export function edgeNetworkSource(client: EdgeNetworkClient, mboxes: readonly string[], parameters?: Record<string, string>): SampleSource {
  return {
    service: "the Edge Network",
    hints: { host: "--edge-domain and --datastream-id", timeout: "--timeout" },
    async ask(visitor, qa) {
      const url = new URL("https://mboxgen.sample/");
      if (qa) {
        url.searchParams.set("at_preview_token", qa.token);
        for (const index of qa.previewIndexes ?? []) url.searchParams.append("at_preview_index", `${index.activityIndex}_${index.experienceIndex}`);
      }
      const provider = await client.getAttributes(mboxes, { ecid: sampleEcid(visitor), url: url.href, ...(parameters ? { parameters } : {}) });
      return mboxes.map((mbox) => {
        const decisions = provider.getDecisions(mbox);
        return {
          mbox,
          offer: decisions.length > 0 ? provider.asObject(mbox) : undefined,
          experiences: decisions.map((decision) => seenFrom({ ...decision.responseTokens, "activity.id": decision.activity.id, "experience.id": decision.experience.id })).filter((seen) => seen !== undefined),
        };
      });
    },
  };
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

  const source = options.source ?? (options.client ? deliveryApiSource(options.client, options.mboxes, options.parameters) : undefined);
  if (!source) throw new TypeError("sample needs a client or a source");

  // Resolves with the experience keys of the response.
  const ask = async (visitor: number | "qa", qa?: QaRequest): Promise<Set<string>> => {
    if (options.signal?.aborted) throw new GeneratorErrors([createGeneratorError("SAMPLING_INCOMPLETE", { reason: "stopped" })]);
    requests += 1;
    let servedMboxes: ServedMbox[];
    try {
      servedMboxes = await source.ask(visitor, qa);
    } catch (error) {
      const url = (error as { url?: unknown }).url;
      const where = typeof url === "string" ? url : source.service;
      const { reason, fix } = describeNetworkFailure(error, where, source.hints);
      throw new GeneratorErrors([createGeneratorError("TARGET_UNREACHABLE", { service: source.service, url: where, reason, fix }, {}, error)]);
    }
    const served = new Set<string>();
    for (const mbox of servedMboxes) {
      const report = reports.get(mbox.mbox);
      if (!report) continue;
      report.requests += 1;
      if (mbox.offer === undefined) continue;
      report.offers.push(mbox.offer);
      for (const seen of mbox.experiences) {
        const key = `${seen.activityId}:${seen.experienceId}`;
        served.add(key);
        report.experiences.set(key, seen);
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
        await ask(visitor);
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
    const qaVisitor = "qa" as const;
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
