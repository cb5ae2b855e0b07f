/**
 * Fresh databases on the PostgreSQL server at `DATABASE_ADMIN_URL` (CI starts a throwaway one),
 * dropped by `dropAll`. Without a server, CI fails loudly; a local run is told to set it.
 */
import { randomBytes } from "node:crypto";
import { openDatabase, probePostgres } from "@voxanne/adapter-postgres";

export const ADMIN_URL = process.env.DATABASE_ADMIN_URL ?? "postgres://postgres@127.0.0.1:5432/postgres";

/** Why the server cannot be used, or null. The crash tests need it: they never skip. */
export const serverProblem = await probePostgres(ADMIN_URL);

async function admin(statement: string): Promise<void> {
  const database = await openDatabase(ADMIN_URL);
  try {
    await database.db.execute(statement);
  } finally {
    await database.close();
  }
}

/** Creates databases named `<prefix>_<random>` and drops them all at the end. */
export function databaseFactory(prefix: string) {
  const created: string[] = [];
  return {
    async create(): Promise<string> {
      const name = `${prefix}_${randomBytes(6).toString("hex")}`;
      await admin(`create database ${name}`);
      created.push(name);
      const url = new URL(ADMIN_URL);
      url.pathname = `/${name}`;
      return url.href;
    },
    async dropAll(): Promise<void> {
      for (const name of created.splice(0)) await admin(`drop database if exists ${name} with (force)`);
    },
  };
}
