import { defineConfig } from "vitest/config";

export default defineConfig({
  test: {
    include: ["test/**/*.test.ts"],
    // Each file runs its Pulumi program once under mocks; forks isolate the global runtime state.
    pool: "forks",
    testTimeout: 60_000,
    hookTimeout: 60_000,
  },
});
