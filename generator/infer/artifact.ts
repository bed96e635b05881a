/**
 * `mboxgen infer`: every JSON offer an on-device decisioning artifact (rules.json,
 * TARGET-PROTOCOL.md §10.1) can deliver, per mbox. Exhaustive: no sampling.
 */
import { createGeneratorError, GeneratorErrors } from "../errors.js";
import { isPlainObject as isObject } from "../json-values.js";

/** The JSON offers of one mbox in an artifact. */
export interface ArtifactMboxOffers {
  mbox: string;
  /** Each json option's content that is an object, in artifact order. */
  offers: Record<string, unknown>[];
  /** `<activity id>:<experience id>` of the rules that deliver them, sorted. */
  experiences: string[];
}

function fail(reason: string, file: string): never {
  throw new GeneratorErrors([createGeneratorError("ARTIFACT_INVALID", { reason }, { file })]);
}

/** Reads an artifact's text; throws `GeneratorErrors` for non-JSON, a wrong shape or an unsupported major version. */
export function readArtifact(text: string, file: string): ArtifactMboxOffers[] {
  let artifact: unknown;
  try {
    artifact = JSON.parse(text);
  } catch (error) {
    fail(`it is not JSON (${error instanceof Error ? error.message : String(error)})`, file);
  }
  if (!isObject(artifact)) fail("the top level is not an object", file);
  if (typeof artifact.version !== "string") fail('it has no "version"', file);
  const major = artifact.version.split(".")[0];
  if (major !== "1") {
    throw new GeneratorErrors([createGeneratorError("ARTIFACT_UNSUPPORTED_VERSION", { version: artifact.version }, { file, pointer: "/version" })]);
  }
  const rules = artifact.rules;
  if (!isObject(rules) || (rules.mboxes !== undefined && !isObject(rules.mboxes))) fail('"rules.mboxes" is missing or not an object', file);

  const result: ArtifactMboxOffers[] = [];
  for (const mbox of Object.keys((rules.mboxes as Record<string, unknown>) ?? {}).sort()) {
    const mboxRules = (rules.mboxes as Record<string, unknown>)[mbox];
    if (!Array.isArray(mboxRules)) fail(`rules.mboxes["${mbox}"] is not an array`, file);
    const offers: Record<string, unknown>[] = [];
    const experiences = new Set<string>();
    for (const rule of mboxRules) {
      if (!isObject(rule)) continue;
      const options = isObject(rule.consequence) && Array.isArray(rule.consequence.options) ? rule.consequence.options : [];
      let hasJson = false;
      for (const option of options) {
        if (isObject(option) && option.type === "json" && isObject(option.content)) {
          offers.push(option.content);
          hasJson = true;
        }
      }
      const meta = isObject(rule.meta) ? rule.meta : {};
      if (hasJson) experiences.add(`${String(meta["activity.id"] ?? rule.activityId)}:${String(meta["experience.id"] ?? "?")}`);
    }
    if (offers.length > 0) result.push({ mbox, offers, experiences: [...experiences].sort() });
  }
  return result;
}
