/**
 * Which migrations exist (drizzle-kit's journal beside the SQL) and how many a database has
 * applied (drizzle's `__drizzle_migrations`): for `pnpm db:migrate` to say what it did.
 */
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { sql } from "drizzle-orm";
import type { Db } from "./db.ts";
import { MIGRATIONS_FOLDER } from "./migrate.ts";
import { rowsOf } from "./scope.ts";

/** The migrations' names, in the order they apply. */
export function migrationTags(): string[] {
  const journal: { entries: { tag: string }[] } = JSON.parse(
    readFileSync(join(MIGRATIONS_FOLDER, "meta", "_journal.json"), "utf8"),
  );
  return journal.entries.map((entry) => entry.tag);
}

/** How many migrations the database has applied (0 when it has never been migrated). */
export async function appliedCount(db: Db): Promise<number> {
  const [table] = rowsOf<{ name: string | null }>(
    await db.execute(sql`select to_regclass('drizzle.__drizzle_migrations')::text as name`),
  );
  if (!table?.name) return 0;
  const [row] = rowsOf<{ n: number }>(
    await db.execute(sql`select count(*)::int as n from drizzle.__drizzle_migrations`),
  );
  return row?.n ?? 0;
}
