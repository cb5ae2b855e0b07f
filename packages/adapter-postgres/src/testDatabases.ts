/**
 * Databases for this package's tests: PGlite in memory (one per test file, since each costs ~2 s),
 * and a fresh database on the PostgreSQL server for each test file, dropped afterwards. The server
 * is `DATABASE_ADMIN_URL` (CI starts a throwaway one) or the local one at 127.0.0.1:5432. Without
 * a server, CI fails loudly; a local run skips those tests and says why.
 */
import postgres from "postgres";
import { afterAll } from "vitest";
import { type Database, openPglite, openPostgres, probePostgres } from "./db.ts";
import { migrate } from "./migrate.ts";

const ADMIN_URL = process.env.DATABASE_ADMIN_URL ?? "postgres://postgres@127.0.0.1:5432/postgres";

/** An in-memory PGlite (migrated unless told otherwise), closed after the file's tests. */
export async function pgliteDatabase(options: { migrated?: boolean } = {}): Promise<Database> {
  const database = await openPglite();
  if (options.migrated !== false) await migrate(database);
  afterAll(() => database.close());
  return database;
}

/** Whether the PostgreSQL server can be used; in CI its absence is an error, not a skip. */
export const serverProblem = await probePostgres(ADMIN_URL);
if (serverProblem && process.env.CI) {
  throw new Error(`PostgreSQL server at DATABASE_ADMIN_URL is required in CI: ${serverProblem}`);
}
if (serverProblem) {
  console.warn(
    `Skipping PostgreSQL server tests: no server at ${ADMIN_URL} (${serverProblem}). Set DATABASE_ADMIN_URL.`,
  );
}

/** A database on the server, with its URL so that a test can open more pools on it (as more processes would). */
export interface ServerDatabase extends Database {
  readonly url: string;
}

/** A new database on the server for this test file (migrated unless told otherwise), dropped after it. */
export async function serverDatabase(options: { max?: number; migrated?: boolean } = {}): Promise<ServerDatabase> {
  const name = `voxanne_test_${crypto.randomUUID().replaceAll("-", "").slice(0, 16)}`;
  const admin = postgres(ADMIN_URL, { max: 1, onnotice: () => {} });
  await admin.unsafe(`create database ${name}`);
  const url = new URL(ADMIN_URL);
  url.pathname = `/${name}`;
  const database = openPostgres(url.href, options);
  if (options.migrated !== false) await migrate(database);
  afterAll(async () => {
    await database.close();
    await admin.unsafe(`drop database if exists ${name} with (force)`);
    await admin.end({ timeout: 1 });
  });
  return { ...database, url: url.href };
}

/** The server's maintenance database (for tests that create databases of their own). */
export { ADMIN_URL };

/** PGlite and, when there is one, the server, by name: for tests that must hold on both drivers. */
export async function everyDriver(options: { migrated?: boolean } = {}): Promise<[name: string, database: Database][]> {
  const drivers: [string, Database][] = [["PGlite", await pgliteDatabase(options)]];
  if (!serverProblem) drivers.push(["server", await serverDatabase(options)]);
  return drivers;
}
