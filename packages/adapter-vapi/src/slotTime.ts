/**
 * Appointment times as a voice agent gives them and as it reads them back, in the clinic's time
 * zone: the model often leaves the offset out ("2025-11-25T14:00") or splits date and time.
 */

/** What the agent said about when: a full date-time, or a date and a time. */
export interface SlotWords {
  when?: string | undefined;
  date?: string | undefined;
  time?: string | undefined;
}

export type SlotReading = { ok: true; startsAt: string } | { ok: false; reason: "missing" | "unreadable" };

const WITH_OFFSET = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(?::\d{2}(?:\.\d{1,9})?)?(?:Z|[+-]\d{2}:?\d{2})$/i;
const LOCAL = /^(\d{4}-\d{2}-\d{2})[T ](\d{1,2}):(\d{2})(?::(\d{2})(?:\.\d{1,9})?)?$/i;
const DATE = /^\d{4}-\d{2}-\d{2}$/;
/** `14:00`, `14:00:00`, `2:00 PM`, `2 pm`, `2pm`, `2:30 p.m.`: minutes or a meridiem, or both. */
const TIME = /^(\d{1,2})(?::(\d{2}))?(?::\d{2})?\s*(?:([ap])\.?\s?m\.?)?$/i;

/**
 * The slot as an ISO 8601 date-time with an offset (core checks it is on the calendar): kept as
 * given when it has an offset, else read as the clinic's wall time in `timeZone`. `missing` when
 * no date and time was given, `unreadable` when they do not read as one.
 */
export function readSlot(words: SlotWords, timeZone: string): SlotReading {
  const { when, date, time } = words;
  for (const text of [when, date]) {
    if (text === undefined) continue;
    if (WITH_OFFSET.test(text)) return { ok: true, startsAt: text };
    const local = LOCAL.exec(text);
    if (local) return atWallTime(local[1] ?? "", Number(local[2]), Number(local[3]), Number(local[4] ?? 0), timeZone);
  }
  // A time alone lacks its date; a `when` that is not even a time is unreadable.
  if (date === undefined)
    return { ok: false, reason: when === undefined || TIME.test(when) ? "missing" : "unreadable" };
  const clock = time ?? when;
  if (clock === undefined) return { ok: false, reason: "missing" };
  const hm = DATE.test(date) ? TIME.exec(clock) : null;
  if (!hm || (hm[2] === undefined && hm[3] === undefined)) return { ok: false, reason: "unreadable" };
  let hour = Number(hm[1]);
  if (hm[3] !== undefined) {
    if (hour < 1 || hour > 12) return { ok: false, reason: "unreadable" };
    hour = (hour % 12) + (hm[3].toLowerCase() === "p" ? 12 : 0);
  }
  return atWallTime(date, hour, Number(hm[2] ?? 0), 0, timeZone);
}

function atWallTime(date: string, hour: number, minute: number, second: number, timeZone: string): SlotReading {
  if (hour > 23 || minute > 59 || second > 59) return { ok: false, reason: "unreadable" };
  const [y, m, d] = date.split("-").map(Number) as [number, number, number];
  const wall = Date.UTC(y, m - 1, d, hour, minute, second);
  // The zone's offset at the instant the wall time names: a second look settles DST changes.
  let offset = offsetMinutes(wall, timeZone);
  offset = offsetMinutes(wall - offset * 60_000, timeZone);
  const pad = (n: number) => String(n).padStart(2, "0");
  const sign = offset < 0 ? "-" : "+";
  const abs = Math.abs(offset);
  return {
    ok: true,
    startsAt: `${date}T${pad(hour)}:${pad(minute)}:${pad(second)}${sign}${pad(Math.floor(abs / 60))}:${pad(abs % 60)}`,
  };
}

/** How far `timeZone`'s wall clock is ahead of UTC at `instant`, in minutes. */
function offsetMinutes(instant: number, timeZone: string): number {
  const parts = new Intl.DateTimeFormat("en-US", {
    timeZone,
    hourCycle: "h23",
    year: "numeric",
    month: "numeric",
    day: "numeric",
    hour: "numeric",
    minute: "numeric",
    second: "numeric",
  }).formatToParts(instant);
  const part = (type: Intl.DateTimeFormatPartTypes) => Number(parts.find((p) => p.type === type)?.value);
  const wall = Date.UTC(part("year"), part("month") - 1, part("day"), part("hour"), part("minute"), part("second"));
  return Math.round((wall - instant) / 60_000);
}

/** The slot as the agent should say it: "Tuesday, November 25 at 2:00 PM", in the clinic's zone. */
export function spokenSlot(startsAt: Date, timeZone: string): string {
  const day = new Intl.DateTimeFormat("en-US", { timeZone, weekday: "long", month: "long", day: "numeric" });
  const time = new Intl.DateTimeFormat("en-US", { timeZone, hour: "numeric", minute: "2-digit" });
  // ICU puts a narrow no-break space before AM/PM; speech engines read a plain one best.
  return `${day.format(startsAt)} at ${time.format(startsAt).replace(/\s/gu, " ")}`;
}
