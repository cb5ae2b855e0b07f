import { describe, expect, it } from "vitest";
import type { EventLogAppend } from "../../domain/eventLog.ts";
import { callEvents } from "../../testing/callScript.ts";
import { memoryStorage } from "../../testing/memoryStorage.ts";
import { orgState } from "../../testing/orgState.ts";
import { testVoxanne } from "../../testing/testVoxanne.ts";

const script = (now: Date) =>
  callEvents({
    vendorCallId: "v-1",
    customerNumber: "+15555559201",
    startedAt: now,
    durationSeconds: 60,
    transcript: "botox",
  });

describe("receive", () => {
  it("logs a payload once and returns before projecting it", async () => {
    const t = testVoxanne({ autoProcess: false });
    const org = await t.voxanne.organizations.create({ name: "Clinic" });
    const [started] = script(t.clock.now());

    expect(await t.voxanne.receive("voxanne", org.id, started!.eventKey, started!.payload)).toEqual({
      inserted: true,
      seq: expect.any(Number),
    });
    expect(await t.voxanne.receive("voxanne", org.id, started!.eventKey, started!.payload)).toMatchObject({
      inserted: false,
    });
    expect((await t.voxanne.calls.list(org.id)).items).toEqual([]);

    expect(await t.voxanne.process()).toMatchObject({ projected: { done: 1, failed: 0 } });
    expect((await t.voxanne.calls.list(org.id)).items).toHaveLength(1);
    const log = await t.storage.eventLog.read({ afterSeq: 0, limit: 10 });
    expect(log).toEqual([expect.objectContaining({ eventKey: started!.eventKey, projectedAt: t.clock.now() })]);
  });

  /** A test Voxanne whose store records what each append hands it. */
  const recordingAppends = () => {
    const base = memoryStorage();
    const appends: EventLogAppend[] = [];
    const storage = {
      ...base,
      eventLog: {
        ...base.eventLog,
        append: (a: EventLogAppend) => {
          appends.push(a);
          return base.eventLog.append(a);
        },
      },
    };
    return { t: testVoxanne({ autoProcess: false, storage }), appends };
  };

  it("hands the store the payload's own JSON text when given, so it need not serialise the payload again", async () => {
    const { t, appends } = recordingAppends();
    const org = await t.voxanne.organizations.create({ name: "Clinic" });
    const [started, ended] = script(t.clock.now());
    const text = ` ${JSON.stringify(started!.payload, null, 2)} `;
    await t.voxanne.receive("voxanne", org.id, started!.eventKey, JSON.parse(text), text);
    await t.voxanne.receive("voxanne", org.id, ended!.eventKey, ended!.payload);
    expect(appends.map((a) => a.payloadJson)).toEqual([text, undefined]);
    expect(appends[0]?.payload).toEqual(started!.payload);
  });

  it("replaces NUL characters (which PostgreSQL cannot store) so such a webhook is stored, not refused forever", async () => {
    const { t, appends } = recordingAppends();
    const org = await t.voxanne.organizations.create({ name: "Clinic" });
    const [started] = script(t.clock.now());
    const payload = { ...(started!.payload as Record<string, unknown>), "note\u0000": ["a\u0000b"] };
    const text = JSON.stringify(payload);
    expect(
      await t.voxanne.receive("voxanne", org.id, `${started!.eventKey}\u0000`, JSON.parse(text), text),
    ).toMatchObject({ inserted: true });
    expect(appends[0]).toMatchObject({
      eventKey: `${started!.eventKey}\uFFFD`,
      payload: { "note\uFFFD": ["a\uFFFDb"] },
    });
    expect(appends[0]).not.toHaveProperty("payloadJson");
    expect(await t.voxanne.process()).toMatchObject({ projected: { done: 1, failed: 0 } });
  });

  it.each([
    ["not an event", { hello: "world" }],
    ["an unknown event type", { type: "CallExploded" }],
    ["a call event without a call", { type: "CallStarted", occurredAt: "2026-01-01T00:00:00Z" }],
    ["a bad date", { type: "CallStarted", call: { vendorCallId: "x" }, occurredAt: "yesterday" }],
    [
      "a bad status",
      {
        type: "CallStatusChanged",
        call: { vendorCallId: "x" },
        occurredAt: "2026-01-01T00:00:00Z",
        status: "exploded",
      },
    ],
    ["null", null],
  ])("refuses %s, naming the field, and stores nothing", async (_, payload) => {
    const t = testVoxanne();
    const org = await t.voxanne.organizations.create({ name: "Clinic" });
    const before = await orgState(t.storage, org.id);
    await expect(t.voxanne.receive("voxanne", org.id, "k-1", payload)).rejects.toMatchObject({
      kind: "ValidationFailed",
      code: "EVENT_INVALID",
    });
    expect(await t.storage.eventLog.read({ afterSeq: 0, limit: 10 })).toEqual([]);
    expect(await orgState(t.storage, org.id)).toEqual(before);
  });

  it("refuses an empty event key, an unknown provider or organization", async () => {
    const t = testVoxanne();
    const org = await t.voxanne.organizations.create({ name: "Clinic" });
    const [started] = script(t.clock.now());
    await expect(t.voxanne.receive("voxanne", org.id, "", started!.payload)).rejects.toMatchObject({
      kind: "ValidationFailed",
    });
    await expect(t.voxanne.receive("fax" as never, org.id, "k", started!.payload)).rejects.toMatchObject({
      kind: "ValidationFailed",
    });
    await expect(t.voxanne.receive("vapi", org.id, "k", {})).rejects.toMatchObject({
      kind: "NotConfigured",
      code: "DECODER_MISSING",
    });
    await expect(t.voxanne.receive("voxanne", crypto.randomUUID(), "k", started!.payload)).rejects.toMatchObject({
      kind: "NotFound",
    });
    expect(await t.storage.eventLog.read({ afterSeq: 0, limit: 10 })).toEqual([]);
  });

  it("a payload its decoder cannot read is refused and not stored", async () => {
    const t = testVoxanne({
      decoders: [
        {
          provider: "vapi",
          decode: () => {
            throw new Error("decoder bug");
          },
        },
      ],
    });
    const org = await t.voxanne.organizations.create({ name: "Clinic" });
    await expect(t.voxanne.receive("vapi", org.id, "k-1", {})).rejects.toThrow("decoder bug");
    expect(await t.storage.eventLog.read({ afterSeq: 0, limit: 10 })).toEqual([]);
  });

  it("an event whose projection keeps failing stays in the log with its error, for a replay once fixed", async () => {
    let projecting = false;
    const errors: unknown[] = [];
    const t = testVoxanne({
      autoProcess: false,
      retry: { maxAttempts: 2 },
      onError: (e) => void errors.push(e),
      decoders: [
        {
          provider: "twilio",
          decode: () => {
            if (projecting) throw new Error("not yet");
            return [];
          },
        },
      ],
    });
    const org = await t.voxanne.organizations.create({ name: "Clinic" });
    await t.voxanne.receive("twilio", org.id, "k-1", {});
    projecting = true;
    await t.voxanne.process();
    await t.voxanne.process();
    const [entry] = await t.storage.eventLog.read({ afterSeq: 0, limit: 10 });
    expect(entry).toMatchObject({ projectedAt: null, attempts: 2, lastError: "not yet" });
    expect(errors).toHaveLength(2);
    expect(await t.voxanne.process()).toMatchObject({ projected: { done: 0, failed: 0 } });

    projecting = false;
    expect(await t.voxanne.replay()).toBe(1);
  });
});
