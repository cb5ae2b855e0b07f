/**
 * Starting and stopping the server: the API and the live WebSocket share one port; background
 * workers run beside them. `close()` drains in order: stop accepting, finish in-flight requests
 * (up to `drainMs`, then cut), stop the simulator and the workers, close sockets and the database.
 */
import type { Server } from "node:http";
import type { AddressInfo } from "node:net";
import { serve } from "@hono/node-server";
import type { Voxanne } from "@voxanne/core";
import type { Logger } from "pino";
import { pino } from "pino";
import { mintToken } from "../auth.ts";
import { attachLiveUpdates } from "../live/websocket.ts";
import type { ComposeOptions } from "./compose.ts";
import { composeCore } from "./compose.ts";
import { authOf, composeApp } from "./composeApp.ts";
import type { ServerConfig } from "./config.ts";
import { ConfigError, loadConfig } from "./config.ts";
import { DEMO_ORG_ID, demoBanner, ensureDemoOrg } from "./demo.ts";

export interface StartOptions extends Partial<ComposeOptions> {
  /** Where the start-up banner goes (default: stdout). */
  print?: (text: string) => void;
  /** How long `close()` waits for in-flight requests before cutting them (default 10 s). */
  drainMs?: number;
}

export interface RunningServer {
  url: string;
  port: number;
  voxanne: Voxanne;
  /** The demo org (development only) and a token for it when the config has an HS256 secret. */
  demo?: { orgId: string; token?: string };
  close(): Promise<void>;
}

const DEV_TOKEN_TTL_SECONDS = 12 * 3_600;

/** Resolves with the bound server once it listens, rejects on a listen error (port in use…). */
function listen(app: { fetch: (request: Request) => Response | Promise<Response> }, config: ServerConfig) {
  return new Promise<Server>((resolve, reject) => {
    const server = serve({ fetch: app.fetch, port: config.port, ...(config.host && { hostname: config.host }) }, () =>
      resolve(server),
    ) as Server;
    server.once("error", reject);
  });
}

/** The host the server can reach itself on (the simulator posts its webhooks there). */
const selfHost = (host: string | undefined) =>
  !host || host === "0.0.0.0" || host === "::" ? "127.0.0.1" : host.includes(":") ? `[${host}]` : host;

export async function startServer(config: ServerConfig, options: StartOptions = {}): Promise<RunningServer> {
  const logger: Logger = options.logger ?? pino({ level: config.logLevel });
  const print = options.print ?? ((text: string) => process.stdout.write(`${text}\n`));
  for (const warning of config.warnings) logger.warn(warning);

  const core = await composeCore(config, { ...options, logger });
  let server: Server;
  let live: { close(): Promise<void> };
  let demo: RunningServer["demo"];
  try {
    const { voxanne } = core;
    const found = config.production ? undefined : await ensureDemoOrg(voxanne);
    const auth = authOf(config);
    server = await listen(composeApp(config, core, logger, auth), config);
    live = attachLiveUpdates(server, { auth, hub: core.hub });
    const port = (server.address() as AddressInfo).port;
    core.simulator?.deliverTo(`http://${selfHost(config.host)}:${port}/webhooks/vapi`);
    voxanne.start();
    const url = `http://${config.host && selfHost(config.host) !== "127.0.0.1" ? selfHost(config.host) : "localhost"}:${port}`;
    if (found) {
      const { secret } = config.jwt;
      const token = secret ? await mintToken({ ...config.jwt, secret }, DEMO_ORG_ID, DEV_TOKEN_TTL_SECONDS) : undefined;
      demo = { orgId: found.org.id, ...(token && { token }) };
      print(demoBanner(url, found.org, token));
    } else {
      print(`Voxanne is listening on ${url}`);
    }
    logger.info({ port, database: core.database.driver }, "server started");
    return { url, port, voxanne, ...(demo && { demo }), close: once(() => drain()) };
  } catch (error) {
    await core.close();
    throw error;
  }

  async function drain() {
    logger.info("server draining");
    await core.simulator?.stop(); // its webhooks come back to this server: stop them first
    const stopped = new Promise<void>((resolve) => server.close(() => resolve()));
    await live.close();
    // A keep-alive connection turns idle once its request is answered: close those as they do.
    const reaper = setInterval(() => server.closeIdleConnections(), 50);
    server.closeIdleConnections();
    const cut = setTimeout(() => server.closeAllConnections(), options.drainMs ?? 10_000);
    await stopped;
    clearInterval(reaper);
    clearTimeout(cut);
    await core.voxanne.stop();
    await core.close();
    logger.info("server stopped");
  }
}

/** The first call runs `fn`; later calls get the same promise. */
function once(fn: () => Promise<void>): () => Promise<void> {
  let running: Promise<void> | undefined;
  return () => {
    running ??= fn();
    return running;
  };
}

/** SIGTERM / SIGINT drain the server, then exit; a second signal exits at once. */
export function closeOnSignals(running: RunningServer, logger: Pick<Logger, "error"> = console): void {
  const stop = (signal: NodeJS.Signals) => {
    process.once(signal, () => process.exit(1));
    running.close().then(
      () => process.exit(0),
      (error: unknown) => {
        logger.error(error, "shutdown failed");
        process.exit(1);
      },
    );
  };
  process.once("SIGTERM", stop);
  process.once("SIGINT", stop);
}

/** `pnpm start`: configuration from the environment (a bad variable is named, exit code 1), then serve until a signal. */
export async function runServer(env: Record<string, string | undefined> = process.env): Promise<void> {
  let config: ServerConfig;
  try {
    config = loadConfig(env);
  } catch (error) {
    if (!(error instanceof ConfigError)) throw error;
    process.stderr.write(`${error.message}\n`);
    process.exitCode = 1;
    return;
  }
  closeOnSignals(await startServer(config));
}
