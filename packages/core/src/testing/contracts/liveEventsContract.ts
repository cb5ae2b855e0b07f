/** The contract every LiveEvents adapter passes: the guarantees of `ports/liveEvents.ts`, as tests. */
import { describe, expect, vi } from "vitest";
import type { Activity } from "../../domain/activity.ts";
import type { LiveEvent, LiveEventType } from "../../domain/live.ts";
import type { Message } from "../../domain/message.ts";
import { newCall, newContact } from "../../domain/records.ts";
import { serialize } from "../../domain/serialized.ts";
import type { LiveEvents } from "../../ports/liveEvents.ts";
import type { Closable, ContractOptions, FixtureFactory } from "./contractKit.ts";
import { contractTests, fixturesOf, requireHook } from "./contractKit.ts";

/** Hears one organization's live events; what a dashboard's connection registers. */
export type { LiveListener } from "../../live/liveFanOut.ts";

import type { LiveListener } from "../../live/liveFanOut.ts";

/** An adapter under test, with the hooks that let the suite listen to it. */
export interface LiveEventsFixture extends Closable {
  adapter: LiveEvents;
  /**
   * Registers an in-process subscriber of `orgId`'s events, the way the WebSocket side does;
   * returns its unsubscribe. Adapters without in-process subscribers skip the tests that need it.
   */
  subscribe?(orgId: string, listener: LiveListener): (() => void) | Promise<() => void>;
}

export interface LiveEventsContractOptions extends ContractOptions<LiveEventsContractTest> {
  /** How long an event may take to reach a subscriber (transports like Postgres NOTIFY are async). */
  deliveryTimeoutMs?: number;
}

export const LIVE_EVENTS_CONTRACT_TESTS = [
  "publish resolves for every event type",
  "delivers each event, unchanged, to every subscriber of its org",
  "never delivers an event to another org's subscribers",
  "keeps the publish order within an org",
  "stops delivering to a listener after it unsubscribes",
  "a throwing listener breaks neither the publisher nor other listeners",
] as const;
export type LiveEventsContractTest = (typeof LIVE_EVENTS_CONTRACT_TESTS)[number];

const AT = new Date("2025-03-01T10:00:00.000Z");

/** One event of each type for `orgId`; `n` makes its record ids unique. */
export function sampleLiveEvents(orgId: string, n = 1): LiveEvent[] {
  const call = serialize(newCall({ id: `call-live-${n}`, orgId, direction: "inbound", createdAt: AT }));
  const contact = serialize(newContact({ id: `contact-live-${n}`, orgId, phone: "+15555550123", createdAt: AT }));
  const message: Message = {
    id: `message-live-${n}`,
    orgId,
    contactId: contact.id,
    direction: "outbound",
    purpose: "conversation",
    fromNumber: "+15555550199",
    toNumber: contact.phone,
    body: "See you tomorrow ✨",
    status: "sent",
    vendorMessageId: null,
    errorCode: null,
    createdAt: AT,
    updatedAt: AT,
  };
  const activity: Activity = {
    id: `activity-live-${n}`,
    orgId,
    type: "call_started",
    key: `call_started:${call.id}`,
    occurredAt: AT,
    contactId: contact.id,
    callId: call.id,
    summary: "Inbound call started",
    data: { n },
  };
  const callTypes: LiveEventType[] = ["call.started", "call.updated", "call.ended", "callback.placed"];
  return [
    ...callTypes.map((type) => ({ type, orgId, call }) as LiveEvent),
    { type: "contact.updated", orgId, contact },
    { type: "message.updated", orgId, message: serialize(message) },
    { type: "activity.created", orgId, activity: serialize(activity) },
  ];
}

/** A distinct `call.updated` event per `n`, to tell events apart in order checks. */
const numbered = (orgId: string, n: number): LiveEvent => ({
  type: "call.updated",
  orgId,
  call: serialize(newCall({ id: `call-live-${n}`, orgId, direction: "outbound", createdAt: AT })),
});

/**
 * Declares the LiveEvents contract suite for one adapter. `makeFixture` runs once per test.
 * Deliveries are awaited with `vi.waitFor`; "never delivered" checks wait for a later event
 * to the same org (a barrier) instead of sleeping.
 *
 * @example
 * liveEventsContract("memory hub", () => {
 *   const hub = memoryLiveEvents();
 *   return { adapter: hub, subscribe: hub.subscribe };
 * });
 */
export function liveEventsContract(
  name: string,
  makeFixture: FixtureFactory<LiveEventsFixture>,
  options: LiveEventsContractOptions = {},
): void {
  const suite = `LiveEvents contract: ${name}`;
  const waitOptions = { timeout: options.deliveryTimeoutMs ?? 2000, interval: 5 };
  describe(suite, () => {
    const test = contractTests(suite, LIVE_EVENTS_CONTRACT_TESTS, options.skip);
    const setup = fixturesOf(makeFixture);

    /** A listener that keeps what it hears, subscribed to `orgId`. */
    async function listen(fixture: LiveEventsFixture, orgId: string) {
      const heard: LiveEvent[] = [];
      const unsubscribe = await requireHook(
        suite,
        fixture,
        "subscribe",
      )(orgId, (event) => {
        heard.push(event);
      });
      return { heard, unsubscribe };
    }

    const waitUntil = (check: () => void) => vi.waitFor(check, waitOptions);

    test("publish resolves for every event type", async () => {
      const { adapter } = await setup();
      for (const event of sampleLiveEvents("org-a")) await expect(adapter.publish(event)).resolves.toBeUndefined();
    });

    test("delivers each event, unchanged, to every subscriber of its org", async () => {
      const fixture = await setup();
      const first = await listen(fixture, "org-a");
      const second = await listen(fixture, "org-a");
      const events = sampleLiveEvents("org-a");
      for (const event of events) await fixture.adapter.publish(event);
      await waitUntil(() => {
        expect(first.heard).toEqual(events);
        expect(second.heard).toEqual(events);
      });
    });

    test("never delivers an event to another org's subscribers", async () => {
      const fixture = await setup();
      const a = await listen(fixture, "org-a");
      const b = await listen(fixture, "org-b");
      const published = [numbered("org-a", 1), numbered("org-b", 2), numbered("org-a", 3), numbered("org-b", 4)];
      for (const event of published) await fixture.adapter.publish(event);
      // org-b's last event is a barrier: once it arrived, every org-a event before it would have too.
      await waitUntil(() => expect(a.heard).toEqual([numbered("org-a", 1), numbered("org-a", 3)]));
      await waitUntil(() => expect(b.heard).toContainEqual(numbered("org-b", 4)));
      expect(b.heard).toEqual([numbered("org-b", 2), numbered("org-b", 4)]);
    });

    test("keeps the publish order within an org", async () => {
      const fixture = await setup();
      const a = await listen(fixture, "org-a");
      const expected = Array.from({ length: 20 }, (_, i) => numbered("org-a", i));
      for (const [i, event] of expected.entries()) {
        await fixture.adapter.publish(event);
        if (i % 5 === 0) await fixture.adapter.publish(numbered("org-b", i));
      }
      await waitUntil(() => expect(a.heard).toHaveLength(expected.length));
      expect(a.heard).toEqual(expected);
    });

    test("stops delivering to a listener after it unsubscribes", async () => {
      const fixture = await setup();
      const leaving = await listen(fixture, "org-a");
      const staying = await listen(fixture, "org-a");
      await fixture.adapter.publish(numbered("org-a", 1));
      await waitUntil(() => expect(leaving.heard).toHaveLength(1));
      leaving.unsubscribe();
      leaving.unsubscribe(); // unsubscribing twice is harmless
      await fixture.adapter.publish(numbered("org-a", 2));
      await waitUntil(() => expect(staying.heard).toEqual([numbered("org-a", 1), numbered("org-a", 2)]));
      expect(leaving.heard).toEqual([numbered("org-a", 1)]);
    });

    test("a throwing listener breaks neither the publisher nor other listeners", async () => {
      const fixture = await setup();
      const subscribe = requireHook(suite, fixture, "subscribe");
      await subscribe("org-a", () => {
        throw new Error("listener failed");
      });
      await subscribe("org-a", async () => {
        throw new Error("async listener failed");
      });
      const healthy = await listen(fixture, "org-a");
      const events = [numbered("org-a", 1), numbered("org-a", 2)];
      for (const event of events) await expect(fixture.adapter.publish(event)).resolves.toBeUndefined();
      await waitUntil(() => expect(healthy.heard).toEqual(events));
    });
  });
}
