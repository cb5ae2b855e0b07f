/**
 * Bad input that gets as far as the database comes back as a typed core error (never the
 * driver's own error, whose message may hold SQL and values), and writes nothing.
 */
import type { OrgTx, Storage } from "@voxanne/core";
import { newContact, newOrganization, VoxanneError } from "@voxanne/core";
import { eq } from "drizzle-orm";
import { beforeAll, describe, expect, test } from "vitest";
import { contacts, eventLog, services } from "./schema.ts";
import { postgresStorage } from "./storage.ts";
import { everyDriver } from "./testDatabases.ts";

const NOW = new Date("2026-01-25T09:00:00.000Z");
let phones = 0;
const nextPhone = () => `+1555020${String(++phones).padStart(4, "0")}`;
const contact = (orgId: string, fields: Partial<Parameters<typeof newContact>[0]> = {}) =>
  newContact({ id: crypto.randomUUID(), orgId, phone: nextPhone(), createdAt: NOW, ...fields });

/** The error `fn` fails with in `orgId`'s transaction; a typed core error with no SQL in it. */
async function failure(storage: Storage, orgId: string, fn: (tx: OrgTx) => Promise<unknown>): Promise<VoxanneError> {
  const error = await storage.transaction(orgId, fn).then(
    () => expect.unreachable("the write was accepted"),
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(VoxanneError);
  expect((error as Error).message).not.toMatch(/insert|select|update|params|violates/i);
  return error as VoxanneError;
}

describe.each(await everyDriver())("database errors on %s", (_, database) => {
  const storage = postgresStorage(database);
  const { db } = database;
  const orgA = crypto.randomUUID();
  const orgB = crypto.randomUUID();
  beforeAll(async () => {
    for (const id of [orgA, orgB]) {
      await storage.transaction(id, (tx) =>
        tx.organization.create(newOrganization({ id, name: "Clinic", createdAt: NOW })),
      );
    }
  });

  const contactsWith = (phone: string) => db.$count(contacts, eq(contacts.phone, phone));

  test("a too-long string is ValidationFailed", async () => {
    const long = contact(orgA, { name: "x".repeat(500) });
    expect(await failure(storage, orgA, (tx) => tx.contacts.create(long))).toMatchObject({
      kind: "ValidationFailed",
      code: "VALIDATION_FAILED",
    });
    expect(await contactsWith(long.phone)).toBe(0);

    const eventKey = "k".repeat(600);
    const append = { orgId: orgA, provider: "vapi" as const, eventKey, payload: {}, receivedAt: NOW };
    expect(await failure(storage, orgA, (tx) => tx.eventLog.append(append))).toMatchObject({
      kind: "ValidationFailed",
    });
    expect(await db.$count(eventLog, eq(eventLog.eventKey, eventKey))).toBe(0);
  });

  test("a duplicate phone is a Conflict, and the first contact stays the only one", async () => {
    const first = contact(orgA);
    await storage.transaction(orgA, (tx) => tx.contacts.create(first));
    const twin = contact(orgA, { phone: first.phone, name: "Twin" });
    expect(await failure(storage, orgA, (tx) => tx.contacts.create(twin))).toMatchObject({
      kind: "Conflict",
      code: "CONTACT_PHONE_TAKEN",
    });
    expect(await db.select({ id: contacts.id }).from(contacts).where(eq(contacts.phone, first.phone))).toEqual([
      { id: first.id },
    ]);
  });

  test("an unknown organization is NotFound", async () => {
    const unknown = crypto.randomUUID();
    const orphan = contact(unknown);
    expect(await failure(storage, unknown, (tx) => tx.contacts.create(orphan))).toMatchObject({
      kind: "NotFound",
      code: "ORGANIZATION_NOT_FOUND",
    });
    expect(await db.$count(contacts, eq(contacts.orgId, unknown))).toBe(0);
  });

  test("a record of another organization is ValidationFailed", async () => {
    const foreign = contact(orgB);
    expect(await failure(storage, orgA, (tx) => tx.contacts.create(foreign))).toMatchObject({
      kind: "ValidationFailed",
    });
    expect(await contactsWith(foreign.phone)).toBe(0);
  });

  test("a negative price is ValidationFailed (the check constraint)", async () => {
    const service = {
      id: crypto.randomUUID(),
      orgId: orgA,
      name: "Free money",
      priceCents: -100,
      keywords: ["money"],
      createdAt: NOW,
      updatedAt: NOW,
    };
    expect(await failure(storage, orgA, (tx) => tx.services.create(service))).toMatchObject({
      kind: "ValidationFailed",
    });
    expect(await db.$count(services, eq(services.id, service.id))).toBe(0);
  });
});
