/**
 * The seed's five scenarios end to end over a real port, on PGlite and on a PostgreSQL server:
 * signed Vapi webhooks in, the API (with the dev token) and the WebSocket out, the simulators
 * standing in for Vapi and the SMS vendor. One server per driver serves the five tests, so the
 * metrics are checked as differences. The server run needs `DATABASE_ADMIN_URL` (CI) or a local
 * server at 127.0.0.1:5432; a local run without one skips, CI fails.
 */
import { randomBytes, randomUUID } from "node:crypto";
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { Writable } from "node:stream";
import type { Pulse, VapiWebhookAuth } from "@voxanne/core";
import { pino } from "pino";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { loadConfig } from "./config.ts";
import { DEMO_AGENT, DEMO_ORG_ID } from "./demo.ts";
import type { RunningServer } from "./start.ts";
import { startServer } from "./start.ts";
import { ADMIN_URL, admin, postgresAvailable } from "./testPostgres.ts";
import { eventually, liveClient } from "./testSupport.ts";
import type { VapiCallParties, VapiConversation } from "./vapiPlayback.ts";
import { callMessages } from "./vapiPlayback.ts";
import { vapiWebhookHeaders } from "./vapiSigning.ts";

const SECRET = "scenarios-e2e-secret-0123456789abcdefghij";

interface CallItem {
  id: string;
  vendorCallId: string | null;
  direction: string;
  status: string;
  /** Set by the end-of-call report: the call's pricing is final once it is in. */
  summary: string | null;
  contactId: string | null;
  bookingConfirmed: boolean;
  financialValueCents: number | null;
  metadata: Record<string, unknown>;
}

/** What each driver needs: environment for `loadConfig` beside the shared one, and its clean-up. */
interface Driver {
  env(dir: string): Promise<Record<string, string>>;
  cleanup(): Promise<void>;
}

const pglite: Driver = { env: async (dir) => ({ PGLITE_DIR: join(dir, "pgdata") }), cleanup: async () => {} };

function postgresServer(): Driver {
  const name = `voxanne_e2e_${randomBytes(6).toString("hex")}`;
  return {
    async env() {
      await admin(`create database ${name}`);
      const url = new URL(ADMIN_URL);
      url.pathname = `/${name}`;
      return { DATABASE_URL: url.toString() };
    },
    cleanup: () => admin(`drop database if exists ${name} with (force)`),
  };
}

/** A day and hour ahead, distinct per booking, so no two bookings want the same slot. */
let slots = 0;
const nextSlot = () => {
  slots += 1;
  const at = new Date(Date.now() + (7 + slots) * 86_400_000);
  at.setUTCHours(15, 0, 0, 0);
  return at.toISOString();
};

function scenarios(name: string, driver: Driver) {
  describe(`seed scenarios end to end (${name})`, () => {
    let dir: string;
    let server: RunningServer;
    let webhookAuth: VapiWebhookAuth;
    const logs: { msg?: string; messageId?: string; vendorMessageId?: string }[] = [];

    const api = (path: string, init: RequestInit = {}) =>
      fetch(`${server.url}${path}`, {
        ...init,
        headers: { authorization: `Bearer ${server.demo?.token}`, "content-type": "application/json", ...init.headers },
      });
    const json = async <T>(path: string, init?: RequestInit) => {
      const response = await api(path, init);
      expect(response.status, path).toBeLessThan(300);
      return (await response.json()) as T;
    };
    const pulse = () => json<Pulse>("/api/analytics/dashboard-pulse");
    const callByVendorId = async (vendorCallId: string) => {
      const { items } = await json<{ items: CallItem[] }>("/api/calls-dashboard?limit=100");
      const found = items.find((c) => c.vendorCallId === vendorCallId);
      if (!found) throw new Error(`call ${vendorCallId} not projected yet`);
      return json<CallItem>(`/api/calls/${found.id}`);
    };
    /** The call once its end-of-call report is projected (status alone can come first, from `ended`). */
    const reportedCall = (vendorCallId: string) =>
      eventually(async () => {
        const found = await callByVendorId(vendorCallId);
        expect(found).toMatchObject({ status: "completed", summary: expect.any(String) });
        return found;
      });

    /** Posts one Vapi message, signed with the demo org's webhook auth; the status and reply. */
    async function webhook(payload: unknown) {
      const body = JSON.stringify(payload);
      const response = await fetch(`${server.url}/webhooks/vapi`, {
        method: "POST",
        headers: vapiWebhookHeaders(webhookAuth, body),
        body,
      });
      return { status: response.status, body: (await response.json().catch(() => null)) as unknown };
    }

    /**
     * One whole inbound call as Vapi sends it: in-progress, (a book_appointment tool call), ended,
     * end-of-call report. Every webhook must be answered 200.
     */
    async function inboundCall(options: { number: string; lines: VapiConversation["lines"]; book?: string }) {
      const vendorCallId = `vapi-e2e-${randomUUID()}`;
      const parties: VapiCallParties = {
        direction: "inbound",
        assistantId: DEMO_AGENT.assistantId,
        phoneNumberId: DEMO_AGENT.phoneNumberId,
        customer: { number: options.number, name: "Maria Lopez" },
      };
      const startedAt = new Date(Date.now() - 91_000);
      const summary = options.lines.map(([, line]) => line).join(" ");
      const [inProgress, ended, report] = callMessages(
        parties,
        vendorCallId,
        { startedAt, endedAt: new Date() },
        { lines: options.lines, summary },
      );
      if (!inProgress || !ended || !report) throw new Error("callMessages gives three messages");
      expect((await webhook(inProgress)).status).toBe(200);
      if (options.book) {
        const toolCall = {
          message: {
            ...inProgress.message,
            type: "tool-calls",
            toolCallList: [
              {
                id: `call_${randomUUID()}`,
                type: "function",
                function: {
                  name: "book_appointment",
                  arguments: { patient_name: "Maria Lopez", procedure: options.book, start_time: nextSlot() },
                },
              },
            ],
          },
        };
        const reply = await webhook(toolCall);
        expect(reply).toMatchObject({ status: 200, body: { results: [{ result: expect.stringMatching(/^Booked/) }] } });
      }
      expect((await webhook(ended)).status).toBe(200);
      expect((await webhook(report)).status).toBe(200);
      return vendorCallId;
    }

    beforeAll(async () => {
      dir = await mkdtemp(join(tmpdir(), "voxanne-e2e-"));
      const config = loadConfig({
        PORT: "0",
        HOST: "127.0.0.1",
        RECORDINGS_DIR: join(dir, "recordings"),
        JWT_SECRET: SECRET,
        LOG_LEVEL: "info",
        ...(await driver.env(dir)),
      });
      // The simulators say what they send only in the log: keep it to check.
      const sink = new Writable({
        write(chunk: Buffer, _encoding, done) {
          for (const line of String(chunk).split("\n")) if (line) logs.push(JSON.parse(line) as (typeof logs)[number]);
          done();
        },
      });
      server = await startServer(config, {
        logger: pino({ level: "info" }, sink),
        print: () => {},
        simulator: { answerAfterMs: 50, talkForMs: 300 },
      });
      webhookAuth = (await server.voxanne.organizations.get(DEMO_ORG_ID)).agent.vapiWebhookAuth;
    });
    afterAll(async () => {
      await server?.close();
      await driver.cleanup();
      await rm(dir, { recursive: true, force: true });
    });

    it("1. inbound booking: webhooks in, call and contact booked, $400, success rate and pipeline up, live", async () => {
      const live = await liveClient(server.url, server.demo?.token ?? "");
      const before = await pulse();
      const vendorCallId = await inboundCall({
        number: "+13125550101",
        lines: [
          ["bot", "Bright Aesthetics, how can I help?"],
          ["user", "Hi, I'd like to book Botox for my forehead lines."],
          ["bot", "You're booked, see you then."],
        ],
        book: "botox",
      });

      const call = await reportedCall(vendorCallId);
      expect(call).toMatchObject({ direction: "inbound", bookingConfirmed: true });
      expect(call.financialValueCents).toBe(40_000);
      const contact = await json<{ leadStatus: string; name: string }>(`/api/contacts/${call.contactId}`);
      expect(contact).toMatchObject({ leadStatus: "booked", name: "Maria Lopez" });
      const after = await pulse();
      expect(after.successRate).toBeGreaterThan(before.successRate);
      expect(after.pipelineValueCents).toBe(before.pipelineValueCents + 40_000);

      await eventually(async () => {
        const types = live.events.filter((e) => "call" in e && e.call.id === call.id).map((e) => e.type);
        expect(types).toEqual(expect.arrayContaining(["call.started", "call.ended"]));
      });
      expect(new Set(live.events.map((e) => e.orgId))).toEqual(new Set([DEMO_ORG_ID]));
      await live.close();
    });

    it("2. callback: 202, placed through the Vapi simulator, its webhooks complete it, contact contacted, live", async () => {
      const vendorCallId = await inboundCall({
        number: "+13125550102",
        lines: [["user", "How much is Botox? Please call me back."]],
      });
      const inbound = await reportedCall(vendorCallId);
      const live = await liveClient(server.url, server.demo?.token ?? "");
      const placedAt = Date.now();

      const response = await api(`/api/contacts/${inbound.contactId}/call-back`, { method: "POST" });
      expect(response.status).toBe(202);
      const { call } = (await response.json()) as { call: CallItem };
      expect(call).toMatchObject({ direction: "outbound", status: "initiated", contactId: inbound.contactId });
      expect(call.vendorCallId).toMatch(/^sim-call-/);

      await eventually(async () =>
        expect(await json<CallItem>(`/api/calls/${call.id}`)).toMatchObject({
          status: "completed",
          summary: expect.stringMatching(/consultation/),
        }),
      );
      const contact = await json<{ lastContactedAt: string | null }>(`/api/contacts/${inbound.contactId}`);
      expect(new Date(contact.lastContactedAt ?? 0).getTime()).toBeGreaterThanOrEqual(placedAt - 1_000);
      await eventually(async () => {
        const types = live.events.filter((e) => "call" in e && e.call.id === call.id).map((e) => e.type);
        expect(types).toEqual(expect.arrayContaining(["callback.placed", "call.ended"]));
      });
      await live.close();
    });

    it("3. SMS: 202, the message logged and sent through the SMS simulator", async () => {
      const vendorCallId = await inboundCall({ number: "+13125550103", lines: [["user", "Do you do fillers?"]] });
      const { contactId } = await reportedCall(vendorCallId);
      const contact = await json<{ phone: string }>(`/api/contacts/${contactId}`);

      const response = await api(`/api/contacts/${contactId}/sms`, {
        method: "POST",
        body: JSON.stringify({ body: "See you Tuesday at 2!" }),
      });
      expect(response.status).toBe(202);
      const { message } = (await response.json()) as { message: Record<string, unknown> };
      expect(message).toMatchObject({ status: "queued", direction: "outbound", toNumber: contact.phone, contactId });
      expect(message.vendorMessageId).toMatch(/^sim-sms-/);
      expect(logs).toContainEqual(
        expect.objectContaining({
          msg: "SMS simulator: would send a text message",
          messageId: message.id,
          vendorMessageId: message.vendorMessageId,
        }),
      );
    });

    it("4. dashboard: several calls move the pulse; recent activity is the last 10, newest first", async () => {
      const before = await pulse();
      const calls = [
        { lines: [["user", "I want to book a facelift"]] as const, book: "facelift" },
        { lines: [["user", "Botox please, book me in"]] as const, book: "botox" },
        { lines: [["user", "How much is liposuction?"]] as const },
        { lines: [["user", "Just a question about parking"]] as const },
      ];
      const ids: string[] = [];
      for (const [i, c] of calls.entries()) ids.push(await inboundCall({ number: `+1312555020${i}`, ...c }));

      await eventually(async () => {
        const after = await pulse();
        expect(after.totalCalls - before.totalCalls).toBe(4);
        expect(after.inboundCalls - before.inboundCalls).toBe(4);
        expect(after.bookings - before.bookings).toBe(2);
        expect(after.pipelineValueCents - before.pipelineValueCents).toBe(800_000 + 40_000 + 500_000);
      });
      const { items } = await json<{ items: { occurredAt: string }[] }>("/api/analytics/recent-activity");
      expect(items).toHaveLength(10);
      const times = items.map((a) => new Date(a.occurredAt).getTime());
      expect(times).toEqual([...times].sort((a, b) => b - a));
    });

    it("5. services: a service POSTed through the API prices the next call that mentions it", async () => {
      const created = await api("/api/services", {
        method: "POST",
        body: JSON.stringify({ name: "Tummy Tuck", priceCents: 650_000, keywords: ["tummy tuck", "abdominoplasty"] }),
      });
      expect(created.status).toBe(201);
      const vendorCallId = await inboundCall({
        number: "+13125550104",
        lines: [["user", "I'm interested in a Tummy-Tuck, what does it cost?"]],
      });
      const call = await reportedCall(vendorCallId);
      expect(call.financialValueCents).toBe(650_000);
      expect(call.metadata.pricing).toMatchObject({ source: "price_list", serviceName: "Tummy Tuck" });
    });
  });
}

scenarios("PGlite", pglite);
describe.skipIf(!postgresAvailable)("on a PostgreSQL server", () => scenarios("PostgreSQL server", postgresServer()));
