/**
 * What an end-of-call report says beyond times and status: tool outcomes from the transcript
 * messages, the recording's URL, the vendor's own analysis and a transfer. Each reads the current
 * field first and the deprecated ones after it (vapi.md §8), and never refuses a report.
 */
import type { Sentiment, SentimentLabel, Transfer, Urgency, VendorAnalysis } from "@voxanne/core";
import { SENTIMENT_LABELS } from "@voxanne/core";
import type * as v from "valibot";
import type { EndOfCallReport } from "./messages.ts";
import { isPlainObject } from "./messages.ts";

type Report = v.InferOutput<typeof EndOfCallReport>;
type ToolOutcome = { toolCallId: string; name: string; succeeded: boolean };

const str = (x: unknown): string | null => (typeof x === "string" && x.trim() !== "" ? x : null);
/** Cuts a text to what its column holds (transfer target and reason). */
const cut = (x: string | null, max: number) => (x === null ? null : x.slice(0, max));

/** Result statuses a tool server uses to say it did not do the job. */
const FAILED_STATUSES = new Set(["error", "failed", "failure", "refused", "rejected", "unavailable", "conflict"]);

/**
 * Whether a tool's answer, as the transcript kept it, means success: an `error` field, a result
 * starting with "error", or a JSON result with `error`, `ok: false`, `success: false` or a failure
 * `status` means failure; any other non-empty result is a success.
 */
function succeeded(entry: Record<string, unknown>): boolean {
  if (entry.error !== undefined && entry.error !== null) return false;
  const result = entry.result;
  if (result === undefined || result === null || result === "") return false;
  let parsed: unknown = result;
  if (typeof result === "string") {
    if (/^\s*error\b/i.test(result)) return false;
    try {
      parsed = JSON.parse(result);
    } catch {
      return true;
    }
  }
  if (!isPlainObject(parsed)) return true;
  const status = typeof parsed.status === "string" ? parsed.status.toLowerCase() : null;
  return !(
    (parsed.error !== undefined && parsed.error !== null) ||
    parsed.ok === false ||
    parsed.success === false ||
    (status !== null && FAILED_STATUSES.has(status))
  );
}

const nameOf = (x: Record<string, unknown>) =>
  str(isPlainObject(x.function) ? x.function.name : null) ??
  str(isPlainObject(x.functionCall) ? x.functionCall.name : null) ??
  str(x.name);

/**
 * The tool calls in the transcript with their outcome: `tool_calls` entries answered by a
 * `tool_call_result` of the same id; legacy `function_call` / `function_result` entries carry no
 * id, so the n-th result of a name answers the n-th call of that name. A call with no result failed.
 */
export function toolOutcomes(messages: readonly unknown[] | null): ToolOutcome[] {
  const calls = new Map<string, ToolOutcome>();
  const legacyCalls = new Map<string, string[]>();
  const legacyAnswered = new Map<string, number>();
  for (const entry of messages ?? []) {
    if (!isPlainObject(entry)) continue;
    if (entry.role === "tool_calls" && Array.isArray(entry.toolCalls)) {
      for (const tc of entry.toolCalls) {
        const id = isPlainObject(tc) ? str(tc.id) : null;
        const name = isPlainObject(tc) ? nameOf(tc) : null;
        if (id && name && !calls.has(id)) calls.set(id, { toolCallId: id, name, succeeded: false });
      }
    } else if (entry.role === "tool_call_result") {
      const known = calls.get(str(entry.toolCallId) ?? "");
      if (known) known.succeeded ||= succeeded(entry);
    } else if (entry.role === "function_call") {
      const name = nameOf(entry);
      if (!name) continue;
      const ids = legacyCalls.get(name) ?? [];
      const id = str(entry.id) ?? str(entry.toolCallId) ?? `function_call:${name}:${ids.length}`;
      ids.push(id);
      legacyCalls.set(name, ids);
      if (!calls.has(id)) calls.set(id, { toolCallId: id, name, succeeded: false });
    } else if (entry.role === "function_result") {
      const name = nameOf(entry);
      const n = legacyAnswered.get(name ?? "") ?? 0;
      const id = name ? legacyCalls.get(name)?.[n] : undefined;
      const known = id ? calls.get(id) : undefined;
      if (!name || !known) continue;
      legacyAnswered.set(name, n + 1);
      known.succeeded ||= succeeded(entry);
    }
  }
  return [...calls.values()];
}

/** The recording: `artifact.recording` (stereo, then mono), then the deprecated URL fields. */
export function recordingUrlOf(report: Report): string | null {
  const { artifact } = report;
  const recording = artifact?.recording;
  const current =
    typeof recording === "string" ? str(recording) : (str(recording?.stereoUrl) ?? str(recording?.mono?.combinedUrl));
  return (
    current ??
    str(artifact?.recordingUrl) ??
    str(artifact?.stereoRecordingUrl) ??
    str(report.recordingUrl) ??
    str(report.stereoRecordingUrl) ??
    str(report.call.recordingUrl) ??
    str(report.call.stereoRecordingUrl)
  );
}

/** Where the call went, from a `destination` (number, SIP URI or assistant); null when none is named. */
export function transferOf(
  destination: {
    number: string | null;
    sipUri: string | null;
    assistantName: string | null;
    description: string | null;
  } | null,
  at: Date | null,
): Transfer | null {
  const to = str(destination?.number) ?? str(destination?.sipUri) ?? str(destination?.assistantName);
  if (!destination || !to) return null;
  return { to: cut(to, 100), at, reason: cut(str(destination.description), 500) };
}

const URGENCIES: readonly Urgency[] = ["low", "medium", "high"];
/** The score we give a label the vendor sent without one. */
const LABEL_SCORE: Record<SentimentLabel, number> = { positive: 0.5, neutral: 0, negative: -0.5 };

const asLabel = (x: unknown) =>
  typeof x === "string" && (SENTIMENT_LABELS as readonly string[]).includes(x.toLowerCase())
    ? (x.toLowerCase() as SentimentLabel)
    : null;
const asUrgency = (x: unknown) =>
  typeof x === "string" && (URGENCIES as readonly string[]).includes(x.toLowerCase())
    ? (x.toLowerCase() as Urgency)
    : null;
const asScore = (x: unknown) => {
  const n = typeof x === "string" ? Number(x) : x;
  return typeof n === "number" && Number.isFinite(n) && n >= -1 && n <= 1 ? n : null;
};
const asBoolean = (x: unknown) => (typeof x === "boolean" ? x : x === "true" ? true : x === "false" ? false : null);

/**
 * The vendor's sentiment, when the assistant's `structuredDataSchema` asks for one. Read from
 * `structuredData.sentiment`, either a label (`"positive" | "neutral" | "negative"`) or an object
 * `{label?, score? (−1..1), summary?, urgency?}`, with `structuredData.urgency` as a fallback
 * (default `low`). A label alone gets a fixed score (±0.5, 0); a score alone gets its label.
 */
function sentimentOf(data: Record<string, unknown>): Omit<Sentiment, "source"> | null {
  const raw = data.sentiment;
  const fields = isPlainObject(raw) ? raw : { label: raw };
  const score = asScore(fields.score);
  const label =
    asLabel(fields.label) ??
    (score === null ? null : score >= 0.25 ? "positive" : score <= -0.25 ? "negative" : "neutral");
  if (!label) return null;
  return {
    score: score ?? LABEL_SCORE[label],
    label,
    summary: str(fields.summary),
    urgency: asUrgency(fields.urgency) ?? asUrgency(data.urgency) ?? "low",
  };
}

/**
 * The vendor's analysis from `analysis.structuredData`: sentiment (above), `appointment_booked`
 * (or `bookingConfirmed`) and `callback_requested` (or `callbackRequested`). Null when it says
 * none of them, so the core runs its own analyser.
 */
export function vendorAnalysisOf(report: Report): VendorAnalysis | null {
  const data = report.analysis?.structuredData;
  if (!isPlainObject(data)) return null;
  const analysis: VendorAnalysis = {
    sentiment: sentimentOf(data),
    bookingConfirmed: asBoolean(data.appointment_booked ?? data.bookingConfirmed),
    callbackRequested: asBoolean(data.callback_requested ?? data.callbackRequested),
  };
  return Object.values(analysis).every((x) => x === null) ? null : analysis;
}
