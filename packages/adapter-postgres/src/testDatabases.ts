/**
 * Databases for this package's tests: PGlite in memory (one per test file, since each costs ~2 s),
 * and a fresh database on the PostgreSQL server for each test file, dropped afterwards. The server
 * is `DATABASE_ADMIN_URL` (CI starts a throwaway one) or the local one at 127.0.0.1:5432. Without
 * a server, CI fails loudly; a local run skips those tests and says why.
 */
import postgres from "postgres";
import { afterAll } from "vitest";
import { type Database, openPglite, openPostgres } from "./db.ts";
import { migrate } from "./migrate.ts";

const ADMIN_URL = process.env.DATABASE_ADMIN_URL ?? "postgres://postgres@127.0.0.1:5432/postgres";

/** A migrated in-memory PGlite, closed after the file's tests. */
export async function pgliteDatabase(): Promise<Database> {
  const database = await openPglite();
  await migrate(database);
  afterAll(() => database.close());
  return database;
}

async function serverReachable(): Promise<string | undefined> {
  const admin = postgres(ADMIN_URL, { max: 1, connect_timeout: 3, onnotice: () => {} });
  try {
    await admin`select 1`;
    return undefined;
  } catch (error) {
    return (error as Error).message;
  } finally {
    await admin.end({ timeout: 1 });
  }
}

/** Whether the PostgreSQL server can be used; in CI its absence is an error, not a skip. */
export const serverProblem = await serverReachable();
if (serverProblem && process.env.CI) {
  throw new Error(`PostgreSQL server at DATABASE_ADMIN_URL is required in CI: ${serverProblem}`);
}
if (serverProblem) {
  console.warn(`Skipping PostgreSQL server tests: no server at ${ADMIN_URL} (${serverProblem}). Set DATABASE_ADMIN_URL.`);
}

/** A new, migrated database on the server for this test file, dropped after it. */
export async function serverDatabase(options: { max?: number } = {}): Promise<Database> {
  const name = `voxanne_test_${crypto.randomUUID().replaceAll("-", "").slice(0, 16)}`;
  const admin = postgres(ADMIN_URL, { max: 1, onnotice: () => {} });
  await admin.unsafe(`create database ${name}`);
  const url = new URL(ADMIN_URL);
  url.pathname = `/${name}`;
  const database = openPostgres(url.href, options);
  await migrate(database);
  afterAll(async () => {
    await database.close();
    await admin.unsafe(`drop database if exists ${name} with (force)`);
    await admin.end({ timeout: 1 });
  });
  return database;
}

/** The URL of a fresh database (for tests that open their own connections, e.g. two workers). */
export { ADMIN_URL };
