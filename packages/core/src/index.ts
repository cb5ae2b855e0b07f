/**
 * @voxanne/core: the domain, ports and use cases of Voxanne. No I/O: adapters bring storage,
 * telephony, SMS and live updates; `createVoxanne` wires them.
 * @module
 */

export type { Voxanne, VoxanneOptions } from "./createVoxanne.ts";
export { createVoxanne } from "./createVoxanne.ts";
export * from "./domain/index.ts";
export type { LiveFanOut, LiveFanOutOptions, LiveListener } from "./live/liveFanOut.ts";
export { liveFanOut } from "./live/liveFanOut.ts";
export type * from "./ports/index.ts";
export { systemClock } from "./ports/index.ts";
export type { BookAppointmentInput, Booking } from "./usecases/appointments/bookAppointment.ts";
export { BOOKING_ERRORS, bookAppointment } from "./usecases/appointments/bookAppointment.ts";
export type { Deps, RetryPolicy } from "./usecases/context.ts";
export { applyCallEvent } from "./usecases/events/applyCallEvent.ts";
export { nativeDecoder } from "./usecases/events/nativeDecoder.ts";
export type { OutboxHandler } from "./usecases/outbox/deliverOutbox.ts";
export { hotLeadAlertText } from "./usecases/outbox/hotLeadAlert.ts";
export { DEFAULT_RETRY, nextAttemptAt } from "./usecases/outbox/retryPolicy.ts";
export type { PriceMatcher, PricingResult } from "./usecases/pricing/priceMatcher.ts";
export { compilePriceList, PriceMatcherCache } from "./usecases/pricing/priceMatcher.ts";
export { signRecordingLink, verifyRecordingLink } from "./usecases/recordings/recordingLink.ts";
export type { LeadFacts, ScoringSettings } from "./usecases/scoring/scoreLead.ts";
export { DEFAULT_SCORING, detectIntent, scoreLead } from "./usecases/scoring/scoreLead.ts";
export { lexiconSentiment } from "./usecases/sentiment/lexiconSentiment.ts";
export { validate } from "./usecases/shared/validate.ts";
export { optOutIntent } from "./usecases/sms/optOutKeywords.ts";
export { callerSpeech, normaliseKeyword, tokenize } from "./usecases/transcript/words.ts";
