/**
 * Crash safety, shown by killing: the pipeline runs in a child process that is SIGKILLed at one
 * step between append, projection and send, then restarted (later, so the dead run's outbox
 * leases have run out) and run to quiet. Afterwards nothing acknowledged is lost, nothing is
 * projected twice, the projections equal those of a run that was never killed, and each hot-lead
 * SMS and the callback reached the fake vendor once, or (killed while the vendor had it and its
 * answer was not recorded) at most once and left in the state the core defines for an unconfirmed
 * send: the message `failed` as `SMS_UNCONFIRMED` with its outbox item `dead`; the call `pending`.
 */
import type { FakeTwilio } from "@voxanne/adapter-twilio/testing";
import { startFakeTwilio } from "@voxanne/adapter-twilio/testing";
import type { FakeVapi } from "@voxanne/adapter-vapi/testing";
import { startFakeVapi } from "@voxanne/adapter-vapi/testing";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { FreshDatabase } from "../support/database.ts";
import { freshDatabase, requireSharedPostgres } from "../support/database.ts";
import type { ChildInput } from "./child.ts";
import type { KillPoint, KillStep } from "./killPoints.ts";
import type { Outcome } from "./outcome.ts";
import { readOutcome } from "./outcome.ts";
import type { ChildRun } from "./runChild.ts";
import { runChild, saidAfter } from "./runChild.ts";
import { crashWorkload } from "./workload.ts";

const adminUrl = await requireSharedPostgres();

/** Long enough for every lease of the killed run to have run out (the lease is 5 minutes). */
const LATER_MS = 10 * 60_000;
const workload = crashWorkload();
const databases: FreshDatabase[] = [];

interface Run {
  killed: ChildRun;
  restarted: ChildRun;
  outcome: Outcome;
  twilio: FakeTwilio;
  vapi: FakeVapi;
}

/** Fresh database and fake vendors; setup; a run killed at `kill` (or not); a restart to quiet. */
async function crashAndRestart(kill: KillPoint | undefined): Promise<Run> {
  const database = await freshDatabase(adminUrl);
  databases.push(database);
  const databaseUrl = database.url;
  const twilio = await startFakeTwilio();
  const vapi = await startFakeVapi();
  const base: Omit<ChildInput, "mode"> = {
    databaseUrl,
    twilio: { accountSid: twilio.accountSid, authToken: twilio.authToken, baseUrl: twilio.baseUrl },
    vapi: vapi.config,
    clockOffsetMs: 0,
    webhooks: [],
    callbackPhone: null,
  };
  const setup = await runChild({ ...base, mode: "setup" });
  const orgId = saidAfter(setup, "org")[0];
  if (setup.code !== 0 || !orgId) throw new Error(`setup failed: ${setup.stderr}`);

  const first: ChildInput = {
    ...base,
    mode: "run",
    orgId,
    webhooks: workload.webhooks,
    callbackPhone: workload.callbackPhone,
  };
  const killed = await runChild(kill ? { ...first, kill } : first);
  // A vendor re-sends what was not answered 200; the user's callback is asked again only if it never was.
  const acked = new Set(saidAfter(killed, "acked"));
  const asked = killed.lines.includes("callback requested");
  const restarted = await runChild({
    ...first,
    clockOffsetMs: kill ? LATER_MS : 0,
    webhooks: kill ? workload.webhooks.filter((w) => !acked.has(w.label)) : [],
    callbackPhone: kill && !asked ? workload.callbackPhone : null,
  });
  return { killed, restarted, outcome: await readOutcome(databaseUrl, orgId), twilio, vapi };
}

const closeFakes = async (run: Run | undefined) => {
  await run?.twilio.close();
  await run?.vapi.close();
};

/** Texts the fake Twilio accepted, by recipient and text. */
const textsAtVendor = (twilio: FakeTwilio) => {
  const counts = new Map<string, number>();
  for (const { resource } of twilio.messages) {
    const key = `${resource.to}|${resource.body}`;
    counts.set(key, (counts.get(key) ?? 0) + 1);
  }
  return counts;
};

const UNCONFIRMED_SMS = { status: "failed", errorCode: "SMS_UNCONFIRMED", hasVendorId: false, item: "dead" };

/** Each kill point, and what the restarted run must show for the alert or call in flight then. */
const KILLS: { step: KillStep; nth: number; inFlight?: "sms-unsent" | "sms-sent" | "call-unsent" | "call-placed" }[] = [
  { step: "appended", nth: 3 },
  { step: "projection-start", nth: 2 },
  { step: "projection-inside", nth: 2 },
  { step: "projection-inside", nth: 9 },
  { step: "projection-committed", nth: 3 },
  { step: "alert-claimed", nth: 1 },
  { step: "sms-before-vendor", nth: 1, inFlight: "sms-unsent" },
  { step: "sms-accepted", nth: 1, inFlight: "sms-sent" },
  { step: "sms-accepted", nth: 3, inFlight: "sms-sent" },
  { step: "alert-marked", nth: 1 },
  { step: "call-before-vendor", nth: 1, inFlight: "call-unsent" },
  { step: "call-accepted", nth: 1, inFlight: "call-placed" },
  { step: "callback-marked", nth: 1 },
];

describe("crash safety: killed at each step between append, projection and send", () => {
  let reference: Run;

  beforeAll(async () => {
    reference = await crashAndRestart(undefined);
  });
  afterAll(async () => {
    await closeFakes(reference);
    for (const database of databases.splice(0)) await database.drop();
  });

  it("a run never killed: every webhook logged once and projected, two hot leads alerted, one callback", () => {
    const { killed, outcome, twilio, vapi } = reference;
    expect(killed.code, killed.stderr).toBe(0);
    expect(saidAfter(killed, "acked")).toHaveLength(workload.webhooks.length);
    expect(outcome.eventLog.length).toBeGreaterThanOrEqual(workload.webhooks.length - 2);
    expect(outcome.eventLog.every((e) => e.copies === 1 && e.projected)).toBe(true);
    expect(outcome.pulse).toMatchObject({ inboundCalls: 3, bookings: 2, hotLeads: 2 });
    expect(outcome.alerts).toHaveLength(4);
    expect([...textsAtVendor(twilio).values()]).toEqual([1, 1, 1, 1]);
    expect(vapi.calls).toHaveLength(1);
    expect(outcome.callbacks).toEqual([
      { status: "initiated", vendorCallId: vapi.calls[0]?.id, phone: workload.callbackPhone },
    ]);
  });

  for (const { step, nth, inFlight } of KILLS) {
    it(`killed at ${step} #${nth}: restarted, nothing lost, nothing sent twice`, async () => {
      const run = await crashAndRestart({ step, nth });
      try {
        const { killed, restarted, outcome } = run;
        expect(killed.signal, `the kill point was never reached:\n${killed.stderr}`).toBe("SIGKILL");
        expect(restarted.code, restarted.stderr).toBe(0);
        expect(restarted.lines.at(-1)).toBe("quiet");

        // Every event once, projected; the projections as if nothing had happened.
        expect(outcome.eventLog).toEqual(reference.outcome.eventLog);
        expect(outcome.inboundCalls).toEqual(reference.outcome.inboundCalls);
        expect(outcome.contacts).toEqual(reference.outcome.contacts);
        expect(outcome.appointments).toEqual(reference.outcome.appointments);
        expect(outcome.pulse).toEqual(reference.outcome.pulse);

        // No alert reached the vendor twice; each once, but the one in flight at the kill, which
        // (its answer unknown) is not sent blindly again but left unconfirmed.
        const texts = textsAtVendor(run.twilio);
        for (const alert of reference.outcome.alerts) {
          expect(texts.get(`${alert.to}|${alert.body}`) ?? 0, `texts to ${alert.to}`).toBeLessThanOrEqual(1);
        }
        const unconfirmed = outcome.alerts.filter((a) => a.errorCode === "SMS_UNCONFIRMED");
        expect(unconfirmed).toHaveLength(inFlight === "sms-unsent" || inFlight === "sms-sent" ? 1 : 0);
        for (const alert of unconfirmed) {
          expect(alert).toMatchObject(UNCONFIRMED_SMS);
          expect(texts.get(`${alert.to}|${alert.body}`) ?? 0).toBe(inFlight === "sms-sent" ? 1 : 0);
        }
        for (const alert of outcome.alerts.filter((a) => !unconfirmed.includes(a))) {
          expect(alert).toMatchObject({ hasVendorId: true, item: "sent" });
          expect(texts.get(`${alert.to}|${alert.body}`), `texts to ${alert.to}`).toBe(1);
        }
        expect(outcome.alerts.map(({ to, body }) => ({ to, body }))).toEqual(
          reference.outcome.alerts.map(({ to, body }) => ({ to, body })),
        );

        // The callback: placed once and initiated; or, killed around the vendor's call, at most once and pending.
        const placed = run.vapi.calls.map((c) => c.id);
        expect(placed).toHaveLength(inFlight === "call-unsent" ? 0 : 1);
        expect(outcome.callbacks).toEqual([
          inFlight === "call-unsent" || inFlight === "call-placed"
            ? { status: "pending", vendorCallId: null, phone: workload.callbackPhone }
            : { status: "initiated", vendorCallId: placed[0], phone: workload.callbackPhone },
        ]);
      } finally {
        await closeFakes(run);
      }
    });
  }
});
