/**
 * `pnpm db:migrate`: applies the committed migrations to the PostgreSQL server named by
 * `DATABASE_URL`, says which ones it applied, and exits (1 on failure, with the reason).
 */
import { DrizzleQueryError } from "drizzle-orm";
import { openPostgres } from "../db.ts";
import { migrate } from "../migrate.ts";
import { appliedCount, migrationTags } from "../migrationHistory.ts";

/** The server to migrate; a missing or non-postgres URL fails naming the variable (never echoing it: it may hold a password). */
function databaseUrl(value: string | undefined): URL {
  const example = "e.g. DATABASE_URL=postgres://user:password@localhost:5432/voxanne";
  if (!value) throw new Error(`DATABASE_URL is not set: name the PostgreSQL database to migrate (${example})`);
  const url = URL.canParse(value) ? new URL(value) : undefined;
  if (url?.protocol !== "postgres:" && url?.protocol !== "postgresql:") {
    throw new Error(`DATABASE_URL is not a postgres:// or postgresql:// URL (${example})`);
  }
  return url;
}

async function main(): Promise<void> {
  const url = databaseUrl(process.env.DATABASE_URL);
  const target = `${url.hostname}:${url.port || "5432"}${url.pathname}`;
  const database = openPostgres(url.href, { max: 1 });
  try {
    const before = await appliedCount(database.db);
    await migrate(database);
    const applied = migrationTags().slice(before, await appliedCount(database.db));
    console.log(
      applied.length === 0
        ? `${target}: up to date (${before} migrations applied before)`
        : `${target}: applied ${applied.length} migration(s): ${applied.join(", ")}`,
    );
  } finally {
    await database.close();
  }
}

/** The failure in a line: a query's own error rather than Drizzle's wrapper, which only repeats the SQL. */
const reason = (error: unknown): string =>
  error instanceof DrizzleQueryError && error.cause
    ? reason(error.cause)
    : error instanceof Error
      ? error.message
      : String(error);

main().catch((error: unknown) => {
  console.error(`db:migrate failed: ${reason(error)}`);
  process.exitCode = 1;
});
