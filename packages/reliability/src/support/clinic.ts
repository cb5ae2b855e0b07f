/**
 * The clinic the load is for, created as an operator would: `voxanne org create` (the real CLI,
 * run in this process on the same database), with HMAC webhook auth, an SMS sender, two alert
 * numbers and an outbound agent; then `voxanne token` for the API.
 */
import { randomBytes } from "node:crypto";
import { runCli } from "@voxanne/adapter-http/server";
import type { VapiWebhookAuth } from "@voxanne/core";
import type { SqlReader } from "./database.ts";
import { literal } from "./database.ts";

export const CLINIC_AGENT = {
  assistantId: "asst_reliability_inbound",
  outboundAssistantId: "asst_reliability_outbound",
  phoneNumberId: "pn_reliability",
  smsFrom: "+12025550143",
  alertNumbers: ["+13125550199", "+13125550198"],
} as const;

export interface Clinic {
  orgId: string;
  /** The org's stored webhook auth, as Vapi would be set up with it. */
  webhookAuth: VapiWebhookAuth;
  /** A JWT for the org's API. */
  token: string;
}

async function cli(env: Record<string, string>, args: string[]): Promise<string> {
  const out: string[] = [];
  const err: string[] = [];
  const code = await runCli(["node", "voxanne", ...args], {
    env,
    out: (t) => out.push(t),
    err: (t) => err.push(t),
  });
  if (code !== 0) throw new Error(`voxanne ${args[0]} failed (${code}): ${err.join("\n")}`);
  return out.join("\n").trim();
}

/** `env` is the server's (DATABASE_URL, JWT_SECRET…). */
export async function createClinic(env: Record<string, string>, sql: SqlReader): Promise<Clinic> {
  const secret = randomBytes(24).toString("hex");
  const orgId = await cli(env, [
    "org",
    "create",
    "--name",
    "Reliability Aesthetics",
    "--assistant-id",
    CLINIC_AGENT.assistantId,
    "--outbound-assistant-id",
    CLINIC_AGENT.outboundAssistantId,
    "--phone-number-id",
    CLINIC_AGENT.phoneNumberId,
    "--sms-from",
    CLINIC_AGENT.smsFrom,
    ...CLINIC_AGENT.alertNumbers.flatMap((n) => ["--alert-number", n]),
    "--webhook-auth",
    `hmac:${secret}`,
  ]);
  const [row] = await sql.rows<{ auth: VapiWebhookAuth }>(
    `select vapi_webhook_auth as auth from organizations where id = ${literal(orgId)}`,
  );
  if (row?.auth.type !== "hmac") throw new Error(`org ${orgId} was not stored with HMAC webhook auth`);
  const token = await cli(env, ["token", "--org", orgId, "--ttl", "86400"]);
  return { orgId, webhookAuth: row.auth, token };
}
