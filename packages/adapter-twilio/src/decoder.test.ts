import { readdir } from "node:fs/promises";
import type { EventLogEntry, MessageStatus, VoxanneEvent } from "@voxanne/core";
import { ValidationFailed } from "@voxanne/core";
import { describe, expect, it } from "vitest";
import { parseRawDlrDoneDate, TWILIO_MESSAGE_STATUSES, twilioDecoder } from "./decoder.ts";
import type { TwilioLoggedPayload, TwilioWebhookKind } from "./messages.ts";
import { readTwilioFixture, TWILIO_FIXTURES_DIR } from "./testing/webhookFixtures.ts";

const RECEIVED_AT = new Date("2030-01-01T00:00:00.000Z");
const entry = (payload: unknown, receivedAt = RECEIVED_AT): EventLogEntry => ({
  seq: 1,
  orgId: "org",
  provider: "twilio",
  eventKey: "key",
  payload,
  receivedAt,
  projectedAt: null,
  attempts: 0,
  lastError: null,
});
const decode = (kind: TwilioWebhookKind, params: Record<string, unknown>) =>
  twilioDecoder.decode(entry({ kind, params }));

const SID = "SM5555a1b2c3d4e5f6a7b8c9d0e1f2a3b4";
const STATUS = { MessageSid: SID, MessageStatus: "sent", From: "+15555550100", To: "+15555550123" };
const INBOUND = { MessageSid: SID, From: "+15555550123", To: "+15555550100", Body: "Hi" };

/** Files in the fixture folder that are not webhooks, and why they are not decoded. */
const NOT_WEBHOOKS = [
  {
    reason: "a REST body of POST /Messages.json (the created message or an error), read by the Sms adapter",
    files: [
      "messages-create.response-201.json",
      "messages-create.error-21211.json",
      "messages-create.error-21610.json",
    ],
  },
  {
    reason: "the raw form body of the .json fixture beside it, decoded in signature.test.ts",
    files: [
      "inbound-sms.reply.form",
      "inbound-sms.stop.advanced-opt-out.form",
      "inbound-sms.stop.form",
      "status-callback.delivered.form",
      "status-callback.sent.form",
      "status-callback.undelivered-30003.form",
    ],
  },
];

/** Every webhook fixture, logged as the handler logs it, and the events it must decode into. */
const EXPECTED: Record<string, { kind: TwilioWebhookKind; events: VoxanneEvent[] }> = {
  "status-callback.sent.json": {
    kind: "status",
    // No RawDlrDoneDate on `sent`: the time is when it was logged.
    events: [
      {
        type: "SmsStatusReported",
        vendorMessageId: SID,
        messageId: null,
        status: "sent",
        errorCode: null,
        occurredAt: RECEIVED_AT,
      },
    ],
  },
  "status-callback.delivered.json": {
    kind: "status",
    events: [
      {
        type: "SmsStatusReported",
        vendorMessageId: SID,
        messageId: null,
        status: "delivered",
        errorCode: null,
        occurredAt: new Date("2025-11-20T15:06:00Z"),
      },
    ],
  },
  "status-callback.undelivered-30003.json": {
    kind: "status",
    events: [
      {
        type: "SmsStatusReported",
        vendorMessageId: "SM5555b1b2c3d4e5f6a7b8c9d0e1f2a3b4",
        messageId: null,
        status: "undelivered",
        errorCode: "30003",
        occurredAt: new Date("2025-11-21T14:33:00Z"),
      },
    ],
  },
  "inbound-sms.stop.json": {
    kind: "inbound",
    events: [
      {
        type: "SmsReceived",
        vendorMessageId: "SM5555c1b2c3d4e5f6a7b8c9d0e1f2a3b4",
        from: "+15555550168",
        to: "+15555550100",
        body: "STOP",
        occurredAt: RECEIVED_AT,
        optOutType: null,
      },
    ],
  },
  "inbound-sms.stop.advanced-opt-out.json": {
    kind: "inbound",
    events: [
      {
        type: "SmsReceived",
        vendorMessageId: "SM5555d1b2c3d4e5f6a7b8c9d0e1f2a3b4",
        from: "+15555550195",
        to: "+15555550100",
        body: "Stop",
        occurredAt: RECEIVED_AT,
        optOutType: "STOP",
      },
    ],
  },
  "inbound-sms.reply.json": {
    kind: "inbound",
    events: [
      {
        type: "SmsReceived",
        vendorMessageId: "SM5555e1b2c3d4e5f6a7b8c9d0e1f2a3b4",
        from: "+15555550123",
        to: "+15555550100",
        body: "Can I move my Botox to Wednesday at 10 instead?",
        occurredAt: RECEIVED_AT,
        optOutType: null,
      },
    ],
  },
};

describe("twilioDecoder with the shared fixtures", () => {
  it("accounts for every file in the fixture folder: decoded, or skipped with a reason", async () => {
    const files = (await readdir(TWILIO_FIXTURES_DIR)).sort();
    const skipped = NOT_WEBHOOKS.flatMap((s) => s.files);
    expect(NOT_WEBHOOKS.every((s) => s.reason.length > 0)).toBe(true);
    expect([...Object.keys(EXPECTED), ...skipped].sort()).toEqual(files);
  });

  it.each(Object.entries(EXPECTED))("%s", async (name, { kind, events }) => {
    const { params } = await readTwilioFixture(name);
    const payload: TwilioLoggedPayload = { kind, params };
    expect(twilioDecoder.decode(entry(payload))).toEqual(events);
    // Pure: the same entry decodes the same way, and the payload is not changed.
    expect(twilioDecoder.decode(entry(payload))).toEqual(events);
    expect(payload.params).toEqual((await readTwilioFixture(name)).params);
  });
});

describe("twilioDecoder: status callbacks", () => {
  const statusOf = (messageStatus: string) => {
    const [event] = decode("status", { ...STATUS, MessageStatus: messageStatus });
    return event?.type === "SmsStatusReported" ? event.status : null;
  };

  it.each<[string, MessageStatus]>([
    ["queued", "queued"],
    ["accepted", "queued"],
    ["scheduled", "queued"],
    ["sending", "sent"],
    ["sent", "sent"],
    ["delivered", "delivered"],
    ["read", "delivered"],
    ["undelivered", "undelivered"],
    ["failed", "failed"],
    ["canceled", "failed"],
    ["DELIVERED", "delivered"],
  ])("MessageStatus %s → %s", (twilioStatus, status) => {
    expect(statusOf(twilioStatus)).toBe(status);
  });

  it("maps exactly the statuses it lists", () => {
    expect([...TWILIO_MESSAGE_STATUSES.keys()]).toHaveLength(10);
  });

  it.each(["partially_delivered", "receiving", "received", "constructor", "teleported"])(
    "decodes MessageStatus %s to nothing (kept in the log for a later decoder)",
    (twilioStatus) => {
      expect(decode("status", { ...STATUS, MessageStatus: twilioStatus })).toEqual([]);
    },
  );

  it("keeps the error code, and reads an empty one as none", () => {
    expect(decode("status", { ...STATUS, MessageStatus: "failed", ErrorCode: "30001" })).toMatchObject([
      { status: "failed", errorCode: "30001" },
    ]);
    expect(decode("status", { ...STATUS, MessageStatus: "sent", ErrorCode: "" })).toMatchObject([{ errorCode: null }]);
  });

  it("takes the time from RawDlrDoneDate when it is a real time, else from the log entry", () => {
    const at = (raw?: string) =>
      decode("status", { ...STATUS, MessageStatus: "delivered", ...(raw !== undefined && { RawDlrDoneDate: raw }) })[0]
        ?.occurredAt;
    expect(at("2511201506")).toEqual(new Date("2025-11-20T15:06:00Z"));
    for (const raw of [
      undefined,
      "",
      "251120150",
      "25112015060",
      "2513011200",
      "2502301200",
      "2511202460",
      "25-1-20 15",
    ]) {
      expect(at(raw), String(raw)).toEqual(RECEIVED_AT);
    }
  });
});

describe("parseRawDlrDoneDate", () => {
  it.each([
    ["0001010000", "2000-01-01T00:00:00Z"],
    ["2402291159", "2024-02-29T11:59:00Z"],
    ["9912312359", "2099-12-31T23:59:00Z"],
  ])("%s → %s (UTC)", (raw, iso) => {
    expect(parseRawDlrDoneDate(raw)).toEqual(new Date(iso));
  });

  it.each(["2302291200", "2500011200", "2501001200", "2501012400", "abcdefghij"])("%s → null", (raw) => {
    expect(parseRawDlrDoneDate(raw)).toBeNull();
  });
});

describe("twilioDecoder: inbound SMS", () => {
  it.each([
    ["STOP", "STOP"],
    ["START", "START"],
    ["HELP", "HELP"],
    ["stop", "STOP"],
    ["Start", "START"],
    ["UNKNOWN", null],
    ["", null],
  ])("OptOutType %j → %j", (optOutType, expected) => {
    expect(decode("inbound", { ...INBOUND, OptOutType: optOutType })).toMatchObject([{ optOutType: expected }]);
  });

  it("reads a message without Body (a picture alone) as an empty body, and no OptOutType as none", () => {
    const { Body: _, ...noBody } = INBOUND;
    expect(decode("inbound", { ...noBody, NumMedia: "1", MediaUrl0: "https://media.test/1" })).toEqual([
      {
        type: "SmsReceived",
        vendorMessageId: SID,
        from: "+15555550123",
        to: "+15555550100",
        body: "",
        occurredAt: RECEIVED_AT,
        optOutType: null,
      },
    ]);
  });
});

describe("twilioDecoder: payloads it cannot read", () => {
  it.each<[string, unknown, string]>([
    ["no kind", { params: STATUS }, "kind"],
    ["an unknown kind", { kind: "voice", params: STATUS }, "kind"],
    ["no params", { kind: "status" }, "params"],
    ["a status without MessageSid", { kind: "status", params: { MessageStatus: "sent" } }, "params.MessageSid"],
    ["a status without MessageStatus", { kind: "status", params: { MessageSid: SID } }, "params.MessageStatus"],
    [
      "an inbound SMS without From",
      { kind: "inbound", params: { MessageSid: SID, To: "+15555550100" } },
      "params.From",
    ],
    ["a repeated MessageSid", { kind: "inbound", params: { ...INBOUND, MessageSid: [SID, SID] } }, "params.MessageSid"],
  ])("throws ValidationFailed for %s, naming %s", (_, payload, path) => {
    let error: unknown;
    try {
      twilioDecoder.decode(entry(payload));
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(ValidationFailed);
    expect((error as ValidationFailed).code).toBe("TWILIO_PARAMS_INVALID");
    expect((error as ValidationFailed).issues.map((i) => i.path)).toContain(path);
  });
});
