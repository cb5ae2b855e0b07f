import type { PhoneNumber } from "./phone.ts";

export const LEAD_STATUSES = ["new", "contacted", "qualified", "booked", "converted", "lost"] as const;
export type LeadStatus = (typeof LEAD_STATUSES)[number];

export const LEAD_TEMPERATURES = ["hot", "warm", "cold"] as const;
export type LeadTemperature = (typeof LEAD_TEMPERATURES)[number];

/** A caller or texter of the clinic: a lead. */
export interface Contact {
  id: string;
  orgId: string;
  phone: PhoneNumber;
  name: string | null;
  email: string | null;
  leadStatus: LeadStatus;
  /** 0–100; the highest score of the contact's calls. */
  leadScore: number;
  leadTemperature: LeadTemperature;
  lastContactedAt: Date | null;
  /** Set when the contact texted STOP; SMS to them is refused until START. */
  smsOptedOutAt: Date | null;
  createdAt: Date;
}

/**
 * The forward-only order of lead statuses. `lost` sits above everything below `booked`,
 * so a lost lead is lifted only by a booking (or a person marking it converted).
 */
const STATUS_RANK: Record<LeadStatus, number> = {
  new: 0,
  contacted: 1,
  qualified: 2,
  lost: 3,
  booked: 4,
  converted: 5,
};

/**
 * The forward-only lead status rule: the status after asking to move `current` to `next`.
 * Status never moves back along new < contacted < qualified < booked < converted; `lost`
 * applies only below `booked`. It is a maximum, so any order of the same requests gives
 * the same status (what makes projections order-independent).
 */
export function advanceLeadStatus(current: LeadStatus, next: LeadStatus): LeadStatus {
  return STATUS_RANK[next] > STATUS_RANK[current] ? next : current;
}

/** hot ≥ 70, warm 40–69, cold < 40. */
export function temperatureOf(score: number): LeadTemperature {
  if (score >= 70) return "hot";
  if (score >= 40) return "warm";
  return "cold";
}
