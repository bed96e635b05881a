import type { Reporter, TestModule } from "vitest/node";

/**
 * Prints the plain closing line CI reads, `N passed, N failed`, after vitest's own summary.
 * Unhandled errors count as failures, and so does a file that failed outside its tests (an import,
 * a hook): they fail the run, so the line must not look green.
 */
export default class SummaryReporter implements Reporter {
  onTestRunEnd(testModules: ReadonlyArray<TestModule>, unhandledErrors: ReadonlyArray<unknown>): void {
    let passed = 0;
    let failed = unhandledErrors.length;
    let skipped = 0;
    for (const testModule of testModules) {
      const tests = [...testModule.children.allTests()];
      // A file that failed with no failed test failed outside them (an import, a hook): one failure,
      // and its tests, which never ran, are not "skipped" by choice.
      const failedOutsideTests = testModule.state() === "failed" && !tests.some((testCase) => testCase.result().state === "failed");
      if (failedOutsideTests) failed += 1;
      for (const testCase of tests) {
        const state = testCase.result().state;
        if (state === "passed") passed += 1;
        else if (state === "failed") failed += 1;
        else if (!failedOutsideTests) skipped += 1;
      }
    }
    process.stdout.write(`\n${passed} passed, ${failed} failed${skipped ? `, ${skipped} skipped` : ""}\n`);
  }
}
