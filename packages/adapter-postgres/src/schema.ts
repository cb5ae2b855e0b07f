/**
 * The database schema, in Drizzle: one table per aggregate of the core, the event log and the
 * outbox. Every tenant table carries `org_id` and a row-level security policy that compares it
 * with the transaction's `app.org_id` (the adapter sets it; see `storage.ts`). drizzle-kit
 * generates the SQL migrations in `drizzle/` from this file.
 */
import {
  ACTIVITY_TYPES,
  APPOINTMENT_STATUSES,
  CALL_DIRECTIONS,
  CALL_STATUSES,
  LEAD_STATUSES,
  LEAD_TEMPERATURES,
  MESSAGE_STATUSES,
  OUTBOX_STATUSES,
  RECORDING_STATUSES,
  type ScoreReason,
  type Sentiment,
  type ToolInvocation,
  type VapiWebhookAuth,
} from "@voxanne/core";
import { sql } from "drizzle-orm";
import {
  bigint,
  boolean,
  check,
  customType,
  index,
  integer,
  jsonb,
  pgEnum,
  pgPolicy,
  pgTable,
  primaryKey,
  smallint,
  text,
  timestamp,
  uniqueIndex,
  varchar,
} from "drizzle-orm/pg-core";

/** Ids are compared as plain strings (keyset tie-breaks), so they sort byte-wise everywhere. */
const textC = customType<{ data: string }>({ dataType: () => 'text COLLATE "C"' });
const id = (name = "id") => textC(name);
const ts = (name: string) => timestamp(name, { withTimezone: true, mode: "date" });
const cents = (name: string) => bigint(name, { mode: "number" });

export const leadStatus = pgEnum("lead_status", LEAD_STATUSES);
export const leadTemperature = pgEnum("lead_temperature", LEAD_TEMPERATURES);
export const callDirection = pgEnum("call_direction", CALL_DIRECTIONS);
export const callStatus = pgEnum("call_status", CALL_STATUSES);
export const recordingStatus = pgEnum("recording_status", RECORDING_STATUSES);
export const appointmentStatus = pgEnum("appointment_status", APPOINTMENT_STATUSES);
export const messageStatus = pgEnum("message_status", MESSAGE_STATUSES);
export const messageDirection = pgEnum("message_direction", ["inbound", "outbound"]);
export const messagePurpose = pgEnum("message_purpose", ["conversation", "hot_lead_alert"]);
export const activityType = pgEnum("activity_type", ACTIVITY_TYPES);
export const provider = pgEnum("provider", ["vapi", "twilio", "voxanne"]);
export const outboxStatus = pgEnum("outbox_status", OUTBOX_STATUSES);

/** The policy every tenant table has: rows of the transaction's organization only. */
const tenantOnly = (column: "org_id" | "id" = "org_id") =>
  pgPolicy("tenant_isolation", {
    for: "all",
    using: sql.raw(`${column} = current_setting('app.org_id', true)`),
    withCheck: sql.raw(`${column} = current_setting('app.org_id', true)`),
  });

const orgId = () =>
  id("org_id")
    .notNull()
    .references(() => organizations.id, { onDelete: "cascade" });

export const organizations = pgTable(
  "organizations",
  {
    id: id().primaryKey(),
    name: varchar("name", { length: 120 }).notNull(),
    timezone: varchar("timezone", { length: 64 }).notNull(),
    currency: varchar("currency", { length: 3 }).notNull(),
    assistantIds: text("assistant_ids").array().notNull().default(sql`'{}'`),
    outboundAssistantId: varchar("outbound_assistant_id", { length: 100 }),
    phoneNumberId: varchar("phone_number_id", { length: 100 }),
    smsFrom: varchar("sms_from", { length: 40 }),
    hotLeadAlertNumbers: text("hot_lead_alert_numbers").array().notNull().default(sql`'{}'`),
    vapiWebhookAuth: jsonb("vapi_webhook_auth").$type<VapiWebhookAuth>().notNull(),
    bookingToolNames: text("booking_tool_names").array().notNull(),
    createdAt: ts("created_at").notNull(),
  },
  (t) => [
    index("idx_organizations_assistant_ids").using("gin", t.assistantIds),
    index("idx_organizations_phone_number_id").on(t.phoneNumberId),
    index("idx_organizations_outbound_assistant_id").on(t.outboundAssistantId),
    index("idx_organizations_sms_from").on(t.smsFrom),
    tenantOnly("id"),
  ],
).enableRLS();

export const contacts = pgTable(
  "contacts",
  {
    id: id().primaryKey(),
    orgId: orgId(),
    phone: varchar("phone", { length: 20 }).notNull(),
    name: varchar("name", { length: 120 }),
    email: varchar("email", { length: 254 }),
    leadStatus: leadStatus("lead_status").notNull(),
    leadScore: smallint("lead_score").notNull(),
    leadTemperature: leadTemperature("lead_temperature").notNull(),
    lastContactedAt: ts("last_contacted_at"),
    smsOptedOutAt: ts("sms_opted_out_at"),
    createdAt: ts("created_at").notNull(),
  },
  (t) => [
    uniqueIndex("contacts_org_phone_key").on(t.orgId, t.phone),
    index("idx_contacts_org_created").on(t.orgId, t.createdAt.desc(), t.id.desc()),
    check("contacts_lead_score_range", sql`${t.leadScore} between 0 and 100`),
    tenantOnly(),
  ],
).enableRLS();

export const calls = pgTable(
  "calls",
  {
    id: id().primaryKey(),
    orgId: orgId(),
    vendorCallId: varchar("vendor_call_id", { length: 200 }),
    direction: callDirection("direction").notNull(),
    status: callStatus("status").notNull(),
    fromNumber: varchar("from_number", { length: 20 }),
    toNumber: varchar("to_number", { length: 20 }),
    contactId: id("contact_id").references(() => contacts.id, { onDelete: "set null" }),
    startedAt: ts("started_at"),
    endedAt: ts("ended_at"),
    durationSeconds: integer("duration_seconds"),
    endedReason: varchar("ended_reason", { length: 200 }),
    transcript: text("transcript"),
    summary: text("summary"),
    sentiment: jsonb("sentiment").$type<Sentiment>(),
    toolCalls: jsonb("tool_calls").$type<ToolInvocation[]>().notNull(),
    bookingConfirmed: boolean("booking_confirmed").notNull(),
    financialValueCents: cents("financial_value_cents").notNull(),
    pricedServiceId: id("priced_service_id"),
    leadScore: smallint("lead_score"),
    leadScoreReasons: jsonb("lead_score_reasons").$type<ScoreReason[]>().notNull(),
    recordingStatus: recordingStatus("recording_status").notNull(),
    recordingUrl: text("recording_url"),
    recordingLocation: text("recording_location"),
    transferTo: varchar("transfer_to", { length: 100 }),
    transferTime: ts("transfer_time"),
    transferReason: varchar("transfer_reason", { length: 500 }),
    deletedAt: ts("deleted_at"),
    metadata: jsonb("metadata").$type<Record<string, unknown>>().notNull(),
    createdAt: ts("created_at").notNull(),
    updatedAt: ts("updated_at").notNull(),
  },
  (t) => [
    uniqueIndex("calls_org_vendor_call_id_key").on(t.orgId, t.vendorCallId),
    index("idx_calls_org_created").on(t.orgId, t.createdAt.desc(), t.id.desc()),
    index("idx_calls_org_created_live").on(t.orgId, t.createdAt.desc(), t.id.desc()).where(sql`${t.deletedAt} is null`),
    index("idx_calls_recording_status").on(t.orgId, t.recordingStatus),
    index("idx_calls_org_contact").on(t.orgId, t.contactId),
    // The pulse's hot leads: distinct contacts of the org's live hot calls in a range, read from
    // this index alone, in contact order (no sort).
    index("idx_calls_hot")
      .on(t.orgId, t.contactId, t.createdAt)
      .where(sql`${t.deletedAt} is null and ${t.leadScore} >= 70`),
    tenantOnly(),
  ],
).enableRLS();

export const services = pgTable(
  "services",
  {
    id: id().primaryKey(),
    orgId: orgId(),
    name: varchar("name", { length: 120 }).notNull(),
    priceCents: cents("price_cents").notNull(),
    keywords: text("keywords").array().notNull(),
    createdAt: ts("created_at").notNull(),
    updatedAt: ts("updated_at").notNull(),
  },
  (t) => [
    index("idx_services_org_id").on(t.orgId, t.name),
    index("idx_services_keywords").using("gin", t.keywords),
    check("services_price_cents_not_negative", sql`${t.priceCents} >= 0`),
    tenantOnly(),
  ],
).enableRLS();

export const appointments = pgTable(
  "appointments",
  {
    id: id().primaryKey(),
    orgId: orgId(),
    contactId: id("contact_id")
      .notNull()
      .references(() => contacts.id, { onDelete: "cascade" }),
    callId: id("call_id"),
    serviceId: id("service_id"),
    startsAt: ts("starts_at").notNull(),
    status: appointmentStatus("status").notNull(),
    toolCallId: varchar("tool_call_id", { length: 200 }),
    createdAt: ts("created_at").notNull(),
  },
  (t) => [
    uniqueIndex("appointments_org_tool_call_key").on(t.orgId, t.toolCallId),
    uniqueIndex("appointments_org_slot_key").on(t.orgId, t.startsAt).where(sql`${t.status} = 'booked'`),
    index("idx_appointments_org_call").on(t.orgId, t.callId),
    tenantOnly(),
  ],
).enableRLS();

export const messages = pgTable(
  "messages",
  {
    id: id().primaryKey(),
    orgId: orgId(),
    contactId: id("contact_id").references(() => contacts.id, { onDelete: "set null" }),
    direction: messageDirection("direction").notNull(),
    purpose: messagePurpose("purpose").notNull(),
    fromNumber: varchar("from_number", { length: 40 }),
    toNumber: varchar("to_number", { length: 40 }).notNull(),
    body: varchar("body", { length: 10_000 }).notNull(),
    status: messageStatus("status").notNull(),
    vendorMessageId: varchar("vendor_message_id", { length: 200 }),
    errorCode: varchar("error_code", { length: 40 }),
    createdAt: ts("created_at").notNull(),
    updatedAt: ts("updated_at").notNull(),
  },
  (t) => [
    uniqueIndex("messages_org_vendor_message_id_key").on(t.orgId, t.vendorMessageId),
    index("idx_messages_org_contact").on(t.orgId, t.contactId, t.createdAt),
    tenantOnly(),
  ],
).enableRLS();

export const activity = pgTable(
  "activity",
  {
    id: id().primaryKey(),
    orgId: orgId(),
    type: activityType("type").notNull(),
    key: varchar("key", { length: 300 }).notNull(),
    occurredAt: ts("occurred_at").notNull(),
    contactId: id("contact_id"),
    callId: id("call_id"),
    summary: varchar("summary", { length: 500 }).notNull(),
    data: jsonb("data").$type<Record<string, unknown>>().notNull(),
  },
  (t) => [
    uniqueIndex("activity_org_key_key").on(t.orgId, t.key),
    index("idx_activity_org_occurred").on(t.orgId, t.occurredAt.desc(), t.id.desc()),
    tenantOnly(),
  ],
).enableRLS();

export const eventLog = pgTable(
  "event_log",
  {
    seq: bigint("seq", { mode: "number" }).primaryKey().generatedAlwaysAsIdentity(),
    orgId: orgId(),
    provider: provider("provider").notNull(),
    eventKey: varchar("event_key", { length: 500 }).notNull(),
    payload: jsonb("payload").notNull(),
    receivedAt: ts("received_at").notNull(),
    projectedAt: ts("projected_at"),
    attempts: integer("attempts").notNull().default(0),
    lastError: varchar("last_error", { length: 1000 }),
  },
  (t) => [
    uniqueIndex("event_log_org_provider_key_key").on(t.orgId, t.provider, t.eventKey),
    index("idx_event_log_pending").on(t.seq).where(sql`${t.projectedAt} is null`),
    index("idx_event_log_org_seq").on(t.orgId, t.seq),
    tenantOnly(),
  ],
).enableRLS();

export const outbox = pgTable(
  "outbox",
  {
    id: id().primaryKey(),
    orgId: orgId(),
    kind: varchar("kind", { length: 100 }).notNull(),
    key: varchar("key", { length: 300 }).notNull(),
    payload: jsonb("payload").$type<Record<string, unknown>>().notNull(),
    status: outboxStatus("status").notNull(),
    dueAt: ts("due_at").notNull(),
    attempts: integer("attempts").notNull().default(0),
    lastError: varchar("last_error", { length: 1000 }),
    /** A worker's claim: others skip the item until then (a crashed worker's claim runs out). */
    lockedUntil: ts("locked_until"),
    createdAt: ts("created_at").notNull(),
  },
  (t) => [
    uniqueIndex("outbox_org_key_key").on(t.orgId, t.key),
    index("idx_outbox_due").on(t.dueAt, t.createdAt).where(sql`${t.status} = 'pending'`),
    index("idx_outbox_org_created").on(t.orgId, t.createdAt),
    tenantOnly(),
  ],
).enableRLS();

/**
 * The pulse's figures per organization and UTC day, kept by a trigger on `calls` (migration
 * 0002): each live call counts once, on the day it was created. The pulse adds up the whole days
 * of its range here and reads only the calls of the partial days at its ends, so it costs the
 * same at a million calls as at a thousand. Counts of distinct contacts do not add up across
 * days; hot leads are counted from the calls (see `idx_calls_hot`).
 */
export const callStats = pgTable(
  "call_stats",
  {
    orgId: orgId(),
    day: ts("day").notNull(),
    totalCalls: integer("total_calls").notNull(),
    inboundCalls: integer("inbound_calls").notNull(),
    bookedInbound: integer("booked_inbound").notNull(),
    bookings: integer("bookings").notNull(),
    pipelineValueCents: cents("pipeline_value_cents").notNull(),
    durationSum: bigint("duration_sum", { mode: "number" }).notNull(),
    durationCount: integer("duration_count").notNull(),
  },
  (t) => [primaryKey({ columns: [t.orgId, t.day] }), tenantOnly()],
).enableRLS();

/** Tenant tables, for the role's grants and FORCE ROW LEVEL SECURITY. */
export const TENANT_TABLES = [
  "organizations",
  "contacts",
  "calls",
  "services",
  "appointments",
  "messages",
  "activity",
  "event_log",
  "outbox",
  "call_stats",
] as const;
