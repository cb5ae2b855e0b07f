/**
 * Rows ↔ domain records, JSON values and keyset pages, shared by the repositories. Mappers build
 * each record field by field, so a column the domain does not know (an outbox lock, say) never
 * leaks out, and a row reads back exactly as the in-memory adapter would return it.
 */
import type {
  Activity,
  Appointment,
  Call,
  Contact,
  Cursor,
  EventLogEntry,
  Message,
  Organization,
  OutboxItem,
  Page,
  Service,
} from "@voxanne/core";
import { DEFAULT_PAGE_SIZE, decodeCursor, encodeCursor, MAX_PAGE_SIZE, ValidationFailed } from "@voxanne/core";
import { type SQL, sql } from "drizzle-orm";
import type { PgColumn } from "drizzle-orm/pg-core";
import {
  type activity,
  type appointments,
  type calls,
  type contacts,
  eventLog,
  type messages,
  type organizations,
  type outbox,
  type services,
} from "./schema.ts";

// ------------------------------------------------------------------------------------------ JSON

/**
 * A free-form value for a jsonb column, checked the way the memory adapter checks it: what JSON
 * cannot hold is `ValidationFailed` on `path`, and `undefined`/`null` is stored as JSON `null`
 * (Drizzle would send SQL NULL, or nothing at all for `undefined`).
 */
export function jsonValue<T>(value: T, path: string): T | SQL {
  if (value === undefined || value === null) return sql`'null'::jsonb`;
  jsonText(value, path);
  return value;
}

/** `value` as JSON text; what JSON cannot hold is `ValidationFailed` on `path`. */
export function jsonText(value: unknown, path: string): string {
  try {
    return JSON.stringify(value);
  } catch (cause) {
    throw new ValidationFailed([{ path, message: `must be JSON (${(cause as Error).message})` }]);
  }
}

// ------------------------------------------------------------------------------------------ pages

/** 1–100, 25 when absent (the memory adapter's rule). */
export function pageLimit(limit: number | undefined): number {
  if (limit === undefined || !Number.isFinite(limit)) return DEFAULT_PAGE_SIZE;
  return Math.min(MAX_PAGE_SIZE, Math.max(1, Math.trunc(limit)));
}

/** The request's cursor; one this list did not make is `ValidationFailed` on `cursor`. */
export function parseCursor(cursor: string | null | undefined): Cursor | undefined {
  if (cursor === null || cursor === undefined) return undefined;
  const decoded = decodeCursor(cursor);
  if (!decoded) throw new ValidationFailed([{ path: "cursor", message: "is not a cursor from this list" }]);
  return decoded;
}

/** Rows strictly after `cursor` in newest-first order: one row comparison, which the (org, time, id) index serves. */
export const olderThan = (time: PgColumn, id: PgColumn, cursor: Cursor): SQL =>
  sql`(${time}, ${id}) < (${sql.param(cursor.createdAt, time)}, ${sql.param(cursor.id, id)})`;

/** Newest first, spelled like the (org, time desc, id desc) indexes (NULLS LAST), so the planner uses them. */
export const newestFirst = (time: PgColumn, id: PgColumn): SQL[] => [
  sql`${time} desc nulls last`,
  sql`${id} desc nulls last`,
];

/** A page from `limit + 1` newest-first rows: the extra row only says that there is a next page. */
export function pageOf<T extends { id: string; createdAt: Date }>(rows: T[], limit: number): Page<T> {
  if (rows.length <= limit) return { items: rows, nextCursor: null };
  const items = rows.slice(0, limit);
  const last = items[limit - 1] as T;
  return { items, nextCursor: encodeCursor({ createdAt: last.createdAt, id: last.id }) };
}

// ------------------------------------------------------------------------------------------ organizations

export const organizationOf = (row: typeof organizations.$inferSelect): Organization => ({
  id: row.id,
  name: row.name,
  timezone: row.timezone,
  currency: row.currency,
  agent: {
    assistantIds: row.assistantIds,
    outboundAssistantId: row.outboundAssistantId,
    phoneNumberId: row.phoneNumberId,
    smsFrom: row.smsFrom,
    hotLeadAlertNumbers: row.hotLeadAlertNumbers,
    vapiWebhookAuth: row.vapiWebhookAuth,
    bookingToolNames: row.bookingToolNames,
  },
  createdAt: row.createdAt,
});

/** The columns of an organization's agent config. */
export const agentColumns = (agent: Organization["agent"]) => ({
  assistantIds: agent.assistantIds,
  outboundAssistantId: agent.outboundAssistantId,
  phoneNumberId: agent.phoneNumberId,
  smsFrom: agent.smsFrom,
  hotLeadAlertNumbers: agent.hotLeadAlertNumbers,
  vapiWebhookAuth: jsonValue(agent.vapiWebhookAuth, "agent.vapiWebhookAuth"),
  bookingToolNames: agent.bookingToolNames,
});

// ------------------------------------------------------------------------------------------ contacts

export const contactOf = (row: typeof contacts.$inferSelect): Contact => ({
  id: row.id,
  orgId: row.orgId,
  phone: row.phone,
  name: row.name,
  email: row.email,
  leadStatus: row.leadStatus,
  leadScore: row.leadScore,
  leadTemperature: row.leadTemperature,
  lastContactedAt: row.lastContactedAt,
  smsOptedOutAt: row.smsOptedOutAt,
  createdAt: row.createdAt,
});

// ------------------------------------------------------------------------------------------ calls

export const callOf = (row: typeof calls.$inferSelect): Call => ({
  id: row.id,
  orgId: row.orgId,
  vendorCallId: row.vendorCallId,
  direction: row.direction,
  status: row.status,
  fromNumber: row.fromNumber,
  toNumber: row.toNumber,
  contactId: row.contactId,
  startedAt: row.startedAt,
  endedAt: row.endedAt,
  durationSeconds: row.durationSeconds,
  endedReason: row.endedReason,
  transcript: row.transcript,
  summary: row.summary,
  sentiment: row.sentiment,
  toolCalls: row.toolCalls,
  bookingConfirmed: row.bookingConfirmed,
  financialValueCents: row.financialValueCents,
  pricedServiceId: row.pricedServiceId,
  leadScore: row.leadScore,
  leadScoreReasons: row.leadScoreReasons,
  recordingStatus: row.recordingStatus,
  recordingUrl: row.recordingUrl,
  recordingLocation: row.recordingLocation,
  // Three nullable columns hold the transfer; all null reads back as "no transfer".
  transfer:
    row.transferTo === null && row.transferTime === null && row.transferReason === null
      ? null
      : { to: row.transferTo, at: row.transferTime, reason: row.transferReason },
  deletedAt: row.deletedAt,
  metadata: row.metadata,
  createdAt: row.createdAt,
  updatedAt: row.updatedAt,
});

/**
 * Every column of a call but its id and org (an update replaces all of them), as the values of a
 * compiled statement, which encodes the JSON ones.
 */
export const callColumns = (call: Call) => ({
  vendorCallId: call.vendorCallId,
  direction: call.direction,
  status: call.status,
  fromNumber: call.fromNumber,
  toNumber: call.toNumber,
  contactId: call.contactId,
  startedAt: call.startedAt,
  endedAt: call.endedAt,
  durationSeconds: call.durationSeconds,
  endedReason: call.endedReason,
  transcript: call.transcript,
  summary: call.summary,
  sentiment: call.sentiment,
  toolCalls: call.toolCalls,
  bookingConfirmed: call.bookingConfirmed,
  financialValueCents: call.financialValueCents,
  pricedServiceId: call.pricedServiceId,
  leadScore: call.leadScore,
  leadScoreReasons: call.leadScoreReasons,
  recordingStatus: call.recordingStatus,
  recordingUrl: call.recordingUrl,
  recordingLocation: call.recordingLocation,
  transferTo: call.transfer?.to ?? null,
  transferTime: call.transfer?.at ?? null,
  transferReason: call.transfer?.reason ?? null,
  deletedAt: call.deletedAt,
  metadata: call.metadata,
  createdAt: call.createdAt,
  updatedAt: call.updatedAt,
});

// ------------------------------------------------------------------------------------------ the rest

export const serviceOf = (row: typeof services.$inferSelect): Service => ({
  id: row.id,
  orgId: row.orgId,
  name: row.name,
  priceCents: row.priceCents,
  keywords: row.keywords,
  createdAt: row.createdAt,
  updatedAt: row.updatedAt,
});

export const appointmentOf = (row: typeof appointments.$inferSelect): Appointment => ({
  id: row.id,
  orgId: row.orgId,
  contactId: row.contactId,
  callId: row.callId,
  serviceId: row.serviceId,
  startsAt: row.startsAt,
  status: row.status,
  toolCallId: row.toolCallId,
  createdAt: row.createdAt,
});

export const messageOf = (row: typeof messages.$inferSelect): Message => ({
  id: row.id,
  orgId: row.orgId,
  contactId: row.contactId,
  direction: row.direction,
  purpose: row.purpose,
  fromNumber: row.fromNumber,
  toNumber: row.toNumber,
  body: row.body,
  status: row.status,
  vendorMessageId: row.vendorMessageId,
  errorCode: row.errorCode,
  createdAt: row.createdAt,
  updatedAt: row.updatedAt,
});

export const activityOf = (row: typeof activity.$inferSelect): Activity => ({
  id: row.id,
  orgId: row.orgId,
  type: row.type,
  key: row.key,
  occurredAt: row.occurredAt,
  contactId: row.contactId,
  callId: row.callId,
  summary: row.summary,
  data: row.data,
});

export const outboxItemOf = (row: typeof outbox.$inferSelect): OutboxItem => ({
  id: row.id,
  orgId: row.orgId,
  kind: row.kind,
  key: row.key,
  payload: row.payload,
  status: row.status,
  dueAt: row.dueAt,
  attempts: row.attempts,
  lastError: row.lastError,
  createdAt: row.createdAt,
});

/**
 * The columns of an event log entry, its payload read as JSON text: Drizzle's jsonb decoder
 * parses a string twice, so a payload that is itself a JSON string ("42") would come back changed.
 */
export const eventLogFields = {
  seq: eventLog.seq,
  orgId: eventLog.orgId,
  provider: eventLog.provider,
  eventKey: eventLog.eventKey,
  payload: sql<string>`${eventLog.payload}::text`,
  receivedAt: eventLog.receivedAt,
  projectedAt: eventLog.projectedAt,
  attempts: eventLog.attempts,
  lastError: eventLog.lastError,
};

type EventLogRow = Omit<typeof eventLog.$inferSelect, "payload"> & { payload: string };

export const eventLogEntryOf = (row: EventLogRow): EventLogEntry => ({
  seq: row.seq,
  orgId: row.orgId,
  provider: row.provider,
  eventKey: row.eventKey,
  payload: JSON.parse(row.payload),
  receivedAt: row.receivedAt,
  projectedAt: row.projectedAt,
  attempts: row.attempts,
  lastError: row.lastError,
});
