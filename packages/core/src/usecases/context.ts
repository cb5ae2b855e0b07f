/**
 * What every use case is given: the ports, and the few settings the rules read.
 * `createVoxanne` builds it once; use cases take it as their first argument.
 */
import type { Provider } from "../domain/eventLog.ts";
import type { Clock } from "../ports/clock.ts";
import type { EventDecoder } from "../ports/eventDecoder.ts";
import type { LiveEvents } from "../ports/liveEvents.ts";
import type { SentimentAnalyser } from "../ports/sentiment.ts";
import type { Sms } from "../ports/sms.ts";
import type { Storage } from "../ports/storage.ts";
import type { Telephony } from "../ports/telephony.ts";
import type { PriceMatcherCache } from "./pricing/priceMatcher.ts";
import type { ScoringSettings } from "./scoring/scoreLead.ts";

export interface RetryPolicy {
  /** Attempts before an event stays unprojected / an outbox item goes dead. */
  maxAttempts: number;
  baseDelayMs: number;
  maxDelayMs: number;
}

export interface Deps {
  storage: Storage;
  telephony: Telephony;
  sms: Sms;
  clock: Clock;
  live: LiveEvents;
  sentiment: SentimentAnalyser;
  decoders: ReadonlyMap<Provider, EventDecoder>;
  newId: () => string;
  /** Whether a RecordingStore is wired: only then do reports with a recording start a recording job. */
  keepsRecordings: boolean;
  scoring: ScoringSettings;
  prices: PriceMatcherCache;
  retry: RetryPolicy;
  /** Told about failures that no caller sees (background projection and delivery). */
  onError: (error: unknown, context: { what: string; orgId?: string }) => void;
}
