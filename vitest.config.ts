import { defineConfig } from "vitest/config";

export default defineConfig({
  test: {
    include: ["test/**/*.test.ts"],
    // Some tests start the CLI in a fresh Node process or generate data; a 2-core CI machine needs headroom.
    testTimeout: 60_000,
    hookTimeout: 120_000,
  },
});
