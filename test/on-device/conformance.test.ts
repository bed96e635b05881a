/**
 * Adobe's on-device conformance suites through mboxgen's public API (issue #8): for every case of
 * every TEST_SUITE_*.json but the telemetry suite (mboxgen sends no telemetry, README), an
 * on-device `createTargetClient` downloads the suite's artifact through a fake `fetch`, runs the
 * case's request at the case's mocked date with its mocked geo service, and its response (and the
 * display notifications it sends) match the case's expected output with Adobe's partial-match
 * semantics (`toMatchObject`, `"expect.any(...)"` wildcards).
 */
import { afterEach, describe, expect, it, vi } from "vitest";
import { createTargetClient } from "@mboxgen/runtime/on-device";
import { loadSuites, mockDateOf, withWildcards, type Suite, type SuiteCase } from "../support/adobe-suites.js";
import { createFakeTarget } from "../support/fake-target.js";

const suites = loadSuites().filter((suite) => suite.file !== "TEST_SUITE_TELEMETRY.json");

afterEach(() => {
  vi.useRealTimers();
});

async function runCase(suite: Suite, testCase: SuiteCase) {
  const target = createFakeTarget();
  target.serveArtifact({ json: testCase.artifact ?? suite.artifact, etag: '"artifact"' });
  if (testCase.mockGeo) target.serveGeo(testCase.mockGeo);
  if (testCase.mockDate) {
    vi.useFakeTimers({ toFake: ["Date"] });
    vi.setSystemTime(mockDateOf(testCase.mockDate));
  }
  const conf = { ...suite.conf, ...testCase.conf } as { client: string; organizationId: string };
  const client = createTargetClient({ ...conf, decisioningMethod: "on-device", fetch: target.fetch, pollingInterval: 0, targetLocationHint: undefined });
  await client.ready;
  const envelope = await client.getOffers({
    request: testCase.input.request,
    ...(testCase.input.sessionId === undefined ? {} : { sessionId: testCase.input.sessionId }),
    ...(testCase.input.locationHint === undefined ? {} : { targetLocationHint: testCase.input.locationHint }),
  });
  await client.close();
  return { envelope, target };
}

describe("the suites are all there", () => {
  it("17 suites and 64 cases run (the telemetry suite's 2 excluded)", () => {
    expect(suites).toHaveLength(17);
    expect(suites.reduce((count, suite) => count + Object.keys(suite.test).length, 0)).toBe(64);
  });
});

for (const suite of suites) {
  describe(`${suite.file}: ${suite.description}`, () => {
    for (const [name, testCase] of Object.entries(suite.test)) {
      it(`${name}: ${testCase.description}`, async () => {
        const { envelope, target } = await runCase(suite, testCase);
        expect(envelope.meta.decisioningMethod).toBe("on-device");
        if (testCase.output) expect(envelope.response).toMatchObject(withWildcards(testCase.output) as object);
        if (testCase.notificationOutput === null) expect(target.notifications()).toEqual([]);
        else if (testCase.notificationOutput) {
          const sent = target.notifications();
          expect(sent).toHaveLength(1);
          expect(sent[0]!.body).toMatchObject(withWildcards(testCase.notificationOutput.request) as object);
        }
      });
    }
  });
}
