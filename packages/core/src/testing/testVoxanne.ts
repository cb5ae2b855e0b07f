/**
 * A Voxanne wired with in-memory adapters, for tests (ours and yours): every port can be
 * replaced, and the fakes are returned so a test can look at what was sent.
 *
 * @example
 * const t = testVoxanne();
 * const org = await t.voxanne.organizations.create({ name: "Clinic", agent: { hotLeadAlertNumbers: ["+15555550111"] } });
 * await t.feed(org.id, callEvents({ ... }));
 * expect(t.sms.sent).toHaveLength(1);
 */
import type { VoxanneOptions } from "../createVoxanne.ts";
import { createVoxanne } from "../createVoxanne.ts";
import type { Storage } from "../ports/storage.ts";
import type { LoggedEvent } from "./callScript.ts";
import type { FixedClock } from "./fixedClock.ts";
import { fixedClock } from "./fixedClock.ts";
import { memoryLiveEvents } from "./memoryLiveEvents.ts";
import { memoryStorage } from "./memoryStorage.ts";
import { recordingSms } from "./recordingSms.ts";
import { recordingTelephony } from "./recordingTelephony.ts";

export function testVoxanne(
  options: Partial<Omit<VoxanneOptions, "clock">> & { clock?: FixedClock; storage?: Storage } = {},
) {
  const storage = options.storage ?? memoryStorage();
  const clock = options.clock ?? fixedClock("2026-01-25T09:00:00.000Z");
  const telephony = recordingTelephony();
  const sms = recordingSms();
  const live = memoryLiveEvents();
  const voxanne = createVoxanne({ storage, telephony, sms, live, ...options, clock });

  /** Receives each event through the native provider, then waits for projection and delivery. */
  async function feed(orgId: string, events: readonly LoggedEvent[]): Promise<void> {
    for (const { eventKey, payload } of events) await voxanne.receive("voxanne", orgId, eventKey, payload);
    await voxanne.settle();
  }

  return { voxanne, storage, clock, telephony, sms, live, feed };
}

export type TestVoxanne = ReturnType<typeof testVoxanne>;
