import { describe, expect, it } from "vitest";
import type { SmsOptOutType } from "../../domain/events.ts";
import type { MessageStatus } from "../../domain/message.ts";
import type { LoggedEvent } from "../../testing/callScript.ts";
import { callEvents } from "../../testing/callScript.ts";
import { orgState } from "../../testing/orgState.ts";
import { testVoxanne } from "../../testing/testVoxanne.ts";

const LEAD = "+15555559001";

async function setup() {
  const t = testVoxanne();
  const org = await t.voxanne.organizations.create({ name: "Clinic", agent: { smsFrom: "+15555550100" } });
  await t.feed(
    org.id,
    callEvents({
      vendorCallId: "v-1",
      customerNumber: LEAD,
      startedAt: t.clock.now(),
      durationSeconds: 30,
      transcript: "hours?",
    }),
  );
  const contact = (await t.voxanne.contacts.list(org.id)).items[0]!;
  return { t, org, contact };
}

const inbound = (n: number, from: string, body: string, at: Date, optOutType?: SmsOptOutType | null): LoggedEvent => ({
  eventKey: `SM-in-${n}`,
  payload: {
    type: "SmsReceived",
    vendorMessageId: `SM-in-${n}`,
    from,
    to: "+15555550100",
    body,
    occurredAt: at.toISOString(),
    ...(optOutType !== undefined && { optOutType }),
  },
});
const status = (sid: string, s: MessageStatus, n: number, errorCode: string | null = null): LoggedEvent => ({
  eventKey: `${sid}:${s}:${n}`,
  payload: {
    type: "SmsStatusReported",
    vendorMessageId: sid,
    status: s,
    errorCode,
    occurredAt: new Date(n * 1000).toISOString(),
  },
});

async function messagesOf(t: ReturnType<typeof testVoxanne>, orgId: string, contactId: string) {
  return t.storage.transaction(orgId, (tx) => tx.messages.listByContact(contactId));
}

describe("sending SMS", () => {
  it("logs the message before the vendor is asked, then records the vendor's id and the contact as contacted", async () => {
    const { t, org, contact } = await setup();
    t.sms.failNext("unavailable");
    await expect(t.voxanne.contacts.sendSms(org.id, contact.id, "Hello")).rejects.toMatchObject({
      kind: "VendorFailed",
      retryable: true,
    });
    const [failed] = await messagesOf(t, org.id, contact.id);
    expect(failed).toMatchObject({
      status: "failed",
      errorCode: "SMS_UNAVAILABLE",
      body: "Hello",
      vendorMessageId: null,
    });

    t.clock.advance(1_000);
    const sent = await t.voxanne.contacts.sendSms(org.id, contact.id, "Hello again");
    expect(sent).toMatchObject({ status: "queued", fromNumber: "+15555550100", vendorMessageId: "sim-sms-1" });
    const updated = await t.voxanne.contacts.get(org.id, contact.id);
    expect(updated.lastContactedAt).toEqual(t.clock.now());
    expect(updated.leadStatus).toBe("lost"); // contacted does not undo lost
    expect((await messagesOf(t, org.id, contact.id)).map((m) => m.status)).toEqual(["failed", "queued"]);
  });

  it("refuses an empty or huge body and changes nothing", async () => {
    const { t, org, contact } = await setup();
    const before = await orgState(t.storage, org.id);
    for (const body of ["", "   ", "x".repeat(1601)]) {
      await expect(t.voxanne.contacts.sendSms(org.id, contact.id, body)).rejects.toMatchObject({
        kind: "ValidationFailed",
      });
    }
    expect(await orgState(t.storage, org.id)).toEqual(before);
    expect(t.sms.attempts).toHaveLength(0);
  });

  it("remembers an opt-out the vendor reports, and refuses later sends without asking it", async () => {
    const { t, org, contact } = await setup();
    t.sms.failNext("opted_out");
    await expect(t.voxanne.contacts.sendSms(org.id, contact.id, "Hi")).rejects.toMatchObject({ kind: "OptedOut" });
    expect((await t.voxanne.contacts.get(org.id, contact.id)).smsOptedOutAt).not.toBeNull();
    await expect(t.voxanne.contacts.sendSms(org.id, contact.id, "Hi")).rejects.toMatchObject({ kind: "OptedOut" });
    expect(t.sms.attempts).toHaveLength(1);
  });
});

describe("SMS status reports", () => {
  it.each<[string, MessageStatus[], MessageStatus]>([
    ["in order", ["sent", "delivered"], "delivered"],
    ["a late sent after delivered", ["delivered", "sent"], "delivered"],
    ["undelivered with its error code", ["sent", "undelivered"], "undelivered"],
    ["repeated", ["sent", "sent", "delivered", "delivered"], "delivered"],
  ])("%s → %s", async (_, reports, final) => {
    const { t, org, contact } = await setup();
    const message = await t.voxanne.contacts.sendSms(org.id, contact.id, "Hi");
    const sid = message.vendorMessageId!;
    await t.feed(
      org.id,
      reports.map((s, n) => status(sid, s, n, s === "undelivered" ? "30003" : null)),
    );
    const [stored] = await messagesOf(t, org.id, contact.id);
    expect(stored?.status).toBe(final);
    if (final === "undelivered") expect(stored?.errorCode).toBe("30003");
  });

  it("ignores a report for an unknown message", async () => {
    const { t, org } = await setup();
    const before = await orgState(t.storage, org.id);
    await t.feed(org.id, [status("SM-unknown", "delivered", 1)]);
    const after = await orgState(t.storage, org.id);
    expect(after).toEqual(before);
  });
});

describe("inbound SMS", () => {
  it("stores a reply on the contact, creating an unknown texter, once per vendor id", async () => {
    const { t, org } = await setup();
    const reply = inbound(1, "+15555559002", "Do you do lip filler?", t.clock.now());
    await t.feed(org.id, [reply, { ...reply, eventKey: "SM-in-1:retry" }]);
    const texter = (await t.voxanne.contacts.list(org.id, { q: "9002" })).items[0]!;
    expect(await messagesOf(t, org.id, texter.id)).toEqual([
      expect.objectContaining({ direction: "inbound", status: "received", body: "Do you do lip filler?" }),
    ]);
  });

  it.each(["STOP", "Stop", " unsubscribe ", "QUIT"])("%j opts out; START opts back in", async (word) => {
    const { t, org, contact } = await setup();
    await t.feed(org.id, [inbound(1, LEAD, word, t.clock.now())]);
    await expect(t.voxanne.contacts.sendSms(org.id, contact.id, "Hi")).rejects.toMatchObject({ kind: "OptedOut" });
    expect(t.sms.attempts).toHaveLength(0);

    await t.feed(org.id, [inbound(2, LEAD, "START", t.clock.now())]);
    await expect(t.voxanne.contacts.sendSms(org.id, contact.id, "Welcome back")).resolves.toMatchObject({
      status: "queued",
    });
  });

  it("follows the vendor's opt-out type over the body (custom keywords), and the body when it says HELP or nothing", async () => {
    const { t, org, contact } = await setup();
    const optedOut = async () => (await t.voxanne.contacts.get(org.id, contact.id)).smsOptedOutAt !== null;
    await t.feed(org.id, [inbound(1, LEAD, "Arrêt", t.clock.now(), "STOP")]);
    expect(await optedOut()).toBe(true);
    await t.feed(org.id, [inbound(2, LEAD, "Hi there", t.clock.now(), null)]);
    expect(await optedOut()).toBe(true);
    await t.feed(org.id, [inbound(3, LEAD, "Reprendre", t.clock.now(), "START")]);
    expect(await optedOut()).toBe(false);
    await t.feed(org.id, [inbound(4, LEAD, "stop", t.clock.now(), "HELP")]);
    expect(await optedOut()).toBe(true);
    await t.feed(org.id, [inbound(5, LEAD, "start", t.clock.now(), null)]);
    expect(await optedOut()).toBe(false);
  });

  it("a message that merely contains stop does not opt out", async () => {
    const { t, org, contact } = await setup();
    await t.feed(org.id, [inbound(1, LEAD, "Please don't stop the reminders", t.clock.now())]);
    expect((await t.voxanne.contacts.get(org.id, contact.id)).smsOptedOutAt).toBeNull();
  });
});
