/**
 * Valibot shapes of the Vapi server messages Voxanne reads (vendors/vapi.md §1–§5). Objects are
 * loose: Vapi adds fields often, so unknown ones pass and are kept in the logged payload. Only
 * what breaks a field we read is refused, and each issue names its path (`message.call.id`).
 * Fields Vapi's own SDK types get wrong are read in every form seen: times as ISO strings or epoch
 * numbers, tool arguments as an object or a JSON string, `structuredData` of any shape.
 */
import { ValidationFailed } from "@voxanne/core";
import * as v from "valibot";

/** The message types Voxanne acts on; every other type is acknowledged and ignored. */
export const VAPI_MESSAGE_TYPES = [
  "status-update",
  "end-of-call-report",
  "tool-calls",
  "function-call",
  "transfer-update",
  "hang",
] as const;
export type VapiMessageType = (typeof VAPI_MESSAGE_TYPES)[number];
export const isVapiMessageType = (type: string): type is VapiMessageType =>
  (VAPI_MESSAGE_TYPES as readonly string[]).includes(type);

export const isPlainObject = (x: unknown): x is Record<string, unknown> =>
  typeof x === "object" && x !== null && !Array.isArray(x);

const Text = v.optional(v.nullable(v.string("must be a string")), null);
const Key = (max: number) =>
  v.pipe(v.string("must be a string"), v.minLength(1, "is required"), v.maxLength(max, "is too long"));
/** A free-form object (metadata, variable values); anything else reads as absent. */
const Bag = v.optional(
  v.pipe(
    v.unknown(),
    v.transform((x) => (isPlainObject(x) ? x : null)),
  ),
  null,
);

/** Epoch numbers below this are seconds, above it milliseconds (1e11 s is the year 5138, 1e11 ms is 1973). */
const EPOCH_MS_FROM = 1e11;

/** An ISO 8601 string (what the OAS says), or an epoch number in ms or s (what some payloads carry). */
export function toInstant(x: string | number): Date | null {
  if (typeof x === "number") return Number.isFinite(x) ? new Date(x < EPOCH_MS_FROM ? x * 1000 : x) : null;
  const text = x.trim();
  const date = /^\d+(\.\d+)?$/.test(text) ? toInstant(Number(text)) : new Date(text);
  return date && !Number.isNaN(date.getTime()) ? date : null;
}

const INSTANT = "must be an ISO date or an epoch time";
const Instant = v.optional(
  v.nullable(
    v.pipe(
      v.union([v.string(), v.number()], INSTANT),
      v.transform(toInstant),
      v.check((d) => d !== null, INSTANT),
    ),
  ),
  null,
);
/** A count (seconds, ms) that older payloads send as a number or a numeric string. */
const Amount = v.optional(
  v.nullable(
    v.pipe(
      v.union([v.number(), v.string()], "must be a number"),
      v.transform(Number),
      v.check((n) => Number.isFinite(n) && n >= 0, "must be a non-negative number"),
    ),
  ),
  null,
);

const Customer = v.looseObject({ number: Text, name: Text }, "must be an object");

export const VapiCall = v.looseObject(
  {
    id: Key(100),
    /** `inboundPhoneCall` | `outboundPhoneCall` | `webCall` | … : an open string. */
    type: Text,
    assistantId: Text,
    phoneNumberId: Text,
    customer: v.optional(v.nullable(Customer), null),
    assistantOverrides: v.optional(
      v.nullable(v.looseObject({ metadata: Bag, variableValues: Bag }, "must be an object")),
      null,
    ),
    createdAt: Instant,
    updatedAt: Instant,
    startedAt: Instant,
    endedAt: Instant,
    endedReason: Text,
    /** Dropped from the current `Call` schema, still in older payloads. */
    recordingUrl: Text,
    stereoRecordingUrl: Text,
  },
  "must be an object",
);

/** Where a call was transferred (`TransferDestinationNumber` / `…Sip` / `…Assistant`). */
const Destination = v.optional(
  v.nullable(
    v.looseObject(
      { type: Text, number: Text, sipUri: Text, assistantName: Text, description: Text },
      "must be an object",
    ),
  ),
  null,
);

/** Fields most message types carry (OAS `ServerMessage*`). */
const Common = {
  /** Epoch ms in practice; read in any epoch unit or as an ISO string. */
  timestamp: Instant,
  call: VapiCall,
  customer: v.optional(v.nullable(Customer), null),
  phoneNumber: v.optional(v.nullable(v.looseObject({ id: Text, number: Text }, "must be an object")), null),
  assistant: v.optional(v.nullable(v.looseObject({ id: Text }, "must be an object")), null),
};

/** The Vapi recording: `{stereoUrl, mono: {combinedUrl}}` today; a bare URL string is read too. */
const Recording = v.optional(
  v.nullable(
    v.union(
      [
        v.string(),
        v.looseObject({
          stereoUrl: Text,
          mono: v.optional(v.nullable(v.looseObject({ combinedUrl: Text })), null),
        }),
      ],
      "must be an object",
    ),
  ),
  null,
);

/** Transcript entries: roles are not enumerated by Vapi, so entries are read one by one (see `toolOutcomes`). */
const TranscriptMessages = v.optional(v.nullable(v.array(v.unknown(), "must be an array")), null);

const Artifact = v.looseObject(
  {
    transcript: Text,
    messages: TranscriptMessages,
    recording: Recording,
    recordingUrl: Text,
    stereoRecordingUrl: Text,
    variableValues: Bag,
  },
  "must be an object",
);

const Analysis = v.looseObject(
  {
    summary: Text,
    /** Its shape is the assistant's `structuredDataSchema`: any value, read defensively. */
    structuredData: v.optional(v.unknown()),
    /** A string in the OAS (`"true"`, `"8"`, `"Pass"`); not read. */
    successEvaluation: v.optional(v.unknown()),
  },
  "must be an object",
);

/** Tool arguments, an object or a JSON string of one; `null` when they cannot be read as an object. */
export function toArguments(raw: unknown): Record<string, unknown> | null {
  if (raw === undefined || raw === null || raw === "") return {};
  if (isPlainObject(raw)) return raw;
  if (typeof raw !== "string") return null;
  try {
    const parsed: unknown = JSON.parse(raw);
    return isPlainObject(parsed) ? parsed : null;
  } catch {
    return null;
  }
}

/** One tool call as the tool server needs it; `arguments` is null when unreadable (answered as a tool error). */
export interface VapiToolCall {
  id: string;
  name: string;
  arguments: Record<string, unknown> | null;
}

/**
 * One `toolCallList` entry, read the robust way (vapi.md §5.1): `id`; `function.name ?? name`;
 * `function.arguments ?? parameters ?? arguments`.
 */
const ToolCallItem = v.pipe(
  v.looseObject(
    {
      id: Key(200),
      name: Text,
      function: v.optional(
        v.nullable(v.looseObject({ name: Text, arguments: v.optional(v.unknown()) }, "must be an object")),
        null,
      ),
      parameters: v.optional(v.unknown()),
      arguments: v.optional(v.unknown()),
    },
    "must be an object",
  ),
  v.forward(
    v.check((tc) => Boolean(tc.function?.name ?? tc.name), "is required (as function.name or name)"),
    ["name"],
  ),
  v.transform(
    (tc): VapiToolCall => ({
      id: tc.id,
      name: (tc.function?.name ?? tc.name) as string,
      arguments: toArguments(tc.function?.arguments ?? tc.parameters ?? tc.arguments),
    }),
  ),
);
const ToolCallList = v.pipe(
  v.array(ToolCallItem, "must be an array"),
  v.minLength(1, "must not be empty"),
  v.maxLength(50, "has too many entries"),
);

export const StatusUpdate = v.looseObject({
  ...Common,
  type: v.literal("status-update"),
  /** `scheduled` | `queued` | `ringing` | `in-progress` | `forwarding` | `ended` | …: an open string. */
  status: Key(50),
  endedReason: Text,
  /** Only when `status` is `forwarding`. */
  destination: Destination,
});

export const EndOfCallReport = v.looseObject({
  ...Common,
  type: v.literal("end-of-call-report"),
  /** Required by the OAS, tolerated missing (then `call.endedReason`). */
  endedReason: Text,
  startedAt: Instant,
  endedAt: Instant,
  artifact: v.optional(v.nullable(Artifact), null),
  analysis: v.optional(v.nullable(Analysis), null),
  destination: Destination,
  // Legacy top-level duplicates (vapi.md §3.2): fallbacks only, never required.
  transcript: Text,
  summary: Text,
  messages: TranscriptMessages,
  recordingUrl: Text,
  stereoRecordingUrl: Text,
  durationSeconds: Amount,
  durationMs: Amount,
});

export const ToolCalls = v.pipe(
  v.looseObject({
    ...Common,
    type: v.literal("tool-calls"),
    toolCallList: v.optional(ToolCallList),
    /** A duplicate some payloads carry; read when `toolCallList` is missing. */
    toolCalls: v.optional(ToolCallList),
  }),
  v.forward(
    v.check((m) => (m.toolCallList ?? m.toolCalls) !== undefined, "is required"),
    ["toolCallList"],
  ),
);

/** The legacy `function-call` (vapi.md §5.4): one call, no id; `parameters` an object or a JSON string. */
export const FunctionCall = v.looseObject({
  ...Common,
  type: v.literal("function-call"),
  functionCall: v.looseObject(
    { name: Key(200), parameters: v.optional(v.unknown()), arguments: v.optional(v.unknown()) },
    "must be an object",
  ),
});

export const TransferUpdate = v.looseObject({
  ...Common,
  type: v.literal("transfer-update"),
  destination: Destination,
  toAssistant: v.optional(v.nullable(v.looseObject({ name: Text })), null),
});

export const Hang = v.looseObject({ ...Common, type: v.literal("hang") });

/** A POST body naming one of the types we act on, parsed whole. */
export const VapiServerMessage = v.looseObject(
  {
    message: v.variant("type", [StatusUpdate, EndOfCallReport, ToolCalls, FunctionCall, TransferUpdate, Hang]),
  },
  "must be a JSON object",
);
export type VapiServerMessage = v.InferOutput<typeof VapiServerMessage>["message"];

/** Just the envelope, `{message: {type}}`: enough to route a body and to refuse one that is not a message. */
export const VapiEnvelope = v.looseObject(
  { message: v.looseObject({ type: Key(100) }, "must be an object") },
  "must be a JSON object",
);

/** The `ValidationFailed` code of a payload that is not a Vapi message we can read. */
export const VAPI_MESSAGE_INVALID = "VAPI_MESSAGE_INVALID";

/**
 * Parses with a schema or throws `ValidationFailed` naming each bad field by its dotted path
 * (`body` for the whole payload). A missing key reads "is required" whatever its schema says.
 */
function read<S extends v.GenericSchema>(schema: S, payload: unknown): v.InferOutput<S> {
  const result = v.safeParse(schema, payload);
  if (result.success) return result.output;
  const issues = result.issues.map((issue) => ({
    path: v.getDotPath(issue) || "body",
    message: issue.input === undefined && issue.kind === "schema" ? "is required" : issue.message,
  }));
  throw new ValidationFailed(issues, VAPI_MESSAGE_INVALID);
}

/** Just `{message: {type}}`, or `ValidationFailed` naming the field. */
export const parseVapiEnvelope = (payload: unknown) => read(VapiEnvelope, payload);

/**
 * Parses a POST body: the message when its type is one we act on, `{type}` alone for any other
 * type, `ValidationFailed` (naming the field) when it is not a readable message.
 */
export function parseVapiMessage(
  payload: unknown,
): { known: true; message: VapiServerMessage } | { known: false; type: string } {
  const { message } = parseVapiEnvelope(payload);
  if (!isVapiMessageType(message.type)) return { known: false, type: message.type };
  return { known: true, message: read(VapiServerMessage, payload).message };
}

/**
 * Messages the webhook handler has just parsed, by payload object: the core's `receive` runs the
 * decoder on that same object right away, which takes the message instead of parsing it again.
 */
const justParsed = new WeakMap<object, VapiServerMessage>();

/** Hands `message`, parsed from `payload`, to the next decoding of `payload`. */
export function handOver(payload: object, message: VapiServerMessage): void {
  justParsed.set(payload, message);
}

/** The message handed over for `payload` (once), or undefined. */
export function takeHandedOver(payload: unknown): VapiServerMessage | undefined {
  if (!isPlainObject(payload)) return undefined;
  const message = justParsed.get(payload);
  justParsed.delete(payload);
  return message;
}

/** The tool calls of a `tool-calls` or legacy `function-call` message, in one form. */
export function toolCallsOf(message: VapiServerMessage): VapiToolCall[] {
  if (message.type === "tool-calls") return message.toolCallList ?? message.toolCalls ?? [];
  if (message.type !== "function-call") return [];
  const { name, parameters, arguments: args } = message.functionCall;
  return [{ id: legacyToolCallId(message), name, arguments: toArguments(parameters ?? args) }];
}

/**
 * A legacy `function-call` carries no tool call id; this one is the same for every delivery of one
 * message (call id and timestamp), which is what idempotent tools need.
 */
export function legacyToolCallId(message: { call: { id: string }; timestamp: Date | null }): string {
  return `function-call:${message.call.id}:${message.timestamp?.getTime() ?? "none"}`;
}
