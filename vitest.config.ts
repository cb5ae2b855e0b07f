import { defineConfig } from "vitest/config";

// The reliability suite runs on its own (`pnpm test:reliability`): it loads and faults the machine.
export default defineConfig({ test: { projects: ["packages/*", "!packages/reliability", "examples/*"] } });
