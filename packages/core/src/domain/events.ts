/**
 * Core events: what a vendor payload means, in Voxanne's words. An EventDecoder turns each raw
 * logged payload into zero or more of these; the projector folds them into calls, contacts,
 * messages and metrics. Each call event carries all it knows about the call (`call`), so
 * whichever event arrives first can create it.
 */
import type { CallDirection, CallStatus, Sentiment, Transfer } from "./call.ts";
import type { MessageStatus } from "./message.ts";

/** What an event knows of its call. `callId` is ours, echoed back by the vendor for outbound calls. */
export interface CallRef {
  vendorCallId: string;
  callId?: string | null;
  direction?: CallDirection | null;
  /** The caller (inbound) or the person called (outbound). */
  customerNumber?: string | null;
  customerName?: string | null;
  /** The clinic's line. */
  clinicNumber?: string | null;
}

interface CallEventBase {
  call: CallRef;
  /** When the vendor says it happened. */
  occurredAt: Date;
}

export interface CallStarted extends CallEventBase {
  type: "CallStarted";
  startedAt: Date | null;
}

export interface CallStatusChanged extends CallEventBase {
  type: "CallStatusChanged";
  status: CallStatus;
}

export interface CallEnded extends CallEventBase {
  type: "CallEnded";
  status: CallStatus;
  endedReason: string | null;
  startedAt: Date | null;
  endedAt: Date | null;
}

/** The vendor's analysis of the call, when it made one; missing parts are null. */
export interface VendorAnalysis {
  sentiment: Omit<Sentiment, "source"> | null;
  bookingConfirmed: boolean | null;
  callbackRequested: boolean | null;
}

export interface CallReport extends CallEventBase {
  type: "CallReport";
  status: CallStatus;
  endedReason: string | null;
  startedAt: Date | null;
  endedAt: Date | null;
  durationSeconds: number | null;
  transcript: string | null;
  summary: string | null;
  analysis: VendorAnalysis | null;
  /** Tool calls seen in the report, with their outcome. */
  toolCalls: { toolCallId: string; name: string; succeeded: boolean }[];
  recordingUrl: string | null;
  transfer: Transfer | null;
}

export interface ToolCalled extends CallEventBase {
  type: "ToolCalled";
  toolCallId: string;
  name: string;
  arguments: Record<string, unknown>;
  /** Null when the outcome is not known yet (the tool runs after the event is logged). */
  succeeded: boolean | null;
}

/** The call was handed to another number (a person at the clinic, usually). */
export interface CallTransferred extends CallEventBase {
  type: "CallTransferred";
  transfer: Transfer;
}

export type CallEvent = CallStarted | CallStatusChanged | CallEnded | CallReport | ToolCalled | CallTransferred;

/** A vendor's delivery report for an SMS we sent. */
export interface SmsStatusReported {
  type: "SmsStatusReported";
  vendorMessageId: string;
  /** Our message id, when the vendor echoes it (e.g. in the status callback URL): finds a message whose vendor id is not saved yet. */
  messageId?: string | null;
  status: MessageStatus;
  errorCode: string | null;
  occurredAt: Date;
}

/** The opt-out verdict a vendor attached to an inbound SMS (Twilio's Advanced Opt-Out `OptOutType`). */
export const SMS_OPT_OUT_TYPES = ["STOP", "START", "HELP"] as const;
export type SmsOptOutType = (typeof SMS_OPT_OUT_TYPES)[number];

/** An SMS a person sent to the clinic. */
export interface SmsReceived {
  type: "SmsReceived";
  vendorMessageId: string;
  from: string;
  to: string;
  body: string;
  occurredAt: Date;
  /**
   * The vendor's own reading of the message as an opt-out keyword, when it made one: it wins over
   * the body, since the vendor may match custom keywords. `HELP` or none: the body's keywords apply.
   */
  optOutType?: SmsOptOutType | null;
}

export type MessageEvent = SmsStatusReported | SmsReceived;

export type VoxanneEvent = CallEvent | MessageEvent;

export const isCallEvent = (e: VoxanneEvent): e is CallEvent =>
  e.type === "CallStarted" ||
  e.type === "CallStatusChanged" ||
  e.type === "CallEnded" ||
  e.type === "CallReport" ||
  e.type === "ToolCalled" ||
  e.type === "CallTransferred";
