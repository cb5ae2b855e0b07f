/**
 * The in-memory Storage adapter: a real implementation of the port, for tests, examples and
 * embedding without a database. It passes the same `storageContract` as the Postgres adapter.
 *
 * Where it is weaker than Postgres:
 * - One transaction at a time (a promise-chain lock), not row locks: correct, but no parallelism.
 *   Calling `storage.transaction` or a worker from inside a transaction's `fn` waits for ever;
 *   use the `tx` you were given.
 * - Reads outside a transaction (the organization directory, `eventLog.read`) may see the writes
 *   of a transaction that is still running and will roll back.
 * - No foreign keys: a call may name a contact that does not exist, and a service can be deleted
 *   while calls and appointments still point at it.
 * - Ids are unique per organization, not across the whole store.
 * - Nothing survives the process; workers coordinate only within it.
 */
import type { Activity } from "../domain/activity.ts";
import type { CallVolume, ServiceAnalytics } from "../domain/analytics.ts";
import {
  bucketStartOf,
  byServiceRank,
  FUNNEL_STAGES,
  statusesReaching,
  UNATTRIBUTED_SERVICE_NAME,
} from "../domain/analytics.ts";
import type { Appointment } from "../domain/appointment.ts";
import type { Call } from "../domain/call.ts";
import type { Contact } from "../domain/contact.ts";
import { temperatureOf } from "../domain/contact.ts";
import { Conflict, NotFound, ValidationFailed } from "../domain/errors.ts";
import type { EventLogAppend, EventLogEntry, OutboxEnqueue, OutboxItem } from "../domain/eventLog.ts";
import type { Message } from "../domain/message.ts";
import type { Pulse, TimeRange } from "../domain/metrics.ts";
import { successRateOf } from "../domain/metrics.ts";
import type { Organization } from "../domain/organization.ts";
import type { Cursor, Page, PageRequest } from "../domain/page.ts";
import { DEFAULT_PAGE_SIZE, decodeCursor, encodeCursor, isBefore, MAX_PAGE_SIZE } from "../domain/page.ts";
import type { Service } from "../domain/service.ts";
import type {
  AnalyticsRepository,
  CallFilter,
  CallRepository,
  ContactFilter,
  ContactRepository,
  DeliveryOutcome,
  OrgTx,
  Storage,
} from "../ports/storage.ts";

// ---------------------------------------------------------------------------------------------
// Undo log

/** The inverse of every write a transaction made, so a throw can put the store back. */
class Journal {
  private undos: (() => void)[] = [];
  active = true;

  record(undo: () => void): void {
    this.undos.push(undo);
  }

  rollback(): void {
    for (let i = this.undos.length - 1; i >= 0; i--) this.undos[i]?.();
    this.undos = [];
  }
}

// ---------------------------------------------------------------------------------------------
// Sorted index: newest-first lists and time ranges without sorting on every read

const isSameKey = (a: Cursor, b: Cursor) => a.id === b.id && a.createdAt.getTime() === b.createdAt.getTime();

/** Keys oldest first (ascending), so appending the newest row, the usual case, costs O(1). */
class SortedIndex {
  private readonly keys: Cursor[] = [];

  /** The first position whose key is not older than `key`. */
  private position(key: Cursor): number {
    let lo = 0;
    let hi = this.keys.length;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if (isBefore(key, this.keys[mid] as Cursor)) lo = mid + 1;
      else hi = mid;
    }
    return lo;
  }

  add(key: Cursor): void {
    this.keys.splice(this.position(key), 0, key);
  }

  remove(key: Cursor): void {
    const i = this.position(key);
    const found = this.keys[i];
    if (found && isSameKey(found, key)) this.keys.splice(i, 1);
  }

  /** Ids newest first, strictly after `before` (a cursor), within [from, to). */
  *newestFirst(options: { before?: Cursor | undefined; from?: Date | undefined; to?: Date | undefined }) {
    let start = this.keys.length;
    if (options.before) start = Math.min(start, this.position(options.before));
    if (options.to) start = Math.min(start, this.position({ createdAt: options.to, id: "" }));
    const from = options.from?.getTime();
    for (let i = start - 1; i >= 0; i--) {
      const key = this.keys[i] as Cursor;
      if (from !== undefined && key.createdAt.getTime() < from) return;
      yield key.id;
    }
  }
}

// ---------------------------------------------------------------------------------------------
// Table: rows by id with unique keys, groups and an optional order, every write journaled

interface UniqueKey<T> {
  key: (row: T) => string | null;
  code: string;
  message: string;
}

interface TableSpec<T> {
  /** For errors: `contact` gives `CONTACT_NOT_FOUND`. */
  entity: string;
  id: (row: T) => string;
  unique?: Record<string, UniqueKey<T>>;
  /** Non-unique look-ups (rows by contact, pending rows...). */
  groups?: Record<string, (row: T) => string | null>;
  order?: (row: T) => Cursor;
}

class Table<T> {
  private readonly rows = new Map<string, T>();
  private readonly uniques = new Map<string, Map<string, string>>();
  private readonly groups = new Map<string, Map<string, Set<string>>>();
  private readonly sorted: SortedIndex | undefined;

  constructor(private readonly spec: TableSpec<T>) {
    for (const name of Object.keys(spec.unique ?? {})) this.uniques.set(name, new Map());
    for (const name of Object.keys(spec.groups ?? {})) this.groups.set(name, new Map());
    this.sorted = spec.order ? new SortedIndex() : undefined;
  }

  get(id: string): T | undefined {
    return this.rows.get(id);
  }

  find(unique: string, key: string): T | undefined {
    const id = this.uniques.get(unique)?.get(key);
    return id === undefined ? undefined : this.rows.get(id);
  }

  group(group: string, key: string): T[] {
    const ids = this.groups.get(group)?.get(key) ?? [];
    return [...ids].map((id) => this.rows.get(id) as T);
  }

  values(): IterableIterator<T> {
    return this.rows.values();
  }

  *newestFirst(options: { before?: Cursor | undefined; from?: Date | undefined; to?: Date | undefined }) {
    if (!this.sorted) throw new Error(`${this.spec.entity} rows have no order`);
    for (const id of this.sorted.newestFirst(options)) yield this.rows.get(id) as T;
  }

  /** Adds a row; `Conflict` when its id or a unique key is taken. */
  insert(row: T, journal: Journal | null): T {
    const id = this.spec.id(row);
    if (this.rows.has(id)) {
      throw new Conflict(`${this.spec.entity.toUpperCase()}_EXISTS`, `${this.spec.entity} ${id} already exists`);
    }
    return this.write(id, row, journal);
  }

  /** Replaces the row with the same id; `NotFound` when there is none. */
  replace(row: T, journal: Journal | null): T {
    const id = this.spec.id(row);
    if (!this.rows.has(id)) throw new NotFound(this.spec.entity, id);
    return this.write(id, row, journal);
  }

  delete(id: string, journal: Journal | null): void {
    const previous = this.rows.get(id);
    if (previous === undefined) throw new NotFound(this.spec.entity, id);
    this.put(id, undefined);
    journal?.record(() => this.put(id, previous));
  }

  private write(id: string, row: T, journal: Journal | null): T {
    this.assertUnique(id, row);
    const previous = this.rows.get(id);
    this.put(id, row);
    journal?.record(() => this.put(id, previous));
    return row;
  }

  private assertUnique(id: string, row: T): void {
    for (const [name, unique] of Object.entries(this.spec.unique ?? {})) {
      const key = unique.key(row);
      const owner = key === null ? undefined : this.uniques.get(name)?.get(key);
      if (owner !== undefined && owner !== id) throw new Conflict(unique.code, unique.message);
    }
  }

  /** Sets or removes a row and moves only the index entries whose key changed. */
  private put(id: string, row: T | undefined): void {
    const previous = this.rows.get(id);
    if (row === undefined) this.rows.delete(id);
    else this.rows.set(id, row);
    const keyOf = (f: (r: T) => string | null, r: T | undefined) => (r === undefined ? null : f(r));
    for (const [name, unique] of Object.entries(this.spec.unique ?? {})) {
      const [before, after] = [keyOf(unique.key, previous), keyOf(unique.key, row)];
      if (before === after) continue;
      const index = this.uniques.get(name) as Map<string, string>;
      if (before !== null) index.delete(before);
      if (after !== null) index.set(after, id);
    }
    for (const [name, groupOf] of Object.entries(this.spec.groups ?? {})) {
      const [before, after] = [keyOf(groupOf, previous), keyOf(groupOf, row)];
      if (before !== after) this.regroup(name, id, before, after);
    }
    this.reorder(previous, row);
  }

  private regroup(name: string, id: string, before: string | null, after: string | null): void {
    const index = this.groups.get(name) as Map<string, Set<string>>;
    if (before !== null) {
      const members = index.get(before);
      members?.delete(id);
      if (members?.size === 0) index.delete(before);
    }
    if (after !== null) index.set(after, (index.get(after) ?? new Set()).add(id));
  }

  private reorder(previous: T | undefined, row: T | undefined): void {
    const order = this.spec.order;
    if (!this.sorted || !order) return;
    const before = previous === undefined ? undefined : order(previous);
    const after = row === undefined ? undefined : order(row);
    if (before && after && isSameKey(before, after)) return;
    if (before) this.sorted.remove(before);
    if (after) this.sorted.add(after);
  }
}

// ---------------------------------------------------------------------------------------------
// Copies: records go in and out as copies; free-form JSON is stored as a jsonb column would

const copy = <T>(value: T): T => structuredClone(value);

/** The JSON round-trip of a value (dates become strings), or `ValidationFailed` naming `path`. */
function asJson<T>(value: T, path: string): T {
  try {
    return value === undefined ? (null as T) : JSON.parse(JSON.stringify(value));
  } catch (cause) {
    throw new ValidationFailed([{ path, message: `must be JSON (${(cause as Error).message})` }]);
  }
}

const withoutUndefined = <T extends object>(patch: T): Partial<T> =>
  Object.fromEntries(Object.entries(patch).filter(([, v]) => v !== undefined)) as Partial<T>;

// ---------------------------------------------------------------------------------------------
// Tables

const byId = (row: { id: string }) => row.id;
const byCreation = (row: { id: string; createdAt: Date }): Cursor => ({ createdAt: row.createdAt, id: row.id });
const taken = (entity: string, what: string, code: string) => ({
  code,
  message: `${what} is already used by another ${entity}`,
});

function orgTables() {
  return {
    contacts: new Table<Contact>({
      entity: "contact",
      id: byId,
      unique: { phone: { key: (c) => c.phone, ...taken("contact", "This phone number", "CONTACT_PHONE_TAKEN") } },
      order: byCreation,
    }),
    calls: new Table<Call>({
      entity: "call",
      id: byId,
      unique: {
        vendorCallId: { key: (c) => c.vendorCallId, ...taken("call", "This vendor call id", "CALL_VENDOR_ID_TAKEN") },
      },
      groups: { contact: (c) => c.contactId },
      order: byCreation,
    }),
    services: new Table<Service>({ entity: "service", id: byId }),
    appointments: new Table<Appointment>({
      entity: "appointment",
      id: byId,
      unique: {
        slot: {
          key: (a) => (a.status === "booked" ? a.startsAt.toISOString() : null),
          code: "APPOINTMENT_SLOT_TAKEN",
          message: "An appointment is already booked at this time",
        },
        toolCallId: {
          key: (a) => a.toolCallId,
          ...taken("appointment", "This tool call id", "APPOINTMENT_TOOL_CALL_TAKEN"),
        },
      },
      groups: { call: (a) => a.callId },
    }),
    messages: new Table<Message>({
      entity: "message",
      id: byId,
      unique: {
        vendorMessageId: {
          key: (m) => m.vendorMessageId,
          ...taken("message", "This vendor message id", "MESSAGE_VENDOR_ID_TAKEN"),
        },
      },
      groups: { contact: (m) => m.contactId },
    }),
    activities: new Table<Activity>({
      entity: "activity",
      id: byId,
      unique: { key: { key: (a) => a.key, ...taken("activity", "This activity key", "ACTIVITY_KEY_TAKEN") } },
      order: (a) => ({ createdAt: a.occurredAt, id: a.id }),
    }),
  };
}
type OrgTables = ReturnType<typeof orgTables>;

const organizationsTable = () => new Table<Organization>({ entity: "organization", id: byId });

const eventLogTable = () =>
  new Table<EventLogEntry>({
    entity: "event",
    id: (e) => String(e.seq),
    unique: {
      eventKey: {
        key: (e) => JSON.stringify([e.orgId, e.provider, e.eventKey]),
        ...taken("event", "This event key", "EVENT_KEY_TAKEN"),
      },
    },
    groups: { pending: (e) => (e.projectedAt === null ? "pending" : null) },
  });

const outboxTable = () =>
  new Table<OutboxItem>({
    entity: "outbox item",
    id: byId,
    unique: {
      key: { key: (o) => JSON.stringify([o.orgId, o.key]), ...taken("outbox item", "This key", "OUTBOX_KEY_TAKEN") },
    },
    groups: { org: (o) => o.orgId, pending: (o) => (o.status === "pending" ? "pending" : null) },
  });

// ---------------------------------------------------------------------------------------------
// Reads shared by repositories

const oldestFirst = <T extends { createdAt: Date; id: string }>(rows: T[]): T[] =>
  rows.sort((a, b) => (isBefore(byCreation(a), byCreation(b)) ? 1 : -1));

function pageLimit(limit: number | undefined): number {
  if (limit === undefined || !Number.isFinite(limit)) return DEFAULT_PAGE_SIZE;
  return Math.min(MAX_PAGE_SIZE, Math.max(1, Math.trunc(limit)));
}

function parseCursor(cursor: string | null | undefined): Cursor | undefined {
  if (cursor === null || cursor === undefined) return undefined;
  const decoded = decodeCursor(cursor);
  if (!decoded) throw new ValidationFailed([{ path: "cursor", message: "is not a cursor from this list" }]);
  return decoded;
}

/** One newest-first page of `table`'s rows that match, after the request's cursor. */
function listPage<T extends { createdAt: Date; id: string }>(
  table: Table<T>,
  page: PageRequest,
  matches: (row: T) => boolean,
  range?: TimeRange,
): Page<T> {
  const limit = pageLimit(page.limit);
  const rows = table.newestFirst({ before: parseCursor(page.cursor), from: range?.from, to: range?.to });
  const items: T[] = [];
  for (const row of rows) {
    if (!matches(row)) continue;
    if (items.length === limit) {
      return { items: items.map(copy), nextCursor: encodeCursor(byCreation(items[limit - 1] as T)) };
    }
    items.push(row);
  }
  return { items: items.map(copy), nextCursor: null };
}

const includesText = (value: string | null, needle: string) => value?.toLowerCase().includes(needle) ?? false;

function contactMatches(filter: ContactFilter) {
  const q = filter.q?.toLowerCase();
  return (c: Contact) =>
    (filter.leadStatus === undefined || c.leadStatus === filter.leadStatus) &&
    (filter.leadTemperature === undefined || c.leadTemperature === filter.leadTemperature) &&
    (!q || includesText(c.name, q) || includesText(c.email, q) || includesText(c.phone, q));
}

function callMatches(filter: CallFilter) {
  return (c: Call) =>
    c.deletedAt === null &&
    (filter.direction === undefined || c.direction === filter.direction) &&
    (filter.status === undefined || c.status === filter.status) &&
    (filter.recordingStatus === undefined || c.recordingStatus === filter.recordingStatus) &&
    (filter.contactId === undefined || c.contactId === filter.contactId);
}

/** The definitions of domain/metrics.ts over calls that are not soft-deleted. */
function pulseOf(calls: Iterable<Call>): Pulse {
  const n = { totalCalls: 0, inboundCalls: 0, bookedInbound: 0, bookings: 0, pipelineValueCents: 0 };
  const durations = { sum: 0, count: 0 };
  const hot = new Set<string>();
  for (const call of calls) {
    if (call.deletedAt !== null) continue;
    n.totalCalls++;
    n.pipelineValueCents += call.financialValueCents;
    if (call.bookingConfirmed) n.bookings++;
    if (call.direction === "inbound") {
      n.inboundCalls++;
      if (call.bookingConfirmed) n.bookedInbound++;
    }
    if (call.status === "completed" && call.durationSeconds !== null) {
      durations.sum += call.durationSeconds;
      durations.count++;
    }
    if (call.contactId !== null && call.leadScore !== null && temperatureOf(call.leadScore) === "hot") {
      hot.add(call.contactId);
    }
  }
  const { bookedInbound, ...counts } = n;
  return {
    ...counts,
    successRate: successRateOf(bookedInbound, n.inboundCalls),
    avgDurationSeconds: durations.count === 0 ? 0 : Math.round(durations.sum / durations.count),
    hotLeads: hot.size,
  };
}

// ---------------------------------------------------------------------------------------------
// Repositories of one transaction

/** A port interface with synchronous methods: the repositories below, before `guarded` wraps them. */
type Sync<P> = { [K in keyof P]: P[K] extends (...args: infer A) => Promise<infer R> ? (...args: A) => R : never };

/** Makes each method async and runs `enter` (checks) first, so a throw becomes a rejection. */
function guarded<P>(repo: Sync<P>, enter: () => void): P {
  const methods = Object.entries(repo as Record<string, (...args: unknown[]) => unknown>);
  return Object.fromEntries(
    methods.map(([name, fn]) => [
      name,
      async (...args: unknown[]) => {
        enter();
        return fn(...args);
      },
    ]),
  ) as P;
}

interface TxContext {
  orgId: string;
  journal: Journal;
  t: OrgTables;
  /** Rejects a record that names another organization. */
  own: (orgId: string) => void;
  /** Writes a copy of the org's own `record` and returns a copy of what was stored. */
  write: <T extends { orgId: string }>(table: Table<T>, record: T, mode: "insert" | "replace") => T;
}

function contactRepository({ t, journal, own, write }: TxContext): Sync<ContactRepository> {
  const insert = (contact: Contact) => write(t.contacts, contact, "insert");
  return {
    getById: (id) => copy(t.contacts.get(id) ?? null),
    findByPhone: (phone) => copy(t.contacts.find("phone", phone) ?? null),
    create: insert,
    getOrCreate: (contact) => {
      own(contact.orgId);
      const existing = t.contacts.find("phone", contact.phone);
      return existing ? { contact: copy(existing), created: false } : { contact: insert(contact), created: true };
    },
    update: (id, patch) => {
      const current = t.contacts.get(id);
      if (!current) throw new NotFound("contact", id);
      const next = {
        ...current,
        ...withoutUndefined(copy(patch)),
        id,
        orgId: current.orgId,
        createdAt: current.createdAt,
      };
      return copy(t.contacts.replace(next, journal));
    },
    list: (filter, page) => listPage(t.contacts, page, contactMatches(filter)),
  };
}

function callRepository({ t, journal, write }: TxContext): Sync<CallRepository> {
  const stored = (call: Call): Call => ({ ...call, metadata: asJson(call.metadata, "metadata") });
  return {
    getById: (id) => copy(t.calls.get(id) ?? null),
    findByVendorCallId: (vendorCallId) => copy(t.calls.find("vendorCallId", vendorCallId) ?? null),
    insert: (call) => write(t.calls, stored(call), "insert"),
    update: (call) => write(t.calls, stored(call), "replace"),
    list: (filter, page) => listPage(t.calls, page, callMatches(filter), filter.range),
    maxLeadScoreOfContact: (contactId) => {
      const scores = t.calls
        .group("contact", contactId)
        .filter((c) => c.deletedAt === null && c.leadScore !== null)
        .map((c) => c.leadScore as number);
      return scores.length === 0 ? null : Math.max(...scores);
    },
    softDelete: (id, at) => {
      const call = t.calls.get(id);
      if (!call || call.deletedAt !== null) throw new NotFound("call", id);
      t.calls.replace({ ...call, deletedAt: new Date(at) }, journal);
    },
  };
}

function txContext(store: Store, orgId: string, journal: Journal): TxContext {
  const own = (recordOrgId: string) => {
    if (recordOrgId !== orgId) {
      throw new ValidationFailed([{ path: "orgId", message: "must be the transaction's organization" }]);
    }
  };
  return {
    orgId,
    journal,
    t: store.tablesOf(orgId),
    own,
    write: (table, record, mode) => {
      own(record.orgId);
      return copy(table[mode](copy(record), journal));
    },
  };
}

/** The repositories of one transaction; each method checks the tx is live and the org exists. */
function makeOrgTx(store: Store, orgId: string, journal: Journal): OrgTx {
  const ctx = txContext(store, orgId, journal);
  const { t, own, write } = ctx;
  const enter = () => {
    assertActive(journal);
    if (!store.orgs.get(orgId)) throw new NotFound("organization", orgId);
  };
  return {
    orgId,
    organization: {
      // `create` is the one method that may run before the organization exists.
      ...guarded<Pick<OrgTx["organization"], "create">>(
        {
          create: (org) => {
            if (org.id !== orgId)
              throw new ValidationFailed([{ path: "id", message: "must be the transaction's organization id" }]);
            return copy(store.orgs.insert(copy(org), journal));
          },
        },
        () => assertActive(journal),
      ),
      ...guarded<Omit<OrgTx["organization"], "create">>(
        {
          get: () => copy(store.orgs.get(orgId) as Organization),
          update: (patch) => {
            const current = store.orgs.get(orgId) as Organization;
            const next = { ...current, ...withoutUndefined(copy(patch)), id: orgId, createdAt: current.createdAt };
            return copy(store.orgs.replace(next, journal));
          },
        },
        enter,
      ),
    },
    contacts: guarded(contactRepository(ctx), enter),
    calls: guarded(callRepository(ctx), enter),
    services: guarded<OrgTx["services"]>(
      {
        list: () => [...t.services.values()].sort(byName).map(copy),
        getById: (id) => copy(t.services.get(id) ?? null),
        create: (service) => write(t.services, service, "insert"),
        update: (service) => write(t.services, service, "replace"),
        delete: (id) => t.services.delete(id, journal),
      },
      enter,
    ),
    appointments: guarded<OrgTx["appointments"]>(
      {
        getById: (id) => copy(t.appointments.get(id) ?? null),
        findByToolCallId: (toolCallId) => copy(t.appointments.find("toolCallId", toolCallId) ?? null),
        listByCall: (callId) => oldestFirst(t.appointments.group("call", callId)).map(copy),
        create: (appointment) => write(t.appointments, appointment, "insert"),
      },
      enter,
    ),
    messages: guarded<OrgTx["messages"]>(
      {
        getById: (id) => copy(t.messages.get(id) ?? null),
        findByVendorMessageId: (vendorId) => copy(t.messages.find("vendorMessageId", vendorId) ?? null),
        create: (message) => write(t.messages, message, "insert"),
        update: (message) => write(t.messages, message, "replace"),
        listByContact: (contactId) => oldestFirst(t.messages.group("contact", contactId)).map(copy),
      },
      enter,
    ),
    activity: guarded<OrgTx["activity"]>(
      {
        append: (activity) => {
          own(activity.orgId);
          if (t.activities.find("key", activity.key)) return { inserted: false };
          write(t.activities, { ...activity, data: asJson(activity.data, "data") }, "insert");
          return { inserted: true };
        },
        recent: (limit) => [...take(t.activities.newestFirst({}), Math.max(0, Math.trunc(limit)))].map(copy),
      },
      enter,
    ),
    metrics: guarded<OrgTx["metrics"]>({ pulse: (range) => pulseOf(t.calls.newestFirst(range)) }, enter),
    analytics: guarded(analyticsRepository(ctx), enter),
    eventLog: guarded<OrgTx["eventLog"]>(
      {
        append: (entry) => {
          own(entry.orgId);
          return store.appendEvent(entry, journal);
        },
      },
      enter,
    ),
    outbox: guarded<OrgTx["outbox"]>(
      {
        enqueue: (item, now) => store.enqueue(orgId, item, now, journal),
        list: (filter = {}) =>
          oldestFirst(store.outbox.group("org", orgId))
            .filter(
              (o) =>
                (filter.status === undefined || o.status === filter.status) &&
                (filter.kind === undefined || o.kind === filter.kind),
            )
            .map(copy),
      },
      enter,
    ),
  };
}

function assertActive(journal: Journal): void {
  if (!journal.active) throw new Error("This transaction has ended: use its tx only inside its fn");
}

const byName = (a: Service, b: Service) => (a.name === b.name ? (a.id < b.id ? -1 : 1) : a.name < b.name ? -1 : 1);

function* filtered<T>(rows: Iterable<T>, matches: (row: T) => boolean) {
  for (const row of rows) if (matches(row)) yield row;
}

function* take<T>(rows: Iterable<T>, count: number) {
  if (count <= 0) return;
  let n = 0;
  for (const row of rows) {
    yield row;
    if (++n >= count) return;
  }
}

// ---------------------------------------------------------------------------------------------
// The store

class Store {
  readonly orgs = organizationsTable();
  readonly events = eventLogTable();
  readonly outbox = outboxTable();
  private readonly tables = new Map<string, OrgTables>();
  /** Event seqs in log order, for `read`. */
  private readonly seqs: number[] = [];
  private nextSeq = 1;

  tablesOf(orgId: string): OrgTables {
    let tables = this.tables.get(orgId);
    if (!tables) {
      tables = orgTables();
      this.tables.set(orgId, tables);
    }
    return tables;
  }

  appendEvent(append: EventLogAppend, journal: Journal) {
    const existing = this.events.find("eventKey", JSON.stringify([append.orgId, append.provider, append.eventKey]));
    if (existing) return { inserted: false, entry: copy(existing) };
    // Like a database sequence, a rolled-back append leaves a gap in `seq`.
    const entry: EventLogEntry = {
      seq: this.nextSeq++,
      orgId: append.orgId,
      provider: append.provider,
      eventKey: append.eventKey,
      payload: asJson(append.payload, "payload"),
      receivedAt: new Date(append.receivedAt),
      projectedAt: null,
      attempts: 0,
      lastError: null,
    };
    this.events.insert(entry, journal);
    this.seqs.push(entry.seq);
    journal.record(() => this.seqs.splice(this.seqs.lastIndexOf(entry.seq), 1));
    return { inserted: true, entry: copy(entry) };
  }

  enqueue(orgId: string, item: OutboxEnqueue, now: Date, journal: Journal): boolean {
    if (this.outbox.find("key", JSON.stringify([orgId, item.key]))) return false;
    this.outbox.insert(
      {
        id: crypto.randomUUID(),
        orgId,
        kind: item.kind,
        key: item.key,
        payload: asJson(item.payload, "payload"),
        status: "pending",
        dueAt: new Date(item.dueAt ?? now),
        attempts: 0,
        lastError: null,
        createdAt: new Date(now),
      },
      journal,
    );
    return true;
  }

  /** Entries after `afterSeq` in log order. */
  *eventsAfter(afterSeq: number) {
    let lo = 0;
    let hi = this.seqs.length;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if ((this.seqs[mid] as number) <= afterSeq) lo = mid + 1;
      else hi = mid;
    }
    for (let i = lo; i < this.seqs.length; i++) yield this.events.get(String(this.seqs[i])) as EventLogEntry;
  }
}

/** Orders entries and items for hand-out: by `time`, then by a tie-breaker. */
const ascending =
  <T>(...keys: ((row: T) => number | string)[]) =>
  (a: T, b: T) => {
    for (const key of keys) {
      const [x, y] = [key(a), key(b)];
      if (x !== y) return x < y ? -1 : 1;
    }
    return 0;
  };

/**
 * Creates an empty in-memory store.
 *
 * @example
 * const storage = memoryStorage();
 * await storage.transaction(org.id, (tx) => tx.organization.create(org));
 */
export const memoryStorage = (): Storage => {
  const store = new Store();
  let closed = false;
  let tail: Promise<unknown> = Promise.resolve();
  const eventsInFlight = new Set<number>();
  const outboxInFlight = new Set<string>();

  const assertOpen = () => {
    if (closed) throw new Error("This storage is closed");
  };

  /** Runs `work` after everything queued before it: the one lock that serializes the store. */
  const exclusive = <T>(work: () => Promise<T> | T): Promise<T> => {
    const run = tail.then(work);
    tail = run.catch(() => undefined);
    return run;
  };

  const runTransaction = async <T>(orgId: string, fn: (tx: OrgTx, journal: Journal) => Promise<T>): Promise<T> => {
    assertOpen();
    return exclusive(async () => {
      const journal = new Journal();
      const tx = makeOrgTx(store, orgId, journal);
      try {
        return await fn(tx, journal);
      } catch (error) {
        journal.rollback();
        throw error;
      } finally {
        journal.active = false;
      }
    });
  };

  const claimEvents = (limit: number, maxAttempts: number): EventLogEntry[] => {
    const claimed = store.events
      .group("pending", "pending")
      .filter((e) => e.attempts < maxAttempts && !eventsInFlight.has(e.seq))
      .sort(ascending((e) => e.seq))
      .slice(0, Math.max(0, limit));
    for (const e of claimed) eventsInFlight.add(e.seq);
    return claimed.map(copy);
  };

  const recordEventFailure = (seq: number, error: unknown) => {
    const entry = store.events.get(String(seq));
    if (entry) store.events.replace({ ...entry, attempts: entry.attempts + 1, lastError: messageOf(error) }, null);
  };

  const claimOutbox = (limit: number, now: Date): OutboxItem[] => {
    const claimed = store.outbox
      .group("pending", "pending")
      .filter((o) => o.dueAt <= now && !outboxInFlight.has(o.id))
      .sort(
        ascending<OutboxItem>(
          (o) => o.dueAt.getTime(),
          (o) => o.createdAt.getTime(),
          (o) => o.id,
        ),
      )
      .slice(0, Math.max(0, limit));
    for (const o of claimed) outboxInFlight.add(o.id);
    return claimed.map(copy);
  };

  const recordOutcome = (id: string, outcome: DeliveryOutcome) => {
    const item = store.outbox.get(id) as OutboxItem;
    const next: OutboxItem = outcome.ok
      ? { ...item, status: "sent" }
      : outcome.retryAt
        ? { ...item, attempts: item.attempts + 1, lastError: outcome.error, dueAt: new Date(outcome.retryAt) }
        : { ...item, attempts: item.attempts + 1, lastError: outcome.error, status: "dead" };
    store.outbox.replace(next, null);
  };

  const firstOrg = (matches: (org: Organization) => boolean) => {
    assertOpen();
    for (const org of store.orgs.values()) if (matches(org)) return copy(org);
    return null;
  };

  return {
    transaction: (orgId, fn) => runTransaction(orgId, (tx) => fn(tx)),

    organizations: {
      findByAgentId: async (agentId) =>
        firstOrg(
          ({ agent }) =>
            agent.assistantIds.includes(agentId) ||
            agent.outboundAssistantId === agentId ||
            agent.phoneNumberId === agentId,
        ),
      findBySmsNumber: async (phone) => firstOrg(({ agent }) => agent.smsFrom === phone),
    },

    eventLog: {
      // One lock serializes everything here, so this is simply the transactional append.
      append: (entry) => runTransaction(entry.orgId, (tx) => tx.eventLog.append(entry)),

      async projectPending({ limit, now, maxAttempts }, handler) {
        assertOpen();
        const claimed = await exclusive(() => claimEvents(limit, maxAttempts));
        const result = { done: 0, failed: 0 };
        try {
          for (const entry of claimed) {
            try {
              await runTransaction(entry.orgId, async (tx, journal) => {
                await handler(copy(entry), tx);
                const stored = store.events.get(String(entry.seq)) as EventLogEntry;
                store.events.replace({ ...stored, projectedAt: new Date(now) }, journal);
              });
              result.done++;
            } catch (error) {
              if (closed) throw error; // closed mid-batch: not the handler's failure
              await exclusive(() => recordEventFailure(entry.seq, error));
              result.failed++;
            }
          }
        } finally {
          for (const entry of claimed) eventsInFlight.delete(entry.seq);
        }
        return result;
      },

      async read({ afterSeq, limit, orgId }) {
        assertOpen();
        const entries = filtered(store.eventsAfter(afterSeq), (e) => orgId === undefined || e.orgId === orgId);
        return [...take(entries, limit)].map(copy);
      },
    },

    outbox: {
      async deliverDue({ limit, now }, handler) {
        assertOpen();
        const claimed = await exclusive(() => claimOutbox(limit, now));
        const attempt = async (item: OutboxItem): Promise<DeliveryOutcome> => {
          try {
            return await handler(copy(item));
          } catch (error) {
            return { ok: false, error: messageOf(error), retryAt: null };
          }
        };
        const result = { done: 0, failed: 0 };
        try {
          for (const item of claimed) {
            const outcome = await attempt(item);
            await exclusive(() => recordOutcome(item.id, outcome));
            if (outcome.ok) result.done++;
            else result.failed++;
          }
        } finally {
          for (const item of claimed) outboxInFlight.delete(item.id);
        }
        return result;
      },
    },

    async close() {
      closed = true;
      await tail;
    },
  };
};

const messageOf = (error: unknown) => (error instanceof Error ? error.message : String(error));

// ---------------------------------------------------------------------------------------------
// Analytics: the pulse's definitions (`pulseOf`) over groups of the org's live calls in a range

/** `rows` grouped by `keyOf`, groups in first-seen order. */
function groupBy<T, K>(rows: Iterable<T>, keyOf: (row: T) => K): Map<K, T[]> {
  const groups = new Map<K, T[]>();
  for (const row of rows) {
    const key = keyOf(row);
    const group = groups.get(key);
    if (group) group.push(row);
    else groups.set(key, [row]);
  }
  return groups;
}

const volumeOf = (calls: Iterable<Call>): CallVolume => {
  const { totalCalls, inboundCalls, bookings, successRate, pipelineValueCents } = pulseOf(calls);
  return { totalCalls, inboundCalls, bookings, successRate, pipelineValueCents };
};

function analyticsRepository({ t }: TxContext): Sync<AnalyticsRepository> {
  const liveCalls = (range: TimeRange) => filtered(t.calls.newestFirst(range), (c) => c.deletedAt === null);
  return {
    timeseries: ({ interval, timeZone, range }) =>
      [...groupBy(liveCalls(range), (c) => bucketStartOf(c.createdAt, interval, timeZone))]
        .map(([start, calls]) => ({ start, ...volumeOf(calls) }))
        .sort((a, b) => (a.start < b.start ? -1 : 1)),
    funnel: (range) => {
      const contacts = [...t.contacts.newestFirst(range)];
      return FUNNEL_STAGES.map((stage) => {
        const reached = statusesReaching(stage);
        return { stage, count: contacts.filter((c) => reached.includes(c.leadStatus)).length };
      });
    },
    services: (range) => {
      const priced = (c: Call) =>
        c.pricedServiceId !== null && t.services.get(c.pricedServiceId) ? c.pricedServiceId : null;
      const groups = groupBy(liveCalls(range), priced);
      const row = (serviceId: string | null, name: string, calls: Call[]): ServiceAnalytics => {
        const { totalCalls, bookings, pipelineValueCents } = volumeOf(calls);
        return { serviceId, name, bookings, calls: totalCalls, pipelineValueCents };
      };
      const items = [...t.services.values()].map((s) => row(s.id, s.name, groups.get(s.id) ?? []));
      const unattributed = groups.get(null);
      if (unattributed) items.push(row(null, UNATTRIBUTED_SERVICE_NAME, unattributed));
      return items.sort(byServiceRank);
    },
  };
}
