/**
 * The Storage port on PostgreSQL: one code path for both drivers. Each `transaction` is one
 * database transaction scoped to its organization (see `scope.ts`); the workers claim work with
 * `FOR UPDATE SKIP LOCKED`, so several processes can share one database.
 */
import type { OrgTx, Storage } from "@voxanne/core";
import type { Database } from "./db.ts";
import { organizationDirectory } from "./directory.ts";
import { activityRepository } from "./repositories/activity.ts";
import { appointmentRepository } from "./repositories/appointments.ts";
import { callRepository } from "./repositories/calls.ts";
import { contactRepository } from "./repositories/contacts.ts";
import { txEventLog } from "./repositories/eventLog.ts";
import { messageRepository } from "./repositories/messages.ts";
import { metricsRepository } from "./repositories/metrics.ts";
import { organizationRepository } from "./repositories/organization.ts";
import { txOutbox } from "./repositories/outbox.ts";
import { serviceRepository } from "./repositories/services.ts";
import type { OrgScope } from "./scope.ts";
import { inOrgTransaction } from "./scope.ts";
import { eventLogWorker, outboxWorker } from "./workers.ts";

/** The core's view of one organization's transaction. */
export const orgTx = (scope: OrgScope): OrgTx => ({
  orgId: scope.orgId,
  organization: organizationRepository(scope),
  contacts: contactRepository(scope),
  calls: callRepository(scope),
  services: serviceRepository(scope),
  appointments: appointmentRepository(scope),
  messages: messageRepository(scope),
  activity: activityRepository(scope),
  metrics: metricsRepository(scope),
  eventLog: txEventLog(scope),
  outbox: txOutbox(scope),
});

/**
 * @example
 * const database = await openPglite();          // or openPostgres(process.env.DATABASE_URL)
 * await migrate(database);
 * const voxanne = createVoxanne({ storage: postgresStorage(database), telephony, sms, live });
 */
export function postgresStorage(database: Database): Storage {
  const { db } = database;
  return {
    transaction: (orgId, fn) => inOrgTransaction(db, orgId, (scope) => fn(orgTx(scope))),
    organizations: organizationDirectory(db),
    eventLog: eventLogWorker(db),
    outbox: outboxWorker(db),
    close: () => database.close(),
  };
}
