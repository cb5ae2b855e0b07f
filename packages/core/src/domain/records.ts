/**
 * Blank records: one place that knows every field's starting value, used by the use cases and
 * by tests that build data.
 */
import type { Call, CallDirection } from "./call.ts";
import type { Contact } from "./contact.ts";
import type { Organization } from "./organization.ts";
import { defaultAgentConfig } from "./organization.ts";

export function newContact(fields: Pick<Contact, "id" | "orgId" | "phone" | "createdAt"> & Partial<Contact>): Contact {
  return {
    name: null,
    email: null,
    leadStatus: "new",
    leadScore: 0,
    leadTemperature: "cold",
    lastContactedAt: null,
    smsOptedOutAt: null,
    ...fields,
  };
}

export function newCall(
  fields: Pick<Call, "id" | "orgId" | "createdAt"> & { direction: CallDirection } & Partial<Call>,
): Call {
  return {
    vendorCallId: null,
    status: "pending",
    fromNumber: null,
    toNumber: null,
    contactId: null,
    startedAt: null,
    endedAt: null,
    durationSeconds: null,
    endedReason: null,
    transcript: null,
    summary: null,
    sentiment: null,
    toolCalls: [],
    bookingConfirmed: false,
    financialValueCents: 0,
    pricedServiceId: null,
    leadScore: null,
    leadScoreReasons: [],
    recordingStatus: "pending",
    recordingUrl: null,
    recordingLocation: null,
    transfer: null,
    deletedAt: null,
    metadata: {},
    updatedAt: fields.createdAt,
    ...fields,
  };
}

export function newOrganization(
  fields: Pick<Organization, "id" | "name" | "createdAt"> &
    Partial<Omit<Organization, "agent">> & {
      agent?: Partial<Organization["agent"]>;
    },
): Organization {
  const { agent, ...rest } = fields;
  return { timezone: "UTC", currency: "USD", ...rest, agent: { ...defaultAgentConfig(), ...agent } };
}
