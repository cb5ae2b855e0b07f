import type { PhoneNumber } from "./phone.ts";

/** How Vapi authenticates its webhooks for this org (Vapi has no fixed scheme). */
export type VapiWebhookAuth =
  | { type: "none" }
  | { type: "secretHeader"; headerName: string; secret: string }
  | { type: "bearer"; token: string }
  | {
      type: "hmac";
      secret: string;
      algorithm: "sha256" | "sha512" | "sha1";
      signatureHeader: string;
      timestampHeader: string;
      maxSkewSeconds: number;
    };

/** The org's voice agent and messaging settings. */
export interface AgentConfig {
  /** Its Vapi assistants: a webhook naming one of them belongs to this org. */
  assistantIds: string[];
  outboundAssistantId: string | null;
  phoneNumberId: string | null;
  smsFrom: string | null;
  hotLeadAlertNumbers: PhoneNumber[];
  vapiWebhookAuth: VapiWebhookAuth;
  /** Tool names that mean "an appointment was booked". */
  bookingToolNames: string[];
}

export interface Organization {
  id: string;
  name: string;
  /** IANA time zone, e.g. `America/New_York`. */
  timezone: string;
  /** ISO 4217 code; all money is integer minor units (cents) of it. */
  currency: string;
  agent: AgentConfig;
  createdAt: Date;
}

export const defaultAgentConfig = (): AgentConfig => ({
  assistantIds: [],
  outboundAssistantId: null,
  phoneNumberId: null,
  smsFrom: null,
  hotLeadAlertNumbers: [],
  vapiWebhookAuth: { type: "none" },
  bookingToolNames: ["book_appointment"],
});
