/**
 * The contract every Storage adapter passes: the guarantees of `ports/storage.ts`, as tests.
 * Every test makes its own organizations with random ids, so the suite runs on a fresh store per
 * test or on one shared store (a database); it never assumes a transaction runs synchronously.
 */
import { beforeEach, describe, expect } from "vitest";
import type { Call } from "../../domain/call.ts";
import type { Contact } from "../../domain/contact.ts";
import type { ValidationFailed } from "../../domain/errors.ts";
import type { EventLogEntry } from "../../domain/eventLog.ts";
import type { TimeRange } from "../../domain/metrics.ts";
import type { Organization } from "../../domain/organization.ts";
import type { OrgTx, Storage } from "../../ports/storage.ts";
import { analyticsContract, analyticsEveryMethod } from "./analyticsContract.ts";
import type { ContractOptions } from "./contractKit.ts";
import { contractTests } from "./contractKit.ts";
import {
  activityRecord,
  allPages,
  appointmentRecord,
  at,
  callRecord,
  contactRecord,
  createOrg,
  drainEventLog,
  drainOutbox,
  eventAppend,
  expectError,
  expectedPulse,
  FAR_FUTURE,
  idsOf,
  messageRecord,
  newestFirst,
  newestFirstBy,
  orgRecord,
  randomPhone,
  serviceRecord,
  sortedIds,
  tick,
  uid,
} from "./fixtures.ts";

export const STORAGE_CONTRACT_TESTS = [
  "organization: create then get returns the record as given",
  "organization: a second create of one id is a Conflict",
  "organization: create of another id than the transaction's is ValidationFailed",
  "organization: update merges the patch and keeps id and createdAt",
  "unknown organization: every operation but organization.create is NotFound",
  "directory: findByAgentId matches assistant ids, the outbound assistant and the phone number id",
  "directory: findBySmsNumber matches the org's SMS sender",
  "directory: follows agent updates; unknown ids find nothing",
  "contacts: create, getById and findByPhone return the record; unknown is null",
  "contacts: a phone is unique per org (Conflict)",
  "contacts: getOrCreate creates once, then returns the stored contact",
  "contacts: two concurrent getOrCreate of one phone create exactly one",
  "contacts: update patches; NotFound for an unknown id; Conflict on a taken phone",
  "contacts: list pages newest first by (createdAt, id), ties included, no gaps or duplicates",
  "contacts: list filters by leadStatus, leadTemperature and q",
  "lists: limit defaults to 25 and is clamped to 1..100",
  "lists: an undecodable cursor is ValidationFailed on `cursor`",
  "calls: insert, getById and findByVendorCallId round-trip every field",
  "calls: vendorCallId is unique per org (Conflict on insert and update); null is allowed many times",
  "calls: update replaces the stored call; NotFound for an unknown id",
  "calls: softDelete hides from list, keeps getById; a second delete is NotFound",
  "calls: list pages newest first by (createdAt, id), ties included, no gaps or duplicates",
  "calls: list filters by direction, status, recordingStatus, contactId and range",
  "calls: maxLeadScoreOfContact is the contact's highest score, soft-deleted calls excluded",
  "services: create, getById, list by name, update",
  "services: update and delete of an unknown id are NotFound; delete removes",
  "appointments: create, getById, findByToolCallId, listByCall",
  "appointments: one booked appointment per start time (Conflict); other statuses do not block",
  "appointments: toolCallId is unique per org (Conflict)",
  "messages: create, getById, findByVendorMessageId, update; NotFound for an unknown id",
  "messages: listByContact is oldest first and only that contact's",
  "activity: append stores a key once",
  "activity: recent returns the latest, newest first by (occurredAt, id)",
  "metrics: pulse equals the definitions computed from the rows, for open and closed ranges",
  "metrics: pulse over days of calls, after updates and soft deletes, for ranges on and off day and hour bounds",
  "metrics: successRate is 0 without inbound calls; an empty org is all zeros",
  "eventLog: append stores once per (org, provider, eventKey) and returns the stored entry",
  "eventLog: two concurrent appends of one key insert exactly one",
  "eventLog: the worker's append needs no org transaction, stores once, and knows no unknown org",
  "eventLog: read pages in seq order after afterSeq, for one org or all",
  "outbox: enqueue stores a key once per org, with defaults and a JSON payload",
  "outbox: list filters by status and kind",
  "transaction: returns fn's value and commits; the same tx may be used concurrently",
  "transaction: concurrent transactions all commit, even when one awaits a timer",
  "transaction: a throw rolls back every write, event log and outbox included",
  "transaction: a rolled-back organization.create leaves no organization",
  "transaction: another transaction never sees uncommitted writes",
  "tenancy: an org never reads another org's rows by id, key, list, metrics or activity",
  "tenancy: an org never changes another org's rows",
  "tenancy: a record naming another org is ValidationFailed and stored nowhere",
  "tenancy: unique keys are per org",
  "projectPending: hands out entries oldest first, up to limit, and marks them projected",
  "projectPending: a throwing handler rolls back; attempts and lastError are recorded; the entry stays pending",
  "projectPending: entries at maxAttempts are not handed out",
  "projectPending: two concurrent calls never hand out the same entry",
  "deliverDue: an ok outcome marks the item sent, never handed out again",
  "deliverDue: a failure with retryAt reschedules; without retryAt, or a throw, makes it dead",
  "deliverDue: hands out due items oldest due first up to limit, never those due later",
  "deliverDue: two concurrent calls never hand out the same item",
] as const;
export type StorageContractTest = (typeof STORAGE_CONTRACT_TESTS)[number];

type Repositories = Omit<OrgTx, "orgId">;
/** One call of every repository method: the compiler says when the port grows a method the suite misses. */
type EveryMethod = {
  [R in keyof Repositories]: {
    [M in Exclude<keyof Repositories[R], R extends "organization" ? "create" : never>]: (
      repo: Repositories[R],
    ) => Promise<unknown>;
  };
};

function everyMethodOf(orgId: string): EveryMethod {
  const id = uid();
  return {
    organization: { get: (r) => r.get(), update: (r) => r.update({ name: "Renamed" }) },
    contacts: {
      getById: (r) => r.getById(id),
      findByPhone: (r) => r.findByPhone("+15550000000"),
      create: (r) => r.create(contactRecord(orgId)),
      getOrCreate: (r) => r.getOrCreate(contactRecord(orgId)),
      update: (r) => r.update(id, { name: "x" }),
      list: (r) => r.list({}, {}),
    },
    calls: {
      getById: (r) => r.getById(id),
      findByVendorCallId: (r) => r.findByVendorCallId("vendor-1"),
      insert: (r) => r.insert(callRecord(orgId)),
      update: (r) => r.update(callRecord(orgId)),
      list: (r) => r.list({}, {}),
      maxLeadScoreOfContact: (r) => r.maxLeadScoreOfContact(id),
      softDelete: (r) => r.softDelete(id, at(1)),
    },
    services: {
      list: (r) => r.list(),
      getById: (r) => r.getById(id),
      create: (r) => r.create(serviceRecord(orgId)),
      update: (r) => r.update(serviceRecord(orgId)),
      delete: (r) => r.delete(id),
    },
    appointments: {
      getById: (r) => r.getById(id),
      findByToolCallId: (r) => r.findByToolCallId("tool-1"),
      listByCall: (r) => r.listByCall(id),
      create: (r) => r.create(appointmentRecord(orgId, id)),
    },
    messages: {
      getById: (r) => r.getById(id),
      findByVendorMessageId: (r) => r.findByVendorMessageId("SM1"),
      create: (r) => r.create(messageRecord(orgId)),
      update: (r) => r.update(messageRecord(orgId)),
      listByContact: (r) => r.listByContact(id),
    },
    activity: { append: (r) => r.append(activityRecord(orgId)), recent: (r) => r.recent(10) },
    metrics: { pulse: (r) => r.pulse({}) },
    analytics: analyticsEveryMethod,
    eventLog: { append: (r) => r.append(eventAppend(orgId)) },
    outbox: { enqueue: (r) => r.enqueue({ kind: "k", key: "k", payload: {} }, at(0)), list: (r) => r.list() },
  };
}

/**
 * Declares the Storage contract suite for one adapter. `makeStorage` runs before each test and
 * may return a fresh store or one shared store; the suite never closes it (close a shared store
 * in your own `afterAll`).
 *
 * @example
 * storageContract("memory", () => memoryStorage());
 * storageContract("pglite", () => sharedPglite, { skip: [{ reason: "…", tests: ["…"] }] });
 */
export function storageContract(
  name: string,
  makeStorage: () => Promise<Storage> | Storage,
  options: ContractOptions<StorageContractTest> = {},
): void {
  const suite = `Storage contract: ${name}`;
  const test = contractTests(suite, STORAGE_CONTRACT_TESTS, options.skip);
  analyticsContract(name, makeStorage);

  describe(suite, () => {
    let storage: Storage;
    beforeEach(async () => {
      storage = await makeStorage();
    });

    const inOrg = <T>(orgId: string, fn: (tx: OrgTx) => Promise<T>): Promise<T> => storage.transaction(orgId, fn);
    const newOrg = (fields?: Parameters<typeof orgRecord>[0]) => createOrg(storage, fields);

    /** Inserts records in one transaction of their org, in order, and returns them as given. */
    async function seed<T>(
      orgId: string,
      records: T[],
      write: (tx: OrgTx, record: T) => Promise<unknown>,
    ): Promise<T[]> {
      await inOrg(orgId, async (tx) => {
        for (const record of records) await write(tx, record);
      });
      return records;
    }
    const seedContacts = (orgId: string, contacts: Contact[]) =>
      seed(orgId, contacts, (tx, c) => tx.contacts.create(c));
    const seedCalls = (orgId: string, calls: Call[]) => seed(orgId, calls, (tx, c) => tx.calls.insert(c));

    /** Appends `count` entries in separate transactions, so their seqs follow one another. */
    async function appendEntries(orgId: string, count: number): Promise<EventLogEntry[]> {
      const entries: EventLogEntry[] = [];
      for (let i = 0; i < count; i++) {
        const { entry } = await inOrg(orgId, (tx) =>
          tx.eventLog.append(eventAppend(orgId, { eventKey: `event-${i}` })),
        );
        entries.push(entry);
      }
      return entries;
    }

    const entriesOf = (orgId: string) => storage.eventLog.read({ afterSeq: 0, limit: 1_000, orgId });

    // -------------------------------------------------------------------------------- organization

    test("organization: create then get returns the record as given", async () => {
      const org = orgRecord({
        name: "Bright Aesthetics",
        timezone: "America/New_York",
        agent: {
          assistantIds: [uid(), uid()],
          outboundAssistantId: uid(),
          phoneNumberId: uid(),
          smsFrom: randomPhone(),
          hotLeadAlertNumbers: ["+15555550111"],
          vapiWebhookAuth: {
            type: "hmac",
            secret: "s3cret",
            algorithm: "sha256",
            signatureHeader: "x-signature",
            timestampHeader: "x-timestamp",
            maxSkewSeconds: 300,
          },
        },
      });
      expect(await inOrg(org.id, (tx) => tx.organization.create(org))).toEqual(org);
      const stored = await inOrg(org.id, (tx) => tx.organization.get());
      expect(stored).toEqual(org);
      expect(stored.createdAt).toBeInstanceOf(Date);
    });

    test("organization: a second create of one id is a Conflict", async () => {
      const org = await newOrg();
      await expectError(
        inOrg(org.id, (tx) => tx.organization.create({ ...org, name: "Again" })),
        "Conflict",
      );
      expect((await inOrg(org.id, (tx) => tx.organization.get())).name).toBe(org.name);
    });

    test("organization: create of another id than the transaction's is ValidationFailed", async () => {
      const txOrgId = uid();
      const other = orgRecord();
      await expectError(
        inOrg(txOrgId, (tx) => tx.organization.create(other)),
        "ValidationFailed",
      );
      await expectError(
        inOrg(other.id, (tx) => tx.organization.get()),
        "NotFound",
        "ORGANIZATION_NOT_FOUND",
      );
      await expectError(
        inOrg(txOrgId, (tx) => tx.organization.get()),
        "NotFound",
        "ORGANIZATION_NOT_FOUND",
      );
    });

    test("organization: update merges the patch and keeps id and createdAt", async () => {
      const org = await newOrg();
      const agent = { ...org.agent, smsFrom: randomPhone(), bookingToolNames: ["book", "reserve"] };
      const updated = await inOrg(org.id, (tx) => tx.organization.update({ name: "New Name", currency: "EUR", agent }));
      const expected: Organization = { ...org, name: "New Name", currency: "EUR", agent };
      expect(updated).toEqual(expected);
      expect(await inOrg(org.id, (tx) => tx.organization.get())).toEqual(expected);
    });

    test("unknown organization: every operation but organization.create is NotFound", async () => {
      const orgId = uid();
      for (const [repoName, methods] of Object.entries(everyMethodOf(orgId))) {
        for (const [method, call] of Object.entries(methods as Record<string, (repo: unknown) => Promise<unknown>>)) {
          const repo = repoName as keyof Repositories;
          const label = `${repo}.${method}`;
          await expectError(
            inOrg(orgId, (tx) => call(tx[repo])),
            "NotFound",
            "ORGANIZATION_NOT_FOUND",
            label,
          );
        }
      }
      // And it was only missing: once created, the same transaction's repositories work.
      const org = orgRecord({ id: orgId });
      const pulse = await inOrg(orgId, async (tx) => {
        await tx.organization.create(org);
        return tx.metrics.pulse({});
      });
      expect(pulse.totalCalls).toBe(0);
    });

    // -------------------------------------------------------------------------------- directory

    test("directory: findByAgentId matches assistant ids, the outbound assistant and the phone number id", async () => {
      const agent = { assistantIds: [uid(), uid()], outboundAssistantId: uid(), phoneNumberId: uid() };
      const org = await newOrg({ agent });
      await newOrg({ agent: { assistantIds: [uid()], outboundAssistantId: uid(), phoneNumberId: uid() } });
      for (const agentId of [...agent.assistantIds, agent.outboundAssistantId, agent.phoneNumberId]) {
        expect(await storage.organizations.findByAgentId(agentId), agentId).toEqual(org);
      }
    });

    test("directory: findBySmsNumber matches the org's SMS sender", async () => {
      const smsFrom = randomPhone();
      const org = await newOrg({ agent: { smsFrom } });
      await newOrg({ agent: { smsFrom: randomPhone() } });
      expect(await storage.organizations.findBySmsNumber(smsFrom)).toEqual(org);
    });

    test("directory: follows agent updates; unknown ids find nothing", async () => {
      const [before, after, smsFrom] = [uid(), uid(), randomPhone()];
      const org = await newOrg({ agent: { assistantIds: [before], smsFrom } });
      await inOrg(org.id, (tx) =>
        tx.organization.update({ agent: { ...org.agent, assistantIds: [after], smsFrom: null } }),
      );
      expect(await storage.organizations.findByAgentId(before)).toBeNull();
      expect((await storage.organizations.findByAgentId(after))?.id).toBe(org.id);
      expect(await storage.organizations.findBySmsNumber(smsFrom)).toBeNull();
      expect(await storage.organizations.findByAgentId(uid())).toBeNull();
      expect(await storage.organizations.findBySmsNumber(randomPhone())).toBeNull();
    });

    // -------------------------------------------------------------------------------- contacts

    test("contacts: create, getById and findByPhone return the record; unknown is null", async () => {
      const org = await newOrg();
      const contact = contactRecord(org.id, {
        name: "Ada Lovelace",
        email: "ada@example.com",
        leadStatus: "qualified",
        leadScore: 72,
        leadTemperature: "hot",
        lastContactedAt: at(5),
        smsOptedOutAt: at(6),
        createdAt: at(1),
      });
      const { created, byId, byPhone, unknown } = await inOrg(org.id, async (tx) => ({
        created: await tx.contacts.create(contact),
        byId: await tx.contacts.getById(contact.id),
        byPhone: await tx.contacts.findByPhone(contact.phone),
        unknown: [await tx.contacts.getById(uid()), await tx.contacts.findByPhone("+15559999999")],
      }));
      expect(created).toEqual(contact);
      expect(byId).toEqual(contact);
      expect(byPhone).toEqual(contact);
      expect(byId?.lastContactedAt).toBeInstanceOf(Date);
      expect(unknown).toEqual([null, null]);
    });

    test("contacts: a phone is unique per org (Conflict)", async () => {
      const org = await newOrg();
      const [first] = await seedContacts(org.id, [contactRecord(org.id)]);
      const twin = contactRecord(org.id, { phone: first?.phone });
      await expectError(
        inOrg(org.id, (tx) => tx.contacts.create(twin)),
        "Conflict",
      );
      expect(await inOrg(org.id, (tx) => tx.contacts.getById(twin.id))).toBeNull();
    });

    test("contacts: getOrCreate creates once, then returns the stored contact", async () => {
      const org = await newOrg();
      const draft = contactRecord(org.id, { name: "First" });
      const first = await inOrg(org.id, (tx) => tx.contacts.getOrCreate(draft));
      expect(first).toEqual({ contact: draft, created: true });
      const again = await inOrg(org.id, (tx) =>
        tx.contacts.getOrCreate(contactRecord(org.id, { phone: draft.phone, name: "Second" })),
      );
      expect(again).toEqual({ contact: draft, created: false });
    });

    test("contacts: two concurrent getOrCreate of one phone create exactly one", async () => {
      const org = await newOrg();
      const phone = contactRecord(org.id).phone;
      const results = await Promise.all(
        [1, 2].map(() => inOrg(org.id, (tx) => tx.contacts.getOrCreate(contactRecord(org.id, { phone })))),
      );
      expect(results.filter((r) => r.created)).toHaveLength(1);
      expect(results[0]?.contact.id).toBe(results[1]?.contact.id);
      const page = await inOrg(org.id, (tx) => tx.contacts.list({}, {}));
      expect(idsOf(page.items)).toEqual([results[0]?.contact.id]);
    });

    test("contacts: update patches; NotFound for an unknown id; Conflict on a taken phone", async () => {
      const org = await newOrg();
      const [a, b] = await seedContacts(org.id, [contactRecord(org.id), contactRecord(org.id)]);
      if (!a || !b) throw new Error("seed failed");
      const newPhone = contactRecord(org.id).phone;
      const patch = { name: "Grace", leadStatus: "booked", lastContactedAt: at(9), phone: newPhone } as const;
      const updated = await inOrg(org.id, (tx) => tx.contacts.update(a.id, patch));
      expect(updated).toEqual({ ...a, ...patch });
      await inOrg(org.id, async (tx) => {
        expect(await tx.contacts.getById(a.id)).toEqual(updated);
        expect(await tx.contacts.findByPhone(newPhone)).toEqual(updated);
        expect(await tx.contacts.findByPhone(a.phone)).toBeNull();
      });
      await expectError(
        inOrg(org.id, (tx) => tx.contacts.update(uid(), { name: "x" })),
        "NotFound",
        "CONTACT_NOT_FOUND",
      );
      await expectError(
        inOrg(org.id, (tx) => tx.contacts.update(b.id, { phone: newPhone })),
        "Conflict",
      );
      // The freed phone can be taken.
      expect((await inOrg(org.id, (tx) => tx.contacts.update(b.id, { phone: a.phone }))).phone).toBe(a.phone);
    });

    test("contacts: list pages newest first by (createdAt, id), ties included, no gaps or duplicates", async () => {
      const org = await newOrg();
      const minutes = [0, 1, 1, 1, 2, 3, 3];
      const contacts = await seedContacts(
        org.id,
        minutes.map((m) => contactRecord(org.id, { createdAt: at(m) })),
      );
      const expected = idsOf(newestFirst(contacts));
      const pages = await allPages((cursor) => inOrg(org.id, (tx) => tx.contacts.list({}, { limit: 3, cursor })));
      expect(pages.map((p) => p.items.length)).toEqual([3, 3, 1]);
      expect(idsOf(pages.flatMap((p) => p.items))).toEqual(expected);
      // A page that ends exactly at the last row has no next page.
      const whole = await inOrg(org.id, (tx) => tx.contacts.list({}, { limit: 7 }));
      expect(whole.nextCursor).toBeNull();
      // A cursor stays valid when newer rows arrive meanwhile (keyset, not offset).
      const first = await inOrg(org.id, (tx) => tx.contacts.list({}, { limit: 2 }));
      await seedContacts(org.id, [contactRecord(org.id, { createdAt: at(10) })]);
      const rest = await allPages((cursor) =>
        inOrg(org.id, (tx) => tx.contacts.list({}, { limit: 2, cursor: cursor ?? first.nextCursor })),
      );
      expect([...idsOf(first.items), ...idsOf(rest.flatMap((p) => p.items))]).toEqual(expected);
    });

    test("contacts: list filters by leadStatus, leadTemperature and q", async () => {
      const org = await newOrg();
      const c = (name: string | null, email: string | null, phone: string, fields: Partial<Contact>) =>
        contactRecord(org.id, { name, email, phone, ...fields });
      const [ada, bob, carol, adam] = await seedContacts(org.id, [
        c("Ada Lovelace", "ada@example.com", "+15550001001", {
          leadStatus: "new",
          leadTemperature: "cold",
          createdAt: at(4),
        }),
        c("Bob", null, "+15550002002", { leadStatus: "booked", leadTemperature: "hot", createdAt: at(3) }),
        c(null, "carol@EXAMPLE.org", "+15550003003", { leadStatus: "lost", leadTemperature: "warm", createdAt: at(2) }),
        c("adam", null, "+15550004004", { leadStatus: "new", leadTemperature: "hot", createdAt: at(1) }),
      ]);
      const listed = (filter: Parameters<OrgTx["contacts"]["list"]>[0]) =>
        inOrg(org.id, async (tx) => idsOf((await tx.contacts.list(filter, {})).items));
      const ids = (...contacts: (Contact | undefined)[]) => contacts.map((x) => x?.id);
      expect(await listed({ leadStatus: "new" })).toEqual(ids(ada, adam));
      expect(await listed({ leadTemperature: "hot" })).toEqual(ids(bob, adam));
      expect(await listed({ leadStatus: "new", leadTemperature: "hot" })).toEqual(ids(adam));
      expect(await listed({ q: "ADA" })).toEqual(ids(ada, adam));
      expect(await listed({ q: "example" })).toEqual(ids(ada, carol));
      expect(await listed({ q: "3003" })).toEqual(ids(carol));
      expect(await listed({ q: "ada", leadTemperature: "cold" })).toEqual(ids(ada));
      expect(await listed({ q: "%" })).toEqual([]);
      expect(await listed({ q: "_" })).toEqual([]);
      expect(await listed({ q: "nobody" })).toEqual([]);
      // Filters and cursors combine.
      const pages = await allPages((cursor) =>
        inOrg(org.id, (tx) => tx.contacts.list({ leadStatus: "new" }, { limit: 1, cursor })),
      );
      expect(idsOf(pages.flatMap((p) => p.items))).toEqual(ids(ada, adam));
    });

    test("lists: limit defaults to 25 and is clamped to 1..100", async () => {
      const org = await newOrg();
      const contacts = Array.from({ length: 101 }, (_, i) => contactRecord(org.id, { createdAt: at(i) }));
      await seedContacts(org.id, contacts);
      await seedCalls(org.id, [callRecord(org.id, { createdAt: at(1) }), callRecord(org.id, { createdAt: at(2) })]);
      const sizes = await inOrg(org.id, async (tx) => {
        const size = async (limit: number | undefined) => {
          const page = await tx.contacts.list({}, { limit });
          return [page.items.length, page.nextCursor !== null];
        };
        return [await size(undefined), await size(0), await size(-5), await size(100), await size(1_000)];
      });
      expect(sizes).toEqual([
        [25, true],
        [1, true],
        [1, true],
        [100, true],
        [100, true],
      ]);
      const calls = await inOrg(org.id, (tx) => tx.calls.list({}, { limit: 0 }));
      expect(calls.items).toHaveLength(1);
    });

    test("lists: an undecodable cursor is ValidationFailed on `cursor`", async () => {
      const org = await newOrg();
      const bad = ["%%%", "not-a-cursor", btoa("yesterday|abc"), btoa("2026-01-01T00:00:00.000Z|")];
      for (const cursor of bad) {
        const lists: [string, (tx: OrgTx) => Promise<unknown>][] = [
          ["contacts", (tx) => tx.contacts.list({}, { cursor })],
          ["calls", (tx) => tx.calls.list({}, { cursor })],
        ];
        for (const [label, list] of lists) {
          const error = await expectError(inOrg(org.id, list), "ValidationFailed", undefined, `${label} ${cursor}`);
          expect((error as ValidationFailed).issues.map((i) => i.path)).toEqual(["cursor"]);
        }
      }
    });

    // -------------------------------------------------------------------------------- calls

    test("calls: insert, getById and findByVendorCallId round-trip every field", async () => {
      const org = await newOrg();
      const [contact] = await seedContacts(org.id, [contactRecord(org.id)]);
      const [service] = await seed(org.id, [serviceRecord(org.id)], (tx, s) => tx.services.create(s));
      const call = callRecord(org.id, {
        vendorCallId: "vendor-call-1",
        status: "completed",
        fromNumber: contact?.phone ?? null,
        toNumber: "+15550009999",
        contactId: contact?.id ?? null,
        startedAt: at(1),
        endedAt: at(3),
        durationSeconds: 120,
        endedReason: "customer-ended-call",
        transcript: "I would like botox",
        summary: "Asked about botox",
        sentiment: { score: 0.5, label: "positive", summary: "happy", urgency: "medium", source: "vendor" },
        toolCalls: [{ toolCallId: "tool-1", name: "book_appointment", succeeded: true }],
        bookingConfirmed: true,
        financialValueCents: 40_000,
        pricedServiceId: service?.id ?? null,
        leadScore: 85,
        leadScoreReasons: [{ reason: "service: Botox", points: 10 }],
        recordingStatus: "completed",
        recordingUrl: "https://example.com/r.wav",
        recordingLocation: "recordings/1.wav",
        transfer: { to: "+15550008888", at: at(2), reason: "asked for a person" },
        metadata: { source: "contract", nested: { list: [1, "two", null], flag: true } },
        updatedAt: at(4),
      });
      const inserted = await inOrg(org.id, (tx) => tx.calls.insert(call));
      expect(inserted).toEqual(call);
      const [byId, byVendor] = await inOrg(org.id, async (tx) => [
        await tx.calls.getById(call.id),
        await tx.calls.findByVendorCallId("vendor-call-1"),
      ]);
      expect(byId).toEqual(call);
      expect(byVendor).toEqual(call);
      expect(byId?.transfer?.at).toBeInstanceOf(Date);
      expect(await inOrg(org.id, (tx) => tx.calls.getById(uid()))).toBeNull();
      expect(await inOrg(org.id, (tx) => tx.calls.findByVendorCallId("vendor-call-2"))).toBeNull();
    });

    test("calls: vendorCallId is unique per org (Conflict on insert and update); null is allowed many times", async () => {
      const org = await newOrg();
      const [first, , third] = await seedCalls(org.id, [
        callRecord(org.id, { vendorCallId: "v-1" }),
        callRecord(org.id, { vendorCallId: null }),
        callRecord(org.id, { vendorCallId: null }),
      ]);
      if (!first || !third) throw new Error("seed failed");
      await expectError(
        inOrg(org.id, (tx) => tx.calls.insert(callRecord(org.id, { vendorCallId: "v-1" }))),
        "Conflict",
      );
      await expectError(
        inOrg(org.id, (tx) => tx.calls.update({ ...third, vendorCallId: "v-1" })),
        "Conflict",
      );
      // Moving the id frees it; the new one is found.
      await inOrg(org.id, (tx) => tx.calls.update({ ...first, vendorCallId: "v-2" }));
      await inOrg(org.id, (tx) => tx.calls.update({ ...third, vendorCallId: "v-1" }));
      expect((await inOrg(org.id, (tx) => tx.calls.findByVendorCallId("v-1")))?.id).toBe(third.id);
      expect((await inOrg(org.id, (tx) => tx.calls.findByVendorCallId("v-2")))?.id).toBe(first.id);
    });

    test("calls: update replaces the stored call; NotFound for an unknown id", async () => {
      const org = await newOrg();
      const [call] = await seedCalls(org.id, [callRecord(org.id, { metadata: { a: 1 } })]);
      if (!call) throw new Error("seed failed");
      const next: Call = { ...call, status: "in_progress", startedAt: at(1), metadata: { b: 2 }, updatedAt: at(1) };
      expect(await inOrg(org.id, (tx) => tx.calls.update(next))).toEqual(next);
      expect(await inOrg(org.id, (tx) => tx.calls.getById(call.id))).toEqual(next);
      await expectError(
        inOrg(org.id, (tx) => tx.calls.update(callRecord(org.id))),
        "NotFound",
        "CALL_NOT_FOUND",
      );
    });

    test("calls: softDelete hides from list, keeps getById; a second delete is NotFound", async () => {
      const org = await newOrg();
      const [kept, gone] = await seedCalls(org.id, [
        callRecord(org.id, { createdAt: at(1) }),
        callRecord(org.id, { createdAt: at(2), vendorCallId: "v-gone" }),
      ]);
      if (!kept || !gone) throw new Error("seed failed");
      await inOrg(org.id, (tx) => tx.calls.softDelete(gone.id, at(5)));
      await inOrg(org.id, async (tx) => {
        expect(idsOf((await tx.calls.list({}, {})).items)).toEqual([kept.id]);
        expect(await tx.calls.getById(gone.id)).toEqual({ ...gone, deletedAt: at(5) });
        expect((await tx.calls.findByVendorCallId("v-gone"))?.id).toBe(gone.id);
      });
      await expectError(
        inOrg(org.id, (tx) => tx.calls.softDelete(gone.id, at(6))),
        "NotFound",
        "CALL_NOT_FOUND",
      );
      await expectError(
        inOrg(org.id, (tx) => tx.calls.softDelete(uid(), at(6))),
        "NotFound",
        "CALL_NOT_FOUND",
      );
      expect((await inOrg(org.id, (tx) => tx.calls.getById(gone.id)))?.deletedAt).toEqual(at(5));
    });

    test("calls: list pages newest first by (createdAt, id), ties included, no gaps or duplicates", async () => {
      const org = await newOrg();
      const calls = await seedCalls(
        org.id,
        [5, 5, 5, 4, 6, 6, 1, 0].map((m) => callRecord(org.id, { createdAt: at(m) })),
      );
      const pages = await allPages((cursor) => inOrg(org.id, (tx) => tx.calls.list({}, { limit: 3, cursor })));
      expect(pages.map((p) => p.items.length)).toEqual([3, 3, 2]);
      expect(idsOf(pages.flatMap((p) => p.items))).toEqual(idsOf(newestFirst(calls)));
    });

    test("calls: list filters by direction, status, recordingStatus, contactId and range", async () => {
      const org = await newOrg();
      const [ann, ben] = await seedContacts(org.id, [contactRecord(org.id), contactRecord(org.id)]);
      const calls = await seedCalls(org.id, [
        callRecord(org.id, { createdAt: at(0), direction: "inbound", status: "completed", contactId: ann?.id }),
        callRecord(org.id, { createdAt: at(1), direction: "outbound", status: "failed", contactId: ann?.id }),
        callRecord(org.id, {
          createdAt: at(2),
          direction: "inbound",
          status: "completed",
          recordingStatus: "completed",
        }),
        callRecord(org.id, { createdAt: at(3), direction: "outbound", status: "completed", contactId: ben?.id }),
        callRecord(org.id, { createdAt: at(4), direction: "inbound", status: "no_answer", recordingStatus: "failed" }),
      ]);
      const expected = (keep: (c: Call) => boolean) => idsOf(newestFirst(calls.filter(keep)));
      const listed = async (filter: Parameters<OrgTx["calls"]["list"]>[0]) => {
        const pages = await allPages((cursor) => inOrg(org.id, (tx) => tx.calls.list(filter, { limit: 1, cursor })));
        return idsOf(pages.flatMap((p) => p.items));
      };
      const within = (range: TimeRange) => (c: Call) =>
        (!range.from || c.createdAt >= range.from) && (!range.to || c.createdAt < range.to);
      expect(await listed({ direction: "outbound" })).toEqual(expected((c) => c.direction === "outbound"));
      expect(await listed({ status: "completed" })).toEqual(expected((c) => c.status === "completed"));
      expect(await listed({ recordingStatus: "pending" })).toEqual(expected((c) => c.recordingStatus === "pending"));
      expect(await listed({ contactId: ann?.id })).toEqual(expected((c) => c.contactId === ann?.id));
      for (const range of [{ from: at(1) }, { to: at(3) }, { from: at(1), to: at(3) }, { from: at(2), to: at(2) }]) {
        expect(await listed({ range }), JSON.stringify(range)).toEqual(expected(within(range)));
      }
      expect(await listed({ direction: "inbound", status: "completed", range: { from: at(1) } })).toEqual(
        expected((c) => c.direction === "inbound" && c.status === "completed" && c.createdAt >= at(1)),
      );
    });

    test("calls: maxLeadScoreOfContact is the contact's highest score, soft-deleted calls excluded", async () => {
      const org = await newOrg();
      const [ann, ben, cid] = await seedContacts(org.id, [
        contactRecord(org.id),
        contactRecord(org.id),
        contactRecord(org.id),
      ]);
      if (!ann || !ben || !cid) throw new Error("seed failed");
      const [, , top] = await seedCalls(org.id, [
        callRecord(org.id, { contactId: ann.id, leadScore: 40 }),
        callRecord(org.id, { contactId: ann.id, leadScore: null }),
        callRecord(org.id, { contactId: ann.id, leadScore: 95 }),
        callRecord(org.id, { contactId: ann.id, leadScore: 65 }),
        callRecord(org.id, { contactId: ben.id, leadScore: 99 }),
        callRecord(org.id, { contactId: cid.id, leadScore: null }),
      ]);
      const maxOf = (id: string) => inOrg(org.id, (tx) => tx.calls.maxLeadScoreOfContact(id));
      expect(await maxOf(ann.id)).toBe(95);
      expect(await maxOf(cid.id)).toBeNull();
      expect(await maxOf(uid())).toBeNull();
      await inOrg(org.id, (tx) => tx.calls.softDelete(top?.id ?? "", at(1)));
      expect(await maxOf(ann.id)).toBe(65);
    });

    // -------------------------------------------------------------------------------- services

    test("services: create, getById, list by name, update", async () => {
      const org = await newOrg();
      const services = ["Facelift", "Botox", "Consultation"].map((name) => serviceRecord(org.id, { name }));
      await inOrg(org.id, async (tx) => {
        for (const service of services) expect(await tx.services.create(service)).toEqual(service);
      });
      const [facelift] = services;
      if (!facelift) throw new Error("no service");
      const listed = await inOrg(org.id, (tx) => tx.services.list());
      expect(listed.map((s) => s.name)).toEqual(["Botox", "Consultation", "Facelift"]);
      expect(await inOrg(org.id, (tx) => tx.services.getById(facelift.id))).toEqual(facelift);
      expect(await inOrg(org.id, (tx) => tx.services.getById(uid()))).toBeNull();
      const changed = {
        ...facelift,
        name: "Face Lift",
        priceCents: 900_000,
        keywords: ["face lift"],
        updatedAt: at(3),
      };
      expect(await inOrg(org.id, (tx) => tx.services.update(changed))).toEqual(changed);
      expect(await inOrg(org.id, (tx) => tx.services.getById(facelift.id))).toEqual(changed);
    });

    test("services: update and delete of an unknown id are NotFound; delete removes", async () => {
      const org = await newOrg();
      const [botox, lipo] = await seed(
        org.id,
        [serviceRecord(org.id), serviceRecord(org.id, { name: "Liposuction" })],
        (tx, s) => tx.services.create(s),
      );
      if (!botox || !lipo) throw new Error("seed failed");
      await expectError(
        inOrg(org.id, (tx) => tx.services.update(serviceRecord(org.id))),
        "NotFound",
        "SERVICE_NOT_FOUND",
      );
      await expectError(
        inOrg(org.id, (tx) => tx.services.delete(uid())),
        "NotFound",
        "SERVICE_NOT_FOUND",
      );
      await inOrg(org.id, (tx) => tx.services.delete(botox.id));
      expect(await inOrg(org.id, (tx) => tx.services.getById(botox.id))).toBeNull();
      expect(idsOf(await inOrg(org.id, (tx) => tx.services.list()))).toEqual([lipo.id]);
      await expectError(
        inOrg(org.id, (tx) => tx.services.delete(botox.id)),
        "NotFound",
        "SERVICE_NOT_FOUND",
      );
    });

    // -------------------------------------------------------------------------------- appointments

    test("appointments: create, getById, findByToolCallId, listByCall", async () => {
      const org = await newOrg();
      const [contact] = await seedContacts(org.id, [contactRecord(org.id)]);
      const [call, other] = await seedCalls(org.id, [callRecord(org.id), callRecord(org.id)]);
      const [service] = await seed(org.id, [serviceRecord(org.id)], (tx, s) => tx.services.create(s));
      if (!contact || !call || !other) throw new Error("seed failed");
      const booked = appointmentRecord(org.id, contact.id, {
        callId: call.id,
        serviceId: service?.id ?? null,
        toolCallId: "tool-1",
        startsAt: at(60),
      });
      const canceled = appointmentRecord(org.id, contact.id, {
        callId: call.id,
        status: "canceled",
        startsAt: at(120),
      });
      const elsewhere = appointmentRecord(org.id, contact.id, { callId: other.id, startsAt: at(180) });
      await inOrg(org.id, async (tx) => {
        for (const a of [booked, canceled, elsewhere]) expect(await tx.appointments.create(a)).toEqual(a);
      });
      await inOrg(org.id, async (tx) => {
        expect(await tx.appointments.getById(booked.id)).toEqual(booked);
        expect(await tx.appointments.getById(uid())).toBeNull();
        expect(await tx.appointments.findByToolCallId("tool-1")).toEqual(booked);
        expect(await tx.appointments.findByToolCallId("tool-2")).toBeNull();
        expect(sortedIds(await tx.appointments.listByCall(call.id))).toEqual(sortedIds([booked, canceled]));
        expect(await tx.appointments.listByCall(uid())).toEqual([]);
      });
    });

    test("appointments: one booked appointment per start time (Conflict); other statuses do not block", async () => {
      const org = await newOrg();
      const [ann, ben] = await seedContacts(org.id, [contactRecord(org.id), contactRecord(org.id)]);
      if (!ann || !ben) throw new Error("seed failed");
      const create = (contactId: string, status: "booked" | "canceled", minutes: number) =>
        inOrg(org.id, (tx) =>
          tx.appointments.create(appointmentRecord(org.id, contactId, { status, startsAt: at(minutes) })),
        );
      await create(ann.id, "booked", 60);
      await expectError(create(ben.id, "booked", 60), "Conflict");
      await create(ben.id, "canceled", 60);
      await create(ben.id, "booked", 61);
    });

    test("appointments: toolCallId is unique per org (Conflict)", async () => {
      const org = await newOrg();
      const [ann] = await seedContacts(org.id, [contactRecord(org.id)]);
      const create = (minutes: number, toolCallId: string | null) =>
        inOrg(org.id, (tx) =>
          tx.appointments.create(appointmentRecord(org.id, ann?.id ?? "", { startsAt: at(minutes), toolCallId })),
        );
      await create(60, "tool-1");
      await expectError(create(120, "tool-1"), "Conflict");
      await create(180, null);
      await create(240, null);
    });

    // -------------------------------------------------------------------------------- messages

    test("messages: create, getById, findByVendorMessageId, update; NotFound for an unknown id", async () => {
      const org = await newOrg();
      const [contact] = await seedContacts(org.id, [contactRecord(org.id)]);
      const message = messageRecord(org.id, {
        contactId: contact?.id ?? null,
        toNumber: contact?.phone,
        vendorMessageId: "SM1",
      });
      const alert = messageRecord(org.id, { purpose: "hot_lead_alert" });
      await inOrg(org.id, async (tx) => {
        expect(await tx.messages.create(message)).toEqual(message);
        expect(await tx.messages.create(alert)).toEqual(alert);
      });
      const delivered = { ...message, status: "delivered" as const, errorCode: null, updatedAt: at(2) };
      await inOrg(org.id, async (tx) => {
        expect(await tx.messages.getById(message.id)).toEqual(message);
        expect(await tx.messages.getById(uid())).toBeNull();
        expect(await tx.messages.findByVendorMessageId("SM1")).toEqual(message);
        expect(await tx.messages.findByVendorMessageId("SM2")).toBeNull();
        expect(await tx.messages.update(delivered)).toEqual(delivered);
      });
      await expectError(
        inOrg(org.id, (tx) => tx.messages.create(messageRecord(org.id, { vendorMessageId: "SM1" }))),
        "Conflict",
      );
      expect(await inOrg(org.id, (tx) => tx.messages.getById(message.id))).toEqual(delivered);
      await expectError(
        inOrg(org.id, (tx) => tx.messages.update(messageRecord(org.id))),
        "NotFound",
        "MESSAGE_NOT_FOUND",
      );
    });

    test("messages: listByContact is oldest first and only that contact's", async () => {
      const org = await newOrg();
      const [ann, ben] = await seedContacts(org.id, [contactRecord(org.id), contactRecord(org.id)]);
      if (!ann || !ben) throw new Error("seed failed");
      const ofAnn = (minutes: number) => messageRecord(org.id, { contactId: ann.id, createdAt: at(minutes) });
      const [third, first, second] = await seed(
        org.id,
        [ofAnn(3), ofAnn(1), ofAnn(2), messageRecord(org.id, { contactId: ben.id })],
        (tx, m) => tx.messages.create(m),
      );
      expect(idsOf(await inOrg(org.id, (tx) => tx.messages.listByContact(ann.id)))).toEqual(
        idsOf([first, second, third].flatMap((m) => m ?? [])),
      );
      expect(await inOrg(org.id, (tx) => tx.messages.listByContact(uid()))).toEqual([]);
    });

    // -------------------------------------------------------------------------------- activity

    test("activity: append stores a key once", async () => {
      const org = await newOrg();
      const first = activityRecord(org.id, { key: "call-1:started", data: { n: 1, nested: { ok: true } } });
      expect(await inOrg(org.id, (tx) => tx.activity.append(first))).toEqual({ inserted: true });
      const again = activityRecord(org.id, { key: "call-1:started", summary: "again" });
      expect(await inOrg(org.id, (tx) => tx.activity.append(again))).toEqual({ inserted: false });
      expect(await inOrg(org.id, (tx) => tx.activity.recent(10))).toEqual([first]);
    });

    test("activity: recent returns the latest, newest first by (occurredAt, id)", async () => {
      const org = await newOrg();
      const activities = [0, 1, 1, 1, 2, 3, 3, 4, 5, 6, 6, 7].map((m) => activityRecord(org.id, { occurredAt: at(m) }));
      await seed(org.id, activities, (tx, a) => tx.activity.append(a));
      const expected = newestFirstBy(activities, (a) => a.occurredAt);
      expect(await inOrg(org.id, (tx) => tx.activity.recent(10))).toEqual(expected.slice(0, 10));
      expect(idsOf(await inOrg(org.id, (tx) => tx.activity.recent(3)))).toEqual(idsOf(expected.slice(0, 3)));
    });

    // -------------------------------------------------------------------------------- metrics

    test("metrics: pulse equals the definitions computed from the rows, for open and closed ranges", async () => {
      const org = await newOrg();
      const [c1, c2, c3] = await seedContacts(org.id, [
        contactRecord(org.id),
        contactRecord(org.id),
        contactRecord(org.id),
      ]);
      const call = (minutes: number, fields: Partial<Call>) =>
        callRecord(org.id, { createdAt: at(minutes), ...fields });
      const done = { status: "completed" } as const;
      const calls = await seedCalls(org.id, [
        call(0, {
          ...done,
          bookingConfirmed: true,
          durationSeconds: 61,
          financialValueCents: 40_000,
          leadScore: 80,
          contactId: c1?.id,
        }),
        call(1, { ...done, durationSeconds: 62, leadScore: 75, contactId: c1?.id }),
        call(2, { status: "failed", durationSeconds: 10, leadScore: 30, contactId: c2?.id }),
        call(3, {
          ...done,
          direction: "outbound",
          bookingConfirmed: true,
          durationSeconds: 100,
          financialValueCents: 800_000,
          leadScore: 90,
          contactId: c3?.id,
        }),
        call(4, { direction: "outbound", status: "no_answer" }),
        call(5, { ...done, bookingConfirmed: true, financialValueCents: 15_000, leadScore: 70, contactId: c2?.id }),
        call(6, {
          ...done,
          bookingConfirmed: true,
          durationSeconds: 1_000,
          financialValueCents: 999_999,
          leadScore: 99,
          contactId: c3?.id,
        }),
        call(7, { ...done, durationSeconds: 30, leadScore: 85 }),
      ]);
      const deleted = calls[6] as Call;
      await inOrg(org.id, (tx) => tx.calls.softDelete(deleted.id, at(8)));
      deleted.deletedAt = at(8);
      // A hand-checked anchor, so the test's own arithmetic is checked too.
      expect(expectedPulse(calls, {})).toEqual({
        totalCalls: 7,
        inboundCalls: 5,
        bookings: 3,
        successRate: 40,
        pipelineValueCents: 855_000,
        avgDurationSeconds: 63,
        hotLeads: 3,
      });
      const ranges: TimeRange[] = [
        {},
        { from: at(1) },
        { to: at(3) },
        { to: at(5) },
        { from: at(2), to: at(6) },
        { from: at(3), to: at(3) },
        { from: at(100) },
      ];
      for (const range of ranges) {
        expect(await inOrg(org.id, (tx) => tx.metrics.pulse(range)), JSON.stringify(range)).toEqual(
          expectedPulse(calls, range),
        );
      }
      expect((await inOrg(org.id, (tx) => tx.metrics.pulse({ to: at(3) }))).successRate).toBe(33.3);
    });

    test("metrics: pulse over days of calls, after updates and soft deletes, for ranges on and off day and hour bounds", async () => {
      // An adapter may keep figures per period (days, hours) and read only the ends of a range
      // from the calls: every call must count once, in its own period, whatever changed since.
      const org = await newOrg();
      const contacts = await seedContacts(org.id, [contactRecord(org.id), contactRecord(org.id)]);
      let seed = 7;
      const next = (n: number) => {
        seed = (seed * 1_103_515_245 + 12_345) % 2_147_483_648;
        return seed % n;
      };
      const statuses = ["completed", "failed", "no_answer", "in_progress"] as const;
      const calls = await seedCalls(
        org.id,
        Array.from({ length: 60 }, (_, i) =>
          callRecord(org.id, {
            createdAt: at(i * 97 + next(60)), // across four days, some hours with none, some with two
            direction: next(3) === 0 ? "outbound" : "inbound",
            status: statuses[next(4)] as Call["status"],
            bookingConfirmed: next(3) === 0,
            durationSeconds: next(5) === 0 ? null : next(600),
            financialValueCents: next(4) * 10_000,
            leadScore: next(100),
            contactId: contacts[next(2)]?.id ?? null,
          }),
        ),
      );
      await inOrg(org.id, async (tx) => {
        for (const [i, call] of calls.entries()) {
          if (i % 4 === 1) {
            // A counted figure changes, or the call moves to another hour.
            Object.assign(call, { status: "completed", bookingConfirmed: !call.bookingConfirmed, durationSeconds: 45 });
            if (i % 8 === 1) call.createdAt = at(i * 97 + 500);
            call.financialValueCents += 5_000;
            await tx.calls.update(call);
          } else if (i % 4 === 2) {
            await tx.calls.softDelete(call.id, at(6_000));
            call.deletedAt = at(6_000);
          }
        }
      });
      const hour = 60;
      const ranges: TimeRange[] = [
        {},
        { from: at(0) },
        { to: at(10 * hour) },
        { from: at(hour), to: at(30 * hour) },
        { from: at(hour + 17), to: at(30 * hour + 5) },
        { from: at(5 * hour + 10), to: at(5 * hour + 50) },
        { from: at(5 * hour + 30), to: at(6 * hour + 20) },
        { from: at(12 * hour + 1) },
        { to: at(40 * hour - 1) },
        { from: at(2 * hour), to: at(2 * hour) },
        { from: at(15 * hour), to: at(63 * hour) }, // whole UTC days exactly
      ];
      for (const range of ranges) {
        expect(await inOrg(org.id, (tx) => tx.metrics.pulse(range)), JSON.stringify(range)).toEqual(
          expectedPulse(calls, range),
        );
      }
    });

    test("metrics: successRate is 0 without inbound calls; an empty org is all zeros", async () => {
      const org = await newOrg();
      const zero = {
        totalCalls: 0,
        inboundCalls: 0,
        bookings: 0,
        successRate: 0,
        pipelineValueCents: 0,
        avgDurationSeconds: 0,
        hotLeads: 0,
      };
      expect(await inOrg(org.id, (tx) => tx.metrics.pulse({}))).toEqual(zero);
      await seedCalls(org.id, [
        callRecord(org.id, { direction: "outbound", status: "completed", bookingConfirmed: true, durationSeconds: 40 }),
      ]);
      const pulse = await inOrg(org.id, (tx) => tx.metrics.pulse({}));
      expect(pulse).toEqual({ ...zero, totalCalls: 1, bookings: 1, avgDurationSeconds: 40 });
    });

    // -------------------------------------------------------------------------------- event log

    test("eventLog: append stores once per (org, provider, eventKey) and returns the stored entry", async () => {
      const org = await newOrg();
      const append = eventAppend(org.id, {
        provider: "vapi",
        eventKey: "call-1:end-of-call-report",
        payload: { message: { type: "x", n: [1, 2] } },
      });
      const first = await inOrg(org.id, (tx) => tx.eventLog.append(append));
      expect(first.inserted).toBe(true);
      expect(Number.isInteger(first.entry.seq) && first.entry.seq > 0).toBe(true);
      expect(first.entry).toEqual({ ...append, seq: first.entry.seq, projectedAt: null, attempts: 0, lastError: null });
      const again = await inOrg(org.id, (tx) =>
        tx.eventLog.append({ ...append, payload: { other: true }, receivedAt: at(5) }),
      );
      expect(again).toEqual({ inserted: false, entry: first.entry });
      const twilio = await inOrg(org.id, (tx) => tx.eventLog.append({ ...append, provider: "twilio" }));
      expect(twilio.inserted).toBe(true);
      expect(twilio.entry.seq).toBeGreaterThan(first.entry.seq);
      expect(await entriesOf(org.id)).toEqual([first.entry, twilio.entry]);
    });

    test("eventLog: two concurrent appends of one key insert exactly one", async () => {
      const org = await newOrg();
      const results = await Promise.all(
        [1, 2].map((n) =>
          inOrg(org.id, (tx) => tx.eventLog.append(eventAppend(org.id, { eventKey: "dup", payload: { n } }))),
        ),
      );
      expect(results.filter((r) => r.inserted)).toHaveLength(1);
      expect(results[0]?.entry).toEqual(results[1]?.entry);
      expect(await entriesOf(org.id)).toHaveLength(1);
    });

    test("eventLog: the worker's append needs no org transaction, stores once, and knows no unknown org", async () => {
      const org = await newOrg();
      const results = await Promise.all(
        [1, 2].map((n) => storage.eventLog.append(eventAppend(org.id, { eventKey: "worker-dup", payload: { n } }))),
      );
      expect(results.filter((r) => r.inserted)).toHaveLength(1);
      expect(results[0]?.entry).toEqual(results[1]?.entry);
      const inTx = await inOrg(org.id, (tx) => tx.eventLog.append(eventAppend(org.id, { eventKey: "worker-dup" })));
      expect(inTx).toEqual({ inserted: false, entry: results[0]?.entry });
      await expectError(storage.eventLog.append(eventAppend(uid(), { eventKey: "orphan" })), "NotFound");
      expect(await entriesOf(org.id)).toHaveLength(1);
    });

    test("eventLog: read pages in seq order after afterSeq, for one org or all", async () => {
      const [a, b] = [await newOrg(), await newOrg()];
      const appended: EventLogEntry[] = [];
      for (const orgId of [a.id, b.id, a.id, a.id, b.id, a.id, a.id]) {
        appended.push((await inOrg(orgId, (tx) => tx.eventLog.append(eventAppend(orgId)))).entry);
      }
      const seqs = appended.map((e) => e.seq);
      expect(seqs).toEqual([...seqs].sort((x, y) => x - y));
      const ofA = appended.filter((e) => e.orgId === a.id);
      const pages: EventLogEntry[][] = [];
      for (let afterSeq = 0; ; ) {
        const page = await storage.eventLog.read({ afterSeq, limit: 2, orgId: a.id });
        if (page.length === 0) break;
        pages.push(page);
        afterSeq = page.at(-1)?.seq ?? afterSeq;
      }
      expect(pages.map((p) => p.length)).toEqual([2, 2, 1]);
      expect(pages.flat()).toEqual(ofA);
      const ours = new Set([a.id, b.id]);
      const all = await storage.eventLog.read({ afterSeq: (seqs[0] ?? 1) - 1, limit: 1_000 });
      expect(all.filter((e) => ours.has(e.orgId))).toEqual(appended);
      expect(await storage.eventLog.read({ afterSeq: seqs[1] ?? 0, limit: 2, orgId: a.id })).toEqual(ofA.slice(1, 3));
    });

    // -------------------------------------------------------------------------------- outbox

    test("outbox: enqueue stores a key once per org, with defaults and a JSON payload", async () => {
      const org = await newOrg();
      const payload = { to: "+15550001111", at: at(1), nested: { list: [1, null] } };
      expect(await inOrg(org.id, (tx) => tx.outbox.enqueue({ kind: "sms.test", key: "k-1", payload }, at(5)))).toBe(
        true,
      );
      expect(await inOrg(org.id, (tx) => tx.outbox.enqueue({ kind: "other", key: "k-1", payload: {} }, at(6)))).toBe(
        false,
      );
      expect(
        await inOrg(org.id, (tx) =>
          tx.outbox.enqueue({ kind: "sms.test", key: "k-2", payload: {}, dueAt: at(30) }, at(6)),
        ),
      ).toBe(true);
      const [first, second] = await inOrg(org.id, async (tx) =>
        (await tx.outbox.list()).sort((x, y) => (x.key < y.key ? -1 : 1)),
      );
      expect(first).toEqual({
        id: expect.any(String),
        orgId: org.id,
        kind: "sms.test",
        key: "k-1",
        payload: { to: "+15550001111", at: at(1).toISOString(), nested: { list: [1, null] } },
        status: "pending",
        dueAt: at(5),
        attempts: 0,
        lastError: null,
        createdAt: at(5),
      });
      expect(second?.dueAt).toEqual(at(30));
      expect(first?.id).not.toBe(second?.id);
    });

    test("outbox: list filters by status and kind", async () => {
      const org = await newOrg();
      await inOrg(org.id, async (tx) => {
        for (const [kind, key] of [
          ["a", "1"],
          ["a", "2"],
          ["b", "3"],
        ] as const) {
          await tx.outbox.enqueue({ kind, key, payload: {} }, at(0));
        }
      });
      const keys = (filter?: Parameters<OrgTx["outbox"]["list"]>[0]) =>
        inOrg(org.id, async (tx) => (await tx.outbox.list(filter)).map((o) => o.key).sort());
      expect(await keys()).toEqual(["1", "2", "3"]);
      expect(await keys({ kind: "a" })).toEqual(["1", "2"]);
      expect(await keys({ status: "pending", kind: "b" })).toEqual(["3"]);
      expect(await keys({ status: "sent" })).toEqual([]);
      expect(await keys({ kind: "c" })).toEqual([]);
    });

    // -------------------------------------------------------------------------------- transactions

    test("transaction: returns fn's value and commits; the same tx may be used concurrently", async () => {
      const org = await newOrg();
      const contacts = [contactRecord(org.id), contactRecord(org.id), contactRecord(org.id)];
      const value = await inOrg(org.id, async (tx) => {
        await Promise.all(contacts.map((c) => tx.contacts.create(c)));
        const seen = await Promise.all(contacts.map((c) => tx.contacts.getById(c.id)));
        return { seen: seen.length, mine: seen.every((c) => c !== null) };
      });
      expect(value).toEqual({ seen: 3, mine: true });
      expect(sortedIds((await inOrg(org.id, (tx) => tx.contacts.list({}, {}))).items)).toEqual(sortedIds(contacts));
    });

    test("transaction: concurrent transactions all commit, even when one awaits a timer", async () => {
      const org = await newOrg();
      const contacts = Array.from({ length: 8 }, () => contactRecord(org.id));
      await Promise.all(
        contacts.map((c, i) =>
          inOrg(org.id, async (tx) => {
            if (i === 0) await tick(5);
            await tx.contacts.create(c);
          }),
        ),
      );
      expect(sortedIds((await inOrg(org.id, (tx) => tx.contacts.list({}, {}))).items)).toEqual(sortedIds(contacts));
    });

    test("transaction: a throw rolls back every write, event log and outbox included", async () => {
      const org = await newOrg();
      const [contact] = await seedContacts(org.id, [contactRecord(org.id, { name: "Before" })]);
      const [call] = await seedCalls(org.id, [callRecord(org.id, { contactId: contact?.id, leadScore: 50 })]);
      const [service] = await seed(org.id, [serviceRecord(org.id)], (tx, s) => tx.services.create(s));
      const [message] = await seed(org.id, [messageRecord(org.id, { contactId: contact?.id })], (tx, m) =>
        tx.messages.create(m),
      );
      if (!contact || !call || !service || !message) throw new Error("seed failed");
      const snapshot = (tx: OrgTx) =>
        Promise.all([
          tx.organization.get(),
          tx.contacts.list({}, {}),
          tx.calls.list({}, {}),
          tx.calls.getById(call.id),
          tx.services.list(),
          tx.appointments.listByCall(call.id),
          tx.messages.listByContact(contact.id),
          tx.activity.recent(10),
          tx.metrics.pulse({}),
          tx.outbox.list(),
        ]);
      const before = await inOrg(org.id, snapshot);
      const eventsBefore = await entriesOf(org.id);
      const newContact = contactRecord(org.id);
      const keys = {
        event: eventAppend(org.id, { eventKey: "rolled-back" }),
        outbox: { kind: "k", key: "rolled-back", payload: {} },
      };
      const activity = activityRecord(org.id, { key: "rolled-back" });
      const failure = new Error("fn failed");
      const outcome = inOrg(org.id, async (tx) => {
        await tx.organization.update({ name: "Changed" });
        await tx.contacts.create(newContact);
        await tx.contacts.update(contact.id, { name: "After", phone: "+15559990000" });
        await tx.calls.insert(callRecord(org.id, { vendorCallId: "rolled-back", bookingConfirmed: true }));
        await tx.calls.update({ ...call, leadScore: 99 });
        await tx.calls.softDelete(call.id, at(1));
        await tx.services.create(serviceRecord(org.id, { name: "New" }));
        await tx.services.update({ ...service, priceCents: 1 });
        await tx.services.delete(service.id);
        await tx.appointments.create(
          appointmentRecord(org.id, contact.id, { callId: call.id, toolCallId: "rolled-back" }),
        );
        await tx.messages.create(messageRecord(org.id, { contactId: contact.id }));
        await tx.messages.update({ ...message, status: "failed" });
        await tx.activity.append(activity);
        await tx.eventLog.append(keys.event);
        await tx.outbox.enqueue(keys.outbox, at(0));
        await tick();
        throw failure;
      });
      await expect(outcome).rejects.toBe(failure);
      expect(await inOrg(org.id, snapshot)).toEqual(before);
      expect(await entriesOf(org.id)).toEqual(eventsBefore);
      // The keys the rolled-back writes held are free again.
      await inOrg(org.id, async (tx) => {
        expect((await tx.eventLog.append(keys.event)).inserted).toBe(true);
        expect(await tx.outbox.enqueue(keys.outbox, at(0))).toBe(true);
        expect(await tx.activity.append(activity)).toEqual({ inserted: true });
        expect(await tx.contacts.findByPhone("+15559990000")).toBeNull();
        expect(await tx.calls.findByVendorCallId("rolled-back")).toBeNull();
        expect(await tx.appointments.findByToolCallId("rolled-back")).toBeNull();
        await tx.contacts.create(newContact);
      });
    });

    test("transaction: a rolled-back organization.create leaves no organization", async () => {
      const org = orgRecord({ agent: { assistantIds: [uid()] } });
      const failure = new Error("abort");
      await expect(
        inOrg(org.id, async (tx) => {
          await tx.organization.create(org);
          await tx.contacts.create(contactRecord(org.id));
          throw failure;
        }),
      ).rejects.toBe(failure);
      await expectError(
        inOrg(org.id, (tx) => tx.organization.get()),
        "NotFound",
        "ORGANIZATION_NOT_FOUND",
      );
      expect(await storage.organizations.findByAgentId(org.agent.assistantIds[0] ?? "")).toBeNull();
      expect(await inOrg(org.id, (tx) => tx.organization.create(org))).toEqual(org);
      expect((await inOrg(org.id, (tx) => tx.contacts.list({}, {}))).items).toEqual([]);
    });

    test("transaction: another transaction never sees uncommitted writes", async () => {
      const org = await newOrg();
      const contact = contactRecord(org.id);
      const failure = new Error("abort");
      const writer = inOrg(org.id, async (tx) => {
        await tx.contacts.create(contact);
        await tx.eventLog.append(eventAppend(org.id, { eventKey: "uncommitted" }));
        await tick(20);
        throw failure;
      });
      // Starts while the writer is (or may be) running; whenever it runs, the writer never committed.
      const reader = (async () => {
        await tick(2);
        return inOrg(org.id, async (tx) => [
          await tx.contacts.getById(contact.id),
          await tx.contacts.findByPhone(contact.phone),
          (await tx.contacts.list({}, {})).items,
        ]);
      })();
      const [written, read] = await Promise.allSettled([writer, reader]);
      expect(written).toEqual({ status: "rejected", reason: failure });
      expect(read).toEqual({ status: "fulfilled", value: [null, null, []] });
      expect(await entriesOf(org.id)).toEqual([]);
    });

    // -------------------------------------------------------------------------------- tenancy

    /** An org with one row in every table, each keyed by `tag` where the table has a key. */
    async function populatedOrg(tag: string) {
      const org = await newOrg({ agent: { assistantIds: [uid()], smsFrom: randomPhone() } });
      const contact = contactRecord(org.id, { name: `Contact ${tag}` });
      const call = callRecord(org.id, {
        contactId: contact.id,
        vendorCallId: `v-${tag}`,
        leadScore: 80,
        bookingConfirmed: true,
      });
      const service = serviceRecord(org.id, { name: `Service ${tag}` });
      const appointment = appointmentRecord(org.id, contact.id, { callId: call.id, toolCallId: `tool-${tag}` });
      const message = messageRecord(org.id, { contactId: contact.id, vendorMessageId: `SM-${tag}` });
      const activity = activityRecord(org.id, { key: `activity-${tag}` });
      const event = await inOrg(org.id, async (tx) => {
        await tx.contacts.create(contact);
        await tx.calls.insert(call);
        await tx.services.create(service);
        await tx.appointments.create(appointment);
        await tx.messages.create(message);
        await tx.activity.append(activity);
        await tx.outbox.enqueue({ kind: "k", key: `outbox-${tag}`, payload: {} }, at(0));
        return (await tx.eventLog.append(eventAppend(org.id, { eventKey: `event-${tag}` }))).entry;
      });
      return { org, contact, call, service, appointment, message, activity, event };
    }
    type Populated = Awaited<ReturnType<typeof populatedOrg>>;

    /** Everything an org can read of its own rows. */
    const viewOf = ({ org, contact, call, service, appointment, message }: Populated) =>
      inOrg(org.id, (tx) =>
        Promise.all([
          tx.organization.get(),
          tx.contacts.getById(contact.id),
          tx.calls.getById(call.id),
          tx.services.getById(service.id),
          tx.appointments.getById(appointment.id),
          tx.messages.getById(message.id),
          tx.activity.recent(10),
          tx.outbox.list(),
          tx.metrics.pulse({}),
        ]),
      );

    test("tenancy: an org never reads another org's rows by id, key, list, metrics or activity", async () => {
      const [a, b] = [await populatedOrg("a"), await populatedOrg("b")];
      await inOrg(a.org.id, async (tx) => {
        expect(await tx.contacts.getById(b.contact.id)).toBeNull();
        expect(await tx.contacts.findByPhone(b.contact.phone)).toBeNull();
        expect(idsOf((await tx.contacts.list({}, {})).items)).toEqual([a.contact.id]);
        expect(await tx.calls.getById(b.call.id)).toBeNull();
        expect(await tx.calls.findByVendorCallId(b.call.vendorCallId ?? "")).toBeNull();
        expect(await tx.calls.maxLeadScoreOfContact(b.contact.id)).toBeNull();
        expect(idsOf((await tx.calls.list({}, {})).items)).toEqual([a.call.id]);
        expect((await tx.calls.list({ contactId: b.contact.id }, {})).items).toEqual([]);
        expect(await tx.services.getById(b.service.id)).toBeNull();
        expect(idsOf(await tx.services.list())).toEqual([a.service.id]);
        expect(await tx.appointments.getById(b.appointment.id)).toBeNull();
        expect(await tx.appointments.findByToolCallId("tool-b")).toBeNull();
        expect(await tx.appointments.listByCall(b.call.id)).toEqual([]);
        expect(await tx.messages.getById(b.message.id)).toBeNull();
        expect(await tx.messages.findByVendorMessageId("SM-b")).toBeNull();
        expect(await tx.messages.listByContact(b.contact.id)).toEqual([]);
        expect(await tx.activity.recent(10)).toEqual([a.activity]);
        expect((await tx.outbox.list()).map((o) => o.key)).toEqual(["outbox-a"]);
        expect((await tx.metrics.pulse({})).totalCalls).toBe(1);
        expect((await tx.organization.get()).id).toBe(a.org.id);
        const appended = await tx.eventLog.append(eventAppend(a.org.id, { eventKey: "event-b" }));
        expect(appended.inserted).toBe(true);
      });
      expect((await entriesOf(a.org.id)).map((e) => e.eventKey)).toEqual(["event-a", "event-b"]);
      expect(await entriesOf(b.org.id)).toEqual([b.event]);
      expect((await storage.organizations.findByAgentId(b.org.agent.assistantIds[0] ?? ""))?.id).toBe(b.org.id);
      expect((await storage.organizations.findBySmsNumber(b.org.agent.smsFrom ?? ""))?.id).toBe(b.org.id);
    });

    test("tenancy: an org never changes another org's rows", async () => {
      const [a, b] = [await populatedOrg("a"), await populatedOrg("b")];
      const before = await viewOf(b);
      const asA = <T extends { orgId: string }>(record: T): T => ({ ...record, orgId: a.org.id });
      const attempts: [string, (tx: OrgTx) => Promise<unknown>][] = [
        ["contacts.update", (tx) => tx.contacts.update(b.contact.id, { name: "stolen" })],
        ["calls.update", (tx) => tx.calls.update(asA({ ...b.call, leadScore: 1 }))],
        ["calls.softDelete", (tx) => tx.calls.softDelete(b.call.id, at(1))],
        ["services.update", (tx) => tx.services.update(asA({ ...b.service, priceCents: 1 }))],
        ["services.delete", (tx) => tx.services.delete(b.service.id)],
        ["messages.update", (tx) => tx.messages.update(asA({ ...b.message, status: "failed" }))],
      ];
      for (const [label, attempt] of attempts) {
        await expectError(inOrg(a.org.id, attempt), "NotFound", undefined, label);
      }
      await inOrg(a.org.id, (tx) => tx.organization.update({ name: "A renamed" }));
      expect(await viewOf(b)).toEqual(before);
    });

    test("tenancy: a record naming another org is ValidationFailed and stored nowhere", async () => {
      const [a, b] = [await populatedOrg("a"), await populatedOrg("b")];
      const before = await viewOf(b);
      const contact = contactRecord(b.org.id);
      const attempts: [string, (tx: OrgTx) => Promise<unknown>][] = [
        ["contacts.create", (tx) => tx.contacts.create(contact)],
        ["contacts.getOrCreate", (tx) => tx.contacts.getOrCreate(contact)],
        ["calls.insert", (tx) => tx.calls.insert(callRecord(b.org.id))],
        ["services.create", (tx) => tx.services.create(serviceRecord(b.org.id))],
        [
          "appointments.create",
          (tx) => tx.appointments.create(appointmentRecord(b.org.id, b.contact.id, { startsAt: at(999) })),
        ],
        ["messages.create", (tx) => tx.messages.create(messageRecord(b.org.id))],
        ["activity.append", (tx) => tx.activity.append(activityRecord(b.org.id))],
        ["eventLog.append", (tx) => tx.eventLog.append(eventAppend(b.org.id))],
      ];
      for (const [label, attempt] of attempts) {
        await expectError(inOrg(a.org.id, attempt), "ValidationFailed", undefined, label);
      }
      expect(await viewOf(b)).toEqual(before);
      expect(await entriesOf(b.org.id)).toEqual([b.event]);
      expect(await inOrg(a.org.id, (tx) => tx.contacts.findByPhone(contact.phone))).toBeNull();
    });

    test("tenancy: unique keys are per org", async () => {
      const a = await populatedOrg("same");
      const b = await populatedOrg("same");
      expect(b.call.vendorCallId).toBe(a.call.vendorCallId);
      await inOrg(b.org.id, async (tx) => {
        expect((await tx.eventLog.append(eventAppend(b.org.id, { eventKey: "event-same" }))).inserted).toBe(false);
        expect((await tx.contacts.getOrCreate(contactRecord(b.org.id, { phone: a.contact.phone }))).created).toBe(true);
      });
      expect((await entriesOf(b.org.id)).map((e) => e.eventKey)).toEqual(["event-same"]);
      expect((await entriesOf(a.org.id)).map((e) => e.eventKey)).toEqual(["event-same"]);
    });

    // -------------------------------------------------------------------------------- workers

    test("projectPending: hands out entries oldest first, up to limit, and marks them projected", async () => {
      await drainEventLog(storage);
      const org = await newOrg();
      const entries = await appendEntries(org.id, 3);
      const handled: number[] = [];
      const project = (limit: number) =>
        storage.eventLog.projectPending({ limit, now: at(100), maxAttempts: 3 }, async (entry, tx) => {
          expect(tx.orgId).toBe(entry.orgId);
          if (entry.orgId !== org.id) return;
          handled.push(entry.seq);
          await tick();
          await tx.activity.append(activityRecord(org.id, { key: `projected:${entry.seq}` }));
        });
      expect(await project(2)).toEqual({ done: 2, failed: 0 });
      expect(handled).toEqual(entries.slice(0, 2).map((e) => e.seq));
      const stored = await entriesOf(org.id);
      expect(stored.map((e) => e.projectedAt)).toEqual([at(100), at(100), null]);
      expect(stored.map((e) => e.attempts)).toEqual([0, 0, 0]);
      expect(await project(10)).toEqual({ done: 1, failed: 0 });
      expect(await project(10)).toEqual({ done: 0, failed: 0 });
      expect(handled).toEqual(entries.map((e) => e.seq));
      const keys = (await inOrg(org.id, (tx) => tx.activity.recent(10))).map((a) => a.key).sort();
      expect(keys).toEqual(entries.map((e) => `projected:${e.seq}`).sort());
    });

    test("projectPending: a throwing handler rolls back; attempts and lastError are recorded; the entry stays pending", async () => {
      await drainEventLog(storage);
      const org = await newOrg();
      const [entry] = await appendEntries(org.id, 1);
      const contact = contactRecord(org.id);
      const failing = await storage.eventLog.projectPending(
        { limit: 10, now: at(100), maxAttempts: 3 },
        async (_, tx) => {
          await tx.contacts.create(contact);
          await tx.outbox.enqueue({ kind: "k", key: "from-handler", payload: {} }, at(0));
          throw new Error("projection failed");
        },
      );
      expect(failing).toEqual({ done: 0, failed: 1 });
      expect(await entriesOf(org.id)).toEqual([
        { ...entry, attempts: 1, lastError: "projection failed", projectedAt: null },
      ]);
      await inOrg(org.id, async (tx) => {
        expect(await tx.contacts.getById(contact.id)).toBeNull();
        expect(await tx.outbox.list()).toEqual([]);
      });
      const retried = await storage.eventLog.projectPending(
        { limit: 10, now: at(101), maxAttempts: 3 },
        async (e, tx) => {
          expect(e.attempts).toBe(1);
          await tx.contacts.create(contact);
        },
      );
      expect(retried).toEqual({ done: 1, failed: 0 });
      expect((await entriesOf(org.id))[0]).toMatchObject({ attempts: 1, projectedAt: at(101) });
      expect(await inOrg(org.id, (tx) => tx.contacts.getById(contact.id))).toEqual(contact);
    });

    test("projectPending: entries at maxAttempts are not handed out", async () => {
      await drainEventLog(storage);
      const org = await newOrg();
      await appendEntries(org.id, 1);
      const fail = (maxAttempts: number) =>
        storage.eventLog.projectPending({ limit: 10, now: at(100), maxAttempts }, async () => {
          throw new Error("still failing");
        });
      expect(await fail(2)).toEqual({ done: 0, failed: 1 });
      expect(await fail(2)).toEqual({ done: 0, failed: 1 });
      expect(await fail(2)).toEqual({ done: 0, failed: 0 });
      expect((await entriesOf(org.id))[0]).toMatchObject({
        attempts: 2,
        projectedAt: null,
        lastError: "still failing",
      });
      expect(await fail(3)).toEqual({ done: 0, failed: 1 });
      expect((await entriesOf(org.id))[0]?.attempts).toBe(3);
    });

    test("projectPending: two concurrent calls never hand out the same entry", async () => {
      await drainEventLog(storage);
      const org = await newOrg();
      const entries = await appendEntries(org.id, 6);
      const handed = new Map<number, number>();
      const project = () =>
        storage.eventLog.projectPending({ limit: 10, now: at(100), maxAttempts: 3 }, async (entry) => {
          handed.set(entry.seq, (handed.get(entry.seq) ?? 0) + 1);
          await tick();
        });
      const results = await Promise.all([project(), project()]);
      expect(results.reduce((n, r) => n + r.done, 0)).toBe(6);
      expect(results.every((r) => r.failed === 0)).toBe(true);
      expect([...handed.entries()].sort(([x], [y]) => x - y)).toEqual(entries.map((e) => [e.seq, 1]));
    });

    /** Enqueues items of `org` in one transaction at `now`; keys are returned in order. */
    async function enqueue(orgId: string, now: Date, items: { key: string; dueAt?: Date }[]) {
      await inOrg(orgId, async (tx) => {
        for (const item of items)
          await tx.outbox.enqueue({ kind: "contract", payload: { key: item.key }, ...item }, now);
      });
    }
    const outboxOf = async (orgId: string) =>
      new Map((await inOrg(orgId, (tx) => tx.outbox.list())).map((item) => [item.key, item]));

    test("deliverDue: an ok outcome marks the item sent, never handed out again", async () => {
      await drainOutbox(storage);
      const org = await newOrg();
      await enqueue(org.id, at(0), [{ key: "k-1" }]);
      const handed: string[] = [];
      const deliver = () =>
        storage.outbox.deliverDue({ limit: 10, now: at(1) }, async (item) => {
          handed.push(item.key);
          expect(item).toMatchObject({ orgId: org.id, kind: "contract", payload: { key: "k-1" }, status: "pending" });
          return { ok: true };
        });
      expect(await deliver()).toEqual({ done: 1, failed: 0 });
      expect(await deliver()).toEqual({ done: 0, failed: 0 });
      expect(handed).toEqual(["k-1"]);
      expect((await outboxOf(org.id)).get("k-1")).toMatchObject({ status: "sent", attempts: 0, lastError: null });
      await inOrg(org.id, async (tx) => {
        expect((await tx.outbox.list({ status: "sent" })).map((o) => o.key)).toEqual(["k-1"]);
        expect(await tx.outbox.list({ status: "pending" })).toEqual([]);
        // Once, ever: a sent key is not enqueued again.
        expect(await tx.outbox.enqueue({ kind: "contract", key: "k-1", payload: {} }, at(2))).toBe(false);
      });
    });

    test("deliverDue: a failure with retryAt reschedules; without retryAt, or a throw, makes it dead", async () => {
      await drainOutbox(storage);
      const org = await newOrg();
      await enqueue(org.id, at(0), [{ key: "retry" }, { key: "dead" }, { key: "throws" }]);
      const handed: string[] = [];
      const deliver = (now: Date) =>
        storage.outbox.deliverDue({ limit: 10, now }, async (item) => {
          handed.push(item.key);
          if (item.key === "throws") throw new Error("handler crashed");
          if (item.key === "dead") return { ok: false, error: "rejected", retryAt: null };
          return item.attempts === 0 ? { ok: false, error: "busy", retryAt: at(10) } : { ok: true };
        });
      expect(await deliver(at(0))).toEqual({ done: 0, failed: 3 });
      const items = await outboxOf(org.id);
      expect(items.get("retry")).toMatchObject({ status: "pending", attempts: 1, lastError: "busy", dueAt: at(10) });
      expect(items.get("dead")).toMatchObject({ status: "dead", attempts: 1, lastError: "rejected" });
      expect(items.get("throws")).toMatchObject({ status: "dead", attempts: 1, lastError: "handler crashed" });
      expect(await deliver(at(9))).toEqual({ done: 0, failed: 0 });
      expect(await deliver(at(10))).toEqual({ done: 1, failed: 0 });
      expect((await outboxOf(org.id)).get("retry")).toMatchObject({ status: "sent", attempts: 1 });
      expect(handed.sort()).toEqual(["dead", "retry", "retry", "throws"]);
    });

    test("deliverDue: hands out due items oldest due first up to limit, never those due later", async () => {
      await drainOutbox(storage);
      const org = await newOrg();
      await enqueue(org.id, at(0), [
        { key: "due-2", dueAt: at(2) },
        { key: "due-1-early", dueAt: at(1) },
      ]);
      await enqueue(org.id, at(1), [
        { key: "due-1-late", dueAt: at(1) },
        { key: "due-3", dueAt: at(3) },
      ]);
      await enqueue(org.id, at(1), [{ key: "later", dueAt: at(50) }]);
      const handed: string[] = [];
      const deliver = (limit: number, now: Date) =>
        storage.outbox.deliverDue({ limit, now }, async (item) => {
          handed.push(item.key);
          return { ok: true };
        });
      expect(await deliver(3, at(10))).toEqual({ done: 3, failed: 0 });
      expect(handed).toEqual(["due-1-early", "due-1-late", "due-2"]);
      expect(await deliver(10, at(10))).toEqual({ done: 1, failed: 0 });
      expect(handed.at(-1)).toBe("due-3");
      expect((await outboxOf(org.id)).get("later")?.status).toBe("pending");
      expect(await deliver(10, at(50))).toEqual({ done: 1, failed: 0 });
      expect(handed.at(-1)).toBe("later");
      expect(await deliver(10, FAR_FUTURE)).toEqual({ done: 0, failed: 0 });
    });

    test("deliverDue: two concurrent calls never hand out the same item", async () => {
      await drainOutbox(storage);
      const org = await newOrg();
      const keys = ["a", "b", "c", "d", "e", "f"];
      await enqueue(
        org.id,
        at(0),
        keys.map((key) => ({ key })),
      );
      const handed = new Map<string, number>();
      const deliver = () =>
        storage.outbox.deliverDue({ limit: 10, now: at(1) }, async (item) => {
          handed.set(item.key, (handed.get(item.key) ?? 0) + 1);
          await tick();
          return { ok: true };
        });
      const results = await Promise.all([deliver(), deliver()]);
      expect(results.reduce((n, r) => n + r.done, 0)).toBe(keys.length);
      expect([...handed.entries()].sort()).toEqual(keys.map((key) => [key, 1]));
      expect([...(await outboxOf(org.id)).values()].every((item) => item.status === "sent")).toBe(true);
    });
  });
}
