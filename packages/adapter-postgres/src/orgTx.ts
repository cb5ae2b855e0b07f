/**
 * The core's view of one organization's transaction: every repository bound to one scope. Its own
 * file so that both `storage.ts` and the workers (which open scopes themselves) can build it.
 */
import type { OrgTx } from "@voxanne/core";
import { activityRepository } from "./repositories/activity.ts";
import { analyticsRepository } from "./repositories/analytics.ts";
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
  analytics: analyticsRepository(scope),
  eventLog: txEventLog(scope),
  outbox: txOutbox(scope),
});
