/**
 * @voxanne/adapter-vapi: how calls reach Voxanne and how it places callbacks. Authenticated Vapi
 * webhooks into the event log (`vapiWebhookHandler`), their decoding into core events
 * (`vapiDecoder`), the booking tool (`answerToolCalls`), outbound calls on Vapi's REST API
 * (`vapiTelephony`) and a filesystem recording store (`filesystemRecordings`).
 * @module
 */
export type { VapiAuthErrorCode, VapiAuthResult, VapiRequest } from "./auth.ts";
export { safeEqual, timestampMs, VAPI_AUTH_ERRORS, verifyVapiRequest } from "./auth.ts";
export { callRefOf, occurredAtOf, vapiDecoder } from "./decoder.ts";
export type { VapiMessageType, VapiServerMessage, VapiToolCall } from "./messages.ts";
export {
  parseVapiEnvelope,
  parseVapiMessage,
  toolCallsOf,
  VAPI_MESSAGE_INVALID,
  VAPI_MESSAGE_TYPES,
} from "./messages.ts";
export type { FilesystemRecordings, FilesystemRecordingsOptions } from "./recordings.ts";
export { filesystemRecordings } from "./recordings.ts";
export { statusOfEndedReason, statusOfProgress } from "./statuses.ts";
export type { VapiTelephonyOptions } from "./telephony.ts";
export { VapiApiError, vapiTelephony } from "./telephony.ts";
export type { ToolCallContext, ToolCallRequest, ToolCallResult } from "./toolCalls.ts";
export { answerToolCalls, TOOL_ANSWERS } from "./tools.ts";
export type {
  VapiWebhookLog,
  VapiWebhookLogLevel,
  VapiWebhookOptions,
  VapiWebhookRequest,
  VapiWebhookResponse,
} from "./webhooks.ts";
export { DEFAULT_MAX_BODY_BYTES, TOOL_FAILURES, vapiEventKey, vapiWebhookHandler } from "./webhooks.ts";
