/** A Clock that only moves when a test moves it. */
import type { Clock } from "../ports/clock.ts";

/** A span of time for {@link FixedClock.advance}; a day is 24 hours (UTC arithmetic, no DST). */
export interface Duration {
  milliseconds?: number;
  seconds?: number;
  minutes?: number;
  hours?: number;
  days?: number;
}

export interface FixedClock extends Clock {
  /** Moves the clock to `date` (also backwards, to test a vendor's clock skew). */
  set(date: Date | string): void;
  /** Moves the clock forward by `by` (milliseconds or a Duration) and returns the new now. */
  advance(by: number | Duration): Date;
}

/** The default start: a fixed Wednesday morning, so tests never depend on today. */
export const FIXED_CLOCK_START = "2025-01-15T09:00:00.000Z";

const MS = { milliseconds: 1, seconds: 1000, minutes: 60_000, hours: 3_600_000, days: 86_400_000 } as const;

function toTime(date: Date | string): number {
  const time = new Date(date).getTime();
  if (Number.isNaN(time)) throw new RangeError(`Not a valid date: ${String(date)}`);
  return time;
}

function toMs(by: number | Duration): number {
  const ms =
    typeof by === "number"
      ? by
      : Object.entries(by).reduce((sum, [unit, n]) => sum + (n ?? 0) * (MS[unit as keyof Duration] ?? Number.NaN), 0);
  if (!Number.isFinite(ms) || ms < 0)
    throw new RangeError(`advance needs a finite, non-negative span, got ${JSON.stringify(by)}`);
  return ms;
}

/**
 * A clock fixed at `start` (an ISO string or a Date; default {@link FIXED_CLOCK_START}).
 * Every `now()` returns a fresh Date, so a caller mutating it cannot move the clock.
 *
 * @example
 * const clock = fixedClock("2025-06-01T12:00:00Z");
 * clock.advance({ minutes: 5 });
 * clock.now().toISOString(); // "2025-06-01T12:05:00.000Z"
 */
export function fixedClock(start: Date | string = FIXED_CLOCK_START): FixedClock {
  let time = toTime(start);
  return {
    now: () => new Date(time),
    set(date) {
      time = toTime(date);
    },
    advance(by) {
      time += toMs(by);
      return new Date(time);
    },
  };
}
