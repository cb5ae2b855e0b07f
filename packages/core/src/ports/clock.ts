/**
 * The one source of "now" for the core: tests fix it, the server reads the system clock.
 * Guarantees: `now()` returns a fresh, valid Date that the caller may keep; successive calls never
 * go backwards (the system clock can, if the host's time is stepped back).
 */
export interface Clock {
  now(): Date;
}

export const systemClock: Clock = { now: () => new Date() };
