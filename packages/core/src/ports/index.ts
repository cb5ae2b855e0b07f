export type * from "./clock.ts";
export { systemClock } from "./clock.ts";
export type * from "./eventDecoder.ts";
export type * from "./liveEvents.ts";
export type * from "./recordingStore.ts";
export type * from "./sentiment.ts";
export type * from "./sms.ts";
export type * from "./storage.ts";
export type * from "./telephony.ts";
