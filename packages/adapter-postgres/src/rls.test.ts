/**
 * Tenant isolation in the database itself: inside an org's transaction, a query written without
 * any org filter still sees only that org's rows, and a row for another org cannot be written.
 * The same query as the connecting role outside a scope sees every org, so these tests fail if
 * row-level security is off.
 */
import { callEvents, testVoxanne } from "@voxanne/core/testing";
import { eq, sql } from "drizzle-orm";
import { beforeAll, describe, expect, test } from "vitest";
import type { Database } from "./db.ts";
import { calls, contacts } from "./schema.ts";
import { inOrgTransaction, rowsOf } from "./scope.ts";
import { postgresStorage } from "./storage.ts";
import { everyDriver } from "./testDatabases.ts";

const START = new Date("2026-01-25T09:00:00.000Z");

/** An org with `callers` inbound calls, each from a caller of its own, made through the use cases. */
async function orgWithCalls(database: Database, name: string, callers: string[]): Promise<string> {
  const t = testVoxanne({ storage: postgresStorage(database) });
  const org = await t.voxanne.organizations.create({ name });
  for (const [i, customerNumber] of callers.entries()) {
    const script = { vendorCallId: `${org.id}-${i}`, customerNumber, startedAt: START, durationSeconds: 60 };
    await t.feed(org.id, callEvents({ ...script, transcript: "I would like a consultation" }));
  }
  return org.id;
}

describe.each(await everyDriver())("row-level security on %s", (_, database) => {
  const { db } = database;
  let orgA = "";
  let orgB = "";
  beforeAll(async () => {
    orgA = await orgWithCalls(database, "Clinic A", ["+15555550101", "+15555550102"]);
    orgB = await orgWithCalls(database, "Clinic B", ["+15555550201"]);
  });

  const contactCount = async (orgId: string) =>
    (await db.select().from(contacts).where(eq(contacts.orgId, orgId))).length;

  test("a query without an org filter sees only the transaction's org", async () => {
    const seen = await inOrgTransaction(db, orgA, (scope) => scope.tx.select().from(calls));
    expect(seen).toHaveLength(2);
    expect(new Set(seen.map((call) => call.orgId))).toEqual(new Set([orgA]));

    const [counted] = await inOrgTransaction(db, orgA, async (scope) =>
      rowsOf<{ n: number }>(await scope.tx.execute(sql`select count(*)::int as n from contacts`)),
    );
    expect(counted?.n).toBe(2);

    // Even naming the other org finds nothing, and changes nothing.
    const changed = await inOrgTransaction(db, orgA, (scope) =>
      scope.tx.update(calls).set({ summary: "hijacked" }).where(eq(calls.orgId, orgB)).returning(),
    );
    expect(changed).toEqual([]);
  });

  test("the connecting role outside a scope sees both orgs (so the filter above is the database's)", async () => {
    const all = await db.select().from(calls);
    expect(new Set(all.map((call) => call.orgId))).toEqual(new Set([orgA, orgB]));
    expect(all).toHaveLength(3);
    expect(all.some((call) => call.summary === "hijacked")).toBe(false);
    expect(await contactCount(orgA)).toBe(2);
    expect(await contactCount(orgB)).toBe(1);
  });

  test("a row for another org is refused (WITH CHECK) with a core error, and not written", async () => {
    const intruder = {
      id: crypto.randomUUID(),
      orgId: orgB,
      phone: "+15555550299",
      leadStatus: "new" as const,
      leadScore: 0,
      leadTemperature: "cold" as const,
      createdAt: START,
    };
    const insert = inOrgTransaction(db, orgA, (scope) => scope.tx.insert(contacts).values(intruder));
    await expect(insert).rejects.toMatchObject({ kind: "ValidationFailed", code: "VALIDATION_FAILED" });
    expect(await contactCount(orgB)).toBe(1);
  });
});
