/**
 * The server's one typed configuration, read from the environment and validated at start. A bad
 * value fails fast with the NAME of the variable and what is wrong, never the value (it may be a
 * secret or a URL with a password in it). Missing vendor credentials mean the simulators, each with
 * a warning; a missing JWT secret in development means one generated for this run.
 */
import { randomBytes } from "node:crypto";
import { resolve } from "node:path";
import * as v from "valibot";

const LOG_LEVELS = ["fatal", "error", "warn", "info", "debug", "trace", "silent"] as const;
export type LogLevel = (typeof LOG_LEVELS)[number];

export interface JwtConfig {
  /** HS256 secret (≥ 32 chars); absent when `jwksUrl` is used. */
  secret?: string;
  jwksUrl?: string;
  /** The claim that names the tenant. */
  orgClaim: string;
}

export interface TwilioConfig {
  accountSid: string;
  authToken: string;
  from?: string;
  messagingServiceSid?: string;
}

export interface ServerConfig {
  production: boolean;
  port: number;
  host?: string;
  /** A Postgres server; absent → embedded PGlite in `dataDir`. */
  databaseUrl?: string;
  /** PGlite's folder (absolute), used without `databaseUrl`. */
  dataDir: string;
  jwt: JwtConfig;
  /** The URL vendors reach this server at (Twilio status callbacks, signature checks). */
  publicUrl?: string;
  /** Absent → the Vapi simulator. */
  vapi?: { apiKey: string; baseUrl?: string };
  /** Absent → the SMS simulator. */
  twilio?: TwilioConfig;
  recordingsDir: string;
  recordingLinkSecret: string;
  logLevel: LogLevel;
  /** Allowed browser origins; empty means no CORS headers. */
  corsOrigins: string[];
  /** What start-up should tell the operator (simulators in use, generated secrets). */
  warnings: string[];
}

/** A configuration that cannot start: `variables` names each bad one, the message never holds a value. */
export class ConfigError extends Error {
  constructor(readonly problems: { variable: string; message: string }[]) {
    super(`Invalid configuration: ${problems.map((p) => `${p.variable} ${p.message}`).join("; ")}`);
    this.name = "ConfigError";
  }
  get variables(): string[] {
    return this.problems.map((p) => p.variable);
  }
}

/** Unset and empty are the same: `FOO=` in a .env file means "not given". */
const opt = <S extends v.GenericSchema<string, unknown>>(schema: S) =>
  v.pipe(
    v.optional(v.string()),
    v.transform((s) => (s?.trim() ? s.trim() : undefined)),
    v.optional(schema),
  );
const text = (message = "must not be empty") => v.pipe(v.string(), v.minLength(1, message));
const url = (protocols: string[], message: string) =>
  v.pipe(
    v.string(),
    v.check((s) => {
      try {
        return protocols.includes(new URL(s).protocol);
      } catch {
        return false;
      }
    }, message),
  );
const httpUrl = url(["http:", "https:"], "must be an http(s) URL");
const secret = (min: number) => v.pipe(v.string(), v.minLength(min, `must be at least ${min} characters`));

const Env = v.object({
  NODE_ENV: opt(v.string()),
  PORT: opt(
    v.pipe(
      v.string(),
      v.regex(/^\d{1,5}$/, "must be a port number (0-65535)"),
      v.transform(Number),
      v.maxValue(65535, "must be a port number (0-65535)"),
    ),
  ),
  HOST: opt(text()),
  DATABASE_URL: opt(url(["postgres:", "postgresql:"], "must be a postgres:// or postgresql:// URL")),
  PGLITE_DIR: opt(text()),
  JWT_SECRET: opt(secret(32)),
  JWT_JWKS_URL: opt(httpUrl),
  JWT_ORG_CLAIM: opt(v.pipe(v.string(), v.regex(/^[A-Za-z0-9_.:/-]{1,100}$/, "must be a claim name"))),
  PUBLIC_URL: opt(httpUrl),
  VAPI_API_KEY: opt(text()),
  VAPI_BASE_URL: opt(httpUrl),
  TWILIO_ACCOUNT_SID: opt(v.pipe(v.string(), v.regex(/^AC[0-9a-fA-F]{32}$/, "must be an account SID (AC…)"))),
  TWILIO_AUTH_TOKEN: opt(text()),
  TWILIO_FROM: opt(v.pipe(v.string(), v.regex(/^\+[1-9]\d{6,14}$/, "must be an E.164 number such as +15551234567"))),
  TWILIO_MESSAGING_SERVICE_SID: opt(
    v.pipe(v.string(), v.regex(/^MG[0-9a-fA-F]{32}$/, "must be a Messaging Service SID (MG…)")),
  ),
  RECORDINGS_DIR: opt(text()),
  RECORDING_LINK_SECRET: opt(secret(32)),
  LOG_LEVEL: opt(v.picklist(LOG_LEVELS, `must be one of ${LOG_LEVELS.join(", ")}`)),
  CORS_ORIGINS: opt(
    v.pipe(
      v.string(),
      v.transform((s) =>
        s
          .split(",")
          .map((o) => o.trim())
          .filter(Boolean),
      ),
      v.check((list) => list.every((o) => o === "*" || v.is(httpUrl, o)), "must be * or comma-separated origins"),
    ),
  ),
});
type Env = v.InferOutput<typeof Env>;

const generated = () => randomBytes(32).toString("base64url");

/** The rules between variables (one needs another), as problems rather than throws, to report them all. */
function crossChecks(env: Env, production: boolean): { variable: string; message: string }[] {
  const problems: { variable: string; message: string }[] = [];
  const need = (variable: string, message: string) => problems.push({ variable, message });
  if (env.JWT_SECRET && env.JWT_JWKS_URL) need("JWT_JWKS_URL", "must not be set together with JWT_SECRET");
  if (production && !env.JWT_SECRET && !env.JWT_JWKS_URL)
    need("JWT_SECRET", "is required in production (or JWT_JWKS_URL)");
  if (production && !env.RECORDING_LINK_SECRET) need("RECORDING_LINK_SECRET", "is required in production");
  const twilio = [env.TWILIO_ACCOUNT_SID, env.TWILIO_AUTH_TOKEN, env.TWILIO_FROM, env.TWILIO_MESSAGING_SERVICE_SID];
  if (twilio.some(Boolean)) {
    if (!env.TWILIO_ACCOUNT_SID) need("TWILIO_ACCOUNT_SID", "is required when other TWILIO_* variables are set");
    if (!env.TWILIO_AUTH_TOKEN) need("TWILIO_AUTH_TOKEN", "is required when other TWILIO_* variables are set");
    if (!env.TWILIO_FROM && !env.TWILIO_MESSAGING_SERVICE_SID) {
      need("TWILIO_FROM", "or TWILIO_MESSAGING_SERVICE_SID is required to send SMS");
    }
    if (!env.PUBLIC_URL) need("PUBLIC_URL", "is required with Twilio (its status callbacks and signatures use it)");
  }
  return problems;
}

/**
 * Reads and validates the configuration (default: `process.env`); throws `ConfigError` naming
 * every bad variable. Production is `NODE_ENV=production`: there nothing is generated.
 */
export function loadConfig(source: Record<string, string | undefined> = process.env): ServerConfig {
  const parsed = v.safeParse(Env, source, { abortPipeEarly: true });
  if (!parsed.success) {
    throw new ConfigError(
      parsed.issues.map((issue) => ({
        variable: String(issue.path?.[0]?.key ?? "environment"),
        // Only our own messages: valibot's defaults quote the received value.
        message: issue.type === "string" ? "must be a string" : issue.message,
      })),
    );
  }
  const env = parsed.output;
  // `pnpm start` runs in the package's folder; relative paths mean where the operator typed it.
  const base = source.INIT_CWD ?? process.cwd();
  const production = env.NODE_ENV === "production";
  const problems = crossChecks(env, production);
  if (problems.length > 0) throw new ConfigError(problems);

  const warnings: string[] = [];
  const jwtSecret = env.JWT_SECRET ?? (env.JWT_JWKS_URL ? undefined : generated());
  if (!env.JWT_SECRET && !env.JWT_JWKS_URL) {
    warnings.push("JWT_SECRET is not set: generated one for this run (tokens stop working at restart)");
  }
  if (!env.VAPI_API_KEY) warnings.push("VAPI_API_KEY is not set: using the Vapi simulator (no real calls)");
  if (!env.TWILIO_ACCOUNT_SID) warnings.push("TWILIO_* are not set: using the SMS simulator (no real messages)");
  if (!env.RECORDING_LINK_SECRET) warnings.push("RECORDING_LINK_SECRET is not set: generated one for this run");

  return {
    production,
    port: env.PORT ?? 3000,
    ...(env.HOST && { host: env.HOST }),
    ...(env.DATABASE_URL && { databaseUrl: env.DATABASE_URL }),
    dataDir: resolve(base, env.PGLITE_DIR ?? "./.voxanne/pgdata"),
    jwt: {
      ...(jwtSecret && { secret: jwtSecret }),
      ...(env.JWT_JWKS_URL && { jwksUrl: env.JWT_JWKS_URL }),
      orgClaim: env.JWT_ORG_CLAIM ?? "org_id",
    },
    ...(env.PUBLIC_URL && { publicUrl: env.PUBLIC_URL.replace(/\/+$/, "") }),
    ...(env.VAPI_API_KEY && {
      vapi: { apiKey: env.VAPI_API_KEY, ...(env.VAPI_BASE_URL && { baseUrl: env.VAPI_BASE_URL }) },
    }),
    ...(env.TWILIO_ACCOUNT_SID &&
      env.TWILIO_AUTH_TOKEN && {
        twilio: {
          accountSid: env.TWILIO_ACCOUNT_SID,
          authToken: env.TWILIO_AUTH_TOKEN,
          ...(env.TWILIO_FROM && { from: env.TWILIO_FROM }),
          ...(env.TWILIO_MESSAGING_SERVICE_SID && { messagingServiceSid: env.TWILIO_MESSAGING_SERVICE_SID }),
        },
      }),
    recordingsDir: resolve(base, env.RECORDINGS_DIR ?? "./.voxanne/recordings"),
    recordingLinkSecret: env.RECORDING_LINK_SECRET ?? generated(),
    logLevel: env.LOG_LEVEL ?? "info",
    corsOrigins: env.CORS_ORIGINS ?? [],
    warnings,
  };
}
