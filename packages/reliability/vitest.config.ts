import { defineProject } from "vitest/config";

// Run alone (`pnpm test:reliability`), not inside `pnpm test`: these tests kill processes,
// restart their own PostgreSQL cluster and load the machine, so they must not share it.
export default defineProject({
  test: {
    name: "reliability",
    include: ["src/**/*.test.ts"],
    testTimeout: 300_000,
    hookTimeout: 120_000,
    fileParallelism: false,
  },
});
