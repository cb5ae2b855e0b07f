import { describe, expect, it } from "vitest";
import { VendorFailed } from "../../domain/errors.ts";
import type { RecordingStore } from "../../ports/recordingStore.ts";
import { callEvents } from "../../testing/callScript.ts";
import { testVoxanne } from "../../testing/testVoxanne.ts";

const withRecording = (now: Date) =>
  callEvents({
    vendorCallId: `v-${crypto.randomUUID()}`,
    customerNumber: "+15555559401",
    startedAt: now,
    durationSeconds: 60,
    transcript: "botox",
    recordingUrl: "https://storage.example.test/rec.wav",
  });

function flakyStore(failures: number): RecordingStore & { saved: string[] } {
  const saved: string[] = [];
  return {
    saved,
    async save({ orgId, callId, sourceUrl }) {
      if (failures-- > 0)
        throw new VendorFailed("RECORDING_UNAVAILABLE", "Recording not reachable", { retryable: true });
      saved.push(sourceUrl);
      return { location: `recordings/${orgId}/${callId}.wav` };
    },
  };
}

describe("recording job", () => {
  it("a report with a recording moves the call to processing, then completed with its stored location", async () => {
    const recordings = flakyStore(1);
    const t = testVoxanne({ recordings });
    const org = await t.voxanne.organizations.create({ name: "Clinic" });
    await t.feed(org.id, withRecording(t.clock.now()));
    let call = (await t.voxanne.calls.list(org.id)).items[0]!;
    expect(call.recordingStatus).toBe("processing");

    t.clock.advance(1_000);
    await t.voxanne.process();
    call = await t.voxanne.calls.get(org.id, call.id);
    expect(call).toMatchObject({
      recordingStatus: "completed",
      recordingLocation: `recordings/${org.id}/${call.id}.wav`,
    });
    expect(recordings.saved).toEqual(["https://storage.example.test/rec.wav"]);
  });

  it("fails the recording after the last attempt", async () => {
    const t = testVoxanne({ recordings: flakyStore(99), retry: { maxAttempts: 2, baseDelayMs: 1, maxDelayMs: 1 } });
    const org = await t.voxanne.organizations.create({ name: "Clinic" });
    await t.feed(org.id, withRecording(t.clock.now()));
    t.clock.advance(10);
    await t.voxanne.process();
    const call = (await t.voxanne.calls.list(org.id)).items[0]!;
    expect(call).toMatchObject({ recordingStatus: "failed", recordingLocation: null });
  });

  it("without a recording store, or without a recording, the call stays pending", async () => {
    const t = testVoxanne();
    const org = await t.voxanne.organizations.create({ name: "Clinic" });
    await t.feed(org.id, withRecording(t.clock.now()));
    expect((await t.voxanne.calls.list(org.id)).items[0]).toMatchObject({
      recordingStatus: "pending",
      recordingUrl: "https://storage.example.test/rec.wav",
    });

    const kept = testVoxanne({ recordings: flakyStore(0) });
    const org2 = await kept.voxanne.organizations.create({ name: "Clinic" });
    await kept.feed(
      org2.id,
      callEvents({
        vendorCallId: "v-none",
        customerNumber: "+15555559402",
        startedAt: kept.clock.now(),
        durationSeconds: 5,
        transcript: "",
      }),
    );
    expect((await kept.voxanne.calls.list(org2.id)).items[0]?.recordingStatus).toBe("pending");
  });
});
