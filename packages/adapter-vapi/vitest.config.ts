import { defineProject } from "vitest/config";

export default defineProject({ test: { name: "adapter-vapi", include: ["src/**/*.test.ts"] } });
