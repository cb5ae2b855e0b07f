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

type PostgresClient = postgres.Sql | postgres.TransactionSql;

/**
 * `client` with its parameterised `unsafe` calls prepared. Drizzle's postgres-js session passes
 * `{ prepare: false }` on every query (it prepares only `.prepare("name")`d ones, and offers no
 * setting), so postgres.js sends each one unnamed: Parse + Describe, wait, then Bind + Execute,
 * two round trips. Prepared, postgres.js caches the named statement per connection (keyed by its
 * text and types) and later runs take one. Parameterless calls keep the simple protocol (migrations
 * send several statements in one). The transaction and savepoint clients are wrapped likewise,
 * since drizzle runs a transaction's queries on the client `begin` hands it. (BEGIN is not
 * pipelined with the first query on a reserved connection: postgres.js's pool then filed connections
 * that died while reserved as open, and after a PostgreSQL restart the projector waited forever.)
 */
function preparing<T extends PostgresClient>(client: T): T {
  const wrapCallback = (args: unknown[]) =>
    args.map((arg) =>
      typeof arg === "function" ? (tx: PostgresClient) => (arg as (tx: PostgresClient) => unknown)(preparing(tx)) : arg,
    );
  return new Proxy(client, {
    get(target, property, receiver) {
      if (property === "unsafe") {
        return (
          query: string,
          params: postgres.ParameterOrJSON<never>[] = [],
          options: postgres.UnsafeQueryOptions = {},
        ) => target.unsafe(query, params, params.length > 0 ? { ...options, prepare: true } : options);
      }
      if (property === "begin" || property === "savepoint") {
        const method = Reflect.get(target, property, receiver) as (...args: unknown[]) => unknown;
        return (...args: unknown[]) => method.apply(target, wrapCallback(args));
      }
      return Reflect.get(target, property, receiver);
    },
  });
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
