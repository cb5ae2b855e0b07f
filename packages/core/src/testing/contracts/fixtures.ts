/**
 * Record builders and checks for the Storage contract: fresh random ids (so tests can share one
 * store), fixed instants, and expectations computed here, independently of any adapter.
 */
import { expect } from "vitest";
import type { Activity } from "../../domain/activity.ts";
import type { Appointment } from "../../domain/appointment.ts";
import type { Call } from "../../domain/call.ts";
import type { Contact } from "../../domain/contact.ts";
import type { ErrorKind, VoxanneError } from "../../domain/errors.ts";
import { isVoxanneError } from "../../domain/errors.ts";
import type { EventLogAppend } from "../../domain/eventLog.ts";
import type { Message } from "../../domain/message.ts";
import type { Pulse, TimeRange } from "../../domain/metrics.ts";
import { successRateOf } from "../../domain/metrics.ts";
import type { AgentConfig, Organization } from "../../domain/organization.ts";
import type { Page } from "../../domain/page.ts";
import { newCall, newContact, newOrganization } from "../../domain/records.ts";
import type { Service } from "../../domain/service.ts";
import type { Storage } from "../../ports/storage.ts";

export const uid = (): string => crypto.randomUUID();

const BASE = Date.UTC(2026, 0, 5, 9, 0, 0);
/** A fixed instant `minutes` after the suite's base time; every test has its own orgs, so they never clash. */
export const at = (minutes: number): Date => new Date(BASE + minutes * 60_000);
/** Later than any instant a test uses: delivers everything that is due. */
export const FAR_FUTURE = new Date(Date.UTC(2999, 0, 1));

let phoneCount = 0;
/** A phone number unique within this process: enough for per-org keys. */
export const nextPhone = (): string => `+1555${String(++phoneCount).padStart(7, "0")}`;

/** A random phone number, for keys that are global (the directory's SMS sender) in a store other runs may share. */
export const randomPhone = (): string =>
  `+1${[...crypto.getRandomValues(new Uint8Array(10))].map((b) => b % 10).join("")}`;

export const orgRecord = (fields: Partial<Omit<Organization, "agent">> & { agent?: Partial<AgentConfig> } = {}) =>
  newOrganization({ id: uid(), name: "Contract Clinic", createdAt: at(0), ...fields });

export const contactRecord = (orgId: string, fields: Partial<Contact> = {}): Contact =>
  newContact({ id: uid(), orgId, phone: nextPhone(), createdAt: at(0), ...fields });

export const callRecord = (orgId: string, fields: Partial<Call> = {}): Call =>
  newCall({ id: uid(), orgId, createdAt: at(0), direction: "inbound", ...fields });

export const serviceRecord = (orgId: string, fields: Partial<Service> = {}): Service => ({
  id: uid(),
  orgId,
  name: "Botox",
  priceCents: 40_000,
  keywords: ["botox", "wrinkle"],
  createdAt: at(0),
  updatedAt: at(0),
  ...fields,
});

export const appointmentRecord = (
  orgId: string,
  contactId: string,
  fields: Partial<Appointment> = {},
): Appointment => ({
  id: uid(),
  orgId,
  contactId,
  callId: null,
  serviceId: null,
  startsAt: at(24 * 60),
  status: "booked",
  toolCallId: null,
  createdAt: at(0),
  ...fields,
});

export const messageRecord = (orgId: string, fields: Partial<Message> = {}): Message => ({
  id: uid(),
  orgId,
  contactId: null,
  direction: "outbound",
  purpose: "conversation",
  fromNumber: "+15550009999",
  toNumber: nextPhone(),
  body: "Hello from the clinic",
  status: "queued",
  vendorMessageId: null,
  errorCode: null,
  createdAt: at(0),
  updatedAt: at(0),
  ...fields,
});

export const activityRecord = (orgId: string, fields: Partial<Activity> = {}): Activity => ({
  id: uid(),
  orgId,
  type: "call_started",
  key: uid(),
  occurredAt: at(0),
  contactId: null,
  callId: null,
  summary: "A call started",
  data: {},
  ...fields,
});

export const eventAppend = (orgId: string, fields: Partial<EventLogAppend> = {}): EventLogAppend => ({
  orgId,
  provider: "voxanne",
  eventKey: uid(),
  payload: { type: "contract", n: 1 },
  receivedAt: at(0),
  ...fields,
});

/** Creates an organization in its own transaction and returns it as stored. */
export const createOrg = (storage: Storage, fields: Parameters<typeof orgRecord>[0] = {}): Promise<Organization> => {
  const org = orgRecord(fields);
  return storage.transaction(org.id, (tx) => tx.organization.create(org));
};

/**
 * Projects every pending entry with a no-op handler, so a worker test on a shared store sees
 * only its own entries.
 */
export async function drainEventLog(storage: Storage): Promise<void> {
  await drain(() =>
    storage.eventLog.projectPending({ limit: 100, now: at(0), maxAttempts: 1_000_000 }, async () => {}),
  );
}

/** Delivers every pending outbox item, so a worker test on a shared store sees only its own items. */
export async function drainOutbox(storage: Storage): Promise<void> {
  await drain(() => storage.outbox.deliverDue({ limit: 100, now: FAR_FUTURE }, async () => ({ ok: true })));
}

async function drain(batch: () => Promise<{ done: number; failed: number }>): Promise<void> {
  for (let round = 0; round < 1_000; round++) {
    const { done, failed } = await batch();
    if (done + failed === 0) return;
  }
  throw new Error("the store did not drain");
}

/** The core error `promise` rejects with; fails the test when it resolves or rejects with anything else. */
export async function rejectionOf(promise: Promise<unknown>, label = "the operation"): Promise<VoxanneError> {
  const error = await promise.then(
    (value) => expect.fail(`${label}: expected a rejection, got ${JSON.stringify(value)}`),
    (e: unknown) => e,
  );
  expect(isVoxanneError(error), `${label}: a core error, not ${String(error)}`).toBe(true);
  return error as VoxanneError;
}

/** Expects `promise` to reject with a core error of `kind` (and `code`, when given). */
export async function expectError(promise: Promise<unknown>, kind: ErrorKind, code?: string, label?: string) {
  const error = await rejectionOf(promise, label);
  expect(error.kind, label).toBe(kind);
  if (code !== undefined) expect(error.code, label).toBe(code);
  return error;
}

const compareIds = (a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0);

/** Rows newest first by (`time`, id), both descending: the order lists promise. */
export const newestFirstBy = <T extends { id: string }>(rows: readonly T[], time: (row: T) => Date): T[] =>
  [...rows].sort((a, b) => time(b).getTime() - time(a).getTime() || compareIds(b.id, a.id));

export const newestFirst = <T extends { id: string; createdAt: Date }>(rows: readonly T[]): T[] =>
  newestFirstBy(rows, (row) => row.createdAt);

export const idsOf = (rows: readonly { id: string }[]): string[] => rows.map((row) => row.id);
export const sortedIds = (rows: readonly { id: string }[]): string[] => idsOf(rows).sort(compareIds);

/** Follows `nextCursor` from the first page to the last; fails on a list that never ends. */
export async function allPages<T>(fetch: (cursor: string | null) => Promise<Page<T>>): Promise<Page<T>[]> {
  const pages: Page<T>[] = [];
  let cursor: string | null = null;
  do {
    const page: Page<T> = await fetch(cursor);
    pages.push(page);
    cursor = page.nextCursor;
    if (pages.length > 1_000) expect.fail("a list kept returning a nextCursor");
  } while (cursor !== null);
  return pages;
}

const inRange = (time: Date, range: TimeRange) =>
  (range.from === undefined || time >= range.from) && (range.to === undefined || time < range.to);

const sum = (values: number[]) => values.reduce((total, value) => total + value, 0);

/** The pulse of `calls` by the definitions of domain/metrics.ts, computed without any adapter. */
export function expectedPulse(calls: readonly Call[], range: TimeRange): Pulse {
  const counted = calls.filter((c) => c.deletedAt === null && inRange(c.createdAt, range));
  const inbound = counted.filter((c) => c.direction === "inbound");
  const durations = counted.filter((c) => c.status === "completed").flatMap((c) => c.durationSeconds ?? []);
  const hot = counted.filter((c) => c.contactId !== null && (c.leadScore ?? 0) >= 70).map((c) => c.contactId);
  return {
    totalCalls: counted.length,
    inboundCalls: inbound.length,
    bookings: counted.filter((c) => c.bookingConfirmed).length,
    successRate: successRateOf(inbound.filter((c) => c.bookingConfirmed).length, inbound.length),
    pipelineValueCents: sum(counted.map((c) => c.financialValueCents)),
    avgDurationSeconds: durations.length === 0 ? 0 : Math.round(sum(durations) / durations.length),
    hotLeads: new Set(hot).size,
  };
}

/** Lets other work run: tests use it inside handlers to invite interleaving. */
export const tick = (ms = 1): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));
