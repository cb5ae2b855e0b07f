import type { PhoneNumber } from "./phone.ts";

export const CALL_DIRECTIONS = ["inbound", "outbound"] as const;
export type CallDirection = (typeof CALL_DIRECTIONS)[number];

export const CALL_STATUSES = [
  "pending",
  "initiated",
  "ringing",
  "in_progress",
  "completed",
  "failed",
  "no_answer",
  "busy",
  "canceled",
] as const;
export type CallStatus = (typeof CALL_STATUSES)[number];

export const TERMINAL_CALL_STATUSES: readonly CallStatus[] = ["completed", "failed", "no_answer", "busy", "canceled"];
export const isTerminal = (s: CallStatus) => TERMINAL_CALL_STATUSES.includes(s);

export const RECORDING_STATUSES = ["pending", "processing", "completed", "failed"] as const;
export type RecordingStatus = (typeof RECORDING_STATUSES)[number];

export const SENTIMENT_LABELS = ["positive", "neutral", "negative"] as const;
export type SentimentLabel = (typeof SENTIMENT_LABELS)[number];
export type Urgency = "low" | "medium" | "high";

export interface Sentiment {
  /** −1 (very negative) .. 1 (very positive). */
  score: number;
  label: SentimentLabel;
  summary: string | null;
  urgency: Urgency;
  /** Where it came from: the vendor's own analysis, or our analyser. */
  source: "vendor" | "analyser";
}

/** One named contribution to a lead score, e.g. `{ reason: "service: Facelift", points: 25 }`. */
export interface ScoreReason {
  reason: string;
  points: number;
}

export interface Transfer {
  to: string | null;
  at: Date | null;
  reason: string | null;
}

/** A tool the voice agent called during the call, as far as we know its outcome. */
export interface ToolInvocation {
  toolCallId: string;
  name: string;
  succeeded: boolean;
}

/** One phone call, inbound or outbound. */
export interface Call {
  id: string;
  orgId: string;
  /** The vendor's id; null until the vendor accepted an outbound call. Unique per org. */
  vendorCallId: string | null;
  direction: CallDirection;
  status: CallStatus;
  fromNumber: PhoneNumber | null;
  toNumber: PhoneNumber | null;
  contactId: string | null;
  startedAt: Date | null;
  endedAt: Date | null;
  durationSeconds: number | null;
  endedReason: string | null;
  transcript: string | null;
  summary: string | null;
  sentiment: Sentiment | null;
  toolCalls: ToolInvocation[];
  bookingConfirmed: boolean;
  financialValueCents: number;
  pricedServiceId: string | null;
  leadScore: number | null;
  leadScoreReasons: ScoreReason[];
  recordingStatus: RecordingStatus;
  recordingUrl: string | null;
  /** Where the stored copy of the recording lives (set by the recording job). */
  recordingLocation: string | null;
  transfer: Transfer | null;
  deletedAt: Date | null;
  metadata: Record<string, unknown>;
  createdAt: Date;
  updatedAt: Date;
}

/** Where a status sits in a call's life: a status never moves to a lower stage. */
export const CALL_STATUS_STAGE: Record<CallStatus, number> = {
  pending: 0,
  initiated: 1,
  ringing: 2,
  in_progress: 3,
  // Terminal outcomes: when two disagree the more informative one wins (completed > failed...).
  canceled: 4,
  busy: 5,
  no_answer: 6,
  failed: 7,
  completed: 8,
};

/** The later of two statuses in a call's life (a join, so event order does not matter). */
export const laterCallStatus = (a: CallStatus, b: CallStatus): CallStatus =>
  CALL_STATUS_STAGE[b] > CALL_STATUS_STAGE[a] ? b : a;
