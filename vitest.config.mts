import { defineConfig } from "vitest/config";

export default defineConfig({
  test: {
    include: ["test/**/*.test.ts"],
    // Each file runs its Pulumi program once under mocks; forks isolate the global runtime state.
    pool: "forks",
    // Plans the shipped stacks once for every file that asserts on them (test/support/stack.ts).
    globalSetup: ["test/support/globalSetup.ts"],
    testTimeout: 60_000,
    hookTimeout: 60_000,
  },
});
