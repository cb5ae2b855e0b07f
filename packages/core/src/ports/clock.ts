/** The one source of "now" for the core: tests fix it, the server reads the system clock. */
export interface Clock {
  now(): Date;
}

export const systemClock: Clock = { now: () => new Date() };
