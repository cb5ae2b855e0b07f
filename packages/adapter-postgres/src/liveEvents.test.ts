import { isDeepStrictEqual } from "node:util";
import type { LiveEvent } from "@voxanne/core";
import { newCall, serialize } from "@voxanne/core";
import { memoryLiveEvents } from "@voxanne/core/testing";
import { liveEventsContract } from "@voxanne/core/testing/contracts";
import { afterAll, describe, expect, test, vi } from "vitest";
import type { Database } from "./db.ts";
import { openPostgres } from "./db.ts";
import { MAX_PAYLOAD_BYTES, notifyPayload, pgLiveEvents } from "./liveEvents.ts";
import { pgliteDatabase, serverDatabase, serverProblem } from "./testDatabases.ts";

const AT = new Date("2025-03-01T10:00:00.000Z");

const callEvent = (id: string, extra: { transcript?: string; metadata?: Record<string, unknown> } = {}): LiveEvent => ({
  type: "call.ended",
  orgId: "org-a",
  call: serialize({ ...newCall({ id, orgId: "org-a", direction: "inbound", createdAt: AT }), summary: "ok", ...extra }),
});

/** A process: its own hub, fed by its own LISTEN on `database`. */
async function processOn(database: Database) {
  const hub = memoryLiveEvents();
  const live = await pgLiveEvents(database, hub);
  return { hub, live };
}

/** Publishes a barrier through `live` and waits until every hub heard it: all earlier events have arrived. */
async function settle(live: { publish(event: LiveEvent): Promise<void> }, hubs: { published: readonly LiveEvent[] }[]) {
  const barrier = callEvent(`barrier-${crypto.randomUUID()}`);
  await live.publish(barrier);
  await vi.waitFor(() => {
    for (const hub of hubs) expect(hub.published).toContainEqual(barrier);
  });
}

/** The suite both drivers pass: the contract, each event once per process, large events shrunk. */
function liveEventsOn(name: string, databases: () => [Database, Database]) {
  liveEventsContract(name, async () => {
    const [database] = databases();
    const { hub, live } = await processOn(database);
    return { adapter: live, subscribe: hub.subscribe, close: live.close };
  });

  describe(`pgLiveEvents: ${name}`, () => {
    test("an event published by one process reaches every process's hub exactly once", async () => {
      const [first, second] = databases();
      const a = await processOn(first);
      const b = await processOn(second);
      try {
        const event = callEvent("call-once");
        await a.live.publish(event);
        await settle(a.live, [a.hub, b.hub]);
        for (const hub of [a.hub, b.hub]) {
          expect(hub.published.filter((heard) => isDeepStrictEqual(heard, event))).toHaveLength(1);
        }
      } finally {
        await Promise.all([a.live.close(), b.live.close()]);
      }
    });

    test("a call event too large for NOTIFY arrives without its transcript, marked truncated", async () => {
      const [first, second] = databases();
      const a = await processOn(first);
      const b = await processOn(second);
      try {
        await a.live.publish(callEvent("call-large", { transcript: "Hello, I'd like a facelift. ".repeat(2000) }));
        await vi.waitFor(() => expect(b.hub.published).toHaveLength(1));
        expect(b.hub.published[0]).toMatchObject({
          type: "call.ended",
          truncated: true,
          call: { id: "call-large", transcript: null, summary: null, direction: "inbound" },
        });
      } finally {
        await Promise.all([a.live.close(), b.live.close()]);
      }
    });
  });
}

describe("notifyPayload", () => {
  test("leaves an event that fits unchanged", () => {
    const event = callEvent("call-small");
    expect(JSON.parse(notifyPayload(event))).toEqual(event);
  });

  test("clips long fields that are not the transcript, and finally keeps only the id", () => {
    const longReason = callEvent("call-reason");
    if (longReason.type !== "call.ended") throw new Error("unreachable");
    longReason.call.endedReason = "x".repeat(20_000);
    const clipped = JSON.parse(notifyPayload(longReason));
    expect(clipped).toMatchObject({ truncated: true, call: { id: "call-reason" } });
    expect(clipped.call.endedReason.length).toBeLessThan(300);

    const wide = callEvent("call-wide");
    if (wide.type !== "call.ended") throw new Error("unreachable");
    wide.call.leadScoreReasons = Array.from({ length: 20 }, (_, i) => ({ reason: `${i}`.repeat(500), points: i }));
    wide.call.toolCalls = Array.from({ length: 20 }, (_, i) => ({
      toolCallId: `${i}`,
      name: "n".repeat(500),
      succeeded: true,
    }));
    expect(JSON.parse(notifyPayload(wide))).toEqual({
      type: "call.ended",
      orgId: "org-a",
      call: { id: "call-wide" },
      truncated: true,
    });
  });

  test("every shrunk payload fits", () => {
    const huge = callEvent("call-huge", { transcript: "é".repeat(50_000), metadata: { blob: "ü".repeat(50_000) } });
    expect(Buffer.byteLength(notifyPayload(huge))).toBeLessThanOrEqual(MAX_PAYLOAD_BYTES);
  });
});

const pglite = await pgliteDatabase({ migrated: false });
// PGlite is one process: both "processes" share it, as two server instances would share a database.
liveEventsOn("PGlite", () => [pglite, pglite]);

const server = serverProblem ? undefined : await serverDatabase({ migrated: false, max: 2 });
if (server) {
  // A second pool on the same database, as a second server process would open.
  const other = openPostgres(server.url, { max: 2 });
  afterAll(() => other.close());
  liveEventsOn("PostgreSQL server, two pools", () => [server, other]);
} else {
  test.skip(`pgLiveEvents on the PostgreSQL server (no server: ${serverProblem})`, () => {});
}
