import { defineProject } from "vitest/config";

export default defineProject({ test: { name: "adapter-twilio", include: ["src/**/*.test.ts"] } });
