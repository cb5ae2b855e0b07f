/**
 * Compiled statements store and read back exactly what drizzle's own queries do, on both drivers:
 * dates, JSON (a required column's JSON null, a nullable one's SQL NULL), arrays, unicode.
 */
import { ValidationFailed } from "@voxanne/core";
import { and, eq } from "drizzle-orm";
import { describe, expect, test } from "vitest";
import { compile, everyColumn } from "./compiled.ts";
import { calls, organizations } from "./schema.ts";
import { everyDriver } from "./testDatabases.ts";

const insertCall = compile((db, value) => db.insert(calls).values(everyColumn(calls, value)).returning());
const callsOf = compile((db, value) =>
  db
    .select()
    .from(calls)
    .where(and(eq(calls.orgId, value("orgId")), eq(calls.direction, value("direction"))))
    .orderBy(calls.vendorCallId),
);

const ORG = "org-compiled";
const call = (vendorCallId: string, overrides: Partial<typeof calls.$inferInsert> = {}) => ({
  id: crypto.randomUUID(),
  orgId: ORG,
  vendorCallId,
  direction: "inbound" as const,
  status: "completed" as const,
  fromNumber: "+15555550100",
  toNumber: null,
  contactId: null,
  startedAt: new Date("2026-03-01T09:00:00.123Z"),
  endedAt: new Date("2026-03-01T09:05:00Z"),
  durationSeconds: 300,
  endedReason: "customer-ended-call",
  transcript: "Ça va? Botox 💉 on Friday",
  summary: null,
  sentiment: null,
  toolCalls: [{ toolCallId: "t1", name: "book_appointment", succeeded: true }],
  bookingConfirmed: true,
  financialValueCents: 40_000,
  pricedServiceId: null,
  leadScore: 85,
  leadScoreReasons: [],
  recordingStatus: "pending" as const,
  recordingUrl: null,
  recordingLocation: null,
  transferTo: null,
  transferTime: null,
  transferReason: null,
  deletedAt: null,
  metadata: { nested: { list: [1, "two", null] } },
  createdAt: new Date("2026-03-01T09:00:00Z"),
  updatedAt: new Date("2026-03-01T09:05:00.999Z"),
  ...overrides,
});

describe.each(await everyDriver())("compiled statements on %s", (_, { db }) => {
  test("store and read back what drizzle's own queries do", async () => {
    await db
      .insert(organizations)
      .values({
        id: ORG,
        name: "Clinic",
        timezone: "UTC",
        currency: "USD",
        vapiWebhookAuth: { type: "none" },
        bookingToolNames: ["book_appointment"],
        createdAt: new Date(),
      })
      .onConflictDoNothing();
    const withSentiment = {
      sentiment: { label: "positive", score: 0.5, urgency: "low", summary: null, source: "analyser" },
    } as const;
    await db
      .transaction(async (tx) => {
        const [compiledRow] = await insertCall.run(tx, call("a-compiled", withSentiment));
        const [drizzleRow] = await tx.insert(calls).values(call("b-drizzle", withSentiment)).returning();
        await insertCall.run(tx, call("c-compiled-null", { sentiment: null, metadata: null as never }));
        await tx.insert(calls).values(call("d-drizzle-null", { sentiment: null, metadata: {} }));

        const same = ({ id: _id, vendorCallId: _v, ...rest }: typeof calls.$inferSelect) => rest;
        expect(same(compiledRow!)).toEqual(same(drizzleRow!));
        const read = await callsOf.run(tx, { orgId: ORG, direction: "inbound" });
        const drizzleRead = await tx.select().from(calls).where(eq(calls.orgId, ORG)).orderBy(calls.vendorCallId);
        expect(read).toEqual(drizzleRead);
        expect(read.map((r) => r.vendorCallId)).toEqual([
          "a-compiled",
          "b-drizzle",
          "c-compiled-null",
          "d-drizzle-null",
        ]);
        // A required jsonb column keeps JSON null; a nullable one is SQL NULL.
        expect(read[2]).toMatchObject({ sentiment: null, metadata: null });
        expect(read[0]!.startedAt).toEqual(new Date("2026-03-01T09:00:00.123Z"));
        tx.rollback();
      })
      .catch((error: unknown) => {
        if ((error as Error).message !== "Rollback") throw error;
      });
  });

  test("a missing value is named; a value JSON cannot hold is ValidationFailed", async () => {
    const rejection = (values: object) =>
      db
        .transaction((tx) => insertCall.run(tx, values))
        .then(
          () => undefined,
          (error: unknown) => error,
        );
    const { transcript: _t, ...withoutTranscript } = call("e");
    expect(String(await rejection(withoutTranscript))).toContain('no value for "transcript"');
    const circular: Record<string, unknown> = {};
    circular.self = circular;
    const error = await rejection(call("f", { metadata: circular }));
    expect(error).toBeInstanceOf(ValidationFailed);
    expect((error as ValidationFailed).issues[0]?.path).toBe("metadata");
  });
});
