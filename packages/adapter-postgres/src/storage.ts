/**
 * The Storage port on PostgreSQL: one code path for both drivers. Each `transaction` is one
 * database transaction scoped to its organization (see `scope.ts`); the workers claim work with
 * `FOR UPDATE SKIP LOCKED`, so several processes can share one database.
 */
import type { Storage } from "@voxanne/core";
import type { Database } from "./db.ts";
import { organizationDirectory } from "./directory.ts";
import { orgTx } from "./orgTx.ts";
import { inOrgTransaction } from "./scope.ts";
import { eventLogWorker, outboxWorker } from "./workers.ts";

/**
 * @example
 * const database = await openPglite();          // or openPostgres(process.env.DATABASE_URL)
 * await migrate(database);
 * const voxanne = createVoxanne({ storage: postgresStorage(database), telephony, sms, live });
 */
export function postgresStorage(database: Database): Storage {
  const { db } = database;
  return {
    transaction: (orgId, fn, options) => inOrgTransaction(db, orgId, (scope) => fn(orgTx(scope)), options),
    organizations: organizationDirectory(db),
    eventLog: eventLogWorker(db),
    outbox: outboxWorker(db),
    close: () => database.close(),
  };
}
