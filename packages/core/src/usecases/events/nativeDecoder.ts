/**
 * The decoder for provider `voxanne`: payloads that already are core events in their JSON form
 * (one event or an array). Apps that bring their own telephony log events this way, and it is
 * what the tests and the embedded example feed in. Dates are ISO strings on the wire.
 */
import * as v from "valibot";
import { CALL_DIRECTIONS, CALL_STATUSES, SENTIMENT_LABELS } from "../../domain/call.ts";
import type { VoxanneEvent } from "../../domain/events.ts";
import { SMS_OPT_OUT_TYPES } from "../../domain/events.ts";
import { MESSAGE_STATUSES } from "../../domain/message.ts";
import type { EventDecoder } from "../../ports/eventDecoder.ts";
import { validate } from "../shared/validate.ts";

const When = v.pipe(
  v.union([v.string(), v.date()], "must be an ISO date"),
  v.transform((d) => new Date(d)),
  v.check((d) => !Number.isNaN(d.getTime()), "must be an ISO date"),
);
const MaybeWhen = v.optional(v.nullable(When), null);
const Text = (max: number) => v.optional(v.nullable(v.pipe(v.string(), v.maxLength(max, "is too long"))), null);
const Key = v.pipe(v.string(), v.minLength(1, "is required"), v.maxLength(200, "is too long"));

const CallRef = v.object({
  vendorCallId: Key,
  callId: Text(100),
  direction: v.optional(v.nullable(v.picklist(CALL_DIRECTIONS)), null),
  customerNumber: Text(40),
  customerName: Text(200),
  clinicNumber: Text(40),
});
const Base = { call: CallRef, occurredAt: When };
const Ending = {
  status: v.picklist(CALL_STATUSES),
  endedReason: Text(200),
  startedAt: MaybeWhen,
  endedAt: MaybeWhen,
};
const ToolOutcome = v.object({ toolCallId: Key, name: Key, succeeded: v.boolean() });

const EventSchema = v.variant("type", [
  v.object({ type: v.literal("CallStarted"), ...Base, startedAt: MaybeWhen }),
  v.object({ type: v.literal("CallStatusChanged"), ...Base, status: v.picklist(CALL_STATUSES) }),
  v.object({ type: v.literal("CallEnded"), ...Base, ...Ending }),
  v.object({
    type: v.literal("CallReport"),
    ...Base,
    ...Ending,
    durationSeconds: v.optional(v.nullable(v.pipe(v.number(), v.minValue(0))), null),
    transcript: Text(1_000_000),
    summary: Text(10_000),
    analysis: v.optional(
      v.nullable(
        v.object({
          sentiment: v.optional(
            v.nullable(
              v.object({
                score: v.pipe(v.number(), v.minValue(-1), v.maxValue(1)),
                label: v.picklist(SENTIMENT_LABELS),
                summary: Text(10_000),
                urgency: v.picklist(["low", "medium", "high"]),
              }),
            ),
            null,
          ),
          bookingConfirmed: v.optional(v.nullable(v.boolean()), null),
          callbackRequested: v.optional(v.nullable(v.boolean()), null),
        }),
      ),
      null,
    ),
    toolCalls: v.optional(v.array(ToolOutcome), []),
    recordingUrl: Text(2_000),
    transfer: v.optional(v.nullable(v.object({ to: Text(100), at: MaybeWhen, reason: Text(500) })), null),
  }),
  v.object({
    type: v.literal("ToolCalled"),
    ...Base,
    toolCallId: Key,
    name: Key,
    arguments: v.optional(v.record(v.string(), v.unknown()), {}),
    succeeded: v.optional(v.nullable(v.boolean()), null),
  }),
  v.object({
    type: v.literal("CallTransferred"),
    ...Base,
    transfer: v.object({ to: Text(100), at: MaybeWhen, reason: Text(500) }),
  }),
  v.object({
    type: v.literal("SmsStatusReported"),
    vendorMessageId: Key,
    messageId: Text(100),
    status: v.picklist(MESSAGE_STATUSES),
    errorCode: Text(20),
    occurredAt: When,
  }),
  v.object({
    type: v.literal("SmsReceived"),
    vendorMessageId: Key,
    from: Key,
    to: Key,
    body: v.pipe(v.string(), v.maxLength(10_000, "is too long")),
    occurredAt: When,
    optOutType: v.optional(v.nullable(v.picklist(SMS_OPT_OUT_TYPES)), null),
  }),
]);

const PayloadSchema = v.union([EventSchema, v.pipe(v.array(EventSchema), v.maxLength(100, "has too many events"))]);

export const nativeDecoder: EventDecoder = {
  provider: "voxanne",
  decode(entry) {
    const decoded = validate(PayloadSchema, entry.payload, "EVENT_INVALID");
    return (Array.isArray(decoded) ? decoded : [decoded]) as VoxanneEvent[];
  },
};
