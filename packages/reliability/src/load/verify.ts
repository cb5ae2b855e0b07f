/**
 * The end-state checks of a run: the database (read with SQL, a second path), the dashboard pulse
 * (through the API, as a user sees it) and the fake Twilio's messages, each compared with the
 * generator's record. Returns every problem found, in words, so a failed test says what is wrong.
 */
import type { Pulse } from "@voxanne/core";
import { CLINIC_AGENT } from "../support/clinic.ts";
import { literal } from "../support/database.ts";
import type { Stack } from "../support/stack.ts";
import type { Expected } from "./expectations.ts";
import type { PlannedWebhook } from "./vapiPayloads.ts";

const HOT_LEAD_SCORE = 70;
const SHOWN = 5;

/** `what: n (first few: …)` when the list is not empty. */
function listed(problems: string[], what: string, items: readonly string[]): void {
  if (items.length > 0) problems.push(`${what}: ${items.length} (first: ${items.slice(0, SHOWN).join(", ")})`);
}

/** What `want` has and `got` lacks, and the other way round. */
function listDifferences(
  problems: string[],
  want: ReadonlySet<string>,
  got: ReadonlySet<string>,
  [missing, extra]: [string, string],
): void {
  listed(
    problems,
    missing,
    [...want].filter((x) => !got.has(x)),
  );
  listed(
    problems,
    extra,
    [...got].filter((x) => !want.has(x)),
  );
}

const webhookKey = (call: string, type: string, status: string) => `${call}|${type}|${status}`;
const keyOf = (w: PlannedWebhook) =>
  webhookKey(
    w.call.vendorCallId,
    w.kind === "report" ? "end-of-call-report" : "status-update",
    w.kind === "report" ? "" : w.kind,
  );

async function checkCalls(stack: Stack, expected: Expected, problems: string[]): Promise<void> {
  const rows = await stack.database.sql.rows<{
    vendor_call_id: string;
    status: string;
    booking_confirmed: boolean;
    financial_value_cents: number;
    lead_score: number | null;
  }>(
    `select vendor_call_id, status, booking_confirmed, financial_value_cents, lead_score from calls
      where org_id = ${literal(stack.clinic.orgId)} and deleted_at is null`,
  );
  if (rows.length !== expected.vendorCallIds.size) {
    problems.push(`calls: the database holds ${rows.length}, the generator made ${expected.vendorCallIds.size}`);
  }
  const seen = new Set(rows.map((r) => r.vendor_call_id));
  listDifferences(problems, expected.vendorCallIds, seen, ["calls missing", "calls not made by the generator"]);
  const wrong = rows.flatMap((row) => {
    const planned = expected.calls.get(row.vendor_call_id);
    if (!planned) return [];
    const facts = {
      status: row.status,
      booked: row.booking_confirmed,
      valueCents: Number(row.financial_value_cents),
      hot: (row.lead_score ?? 0) >= HOT_LEAD_SCORE,
    };
    const want = {
      status: "completed",
      booked: planned.booked,
      valueCents: planned.service?.priceCents ?? 0,
      hot: planned.hot,
    };
    return JSON.stringify(facts) === JSON.stringify(want)
      ? []
      : [`${row.vendor_call_id} is ${JSON.stringify(facts)}, expected ${JSON.stringify(want)}`];
  });
  listed(problems, "calls projected wrong", wrong);
}

async function checkContacts(stack: Stack, expected: Expected, problems: string[]): Promise<void> {
  const rows = await stack.database.sql.rows<{ phone: string }>(
    `select phone from contacts where org_id = ${literal(stack.clinic.orgId)}`,
  );
  const phones = new Set(rows.map((r) => r.phone));
  if (rows.length !== expected.phones.size) {
    problems.push(`contacts: the database holds ${rows.length}, the generator used ${expected.phones.size} phones`);
  }
  listDifferences(problems, expected.phones, phones, [
    "callers without a contact",
    "contacts for phones nobody called from",
  ]);
}

async function checkEventLog(stack: Stack, webhooks: readonly PlannedWebhook[], problems: string[]): Promise<void> {
  const rows = await stack.database.sql.rows<{ call: string; type: string; status: string }>(
    `select payload->'message'->'call'->>'id' as call, payload->'message'->>'type' as type,
            coalesce(payload->'message'->>'status', '') as status
       from event_log where org_id = ${literal(stack.clinic.orgId)}`,
  );
  const counts = new Map<string, number>();
  for (const r of rows) {
    const key = webhookKey(r.call, r.type, r.status);
    counts.set(key, (counts.get(key) ?? 0) + 1);
  }
  listed(
    problems,
    "webhooks not in the event log",
    webhooks.map(keyOf).filter((k) => !counts.has(k)),
  );
  listed(
    problems,
    "webhooks logged more than once",
    [...counts].filter(([, n]) => n > 1).map(([k, n]) => `${k} ×${n}`),
  );
  if (rows.length !== webhooks.length) {
    problems.push(`event log: ${rows.length} entries for ${webhooks.length} distinct webhooks`);
  }
}

async function checkPulse(stack: Stack, expected: Expected, problems: string[]): Promise<void> {
  const response = await stack.api("/api/analytics/dashboard-pulse");
  if (!response.ok) {
    problems.push(`dashboard pulse answered ${response.status}`);
    return;
  }
  const pulse = (await response.json()) as Pulse;
  for (const [field, want] of Object.entries(expected.pulse)) {
    const got = pulse[field as keyof Pulse];
    if (got !== want) problems.push(`pulse.${field} is ${got}, the generator's record says ${want}`);
  }
}

export interface VerifyOptions {
  /**
   * The server was killed, or lost its database, while sending: an alert whose send was in flight
   * is settled `SMS_UNCONFIRMED` (the vendor may or may not have it) and never sent again. Such
   * alerts may be missing at the vendor; they are reported in `unconfirmed`, not as problems.
   */
  sendsMayBeCut?: boolean;
}

const alertKey = (to: string, body: string) => `${to} about ${/\+\d{8,15}/.exec(body)?.[0] ?? "?"}`;

/**
 * Exactly one alert per hot call to each alert number, nothing else sent; none failed or dead
 * (after a cut send: at most one, and only an unconfirmed one may be missing).
 */
async function checkAlerts(
  stack: Stack,
  expected: Expected,
  problems: string[],
  unconfirmed: string[],
  options: VerifyOptions,
): Promise<void> {
  const org = literal(stack.clinic.orgId);
  if (options.sendsMayBeCut) {
    const rows = await stack.database.sql.rows<{ to_number: string; body: string }>(
      `select to_number, body from messages where org_id = ${org} and error_code = 'SMS_UNCONFIRMED'`,
    );
    unconfirmed.push(...rows.map((r) => alertKey(r.to_number, r.body)));
  }
  const got = new Map<string, number>();
  const stray: string[] = [];
  for (const { resource } of stack.twilio.messages) {
    const key = alertKey(resource.to, resource.body);
    if (!(CLINIC_AGENT.alertNumbers as readonly string[]).includes(resource.to) || key.endsWith("?")) {
      stray.push(`to ${resource.to}: ${resource.body.slice(0, 60)}`);
      continue;
    }
    got.set(key, (got.get(key) ?? 0) + 1);
  }
  const missing: string[] = [];
  const doubled: string[] = [];
  for (const to of CLINIC_AGENT.alertNumbers) {
    for (const [phone, hotCalls] of expected.hotCallsByPhone) {
      const key = `${to} about ${phone}`;
      const n = got.get(key) ?? 0;
      const mayBeMissing = unconfirmed.filter((u) => u === key).length;
      if (n < hotCalls - mayBeMissing) missing.push(`${key} (${n} of ${hotCalls})`);
      if (n > hotCalls) doubled.push(`${key} (${n} for ${hotCalls} hot calls)`);
      got.delete(key);
    }
  }
  listed(problems, "hot-lead alerts missing", missing);
  listed(problems, "hot-lead alerts sent more than once", doubled);
  listed(problems, "alerts about callers who are not hot leads", [...got.keys()]);
  listed(problems, "text messages nobody should have sent", stray);

  const unconfirmedOk = options.sendsMayBeCut ? `and coalesce(error_code, '') <> 'SMS_UNCONFIRMED'` : "";
  const deadOk = options.sendsMayBeCut ? `and coalesce(last_error, '') not like '%may have sent%'` : "";
  const failed = await stack.database.sql.rows<{ what: string }>(
    `select 'message ' || status || ' ' || coalesce(error_code, 'unsent') as what from messages
      where org_id = ${org} and (status in ('failed', 'undelivered') or vendor_message_id is null) ${unconfirmedOk}
     union all
     select 'outbox ' || kind || ' dead: ' || coalesce(last_error, '') from outbox
      where org_id = ${org} and status = 'dead' ${deadOk}`,
  );
  listed(
    problems,
    "side effects that failed",
    failed.map((f) => f.what),
  );
}

export interface EndState {
  problems: string[];
  /** Alerts whose send was cut (`sendsMayBeCut` only): `<alert number> about <caller>`. */
  unconfirmed: string[];
}

export async function checkEndState(
  stack: Stack,
  expected: Expected,
  webhooks: readonly PlannedWebhook[],
  options: VerifyOptions = {},
): Promise<EndState> {
  const problems: string[] = [];
  const unconfirmed: string[] = [];
  await checkCalls(stack, expected, problems);
  await checkContacts(stack, expected, problems);
  await checkEventLog(stack, webhooks, problems);
  await checkPulse(stack, expected, problems);
  await checkAlerts(stack, expected, problems, unconfirmed, options);
  return { problems, unconfirmed };
}
