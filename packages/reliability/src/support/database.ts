/**
 * A fresh database for one test file on a PostgreSQL server (the shared one from
 * `DATABASE_ADMIN_URL`, or a throwaway cluster), and the raw SQL the checks read it with: a
 * second path beside the server's own API. Queries take no parameters; callers inline only values
 * they generated themselves (`literal` quotes them).
 */
import { randomBytes } from "node:crypto";
import type { Database } from "@voxanne/adapter-postgres";
import { openPostgres, probePostgres } from "@voxanne/adapter-postgres";

export const SHARED_ADMIN_URL = process.env.DATABASE_ADMIN_URL ?? "postgres://postgres@127.0.0.1:5432/postgres";

/** Fails loudly (in CI and locally alike): every test here needs a PostgreSQL server. */
export async function requireSharedPostgres(): Promise<string> {
  const problem = await probePostgres(SHARED_ADMIN_URL);
  if (problem) {
    throw new Error(`the reliability suite needs PostgreSQL at DATABASE_ADMIN_URL (${SHARED_ADMIN_URL}): ${problem}`);
  }
  return SHARED_ADMIN_URL;
}

/** A SQL string literal. */
export const literal = (value: string) => `'${value.replaceAll("'", "''")}'`;

export interface SqlReader {
  rows<T extends Record<string, unknown>>(query: string): Promise<T[]>;
  close(): Promise<void>;
}

export function sqlReader(url: string): SqlReader {
  let database: Database | undefined;
  return {
    async rows<T extends Record<string, unknown>>(query: string) {
      database ??= openPostgres(url);
      return (await database.db.execute(query)) as unknown as T[];
    },
    async close() {
      await database?.close();
      database = undefined;
    },
  };
}

export interface FreshDatabase {
  readonly url: string;
  readonly sql: SqlReader;
  drop(): Promise<void>;
}

export async function freshDatabase(adminUrl: string): Promise<FreshDatabase> {
  const name = `voxanne_reliability_${randomBytes(6).toString("hex")}`;
  const admin = sqlReader(adminUrl);
  await admin.rows(`create database ${name}`);
  await admin.close();
  const url = new URL(adminUrl);
  url.pathname = `/${name}`;
  const sql = sqlReader(url.href);
  return {
    url: url.href,
    sql,
    async drop() {
      await sql.close();
      const again = sqlReader(adminUrl);
      try {
        await again.rows(`drop database if exists ${name} with (force)`);
      } finally {
        await again.close();
      }
    },
  };
}
