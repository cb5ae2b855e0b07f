/**
 * The projection's promises, checked on generated histories: any duplication and any order of
 * calls' events reach the same calls, contacts and metrics with exactly one alert per hot call
 * and alert number; `replay()` changes nothing; a fresh store rebuilt from the log alone agrees.
 */
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import type { Call } from "../../domain/call.ts";
import type { LoggedEvent } from "../../testing/callScript.ts";
import { callEvents } from "../../testing/callScript.ts";
import { memoryStorage } from "../../testing/memoryStorage.ts";
import { type TestVoxanne, testVoxanne } from "../../testing/testVoxanne.ts";

const ORG_ID = "5f0c6a1e-0000-4000-8000-000000000001";
const ALERTS = ["+15555550198", "+15555550199"];
const START = new Date("2026-01-25T09:00:00.000Z");
const PHRASES = [
  "I would like to book a facelift",
  "how much is botox",
  "can you call me back tomorrow",
  "this is terrible, I am very unhappy",
  "thank you so much, that is wonderful",
  "it is urgent, I am in pain",
  "just asking about parking",
  "a nose job and some lip filler",
];

const callArb = (i: number) =>
  fc
    .record({
      customer: fc.constantFrom("+15555556001", "+15555556002", "+15555556003"),
      direction: fc.constantFrom("inbound" as const, "outbound" as const),
      booked: fc.boolean(),
      durationSeconds: fc.integer({ min: 0, max: 600 }),
      words: fc.array(fc.constantFrom(...PHRASES), { minLength: 0, maxLength: 4 }),
      minute: fc.integer({ min: 0, max: 600 }),
      status: fc.constantFrom("completed" as const, "completed" as const, "no_answer" as const, "busy" as const),
    })
    .map((c) =>
      callEvents({
        vendorCallId: `vapi-prop-${i}`,
        direction: c.direction,
        customerNumber: c.customer,
        startedAt: new Date(START.getTime() + c.minute * 60_000),
        durationSeconds: c.durationSeconds,
        transcript: c.words.join(". "),
        booked: c.booked,
        status: c.status,
      }),
    );

const historyArb = fc
  .integer({ min: 1, max: 3 })
  .chain((n) => fc.tuple(...Array.from({ length: n }, (_, i) => callArb(i))));

/** The events again, with re-deliveries (under new keys, as a vendor retry would have) in a random order. */
const deliveryArb = (events: LoggedEvent[]) =>
  fc
    .tuple(
      fc.array(fc.nat(events.length - 1), { maxLength: events.length }),
      fc.array(fc.nat(), { minLength: events.length * 2, maxLength: events.length * 2 }),
    )
    .map(([dups, keys]) => {
      const all = [...events, ...dups.map((i, n) => ({ ...events[i]!, eventKey: `${events[i]!.eventKey}#retry${n}` }))];
      return all
        .map((e, i) => ({ e, k: keys[i] ?? i }))
        .sort((a, b) => a.k - b.k)
        .map(({ e }) => e);
    });

async function clinic(t: TestVoxanne) {
  return t.voxanne.organizations.create({ id: ORG_ID, name: "Prop Clinic", agent: { hotLeadAlertNumbers: ALERTS } });
}

/** The org's state, without ids and clocks that legitimately differ between runs. */
async function snapshot(t: TestVoxanne) {
  const v = t.voxanne;
  const contacts = (await v.contacts.list(ORG_ID, { limit: 100 })).items;
  const phoneOf = new Map(contacts.map((c) => [c.id, c.phone]));
  const calls = (await v.calls.list(ORG_ID, { limit: 100 })).items;
  const services = new Map((await v.services.list(ORG_ID)).map((s) => [s.id, s.name]));
  const strip = ({ id, updatedAt, contactId, pricedServiceId, ...call }: Call) => ({
    ...call,
    contact: contactId ? phoneOf.get(contactId) : null,
    pricedService: pricedServiceId ? services.get(pricedServiceId) : null,
  });
  return {
    calls: calls.map(strip).sort((a, b) => (a.vendorCallId! < b.vendorCallId! ? -1 : 1)),
    contacts: contacts.map(({ id, createdAt, ...c }) => c).sort((a, b) => (a.phone < b.phone ? -1 : 1)),
    pulse: await v.metrics.pulse(ORG_ID),
  };
}

/** A history delivered with re-deliveries in a random order. */
const deliveredArb = historyArb.chain((calls) => deliveryArb(calls.flat()));

/** A clinic that has received `events`, with projection and delivery settled. */
async function fedClinic(events: LoggedEvent[]) {
  const t = testVoxanne();
  await clinic(t);
  await t.feed(ORG_ID, events);
  return t;
}

const hotCalls = (s: Awaited<ReturnType<typeof snapshot>>) => s.calls.filter((c) => (c.leadScore ?? 0) >= 70).length;

describe("projection of call events", () => {
  it("any duplication and any order reach the same state, with exactly one alert per hot call and number", async () => {
    await fc.assert(
      fc.asyncProperty(
        historyArb.chain((calls) => {
          const events = calls.flat();
          return fc.tuple(fc.constant(events), deliveryArb(events));
        }),
        async ([inOrder, shuffled]) => {
          const reference = testVoxanne();
          await clinic(reference);
          await reference.feed(ORG_ID, inOrder);
          const expected = await snapshot(reference);

          const t = testVoxanne();
          await clinic(t);
          await t.feed(ORG_ID, shuffled);
          expect(await snapshot(t)).toEqual(expected);
          expect(t.sms.sent).toHaveLength(hotCalls(expected) * ALERTS.length);
          // No message went out twice.
          expect(new Set(t.sms.sent.map((s) => s.messageId)).size).toBe(t.sms.sent.length);
        },
      ),
      { numRuns: 60 },
    );
  });

  it("replay() after any history gives the same state and sends nothing", async () => {
    await fc.assert(
      fc.asyncProperty(deliveredArb, async (events) => {
        const t = await fedClinic(events);
        const before = await snapshot(t);
        const sent = t.sms.sent.length;
        const published = t.live.published.length;

        await t.voxanne.replay();
        await t.voxanne.settle();
        expect(await snapshot(t)).toEqual(before);
        expect(t.sms.sent).toHaveLength(sent);
        expect(t.live.published).toHaveLength(published);
      }),
      { numRuns: 40 },
    );
  });

  it("a fresh store rebuilt from the event log alone reaches the same state", async () => {
    await fc.assert(
      fc.asyncProperty(deliveredArb, async (events) => {
        const t = await fedClinic(events);
        const rebuilt = testVoxanne({ storage: memoryStorage(), autoProcess: false });
        await clinic(rebuilt);
        const log = await t.storage.eventLog.read({ afterSeq: 0, limit: 1_000 });
        await rebuilt.storage.transaction(ORG_ID, async (tx) => {
          for (const { orgId, provider, eventKey, payload, receivedAt } of log) {
            await tx.eventLog.append({ orgId, provider, eventKey, payload, receivedAt });
          }
        });
        expect(await rebuilt.voxanne.replay()).toBe(log.length);
        expect(await snapshot(rebuilt)).toEqual(await snapshot(t));
      }),
      { numRuns: 40 },
    );
  });
});
