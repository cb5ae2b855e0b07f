import { readdir, readFile } from "node:fs/promises";
import type { CallEvent, EventLogEntry, VoxanneEvent } from "@voxanne/core";
import { ValidationFailed } from "@voxanne/core";
import { describe, expect, it } from "vitest";
import { vapiDecoder } from "./decoder.ts";
import type { VapiServerMessage } from "./messages.ts";
import { handOver, legacyToolCallId, parseVapiMessage } from "./messages.ts";
import { statusOfEndedReason } from "./statuses.ts";

/** The shared fixtures; CI clones the repo with `shared/` beside it, so this path holds there too. */
const FIXTURES = new URL("../../../../shared/vendors/fixtures/vapi/", import.meta.url);
const RECEIVED_AT = new Date("2030-01-01T00:00:00.000Z");

// biome-ignore lint/suspicious/noExplicitAny: fixtures are edited freely in tests.
type Json = any;
const fixture = async (name: string): Promise<Json> => JSON.parse(await readFile(new URL(name, FIXTURES), "utf8"));
const entry = (payload: unknown, receivedAt = RECEIVED_AT): EventLogEntry => ({
  seq: 1,
  orgId: "org",
  provider: "vapi",
  eventKey: "key",
  payload,
  receivedAt,
  projectedAt: null,
  attempts: 0,
  lastError: null,
});
const decode = (payload: unknown) => vapiDecoder.decode(entry(payload)) as CallEvent[];
const only = <T extends VoxanneEvent["type"]>(events: VoxanneEvent[], type: T) => {
  expect(events.map((e) => e.type)).toEqual([type]);
  return events[0] as Extract<VoxanneEvent, { type: T }>;
};

const C1 = "0b1c2d3e-5555-4a7b-8c9d-0000000000c1";
const CLINIC = "+15555550100";
const at = (iso: string) => new Date(iso);
const BOOKING_ARGS = {
  patient_name: "Maria Lopez",
  phone: "+15555550123",
  procedure: "botox",
  start_time: "2025-11-25T14:00:00-05:00",
  notes: "First-time Botox, forehead lines",
};
const inboundMaria = { vendorCallId: C1, callId: null, direction: "inbound", customerNumber: "+15555550123" };

/** Files in the fixture folder that are not server messages, and why they are not decoded. */
const NOT_MESSAGES = [
  {
    reason: "a REST body of POST /call (request, response or error), read by the telephony adapter",
    files: ["create-call.request.json", "create-call.response.json", "create-call.error-400.json"],
  },
  {
    reason: "our answer to a tool call, which Vapi receives rather than sends",
    files: [
      "tool-calls.book-appointment.response.json",
      "tool-calls.book-appointment.response-error.json",
      "function-call.book-appointment.legacy.response.json",
    ],
  },
];

/** Every server-message fixture, with what it must decode into. */
const EXPECTED: Record<string, (events: VoxanneEvent[]) => void> = {
  "status-update.in-progress.json": (events) => {
    expect(only(events, "CallStarted")).toEqual({
      type: "CallStarted",
      call: { ...inboundMaria, customerName: null, clinicNumber: CLINIC },
      occurredAt: new Date(1763650931520),
      startedAt: at("2025-11-20T15:02:11.480Z"),
    });
  },
  "status-update.ended.json": (events) => {
    expect(only(events, "CallEnded")).toMatchObject({
      call: inboundMaria,
      status: "completed",
      endedReason: "customer-ended-call",
      startedAt: at("2025-11-20T15:02:11.480Z"),
      endedAt: at("2025-11-20T15:03:42.798Z"),
      occurredAt: new Date(1763651022948),
    });
  },
  "status-update.ended.customer-did-not-answer.json": (events) => {
    expect(only(events, "CallEnded")).toMatchObject({
      call: { direction: "outbound", customerNumber: "+15555550182", customerName: "Priya Shah", callId: null },
      status: "no_answer",
      endedReason: "customer-did-not-answer",
      startedAt: null,
      endedAt: at("2025-11-21T16:00:34.023Z"),
    });
  },
  "tool-calls.book-appointment.json": (events) => {
    expect(only(events, "ToolCalled")).toMatchObject({
      call: inboundMaria,
      toolCallId: "call_5x9QmWvN2rT7bK3pL8dF1aZc",
      name: "book_appointment",
      arguments: BOOKING_ARGS,
      succeeded: null,
      occurredAt: new Date(1763650973415),
    });
  },
  "tool-calls.book-appointment.string-arguments.json": (events) => {
    expect(only(events, "ToolCalled")).toMatchObject({
      toolCallId: "call_5x9QmWvN2rT7bK3pL8dF1aZc",
      name: "book_appointment",
      arguments: BOOKING_ARGS,
      succeeded: null,
    });
  },
  "function-call.book-appointment.legacy.json": (events) => {
    expect(only(events, "ToolCalled")).toMatchObject({
      call: inboundMaria,
      toolCallId: `function-call:${C1}:1763650973415`,
      name: "book_appointment",
      arguments: BOOKING_ARGS,
      succeeded: null,
    });
  },
  "end-of-call-report.inbound-botox-booked.json": (events) => {
    const report = only(events, "CallReport");
    expect(report).toMatchObject({
      call: { ...inboundMaria, clinicNumber: CLINIC },
      status: "completed",
      endedReason: "customer-ended-call",
      startedAt: at("2025-11-20T15:02:11.480Z"),
      endedAt: at("2025-11-20T15:03:42.798Z"),
      durationSeconds: 91,
      toolCalls: [{ toolCallId: "call_5x9QmWvN2rT7bK3pL8dF1aZc", name: "book_appointment", succeeded: true }],
      recordingUrl: `https://storage.vapi.ai/${C1}-stereo.wav`,
      analysis: { sentiment: null, bookingConfirmed: true, callbackRequested: null },
      transfer: null,
      occurredAt: new Date(1763651028998),
    });
    expect(report.transcript).toMatch(/^AI: Thank you for calling Bright Aesthetics/);
    expect(report.transcript).toContain("Botox");
    expect(report.summary).toMatch(/^Maria Lopez called to book her first Botox/);
  },
  "end-of-call-report.inbound-rhinoplasty-no-booking.json": (events) => {
    const report = only(events, "CallReport");
    expect(report).toMatchObject({
      call: { direction: "inbound", customerNumber: "+15555550147" },
      status: "completed",
      durationSeconds: 54, // 18:41:05.250 → 18:41:58.854, no legacy duration field
      toolCalls: [],
      recordingUrl: "https://storage.vapi.ai/0b1c2d3e-5555-4a7b-8c9d-0000000000c2-stereo.wav",
      analysis: { sentiment: null, bookingConfirmed: false, callbackRequested: false },
    });
    expect(report.transcript).toMatch(/rhinoplasty/i);
    expect(report.summary).toMatch(/rhinoplasty pricing/);
  },
  "end-of-call-report.outbound-callback.json": (events) => {
    const report = only(events, "CallReport");
    expect(report).toMatchObject({
      // The fixture's metadata carries a leadId, not our callId: the call is found by its Vapi id.
      call: { vendorCallId: "0b1c2d3e-5555-4a7b-8c9d-0000000000c3", callId: null, direction: "outbound" },
      status: "completed",
      endedReason: "assistant-ended-call",
      durationSeconds: 39,
      recordingUrl: "https://storage.vapi.ai/0b1c2d3e-5555-4a7b-8c9d-0000000000c3-stereo.wav",
    });
    expect(report.call).toMatchObject({ customerNumber: "+15555550168", customerName: "Daniel Kim" });
    expect(report.transcript).toBeTruthy();
  },
  "end-of-call-report.outbound-no-answer.json": (events) => {
    expect(only(events, "CallReport")).toMatchObject({
      call: { direction: "outbound", customerName: "Priya Shah" },
      status: "no_answer",
      endedReason: "customer-did-not-answer",
      startedAt: null,
      endedAt: at("2025-11-21T16:00:34.023Z"),
      durationSeconds: 0,
      transcript: null,
      summary: null,
      analysis: null,
      toolCalls: [],
      recordingUrl: null,
    });
  },
  "end-of-call-report.outbound-voicemail.json": (events) => {
    const report = only(events, "CallReport");
    expect(report).toMatchObject({
      call: { direction: "outbound", customerName: "Tom Becker" },
      status: "no_answer",
      endedReason: "voicemail",
      durationSeconds: 13,
      recordingUrl: "https://storage.vapi.ai/0b1c2d3e-5555-4a7b-8c9d-0000000000c5-stereo.wav",
      analysis: null,
    });
    expect(report.transcript).toBeTruthy();
  },
};

describe("vapiDecoder on the shared fixtures", async () => {
  const files = (await readdir(FIXTURES)).filter((f) => f.endsWith(".json")).sort();
  const skipped = NOT_MESSAGES.flatMap((s) => s.files);

  it("knows every fixture: decoded with expectations, or skipped with a reason", () => {
    expect(files.filter((f) => !(f in EXPECTED) && !skipped.includes(f))).toEqual([]);
    expect([...Object.keys(EXPECTED), ...skipped].filter((f) => !files.includes(f))).toEqual([]);
  });

  it.each(Object.keys(EXPECTED))("%s", async (file) => {
    const payload = await fixture(file);
    const events = decode(payload);
    EXPECTED[file]?.(events);
    // Pure: the same entry decodes the same way again, whatever the time.
    expect(vapiDecoder.decode(entry(structuredClone(payload), new Date()))).toEqual(events);
  });

  it("reads our call id from assistantOverrides.metadata, else from variableValues", async () => {
    const payload = await fixture("end-of-call-report.outbound-callback.json");
    payload.message.call.assistantOverrides.metadata.callId = "call-from-metadata";
    payload.message.call.assistantOverrides.variableValues.callId = "call-from-variables";
    expect(only(decode(payload), "CallReport").call.callId).toBe("call-from-metadata");
    delete payload.message.call.assistantOverrides.metadata.callId;
    expect(only(decode(payload), "CallReport").call.callId).toBe("call-from-variables");
  });
});

describe("vapiDecoder, beyond the fixtures", () => {
  const message = (fields: Json) => ({
    message: { timestamp: 1763650931520, call: { id: C1, type: "inboundPhoneCall" }, ...fields },
  });

  it.each([
    ["queued", "initiated"],
    ["scheduled", "initiated"],
    ["ringing", "ringing"],
  ])("status-update %s → CallStatusChanged %s", (status, expected) => {
    expect(only(decode(message({ type: "status-update", status })), "CallStatusChanged").status).toBe(expected);
  });

  it("ignores statuses that change nothing, hang and types it does not act on", () => {
    expect(decode(message({ type: "status-update", status: "not-found" }))).toEqual([]);
    expect(decode(message({ type: "hang" }))).toEqual([]);
    expect(decode({ message: { type: "speech-update", status: "started", role: "user" } })).toEqual([]);
    expect(decode({ message: { type: "conversation-update" } })).toEqual([]);
  });

  it.each([
    ["customer-ended-call", "completed"],
    ["assistant-said-end-call-phrase", "completed"],
    ["exceeded-max-duration", "completed"],
    ["customer-ended-call-during-transfer", "completed"],
    ["hangup", "completed"],
    [null, "completed"],
    ["customer-did-not-answer", "no_answer"],
    ["voicemail", "no_answer"],
    ["customer-busy", "busy"],
    ["manually-canceled", "canceled"],
    ["scheduled-call-deleted", "canceled"],
    ["twilio-failed-to-connect-call", "failed"],
    ["call.start.error-subscription-insufficient-credits", "failed"],
    ["call.in-progress.error-vapifault-openai-llm-failed", "failed"],
    ["call.in-progress.error-providerfault-outbound-sip-480-temporarily-unavailable", "failed"],
    ["pipeline-error-openai-llm-failed", "failed"],
    ["assistant-request-returned-invalid-assistant", "failed"],
    ["worker-shutdown", "failed"],
  ])("endedReason %s → %s", (reason, status) => {
    expect(statusOfEndedReason(reason)).toBe(status);
  });

  it("reads a legacy report: top-level transcript, summary, recording and duration", async () => {
    const payload = await fixture("end-of-call-report.inbound-botox-booked.json");
    const { artifact, analysis, startedAt } = payload.message;
    delete payload.message.artifact;
    delete payload.message.analysis;
    delete payload.message.startedAt;
    delete payload.message.call.startedAt;
    const report = only(decode(payload), "CallReport");
    expect(report).toMatchObject({
      startedAt: null,
      durationSeconds: 91, // durationSeconds 91.318
      summary: payload.message.summary,
      transcript: payload.message.transcript.trim(),
      recordingUrl: payload.message.recordingUrl,
      toolCalls: [{ toolCallId: "call_5x9QmWvN2rT7bK3pL8dF1aZc", succeeded: true }],
      analysis: null,
    });
    expect([artifact, analysis, startedAt]).not.toContain(undefined);
  });

  it("reads the recording from artifact.recording, then the deprecated URL fields", () => {
    const report = (artifact: Json, fields: Json = {}) =>
      only(decode(message({ type: "end-of-call-report", endedReason: "x", artifact, ...fields })), "CallReport")
        .recordingUrl;
    expect(report({ recording: { stereoUrl: "s", mono: { combinedUrl: "m" } }, recordingUrl: "old" })).toBe("s");
    expect(report({ recording: { mono: { combinedUrl: "m" } }, recordingUrl: "old" })).toBe("m");
    expect(report({ recordingUrl: "old", stereoRecordingUrl: "older" })).toBe("old");
    expect(report({}, { recordingUrl: "top" })).toBe("top");
    expect(report({}, { call: { id: C1, recordingUrl: "on-call" } })).toBe("on-call");
    expect(report({})).toBeNull();
  });

  it("gives each tool call its outcome: a result that is an error, or no result, is a failure", () => {
    const call = (id: string, name = "book_appointment") => ({
      id,
      type: "function",
      function: { name, arguments: "{}" },
    });
    const messages = [
      { role: "tool_calls", toolCalls: [call("ok"), call("err-field"), call("err-json"), call("err-text")] },
      { role: "tool_calls", toolCalls: [call("unanswered"), call("status-failed")] },
      { role: "tool_call_result", toolCallId: "ok", name: "book_appointment", result: "Booked Botox for Tuesday." },
      { role: "tool_call_result", toolCallId: "err-field", name: "book_appointment", error: "Slot taken" },
      { role: "tool_call_result", toolCallId: "err-json", result: '{"error":"slot taken"}' },
      { role: "tool_call_result", toolCallId: "err-text", result: "Error: slot taken" },
      { role: "tool_call_result", toolCallId: "status-failed", result: { status: "failed" } },
      { role: "tool_call_result", toolCallId: "stranger", result: "ok" },
      { role: "bot", message: "Done." },
      "not an object",
    ];
    const report = only(decode(message({ type: "end-of-call-report", artifact: { messages } })), "CallReport");
    expect(Object.fromEntries(report.toolCalls.map((t) => [t.toolCallId, t.succeeded]))).toEqual({
      ok: true,
      "err-field": false,
      "err-json": false,
      "err-text": false,
      unanswered: false,
      "status-failed": false,
    });
  });

  it("pairs legacy function_call / function_result entries by name and order", () => {
    const messages = [
      { role: "function_call", name: "book_appointment", args: "{}" },
      { role: "function_result", name: "book_appointment", result: "Error: slot taken" },
      { role: "function_call", function: { name: "book_appointment" } },
      { role: "function_result", name: "book_appointment", result: '{"status":"booked"}' },
    ];
    const report = only(decode(message({ type: "end-of-call-report", messages })), "CallReport");
    expect(report.toolCalls).toEqual([
      { toolCallId: "function_call:book_appointment:0", name: "book_appointment", succeeded: false },
      { toolCallId: "function_call:book_appointment:1", name: "book_appointment", succeeded: true },
    ]);
  });

  it("takes the vendor's sentiment and callback request only from structuredData", () => {
    const analysisOf = (structuredData: unknown) =>
      only(decode(message({ type: "end-of-call-report", analysis: { structuredData } })), "CallReport").analysis;
    expect(analysisOf({ sentiment: "Positive", urgency: "high" })).toEqual({
      sentiment: { score: 0.5, label: "positive", summary: null, urgency: "high" },
      bookingConfirmed: null,
      callbackRequested: null,
    });
    expect(
      analysisOf({ sentiment: { score: -0.8, summary: "Upset about the price" }, callback_requested: true }),
    ).toEqual({
      sentiment: { score: -0.8, label: "negative", summary: "Upset about the price", urgency: "low" },
      bookingConfirmed: null,
      callbackRequested: true,
    });
    expect(analysisOf({ sentiment: { label: "neutral", score: 7 } })?.sentiment).toEqual({
      score: 0,
      label: "neutral",
      summary: null,
      urgency: "low",
    });
    expect(analysisOf({ sentiment: "meh", intent: "pricing" })).toBeNull();
    expect(analysisOf("a string the rubric made")).toBeNull();
    expect(analysisOf(undefined)).toBeNull();
  });

  it("records transfers from transfer-update, a forwarding status and the report's destination", () => {
    const destination = { type: "number", number: "+15555550111", description: "Caller asked for a nurse" };
    expect(only(decode(message({ type: "transfer-update", destination })), "CallTransferred").transfer).toEqual({
      to: "+15555550111",
      at: new Date(1763650931520),
      reason: "Caller asked for a nurse",
    });
    expect(
      only(decode(message({ type: "status-update", status: "forwarding", destination })), "CallTransferred").transfer
        .to,
    ).toBe("+15555550111");
    const report = only(
      decode(message({ type: "end-of-call-report", endedReason: "assistant-forwarded-call", destination })),
      "CallReport",
    );
    expect(report.transfer).toEqual({ to: "+15555550111", at: null, reason: "Caller asked for a nurse" });
    expect(report.status).toBe("completed");
    expect(decode(message({ type: "transfer-update", toAssistant: { name: "Billing" } }))).toMatchObject([
      { type: "CallTransferred", transfer: { to: "Billing" } },
    ]);
    expect(decode(message({ type: "transfer-update" }))).toEqual([]);
  });

  it("reads times in the forms Vapi sends, and never uses the clock", () => {
    const started = (fields: Json, receivedAt = RECEIVED_AT) =>
      vapiDecoder.decode(entry(message({ type: "status-update", status: "in-progress", ...fields }), receivedAt))[0];
    expect(started({ timestamp: "1763650931520" })?.occurredAt).toEqual(new Date(1763650931520));
    expect(started({ timestamp: 1763650931 })?.occurredAt).toEqual(new Date(1763650931000));
    expect(started({ timestamp: "2025-11-20T15:02:11.480Z" })?.occurredAt).toEqual(at("2025-11-20T15:02:11.480Z"));
    const noTimestamp = { timestamp: undefined, call: { id: C1, updatedAt: "2025-11-20T15:02:12.000Z" } };
    expect(started(noTimestamp)?.occurredAt).toEqual(at("2025-11-20T15:02:12.000Z"));
    const nothing = { timestamp: null, call: { id: C1 } };
    expect(started(nothing, new Date("2029-05-05T00:00:00Z"))?.occurredAt).toEqual(new Date("2029-05-05T00:00:00Z"));
  });

  it("keeps unknown fields and tolerates what Vapi's SDK types get wrong", () => {
    const events = decode(
      message({
        type: "end-of-call-report",
        brandNewField: { nested: true },
        endedReason: "customer-ended-call",
        analysis: { summary: "ok", successEvaluation: 8, structuredData: [1, 2] },
        artifact: { recording: "https://storage.vapi.ai/x.wav", messages: null },
        durationSeconds: "61.2",
        call: { id: C1, type: "webCall", customer: null, assistantOverrides: { metadata: "not an object" } },
      }),
    );
    expect(only(events, "CallReport")).toMatchObject({
      call: { direction: null, customerNumber: null, callId: null },
      durationSeconds: 61,
      recordingUrl: "https://storage.vapi.ai/x.wav",
      analysis: null,
    });
  });

  it("accepts tool calls in each documented form: function.arguments object or string, flat parameters", () => {
    const toolCallList = [
      { id: "a", function: { name: "book_appointment", arguments: { procedure: "botox" } } },
      { id: "b", function: { name: "book_appointment", arguments: '{"procedure":"botox"}' } },
      { id: "c", name: "book_appointment", parameters: { procedure: "botox" } },
      { id: "d", name: "book_appointment", arguments: { procedure: "botox" } },
      { id: "e", name: "book_appointment" },
      { id: "f", name: "book_appointment", arguments: "not json" },
    ];
    const events = decode(message({ type: "tool-calls", toolCallList }));
    expect(events.map((e) => e.type === "ToolCalled" && [e.toolCallId, e.arguments])).toEqual([
      ["a", { procedure: "botox" }],
      ["b", { procedure: "botox" }],
      ["c", { procedure: "botox" }],
      ["d", { procedure: "botox" }],
      ["e", {}],
      ["f", {}],
    ]);
    // The duplicate `toolCalls` array some payloads carry stands in for a missing toolCallList.
    expect(decode(message({ type: "tool-calls", toolCalls: toolCallList.slice(0, 1) }))).toHaveLength(1);
    expect(legacyToolCallId({ call: { id: C1 }, timestamp: null })).toBe(`function-call:${C1}:none`);
  });

  it.each([
    ["a body without message", { hello: "world" }, "message"],
    ["a message without type", { message: { call: { id: C1 } } }, "message.type"],
    ["a type that is not a string", { message: { type: 7 } }, "message.type"],
    ["a status update without call", { message: { type: "status-update", status: "ended" } }, "message.call"],
    ["a call without id", { message: { type: "hang", call: {} } }, "message.call.id"],
    ["a call id that is a number", { message: { type: "hang", call: { id: 5 } } }, "message.call.id"],
    ["a status update without status", { message: { type: "status-update", call: { id: C1 } } }, "message.status"],
    [
      "a bad time",
      { message: { type: "status-update", status: "ended", call: { id: C1, endedAt: "yesterday" } } },
      "message.call.endedAt",
    ],
    [
      "a customer number that is a number",
      { message: { type: "hang", call: { id: C1, customer: { number: 15555550123 } } } },
      "message.call.customer.number",
    ],
    ["tool calls without a list", { message: { type: "tool-calls", call: { id: C1 } } }, "message.toolCallList"],
    [
      "a tool call without id",
      { message: { type: "tool-calls", call: { id: C1 }, toolCallList: [{ function: { name: "x" } }] } },
      "message.toolCallList.0.id",
    ],
    [
      "a tool call without name",
      { message: { type: "tool-calls", call: { id: C1 }, toolCallList: [{ id: "a", arguments: {} }] } },
      "message.toolCallList.0.name",
    ],
    [
      "a legacy function call without name",
      { message: { type: "function-call", call: { id: C1 }, functionCall: { parameters: {} } } },
      "message.functionCall.name",
    ],
    [
      "transcript messages that are not a list",
      { message: { type: "end-of-call-report", call: { id: C1 }, artifact: { messages: "none" } } },
      "message.artifact.messages",
    ],
  ])("refuses %s, naming the field", (_, payload, path) => {
    const error = (() => {
      try {
        decode(payload);
      } catch (e) {
        return e;
      }
    })();
    expect(error).toBeInstanceOf(ValidationFailed);
    expect((error as ValidationFailed).issues.map((i) => i.path)).toContain(path);
    expect((error as ValidationFailed).code).toBe("VAPI_MESSAGE_INVALID");
  });
});

it("decodes a message the webhook handler handed over for its payload once, then reads the payload again", async () => {
  const payload = await fixture("status-update.in-progress.json");
  const { message } = parseVapiMessage(payload) as { message: VapiServerMessage };
  handOver(payload, { ...message, call: { ...message.call, id: "handed-over" } });
  expect(only(decode(payload), "CallStarted").call.vendorCallId).toBe("handed-over");
  expect(only(decode(payload), "CallStarted").call.vendorCallId).toBe(C1);
  expect(only(decode(structuredClone(payload)), "CallStarted").call.vendorCallId).toBe(C1);
});
