/** Valibot shapes of an organization's settings. */
import * as v from "valibot";
import { Phone } from "../shared/schemas.ts";

export const TimeZone = v.pipe(
  v.string(),
  v.check((tz) => {
    try {
      new Intl.DateTimeFormat("en-US", { timeZone: tz });
      return true;
    } catch {
      return false;
    }
  }, "must be an IANA time zone such as America/New_York"),
);

export const Currency = v.pipe(v.string(), v.regex(/^[A-Z]{3}$/, "must be an ISO 4217 code such as USD"));

const AgentId = v.pipe(v.string(), v.trim(), v.minLength(1, "must not be empty"), v.maxLength(100, "is too long"));
const Secret = v.pipe(v.string(), v.minLength(16, "must be at least 16 characters"), v.maxLength(500, "is too long"));
const HeaderName = v.pipe(v.string(), v.regex(/^[A-Za-z0-9-]{1,100}$/, "must be an HTTP header name"));

export const VapiWebhookAuthInput = v.variant("type", [
  v.object({ type: v.literal("none") }),
  v.object({ type: v.literal("secretHeader"), headerName: v.optional(HeaderName, "x-vapi-secret"), secret: Secret }),
  v.object({ type: v.literal("bearer"), token: Secret }),
  v.object({
    type: v.literal("hmac"),
    secret: Secret,
    algorithm: v.optional(v.picklist(["sha256", "sha512", "sha1"]), "sha256"),
    signatureHeader: v.optional(HeaderName, "x-signature"),
    timestampHeader: v.optional(HeaderName, "x-timestamp"),
    maxSkewSeconds: v.optional(v.pipe(v.number(), v.integer(), v.minValue(1), v.maxValue(3600)), 300),
  }),
]);

/** Every agent setting, each optional: the same shape creates and patches. */
export const AgentConfigInput = v.partial(
  v.object({
    assistantIds: v.pipe(v.array(AgentId), v.maxLength(50, "has too many entries")),
    outboundAssistantId: v.nullable(AgentId),
    phoneNumberId: v.nullable(AgentId),
    smsFrom: v.nullable(v.pipe(v.string(), v.trim(), v.minLength(1), v.maxLength(40, "is too long"))),
    hotLeadAlertNumbers: v.pipe(v.array(Phone), v.maxLength(10, "has too many entries")),
    vapiWebhookAuth: VapiWebhookAuthInput,
    bookingToolNames: v.pipe(v.array(AgentId), v.minLength(1, "needs at least one tool"), v.maxLength(10)),
  }),
);
