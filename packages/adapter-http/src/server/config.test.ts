import { resolve } from "node:path";
import { describe, expect, it } from "vitest";
import { ConfigError, loadConfig } from "./config.ts";

const SECRET = "s3cr3t-value-that-is-long-enough-0123456789";
const TWILIO = {
  TWILIO_ACCOUNT_SID: `AC${"a".repeat(32)}`,
  TWILIO_AUTH_TOKEN: "twilio-token-never-to-be-printed",
  TWILIO_FROM: "+15551234567",
  PUBLIC_URL: "https://voxanne.example.com/",
};

/** The ConfigError that `env` raises. */
function failure(env: Record<string, string>): ConfigError {
  try {
    loadConfig(env);
  } catch (error) {
    if (error instanceof ConfigError) return error;
    throw error;
  }
  throw new Error("expected a ConfigError");
}

describe("loadConfig", () => {
  it("has defaults for development: PGlite, simulators, generated secrets, each with a warning", () => {
    const config = loadConfig({});
    expect(config).toMatchObject({
      production: false,
      port: 3000,
      dataDir: resolve(".voxanne/pgdata"),
      recordingsDir: resolve(".voxanne/recordings"),
      logLevel: "info",
      corsOrigins: [],
      jwt: { orgClaim: "org_id" },
    });
    expect(config.databaseUrl).toBeUndefined();
    expect(config.vapi).toBeUndefined();
    expect(config.twilio).toBeUndefined();
    expect(config.jwt.secret?.length).toBeGreaterThanOrEqual(32);
    expect(loadConfig({}).jwt.secret).not.toBe(config.jwt.secret);
    expect(config.warnings.join("\n")).toMatch(/JWT_SECRET.*generated/);
    expect(config.warnings.join("\n")).toMatch(/Vapi simulator/);
    expect(config.warnings.join("\n")).toMatch(/SMS simulator/);
  });

  it("reads the real parts when given", () => {
    const config = loadConfig({
      PORT: "8080",
      HOST: "127.0.0.1",
      DATABASE_URL: "postgres://app:pw@db:5432/voxanne",
      JWT_SECRET: SECRET,
      JWT_ORG_CLAIM: "https://voxanne/org",
      VAPI_API_KEY: "vapi-key",
      ...TWILIO,
      LOG_LEVEL: "debug",
      CORS_ORIGINS: "https://a.example, https://b.example",
      RECORDING_LINK_SECRET: SECRET,
    });
    expect(config).toMatchObject({
      port: 8080,
      host: "127.0.0.1",
      databaseUrl: "postgres://app:pw@db:5432/voxanne",
      jwt: { secret: SECRET, orgClaim: "https://voxanne/org" },
      vapi: { apiKey: "vapi-key" },
      twilio: { accountSid: TWILIO.TWILIO_ACCOUNT_SID, from: "+15551234567" },
      publicUrl: "https://voxanne.example.com",
      logLevel: "debug",
      corsOrigins: ["https://a.example", "https://b.example"],
    });
    expect(config.warnings).toEqual([]);
  });

  it("resolves relative folders against where pnpm was run (INIT_CWD)", () => {
    expect(loadConfig({ INIT_CWD: "/srv/app", PGLITE_DIR: "db" })).toMatchObject({
      dataDir: "/srv/app/db",
      recordingsDir: "/srv/app/.voxanne/recordings",
    });
  });

  it("treats empty variables as unset", () => {
    expect(loadConfig({ PORT: "", VAPI_API_KEY: " " })).toMatchObject({ port: 3000 });
  });

  it.each([
    ["PORT", { PORT: "http" }],
    ["PORT", { PORT: "70000" }],
    ["DATABASE_URL", { DATABASE_URL: "mysql://root:hunter2hunter2@db/x" }],
    ["JWT_SECRET", { JWT_SECRET: "short-hunter2" }],
    ["JWT_JWKS_URL", { JWT_JWKS_URL: "not a url" }],
    ["JWT_JWKS_URL", { JWT_JWKS_URL: "https://idp.example/jwks", JWT_SECRET: SECRET }],
    ["JWT_ORG_CLAIM", { JWT_ORG_CLAIM: "has spaces in it" }],
    ["PUBLIC_URL", { PUBLIC_URL: "ftp://example.com" }],
    ["TWILIO_ACCOUNT_SID", { TWILIO_ACCOUNT_SID: "hunter2hunter2" }],
    ["TWILIO_AUTH_TOKEN", { ...TWILIO, TWILIO_AUTH_TOKEN: "" }],
    ["TWILIO_FROM", { ...TWILIO, TWILIO_FROM: "0044-bad" }],
    ["TWILIO_FROM", { ...TWILIO, TWILIO_FROM: "" }],
    ["PUBLIC_URL", { ...TWILIO, PUBLIC_URL: "" }],
    ["RECORDING_LINK_SECRET", { RECORDING_LINK_SECRET: "hunter2hunter2" }],
    ["LOG_LEVEL", { LOG_LEVEL: "loud" }],
    ["CORS_ORIGINS", { CORS_ORIGINS: "https://ok.example,javascript:alert(1)" }],
    ["JWT_SECRET", { NODE_ENV: "production", RECORDING_LINK_SECRET: SECRET }],
    ["RECORDING_LINK_SECRET", { NODE_ENV: "production", JWT_SECRET: SECRET }],
  ])("names %s when it is bad, without echoing the value", (variable, env) => {
    const error = failure(env);
    expect(error.variables).toContain(variable);
    expect(error.message).toContain(variable);
    for (const [name, value] of Object.entries(env)) {
      if (name !== "NODE_ENV" && value.length > 5) expect(error.message).not.toContain(value);
    }
    expect(error.message).not.toContain("hunter2");
  });

  it("reports every bad variable at once", () => {
    expect(failure({ PORT: "x", LOG_LEVEL: "y" }).variables).toEqual(["PORT", "LOG_LEVEL"]);
  });
});
