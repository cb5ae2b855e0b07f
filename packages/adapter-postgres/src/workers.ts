/**
 * The cross-organization workers: the projector claims logged events, the outbox worker claims
 * due side effects. Claims use `FOR UPDATE SKIP LOCKED`, so several processes can share one
 * database and never work on one thing at the same time. The claims run as the connecting role,
 * which bypasses row-level security (they must see every org); the work itself runs in the org's
 * own scope.
 */
import type {
  BatchResult,
  DeliveryOutcome,
  EventLogEntry,
  EventLogWorker,
  OrgTx,
  OutboxItem,
  OutboxWorker,
} from "@voxanne/core";
import { and, asc, DrizzleQueryError, eq, gt, inArray, isNull, lt, lte, or, sql } from "drizzle-orm";
import { compile } from "./compiled.ts";
import type { Db } from "./db.ts";
import { translateError } from "./errors.ts";
import { orgTx } from "./orgTx.ts";
import { appendEvent } from "./repositories/eventLog.ts";
import { eventLogEntryOf, eventLogFields, outboxItemOf } from "./rows.ts";
import { eventLog, outbox } from "./schema.ts";
import { enterOrg, setLocal } from "./scope.ts";

/** How long a claimed outbox item stays hidden from other workers; a crashed worker's claim runs out. */
export const OUTBOX_LEASE_MS = 5 * 60_000;

/** Width of the `last_error` columns. */
const ERROR_LENGTH = 1000;

/**
 * What `last_error` keeps of a failure: its message only (never a query's parameters, which may
 * hold payload data), cut to the column, without the NUL that text columns refuse.
 */
function errorText(error: unknown): string {
  const translated = translateError(error);
  const message =
    translated instanceof DrizzleQueryError && translated.cause instanceof Error
      ? translated.cause.message
      : translated instanceof Error
        ? translated.message
        : String(translated);
  return [...message.replaceAll("\u0000", "")].slice(0, ERROR_LENGTH).join("");
}

/** Runs a claim or bookkeeping statement; database errors come out as core errors. */
async function statement<T>(run: () => Promise<T>): Promise<T> {
  try {
    return await run();
  } catch (error) {
    throw translateError(error);
  }
}

/** A failure of the entry handed out (its handler, or marking it projected), not of the claim. */
class EntryFailed extends Error {
  constructor(
    readonly seq: number,
    override readonly cause: unknown,
  ) {
    super("projection failed", { cause });
  }
}

/**
 * The projector's claim, built once (see compiled.ts): up to `limit` pending entries of ONE
 * organization (that of the oldest pending entry nobody holds), oldest first, but those in
 * `failed` (their seqs, comma-separated), marked projected as they are claimed.
 */
const claimEvents = compile((db, value) => {
  const pending = and(
    isNull(eventLog.projectedAt),
    lt(eventLog.attempts, value("maxAttempts")),
    sql`${eventLog.seq} <> all(string_to_array(${value("failed")}, ',')::bigint[])`,
  );
  const oldestOrg = db
    .select({ orgId: eventLog.orgId })
    .from(eventLog)
    .where(pending)
    .orderBy(asc(eventLog.seq))
    .limit(1)
    .for("update", { skipLocked: true });
  const claimed = db
    .select({ seq: eventLog.seq })
    .from(eventLog)
    .where(and(pending, eq(eventLog.orgId, sql`(${oldestOrg})`)))
    .orderBy(asc(eventLog.seq))
    .limit(value("limit"))
    .for("update", { skipLocked: true });
  return db
    .update(eventLog)
    .set({ projectedAt: sql`${value("now")}::timestamptz` })
    .where(inArray(eventLog.seq, claimed))
    .returning(eventLogFields);
});

type Projection = { done: number } | { seq: number; error: unknown } | null;
type ProjectOptions = { now: Date; maxAttempts: number };
type ProjectHandler = (entry: EventLogEntry, tx: OrgTx) => Promise<void>;

export function eventLogWorker(db: Db): EventLogWorker {
  /**
   * One batch, one transaction: claim up to `limit` pending entries of ONE organization (that of
   * the oldest pending entry nobody holds), oldest first, skipping those that failed in this call;
   * enter the org once, run the handler on each in log order (they share the transaction, so the
   * org and its price list are read once); the claim marks them projected. Null when nothing is left
   * to claim. A handler failure rolls the whole batch back and is reported, not thrown: the caller
   * records it once the transaction is over (PGlite has a single connection, so never inside it),
   * and the entries before it are claimed again by the next batch.
   */
  async function projectBatch(
    failed: number[],
    limit: number,
    { now, maxAttempts }: ProjectOptions,
    handler: ProjectHandler,
  ) {
    try {
      return await db.transaction(async (tx): Promise<Projection> => {
        // A projection can be rebuilt from the log, so its commit need not wait for the disk: a crash
        // loses it (mark included) whole, and it is projected again. Whatever follows from it
        // durably (an outbox claim, a logged SMS) is a commit of its own, which flushes the log up
        // to itself, this commit included.
        setLocal(tx, "synchronous_commit", "off");
        // Marked projected as they are claimed: the projection's failure rolls the mark back too.
        const claim = { now, maxAttempts, limit, failed: failed.join(",") };
        const rows = (await claimEvents.run(tx, claim)).sort((a, b) => a.seq - b.seq);
        const [first] = rows;
        if (!first) return null;
        let current = first.seq;
        try {
          const scope = enterOrg(tx, first.orgId);
          for (const row of rows) {
            current = row.seq;
            await handler({ ...eventLogEntryOf(row), projectedAt: null }, orgTx(scope));
          }
          await scope.verified();
        } catch (error) {
          throw new EntryFailed(current, error);
        }
        return { done: rows.length };
      });
    } catch (error) {
      if (error instanceof EntryFailed) return { seq: error.seq, error: error.cause };
      throw translateError(error);
    }
  }

  const recordFailure = (seq: number, error: unknown) =>
    statement(() =>
      db
        .update(eventLog)
        .set({ attempts: sql`${eventLog.attempts} + 1`, lastError: errorText(error) })
        .where(eq(eventLog.seq, seq)),
    );

  return {
    // As the connecting role, one autocommitted INSERT (a read-back only for a duplicate): no org
    // lock, so a webhook's append never waits behind a projection. An unknown org fails its
    // foreign key: NotFound.
    async append(append) {
      try {
        return await appendEvent(db, append);
      } catch (error) {
        throw translateError(error);
      }
    },

    async projectPending({ limit, now, maxAttempts }, handler) {
      const result: BatchResult = { done: 0, failed: 0 };
      const failed: number[] = [];
      while (result.done + result.failed < limit) {
        const wanted = limit - result.done - result.failed;
        const projection = await projectBatch(failed, wanted, { now, maxAttempts }, handler);
        if (!projection) break;
        if ("error" in projection) {
          failed.push(projection.seq);
          await recordFailure(projection.seq, projection.error);
          result.failed++;
          continue;
        }
        result.done += projection.done;
        // A short batch took all its org had; other orgs' entries wait for the next call (the
        // pump makes one while a call did any work), which saves an empty claim per call.
        if (projection.done < wanted) break;
      }
      return result;
    },

    async read({ afterSeq, limit, orgId }) {
      const rows = await statement(() =>
        db
          .select(eventLogFields)
          .from(eventLog)
          .where(and(gt(eventLog.seq, afterSeq), orgId === undefined ? undefined : eq(eventLog.orgId, orgId)))
          .orderBy(asc(eventLog.seq))
          .limit(Math.max(0, limit)),
      );
      return rows.map(eventLogEntryOf);
    },
  };
}

/** The columns an outcome changes; every outcome ends the lease. */
function outcomeChange(outcome: DeliveryOutcome) {
  if (outcome.ok) return { status: "sent" as const, lockedUntil: null };
  const failure = { attempts: sql`${outbox.attempts} + 1`, lastError: errorText(outcome.error), lockedUntil: null };
  return outcome.retryAt ? { ...failure, dueAt: outcome.retryAt } : { ...failure, status: "dead" as const };
}

/** A throwing handler counts as a failure that another attempt will not fix. */
async function attempt(handler: (item: OutboxItem) => Promise<DeliveryOutcome>, item: OutboxItem) {
  try {
    return await handler(item);
  } catch (error) {
    return { ok: false, error: errorText(error), retryAt: null } satisfies DeliveryOutcome;
  }
}

const byDue = (a: OutboxItem, b: OutboxItem) =>
  a.dueAt.getTime() - b.dueAt.getTime() ||
  a.createdAt.getTime() - b.createdAt.getTime() ||
  (a.id < b.id ? -1 : a.id > b.id ? 1 : 0);

export function outboxWorker(db: Db): OutboxWorker {
  /**
   * Leases up to `limit` due items in one statement: they stay hidden from other workers until
   * the lease ends, so the handlers run outside any transaction (they open their own).
   */
  async function claim(limit: number, now: Date, lease: Date): Promise<OutboxItem[]> {
    const due = db
      .select({ id: outbox.id })
      .from(outbox)
      .where(
        and(
          eq(outbox.status, "pending"),
          lte(outbox.dueAt, now),
          or(isNull(outbox.lockedUntil), lte(outbox.lockedUntil, now)),
        ),
      )
      .orderBy(asc(outbox.dueAt), asc(outbox.createdAt), asc(outbox.id))
      .limit(limit)
      .for("update", { skipLocked: true });
    const rows = await statement(() =>
      db.update(outbox).set({ lockedUntil: lease }).where(inArray(outbox.id, due)).returning(),
    );
    return rows.map(outboxItemOf).sort(byDue);
  }

  /**
   * Records an outcome unless the lease was lost: a worker that outlived its lease must not
   * overwrite what the worker that took the item over did. Says whether it was recorded.
   */
  async function record(id: string, lease: Date, outcome: DeliveryOutcome): Promise<boolean> {
    const rows = await statement(() =>
      db
        .update(outbox)
        .set(outcomeChange(outcome))
        .where(and(eq(outbox.id, id), eq(outbox.lockedUntil, lease)))
        .returning({ id: outbox.id }),
    );
    return rows.length > 0;
  }

  return {
    async deliverDue({ limit, now }, handler) {
      const result: BatchResult = { done: 0, failed: 0 };
      if (limit <= 0) return result;
      const lease = new Date(now.getTime() + OUTBOX_LEASE_MS);
      for (const item of await claim(limit, now, lease)) {
        const outcome = await attempt(handler, item);
        if (!(await record(item.id, lease, outcome))) continue;
        if (outcome.ok) result.done++;
        else result.failed++;
      }
      return result;
    },
  };
}
