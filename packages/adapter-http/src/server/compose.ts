/**
 * The composition root: the only place that knows every adapter. It opens the database (PGlite
 * without `DATABASE_URL`), registers each port in a tsyringe child container (a vendor's adapter,
 * or its simulator when the config has no credentials), resolves the wired Voxanne and builds the
 * Hono app around it. `configure` runs after the registrations and before resolving, so an app or
 * a test swaps any port by registering its token again, with nothing else changed. The HTTP side
 * is built on top in `composeApp.ts`, so the CLI never loads it.
 */
import { mkdir } from "node:fs/promises";
import { dirname } from "node:path";
import type { Database } from "@voxanne/adapter-postgres";
import { migrate, openDatabase, pgLiveEvents, postgresStorage } from "@voxanne/adapter-postgres";
import { twilioDecoder, twilioSms } from "@voxanne/adapter-twilio";
import type { FilesystemRecordings } from "@voxanne/adapter-vapi";
import { filesystemRecordings, vapiDecoder, vapiTelephony } from "@voxanne/adapter-vapi";
import type { LiveEvents, Voxanne } from "@voxanne/core";
import { registerVoxanne, TOKENS } from "@voxanne/core/container";
import type { Logger } from "pino";
import type { DependencyContainer } from "tsyringe";
import { container as rootContainer } from "tsyringe";
import type { LiveHub } from "../live/hub.ts";
import { liveHub } from "../live/hub.ts";
import type { ServerConfig } from "./config.ts";
import type { VapiSimulator } from "./simulators.ts";
import { smsSimulator, vapiSimulator } from "./simulators.ts";

export interface ComposeOptions {
  logger: Logger;
  /** Runs after the default registrations, before `TOKENS.Voxanne` is resolved: swap ports here. */
  configure?: (container: DependencyContainer) => void;
  /** The Vapi simulator's pace (tests make it quick). */
  simulator?: { answerAfterMs?: number; talkForMs?: number };
}

export interface Core {
  container: DependencyContainer;
  voxanne: Voxanne;
  database: Database;
  /** This process's live fan-out: the WebSocket side subscribes to it. */
  hub: LiveHub;
  /** Present when the Vapi simulator stands in for Vapi. */
  simulator?: VapiSimulator;
  recordings: FilesystemRecordings;
  /** Stops the simulator and the Postgres listener, then closes the database. */
  close(): Promise<void>;
}

/** Opens and migrates the database the config names. */
export async function openStore(config: ServerConfig): Promise<Database> {
  // PGlite creates its own folder but not the parents (`.voxanne/` on a fresh clone).
  if (!config.databaseUrl) await mkdir(dirname(config.dataDir), { recursive: true });
  const database = await openDatabase(config.databaseUrl, config.dataDir);
  try {
    await migrate(database);
    return database;
  } catch (error) {
    await database.close();
    throw error;
  }
}

/** Several processes on one Postgres server hear each other's events through LISTEN/NOTIFY. */
async function liveOf(database: Database, hub: LiveHub, logger: Logger) {
  if (database.driver !== "postgres") return { live: hub as LiveEvents, close: async () => {} };
  const bridge = await pgLiveEvents(database, hub, {
    onError: (error) => logger.warn({ error: String(error) }, "live event bridge failed"),
  });
  return { live: bridge, close: () => bridge.close() };
}

/** The database, the ports and a resolved Voxanne: what both the server and the CLI need. */
export async function composeCore(config: ServerConfig, options: ComposeOptions): Promise<Core> {
  const { logger } = options;
  const database = await openStore(config);
  const hub = liveHub({ onListenerError: (error) => logger.warn({ error: String(error) }, "live listener failed") });
  const live = await liveOf(database, hub, logger);
  const storage = postgresStorage(database);
  const simulator = config.vapi
    ? undefined
    : vapiSimulator({ log: logger, organizations: storage.organizations, ...options.simulator });
  const recordings = filesystemRecordings({ dir: config.recordingsDir });
  const { publicUrl, twilio } = config;

  const container = rootContainer.createChildContainer();
  registerVoxanne(container, {
    storage,
    live: live.live,
    telephony: config.vapi ? vapiTelephony(config.vapi) : simulator,
    sms:
      twilio && publicUrl
        ? twilioSms({
            accountSid: twilio.accountSid,
            authToken: twilio.authToken,
            defaultFrom: twilio.from,
            messagingServiceSid: twilio.messagingServiceSid,
            statusCallbackUrl: (r) =>
              `${publicUrl}/webhooks/twilio/status?org=${encodeURIComponent(r.orgId)}&message=${encodeURIComponent(r.messageId)}`,
          })
        : smsSimulator(logger),
    decoders: [vapiDecoder, twilioDecoder],
    recordings,
    onError: (error, context) => logger.warn({ ...context, error: String(error) }, "background work failed"),
  });
  options.configure?.(container);

  const close = async () => {
    await simulator?.stop();
    await live.close();
    await database.close();
  };
  try {
    const voxanne = container.resolve(TOKENS.Voxanne);
    return { container, voxanne, database, hub, recordings, close, ...(simulator && { simulator }) };
  } catch (error) {
    await close();
    throw error;
  }
}
