import { defineProject } from "vitest/config";

export default defineProject({ test: { name: "example-embedded", include: ["src/**/*.test.ts"] } });
