/**
 * Side effects written inside a transaction: activity rows and outbox items. Live events and
 * SMS alerts never go out directly; they are enqueued with the state change and delivered by
 * the outbox worker once the transaction has committed. During a replay nothing is enqueued.
 */
import type { Activity, ActivityType } from "../../domain/activity.ts";
import type { LiveEvent } from "../../domain/live.ts";
import { serialize } from "../../domain/serialized.ts";
import type { OrgTx } from "../../ports/storage.ts";
import type { Deps } from "../context.ts";

export type Mode = "live" | "replay";

export const OUTBOX_LIVE = "live.publish";
export const OUTBOX_HOT_LEAD_ALERT = "sms.hot_lead_alert";

/** One transaction's way to record what happened and what must follow. */
export class Effects {
  private readonly live: LiveEvent[] = [];

  constructor(
    readonly deps: Deps,
    readonly tx: OrgTx,
    readonly mode: Mode,
  ) {}

  /** Queues a live event for the org's dashboards; `flush` writes them to the outbox as one item. */
  publish(event: LiveEvent): void {
    if (this.mode !== "replay") this.live.push(event);
  }

  /** Writes the queued live events as one outbox item (one row per transaction, not per event). */
  async flush(): Promise<void> {
    if (this.live.length === 0) return;
    const events = this.live.splice(0);
    await this.tx.outbox.enqueue(
      { kind: OUTBOX_LIVE, key: `live:${this.deps.newId()}`, payload: { events } },
      this.deps.clock.now(),
    );
  }

  /** Enqueues a side effect that must happen at most once, ever, for `key`. */
  async once(kind: string, key: string, payload: Record<string, unknown>): Promise<void> {
    if (this.mode === "replay") return;
    await this.tx.outbox.enqueue({ kind, key, payload }, this.deps.clock.now());
  }

  /**
   * Appends an activity unless one with the same key exists (replays and duplicates record
   * nothing twice), and tells the dashboards about a new one.
   */
  async activity(
    type: ActivityType,
    key: string,
    fields: Pick<Activity, "occurredAt" | "summary"> & Partial<Pick<Activity, "contactId" | "callId" | "data">>,
  ): Promise<void> {
    const activity: Activity = {
      id: this.deps.newId(),
      orgId: this.tx.orgId,
      type,
      key: `${type}:${key}`,
      contactId: fields.contactId ?? null,
      callId: fields.callId ?? null,
      occurredAt: fields.occurredAt,
      summary: fields.summary,
      data: fields.data ?? {},
    };
    const { inserted } = await this.tx.activity.append(activity);
    if (inserted) this.publish({ type: "activity.created", orgId: this.tx.orgId, activity: serialize(activity) });
  }
}

/** Runs `fn` in one transaction of `orgId` with its Effects, flushing them before the commit. */
export function withEffects<T>(deps: Deps, orgId: string, fn: (fx: Effects) => Promise<T>): Promise<T> {
  return deps.storage.transaction(orgId, async (tx) => {
    const fx = new Effects(deps, tx, "live");
    const result = await fn(fx);
    await fx.flush();
    return result;
  });
}
