import { fileURLToPath } from "node:url";
import type { PgliteDatabase } from "drizzle-orm/pglite";
import { migrate as migratePglite } from "drizzle-orm/pglite/migrator";
import type { PostgresJsDatabase } from "drizzle-orm/postgres-js";
import { migrate as migratePostgres } from "drizzle-orm/postgres-js/migrator";
import type { Database, Schema } from "./db.ts";

/** The SQL migrations drizzle-kit generated from `schema.ts`, committed beside this package. */
export const MIGRATIONS_FOLDER = fileURLToPath(new URL("../drizzle", import.meta.url));

/** Applies every migration not applied yet (a no-op on an up-to-date database). */
export async function migrate(database: Database): Promise<void> {
  const config = { migrationsFolder: MIGRATIONS_FOLDER };
  if (database.driver === "pglite") await migratePglite(database.db as unknown as PgliteDatabase<Schema>, config);
  else await migratePostgres(database.db as unknown as PostgresJsDatabase<Schema>, config);
}
