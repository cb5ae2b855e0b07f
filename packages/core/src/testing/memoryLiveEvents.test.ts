import { describe, expect, it } from "vitest";
import type { LiveEvent } from "../domain/live.ts";
import { liveEventsContract, sampleLiveEvents } from "./contracts/liveEventsContract.ts";
import { memoryLiveEvents } from "./memoryLiveEvents.ts";

liveEventsContract("memoryLiveEvents", () => {
  const live = memoryLiveEvents();
  return { adapter: live, subscribe: live.subscribe };
});

describe("memoryLiveEvents", () => {
  const [first, second] = sampleLiveEvents("org-a") as [LiveEvent, LiveEvent];

  it("keeps every published event and every listener failure", async () => {
    const seen: unknown[] = [];
    const live = memoryLiveEvents({ onListenerError: ({ error }) => seen.push(error) });
    const boom = new Error("boom");
    live.subscribe("org-a", () => {
      throw boom;
    });
    await live.publish(first);
    await live.publish({ ...second, orgId: "org-b" });
    expect(live.published.map((e) => e.orgId)).toEqual(["org-a", "org-b"]);
    expect(live.listenerErrors).toEqual([{ orgId: "org-a", error: boom }]);
    expect(seen).toEqual([boom]);
  });

  it("delivers an event published from a listener after the current one, to everyone", async () => {
    const live = memoryLiveEvents();
    const order: string[] = [];
    live.subscribe("org-a", (event) => {
      order.push(`1:${event.type}`);
      if (event === live.published[0]) void live.publish(second);
    });
    live.subscribe("org-a", (event) => {
      order.push(`2:${event.type}`);
    });
    await live.publish(first);
    expect(order).toEqual([`1:${first.type}`, `2:${first.type}`, `1:${second.type}`, `2:${second.type}`]);
  });

  it("records a copy, unaffected by later changes to the event", async () => {
    const live = memoryLiveEvents();
    const event = structuredClone(first);
    await live.publish(event);
    event.orgId = "changed";
    expect(live.published[0]?.orgId).toBe("org-a");
  });
});
