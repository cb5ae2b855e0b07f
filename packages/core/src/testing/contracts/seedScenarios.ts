/**
 * The seed's "Testing Checklist" (five scenarios) as use-case tests, each assertion from the
 * list. A function of the Storage factory, so every Storage adapter runs the same scenarios.
 */
import { describe, expect, it } from "vitest";
import type { Storage } from "../../ports/storage.ts";
import { callEvents } from "../callScript.ts";
import type { TestVoxanne } from "../testVoxanne.ts";
import { testVoxanne } from "../testVoxanne.ts";

const ALERT_NUMBER = "+15555550199";
const minutesAfter = (d: Date, m: number) => new Date(d.getTime() + m * 60_000);

async function clinic(t: TestVoxanne, agent: Record<string, unknown> = {}) {
  return t.voxanne.organizations.create({
    name: "Bright Aesthetics",
    timezone: "America/New_York",
    agent: {
      assistantIds: [`asst-${crypto.randomUUID()}`],
      outboundAssistantId: `asst-out-${crypto.randomUUID()}`,
      phoneNumberId: `pn-${crypto.randomUUID()}`,
      smsFrom: "+15555550100",
      hotLeadAlertNumbers: [ALERT_NUMBER],
      ...agent,
    },
  });
}

const botoxBooking = (t: TestVoxanne, n = 1) =>
  callEvents({
    vendorCallId: `vapi-botox-${n}-${crypto.randomUUID()}`,
    customerNumber: `+1555555${String(1000 + n).padStart(4, "0")}`,
    customerName: "Maria Lopez",
    startedAt: t.clock.now(),
    durationSeconds: 91,
    transcript: "User: Hi, I'd like to book Botox for my forehead lines. AI: Tuesday at 2 works, you're booked.",
    booked: true,
  });

export function seedScenarios(name: string, makeStorage: () => Promise<Storage> | Storage): void {
  const setup = async () => testVoxanne({ storage: await makeStorage() });

  describe(`seed scenarios (${name})`, () => {
    it("1. inbound call → booking: booked, contact booked, priced $400, success rate and pipeline up", async () => {
      const t = await setup();
      const org = await clinic(t);
      const before = await t.voxanne.metrics.pulse(org.id);

      await t.feed(org.id, botoxBooking(t));

      const { items: calls } = await t.voxanne.calls.list(org.id);
      expect(calls).toHaveLength(1);
      const call = calls[0]!;
      expect(call.bookingConfirmed).toBe(true);
      expect(call.direction).toBe("inbound");
      expect(call.financialValueCents).toBe(40_000);
      const contact = await t.voxanne.contacts.get(org.id, call.contactId!);
      expect(contact.leadStatus).toBe("booked");
      expect(contact.name).toBe("Maria Lopez");
      const after = await t.voxanne.metrics.pulse(org.id);
      expect(after.successRate).toBeGreaterThan(before.successRate);
      expect(after.pipelineValueCents).toBe(before.pipelineValueCents + 40_000);
    });

    it("1b. an inbound call that ends without a booking marks the new caller lost and leaves success rate alone", async () => {
      const t = await setup();
      const org = await clinic(t);
      await t.feed(
        org.id,
        callEvents({
          vendorCallId: `vapi-rhino-${crypto.randomUUID()}`,
          customerNumber: "+15555552001",
          startedAt: t.clock.now(),
          durationSeconds: 45,
          transcript:
            "User: How much is a nose job? AI: Rhinoplasty starts at six thousand. User: I'll think about it.",
        }),
      );
      const { items } = await t.voxanne.contacts.list(org.id);
      expect(items.map((c) => c.leadStatus)).toEqual(["lost"]);
      const pulse = await t.voxanne.metrics.pulse(org.id);
      expect(pulse).toMatchObject({
        totalCalls: 1,
        inboundCalls: 1,
        bookings: 0,
        successRate: 0,
        pipelineValueCents: 600_000,
      });
    });

    it("2. callback: call placed through telephony, outbound, contact contacted, live in real time", async () => {
      const t = await setup();
      const org = await clinic(t);
      await t.feed(org.id, botoxBooking(t));
      const contact = (await t.voxanne.contacts.list(org.id)).items[0]!;
      t.clock.advance({ hours: 2 });

      const call = await t.voxanne.contacts.callBack(org.id, contact.id);
      await t.voxanne.settle();

      expect(call.status).toBe("initiated");
      expect(call.direction).toBe("outbound");
      expect(t.telephony.placed).toHaveLength(1);
      expect(t.telephony.placed[0]).toMatchObject({
        orgId: org.id,
        callId: call.id,
        assistantId: org.agent.outboundAssistantId,
        phoneNumberId: org.agent.phoneNumberId,
        customer: { number: contact.phone, name: "Maria Lopez" },
      });
      expect(call.vendorCallId).toBe(t.telephony.placed[0]!.vendorCallId);
      const updated = await t.voxanne.contacts.get(org.id, contact.id);
      expect(updated.lastContactedAt?.toISOString()).toBe(t.clock.now().toISOString());
      expect(t.live.published.some((e) => e.type === "callback.placed" && e.call.id === call.id)).toBe(true);

      // The vendor's webhooks find the call again by our id.
      await t.feed(
        org.id,
        callEvents({
          vendorCallId: call.vendorCallId!,
          callId: call.id,
          direction: "outbound",
          customerNumber: contact.phone,
          startedAt: t.clock.now(),
          durationSeconds: 30,
          transcript: "AI: Hi Maria, returning your call. User: Thanks, all set.",
        }),
      );
      const { items } = await t.voxanne.calls.list(org.id, { direction: "outbound" });
      expect(items.map((c) => [c.id, c.status])).toEqual([[call.id, "completed"]]);
    });

    it("2b. callback without an outbound agent is refused clearly; a vendor failure fails the call without vendor detail", async () => {
      const t = await setup();
      const unconfigured = await clinic(t, { outboundAssistantId: null });
      await t.feed(unconfigured.id, botoxBooking(t));
      const lead = (await t.voxanne.contacts.list(unconfigured.id)).items[0]!;
      await expect(t.voxanne.contacts.callBack(unconfigured.id, lead.id)).rejects.toMatchObject({
        kind: "NotConfigured",
        code: "OUTBOUND_AGENT_NOT_CONFIGURED",
      });
      expect((await t.voxanne.calls.list(unconfigured.id, { direction: "outbound" })).items).toEqual([]);

      const org = await clinic(t);
      await t.feed(org.id, botoxBooking(t, 2));
      const contact = (await t.voxanne.contacts.list(org.id)).items[0]!;
      t.telephony.failNext("rejected", 1, "vendor says: account 12345 suspended");
      const error = await t.voxanne.contacts.callBack(org.id, contact.id).catch((e: unknown) => e);
      expect(error).toMatchObject({ kind: "VendorFailed", code: "CALLBACK_FAILED" });
      expect(String((error as Error).message)).not.toMatch(/12345|suspended/);
      const { items } = await t.voxanne.calls.list(org.id, { direction: "outbound" });
      expect(items.map((c) => c.status)).toEqual(["failed"]);
    });

    it("3. SMS: logged in messages, sent through the SMS port, contact touched; opted-out numbers refused", async () => {
      const t = await setup();
      const org = await clinic(t, { hotLeadAlertNumbers: [] });
      await t.feed(org.id, botoxBooking(t));
      const contact = (await t.voxanne.contacts.list(org.id)).items[0]!;

      const message = await t.voxanne.contacts.sendSms(org.id, contact.id, "See you Tuesday at 2!");
      expect(message).toMatchObject({
        status: "queued",
        direction: "outbound",
        toNumber: contact.phone,
        contactId: contact.id,
      });
      expect(t.sms.sent).toEqual([
        expect.objectContaining({ to: contact.phone, body: "See you Tuesday at 2!", messageId: message.id }),
      ]);
      expect(message.vendorMessageId).toBe(t.sms.sent[0]!.vendorMessageId);

      await t.feed(org.id, [
        {
          eventKey: "sms-stop",
          payload: {
            type: "SmsReceived",
            vendorMessageId: "SM-stop-1",
            from: contact.phone,
            to: "+15555550100",
            body: "STOP",
            occurredAt: t.clock.now().toISOString(),
          },
        },
      ]);
      await expect(t.voxanne.contacts.sendSms(org.id, contact.id, "Still there?")).rejects.toMatchObject({
        kind: "OptedOut",
      });
      expect(t.sms.attempts).toHaveLength(1);
    });

    it("4. dashboard: pipeline value, success rate, volume, average duration, recent activity (last 10)", async () => {
      const t = await setup();
      const org = await clinic(t);
      const start = t.clock.now();
      const scripts = [
        { transcript: "I want to book a facelift", booked: true, durationSeconds: 120 },
        { transcript: "Botox please, book me in", booked: true, durationSeconds: 60 },
        { transcript: "How much is liposuction?", booked: false, durationSeconds: 30 },
        { transcript: "Just a question about parking", booked: false, durationSeconds: 15 },
      ];
      for (const [i, s] of scripts.entries()) {
        await t.feed(
          org.id,
          callEvents({
            vendorCallId: `vapi-dash-${i}-${crypto.randomUUID()}`,
            customerNumber: `+1555555${3000 + i}`,
            startedAt: minutesAfter(start, i * 10),
            ...s,
          }),
        );
      }
      const pulse = await t.voxanne.metrics.pulse(org.id);
      expect(pulse).toMatchObject({
        totalCalls: 4,
        inboundCalls: 4,
        bookings: 2,
        successRate: 50,
        pipelineValueCents: 800_000 + 40_000 + 500_000,
        avgDurationSeconds: Math.round((120 + 60 + 30 + 15) / 4),
      });
      const recent = await t.voxanne.metrics.recentActivity(org.id);
      expect(recent).toHaveLength(10);
      const times = recent.map((a) => a.occurredAt.getTime());
      expect(times).toEqual([...times].sort((a, b) => b - a));
    });

    it("5. services: a custom service prices the next call that mentions it", async () => {
      const t = await setup();
      const org = await clinic(t);
      await t.voxanne.services.create(org.id, {
        name: "Tummy Tuck",
        priceCents: 650_000,
        keywords: ["tummy tuck", "abdominoplasty"],
      });
      await t.feed(
        org.id,
        callEvents({
          vendorCallId: `vapi-tummy-${crypto.randomUUID()}`,
          customerNumber: "+15555554001",
          startedAt: t.clock.now(),
          durationSeconds: 80,
          transcript: "User: I'm interested in a Tummy-Tuck, what does it cost?",
        }),
      );
      const call = (await t.voxanne.calls.list(org.id)).items[0]!;
      expect(call.financialValueCents).toBe(650_000);
      expect(call.metadata.pricing).toMatchObject({ source: "price_list", serviceName: "Tummy Tuck" });
    });

    it("hot lead: one SMS alert per alert number, once, however often the events repeat", async () => {
      const t = await setup();
      const org = await clinic(t, { hotLeadAlertNumbers: [ALERT_NUMBER, "+15555550198"] });
      const events = callEvents({
        vendorCallId: `vapi-hot-${crypto.randomUUID()}`,
        customerNumber: "+15555555001",
        customerName: "Dana",
        startedAt: t.clock.now(),
        durationSeconds: 240,
        transcript: "User: I want to book a facelift as soon as possible, this is great, thank you so much!",
        booked: true,
      });
      await t.feed(org.id, events);
      await t.feed(org.id, events);
      await t.voxanne.replay();
      await t.voxanne.settle();

      const call = (await t.voxanne.calls.list(org.id)).items[0]!;
      expect(call.leadScore).toBeGreaterThanOrEqual(70);
      const alerts = t.sms.sent.filter((s) => s.orgId === org.id);
      expect(alerts.map((a) => a.to).sort()).toEqual(["+15555550198", ALERT_NUMBER]);
      expect(alerts[0]!.body).toContain("Dana");
      expect((await t.voxanne.contacts.get(org.id, call.contactId!)).leadTemperature).toBe("hot");
    });
  });
}
