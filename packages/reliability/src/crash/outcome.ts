/**
 * What a crash run left in the database, without the parts that differ between any two runs
 * (generated ids, the clock's timestamps), so a killed-and-restarted run compares with one that
 * was never killed. Read as the superuser, past row-level security.
 */
import type { Database } from "@voxanne/adapter-postgres";
import { openPostgres, postgresStorage } from "@voxanne/adapter-postgres";
import type { Pulse } from "@voxanne/core";

export interface Outcome {
  /** Per event key: how many rows and whether all are projected. */
  eventLog: { key: string; copies: number; projected: boolean }[];
  inboundCalls: Record<string, unknown>[];
  contacts: Record<string, unknown>[];
  appointments: Record<string, unknown>[];
  pulse: Pulse;
  alerts: { to: string; body: string; status: string; errorCode: string | null; hasVendorId: boolean; item: string }[];
  callbacks: { status: string; vendorCallId: string | null; phone: string | null }[];
}

const rows = async (database: Database, query: string) =>
  (await database.db.execute(query)) as unknown as Record<string, unknown>[];

export async function readOutcome(databaseUrl: string, orgId: string): Promise<Outcome> {
  const database = openPostgres(databaseUrl, { max: 2 });
  try {
    const eventLog = await rows(
      database,
      `select event_key as key, count(*)::int as copies, bool_and(projected_at is not null) as projected
          from event_log group by event_key order by event_key`,
    );
    const inboundCalls = await rows(
      database,
      `select c.vendor_call_id, c.status, c.duration_seconds, c.booking_confirmed, c.financial_value_cents,
                 c.lead_score, c.summary, c.transcript, ct.phone
          from calls c left join contacts ct on ct.id = c.contact_id
          where c.direction = 'inbound' order by c.vendor_call_id`,
    );
    const contacts = await rows(
      database,
      `select phone, name, lead_status, lead_score, lead_temperature from contacts order by phone`,
    );
    const appointments = await rows(
      database,
      `select a.tool_call_id, a.starts_at, a.status, c.vendor_call_id
          from appointments a left join calls c on c.id = a.call_id order by a.tool_call_id`,
    );
    const alerts = await rows(
      database,
      `select m.to_number as "to", m.body, m.status, m.error_code as "errorCode",
                 m.vendor_message_id is not null as "hasVendorId", coalesce(o.status::text, 'none') as item
          from messages m left join outbox o on o.id = m.id
          where m.purpose = 'hot_lead_alert' order by m.to_number, m.body`,
    );
    const callbacks = await rows(
      database,
      `select c.status, c.vendor_call_id as "vendorCallId", ct.phone
          from calls c left join contacts ct on ct.id = c.contact_id
          where c.direction = 'outbound' order by c.created_at`,
    );
    const pulse = await postgresStorage(database).transaction(orgId, (tx) => tx.metrics.pulse({}));
    return {
      eventLog,
      inboundCalls,
      contacts,
      appointments,
      pulse,
      alerts,
      callbacks,
    } as Outcome;
  } finally {
    await database.close();
  }
}
