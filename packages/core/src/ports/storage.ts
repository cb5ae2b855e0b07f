/**
 * The Storage port: a repository per aggregate, the event log, the outbox, and the unit of work.
 *
 * Guarantees every adapter gives (and `storageContract` in `@voxanne/core/testing` checks):
 * - Tenancy: everything but the worker and look-up methods runs inside `transaction(orgId, …)`,
 *   and sees and writes only that organization's rows. Another org's id is simply not found.
 * - Atomicity: a transaction's writes all persist, or (when `fn` throws) none do.
 * - Isolation: transactions of one organization behave as if run one after another (use cases
 *   read, decide and write: no lost updates). An adapter may simply serialize them per org (on
 *   Postgres, a transaction-scoped advisory lock on the org id). A `readOnly` transaction may
 *   instead run beside them, seeing what they have committed. A unique key (contact phone,
 *   vendorCallId, vendorMessageId, event key, outbox key, activity key, appointment tool call)
 *   never holds two rows, whatever the race: the loser gets `Conflict`, or `inserted: false`
 *   where a method says so.
 * - A record whose `orgId` is not the transaction's org is refused with `ValidationFailed`.
 * - Errors: only core errors (`NotFound`, `Conflict`, `ValidationFailed`) leave an adapter for bad
 *   input; a driver's own error never does.
 * - Time: adapters never read a clock; every timestamp comes from the caller.
 */
import type { Activity } from "../domain/activity.ts";
import type { AnalyticsInterval, FunnelStageCount, ServiceAnalytics, TimeseriesPoint } from "../domain/analytics.ts";
import type { Appointment } from "../domain/appointment.ts";
import type { Call, CallDirection, CallStatus, RecordingStatus } from "../domain/call.ts";
import type { Contact, LeadStatus, LeadTemperature } from "../domain/contact.ts";
import type { EventLogAppend, EventLogEntry, OutboxEnqueue, OutboxItem, OutboxStatus } from "../domain/eventLog.ts";
import type { Message } from "../domain/message.ts";
import type { Pulse, TimeRange } from "../domain/metrics.ts";
import type { Organization } from "../domain/organization.ts";
import type { Page, PageRequest } from "../domain/page.ts";
import type { Service } from "../domain/service.ts";

/** The organization's own record, inside its transaction. */
export interface OrganizationRepository {
  /** Creates the organization whose id the transaction was opened with. `Conflict` if it exists. */
  create(org: Organization): Promise<Organization>;
  /** `NotFound` when the organization does not exist. */
  get(): Promise<Organization>;
  update(patch: Partial<Omit<Organization, "id" | "createdAt">>): Promise<Organization>;
}

export interface ContactFilter {
  leadStatus?: LeadStatus | undefined;
  leadTemperature?: LeadTemperature | undefined;
  /** Case-insensitive substring of name, email or phone. */
  q?: string | undefined;
}

export interface ContactRepository {
  getById(id: string): Promise<Contact | null>;
  findByPhone(phone: string): Promise<Contact | null>;
  /** `Conflict` when the phone already belongs to a contact of this org. */
  create(contact: Contact): Promise<Contact>;
  /**
   * The contact with this phone, created from `contact` if there is none. Two concurrent calls
   * for one phone: exactly one creates, both return the same contact.
   */
  getOrCreate(contact: Contact): Promise<{ contact: Contact; created: boolean }>;
  /** `NotFound` for an unknown id; `Conflict` when a new phone is taken. */
  update(id: string, patch: Partial<Omit<Contact, "id" | "orgId" | "createdAt">>): Promise<Contact>;
  /** Newest first by (createdAt, id); keyset cursor. */
  list(filter: ContactFilter, page: PageRequest): Promise<Page<Contact>>;
}

export interface CallFilter {
  direction?: CallDirection | undefined;
  status?: CallStatus | undefined;
  recordingStatus?: RecordingStatus | undefined;
  contactId?: string | undefined;
  range?: TimeRange | undefined;
}

export interface CallRepository {
  /** Soft-deleted calls are still found by id (the projector must see them); lists skip them. */
  getById(id: string): Promise<Call | null>;
  findByVendorCallId(vendorCallId: string): Promise<Call | null>;
  /** `Conflict` when vendorCallId is already used in this org. */
  insert(call: Call): Promise<Call>;
  /** Replaces the stored call with the same id; `NotFound` if none; `Conflict` on a taken vendorCallId. */
  update(call: Call): Promise<Call>;
  /** Newest first by (createdAt, id), soft-deleted calls excluded; keyset cursor. */
  list(filter: CallFilter, page: PageRequest): Promise<Page<Call>>;
  /** The highest lead score among the contact's calls (soft-deleted excluded), or null. */
  maxLeadScoreOfContact(contactId: string): Promise<number | null>;
  /** Sets deletedAt; `NotFound` for an unknown or already deleted call. */
  softDelete(id: string, at: Date): Promise<void>;
}

export interface ServiceRepository {
  /** The org's price list, by name. */
  list(): Promise<Service[]>;
  getById(id: string): Promise<Service | null>;
  create(service: Service): Promise<Service>;
  /** `NotFound` for an unknown id. */
  update(service: Service): Promise<Service>;
  /** `NotFound` for an unknown id. */
  delete(id: string): Promise<void>;
}

export interface AppointmentRepository {
  getById(id: string): Promise<Appointment | null>;
  findByToolCallId(toolCallId: string): Promise<Appointment | null>;
  listByCall(callId: string): Promise<Appointment[]>;
  /** `Conflict` when a booked appointment already starts at the same time (one chair per slot). */
  create(appointment: Appointment): Promise<Appointment>;
}

export interface MessageRepository {
  getById(id: string): Promise<Message | null>;
  findByVendorMessageId(vendorMessageId: string): Promise<Message | null>;
  /** `Conflict` when its vendorMessageId is already used in this org. */
  create(message: Message): Promise<Message>;
  /** Replaces the stored message with the same id; `NotFound` if none. */
  update(message: Message): Promise<Message>;
  /** Oldest first. */
  listByContact(contactId: string): Promise<Message[]>;
}

export interface ActivityRepository {
  /** Stores it unless its key is already stored; says which. */
  append(activity: Activity): Promise<{ inserted: boolean }>;
  /** The latest `limit` activities, newest first by (occurredAt, id). */
  recent(limit: number): Promise<Activity[]>;
}

export interface MetricsRepository {
  /** Computed by the store (SQL aggregates on Postgres), never by loading rows into the caller. */
  pulse(range: TimeRange): Promise<Pulse>;
}

/**
 * Analytics over the org's records in a range (`from` inclusive, `to` exclusive, by creation
 * time; soft-deleted calls excluded), each computed by the store in one aggregate query (SQL on
 * Postgres), never by loading rows into the caller. The numbers follow the pulse's definitions:
 * summing any of these over the whole range gives the pulse's totals for it.
 */
export interface AnalyticsRepository {
  /**
   * Calls per bucket of `interval` cut in `timeZone` (an IANA name): calendar days, ISO weeks
   * starting on Monday, or months, by the local time of each call's creation. Only buckets with
   * calls, ascending by `start` (the bucket's local start date, `YYYY-MM-DD`).
   */
  timeseries(options: { interval: AnalyticsInterval; timeZone: string; range: TimeRange }): Promise<TimeseriesPoint[]>;
  /**
   * Contacts created in the range that reached at least each stage, by the forward order of
   * lead statuses (see `statusesReaching`): always the four funnel stages, in order.
   */
  funnel(range: TimeRange): Promise<FunnelStageCount[]>;
  /**
   * Every service of the price list with the calls in the range that it priced
   * (`Call.pricedServiceId`), their bookings and their whole value; then, if any call in the range
   * is priced by no service of the list, one row with `serviceId: null`. In `byServiceRank` order
   * (value, bookings, calls descending, then name).
   */
  services(range: TimeRange): Promise<ServiceAnalytics[]>;
}

export interface TxEventLog {
  /**
   * Appends a payload once: a second append of the same (org, provider, eventKey) stores
   * nothing and returns `inserted: false` with the stored entry. Two concurrent appends of
   * one key: exactly one returns `inserted: true`.
   */
  append(entry: EventLogAppend): Promise<{ inserted: boolean; entry: EventLogEntry }>;
}

export interface TxOutbox {
  /**
   * Enqueues a side effect, to be delivered after this transaction commits. A key is
   * enqueued at most once per org, ever: later enqueues of it return false.
   */
  enqueue(item: OutboxEnqueue, now: Date): Promise<boolean>;
  list(filter?: { status?: OutboxStatus; kind?: string }): Promise<OutboxItem[]>;
}

/** One organization's view of the store, inside one transaction. */
export interface OrgTx {
  readonly orgId: string;
  organization: OrganizationRepository;
  contacts: ContactRepository;
  calls: CallRepository;
  services: ServiceRepository;
  appointments: AppointmentRepository;
  messages: MessageRepository;
  activity: ActivityRepository;
  metrics: MetricsRepository;
  analytics: AnalyticsRepository;
  eventLog: TxEventLog;
  outbox: TxOutbox;
}

/** What happened to a worker's batch. */
export interface BatchResult {
  done: number;
  failed: number;
}

export interface EventLogWorker {
  /**
   * The same append as `TxEventLog.append`, but on its own: it does not wait for the org's
   * transactions (a webhook's append must not queue behind projections). Once per key; two
   * concurrent appends of one key: exactly one inserts. `NotFound` for an unknown org.
   */
  append(entry: EventLogAppend): Promise<{ inserted: boolean; entry: EventLogEntry }>;
  /**
   * Hands each of up to `limit` unprojected entries (oldest first, fewer than `maxAttempts`
   * failed attempts) to `handler` inside its org's transaction, and marks it projected at `now`
   * in that same transaction. An entry is handed to one caller at a time, across processes.
   * If the handler throws, its writes roll back, `attempts` and `lastError` are recorded and the
   * entry stays unprojected. An adapter may project several entries of one org in one
   * transaction: a throw then rolls back the others' writes too, and they are handed out again.
   */
  projectPending(
    options: { limit: number; now: Date; maxAttempts: number },
    handler: (entry: EventLogEntry, tx: OrgTx) => Promise<void>,
  ): Promise<BatchResult>;
  /** Entries after `afterSeq` in log order, for replay; optionally one org's only. */
  read(options: { afterSeq: number; limit: number; orgId?: string | undefined }): Promise<EventLogEntry[]>;
}

/** How one delivery attempt ended; `retryAt: null` moves the item to `dead`. */
export type DeliveryOutcome = { ok: true } | { ok: false; error: string; retryAt: Date | null };

export interface OutboxWorker {
  /**
   * Hands each of up to `limit` pending items due at `now` (oldest due first) to `handler`, one
   * caller at a time across processes, and records its outcome: `sent`, or `attempts + 1` and
   * either a new `dueAt` or `dead`. A handler that throws counts as `{ ok: false, retryAt: null }`.
   */
  deliverDue(
    options: { limit: number; now: Date },
    handler: (item: OutboxItem) => Promise<DeliveryOutcome>,
  ): Promise<BatchResult>;
}

export interface OrganizationDirectory {
  /** The org whose agent config lists this Vapi assistant id or phone number id. */
  findByAgentId(agentId: string): Promise<Organization | null>;
  /** The org that owns this SMS sender / clinic number. */
  findBySmsNumber(phone: string): Promise<Organization | null>;
}

/** How a transaction will be used. */
export interface TransactionOptions {
  /**
   * `fn` only reads. The adapter may then run it beside the org's other transactions instead of
   * after them: it sees what they have committed (a dashboard read need not wait for a projection
   * batch). A write in it may be refused (on Postgres the transaction is READ ONLY).
   */
  readOnly?: boolean;
}

export interface Storage {
  /** Runs `fn` in one transaction scoped to `orgId` (see the guarantees above). */
  transaction<T>(orgId: string, fn: (tx: OrgTx) => Promise<T>, options?: TransactionOptions): Promise<T>;
  organizations: OrganizationDirectory;
  eventLog: EventLogWorker;
  outbox: OutboxWorker;
  /** Releases connections; the store is unusable afterwards. */
  close(): Promise<void>;
}
