import { defineConfig } from "vitest/config";

export default defineConfig({
  test: {
    include: ["test/**/*.test.ts"],
    globalSetup: ["test/global-setup.ts"],
    // Every test file's temporary folders are removed when it ends.
    setupFiles: ["test/helpers/cleanup.ts"],
    testTimeout: 30_000,
    hookTimeout: 30_000,
    // Two cores: keep real-server tests from starving each other.
    maxWorkers: 2,
    // Test files in one worker share loaded modules instead of importing everything again per
    // file: a third less CPU for the suite. So a test file must not leave module state, process.env
    // or process listeners changed for the next one (vi.stubEnv with unstubAllEnvs, tempDir).
    isolate: false,
  },
});
