/**
 * The databases a Postgres bench runs against: a fresh database on the server (created per run,
 * dropped afterwards, even on Ctrl-C) and PGlite in memory. Each comes with a raw query path
 * that bypasses the adapter, for baselines and data generation: a separate postgres.js client on
 * the server, PGlite's own `query` in process. Both connect as superusers, so they bypass
 * row-level security, as a data loader would.
 */
import { randomUUID } from "node:crypto";
import type { PGlite } from "@electric-sql/pglite";
import { type Database, migrate, openPglite, openPostgres, probePostgres } from "@voxanne/adapter-postgres";
import postgres from "postgres";

export const ADMIN_URL = process.env.DATABASE_ADMIN_URL ?? "postgres://postgres@127.0.0.1:5432/postgres";

export type Driver = "server" | "pglite";

/** One raw statement; `params` are bound ($1, $2…). Returns the rows. */
export type RawQuery = <T = Record<string, unknown>>(text: string, params?: unknown[]) => Promise<T[]>;

export interface BenchDatabase {
  readonly driver: Driver;
  /** The adapter's handle (drizzle over postgres.js or PGlite). */
  readonly database: Database;
  /** Raw statements outside any transaction, outside the adapter. */
  readonly raw: RawQuery;
  /** Raw statements in one transaction. */
  rawTransaction<T>(fn: (query: RawQuery) => Promise<T>): Promise<T>;
  /** The database's URL on the server (for extra clients); undefined on PGlite. */
  readonly url: string | undefined;
  close(): Promise<void>;
}

const cleanups = new Set<() => Promise<void>>();
let interruptHooked = false;

/** Runs `cleanup` on Ctrl-C too, so an interrupted full-size run leaves no database behind. */
function cleanUpOnInterrupt(cleanup: () => Promise<void>): () => void {
  cleanups.add(cleanup);
  if (!interruptHooked) {
    interruptHooked = true;
    process.once("SIGINT", () => {
      console.error("\ninterrupted: dropping the bench databases");
      void Promise.allSettled([...cleanups].map((c) => c())).then(() => process.exit(130));
    });
  }
  return () => cleanups.delete(cleanup);
}

/**
 * The drivers to run: both, or those named in BENCH_DRIVERS (e.g. `server`). Without a reachable
 * server the server runs are skipped with a message, except in CI, where that is an error.
 */
export async function drivers(): Promise<Driver[]> {
  const wanted = (process.env.BENCH_DRIVERS ?? "server,pglite").split(",").map((d) => d.trim());
  const chosen = (["server", "pglite"] as const).filter((d) => wanted.includes(d));
  if (!chosen.includes("server")) return chosen;
  const problem = await probePostgres(ADMIN_URL);
  if (problem === undefined) return chosen;
  if (process.env.CI) throw new Error(`PostgreSQL server at DATABASE_ADMIN_URL is required in CI: ${problem}`);
  console.log(`skipping the server runs: no PostgreSQL at ${ADMIN_URL} (${problem}); set DATABASE_ADMIN_URL`);
  return chosen.filter((d) => d !== "server");
}

/** A fresh, migrated database on the server; `close` drops it. */
async function openServer(options: { max?: number }): Promise<BenchDatabase> {
  const name = `voxanne_bench_${randomUUID().replaceAll("-", "").slice(0, 12)}`;
  const admin = postgres(ADMIN_URL, { max: 1, onnotice: () => {} });
  await admin.unsafe(`create database ${name}`);
  const url = new URL(ADMIN_URL);
  url.pathname = `/${name}`;
  const database = openPostgres(url.href, options);
  // The baseline's own client, so it never waits behind the adapter's pool.
  const sql = postgres(url.href, { max: 2, onnotice: () => {} });
  const drop = () => admin.unsafe(`drop database if exists ${name} with (force)`);
  // Interrupted: drop at once (`force` ends the running statements), then let go of the clients.
  const forget = cleanUpOnInterrupt(async () => {
    await drop();
    await Promise.allSettled([database.close(), sql.end({ timeout: 0 }), admin.end({ timeout: 0 })]);
  });
  const close = async () => {
    forget();
    await Promise.allSettled([database.close(), sql.end({ timeout: 5 })]);
    await drop();
    await admin.end({ timeout: 1 });
  };
  await migrate(database).catch(async (error: unknown) => {
    await close();
    throw error;
  });
  // Prepared, as postgres.js prepares its tagged-template queries by default.
  const over =
    (s: postgres.Sql | postgres.TransactionSql): RawQuery =>
    <T>(text: string, params: unknown[] = []) =>
      s.unsafe(text, params as postgres.ParameterOrJSON<never>[], { prepare: true }) as unknown as Promise<T[]>;
  return {
    driver: "server",
    database,
    raw: over(sql),
    rawTransaction: <T>(fn: (query: RawQuery) => Promise<T>) => sql.begin((tx) => fn(over(tx))) as Promise<T>,
    url: url.href,
    close,
  };
}

/** PGlite's own client under the adapter's drizzle handle (drizzle keeps it as `$client`). */
const pgliteOf = (database: Database): PGlite => (database.db as unknown as { $client: PGlite }).$client;

async function openMemory(): Promise<BenchDatabase> {
  const database = await openPglite();
  const forget = cleanUpOnInterrupt(() => database.close());
  await migrate(database);
  const pg = pgliteOf(database);
  return {
    driver: "pglite",
    database,
    raw: async <T>(text: string, params: unknown[] = []) => (await pg.query<T>(text, params)).rows,
    rawTransaction: (fn) =>
      pg.transaction((tx) =>
        fn(async <T>(text: string, params: unknown[] = []) => (await tx.query<T>(text, params)).rows),
      ),
    url: undefined,
    close: async () => {
      forget();
      await database.close();
    },
  };
}

export function openBenchDatabase(driver: Driver, options: { max?: number } = {}): Promise<BenchDatabase> {
  return driver === "server" ? openServer(options) : openMemory();
}

/** Opens the driver's database, runs `fn`, and always closes (drops) it. */
export async function withBenchDatabase<T>(
  driver: Driver,
  fn: (db: BenchDatabase) => Promise<T>,
  options: { max?: number } = {},
): Promise<T> {
  const db = await openBenchDatabase(driver, options);
  try {
    return await fn(db);
  } finally {
    await db.close();
  }
}

/**
 * Tables kept as autovacuum keeps them in service, while a bench runs. Where it does not run
 * (PGlite never; this machine's shared server turns it off for test runs), `vacuum analyze` runs
 * every `everyMs` until the returned stop: else the planner keeps the plans it made for the empty
 * tables of a fresh database (an index scan of all the org's calls to find one), index-only scans
 * visit the heap for every row, and a bench whose tables grow measures that instead. Nothing to do
 * where autovacuum is on (CI's throwaway cluster).
 */
export async function keepStatistics(db: BenchDatabase, everyMs = 5_000): Promise<() => Promise<void>> {
  const [setting] = db.driver === "server" ? await db.raw<{ autovacuum: string }>("show autovacuum") : [];
  if (setting?.autovacuum === "on") return async () => {};
  console.log(`${db.driver}: autovacuum does not run here: the bench vacuums and analyzes every ${everyMs / 1000} s`);
  let running: Promise<unknown> = Promise.resolve();
  const timer = setInterval(() => {
    running = running.then(() => db.raw("vacuum analyze")).catch(() => {}); // one at a time; a failed one waits for the next
  }, everyMs);
  return async () => {
    clearInterval(timer);
    await running;
  };
}
