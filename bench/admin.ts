/**
 * `mboxgen offers check` (issue #17): a whole check of a synthetic tenant through the emulator's
 * Admin API (wall time over runs, and the requests it takes for its activities, placements and
 * offers), and the cost of checking one offer with the accessors' generated checks against Ajv
 * compiled from the same schemas (CPU time, rounds interleaved, alternating which goes first;
 * ratio = median of per-round ratios).
 */
import { cpSync, mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { Ajv2020 } from "ajv/dist/2020.js";
import { compileSchemaChecks, checkOffer } from "../generator/admin/offer-check.js";
import { buildSchemaIrs } from "../generator/generate.js";
import { runCli, startEmulator } from "../generator/index.js";
import { readSchemaFolder } from "../generator/cli/files.js";
import { compareInterleaved, formatMs, formatRatio, markdownTable, median } from "./stats.js";

const root = fileURLToPath(new URL("..", import.meta.url));
const schemasFolder = join(root, "fixtures/example/schemas");
const RUNS = 3;
const ACTIVITIES = 300;
const ROUNDS = 15;
const OFFERS_PER_ROUND = 20_000;

/** Offers as marketers write them: mostly right, some with a wrong type, a bad enum value, a missing key or a bad nested item. */
function offerFor(mbox: string, index: number): Record<string, unknown> {
  const broken = index % 7 === 0;
  if (mbox === "demo-engineering-flags") return { searchProviderId: broken ? "seven" : 100 + (index % 50), "max-items": 24 + (index % 10), cdnHostname: `cdn-${index % 4}.example.com`, checkoutFlow: ["classic", "one-page", "express"][index % 3] };
  if (mbox === "hero-banner") return { headline: `Headline ${index}`, theme: broken ? "purple" : index % 2 ? "dark" : "light", cta: { label: "Go", url: `/go/${index}` }, slides: [{ imageUrl: broken ? "http://img/a.jpg" : "https://img/a.jpg", alt: "A" }, { imageUrl: "https://img/b.jpg", alt: "B" }] };
  return { message: `${index}% off`, dismissible: index % 2 === 0, ...(broken ? { visible: "yes" } : {}) };
}

/** A tenant of `count` activities over the example's three mboxes: 3 experiences each, every tenth offer shared, states and dates mixed. */
function syntheticTenant(count: number) {
  const mboxes = ["demo-engineering-flags", "hero-banner", "promo-strip"];
  const shared = mboxes.map((mbox, index) => ({ id: 90_000 + index, name: `Shared ${mbox}`, content: offerFor(mbox, 1) }));
  const file: { admin: object; offers: object[]; mboxes: Record<string, object[]> } = { admin: { tenant: "bench", clientId: "bench-client", clientSecret: "bench-secret" }, offers: shared, mboxes: Object.fromEntries(mboxes.map((mbox) => [mbox, []])) };
  for (let index = 0; index < count; index += 1) {
    const mboxIndex = index % 3;
    const mbox = mboxes[mboxIndex]!;
    const state = ["approved", "approved", "approved", "saved", "deactivated"][index % 5];
    file.mboxes[mbox]!.push({
      id: 1000 + index,
      name: `Activity ${index}`,
      type: index % 4 === 0 ? "xt" : "ab",
      state,
      ...(index % 11 === 0 ? { startsAt: "2031-01-01T00:00:00Z" } : {}),
      experiences: [0, 1, 2].map((experience) => ({
        id: experience,
        name: `Experience ${experience}`,
        weight: 1,
        offer: experience === 2 && index % 10 === 0 ? { id: 90_000 + mboxIndex } : { id: 10_000 + index * 3 + experience, name: `Offer ${index}.${experience}`, content: offerFor(mbox, index * 3 + experience) },
      })),
    });
  }
  return file;
}

async function wholeCheck(): Promise<{ times: number[]; requests: number; tokens: number; placements: number; offers: number; activities: number }> {
  const tenant = syntheticTenant(ACTIVITIES);
  const emulator = await startEmulator({ activities: tenant });
  const workspace = mkdtempSync(join(tmpdir(), "mboxgen-bench-admin-"));
  cpSync(schemasFolder, join(workspace, "schemas"), { recursive: true });
  const times: number[] = [];
  let report: { summary: { offers: number; activities: number } } | undefined;
  let requests = 0;
  let tokens = 0;
  try {
    for (let run = 0; run < RUNS + 1; run += 1) {
      const before = { requests: emulator.stats.admin.requests, tokens: emulator.stats.admin.tokenRequests };
      let stdout = "";
      const started = performance.now();
      await runCli(["offers", "check", "--schemas", "schemas", "--tenant", "bench", "--admin-url", emulator.url, "--ims-url", emulator.url, "--json"], {
        cwd: workspace,
        stdout: (text) => (stdout += text),
        stderr: () => undefined,
        env: { MBOXGEN_TARGET_CLIENT_ID: "bench-client", MBOXGEN_TARGET_CLIENT_SECRET: "bench-secret" },
      });
      const elapsed = performance.now() - started;
      // The first run warms the module cache; the rest are measured.
      if (run > 0) times.push(elapsed);
      report = JSON.parse(stdout);
      requests = emulator.stats.admin.requests - before.requests;
      tokens = emulator.stats.admin.tokenRequests - before.tokens;
    }
  } finally {
    await emulator.close();
    rmSync(workspace, { recursive: true, force: true });
  }
  const uniqueOffers = new Set<number>();
  for (const activities of Object.values(tenant.mboxes)) for (const activity of activities as Array<{ experiences: Array<{ offer: { id: number } }> }>) for (const experience of activity.experiences) uniqueOffers.add(experience.offer.id);
  return { times, requests, tokens, placements: report!.summary.offers, offers: uniqueOffers.size, activities: report!.summary.activities };
}

async function checkCost() {
  const schemas = await readSchemaFolder(schemasFolder, root);
  const checks = compileSchemaChecks(buildSchemaIrs({ schemas, config: {} }));
  const ajv = new Ajv2020({ allErrors: true, strict: false, validateFormats: false });
  ajv.addSchema(JSON.parse(readFileSync(join(schemasFolder, "common.json"), "utf8")), "common.json");
  const mboxes = ["demo-engineering-flags", "hero-banner", "promo-strip"];
  const validators = new Map(mboxes.map((mbox) => [mbox, ajv.compile(JSON.parse(readFileSync(join(schemasFolder, `${mbox}.schema.json`), "utf8")))]));
  const offers = Array.from({ length: 300 }, (_, index) => ({ mbox: mboxes[index % 3]!, content: offerFor(mboxes[index % 3]!, index) }));
  // Both must agree on which offers fail before their cost is compared.
  const disagreements = offers.filter(({ mbox, content }) => (checkOffer(checks.get(mbox)!, content).length === 0) !== validators.get(mbox)!(content)).length;
  if (disagreements > 0) throw new Error(`bench: mboxgen and Ajv disagree on ${disagreements} offers`);
  let sink = 0;
  // Each side runs long enough per round (about 100 ms) for CPU time to be read reliably.
  const iterations = new Map<() => void, number>();
  const time = (work: () => void) => {
    const count = iterations.get(work) ?? OFFERS_PER_ROUND;
    const started = process.cpuUsage();
    for (let index = 0; index < count; index += 1) work();
    const used = process.cpuUsage(started);
    return (used.user + used.system) / count;
  };
  const calibrate = (work: () => void) => iterations.set(work, Math.max(OFFERS_PER_ROUND, Math.round(100_000 / Math.max(time(work), 0.001))));
  let next = 0;
  const ours = () => {
    const { mbox, content } = offers[next++ % offers.length]!;
    sink += checkOffer(checks.get(mbox)!, content).length;
  };
  const theirs = () => {
    const { mbox, content } = offers[next++ % offers.length]!;
    const validate = validators.get(mbox)!;
    sink += validate(content) ? 0 : validate.errors!.length;
  };
  calibrate(ours);
  calibrate(theirs);
  const result = await compareInterleaved(() => time(ours), () => time(theirs), ROUNDS);
  if (sink < 0) throw new Error("unreachable");
  return { ...result, offers: offers.length, iterations: [iterations.get(ours)!, iterations.get(theirs)!] };
}

/** Runs the offers check benchmark and returns its Markdown section. */
export async function benchmarkAdmin(): Promise<string> {
  const whole = await wholeCheck();
  const cost = await checkCost();
  const sorted = [...whole.times].sort((left, right) => left - right);
  const micros = (value: number) => `${value.toFixed(2)} µs`;
  return [
    "## Offers checked through the Admin API: `mboxgen offers check` (issue #17)",
    "",
    `A whole \`offers check --json\` of a synthetic tenant (${whole.activities} activities over the example's 3 mboxes, 3 experiences each, approved, scheduled, saved and deactivated, a tenth of them serving a shared offer) against the emulator's Admin API on loopback, in process, 4 requests in flight (the default); ${RUNS} runs after one warm-up.`,
    "",
    markdownTable(
      ["what", "value"],
      [
        ["wall time per check (median)", formatMs(median(whole.times))],
        ["spread over runs", `${formatMs(sorted[0]!)}–${formatMs(sorted.at(-1)!)}`],
        ["offer placements checked", String(whole.placements)],
        ["distinct offers", String(whole.offers)],
        ["Admin API requests", `${whole.requests} (pages of 100 activities and of 100 offers, 1 per activity, 1 per distinct JSON offer)`],
        ["IMS token requests", String(whole.tokens)],
      ],
    ),
    "",
    `One offer checked with the accessors' own checks (\`checkOffer\`: each key through its generated validator, defaults for the fallback) against Ajv 2020 compiled from the same schemas (\`allErrors\`, since the report names every failing key), over ${cost.offers} offers of which every seventh breaks its schema; both agree on every verdict. CPU time per offer, ${ROUNDS} rounds of about 100 ms per side (${cost.iterations[0]} and ${cost.iterations[1]} offers).`,
    "",
    markdownTable(
      ["check", "CPU per offer (median)", "ratio", "spread over rounds"],
      [
        ["Ajv, compiled", micros(cost.theirs), "1.00x", "—"],
        ["mboxgen's generated checks", micros(cost.ours), formatRatio(cost.ratio), `${formatRatio(cost.low)}–${formatRatio(cost.high)}`],
      ],
    ),
    "",
    `Checking is ${((whole.placements * cost.ours) / 1000 / median(whole.times) * 100).toFixed(2)} % of a whole check's wall time (${whole.placements} placements × ${micros(cost.ours)} of ${formatMs(median(whole.times))}): the requests are the run.`,
  ].join("\n");
}
