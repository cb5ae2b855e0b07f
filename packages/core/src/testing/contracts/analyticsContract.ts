/**
 * The analytics part of the Storage contract (`AnalyticsRepository` in ports/storage.ts):
 * calendar buckets in non-UTC zones (a call at 23:30 UTC is the next day in Tokyo and the same day
 * in Los Angeles; weeks across DST changes), the funnel's forward order, per-service attribution,
 * and agreement with the pulse. Expectations are hand-derived here, never from an adapter.
 */
import { beforeEach, describe, expect } from "vitest";
import type { AnalyticsInterval, TimeseriesPoint } from "../../domain/analytics.ts";
import { UNATTRIBUTED_SERVICE_NAME } from "../../domain/analytics.ts";
import type { Call } from "../../domain/call.ts";
import type { LeadStatus } from "../../domain/contact.ts";
import type { TimeRange } from "../../domain/metrics.ts";
import type { Service } from "../../domain/service.ts";
import type { AnalyticsRepository, OrgTx, Storage } from "../../ports/storage.ts";
import type { ContractOptions } from "./contractKit.ts";
import { contractTests } from "./contractKit.ts";
import { callRecord, contactRecord, createOrg, expectedPulse, serviceRecord, uid } from "./fixtures.ts";

export const ANALYTICS_CONTRACT_TESTS = [
  "analytics: timeseries cuts days, ISO weeks and months in the org's time zone, DST changes included",
  "analytics: timeseries points carry the pulse's numbers of their bucket, for open and closed ranges",
  "analytics: funnel counts contacts created in the range that reached each stage, in forward order",
  "analytics: services attributes each call to the service that priced it; the rest is one null row",
  "analytics: an org never counts another org's calls, contacts or services",
  "analytics: an empty org has no points, a zero funnel and no service rows",
] as const;
export type AnalyticsContractTest = (typeof ANALYTICS_CONTRACT_TESTS)[number];

/** One call of every analytics method, for the Storage contract's "unknown organization" test. */
export const analyticsEveryMethod: { [M in keyof AnalyticsRepository]: (r: AnalyticsRepository) => Promise<unknown> } =
  {
    timeseries: (r) => r.timeseries({ interval: "day", timeZone: "UTC", range: {} }),
    funnel: (r) => r.funnel({}),
    services: (r) => r.services({}),
  };

const utc = (iso: string) => new Date(iso);

/**
 * Calls at instants whose local calendar differs by zone. Each row gives, per zone, the start of the
 * [day, week (Monday), month] it lands in, worked out by hand from the local times in the comments.
 */
const EDGE_CALLS = [
  // Tokyo Sun 1 Mar 00:30 · LA Sat 28 Feb 07:30 · London Sat 28 Feb 15:30
  {
    at: "2026-02-28T15:30:00Z",
    tokyo: ["2026-03-01", "2026-02-23", "2026-03-01"],
    la: ["2026-02-28", "2026-02-23", "2026-02-01"],
    london: ["2026-02-28", "2026-02-23", "2026-02-01"],
  },
  // Tokyo Mon 2 Mar 16:30 · LA Sun 1 Mar 23:30 PST · London Mon 2 Mar 07:30
  {
    at: "2026-03-02T07:30:00Z",
    tokyo: ["2026-03-02", "2026-03-02", "2026-03-01"],
    la: ["2026-03-01", "2026-02-23", "2026-03-01"],
    london: ["2026-03-02", "2026-03-02", "2026-03-01"],
  },
  // LA Mon 2 Mar 00:30 PST: the first hour of a week that ends after the US switch to PDT
  {
    at: "2026-03-02T08:30:00Z",
    tokyo: ["2026-03-02", "2026-03-02", "2026-03-01"],
    la: ["2026-03-02", "2026-03-02", "2026-03-01"],
    london: ["2026-03-02", "2026-03-02", "2026-03-01"],
  },
  // LA Sun 8 Mar 23:30 PDT (DST began that morning): still that week
  {
    at: "2026-03-09T06:30:00Z",
    tokyo: ["2026-03-09", "2026-03-09", "2026-03-01"],
    la: ["2026-03-08", "2026-03-02", "2026-03-01"],
    london: ["2026-03-09", "2026-03-09", "2026-03-01"],
  },
  // LA Mon 9 Mar 00:30 PDT: the next week
  {
    at: "2026-03-09T07:30:00Z",
    tokyo: ["2026-03-09", "2026-03-09", "2026-03-01"],
    la: ["2026-03-09", "2026-03-09", "2026-03-01"],
    london: ["2026-03-09", "2026-03-09", "2026-03-01"],
  },
  // London Mon 30 Mar 00:30 BST (BST began on the 29th), still Sunday in UTC · LA Sun 29 Mar 16:30
  {
    at: "2026-03-29T23:30:00Z",
    tokyo: ["2026-03-30", "2026-03-30", "2026-03-01"],
    la: ["2026-03-29", "2026-03-23", "2026-03-01"],
    london: ["2026-03-30", "2026-03-30", "2026-03-01"],
  },
  // Tokyo Fri 1 Jan 2027 00:30 (its week began in 2026) · LA and London Thu 31 Dec 2026
  {
    at: "2026-12-31T15:30:00Z",
    tokyo: ["2027-01-01", "2026-12-28", "2027-01-01"],
    la: ["2026-12-31", "2026-12-28", "2026-12-01"],
    london: ["2026-12-31", "2026-12-28", "2026-12-01"],
  },
] as const;

const ZONES = { tokyo: "Asia/Tokyo", la: "America/Los_Angeles", london: "Europe/London" } as const;
const INTERVAL_INDEX: Record<AnalyticsInterval, 0 | 1 | 2> = { day: 0, week: 1, month: 2 };

/** `[start, count]` pairs, ascending by start: how many of `labels` fall in each bucket. */
function countsByStart(labels: readonly string[]): [string, number][] {
  const counts = new Map<string, number>();
  for (const label of labels) counts.set(label, (counts.get(label) ?? 0) + 1);
  return [...counts].sort(([a], [b]) => (a < b ? -1 : 1));
}

/**
 * Declares the analytics contract for one Storage adapter (the Storage contract calls it, so every
 * adapter runs it). `makeStorage` as in `storageContract`.
 */
export function analyticsContract(
  name: string,
  makeStorage: () => Promise<Storage> | Storage,
  options: ContractOptions<AnalyticsContractTest> = {},
): void {
  const suite = `Analytics contract: ${name}`;
  const test = contractTests(suite, ANALYTICS_CONTRACT_TESTS, options.skip);

  describe(suite, () => {
    let storage: Storage;
    beforeEach(async () => {
      storage = await makeStorage();
    });

    const inOrg = <T>(orgId: string, fn: (tx: OrgTx) => Promise<T>): Promise<T> => storage.transaction(orgId, fn);
    const seedCalls = (orgId: string, calls: Call[]) =>
      inOrg(orgId, async (tx) => {
        for (const call of calls) await tx.calls.insert(call);
        return calls;
      });
    const timeseries = (orgId: string, interval: AnalyticsInterval, timeZone: string, range: TimeRange = {}) =>
      inOrg(orgId, (tx) => tx.analytics.timeseries({ interval, timeZone, range }));
    const starts = (points: TimeseriesPoint[]) => points.map((p) => [p.start, p.totalCalls]);

    test("analytics: timeseries cuts days, ISO weeks and months in the org's time zone, DST changes included", async () => {
      const org = await createOrg(storage);
      await seedCalls(
        org.id,
        EDGE_CALLS.map((c) => callRecord(org.id, { createdAt: utc(c.at) })),
      );
      for (const [zone, timeZone] of Object.entries(ZONES) as [keyof typeof ZONES, string][]) {
        for (const interval of ["day", "week", "month"] as const) {
          const expected = countsByStart(EDGE_CALLS.map((c) => c[zone][INTERVAL_INDEX[interval]]));
          expect(starts(await timeseries(org.id, interval, timeZone)), `${timeZone} ${interval}`).toEqual(expected);
        }
      }
      // Anchors for the sentence in the brief: 23:30 UTC on Sunday 1 Nov is Monday in Tokyo, Sunday in LA.
      const late = await createOrg(storage);
      await seedCalls(late.id, [callRecord(late.id, { createdAt: utc("2026-11-01T23:30:00Z") })]);
      expect(starts(await timeseries(late.id, "day", "Asia/Tokyo"))).toEqual([["2026-11-02", 1]]);
      expect(starts(await timeseries(late.id, "week", "Asia/Tokyo"))).toEqual([["2026-11-02", 1]]);
      expect(starts(await timeseries(late.id, "day", "America/Los_Angeles"))).toEqual([["2026-11-01", 1]]);
      expect(starts(await timeseries(late.id, "week", "America/Los_Angeles"))).toEqual([["2026-10-26", 1]]);
      expect(starts(await timeseries(late.id, "week", "UTC"))).toEqual([["2026-10-26", 1]]);
    });

    test("analytics: timeseries points carry the pulse's numbers of their bucket, for open and closed ranges", async () => {
      const org = await createOrg(storage);
      // Days in Asia/Tokyo (UTC+9, no DST), by hand: 15:00Z is already the next local day.
      const day = (iso: string, tokyoDay: string, fields: Partial<Call> = {}) => ({
        tokyoDay,
        call: callRecord(org.id, { createdAt: utc(iso), ...fields }),
      });
      const booked = { bookingConfirmed: true } as const;
      const rows = [
        day("2026-05-03T14:59:59Z", "2026-05-03", { ...booked, financialValueCents: 40_000 }),
        day("2026-05-03T15:00:00Z", "2026-05-04", { financialValueCents: 600_000 }),
        day("2026-05-04T01:00:00Z", "2026-05-04", { ...booked, financialValueCents: 15_000 }),
        day("2026-05-04T02:00:00Z", "2026-05-04", { direction: "outbound", ...booked, financialValueCents: 800_000 }),
        day("2026-05-04T03:00:00Z", "2026-05-04", {}),
        day("2026-05-05T20:00:00Z", "2026-05-06", { direction: "outbound" }),
        day("2026-05-06T10:00:00Z", "2026-05-06", { ...booked, financialValueCents: 999_999 }),
      ];
      const calls = await seedCalls(
        org.id,
        rows.map((r) => r.call),
      );
      const deleted = rows[6]?.call as Call;
      await inOrg(org.id, (tx) => tx.calls.softDelete(deleted.id, utc("2026-05-07T00:00:00Z")));
      deleted.deletedAt = utc("2026-05-07T00:00:00Z");

      const expectedPoints = (range: TimeRange) =>
        countsByStart(rows.map((r) => r.tokyoDay))
          .map(([start]) => {
            const { totalCalls, inboundCalls, bookings, successRate, pipelineValueCents } = expectedPulse(
              rows.filter((r) => r.tokyoDay === start).map((r) => r.call),
              range,
            );
            return { start, totalCalls, inboundCalls, bookings, successRate, pipelineValueCents };
          })
          .filter((p) => p.totalCalls > 0);
      // A hand-checked anchor for the open range (4 May: one of its three inbound calls booked).
      expect(await timeseries(org.id, "day", "Asia/Tokyo")).toEqual([
        {
          start: "2026-05-03",
          totalCalls: 1,
          inboundCalls: 1,
          bookings: 1,
          successRate: 100,
          pipelineValueCents: 40_000,
        },
        {
          start: "2026-05-04",
          totalCalls: 4,
          inboundCalls: 3,
          bookings: 2,
          successRate: 33.3,
          pipelineValueCents: 1_415_000,
        },
        { start: "2026-05-06", totalCalls: 1, inboundCalls: 0, bookings: 0, successRate: 0, pipelineValueCents: 0 },
      ]);
      const ranges: TimeRange[] = [
        {},
        { from: utc("2026-05-03T15:00:00Z") },
        { to: utc("2026-05-04T02:00:00Z") },
        { from: utc("2026-05-04T01:00:00Z"), to: utc("2026-05-05T20:00:00Z") },
        { from: utc("2026-06-01T00:00:00Z") },
      ];
      for (const range of ranges) {
        const points = await timeseries(org.id, "day", "Asia/Tokyo", range);
        expect(points, JSON.stringify(range)).toEqual(expectedPoints(range));
        const pulse = await inOrg(org.id, (tx) => tx.metrics.pulse(range));
        for (const key of ["totalCalls", "inboundCalls", "bookings", "pipelineValueCents"] as const) {
          expect(
            points.reduce((sum, p) => sum + p[key], 0),
            `${key} ${JSON.stringify(range)}`,
          ).toBe(pulse[key]);
        }
      }
      // One month bucket holds them all, with the pulse's numbers.
      const [month] = await timeseries(org.id, "month", "Asia/Tokyo");
      const { avgDurationSeconds: _, hotLeads: __, ...volume } = expectedPulse(calls, {});
      expect(month).toEqual({ start: "2026-05-01", ...volume });
    });

    test("analytics: funnel counts contacts created in the range that reached each stage, in forward order", async () => {
      const org = await createOrg(storage);
      const from = utc("2026-04-01T00:00:00Z");
      const to = utc("2026-05-01T00:00:00Z");
      const inside: LeadStatus[] = [
        "new",
        "new",
        "contacted",
        "qualified",
        "lost",
        "lost",
        "booked",
        "booked",
        "converted",
      ];
      const contacts = [
        ...inside.map((leadStatus, i) =>
          contactRecord(org.id, { leadStatus, createdAt: new Date(from.getTime() + i) }),
        ),
        contactRecord(org.id, { leadStatus: "converted", createdAt: new Date(from.getTime() - 1) }),
        contactRecord(org.id, { leadStatus: "booked", createdAt: to }),
      ];
      await inOrg(org.id, async (tx) => {
        for (const contact of contacts) await tx.contacts.create(contact);
      });
      const funnel = (range: TimeRange) => inOrg(org.id, (tx) => tx.analytics.funnel(range));
      expect(await funnel({ from, to })).toEqual([
        { stage: "new", count: 9 },
        { stage: "contacted", count: 7 },
        { stage: "booked", count: 3 },
        { stage: "converted", count: 1 },
      ]);
      expect(await funnel({})).toEqual([
        { stage: "new", count: 11 },
        { stage: "contacted", count: 9 },
        { stage: "booked", count: 5 },
        { stage: "converted", count: 2 },
      ]);
    });

    test("analytics: services attributes each call to the service that priced it; the rest is one null row", async () => {
      const org = await createOrg(storage);
      const botox = serviceRecord(org.id, { name: "Botox", priceCents: 40_000 });
      const facelift = serviceRecord(org.id, { name: "Facelift", priceCents: 800_000 });
      const peel = serviceRecord(org.id, { name: "Peel", priceCents: 10_000 });
      const acne = serviceRecord(org.id, { name: "Acne", priceCents: 9_000 });
      const gone = serviceRecord(org.id, { name: "Gone", priceCents: 5_000 });
      await inOrg(org.id, async (tx) => {
        for (const service of [botox, facelift, peel, acne, gone]) await tx.services.create(service);
        await tx.services.delete(gone.id);
      });
      const from = utc("2026-06-01T00:00:00Z");
      const call = (hour: number, fields: Partial<Call>) =>
        callRecord(org.id, { createdAt: new Date(from.getTime() + hour * 3_600_000), ...fields });
      const priced = (service: Service, fields: Partial<Call> = {}) => ({
        pricedServiceId: service.id,
        financialValueCents: service.priceCents,
        ...fields,
      });
      const calls = await seedCalls(org.id, [
        call(0, { ...priced(botox), bookingConfirmed: true }),
        call(1, { ...priced(botox), bookingConfirmed: true, direction: "outbound" }),
        call(2, priced(botox)),
        call(3, { ...priced(facelift), bookingConfirmed: true }),
        call(4, priced(gone)), // its service was deleted: unattributed
        call(5, { financialValueCents: 15_000, bookingConfirmed: true }), // priced by the fallback table
        call(6, {}), // matched nothing
        call(7, { pricedServiceId: uid(), financialValueCents: 1 }), // names no service of this org
        call(8, priced(facelift, { deletedAt: utc("2026-06-02T00:00:00Z") })), // soft-deleted
        call(-1, priced(botox)), // before the range
      ]);
      const services = (range: TimeRange) => inOrg(org.id, (tx) => tx.analytics.services(range));
      const range = { from };
      const items = await services(range);
      expect(items).toEqual([
        { serviceId: facelift.id, name: "Facelift", bookings: 1, calls: 1, pipelineValueCents: 800_000 },
        { serviceId: botox.id, name: "Botox", bookings: 2, calls: 3, pipelineValueCents: 120_000 },
        { serviceId: null, name: UNATTRIBUTED_SERVICE_NAME, bookings: 1, calls: 4, pipelineValueCents: 20_001 },
        { serviceId: acne.id, name: "Acne", bookings: 0, calls: 0, pipelineValueCents: 0 },
        { serviceId: peel.id, name: "Peel", bookings: 0, calls: 0, pipelineValueCents: 0 },
      ]);
      // Every live call in the range is counted once: the rows add up to the pulse.
      const pulse = expectedPulse(calls, range);
      expect(items.reduce((n, i) => n + i.calls, 0)).toBe(pulse.totalCalls);
      expect(items.reduce((n, i) => n + i.bookings, 0)).toBe(pulse.bookings);
      expect(items.reduce((n, i) => n + i.pipelineValueCents, 0)).toBe(pulse.pipelineValueCents);
      // The call before the range counts only in an open range; a range without calls has no null row.
      expect((await services({})).find((i) => i.serviceId === botox.id)).toMatchObject({ calls: 4 });
      expect((await services({ to: from })).map((i) => [i.name, i.calls])).toEqual([
        ["Botox", 1],
        ["Acne", 0],
        ["Facelift", 0],
        ["Peel", 0],
      ]);
    });

    test("analytics: an org never counts another org's calls, contacts or services", async () => {
      const [a, b] = [await createOrg(storage), await createOrg(storage)];
      const bService = serviceRecord(b.id, { name: "Their Botox" });
      await inOrg(b.id, async (tx) => {
        await tx.services.create(bService);
        await tx.contacts.create(contactRecord(b.id, { leadStatus: "booked" }));
        await tx.calls.insert(
          callRecord(b.id, { pricedServiceId: bService.id, bookingConfirmed: true, financialValueCents: 77_700 }),
        );
      });
      // A's call names B's service id: to A, that is no service of its list.
      await seedCalls(a.id, [callRecord(a.id, { pricedServiceId: bService.id, financialValueCents: 100 })]);
      await inOrg(a.id, (tx) => tx.contacts.create(contactRecord(a.id)));
      const [series, funnel, services] = await inOrg(a.id, (tx) =>
        Promise.all([
          tx.analytics.timeseries({ interval: "month", timeZone: "UTC", range: {} }),
          tx.analytics.funnel({}),
          tx.analytics.services({}),
        ]),
      );
      expect(series.map((p) => [p.totalCalls, p.bookings, p.pipelineValueCents])).toEqual([[1, 0, 100]]);
      expect(funnel.map((s) => s.count)).toEqual([1, 0, 0, 0]);
      expect(services).toEqual([
        { serviceId: null, name: UNATTRIBUTED_SERVICE_NAME, bookings: 0, calls: 1, pipelineValueCents: 100 },
      ]);
    });

    test("analytics: an empty org has no points, a zero funnel and no service rows", async () => {
      const org = await createOrg(storage);
      for (const interval of ["day", "week", "month"] as const) {
        expect(await timeseries(org.id, interval, "Pacific/Auckland")).toEqual([]);
      }
      expect(await inOrg(org.id, (tx) => tx.analytics.funnel({}))).toEqual([
        { stage: "new", count: 0 },
        { stage: "contacted", count: 0 },
        { stage: "booked", count: 0 },
        { stage: "converted", count: 0 },
      ]);
      expect(await inOrg(org.id, (tx) => tx.analytics.services({}))).toEqual([]);
    });
  });
}
