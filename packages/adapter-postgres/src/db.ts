/**
 * Opening the database: the same Drizzle `PgDatabase` over either driver. postgres.js talks to a
 * server (`DATABASE_URL`); PGlite runs Postgres in-process, in memory or in a data folder, as the
 * zero-set-up default. Everything above this file is driver-agnostic.
 */
import { PGlite } from "@electric-sql/pglite";
import type { PgDatabase, PgQueryResultHKT } from "drizzle-orm/pg-core";
import { drizzle as drizzlePglite } from "drizzle-orm/pglite";
import { drizzle as drizzlePostgres } from "drizzle-orm/postgres-js";
import postgres from "postgres";
import * as schema from "./schema.ts";

export type Schema = typeof schema;
export type Db = PgDatabase<PgQueryResultHKT, Schema>;

export interface Database {
  readonly db: Db;
  readonly driver: "pglite" | "postgres";
  close(): Promise<void>;
  /**
   * LISTEN on `channel` (raw driver access, which Drizzle does not offer); resolves once listening,
   * with the unlisten. Optional so that hand-made Databases (tests, wrappers) need not offer it.
   */
  listen?(channel: string, onPayload: (payload: string) => void): Promise<() => Promise<void>>;
  /** NOTIFY `channel` with `payload` (under 8000 bytes, Postgres' limit). */
  notify?(channel: string, payload: string): Promise<void>;
}

/** PGlite in this process: in memory when `dataDir` is omitted, else persisted in that folder. */
export async function openPglite(options: { dataDir?: string } = {}): Promise<Database> {
  const client = await PGlite.create(options.dataDir);
  return {
    db: drizzlePglite(client, { schema }) as unknown as Db,
    driver: "pglite",
    close: () => client.close(),
    async listen(channel, onPayload) {
      const unlisten = await client.listen(channel, onPayload);
      return () => unlisten();
    },
    async notify(channel, payload) {
      await client.query("select pg_notify($1, $2)", [channel, payload]);
    },
  };
}

type PostgresClient = postgres.Sql | postgres.TransactionSql | postgres.ReservedSql;

/**
 * `client` with its parameterised `unsafe` calls prepared. Drizzle's postgres-js session passes
 * `{ prepare: false }` on every query (it prepares only `.prepare("name")`d ones, and offers no
 * setting), so postgres.js sends each one unnamed: Parse + Describe, wait, then Bind + Execute,
 * two round trips. Prepared, postgres.js caches the named statement per connection (keyed by its
 * text and types) and later runs take one. Parameterless calls keep the simple protocol (migrations
 * send several statements in one). `watch` hears of every query and failure (see `pipelinedBegin`).
 * The root client's `begin` is `pipelinedBegin`.
 */
function preparing<T extends PostgresClient>(client: T, watch?: QueryWatch): T {
  return new Proxy(client, {
    get(target, property, receiver) {
      if (property === "unsafe") {
        return (
          query: string,
          params: postgres.ParameterOrJSON<never>[] = [],
          options: postgres.UnsafeQueryOptions = {},
        ) => {
          const sent = target.unsafe(query, params, params.length > 0 ? { ...options, prepare: true } : options);
          watch?.sent(query, sent);
          return sent;
        };
      }
      if (property === "begin" && "reserve" in target) {
        const original = Reflect.get(target, property, receiver) as (...args: unknown[]) => unknown;
        return (...args: unknown[]) =>
          args.length === 1 && typeof args[0] === "function"
            ? pipelinedBegin(target, args[0] as (tx: postgres.ReservedSql) => Promise<unknown>)
            : original.apply(target, args);
      }
      return Reflect.get(target, property, receiver);
    },
  });
}

/** What `pipelinedBegin` learns of a transaction's queries. */
interface QueryWatch {
  sent(text: string, answer: Promise<{ count: number | null }>): void;
  failed(error: unknown): void;
}

/** A statement that cannot change data that a commit would keep (the scope statement is one). */
const readsOnly = (text: string) => /^\s*select\b/i.test(text);

/**
 * postgres.js's `begin`, with fewer waits. postgres.js waits for BEGIN's answer before it runs the
 * callback; here BEGIN goes out on a reserved connection and the callback's first query follows
 * at once (pipelined; the server runs them in order). And a transaction that changed no row (it
 * only read, or its writes matched nothing: a projector's claim that found no work) does not wait
 * for COMMIT's answer either: there is nothing to make durable, so its results go back at once,
 * and the connection returns to the pool with the COMMIT still under way. As in postgres.js, a query
 * that failed fails the transaction even if the callback caught it (Postgres has aborted it
 * anyway), and the connection rolls back on any failure. No savepoints: nothing here nests
 * transactions. It relies on our postgres.js patch: unpatched, a reserved connection that died
 * mid-transaction (a PostgreSQL restart) was filed back as open on release, and its queued queries
 * never settled, so the pool lost track of connections and the projector waited forever.
 */
async function pipelinedBegin<T>(client: postgres.Sql, fn: (tx: postgres.ReservedSql) => Promise<T>): Promise<T> {
  const connection = await client.reserve();
  let failed: { error: unknown } | undefined;
  /** Writes that changed rows, or whose answer is not in yet (they may have). */
  let changes = 0;
  const watch: QueryWatch = {
    sent: (text, answer) => {
      const write = !readsOnly(text);
      if (write) changes++;
      answer.then(
        (result) => {
          if (write && result.count === 0) changes--;
        },
        (error: unknown) => {
          failed ??= { error };
        },
      );
    },
    failed: (error) => {
      failed ??= { error };
    },
  };
  try {
    connection.unsafe("begin").execute().catch(watch.failed);
    const result = await fn(preparing(connection, watch));
    if (failed) throw failed.error;
    // Whatever uses the connection next is queued behind the COMMIT on it.
    const commit = connection.unsafe("commit").execute();
    if (changes > 0) await commit;
    else commit.catch(() => {});
    return result;
  } catch (error) {
    await connection.unsafe("rollback").catch(() => {});
    // "current transaction is aborted": the query that aborted it says why.
    throw failed && (error as { code?: string }).code === "25P02" ? failed.error : error;
  } finally {
    connection.release();
  }
}

/** Drizzle over a postgres.js client, with prepared statements (see `preparing`). */
export const drizzleOverPostgres = (client: postgres.Sql): Db =>
  drizzlePostgres(preparing(client), { schema }) as unknown as Db;

/** A PostgreSQL server through postgres.js, with a pool of `max` connections (default 10). */
export function openPostgres(url: string, options: { max?: number } = {}): Database {
  const client = postgres(url, { max: options.max ?? 10, onnotice: () => {} });
  return {
    db: drizzleOverPostgres(client),
    driver: "postgres",
    close: () => client.end({ timeout: 5 }),
    // postgres.js keeps LISTENs on a dedicated connection of its own, outside the pool.
    async listen(channel, onPayload) {
      const { unlisten } = await client.listen(channel, onPayload);
      return unlisten;
    },
    async notify(channel, payload) {
      await client.notify(channel, payload);
    },
  };
}

/** The server named by `url`, or PGlite under `dataDir` (`./.voxanne/pgdata` by default) when there is none. */
export function openDatabase(url: string | undefined, dataDir = "./.voxanne/pgdata"): Promise<Database> {
  return url ? Promise.resolve(openPostgres(url)) : openPglite({ dataDir });
}

/** Why the server at `url` cannot be used (its error message), or undefined when it answers. */
export async function probePostgres(url: string): Promise<string | undefined> {
  const client = postgres(url, { max: 1, connect_timeout: 3, onnotice: () => {} });
  try {
    await client`select 1`;
    return undefined;
  } catch (error) {
    return (error as Error).message;
  } finally {
    await client.end({ timeout: 1 });
  }
}
