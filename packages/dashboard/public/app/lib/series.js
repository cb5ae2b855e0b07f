/**
 * Time-series buckets as the analytics API names them (`start: "YYYY-MM-DD"` in the org's time
 * zone). The API may leave out empty buckets; the charts need every bucket, so the gaps are filled
 * with zeros here. Weeks start on Monday (as PostgreSQL's `date_trunc('week')`).
 */

export const INTERVALS = ["day", "week", "month"];

/** How far back each interval's chart looks, in buckets. */
export const SPAN = { day: 30, week: 12, month: 12 };

const EMPTY = { totalCalls: 0, inboundCalls: 0, bookings: 0, successRate: 0, pipelineValueCents: 0 };

const parse = (date) => {
  const [y, m, d] = date.split("-").map(Number);
  return new Date(Date.UTC(y, m - 1, d));
};
const format = (utc) => utc.toISOString().slice(0, 10);

/** The wall-clock fields of `instant` in `timeZone`, as numbers. */
function wallClock(instant, timeZone) {
  const format = new Intl.DateTimeFormat("en-US", {
    timeZone,
    hourCycle: "h23",
    year: "numeric",
    month: "2-digit",
    day: "2-digit",
    hour: "2-digit",
    minute: "2-digit",
    second: "2-digit",
  });
  return Object.fromEntries(format.formatToParts(instant).map((part) => [part.type, Number(part.value)]));
}

/** The calendar date of `instant` in `timeZone`, as "YYYY-MM-DD". */
export function localDate(instant, timeZone) {
  const { year, month, day } = wallClock(instant, timeZone);
  return format(new Date(Date.UTC(year, month - 1, day)));
}

/** The instant `date` begins in `timeZone` (its local midnight, daylight saving time included). */
export function startOfDay(date, timeZone) {
  const midnightUtc = parse(date).getTime();
  let instant = midnightUtc;
  // Twice: the zone's offset at the first guess may differ from the one at midnight (a DST change).
  for (let pass = 0; pass < 2; pass++) {
    const clock = wallClock(new Date(instant), timeZone);
    const offset = Date.UTC(clock.year, clock.month - 1, clock.day, clock.hour, clock.minute, clock.second) - instant;
    instant = midnightUtc - offset;
  }
  return new Date(instant);
}

/** The start of the bucket that holds `date`. */
export function bucketOf(date, interval) {
  const utc = parse(date);
  if (interval === "month") return `${date.slice(0, 7)}-01`;
  if (interval === "week") utc.setUTCDate(utc.getUTCDate() - ((utc.getUTCDay() + 6) % 7));
  return format(utc);
}

/** The start of the bucket after the one starting at `start`. */
export function nextBucket(start, interval) {
  const utc = parse(start);
  if (interval === "month") utc.setUTCMonth(utc.getUTCMonth() + 1);
  else utc.setUTCDate(utc.getUTCDate() + (interval === "week" ? 7 : 1));
  return format(utc);
}

/** The start of the bucket `count` buckets before the one starting at `start`. */
export function bucketsBefore(start, interval, count) {
  const utc = parse(start);
  if (interval === "month") utc.setUTCMonth(utc.getUTCMonth() - count);
  else utc.setUTCDate(utc.getUTCDate() - count * (interval === "week" ? 7 : 1));
  return format(utc);
}

/**
 * Every bucket from `first` to `last` (bucket starts, inclusive), each point the API gave or a zero
 * one; points outside that span are kept too, so nothing the API said is dropped.
 * @param {{ start: string }[]} points
 * @param {{ interval: string, first: string, last: string }} span
 */
export function fillGaps(points, { interval, first, last }) {
  const byStart = new Map(points.map((point) => [point.start, point]));
  const starts = points.map((point) => point.start).sort();
  const from = starts[0] && starts[0] < first ? starts[0] : first;
  const to = starts.at(-1) && starts.at(-1) > last ? starts.at(-1) : last;
  const filled = [];
  for (let start = from; start <= to; start = nextBucket(start, interval)) {
    filled.push(byStart.get(start) ?? { start, ...EMPTY });
  }
  return filled;
}

/** The query and the span of buckets for the chart of `interval` ending at `now`, in `timeZone`. */
export function chartWindow(interval, now, timeZone) {
  const last = bucketOf(localDate(now, timeZone), interval);
  const first = bucketsBefore(last, interval, SPAN[interval] - 1);
  return { first, last, query: { interval, from: startOfDay(first, timeZone).toISOString(), to: now.toISOString() } };
}
