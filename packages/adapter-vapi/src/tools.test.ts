import { testVoxanne } from "@voxanne/core/testing";
import { describe, expect, it } from "vitest";
import { readVapiFixture, type VapiMessage } from "./testing/vapiFixtures.ts";
import type { ToolCallContext, ToolCallRequest, ToolCallResult } from "./toolCalls.ts";
import { answerToolCalls, TOOL_ANSWERS } from "./tools.ts";

interface ToolCallsMessage extends VapiMessage {
  toolCallList: { id: string; function: { name: string; arguments: Record<string, unknown> | string } }[];
}
interface FunctionCallMessage extends VapiMessage {
  functionCall: { name: string; parameters: Record<string, unknown> };
}

const BOOKED_BOTOX = "Booked Botox for Tuesday, November 25 at 2:00 PM.";

/** What the webhook layer hands over: the call's facts, and each tool call with parsed arguments. */
function contextOf(message: VapiMessage): ToolCallContext {
  const clinic = message.phoneNumber?.number;
  return {
    vendorCallId: message.call.id,
    direction: message.call.type === "outboundPhoneCall" ? "outbound" : "inbound",
    customerNumber: message.customer?.number ?? null,
    customerName: message.customer?.name ?? null,
    clinicNumber: typeof clinic === "string" ? clinic : null,
    at: new Date(message.timestamp),
  };
}

async function toolCallsFixture(name: string) {
  const message = (await readVapiFixture<{ message: ToolCallsMessage }>(name)).message;
  const requests: ToolCallRequest[] = message.toolCallList.map((tc) => ({
    id: tc.id,
    name: tc.function.name,
    arguments: typeof tc.function.arguments === "string" ? JSON.parse(tc.function.arguments) : tc.function.arguments,
  }));
  return { requests, context: contextOf(message) };
}

async function setup(agent: { bookingToolNames?: string[] } = {}) {
  const t = testVoxanne();
  const org = await t.voxanne.organizations.create({ name: "Bright Aesthetics", timezone: "America/New_York", agent });
  const { requests, context } = await toolCallsFixture("tool-calls.book-appointment.json");
  const request = requests[0] as ToolCallRequest;
  const answer = (calls: ToolCallRequest[], ctx: ToolCallContext = context) =>
    answerToolCalls(t.voxanne, org.id, calls, ctx);
  /** A variant of the fixture's call with other arguments (and id). */
  const withArgs = (args: Record<string, unknown>, id = "call_variant"): ToolCallRequest => ({
    ...request,
    id,
    arguments: args,
  });
  const appointments = () =>
    t.storage.transaction(org.id, async (tx) => {
      const calls = (await tx.calls.list({}, { limit: 100 })).items;
      return (await Promise.all(calls.map((c) => tx.appointments.listByCall(c.id)))).flat();
    });
  return { t, org, request, context, answer, withArgs, appointments };
}

const isOneLine = (r: ToolCallResult) => {
  const text = "result" in r ? r.result : r.error;
  return text.length > 0 && !/[\r\n\u2028\u2029]/u.test(text);
};

describe("answerToolCalls", () => {
  it("books the fixture's tool call and answers one line the assistant can speak", async () => {
    const { answer, request, appointments, org } = await setup();
    const started = performance.now();
    const results = await answer([request]);
    expect(performance.now() - started).toBeLessThan(1_000);

    expect(results).toEqual([
      { toolCallId: "call_5x9QmWvN2rT7bK3pL8dF1aZc", name: "book_appointment", result: BOOKED_BOTOX },
    ]);
    expect(await appointments()).toEqual([
      expect.objectContaining({
        orgId: org.id,
        startsAt: new Date("2025-11-25T19:00:00.000Z"),
        toolCallId: "call_5x9QmWvN2rT7bK3pL8dF1aZc",
        status: "booked",
      }),
    ]);
  });

  it("answers the same for arguments that arrived as a JSON string and for the legacy function-call", async () => {
    const fromString = await toolCallsFixture("tool-calls.book-appointment.string-arguments.json");
    const s = await setup();
    expect(await s.answer(fromString.requests, fromString.context)).toEqual([
      { toolCallId: "call_5x9QmWvN2rT7bK3pL8dF1aZc", name: "book_appointment", result: BOOKED_BOTOX },
    ]);

    const legacy = (
      await readVapiFixture<{ message: FunctionCallMessage }>("function-call.book-appointment.legacy.json")
    ).message;
    const l = await setup();
    // A function-call has no id: the webhook layer names it.
    const call = { id: "legacy-1", name: legacy.functionCall.name, arguments: legacy.functionCall.parameters };
    expect(await l.answer([call], contextOf(legacy))).toEqual([
      { toolCallId: "legacy-1", name: "book_appointment", result: BOOKED_BOTOX },
    ]);
  });

  it("answers a retried tool call the same, without booking twice", async () => {
    const { answer, request, context, appointments } = await setup();
    const first = await answer([request]);
    const retry = await answer([request], { ...context, at: new Date(context.at.getTime() + 3_000) });
    expect(retry).toEqual(first);
    expect(await appointments()).toHaveLength(1);
  });

  it("tells the assistant when the slot is taken, and books nothing", async () => {
    const { answer, request, withArgs, appointments } = await setup();
    await answer([request]);
    const results = await answer([withArgs({ ...request.arguments, start_time: "2025-11-25T19:00:00Z" }, "call_2")]);
    expect(results).toEqual([{ toolCallId: "call_2", name: "book_appointment", error: TOOL_ANSWERS.slotTaken }]);
    expect(await appointments()).toHaveLength(1);
  });

  it("answers bad arguments with a tool error, and books nothing", async () => {
    const { answer, request, context, withArgs, appointments } = await setup();
    const { start_time: _, ...noTime } = request.arguments;
    const cases: [Record<string, unknown>, string, ToolCallContext?][] = [
      [noTime, TOOL_ANSWERS.missingSlot],
      [{ ...noTime, date: "2025-11-25" }, TOOL_ANSWERS.missingSlot],
      [{ ...noTime, time: "2 PM" }, TOOL_ANSWERS.missingSlot],
      [{ ...noTime, start_time: "next Tuesday afternoon" }, TOOL_ANSWERS.unreadableSlot],
      [{ ...noTime, date: "2025-11-25", time: "25:00" }, TOOL_ANSWERS.unreadableSlot],
      [{ ...noTime, date: "2025-11-25", time: "13 pm" }, TOOL_ANSWERS.unreadableSlot],
      [{ ...noTime, start_time: "2025-02-30T14:00:00-05:00" }, TOOL_ANSWERS.unreadableSlot],
      [{ ...noTime, start_time: 1764097200000 }, TOOL_ANSWERS.badArguments],
      [{ ...request.arguments, procedure: "x".repeat(500) }, TOOL_ANSWERS.badArguments],
      [{ ...request.arguments, start_time: "2025-11-19T14:00:00-05:00" }, TOOL_ANSWERS.inPast],
      [{ ...request.arguments, phone: undefined }, TOOL_ANSWERS.needsContact, { ...context, customerNumber: null }],
    ];
    for (const [args, expected, ctx] of cases) {
      const results = await answer([withArgs(args)], ctx);
      expect(results, JSON.stringify(args).slice(0, 80)).toEqual([
        { toolCallId: "call_variant", name: "book_appointment", error: expected },
      ]);
    }
    expect(await appointments()).toEqual([]);
  });

  it("reads the documented aliases, local times in the clinic's zone, and books an unknown service without one", async () => {
    const { answer, context, withArgs, appointments } = await setup();
    const results = await answer([
      withArgs({ date: "2025-11-26", time: "10:00 am", service: "Lip Filler", name: "Maria Lopez" }, "a"),
      withArgs({ startsAt: "2025-11-26T15:30", treatment: "tattoo removal" }, "b"),
      withArgs({ date_time: "2025-12-01 09:15:00", serviceName: "FACELIFT" }, "c"),
    ]);
    expect(results).toEqual([
      { toolCallId: "a", name: "book_appointment", result: "Booked Fillers for Wednesday, November 26 at 10:00 AM." },
      {
        toolCallId: "b",
        name: "book_appointment",
        result: "Booked an appointment for Wednesday, November 26 at 3:30 PM.",
      },
      { toolCallId: "c", name: "book_appointment", result: "Booked Facelift for Monday, December 1 at 9:15 AM." },
    ]);
    expect((await appointments()).map((a) => a.startsAt.toISOString()).sort()).toEqual([
      "2025-11-26T15:00:00.000Z",
      "2025-11-26T20:30:00.000Z",
      "2025-12-01T14:15:00.000Z",
    ]);

    // A caller whose number is withheld can give one.
    const withheld = await answer([withArgs({ start_time: "2025-11-27T11:00:00-05:00", phone: "+15555550177" }, "d")], {
      ...context,
      vendorCallId: "vapi-withheld",
      customerNumber: null,
    });
    expect(withheld).toEqual([
      {
        toolCallId: "d",
        name: "book_appointment",
        result: "Booked an appointment for Thursday, November 27 at 11:00 AM.",
      },
    ]);
  });

  it("books only with the org's booking tool names; any other tool is unknown", async () => {
    const { answer, request, withArgs, appointments } = await setup({ bookingToolNames: ["schedule_visit"] });
    const results = await answer([
      request,
      { ...withArgs(request.arguments, "call_2"), name: "schedule_visit" },
      { id: "call_3", name: "transfer_call", arguments: {} },
    ]);
    expect(results).toEqual([
      { toolCallId: request.id, name: "book_appointment", error: TOOL_ANSWERS.unknownTool },
      { toolCallId: "call_2", name: "schedule_visit", result: BOOKED_BOTOX },
      { toolCallId: "call_3", name: "transfer_call", error: TOOL_ANSWERS.unknownTool },
    ]);
    expect(await appointments()).toHaveLength(1);
  });

  it("answers every tool call, in order, on one line each, well under Vapi's timeout", async () => {
    const { t, org, answer, request, withArgs } = await setup();
    await t.voxanne.services.create(org.id, { name: "Botox\nDeluxe", priceCents: 90_000, keywords: ["deluxe"] });
    const calls = [
      request,
      withArgs({ ...request.arguments, procedure: "deluxe", start_time: "2025-11-26T09:00:00-05:00" }, "call_2"),
      withArgs({}, "call_3"),
      request,
    ];
    const started = performance.now();
    const results = await answer(calls);
    expect(performance.now() - started).toBeLessThan(1_000);

    expect(results.map((r) => r.toolCallId)).toEqual([request.id, "call_2", "call_3", request.id]);
    expect(results.every(isOneLine)).toBe(true);
    expect(results[1]).toMatchObject({ result: "Booked Botox Deluxe for Wednesday, November 26 at 9:00 AM." });
    expect(results[3]).toEqual(results[0]);
  });

  it("never throws nor leaks internals: a broken store or an unknown org is a spoken tool error", async () => {
    const { t, answer, request } = await setup();
    const reported: unknown[] = [];
    t.voxanne.deps.onError = (error) => reported.push(error);
    const transaction = t.storage.transaction.bind(t.storage);
    let calls = 0;
    // The org is read; then the store fails, as a lost database connection would.
    t.storage.transaction = ((orgId: string, fn: never) =>
      ++calls === 1 ? transaction(orgId, fn) : Promise.reject(new Error("connection reset at Socket.read"))) as never;
    expect(await answer([request])).toEqual([
      { toolCallId: request.id, name: request.name, error: TOOL_ANSWERS.failed },
    ]);
    t.storage.transaction = transaction;

    const unknownOrg = await answerToolCalls(t.voxanne, "00000000-0000-4000-8000-000000000000", [request], {
      vendorCallId: "v",
      direction: "inbound",
      customerNumber: null,
      customerName: null,
      clinicNumber: null,
      at: new Date(),
    });
    expect(unknownOrg).toEqual([{ toolCallId: request.id, name: request.name, error: TOOL_ANSWERS.failed }]);
    expect(reported).toHaveLength(2);
  });
});
