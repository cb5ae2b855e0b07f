/**
 * Read-only org transactions (the dashboard's figures): they do not queue behind the org's
 * writers (a projection batch holds the org's lock for its whole transaction), and they cannot write.
 */
import type { Storage } from "@voxanne/core";
import { testVoxanne } from "@voxanne/core/testing";
import { beforeAll, describe, expect, test } from "vitest";
import { postgresStorage } from "./storage.ts";
import { everyDriver, serverDatabase, serverProblem } from "./testDatabases.ts";

const READ_ONLY = { readOnly: true };

async function clinic(storage: Storage): Promise<string> {
  return (await testVoxanne({ storage }).voxanne.organizations.create({ name: "Clinic" })).id;
}

/** Raises the first service's price by a cent: a write under the org's lock. */
const touchPriceList = (storage: Storage, orgId: string, options?: typeof READ_ONLY) =>
  storage.transaction(
    orgId,
    async (tx) => {
      const [first] = await tx.services.list();
      await tx.services.update({ ...first!, priceCents: first!.priceCents + 1 });
    },
    options,
  );

describe.each(await everyDriver())("read-only transactions on %s", (_, database) => {
  const storage = postgresStorage(database);
  let orgId = "";
  beforeAll(async () => {
    orgId = await clinic(storage);
  });

  test("read what is committed", async () => {
    await touchPriceList(storage, orgId);
    const read = await storage.transaction(orgId, (tx) => tx.services.list(), READ_ONLY);
    const written = await storage.transaction(orgId, (tx) => tx.services.list());
    expect(read).toEqual(written);
    expect(await storage.transaction(orgId, (tx) => tx.metrics.pulse({}), READ_ONLY)).toMatchObject({ totalCalls: 0 });
  });

  test("refuse a write and keep nothing of it", async () => {
    const before = await storage.transaction(orgId, (tx) => tx.services.list());
    // PostgreSQL's own refusal ("cannot execute UPDATE in a read-only transaction"), under drizzle's.
    await expect(touchPriceList(storage, orgId, READ_ONLY)).rejects.toMatchObject({
      cause: { message: expect.stringMatching(/read-only transaction/) },
    });
    expect(await storage.transaction(orgId, (tx) => tx.services.list())).toEqual(before);
  });

  test("still find an unknown org unknown", async () => {
    await expect(
      storage.transaction("00000000-0000-4000-8000-000000000000", (tx) => tx.metrics.pulse({}), READ_ONLY),
    ).rejects.toMatchObject({ code: "ORGANIZATION_NOT_FOUND" });
  });
});

// PGlite has one connection, so nothing runs beside anything there; on a server a read must not
// wait for the org's lock. If it did, this test would hang: the writer waits for the read.
describe.skipIf(serverProblem)("a read-only transaction on a server", () => {
  test("runs while a writer of the same org holds its transaction open", async () => {
    const storage = postgresStorage(await serverDatabase());
    const orgId = await clinic(storage);
    let writing!: () => void;
    let finishWriting!: () => void;
    const writerHoldsLock = new Promise<void>((resolve) => {
      writing = resolve;
    });
    const readDone = new Promise<void>((resolve) => {
      finishWriting = resolve;
    });
    const writer = storage.transaction(orgId, async (tx) => {
      const [first] = await tx.services.list();
      await tx.services.update({ ...first!, priceCents: 1 });
      writing();
      await readDone;
    });
    await writerHoldsLock;
    const pulse = await storage.transaction(orgId, (tx) => tx.metrics.pulse({}), READ_ONLY);
    expect(pulse.totalCalls).toBe(0);
    finishWriting();
    await writer;
  });
});
