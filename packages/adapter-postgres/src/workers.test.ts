/**
 * Two server processes sharing one database: each has its own connection pool and runs the
 * projector and the outbox worker at the same time as the other. Every event must be projected
 * once and every outbox item sent once. PGlite is one process by nature, so this is server-only
 * (the contract suite covers its concurrent calls).
 */
import type { BatchResult, Storage } from "@voxanne/core";
import { newOrganization } from "@voxanne/core";
import { count, isNull } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import { openPostgres } from "./db.ts";
import { activity, eventLog, outbox } from "./schema.ts";
import { postgresStorage } from "./storage.ts";
import { type ServerDatabase, serverDatabase, serverProblem } from "./testDatabases.ts";
import { OUTBOX_LEASE_MS } from "./workers.ts";

const ORGS = 3;
const EVENTS_PER_ORG = 100;
const ITEMS_PER_ORG = 60;
/** Concurrent loops in each process, on top of the two processes. */
const LOOPS_PER_PROCESS = 2;

const T0 = new Date("2026-01-25T09:00:00.000Z");
const minutes = (n: number) => new Date(T0.getTime() + n * 60_000);
const pause = () => new Promise((resolve) => setTimeout(resolve, Math.random() * 3));

/** Runs `batch` until it finds nothing left to do. */
async function drain(batch: () => Promise<BatchResult>): Promise<void> {
  for (;;) {
    const { done, failed } = await batch();
    expect(failed).toBe(0);
    if (done === 0) return;
  }
}

type Process = 0 | 1;

/** What the handlers were handed: how often each key, and how many by each process. */
function handOuts<K>() {
  const perKey = new Map<K, number>();
  const perProcess: [number, number] = [0, 0];
  return {
    perKey,
    perProcess,
    note(key: K, process: Process) {
      perKey.set(key, (perKey.get(key) ?? 0) + 1);
      perProcess[process]++;
    },
    /** How many keys were handed out more than once. */
    duplicates: () => [...perKey.values()].filter((n) => n > 1).length,
  };
}

function twoProcesses(server: ServerDatabase) {
  const other = openPostgres(server.url);
  afterAll(() => other.close());
  const processes: [Storage, Storage] = [postgresStorage(server), postgresStorage(other)];
  const [first] = processes;
  /** Runs LOOPS_PER_PROCESS draining loops in each process, all at once. */
  const inBothProcesses = (run: (storage: Storage, process: Process) => Promise<void>) =>
    Promise.all(
      processes.flatMap((storage, process) =>
        Array.from({ length: LOOPS_PER_PROCESS }, () => run(storage, process as Process)),
      ),
    );
  const orgIds = Array.from({ length: ORGS }, () => crypto.randomUUID());

  beforeAll(async () => {
    for (const id of orgIds) {
      await first.transaction(id, (tx) =>
        tx.organization.create(newOrganization({ id, name: "Clinic", createdAt: T0 })),
      );
    }
  });

  test(`projectPending: ${ORGS * EVENTS_PER_ORG} events, each projected exactly once`, async () => {
    const seqs: number[] = [];
    for (const orgId of orgIds) {
      await first.transaction(orgId, async (tx) => {
        for (let i = 0; i < EVENTS_PER_ORG; i++) {
          const appended = await tx.eventLog.append({
            orgId,
            provider: "voxanne",
            eventKey: `event-${i}`,
            payload: { i },
            receivedAt: T0,
          });
          seqs.push(appended.entry.seq);
        }
      });
    }
    const handed = handOuts<number>();
    await inBothProcesses((storage, process) =>
      drain(() =>
        storage.eventLog.projectPending({ limit: 10, now: minutes(1), maxAttempts: 3 }, async (entry, tx) => {
          handed.note(entry.seq, process);
          await pause();
          await tx.activity.append({
            id: crypto.randomUUID(),
            orgId: entry.orgId,
            type: "call_started",
            key: `projected:${entry.seq}`,
            occurredAt: minutes(1),
            contactId: null,
            callId: null,
            summary: "projected",
            data: {},
          });
        }),
      ),
    );

    console.info(
      `two workers, event log: ${seqs.length} events, by process ${handed.perProcess.join(" + ")}, duplicates ${handed.duplicates()}`,
    );
    expect(handed.duplicates()).toBe(0);
    expect([...handed.perKey.keys()].sort((a, b) => a - b)).toEqual(seqs.sort((a, b) => a - b));
    expect(handed.perProcess.every((n) => n > 0)).toBe(true);
    const { db } = server;
    expect(await db.$count(eventLog, isNull(eventLog.projectedAt))).toBe(0);
    // The handlers' writes committed once each, with their entry.
    expect(await db.$count(activity)).toBe(seqs.length);
  });

  test(`deliverDue: ${ORGS * ITEMS_PER_ORG} outbox items, each delivered exactly once`, async () => {
    for (const orgId of orgIds) {
      await first.transaction(orgId, async (tx) => {
        for (let i = 0; i < ITEMS_PER_ORG; i++) {
          await tx.outbox.enqueue({ kind: "test", key: `item-${i}`, payload: { i }, dueAt: minutes(i % 5) }, T0);
        }
      });
    }
    const handed = handOuts<string>();
    await inBothProcesses((storage, process) =>
      drain(() =>
        storage.outbox.deliverDue({ limit: 10, now: minutes(10) }, async (item) => {
          handed.note(item.id, process);
          await pause();
          return { ok: true };
        }),
      ),
    );

    console.info(
      `two workers, outbox: ${handed.perKey.size} items, by process ${handed.perProcess.join(" + ")}, duplicates ${handed.duplicates()}`,
    );
    expect(handed.duplicates()).toBe(0);
    expect(handed.perKey.size).toBe(ORGS * ITEMS_PER_ORG);
    expect(handed.perProcess.every((n) => n > 0)).toBe(true);
    const statuses = await server.db.select({ status: outbox.status, n: count() }).from(outbox).groupBy(outbox.status);
    expect(statuses).toEqual([{ status: "sent", n: ORGS * ITEMS_PER_ORG }]);
  });

  test("deliverDue: an item whose worker crashed is delivered by another once the lease runs out", async () => {
    const [orgId] = orgIds as [string];
    await first.transaction(orgId, (tx) =>
      tx.outbox.enqueue({ kind: "test", key: "leased", payload: {} }, minutes(20)),
    );
    const [crashing, healthy] = processes;

    // The first process claims the item, then hangs in its handler (as good as crashed).
    let claimed!: () => void;
    const handedOut = new Promise<void>((resolve) => {
      claimed = resolve;
    });
    let wakeUp!: () => void;
    const stuck = crashing.outbox.deliverDue({ limit: 10, now: minutes(20) }, async () => {
      claimed();
      await new Promise<void>((resolve) => {
        wakeUp = resolve;
      });
      return { ok: false, error: "too late", retryAt: null };
    });
    await handedOut;

    const delivered: string[] = [];
    const deliver = (now: Date) =>
      healthy.outbox.deliverDue({ limit: 10, now }, async (item) => {
        delivered.push(item.key);
        return { ok: true };
      });
    expect(await deliver(new Date(minutes(20).getTime() + OUTBOX_LEASE_MS - 1))).toEqual({ done: 0, failed: 0 });
    expect(await deliver(new Date(minutes(20).getTime() + OUTBOX_LEASE_MS))).toEqual({ done: 1, failed: 0 });
    expect(delivered).toEqual(["leased"]);

    // The first process wakes up: its lease is gone, so its outcome is dropped, not recorded.
    wakeUp();
    expect(await stuck).toEqual({ done: 0, failed: 0 });
    const items = await first.transaction(orgId, (tx) => tx.outbox.list({ kind: "test" }));
    expect(items.find((item) => item.key === "leased")).toMatchObject({ status: "sent", attempts: 0, lastError: null });
  });
}

const server = serverProblem ? undefined : await serverDatabase();
if (server) describe("workers: two processes on one server database", () => twoProcesses(server));
else test.skip(`workers: two processes on one server database (no server: ${serverProblem})`, () => {});
