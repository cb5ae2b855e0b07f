/**
 * The PostgreSQL server for this package's tests: `DATABASE_ADMIN_URL` (CI starts a throwaway
 * one) or a local one at 127.0.0.1:5432. A local run without one skips; CI fails.
 */
import { connect } from "node:net";
import { openDatabase } from "@voxanne/adapter-postgres";

export const ADMIN_URL = process.env.DATABASE_ADMIN_URL ?? "postgres://postgres@127.0.0.1:5432/postgres";

/** Whether something listens at the admin URL's address (a quick probe, not a 30 s connect timeout). */
function reachable(url: string): Promise<boolean> {
  const { hostname, port } = new URL(url);
  return new Promise((resolve) => {
    const socket = connect({ host: hostname, port: Number(port || 5432), timeout: 1_000 });
    const done = (ok: boolean) => {
      socket.destroy();
      resolve(ok);
    };
    socket
      .once("connect", () => done(true))
      .once("error", () => done(false))
      .once("timeout", () => done(false));
  });
}

export const postgresAvailable = await reachable(ADMIN_URL);
if (!postgresAvailable && process.env.CI) throw new Error("PostgreSQL at DATABASE_ADMIN_URL is required in CI");

/** Runs one statement on the admin database (create or drop a test database). */
export async function admin(statement: string): Promise<void> {
  const database = await openDatabase(ADMIN_URL);
  try {
    await database.db.execute(statement);
  } finally {
    await database.close();
  }
}
