/**
 * `mboxgen infer --admin`: schemas from every JSON offer authored for each mbox (live and
 * scheduled; inactive with --include-inactive), with the same reports and merge rules as `sample`
 * and `infer --artifact`: a committed schema that accepts the offers is kept byte for byte, what a
 * person wrote is never lost, `--check` writes nothing, a failed read writes nothing. And the
 * emulator's activities file: states and dates decide who is served; shared offers and bad dates.
 */
import { cpSync, existsSync, mkdtempSync, readdirSync, readFileSync, rmSync } from "node:fs";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createTargetClient } from "@mboxgen/runtime";
import { createAdminClient } from "../../generator/admin/admin-client.js";
import { readAuthoredOffers } from "../../generator/admin/authored-offers.js";
import { parseActivities } from "../../generator/emulator/activities.js";
import { runCli, startEmulator, type RunningEmulator } from "../../generator/index.js";
import { repositoryRoot } from "../support/fixtures.js";
import { startTestEmulator } from "../support/openfeature.js";

const activities = JSON.parse(readFileSync(join(repositoryRoot, "fixtures/admin/activities.json"), "utf8"));
const CREDENTIALS = { MBOXGEN_TARGET_CLIENT_ID: "acme-client-id", MBOXGEN_TARGET_CLIENT_SECRET: "acme-client-secret-0123456789" };
let emulator: RunningEmulator;
let workspace: string;

beforeAll(async () => {
  emulator = await startTestEmulator(activities);
  workspace = mkdtempSync(join(repositoryRoot, "test/admin/.work-"));
});
afterAll(async () => {
  await emulator.close();
  rmSync(workspace, { recursive: true, force: true });
});

async function infer(flags: string[], env: Record<string, string> = CREDENTIALS) {
  let stdout = "";
  let stderr = "";
  const code = await runCli(["infer", "--admin", "--tenant", "acme", "--admin-url", emulator.url, "--ims-url", emulator.url, ...flags], { cwd: workspace, stdout: (text) => (stdout += text), stderr: (text) => (stderr += text), env });
  return { code, stdout, stderr };
}

describe("mboxgen infer --admin", () => {
  it("writes one schema per mbox from the offers of live and scheduled activities, with provenance", async () => {
    const { code, stderr, stdout } = await infer(["--out", "inferred", "--json"]);
    expect(code, stderr).toBe(0);
    expect(readdirSync(join(workspace, "inferred")).sort()).toEqual(["checkout-banner.schema.json", "demo-engineering-flags.schema.json", "hero-banner.schema.json", "promo-strip.schema.json"]);
    const hero = JSON.parse(readFileSync(join(workspace, "inferred/hero-banner.schema.json"), "utf8"));
    // Live 501 (2 offers) and scheduled 502; the draft 503 (headline 42) is not there.
    expect(hero["x-mboxgen"]).toEqual({ source: "admin", samples: 3, experiences: ["501:0", "501:1", "502:0"] });
    expect(hero.properties.headline).toEqual({ type: "string" });
    const flags = JSON.parse(readFileSync(join(workspace, "inferred/demo-engineering-flags.schema.json"), "utf8"));
    // Only 601 is live (602 archived, 603 ended).
    expect(flags["x-mboxgen"].experiences).toEqual(["601:0", "601:1"]);
    expect(JSON.parse(stdout).mboxes.map((entry: { mbox: string }) => entry.mbox)).toEqual(["checkout-banner", "demo-engineering-flags", "hero-banner", "promo-strip"]);
  });

  it("--include-inactive adds the drafts' offers", async () => {
    const { code } = await infer(["--out", "with-drafts", "--include-inactive"]);
    expect(code).toBe(0);
    const hero = JSON.parse(readFileSync(join(workspace, "with-drafts/hero-banner.schema.json"), "utf8"));
    expect(hero["x-mboxgen"].experiences).toEqual(["501:0", "501:1", "502:0", "503:0"]);
    expect(hero.properties.headline.type).toEqual(["string", "integer"]);
  });

  it("keeps a committed schema that accepts the offers byte for byte, and what a person wrote", async () => {
    const folder = join(workspace, "committed");
    cpSync(join(repositoryRoot, "fixtures/example/schemas"), folder, { recursive: true });
    const before = readFileSync(join(folder, "promo-strip.schema.json"), "utf8");
    const { code, stderr } = await infer(["--out", "committed", "--activity", "801", "--activity", "802"]);
    expect(code, stderr).toBe(0);
    expect(stderr).toContain("✔ committed/promo-strip.schema.json unchanged (every offer matches it)");
    expect(readFileSync(join(folder, "promo-strip.schema.json"), "utf8")).toBe(before);
    // --check: the hero offers break the committed hero schema: exit 1, nothing written.
    const heroBefore = readFileSync(join(folder, "hero-banner.schema.json"), "utf8");
    const checked = await infer(["--out", "committed", "--check", "--activity", "501"]);
    expect(checked.code).toBe(1);
    expect(checked.stderr).toContain("[SCHEMA_DRIFT]");
    expect(readFileSync(join(folder, "hero-banner.schema.json"), "utf8")).toBe(heroBefore);
  });

  it("a failed read writes nothing", async () => {
    const { code, stderr } = await infer(["--out", "never"], { ...CREDENTIALS, MBOXGEN_TARGET_CLIENT_SECRET: "nope-nope" });
    expect(code).toBe(1);
    expect(stderr).toContain("[ADMIN_AUTH_FAILED]");
    expect(existsSync(join(workspace, "never"))).toBe(false);
  });

  it("takes --artifact or --admin, not both, and says so", async () => {
    expect((await infer(["--out", "x", "--artifact", "rules.json"])).stderr).toContain("infer takes --artifact or --admin, not both");
    let stderr = "";
    expect(await runCli(["infer", "--out", "x"], { cwd: workspace, stdout: () => undefined, stderr: (text) => (stderr += text) })).toBe(2);
    expect(stderr).toContain("infer needs --artifact <rules.json | URL>, or --admin");
  });
});

describe("the emulator's activities: states, dates, shared offers", () => {
  it("serves visitors only approved activities within their dates", async () => {
    const client = createTargetClient({ client: "emulator", organizationId: "EMULATOR@AdobeOrg", serverDomain: emulator.serverDomain, secure: false });
    const seen = new Set<string>();
    for (let visitor = 0; visitor < 60; visitor += 1) {
      for (const region of ["eu", "ch"]) {
        const envelope = await client.getOffers({ request: { id: { tntId: `v-${visitor}` }, context: { channel: "web" }, execute: { mboxes: ["hero-banner", "demo-engineering-flags", "promo-strip"].map((name, index) => ({ name, index, parameters: { region } })) } } });
        for (const mbox of envelope.response.execute?.mboxes ?? []) for (const option of mbox.options ?? []) seen.add(String((option.responseTokens as Record<string, unknown>)["activity.id"]));
      }
    }
    // 502 is scheduled, 503 saved, 602 deactivated, 603 ended: never served.
    expect([...seen].sort()).toEqual(["501", "601", "801"]);
  });

  it("refuses a shared offer defined twice differently, an unknown offer id and a bad date, with pointers", () => {
    const broken = structuredClone(activities);
    broken.mboxes["hero-banner"][0].experiences[0].offer = { id: 9102, name: "Other", content: { headline: "x" } };
    broken.mboxes["hero-banner"][1].experiences[0].offer = { id: 4242 };
    broken.mboxes["hero-banner"][2].startsAt = "next tuesday";
    expect(() => parseActivities(broken)).toThrow(/\/mboxes\/hero-banner\/2\/startsAt: invalid activities file: must be an ISO 8601 date-time/);
    try {
      parseActivities(broken);
    } catch (error) {
      const messages = (error as { errors: Error[] }).errors.map((each) => each.message);
      expect(messages).toHaveLength(3);
      expect(messages.some((message) => /\/mboxes\/hero-banner\/0\/experiences\/0\/offer: invalid activities file: offer 9102 is also defined at \/offers\/0/.test(message))).toBe(true);
      expect(messages.some((message) => /\/mboxes\/hero-banner\/1\/experiences\/0\/offer\/id: invalid activities file: names offer 4242, which no offer defines/.test(message))).toBe(true);
    }
    // The caller's object is not changed by resolving shared offers.
    const copy = structuredClone(activities);
    parseActivities(copy);
    expect(copy).toEqual(activities);
  });

  it("accepts inline offers that reuse an id with other content: each placement keeps its own, and the Admin API lists each under its own id", async () => {
    const file = {
      mboxes: {
        first: [{ id: 1, name: "A", type: "ab", experiences: [{ id: 0, name: "E", weight: 1, offer: { id: 7, name: "Offer", content: { size: 1 } } }] }],
        second: [{ id: 2, name: "B", type: "ab", experiences: [{ id: 0, name: "E", weight: 1, offer: { id: 7, name: "Offer", content: { size: 2 } } }] }],
        third: [{ id: 3, name: "C", type: "ab", experiences: [{ id: 0, name: "E", weight: 1, offer: { id: 7, name: "Offer", content: { size: 1 } } }] }],
      },
    };
    const parsed = parseActivities(file);
    expect(parsed.mboxes.second![0]!.experiences[0]!.offer.content).toEqual({ size: 2 });
    const reusing = await startTestEmulator(file);
    try {
      const client = createTargetClient({ client: "emulator", organizationId: "X@AdobeOrg", serverDomain: reusing.serverDomain, secure: false });
      const envelope = await client.getOffers({ request: { id: { tntId: "v" }, context: { channel: "web" }, execute: { mboxes: ["first", "second", "third"].map((name, index) => ({ name, index })) } } });
      expect(envelope.response.execute?.mboxes?.map((mbox) => mbox.options?.[0]?.content)).toEqual([{ size: 1 }, { size: 2 }, { size: 1 }]);
      const authored = await readAuthoredOffers(createAdminClient({ tenant: "emulator", adminUrl: reusing.url, imsUrl: reusing.url, credentials: { clientId: "emulator-client", clientSecret: "emulator-secret" } }));
      const byMbox = Object.fromEntries(authored.servings.map((serving) => [serving.mbox, serving]));
      expect(byMbox.first!.offer.id).toBe(7);
      expect(byMbox.third!.offer.id).toBe(7);
      expect(byMbox.second!.offer.id).toBe(8);
      expect(byMbox.second!.offer.content).toEqual({ size: 2 });
    } finally {
      await reusing.close();
    }
    // Named by a reference, such an id is ambiguous.
    const referenced = structuredClone(file) as { mboxes: Record<string, Array<{ experiences: Array<{ offer: unknown }> }>> };
    referenced.mboxes.fourth = [{ id: 4, name: "D", type: "ab", experiences: [{ id: 0, name: "E", weight: 1, offer: { id: 7 } }] } as never];
    expect(() => parseActivities(referenced)).toThrow(/\/mboxes\/second\/0\/experiences\/0\/offer: invalid activities file: offer 7 is also defined at \/mboxes\/first\/0\/experiences\/0\/offer with another name or content, and \/mboxes\/fourth\/0\/experiences\/0\/offer names it by id/);
  });

  it("the example works without an admin section (the emulator's default tenant and client), and its check finds what the example leaves out", async () => {
    const bare = await startEmulator({ activities: JSON.parse(readFileSync(join(repositoryRoot, "fixtures/example/activities.json"), "utf8")) });
    try {
      let stderr = "";
      const code = await runCli(["offers", "check", "--schemas", join(repositoryRoot, "fixtures/example/schemas"), "--config", join(repositoryRoot, "fixtures/example/mboxgen.config.json"), "--tenant", "emulator", "--admin-url", bare.url, "--ims-url", bare.url], {
        cwd: workspace,
        stdout: () => undefined,
        stderr: (text) => (stderr += text),
        env: { MBOXGEN_TARGET_CLIENT_ID: "emulator-client", MBOXGEN_TARGET_CLIENT_SECRET: "emulator-secret" },
      });
      // The example's A/B offers leave out cdnHostname, which its schema requires: visitors get the default.
      expect(stderr).toContain("✘ 17 offer placements in 6 activities of tenant emulator: 14 pass, 3 break their schema where visitors see them, 0 in inactive or ended activities, 0 not checked");
      expect(stderr.match(/\/cdnHostname: must be present/g)).toHaveLength(3);
      expect(code).toBe(1);
    } finally {
      await bare.close();
    }
  });
});

