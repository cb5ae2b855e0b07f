/**
 * @voxanne/adapter-postgres: the Storage port on PostgreSQL through Drizzle, over postgres.js
 * (a server) or PGlite (in-process, the zero-set-up default).
 * @module
 */
export type { Database, Db, Schema } from "./db.ts";
export { drizzleOverPostgres, openDatabase, openPglite, openPostgres, probePostgres } from "./db.ts";
export type { LocalLiveEvents, PgLiveEventsOptions } from "./liveEvents.ts";
export { pgLiveEvents } from "./liveEvents.ts";
export { MIGRATIONS_FOLDER, migrate } from "./migrate.ts";
export * as schema from "./schema.ts";
export { inOrgTransaction } from "./scope.ts";
export { postgresStorage } from "./storage.ts";
