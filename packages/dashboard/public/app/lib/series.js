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

/** The calendar date of `instant` in `timeZone`, as "YYYY-MM-DD". */
export function localDate(instant, timeZone) {
  const parts = Object.fromEntries(
    new Intl.DateTimeFormat("en-US", { timeZone, year: "numeric", month: "2-digit", day: "2-digit" })
      .formatToParts(instant)
      .map((part) => [part.type, part.value]),
  );
  return `${parts.year}-${parts.month}-${parts.day}`;
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
  // A day of margin either side: the server buckets in the org's zone, which the query cannot name.
  const from = new Date(parse(first).getTime() - 86_400_000).toISOString();
  return { first, last, query: { interval, from, to: now.toISOString() } };
}
