/** A time window; either end may be open. `from` inclusive, `to` exclusive. */
export interface TimeRange {
  from?: Date | undefined;
  to?: Date | undefined;
}

/**
 * The dashboard pulse of one organization over calls in a range (by creation time),
 * soft-deleted calls excluded.
 */
export interface Pulse {
  totalCalls: number;
  inboundCalls: number;
  /** Calls with a confirmed booking, any direction. */
  bookings: number;
  /** Booked inbound calls / inbound calls × 100, rounded to one decimal; 0 when there are none. */
  successRate: number;
  /** Sum of the calls' financial value. */
  pipelineValueCents: number;
  /** Mean duration of completed calls, rounded to whole seconds; 0 when there are none. */
  avgDurationSeconds: number;
  /** Distinct contacts with a call scored ≥ 70 in the range. */
  hotLeads: number;
}

/** The one rounding rule for `successRate`, shared by every Storage adapter. */
export const successRateOf = (bookedInbound: number, inbound: number): number =>
  inbound === 0 ? 0 : Math.round((bookedInbound * 1000) / inbound) / 10;
