import { defineConfig } from "vitest/config";

export default defineConfig({
  test: {
    include: ["test/**/*.test.ts"],
    setupFiles: ["./test/support/process-check-setup.ts", "./test/support/loopback-only-setup.ts", "./test/support/fast-check-setup.ts"],
    testTimeout: 20_000,
    hookTimeout: 20_000,
    typecheck: { enabled: true, include: ["test/**/*.test-d.ts"], tsconfig: "./tsconfig.typecheck.json" },
    reporters: ["default", "./test/support/summary-reporter.ts"],
  },
});
