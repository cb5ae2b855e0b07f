import { defineProject } from "vitest/config";

// PGlite takes ~2 s and ~200 MB per instance: files share one, and run one at a time.
export default defineProject({
  test: {
    name: "adapter-postgres",
    include: ["src/**/*.test.ts"],
    testTimeout: 30_000,
    hookTimeout: 60_000,
    fileParallelism: false,
  },
});
