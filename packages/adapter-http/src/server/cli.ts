/**
 * The operator CLI (`pnpm voxanne …`): migrate, create an org, mint a token, replay the event log.
 * It reads the same configuration as the server, so it works on the same database. Results go to
 * `out` (an org id, a token: easy to capture in a script); everything else to `err`.
 */
import type { VapiWebhookAuth } from "@voxanne/core";
import { Command, InvalidArgumentError } from "commander";
import { pino } from "pino";
import { mintToken } from "../auth.ts";
import type { Core } from "./compose.ts";
import { composeCore, openStore } from "./compose.ts";
import type { ServerConfig } from "./config.ts";
import { loadConfig } from "./config.ts";

export interface CliIo {
  env?: Record<string, string | undefined>;
  out?: (text: string) => void;
  err?: (text: string) => void;
}

type WebhookAuthInput =
  | { type: "none" }
  | { type: "bearer"; token: string }
  | { type: "secretHeader"; secret: string }
  | { type: "hmac"; secret: string };

/** `bearer:<token>`, `secret:<secret>` (the `x-vapi-secret` header), `hmac:<secret>` or `none`. */
export function parseWebhookAuth(value: string): WebhookAuthInput {
  if (value === "none") return { type: "none" };
  const [kind, ...rest] = value.split(":");
  const secret = rest.join(":");
  if (secret && kind === "bearer") return { type: "bearer", token: secret };
  if (secret && kind === "secret") return { type: "secretHeader", secret };
  if (secret && kind === "hmac") return { type: "hmac", secret };
  throw new InvalidArgumentError("expected bearer:<token>, secret:<secret>, hmac:<secret> or none");
}

const collect = (value: string, previous: string[] = []) => [...previous, value];
const positive = (value: string) => {
  const n = Number(value);
  if (!Number.isInteger(n) || n <= 0) throw new InvalidArgumentError("must be a positive integer");
  return n;
};

/** Runs a command on the wired core, always closing the database. */
async function withCore<T>(config: ServerConfig, fn: (core: Core) => Promise<T>): Promise<T> {
  const core = await composeCore(config, { logger: pino({ level: "warn" }, pino.destination(2)) });
  try {
    return await fn(core);
  } finally {
    await core.voxanne.stop();
    await core.close();
  }
}

/** Builds the program; `runCli` parses with it. */
export function cliProgram(io: CliIo = {}): Command {
  const out = io.out ?? ((text: string) => process.stdout.write(`${text}\n`));
  const err = io.err ?? ((text: string) => process.stderr.write(`${text}\n`));
  const config = () => loadConfig(io.env ?? process.env);
  const program = new Command("voxanne")
    .description("Operate a Voxanne server's database")
    .configureOutput({ writeOut: (s) => out(s.trimEnd()), writeErr: (s) => err(s.trimEnd()) })
    .exitOverride();

  program
    .command("migrate")
    .description("apply the database migrations not applied yet")
    .action(async () => {
      const cfg = config();
      const database = await openStore(cfg);
      await database.close();
      err(`Migrations applied (${cfg.databaseUrl ? "DATABASE_URL" : `PGlite at ${cfg.dataDir}`})`);
    });

  program
    .command("org")
    .description("manage organizations")
    .command("create")
    .description("create an organization with the default price list; prints its id")
    .requiredOption("--name <name>", "the clinic's name")
    .option("--timezone <tz>", "IANA time zone", "UTC")
    .option("--currency <code>", "ISO 4217 currency", "USD")
    .option("--assistant-id <id>", "a Vapi assistant of the org (repeatable)", collect)
    .option("--outbound-assistant-id <id>", "the Vapi assistant that places callbacks")
    .option("--phone-number-id <id>", "the Vapi phone number id")
    .option("--sms-from <number>", "the org's SMS sender")
    .option("--alert-number <number>", "a number to text about hot leads (repeatable)", collect)
    .option("--webhook-auth <auth>", "bearer:<token> | secret:<secret> | hmac:<secret> | none", parseWebhookAuth)
    .action(async (opts) => {
      const org = await withCore(config(), ({ voxanne }) =>
        voxanne.organizations.create({
          name: opts.name,
          timezone: opts.timezone,
          currency: opts.currency,
          agent: {
            ...(opts.assistantId && { assistantIds: opts.assistantId }),
            ...(opts.outboundAssistantId && { outboundAssistantId: opts.outboundAssistantId }),
            ...(opts.phoneNumberId && { phoneNumberId: opts.phoneNumberId }),
            ...(opts.smsFrom && { smsFrom: opts.smsFrom }),
            ...(opts.alertNumber && { hotLeadAlertNumbers: opts.alertNumber }),
            ...(opts.webhookAuth && { vapiWebhookAuth: opts.webhookAuth as VapiWebhookAuth }),
          },
        }),
      );
      out(org.id);
    });

  program
    .command("token")
    .description("mint a JWT for an organization (needs JWT_SECRET)")
    .requiredOption("--org <id>", "the organization id")
    .option("--ttl <seconds>", "lifetime in seconds", positive, 3_600)
    .action(async (opts: { org: string; ttl: number }) => {
      const cfg = config();
      const secret = (io.env ?? process.env).JWT_SECRET ? cfg.jwt.secret : undefined;
      if (!secret) throw new CliError("JWT_SECRET must be set: the server only accepts tokens signed with its secret");
      await withCore(cfg, ({ voxanne }) => voxanne.organizations.get(opts.org));
      out(await mintToken({ ...cfg.jwt, secret }, opts.org, opts.ttl));
    });

  program
    .command("replay")
    .description("rebuild every projection from the event log (sends nothing)")
    .option("--org <id>", "only this organization")
    .action(async (opts: { org?: string }) => {
      const count = await withCore(config(), ({ voxanne }) => voxanne.replay(opts.org ? { orgId: opts.org } : {}));
      err(`Replayed ${count} events`);
    });

  return program;
}

/** An operator mistake: printed without a stack. */
export class CliError extends Error {}

/** Parses `argv` (as `process.argv`) and runs the command; resolves with the exit code. */
export async function runCli(argv: string[], io: CliIo = {}): Promise<number> {
  const err = io.err ?? ((text: string) => process.stderr.write(`${text}\n`));
  try {
    await cliProgram(io).parseAsync(argv);
    return 0;
  } catch (error) {
    const code = (error as { exitCode?: unknown }).exitCode;
    if (typeof code === "number") return code; // commander has already said why
    err(`voxanne: ${error instanceof Error ? error.message : String(error)}`);
    return 1;
  }
}
