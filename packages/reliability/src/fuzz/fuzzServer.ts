/**
 * The server under fuzzing: the real composition (`startServer`) on a fresh PostgreSQL database on
 * a real port, with Twilio's webhooks on (fake credentials; the SMS and telephony ports swapped for
 * recorders, so a request that is valid sends nothing anywhere). Two clinics, A and B, each seeded
 * with recognizable calls, contacts and a service, and a valid token for each.
 */

import { mkdtemp, rm } from "node:fs/promises";
import { createServer } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { mintToken } from "@voxanne/adapter-http";
import type { RunningServer } from "@voxanne/adapter-http/server";
import { loadConfig, startServer } from "@voxanne/adapter-http/server";
import type { VapiWebhookAuth } from "@voxanne/core";
import { TOKENS } from "@voxanne/core/container";
import { callEvents, recordingSms, recordingTelephony } from "@voxanne/core/testing";
import { freshDatabase, requireSharedPostgres } from "../support/database.ts";

export const JWT_SECRET = "fuzz-jwt-secret-0123456789abcdefghijklmnop";
export const TWILIO_AUTH_TOKEN = "fuzz-twilio-auth-token-0123456789";

/** What a tenant's data looks like from outside: every id, name and phone of its records. */
export interface Tenant {
  id: string;
  token: string;
  vapiAuth: VapiWebhookAuth;
  assistantId: string;
  smsFrom: string;
  contactIds: string[];
  callIds: string[];
  serviceIds: string[];
  /** Strings that identify this tenant's data: no response to the other tenant may contain one. */
  markers: string[];
}

export interface FuzzServer {
  server: RunningServer;
  url: string;
  databaseUrl: string;
  a: Tenant;
  b: Tenant;
  close(): Promise<void>;
}

/** A free port now, so PUBLIC_URL (what Twilio signs) can name it before the server starts. */
function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const probe = createServer();
    probe.once("error", reject);
    probe.listen(0, "127.0.0.1", () => {
      const address = probe.address();
      probe.close(() => resolve(typeof address === "object" && address ? address.port : 0));
    });
  });
}

async function seedTenant(server: RunningServer, label: string, phonePrefix: string): Promise<Tenant> {
  const { voxanne } = server;
  const assistantId = `asst-fuzz-${label}`;
  const vapiAuth: VapiWebhookAuth = {
    type: "secretHeader",
    headerName: "x-vapi-secret",
    secret: `vapi-secret-${label}-0123456789`,
  };
  const smsFrom = `${phonePrefix}0100`;
  const org = await voxanne.organizations.create({
    name: `Clinic ${label} Marker`,
    agent: {
      assistantIds: [assistantId],
      outboundAssistantId: `asst-out-${label}`,
      phoneNumberId: `pn-fuzz-${label}`,
      smsFrom,
      hotLeadAlertNumbers: [`${phonePrefix}0199`],
      vapiWebhookAuth: vapiAuth,
    },
  });
  const names = [`Zed ${label}salot`, `Quinn ${label}verly`];
  for (const [i, name] of names.entries()) {
    for (const event of callEvents({
      vendorCallId: `vapi-fuzz-${label}-${i}`,
      customerNumber: `${phonePrefix}01${i}1`,
      customerName: name,
      startedAt: new Date(Date.now() - 3_600_000),
      durationSeconds: 120,
      transcript: `User: I would like to book Botox. AI: Booked, ${name}.`,
      booked: i === 0,
    })) {
      await voxanne.receive("voxanne", org.id, event.eventKey, event.payload);
    }
  }
  const service = await voxanne.services.create(org.id, {
    name: `${label}Peel Special`,
    priceCents: 12_300,
    keywords: [`${label.toLowerCase()}peel`],
  });
  await voxanne.settle();
  const contacts = (await voxanne.contacts.list(org.id)).items;
  const calls = (await voxanne.calls.list(org.id)).items;
  const services = await voxanne.services.list(org.id);
  return {
    id: org.id,
    token: await mintToken({ secret: JWT_SECRET }, org.id),
    vapiAuth,
    assistantId,
    smsFrom,
    contactIds: contacts.map((c) => c.id),
    callIds: calls.map((c) => c.id),
    serviceIds: services.map((s) => s.id),
    markers: [
      org.id,
      org.name,
      ...names,
      service.id,
      service.name,
      ...contacts.flatMap((c) => [c.id, c.phone]),
      ...calls.flatMap((c) => [c.id, c.vendorCallId ?? ""]).filter(Boolean),
    ],
  };
}

export async function startFuzzServer(): Promise<FuzzServer> {
  const database = await freshDatabase(await requireSharedPostgres());
  const databaseUrl = database.url;
  const dir = await mkdtemp(join(tmpdir(), "voxanne-fuzz-"));
  const port = await freePort();
  const config = loadConfig({
    PORT: String(port),
    HOST: "127.0.0.1",
    DATABASE_URL: databaseUrl,
    RECORDINGS_DIR: join(dir, "recordings"),
    JWT_SECRET,
    PUBLIC_URL: `http://127.0.0.1:${port}`,
    TWILIO_ACCOUNT_SID: `AC${"f".repeat(32)}`,
    TWILIO_AUTH_TOKEN,
    TWILIO_FROM: "+15555550100",
    LOG_LEVEL: "silent",
  });
  const server = await startServer(config, {
    print: () => {},
    configure: (container) => {
      container.register(TOKENS.Sms, { useValue: recordingSms() });
      container.register(TOKENS.Telephony, { useValue: recordingTelephony() });
    },
  });
  try {
    const a = await seedTenant(server, "Alpha", "+1312555");
    const b = await seedTenant(server, "Bravo", "+1415555");
    return {
      server,
      url: `http://127.0.0.1:${port}`,
      databaseUrl,
      a,
      b,
      close: async () => {
        await server.close();
        await database.drop();
        await rm(dir, { recursive: true, force: true });
      },
    };
  } catch (error) {
    await server.close();
    await database.drop();
    throw error;
  }
}
