/**
 * The event log for the replay bench, written by the server: the native events of N whole calls
 * exactly as `callEvents(callScript(prefix, i, start))` builds them (see `calls.ts`), generated with
 * `INSERT … SELECT generate_series(…)`. `checkEvents` compares sample calls with the JS builder,
 * so the SQL cannot drift from the core's event shape unnoticed.
 */

import { eventsOf, HOT_SENTIMENT, HOT_TRANSCRIPT, TRANSCRIPT } from "./calls.ts";
import type { RawQuery } from "./databases.ts";
import { CLINIC_NUMBER } from "./generate.ts";

const iso = (t: string) => `to_char((${t}) at time zone 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"')`;

/**
 * $1 org ids, $2 calls, $3 vendor id prefix, $4 start, $5 transcript, $6 hot transcript, $7 hot
 * sentiment. Calls go to the orgs round-robin.
 */
const EVENTS = `with orgs as (select id, n::int from unnest($1::text[]) with ordinality as t(id, n)),
calls_ as (
  select g, o.id as org_id, $3 || '-' || g as vendor, g % 5 = 0 as booked, g % 10 = 0 as hot, 60 + g % 240 as duration,
    $4::timestamptz + g * interval '1 minute' as started,
    '+1555' || lpad((1000000 + g % 5000)::text, 7, '0') as customer
  from generate_series(0, $2::int - 1) g join orgs o on o.n = g % cardinality($1::text[]) + 1
),
refs as (
  select c.*, c.started + c.duration * interval '1 second' as ended,
    jsonb_build_object('vendorCallId', vendor, 'callId', null, 'direction', 'inbound', 'customerNumber', customer,
      'customerName', null, 'clinicNumber', '${CLINIC_NUMBER}') as ref
  from calls_ c
)
insert into event_log (org_id, provider, event_key, payload, received_at)
select org_id, 'voxanne', vendor || ':' || e.key, e.payload, e.at + interval '1 second'
from refs cross join lateral (values
  (1, 'started', started, jsonb_build_object('type', 'CallStarted', 'call', ref, 'occurredAt', ${iso("started")},
    'startedAt', ${iso("started")}), true),
  (2, 'tool', started + interval '1 second', jsonb_build_object('type', 'ToolCalled', 'call', ref,
    'occurredAt', ${iso("started + interval '1 second'")}, 'toolCallId', vendor || '-tool-1', 'name', 'book_appointment',
    'arguments', jsonb_build_object('service', 'consultation'), 'succeeded', true), booked),
  (3, 'ended', ended, jsonb_build_object('type', 'CallEnded', 'call', ref, 'occurredAt', ${iso("ended")},
    'status', 'completed', 'endedReason', 'customer-ended-call', 'startedAt', ${iso("started")}, 'endedAt', ${iso("ended")}), true),
  (4, 'report', ended + interval '5 seconds', jsonb_build_object('type', 'CallReport', 'call', ref,
    'occurredAt', ${iso("ended + interval '5 seconds'")}, 'status', 'completed', 'endedReason', 'customer-ended-call',
    'startedAt', ${iso("started")}, 'endedAt', ${iso("ended")}, 'durationSeconds', duration,
    'transcript', case when hot then $6::text else $5::text end, 'summary', null,
    'analysis', case when hot then jsonb_build_object('sentiment', $7::jsonb || '{"summary": null}',
      'bookingConfirmed', null, 'callbackRequested', null) end,
    'toolCalls', case when booked then jsonb_build_array(jsonb_build_object('toolCallId', vendor || '-tool-1',
      'name', 'book_appointment', 'succeeded', true)) else '[]'::jsonb end,
    'recordingUrl', null, 'transfer', null), true)
) as e(ord, key, at, payload, keep)
where e.keep
order by g, e.ord`;

/** Logs the events of `calls` calls; returns how many events that made. */
export async function logEvents(
  raw: RawQuery,
  options: { orgIds: readonly string[]; calls: number; prefix: string; start: Date },
): Promise<number> {
  await raw(EVENTS, [
    options.orgIds,
    options.calls,
    options.prefix,
    options.start,
    TRANSCRIPT,
    HOT_TRANSCRIPT,
    HOT_SENTIMENT,
  ]);
  const [row] = await raw<{ n: number }>("select count(*)::int as n from event_log where event_key like $1", [
    `${options.prefix}-%`,
  ]);
  return row?.n ?? 0;
}

/** Throws unless the logged payloads of a few calls equal what `callEvents` builds for them. */
export async function checkEvents(
  raw: RawQuery,
  options: { calls: number; prefix: string; start: Date },
): Promise<void> {
  for (const i of new Set([0, 1, 5, options.calls - 1])) {
    if (i < 0 || i >= options.calls) continue;
    for (const e of eventsOf(options.prefix, i, options.start)) {
      const [row] = await raw<{ same: boolean }>(
        "select payload = $2::jsonb as same from event_log where event_key = $1",
        [e.eventKey, e.payload],
      );
      if (row?.same !== true)
        throw new Error(`generated event ${e.eventKey} differs from callEvents (${JSON.stringify(row)})`);
    }
  }
}
