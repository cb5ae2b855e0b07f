/**
 * The webhooks Vapi sends for an outbound call it placed (status-update in-progress, status-update
 * ended, end-of-call-report), built from the shared fixtures with the placed call's id, customer,
 * assistant, phone number and `assistantOverrides` (so our call id comes back, as it does live).
 */
import type { VapiCall, VapiMessage } from "./vapiFixtures.ts";
import { readVapiFixture, rebrand } from "./vapiFixtures.ts";

/** How the call went: each is one of the fixture reports. */
export type CallOutcome = "answered" | "voicemail" | "no-answer";

export interface CallScenarioOptions {
  /** Default `answered` (the outbound callback report). */
  outcome?: CallOutcome;
  /**
   * The recording URL every recording field of the report carries (e.g. a local test server);
   * `null` removes them. Default: the fixture's URLs, with the call id replaced.
   */
  recordingUrl?: string | null;
  /** When the call was created; every fixture time moves with it. Default: the placed call's `createdAt`. */
  at?: Date;
}

const REPORTS: Record<CallOutcome, string> = {
  answered: "end-of-call-report.outbound-callback.json",
  voicemail: "end-of-call-report.outbound-voicemail.json",
  "no-answer": "end-of-call-report.outbound-no-answer.json",
};

/**
 * The messages Vapi would POST for `placed`, oldest first: in-progress (only when the call
 * connected), ended, then the end-of-call report.
 */
export async function callMessages(placed: VapiCall, options: CallScenarioOptions = {}): Promise<VapiMessage[]> {
  const { message: fixture } = await readVapiFixture<{ message: VapiMessage }>(REPORTS[options.outcome ?? "answered"]);
  const at = options.at?.getTime() ?? Date.parse(placed.createdAt);
  const shifted = shiftTimes(rebrand(fixture, fixture.call.id, placed.id), at - Date.parse(fixture.call.createdAt));
  const report = asPlaced(withRecording(shifted, options.recordingUrl), placed, {});
  const { startedAt, endedReason, call } = report;
  const endedAt = report.endedAt ?? call.updatedAt;
  const times = { createdAt: call.createdAt, ...(startedAt && { startedAt }) };

  const messages: VapiMessage[] = [];
  if (startedAt) {
    messages.push(
      await statusUpdate("status-update.in-progress.json", placed, Date.parse(startedAt) + 40, {
        ...times,
        status: "in-progress",
        updatedAt: startedAt,
      }),
    );
  }
  const ended = await statusUpdate("status-update.ended.json", placed, Date.parse(endedAt) + 150, {
    ...times,
    status: "ended",
    updatedAt: endedAt,
    endedAt,
    ...(endedReason && { endedReason }),
  });
  messages.push({ ...ended, ...(endedReason && { endedReason }), artifact: liveArtifact(report) }, report);
  return messages;
}

/** A status-update fixture (of another call) made to describe `placed` at `timestamp`. */
async function statusUpdate(
  name: string,
  placed: VapiCall,
  timestamp: number,
  patch: Partial<VapiCall>,
): Promise<VapiMessage> {
  const { message } = await readVapiFixture<{ message: VapiMessage }>(name);
  const own = rebrand(message, message.call.id, placed.id);
  own.call = omit(own.call, ["startedAt", "endedAt", "endedReason", "cost"]) as VapiCall;
  return { ...asPlaced(own, placed, patch), timestamp };
}

/** `message` about `placed`: its identity fields replace the fixture call's, `patch` last. */
function asPlaced(message: VapiMessage, placed: VapiCall, patch: Partial<VapiCall>): VapiMessage {
  const base = omit(message.call, ["name", "assistantOverrides"]) as VapiCall;
  const call: VapiCall = {
    ...base,
    id: placed.id,
    type: placed.type,
    customer: placed.customer,
    ...(placed.assistantId && { assistantId: placed.assistantId }),
    ...(placed.phoneNumberId && { phoneNumberId: placed.phoneNumberId }),
    ...(placed.assistantOverrides && { assistantOverrides: placed.assistantOverrides }),
    ...(placed.name && { name: placed.name }),
    ...patch,
  };
  const phoneNumber = message.phoneNumber && {
    ...message.phoneNumber,
    id: placed.phoneNumberId ?? message.phoneNumber.id,
    ...(placed.assistantId && { assistantId: placed.assistantId }),
  };
  return { ...message, call, customer: placed.customer, ...(phoneNumber && { phoneNumber }) };
}

const LEGACY_RECORDING_FIELDS = ["recordingUrl", "stereoRecordingUrl"];

/** The report with its recording fields (current and legacy) pointing at `url`, or removed (null). */
function withRecording(report: VapiMessage, url: string | null | undefined): VapiMessage {
  if (url === undefined) return report;
  const artifact = omit(report.artifact ?? {}, ["recording", ...LEGACY_RECORDING_FIELDS]);
  const withoutRecording = { ...omit(report, LEGACY_RECORDING_FIELDS), artifact } as VapiMessage;
  if (url === null) return withoutRecording;
  const legacy = { recordingUrl: url, stereoRecordingUrl: url };
  const recording = { stereoUrl: url, mono: { combinedUrl: url, assistantUrl: url, customerUrl: url } };
  return { ...withoutRecording, ...legacy, artifact: { ...artifact, recording, ...legacy } };
}

/** The live artifact a status-update carries: the report's conversation, without recordings. */
function liveArtifact(report: VapiMessage): Record<string, unknown> {
  const { messages = [], messagesOpenAIFormatted = [], transcript } = report.artifact ?? {};
  return { messages, messagesOpenAIFormatted, ...(typeof transcript === "string" && { transcript }) };
}

const ISO_TIME_FIELDS = new Set(["createdAt", "updatedAt", "startedAt", "endedAt"]);
const MS_TIME_FIELDS = new Set(["timestamp", "time", "endTime"]);

/** `value` with every time field (ISO strings and epoch-ms numbers, by name) moved by `deltaMs`. */
export function shiftTimes<T>(value: T, deltaMs: number): T {
  if (Array.isArray(value)) return value.map((item) => shiftTimes(item, deltaMs)) as T;
  if (typeof value !== "object" || value === null) return value;
  const entries = Object.entries(value).map(([key, field]) => {
    if (ISO_TIME_FIELDS.has(key) && typeof field === "string" && !Number.isNaN(Date.parse(field))) {
      return [key, new Date(Date.parse(field) + deltaMs).toISOString()];
    }
    if (MS_TIME_FIELDS.has(key) && typeof field === "number") return [key, field + deltaMs];
    return [key, shiftTimes(field, deltaMs)];
  });
  return Object.fromEntries(entries) as T;
}

function omit<T extends object>(value: T, keys: readonly string[]): Partial<T> {
  return Object.fromEntries(Object.entries(value).filter(([key]) => !keys.includes(key))) as Partial<T>;
}
