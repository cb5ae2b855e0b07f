import { describe, expect, it } from "vitest";
import type { OrgTx } from "../ports/storage.ts";
import { at, callRecord, contactRecord, createOrg, eventAppend } from "./contracts/fixtures.ts";
import { storageContract } from "./contracts/storageContract.ts";
import { memoryStorage } from "./memoryStorage.ts";

storageContract("memory", () => memoryStorage());

describe("memoryStorage", () => {
  it("copies records in and out: holding a reference never changes the store", async () => {
    const storage = memoryStorage();
    const org = await createOrg(storage);
    const contact = contactRecord(org.id, { name: "Original", lastContactedAt: at(1) });
    const returned = await storage.transaction(org.id, (tx) => tx.contacts.create(contact));
    contact.name = "Changed input";
    returned.name = "Changed output";
    returned.lastContactedAt?.setTime(0);
    org.agent.assistantIds.push("smuggled");
    const [stored, storedOrg] = await storage.transaction(org.id, async (tx) => [
      await tx.contacts.getById(contact.id),
      await tx.organization.get(),
    ]);
    expect(stored?.name).toBe("Original");
    expect(stored?.lastContactedAt).toEqual(at(1));
    expect(storedOrg?.agent.assistantIds).toEqual([]);
  });

  it("keeps typed dates as Date and stores free-form JSON as its JSON form, like jsonb", async () => {
    const storage = memoryStorage();
    const org = await createOrg(storage);
    const call = callRecord(org.id, { metadata: { seenAt: at(2) }, transfer: { to: null, at: at(3), reason: null } });
    const stored = await storage.transaction(org.id, (tx) => tx.calls.insert(call));
    expect(stored.transfer?.at).toBeInstanceOf(Date);
    expect(stored.metadata).toEqual({ seenAt: at(2).toISOString() });
  });

  it("numbers the event log from 1, leaving a gap for a rolled-back append", async () => {
    const storage = memoryStorage();
    const org = await createOrg(storage);
    const append = (tx: OrgTx) => tx.eventLog.append(eventAppend(org.id));
    expect((await storage.transaction(org.id, append)).entry.seq).toBe(1);
    await storage
      .transaction(org.id, async (tx) => {
        await append(tx);
        throw new Error("roll back");
      })
      .catch(() => {});
    expect((await storage.transaction(org.id, append)).entry.seq).toBe(3);
    const seqs = (await storage.eventLog.read({ afterSeq: 0, limit: 10 })).map((e) => e.seq);
    expect(seqs).toEqual([1, 3]);
  });

  it("refuses a tx used after its transaction ended", async () => {
    const storage = memoryStorage();
    const org = await createOrg(storage);
    const leaked = await storage.transaction(org.id, async (tx) => tx);
    await expect(leaked.contacts.list({}, {})).rejects.toThrow(/transaction has ended/);
  });

  it("throws on every call after close()", async () => {
    const storage = memoryStorage();
    const org = await createOrg(storage);
    await storage.close();
    await expect(storage.transaction(org.id, (tx) => tx.organization.get())).rejects.toThrow(/closed/);
    await expect(storage.organizations.findByAgentId("a")).rejects.toThrow(/closed/);
    await expect(storage.eventLog.read({ afterSeq: 0, limit: 1 })).rejects.toThrow(/closed/);
    await expect(
      storage.eventLog.projectPending({ limit: 1, now: at(0), maxAttempts: 1 }, async () => {}),
    ).rejects.toThrow(/closed/);
    await expect(storage.outbox.deliverDue({ limit: 1, now: at(0) }, async () => ({ ok: true }))).rejects.toThrow(
      /closed/,
    );
  });

  it("stays fast with 100k rows: appends, pages, rollbacks and pulses do not scan or clone the store", async () => {
    const storage = memoryStorage();
    const org = await createOrg(storage);
    const rows = 100_000;
    await storage.transaction(org.id, async (tx) => {
      for (let i = 0; i < rows; i++) {
        await tx.calls.insert(callRecord(org.id, { createdAt: at(i), status: "completed", durationSeconds: 60 }));
      }
    });
    const started = performance.now();
    for (let i = 0; i < 100; i++) {
      await storage
        .transaction(org.id, async (tx) => {
          await tx.calls.insert(callRecord(org.id, { createdAt: at(rows + i) }));
          throw new Error("roll back");
        })
        .catch(() => {});
    }
    const page = await storage.transaction(org.id, (tx) => tx.calls.list({}, { limit: 100 }));
    const next = await storage.transaction(org.id, (tx) => tx.calls.list({}, { limit: 100, cursor: page.nextCursor }));
    const lastHour = await storage.transaction(org.id, (tx) => tx.metrics.pulse({ from: at(rows - 60) }));
    const elapsed = performance.now() - started;
    expect(next.items[0]?.createdAt).toEqual(at(rows - 101));
    expect(lastHour.totalCalls).toBe(60);
    // A clone of the store per transaction would take seconds here.
    expect(elapsed).toBeLessThan(1_000);
  }, 60_000);

  it("refuses a skip without a reason", () => {
    expect(() =>
      storageContract("memory", () => memoryStorage(), {
        skip: [{ reason: " ", tests: ["contacts: a phone is unique per org (Conflict)"] }],
      }),
    ).toThrow(/reason/);
  });
});
