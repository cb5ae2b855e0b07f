/**
 * Kill points for the crash child: wrappers around the real ports that SIGKILL the process at the
 * Nth time it reaches a step, so no production code carries a test hook. Each step is a moment
 * between append, projection and send where a real process can die.
 */
import type { Sms, Storage, Telephony } from "@voxanne/core";

export const KILL_STEPS = [
  /** The webhook's event is in the log; its 200 has not gone out. */
  "appended",
  /** A projection round starts: events are logged (and answered), none of this round projected. */
  "projection-start",
  /** Inside the projection's transaction, its writes done, before the commit. */
  "projection-inside",
  /** A projection round committed; the outbox items it wrote are not claimed yet. */
  "projection-committed",
  /** A hot-lead alert is claimed (leased) by the outbox worker; nothing is logged or sent yet. */
  "alert-claimed",
  /** The alert's message is logged `queued`; the vendor is about to be asked. */
  "sms-before-vendor",
  /** The vendor accepted the SMS; its answer is not recorded, the item not marked sent. */
  "sms-accepted",
  /** A delivery round marked its alerts sent. */
  "alert-marked",
  /** The callback's call is recorded `pending`; the vendor is about to be asked. */
  "call-before-vendor",
  /** The vendor placed the callback; the call is not marked `initiated` yet. */
  "call-accepted",
  /** The callback is marked `initiated`; the user's request is not answered yet. */
  "callback-marked",
] as const;
export type KillStep = (typeof KILL_STEPS)[number];

export interface KillPoint {
  step: KillStep;
  /** Die the Nth time the step is reached (1 = the first). */
  nth: number;
}

/** Counts the steps reached and dies at the kill point, at once and without cleaning up. */
export function killSwitch(point: KillPoint | undefined) {
  const reached = new Map<KillStep, number>();
  return (step: KillStep) => {
    const count = (reached.get(step) ?? 0) + 1;
    reached.set(step, count);
    if (point?.step === step && point.nth === count) process.kill(process.pid, "SIGKILL");
  };
}

export type Reach = ReturnType<typeof killSwitch>;

const HOT_LEAD_ALERT = "sms.hot_lead_alert";

/** The store, with the event log's and the outbox worker's steps reported to `reach`. */
export function killableStorage(storage: Storage, reach: Reach): Storage {
  const { eventLog, outbox } = storage;
  return {
    transaction: (orgId, fn) => storage.transaction(orgId, fn),
    organizations: storage.organizations,
    close: () => storage.close(),
    eventLog: {
      read: (options) => eventLog.read(options),
      async append(entry) {
        const appended = await eventLog.append(entry);
        reach("appended");
        return appended;
      },
      async projectPending(options, handler) {
        reach("projection-start");
        const result = await eventLog.projectPending(options, async (entry, tx) => {
          await handler(entry, tx);
          reach("projection-inside");
        });
        if (result.done > 0) reach("projection-committed");
        return result;
      },
    },
    outbox: {
      async deliverDue(options, handler) {
        let alertsSent = 0;
        const result = await outbox.deliverDue(options, async (item) => {
          const alert = item.kind === HOT_LEAD_ALERT;
          if (alert) reach("alert-claimed");
          const outcome = await handler(item);
          if (alert && outcome.ok) alertsSent++;
          return outcome;
        });
        if (alertsSent > 0) reach("alert-marked");
        return result;
      },
    },
  };
}

export function killableSms(sms: Sms, reach: Reach): Sms {
  return {
    async send(request) {
      reach("sms-before-vendor");
      const sent = await sms.send(request);
      reach("sms-accepted");
      return sent;
    },
  };
}

export function killableTelephony(telephony: Telephony, reach: Reach): Telephony {
  return {
    async createOutboundCall(request) {
      reach("call-before-vendor");
      const placed = await telephony.createOutboundCall(request);
      reach("call-accepted");
      return placed;
    },
  };
}
