/**
 * The OpenFeature specification's Gherkin scenarios (fixtures/openfeature-spec/), run against
 * TargetProvider with the real `@openfeature/server-sdk`, where they apply to a Target-backed
 * provider. The spec's test flags become what a Target team would author: a schema for an mbox
 * "spec-flags" (each flag a key, its default variant the schema default) and emulator activities
 * (an audience on `email` for the targeted flags, then one for everyone), so that every value comes
 * through the emulator's Delivery API. Scenarios that cannot apply are listed with the reason; a
 * test fails when a scenario is neither run nor listed, so new spec scenarios cannot slip by.
 */
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { AstBuilder, compile, GherkinClassicTokenMatcher, Parser } from "@cucumber/gherkin";
import { IdGenerator, type Pickle } from "@cucumber/messages";
import {
  AsyncLocalStorageTransactionContextPropagator,
  OpenFeature,
  ProviderStatus,
  type Client,
  type EvaluationContext,
  type EvaluationDetails,
  type FlagValue,
  type Hook,
  type JsonValue,
} from "@openfeature/server-sdk";
import { TargetProvider, type TargetProviderClient } from "@mboxgen/openfeature/server";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { generate, type RunningEmulator } from "../../generator/index.js";
import { repositoryRoot } from "../support/fixtures.js";
import { remoteClientFor, startTestEmulator } from "../support/openfeature.js";

const FOLDER = join(repositoryRoot, "fixtures/openfeature-spec");
const MBOX = "spec-flags";
const TARGETED = /^email == '([^']*)' \? '([^']*)' : ''$/;

interface TestFlag {
  variants: Record<string, JsonValue>;
  defaultVariant?: string | null;
  contextEvaluator?: string;
  disabled?: boolean;
}

/**
 * Scenarios that cannot apply to Adobe Target, by feature and scenario name, with the reason.
 * Their steps are not run; everything else is.
 */
const NOT_APPLICABLE: Record<string, string> = {
  "evaluation_v2: Resolves zero value": 'expects reason STATIC: Target has no static flags, every value is an activity\'s decision (TARGETING_MATCH or SPLIT); the values are checked by "Resolve values" and the targeting scenarios',
  "evaluation_v2: Complete evaluation details structure": "expects a variant per flag and reason STATIC: Target's variant is the experience of the mbox, shared by all its keys",
  "evaluation_v2: Flag metadata in evaluation details": "expects metadata authored per flag: Target's metadata is its response tokens (activity, experience, offer)",
  "evaluation_v2: Multiple context attributes targeting": "a CEL expression over several attributes; the emulator's audiences test one mbox parameter (Target's audiences can combine rules, the emulator's cannot)",
  "evaluation_v2: Structure flag evaluation": "expects reason STATIC (see above); the object's value is checked by \"Resolve values\"",
  "evaluation_v2: Variant field population": "expects a variant per flag (see above)",
  "evaluation_v2: CACHED reason": "a server provider decides per page view and caches nothing across evaluations; CACHED belongs to the web provider",
  "evaluation_v2: DISABLED reason": "Target has no disabled flags: an inactive activity serves nothing, which is DEFAULT",
  "evaluation_v2: Provider in fatal state error": "TargetProvider never enters FATAL: a Target that cannot be reached is an ERROR it can recover from",
  "evaluation: Resolves boolean details": "expects variant \"on\" and reason STATIC (see above)",
  "evaluation: Resolves string details": "expects a variant per flag and reason STATIC (see above)",
  "evaluation: Resolves integer details": "expects a variant per flag and reason STATIC (see above)",
  "evaluation: Resolves float details": "expects a variant per flag and reason STATIC (see above)",
  "evaluation: Resolves object details": "expects a variant per flag and reason STATIC (see above)",
  "evaluation: Resolves based on context": "targets on several attributes at once (see Multiple context attributes targeting)",
  "hooks: Passes evaluation details to after and finally hooks": "expects variant \"on\" and reason STATIC in the details (see above); the hooks themselves run in the error scenarios",
  "metadata: Returns metadata": "expects metadata authored per flag (see above)",
  "metadata: Returns no metadata": "Target's metadata is never empty: it names the mbox and, with a decision, the activity and experience",
};

/** Provider states of `Given a <state> provider` that TargetProvider has no way into. */
const STATES_NOT_APPLICABLE: Record<string, string> = {
  fatal: "TargetProvider never enters FATAL (see Provider in fatal state error)",
};

function readFlags(): Record<string, TestFlag> {
  return JSON.parse(readFileSync(join(FOLDER, "test-flags.json"), "utf8")) as Record<string, TestFlag>;
}

function jsonSchemaOf(value: JsonValue): Record<string, unknown> {
  if (typeof value === "boolean") return { type: "boolean" };
  if (typeof value === "string") return { type: "string" };
  if (typeof value === "number") return { type: "number" };
  return { type: "object" };
}

/** The spec's flags as Target would have them: the mbox's schema and its activities. */
function targetSetup(flags: Record<string, TestFlag>) {
  const properties: Record<string, unknown> = {};
  const targeted = new Map<string, Record<string, JsonValue>>();
  const everyone: Record<string, JsonValue> = {};
  for (const [key, flag] of Object.entries(flags)) {
    if (flag.disabled) continue;
    const defaultValue = flag.defaultVariant ? flag.variants[flag.defaultVariant] : undefined;
    const match = flag.contextEvaluator === undefined ? undefined : TARGETED.exec(flag.contextEvaluator);
    if (flag.contextEvaluator !== undefined && !match) continue;
    properties[key] = { ...jsonSchemaOf(Object.values(flag.variants)[0]!), ...(defaultValue !== undefined ? { default: defaultValue } : {}) };
    if (match) {
      const [, email, variant] = match;
      targeted.set(email!, { ...targeted.get(email!), [key]: flag.variants[variant!]! });
    } else if (defaultValue !== undefined) {
      everyone[key] = defaultValue;
    }
  }
  let id = 0;
  const activity = (name: string, content: Record<string, JsonValue>, email?: string) => ({
    id: (id += 1),
    name,
    type: "xt",
    ...(email !== undefined ? { audience: { parameter: "email", equals: email } } : {}),
    experiences: [{ id: 0, name, weight: 1, offer: { id, name, content } }],
  });
  const activities = { mboxes: { [MBOX]: [...[...targeted].map(([email, values]) => activity(`targeted ${email}`, { ...everyone, ...values }, email)), activity("everyone", everyone)] } };
  const schema = { $schema: "https://json-schema.org/draft/2020-12/schema", "x-mbox": MBOX, type: "object", properties };
  return { activities, schema };
}

interface Pickled {
  feature: string;
  pickle: Pickle;
}

function readPickles(): Pickled[] {
  const files = ["evaluation_v2.feature", "evaluation.feature", "hooks.feature", "contextMerging.feature", "metadata.feature"];
  return files.flatMap((file) => {
    const uri = join(FOLDER, file);
    const document = new Parser(new AstBuilder(IdGenerator.uuid()), new GherkinClassicTokenMatcher()).parse(readFileSync(uri, "utf8"));
    return compile({ ...document, uri }, uri, IdGenerator.uuid()).map((pickle) => ({ feature: file.replace(/\.feature$/, ""), pickle }));
  });
}

// ---- the world of one scenario ----

type FlagKind = "Boolean" | "String" | "Integer" | "Float" | "Object";

interface World {
  client: Client;
  domain: string;
  kind?: FlagKind;
  key?: string;
  fallback?: FlagValue;
  context: EvaluationContext;
  details?: EvaluationDetails<FlagValue>;
  hookCalls: Array<{ stage: string; details?: EvaluationDetails<FlagValue> }>;
  options?: { hooks: Hook[] };
  original?: EvaluationContext;
  levels?: string[];
  levelContexts: Record<string, EvaluationContext>;
}

const kindOf = (text: string): FlagKind => (text.charAt(0).toUpperCase() + text.slice(1).toLowerCase()) as FlagKind;

function parseValue(kind: FlagKind, text: string): FlagValue {
  if (kind === "Boolean") return text === "true";
  if (kind === "Integer" || kind === "Float") return Number(text);
  if (kind === "Object") return JSON.parse(text.replace(/\\"/g, '"')) as JsonValue;
  return text;
}

function evaluate(world: World, options?: { hooks: Hook[] }): Promise<EvaluationDetails<FlagValue>> {
  const { client, key, fallback, context } = world;
  switch (world.kind) {
    case "Boolean":
      return client.getBooleanDetails(key!, fallback as boolean, context, options);
    case "String":
      return client.getStringDetails(key!, fallback as string, context, options);
    case "Integer":
    case "Float":
      return client.getNumberDetails(key!, fallback as number, context, options);
    default:
      return client.getObjectDetails(key!, fallback as JsonValue, context, options);
  }
}

let emulator: RunningEmulator;
let targetClient: TargetProviderClient;
let descriptor: { readonly mbox: string };
let requests: Array<Parameters<TargetProviderClient["getOffers"]>[0]> = [];
let domains = 0;
let workFolder: string | undefined;

async function registerProvider(state: string): Promise<{ client: Client; domain: string }> {
  const domain = `gherkin-${(domains += 1)}`;
  let client: TargetProviderClient = targetClient;
  let trigger: (() => void) | undefined;
  if (state === "not ready") client = { ...targetClient, ready: new Promise<void>(() => undefined) };
  if (state === "error") client = { ...targetClient, ready: Promise.reject(new Error("the rules artifact could not be loaded")) };
  if (state === "stale") {
    client = {
      ...targetClient,
      ready: Promise.resolve(),
      subscribe: (handlers) => {
        trigger = () => handlers.artifactDownloadFailed?.({ type: "artifactDownloadFailed" });
        return () => undefined;
      },
    };
  }
  const provider = new TargetProvider({ client, mboxes: [descriptor], defaultMbox: MBOX, staleAfter: 0 });
  if (state === "not ready") OpenFeature.setProvider(domain, provider);
  else await OpenFeature.setProviderAndWait(domain, provider).catch(() => undefined);
  trigger?.();
  return { client: OpenFeature.getClient(domain), domain };
}

type Step = [RegExp, (world: World, match: RegExpExecArray, table: string[][] | undefined) => unknown];

const LEVELS = ["API", "Transaction", "Client", "Invocation", "Before Hooks"];

function addLevel(world: World, level: string, key: string, value: string): void {
  world.levelContexts[level] = { ...world.levelContexts[level], [key]: value };
}

async function evaluateWithLevels(world: World): Promise<void> {
  const contexts = world.levelContexts;
  if (contexts.API) OpenFeature.setContext(contexts.API);
  if (contexts.Client) world.client.setContext(contexts.Client);
  const before = contexts["Before Hooks"];
  const hooks: Hook[] = before ? [{ before: () => before }] : [];
  const run = () => world.client.getStringDetails("spec-flags.string-flag", "x", { targetingKey: "merging", ...contexts.Invocation }, { hooks });
  requests = [];
  world.details = contexts.Transaction ? await new Promise((resolve, reject) => OpenFeature.setTransactionContext({ targetingKey: "merging", ...contexts.Transaction }, () => void run().then(resolve, reject))) : await run();
}

const STEPS: Step[] = [
  [/^a stable provider$/, () => undefined],
  [/^a stable provider with retrievable context is registered$/, () => undefined],
  [/^an? (stable|not ready|error|stale|fatal) provider$/, async (world, [, state]) => Object.assign(world, await registerProvider(state!))],
  [/^an? (\w+)-flag with key "([^"]*)" and a fallback value "(.*)"$/, (world, [, kind, key, fallback]) => Object.assign(world, { kind: kindOf(kind!), key: key!, fallback: parseValue(kindOf(kind!), fallback!) })],
  [/^a context containing a key "([^"]*)", with type "(\w+)" and with value "([^"]*)"$/, (world, [, key, kind, value]) => void (world.context[key!] = parseValue(kindOf(kind!), value!) as never)],
  [/^a context containing a key "([^"]*)" with null value$/, (world, [, key]) => void (world.context[key!] = null)],
  [/^the flag was evaluated with details( asynchronously)?$/, async (world) => void (world.details = await evaluate(world))],
  [/^the flag was evaluated with details using the evaluation options$/, async (world) => void (world.details = await evaluate(world, world.options))],
  [/^the resolved details value should be "(.*)"$/, (world, [, text]) => expect(world.details!.value).toEqual(parseValue(world.kind!, text!))],
  [/^the reason should be "([^"]*)"$/, (world, [, reason]) => expect(world.details!.reason).toBe(reason)],
  [/^the error-code should be "([^"]*)"$/, (world, [, code]) => expect(world.details!.errorCode).toBe(code)],
  [/^the flag key should be "([^"]*)"$/, (world, [, key]) => expect(world.details!.flagKey).toBe(key)],
  [/^the provider status should be "([^"]*)"$/, (world, [, status]) => expect(world.client.providerStatus).toBe(ProviderStatus[status as keyof typeof ProviderStatus])],
  [/^the evaluation should complete without blocking$/, (world) => expect(world.details).toBeDefined()],
  [
    /^evaluation options containing specific hooks$/,
    (world) => {
      world.options = { hooks: ["first", "second"].map((name) => ({ before: () => void world.hookCalls.push({ stage: `before ${name}` }), after: () => void world.hookCalls.push({ stage: `after ${name}` }) })) };
    },
  ],
  [/^the specified hooks should execute during evaluation$/, (world) => expect(world.hookCalls.map((call) => call.stage).sort()).toEqual(["after first", "after second", "before first", "before second"])],
  [/^the hook order should be maintained$/, (world) => expect(world.hookCalls.map((call) => call.stage)).toEqual(["before first", "before second", "after second", "after first"])],
  [/^an evaluation context with modifiable data$/, (world) => void Object.assign(world, { context: { targetingKey: "mutable", list: ["a"] }, original: { targetingKey: "mutable", list: ["a"] } })],
  [/^the original evaluation context should remain unmodified$/, (world) => expect(world.context).toEqual(world.original)],
  [/^the evaluation details should be immutable$/, (world) => expect(Object.isFrozen(world.details!.flagMetadata)).toBe(true)],
  // evaluation.feature (the first version of the suite)
  [/^an? (boolean|string|integer|float) flag with key "([^"]*)" is evaluated with (?:details and )?default value "?([^"]*?)"?$/, async (world, [, kind, key, fallback]) => Object.assign(world, { kind: kindOf(kind!), key: key!, fallback: parseValue(kindOf(kind!), fallback!) }, { details: await evaluate({ ...world, kind: kindOf(kind!), key: key!, fallback: parseValue(kindOf(kind!), fallback!) }) })],
  [/^an object flag with key "([^"]*)" is evaluated with (?:details and )?a null default value$/, async (world, [, key]) => Object.assign(world, { kind: "Object", key, fallback: null }, { details: await evaluate({ ...world, kind: "Object", key: key!, fallback: null }) })],
  [/^the resolved (boolean|string|integer|float) value should be "?([^"]*?)"?$/, (world, [, kind, text]) => expect(world.details!.value).toEqual(parseValue(kindOf(kind!), text!))],
  [/^the resolved object value should be contain fields "(\w+)", "(\w+)", and "(\w+)", with values "([^"]*)", "([^"]*)" and (\d+), respectively$/, (world, [, a, b, c, va, vb, vc]) => expect(world.details!.value).toMatchObject({ [a!]: va === "true", [b!]: vb, [c!]: Number(vc) })],
  [/^a non-existent string flag with key "([^"]*)" is evaluated with details and a fallback value "([^"]*)"$/, async (world, [, key, fallback]) => Object.assign(world, { kind: "String", key, fallback }, { details: await evaluate({ ...world, kind: "String", key: key!, fallback: fallback! }) })],
  [/^a string flag with key "([^"]*)" is evaluated as an integer, with details and a fallback value (\d+)$/, async (world, [, key, fallback]) => Object.assign(world, { kind: "Integer", key, fallback: Number(fallback) }, { details: await evaluate({ ...world, kind: "Integer", key: key!, fallback: Number(fallback) }) })],
  [/^the default (string|integer) value should be returned$/, (world) => expect(world.details!.value).toEqual(world.fallback)],
  [/^the reason should indicate an error and the error code should indicate a (?:missing flag|type mismatch) with "([^"]*)"$/, (world, [, code]) => expect({ reason: world.details!.reason, errorCode: world.details!.errorCode }).toEqual({ reason: "ERROR", errorCode: code })],
  // hooks.feature
  [
    /^a client with added hook$/,
    (world) =>
      world.client.addHooks({
        before: () => void world.hookCalls.push({ stage: "before" }),
        after: (_context, details) => void world.hookCalls.push({ stage: "after", details }),
        error: () => void world.hookCalls.push({ stage: "error" }),
        finally: (_context, details) => void world.hookCalls.push({ stage: "finally", details }),
      }),
  ],
  [/^the "(\w+)" hook should have been executed$/, (world, [, stage]) => expect(world.hookCalls.map((call) => call.stage)).toContain(stage)],
  [
    /^the "([\w, ]+)" hooks should be called with evaluation details$/,
    (world, [, stages], table) => {
      const fields: Record<string, string> = { flag_key: "flagKey", value: "value", variant: "variant", reason: "reason", error_code: "errorCode" };
      for (const stage of stages!.split(", ")) {
        const details = world.hookCalls.find((call) => call.stage === stage)?.details as Record<string, unknown> | undefined;
        for (const [type, field, text] of table!.slice(1)) {
          const expected = text === "null" ? undefined : type === "boolean" ? text === "true" : text;
          expect(details?.[fields[field!]!], `${stage} ${field}`).toEqual(expected);
        }
      }
    },
  ],
  // contextMerging.feature: the merged context is what reached Target, as the call's mbox parameters.
  [/^A context entry with key "([^"]*)" and value "([^"]*)" is added to the "([^"]*)" level$/, (world, [, key, value, level]) => addLevel(world, level!, key!, value!)],
  [/^A table with levels of increasing precedence$/, (world, _match, table) => void (world.levels = table!.map(([level]) => level!))],
  [/^Context entries for each level from API level down to the "([^"]*)" level, with key "([^"]*)" and value "([^"]*)"$/, (world, [, last, key, value]) => {
    for (const level of world.levels!.slice(0, world.levels!.indexOf(last!) + 1)) addLevel(world, level, key!, level === last ? value! : level);
  }],
  [/^Some flag was evaluated$/, (world) => evaluateWithLevels(world)],
  [/^The merged context contains an entry with key "([^"]*)" and value "([^"]*)"$/, (_world, [, key, value]) => expect(requests.at(-1)?.request?.prefetch?.mboxes?.[0]?.parameters?.[key!]).toBe(value)],
];

const pickles = readPickles();
const scenarioOf = ({ feature, pickle }: Pickled) => `${feature}: ${pickle.name}`;
const stateOf = ({ pickle }: Pickled) => pickle.steps.map((step) => /^an? (not ready|error|stale|fatal) provider$/.exec(step.text)?.[1]).find((state) => state !== undefined);
const reasonNotToRun = (pickled: Pickled) => NOT_APPLICABLE[scenarioOf(pickled)] ?? STATES_NOT_APPLICABLE[stateOf(pickled) ?? ""];

beforeAll(async () => {
  OpenFeature.setTransactionContextPropagator(new AsyncLocalStorageTransactionContextPropagator());
  const { activities, schema } = targetSetup(readFlags());
  emulator = await startTestEmulator(activities);
  const remote = remoteClientFor(emulator);
  targetClient = { ...remote, getOffers: (options) => (requests.push(options), remote.getOffers(options)), sendNotifications: (options) => remote.sendNotifications(options) };
  const { files } = await generate({ schemas: [{ path: "spec-flags.schema.json", text: JSON.stringify(schema) }], config: { format: false } });
  // Written into the repository and imported as the app would, so that it shares the runtime module
  // the provider uses (its descriptors are known by identity).
  workFolder = mkdtempSync(join(repositoryRoot, "test/openfeature/.work-gherkin-"));
  for (const file of files) writeFileSync(join(workFolder, file.path), file.text);
  const module = (await import(join(workFolder, "spec-flags.ts"))) as Record<string, { readonly mbox: string }>;
  descriptor = module.specFlags!;
});
afterAll(async () => {
  await OpenFeature.close();
  await emulator?.close();
  if (workFolder) rmSync(workFolder, { recursive: true, force: true });
});

describe("OpenFeature's Gherkin scenarios against TargetProvider", () => {
  const runnable = pickles.filter((pickled) => reasonNotToRun(pickled) === undefined);

  it.each(runnable.map((pickled) => [`${scenarioOf(pickled)} (${pickled.pickle.steps.map((step) => step.text).join("; ").slice(0, 120)})`, pickled] as const))("%s", async (_name, { pickle }) => {
    const provider = await registerProvider("stable");
    const world: World = { ...provider, context: { targetingKey: "gherkin-visitor" }, hookCalls: [], levelContexts: {} };
    for (const step of pickle.steps) {
      const found = STEPS.map(([pattern, run]) => [pattern.exec(step.text), run] as const).find(([match]) => match !== null);
      if (!found) throw new Error(`no step definition for: ${step.text}`);
      const table = step.argument?.dataTable?.rows.map((row) => row.cells.map((cell) => cell.value));
      await found[1](world, found[0]!, table);
    }
    OpenFeature.setContext({});
  });

  it("runs or lists every scenario of the suite, and lists only scenarios that exist", () => {
    const names = new Set(pickles.map(scenarioOf));
    expect(Object.keys(NOT_APPLICABLE).filter((name) => !names.has(name))).toEqual([]);
    expect(runnable.length).toBeGreaterThan(60);
    expect(pickles.length - runnable.length).toBeGreaterThan(0);
  });
});
