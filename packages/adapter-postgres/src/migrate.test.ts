/**
 * Migrations apply on an empty database and are a no-op the second time, on both drivers.
 * (`drizzle-kit check` in CI catches drift between `schema.ts` and the committed SQL.)
 */
import { type SQL, sql } from "drizzle-orm";
import { describe, expect, test } from "vitest";
import type { Db } from "./db.ts";
import { migrate } from "./migrate.ts";
import { appliedCount, migrationTags } from "./migrationHistory.ts";
import { TENANT_TABLES } from "./schema.ts";
import { rowsOf } from "./scope.ts";
import { everyDriver } from "./testDatabases.ts";

const query = async <T>(db: Db, statement: SQL) => rowsOf<T>(await db.execute(statement));

/** The applied migrations, as drizzle records them. */
const history = (db: Db) =>
  query<{ hash: string; created_at: string }>(
    db,
    sql`select hash, created_at::text from drizzle.__drizzle_migrations order by id`,
  );

/** What a migration can change: tables and columns, indexes, policies, row-level security flags. */
const catalog = async (db: Db) => ({
  columns: await query(
    db,
    sql`select table_name, column_name, data_type, is_nullable, column_default from information_schema.columns
        where table_schema = 'public' order by table_name, column_name`,
  ),
  indexes: await query(db, sql`select indexdef from pg_indexes where schemaname = 'public' order by indexname`),
  policies: await query(
    db,
    sql`select tablename, policyname, qual, with_check from pg_policies where schemaname = 'public' order by tablename`,
  ),
  security: await query<{ relname: string; relrowsecurity: boolean; relforcerowsecurity: boolean }>(
    db,
    sql`select relname, relrowsecurity, relforcerowsecurity from pg_class
        where relnamespace = 'public'::regnamespace and relkind = 'r' order by relname`,
  ),
});

describe.each(await everyDriver({ migrated: false }))("migrate on %s", (_, database) => {
  const { db } = database;

  test("applies every migration on an empty database, then a second run changes nothing", async () => {
    expect((await catalog(db)).columns).toEqual([]);
    expect(await appliedCount(db)).toBe(0);

    await migrate(database);
    const applied = await history(db);
    expect(applied).toHaveLength(migrationTags().length);
    expect(await appliedCount(db)).toBe(migrationTags().length);
    const migrated = await catalog(db);
    expect(migrated.security).toEqual(
      [...TENANT_TABLES].sort().map((relname) => ({ relname, relrowsecurity: true, relforcerowsecurity: true })),
    );
    expect(migrated.policies).toHaveLength(TENANT_TABLES.length);

    await migrate(database);
    expect(await history(db)).toEqual(applied);
    expect(await catalog(db)).toEqual(migrated);
  });

  test("the webhook payload and the call transcript are lz4-compressed where the server has lz4", async () => {
    await migrate(database);
    const [{ lz4 } = { lz4: false }] = await query<{ lz4: boolean }>(
      db,
      sql`select 'lz4' = any (enumvals) as lz4 from pg_settings where name = 'default_toast_compression'`,
    );
    const methods = await query<{ column: string; method: string }>(
      db,
      sql`select attrelid::regclass::text || '.' || attname as column, attcompression::text as method
          from pg_attribute where (attrelid, attname) in (('event_log'::regclass, 'payload'), ('calls'::regclass, 'transcript'))
          order by 1`,
    );
    // PGlite is built without lz4: its columns keep the default (an empty method).
    const method = lz4 ? "l" : "";
    expect(methods).toEqual([
      { column: "calls.transcript", method },
      { column: "event_log.payload", method },
    ]);
  });
});
