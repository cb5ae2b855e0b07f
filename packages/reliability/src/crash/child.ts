/**
 * The crash child (run with tsx): the real core on the Postgres adapter, the real Twilio SMS and
 * Vapi telephony adapters pointed at the test's fake vendors, and the real Vapi webhook handler.
 * It takes webhooks, lets the projector and the outbox run, then calls a lead back, and dies at
 * the kill point it is given. It tells the test what it acknowledged, one line each on stdout
 * (synchronous on a pipe, so a line printed before the kill is never lost).
 *
 * Input: the JSON of `ChildInput` in the environment variable `CRASH_CHILD`.
 */

import { vapiWebhookHeaders } from "@voxanne/adapter-http/server";
import { migrate, openPostgres, postgresStorage } from "@voxanne/adapter-postgres";
import { twilioDecoder, twilioSms } from "@voxanne/adapter-twilio";
import { RedirectingRequestClient } from "@voxanne/adapter-twilio/testing";
import { vapiDecoder, vapiTelephony, vapiWebhookHandler } from "@voxanne/adapter-vapi";
import { createVoxanne } from "@voxanne/core";
import type { KillPoint } from "./killPoints.ts";
import { killableSms, killableStorage, killableTelephony, killSwitch } from "./killPoints.ts";
import type { Webhook } from "./workload.ts";
import { AGENT } from "./workload.ts";

export interface ChildInput {
  databaseUrl: string;
  twilio: { accountSid: string; authToken: string; baseUrl: string };
  vapi: { apiKey: string; baseUrl: string };
  /** Added to the system clock: a restart "later" finds the dead run's outbox leases expired. */
  clockOffsetMs: number;
  /** `setup` creates the clinic and prints `org <id>`; `run` works through the rest. */
  mode: "setup" | "run";
  orgId?: string;
  webhooks: Webhook[];
  /** The phone of the lead to call back, or null when that request was already made. */
  callbackPhone: string | null;
  kill?: KillPoint;
}

const say = (line: string) => process.stdout.write(`${line}\n`);

async function main(input: ChildInput) {
  const reach = killSwitch(input.kill);
  const database = openPostgres(input.databaseUrl, { max: 4 });
  await migrate(database);
  const voxanne = createVoxanne({
    storage: killableStorage(postgresStorage(database), reach),
    sms: killableSms(
      twilioSms({
        accountSid: input.twilio.accountSid,
        authToken: input.twilio.authToken,
        httpClient: new RedirectingRequestClient(input.twilio.baseUrl, { timeout: 5_000 }),
      }),
      reach,
    ),
    telephony: killableTelephony(vapiTelephony({ ...input.vapi, timeoutMs: 5_000 }), reach),
    live: { publish: async () => {} },
    clock: { now: () => new Date(Date.now() + input.clockOffsetMs) },
    decoders: [vapiDecoder, twilioDecoder],
    onError: (error, context) => process.stderr.write(`${context.what}: ${String(error)}\n`),
  });

  if (input.mode === "setup") {
    const org = await voxanne.organizations.create({ name: "Crash Clinic", agent: AGENT });
    say(`org ${org.id}`);
  } else {
    const orgId = input.orgId as string;
    const handle = vapiWebhookHandler({ voxanne });
    for (const { label, body } of input.webhooks) {
      const headers = vapiWebhookHeaders(AGENT.vapiWebhookAuth, body);
      const { status } = await handle({ headers, rawBody: new TextEncoder().encode(body) });
      say(status === 200 ? `acked ${label}` : `refused ${label} ${status}`);
    }
    await voxanne.settle();
    if (input.callbackPhone) {
      const { items } = await voxanne.contacts.list(orgId, { q: input.callbackPhone });
      const contact = items.find((c) => c.phone === input.callbackPhone);
      if (!contact) throw new Error(`no contact ${input.callbackPhone} to call back`);
      say("callback requested");
      const call = await voxanne.contacts.callBack(orgId, contact.id);
      reach("callback-marked");
      say(`callback placed ${call.id}`);
    }
    await voxanne.settle();
  }
  say("quiet");
  await voxanne.stop();
  await database.close();
}

main(JSON.parse(process.env.CRASH_CHILD ?? "{}") as ChildInput).catch((error: unknown) => {
  process.stderr.write(`crash child failed: ${error instanceof Error ? error.stack : String(error)}\n`);
  process.exit(1);
});
