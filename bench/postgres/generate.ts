/**
 * The data generator: N calls over a set of organizations, with their contacts and activity,
 * written by the server itself (`INSERT … SELECT generate_series(…)`), so a million calls take
 * seconds, not an hour of round trips. Distributions (fixed by a hash of the row number, so every
 * run writes the same data): 85% inbound; 80% completed, the rest no answer, failed, busy,
 * canceled or still in progress; 25% of completed calls booked (20% of all), priced from the
 * default price list; durations skewed short (20 s–15 min); lead scores from booking, price,
 * duration and chance; 2% soft-deleted; created_at spread over the year before `anchor`; about
 * 2.5 calls per contact. Organizations must exist already (created through the core, which seeds
 * their price lists).
 */
import type { BenchDatabase } from "./databases.ts";
import { timed } from "./stats.ts";

export const CLINIC_NUMBER = "+15555550100";

/** A uniform [0, 1) draw for row `g` of the series, one per `salt`. */
const u = (salt: number) => `((hashint8(g * 16 + ${salt}) & 2147483647)::float8 / 2147483648.0)`;

/** The generated contact of organization number `n` (1-based) and index `c`: id and E.164 phone. */
const contactId = (n: string, c: string) => `md5('contact:' || ${n} || ':' || ${c})::uuid::text`;
const contactPhone = (n: string, c: string) => `'+1' || (2010000000 + ${n} * 100000 + ${c})::text`;

/** Organizations numbered 1… in the order given ($1: their ids). */
const ORGS = "orgs as (select id, n::int from unnest($1::text[]) with ordinality as t(id, n))";

const CONTACTS = `with ${ORGS}
insert into contacts (id, org_id, phone, name, lead_status, lead_score, lead_temperature, created_at)
select ${contactId("o.n", "c")}, o.id, ${contactPhone("o.n", "c")},
  case when (hashint8(c * 131 + o.n) & 1) = 0 then 'Caller ' || c end,
  'new', 0, 'cold', $3::timestamptz - interval '365 days'
from orgs o, generate_series(0, $2::int - 1) c`;

/** $1 org ids, $2 number of calls, $3 contacts per org, $4 anchor. Layered: draws, then facts, then derived values. */
const CALLS = `with ${ORGS},
draws as (
  select g, (g % cardinality($1::text[]))::int + 1 as org_n,
    ${u(1)} as r_dir, ${u(2)} as r_status, ${u(3)} as r_when, ${u(4)} as r_len, ${u(5)} as r_contact,
    ${u(6)} as r_book, ${u(7)} as r_mention, ${u(8)} as r_service, ${u(9)} as r_score, ${u(10)} as r_mood,
    ${u(11)} as r_urgency, ${u(12)} as r_recording, ${u(13)} as r_deleted
  from generate_series(0::bigint, $2::bigint - 1) g
),
facts as (
  select d.*,
    (case when r_dir < 0.85 then 'inbound' else 'outbound' end)::call_direction as direction,
    (case when r_status < 0.80 then 'completed' when r_status < 0.87 then 'no_answer' when r_status < 0.91 then 'failed'
      when r_status < 0.94 then 'busy' when r_status < 0.97 then 'canceled' else 'in_progress' end)::call_status as status,
    $4::timestamptz - r_when * interval '365 days' as created,
    floor(r_contact * $3::int)::int as contact
  from draws d
),
calls_ as (
  select f.*,
    case status when 'completed' then 20 + floor(r_len * r_len * 880)::int when 'failed' then floor(r_len * 30)::int
      when 'in_progress' then null else 0 end as duration,
    status = 'completed' and r_book < 0.25 as booked,
    case when status = 'completed' and (r_book < 0.25 or r_mention < 0.6) then
      case when r_service < 0.25 then 'Botox' when r_service < 0.45 then 'Fillers' when r_service < 0.70 then 'Consultation'
        when r_service < 0.80 then 'Liposuction' when r_service < 0.88 then 'Rhinoplasty' when r_service < 0.94 then 'Facelift'
        else 'Breast Augmentation' end
    end as service_name
  from facts f
),
valued as (
  select c.*, o.id as org_id, s.id as service_id, coalesce(s.price_cents, 0) as value,
    ${contactPhone("c.org_n", "c.contact")} as phone
  from calls_ c
  join orgs o on o.n = c.org_n
  left join services s on s.org_id = o.id and s.name = c.service_name
)
insert into calls (id, org_id, vendor_call_id, direction, status, from_number, to_number, contact_id,
  started_at, ended_at, duration_seconds, ended_reason, transcript, sentiment, tool_calls, booking_confirmed,
  financial_value_cents, priced_service_id, lead_score, lead_score_reasons, recording_status, recording_url,
  deleted_at, metadata, created_at, updated_at)
select md5('call:' || g)::uuid::text, org_id, 'gen-' || g, direction, status,
  case when direction = 'inbound' then phone else '${CLINIC_NUMBER}' end,
  case when direction = 'inbound' then '${CLINIC_NUMBER}' else phone end,
  ${contactId("org_n", "contact")},
  created,
  case when status <> 'in_progress' then created + duration * interval '1 second' end,
  duration,
  case status when 'completed' then 'customer-ended-call' when 'no_answer' then 'customer-did-not-answer'
    when 'failed' then 'pipeline-error' when 'busy' then 'customer-busy' when 'canceled' then 'canceled' end,
  case when status = 'completed' then 'AI: Thank you for calling, this is Ava. How can I help? User: Hi, I would like to know about '
    || coalesce(lower(service_name), 'your opening hours') || '. AI: Of course. '
    || case when booked then 'Would Tuesday at ten work? User: Yes please, book it.' else 'Anything else? User: No, thanks.' end
  end,
  case when status = 'completed' then jsonb_build_object(
    'label', case when r_mood < 0.55 then 'positive' when r_mood < 0.85 then 'neutral' else 'negative' end,
    'score', round((case when r_mood < 0.55 then 0.2 + r_mood when r_mood < 0.85 then r_mood - 0.7 else -0.2 - (r_mood - 0.85) * 4 end)::numeric, 2),
    'urgency', case when r_urgency < 0.7 then 'low' when r_urgency < 0.93 then 'medium' else 'high' end,
    'summary', null, 'source', 'analyser') end,
  case when booked then jsonb_build_array(jsonb_build_object('toolCallId', 'gen-' || g || '-tool-1',
    'name', 'book_appointment', 'succeeded', true)) else '[]'::jsonb end,
  booked, value, service_id,
  case when status = 'in_progress' then null when status <> 'completed' then floor(r_score * 15)::int
    else least(100, case when booked then 40 else 0 end
      + case when value >= 500000 then 25 when value >= 40000 then 15 when value > 0 then 8 else 0 end
      + least(15, duration / 40) + floor(r_score * 30)::int) end,
  '[]'::jsonb,
  (case when status = 'completed' and r_recording < 0.9 then 'completed' else 'pending' end)::recording_status,
  case when status = 'completed' then 'https://recordings.example.com/gen-' || g || '.wav' end,
  case when r_deleted < 0.02 then created + interval '1 day' end,
  case when service_name is null then '{}'::jsonb
    else jsonb_build_object('pricing', jsonb_build_object('source', 'price_list', 'serviceName', service_name)) end,
  created,
  case when status <> 'in_progress' then created + duration * interval '1 second' else created end
from valued`;

/** The activity the projection would have written for each generated call. */
const ACTIVITY = `insert into activity (id, org_id, type, key, occurred_at, contact_id, call_id, summary, data)
select md5(a.type || ':' || c.id)::uuid::text, c.org_id, a.type::activity_type, a.type || ':' || c.id, a.at,
  c.contact_id, c.id, a.summary, a.data
from calls c cross join lateral (values
  ('call_started', c.created_at, initcap(c.direction::text) || ' call started', '{}'::jsonb, true),
  ('call_ended', c.ended_at, 'Call ended (' || replace(c.status::text, '_', ' ') || ')',
    jsonb_build_object('status', c.status, 'durationSeconds', c.duration_seconds), c.ended_at is not null),
  ('booked', c.ended_at, 'Appointment booked', jsonb_build_object('financialValueCents', c.financial_value_cents),
    c.booking_confirmed),
  ('hot_lead', c.ended_at, 'Hot lead (score ' || c.lead_score || ')', jsonb_build_object('leadScore', c.lead_score),
    c.lead_score >= 70)
) as a(type, at, summary, data, keep)
where a.keep and c.vendor_call_id like 'gen-%'`;

/** Contacts take their status, score and dates from their calls, as the projection leaves them. */
const CONTACT_ROLLUP = `update contacts ct set
  lead_score = r.score, lead_temperature = (case when r.score >= 70 then 'hot' when r.score >= 40 then 'warm' else 'cold' end)::lead_temperature,
  lead_status = (case when r.booked then 'booked' when r.inbound_ended then 'lost' else 'contacted' end)::lead_status,
  last_contacted_at = r.last, created_at = r.first
from (
  select contact_id, coalesce(max(lead_score) filter (where deleted_at is null), 0) as score, bool_or(booking_confirmed) as booked,
    bool_or(direction = 'inbound' and ended_at is not null) as inbound_ended,
    max(coalesce(ended_at, started_at)) as last, min(created_at) as first
  from calls where vendor_call_id like 'gen-%' group by contact_id
) r
where ct.id = r.contact_id`;

export interface GenerateOptions {
  /** Organization ids, each with its price list; calls go to them round-robin. */
  orgIds: readonly string[];
  calls: number;
  /** The end of the year the calls are spread over. */
  anchor: Date;
}

/**
 * What slows a bulk load and can be rebuilt in one pass afterwards: secondary indexes, foreign
 * keys (a trigger per row) and the primary keys nothing references, of the tables filled here.
 * In restore order: primary keys, indexes, foreign keys. Contacts keep their primary key, which
 * other tables' foreign keys need.
 */
const REBUILDABLE = `select kind, name, tbl, definition from (
  select case contype when 'p' then 1 else 3 end as step, case contype when 'p' then 'pkey' else 'fkey' end as kind,
    conname::text as name, conrelid::regclass::text as tbl,
    'alter table ' || conrelid::regclass || ' add constraint ' || quote_ident(conname) || ' ' || pg_get_constraintdef(oid) as definition
  from pg_constraint
  where conrelid in ('calls'::regclass, 'activity'::regclass, 'contacts'::regclass)
    and (contype = 'f' or (contype = 'p' and conrelid <> 'contacts'::regclass))
  union all
  select 2, 'index', indexname::text, tablename::text, indexdef from pg_indexes
  where schemaname = 'public' and tablename in ('calls', 'activity', 'contacts')
    and indexname not in (select conname from pg_constraint)
) r order by step, name`;

interface Rebuildable {
  kind: "pkey" | "index" | "fkey";
  name: string;
  tbl: string;
  definition: string;
}

export interface Generated {
  calls: number;
  contacts: number;
  activity: number;
  /** Milliseconds per step. */
  steps: Record<"contacts" | "calls" | "activity" | "contact rollup" | "keys and indexes" | "vacuum analyze", number>;
  totalMs: number;
}

/**
 * Fills empty tables; returns the row counts and how long each step took. Keys and indexes are
 * dropped for the load and built afterwards, in one pass each, which is much faster than
 * maintaining them row by row; every constraint is checked again when it comes back.
 */
export async function generate(db: BenchDatabase, options: GenerateOptions): Promise<Generated> {
  const { raw } = db;
  const { orgIds, calls, anchor } = options;
  const perOrg = Math.max(1, Math.ceil((Math.ceil(calls / orgIds.length) * 2) / 5));
  const started = performance.now();
  const steps: Partial<Generated["steps"]> = {};
  const rebuilt = await raw<Rebuildable>(REBUILDABLE);
  for (const r of [...rebuilt].reverse()) {
    await raw(r.kind === "index" ? `drop index ${r.name}` : `alter table ${r.tbl} drop constraint ${r.name}`);
  }
  steps.contacts = (await timed(() => raw(CONTACTS, [orgIds, perOrg, anchor]))).ms;
  steps.calls = (await timed(() => raw(CALLS, [orgIds, calls, perOrg, anchor]))).ms;
  steps.activity = (await timed(() => raw(ACTIVITY))).ms;
  steps["contact rollup"] = (await timed(() => raw(CONTACT_ROLLUP))).ms;
  steps["keys and indexes"] = (
    await timed(() =>
      db.rawTransaction(async (query) => {
        await query("set local maintenance_work_mem = '256MB'");
        for (const { definition } of rebuilt) await query(definition);
      }),
    )
  ).ms;
  // What autovacuum would have done by the time anyone looks at a dashboard: fresh statistics
  // for the planner and a visibility map for index-only scans.
  steps["vacuum analyze"] = (await timed(() => raw("vacuum (analyze) calls, contacts, activity, call_stats"))).ms;
  const [counts] = await raw<{ calls: number; contacts: number; activity: number }>(
    `select (select count(*) from calls)::int as calls, (select count(*) from contacts)::int as contacts,
      (select count(*) from activity)::int as activity`,
  );
  if (!counts || counts.calls < calls) throw new Error(`generated ${counts?.calls} of ${calls} calls`);
  return { ...counts, steps: steps as Generated["steps"], totalMs: performance.now() - started };
}
