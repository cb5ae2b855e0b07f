CREATE TABLE "call_stats" (
	"org_id" text COLLATE "C" NOT NULL,
	"day" timestamp with time zone NOT NULL,
	"total_calls" integer NOT NULL,
	"inbound_calls" integer NOT NULL,
	"booked_inbound" integer NOT NULL,
	"bookings" integer NOT NULL,
	"pipeline_value_cents" bigint NOT NULL,
	"duration_sum" bigint NOT NULL,
	"duration_count" integer NOT NULL,
	CONSTRAINT "call_stats_org_id_day_pk" PRIMARY KEY("org_id","day")
);
--> statement-breakpoint
ALTER TABLE "call_stats" ENABLE ROW LEVEL SECURITY;--> statement-breakpoint
ALTER TABLE "call_stats" ADD CONSTRAINT "call_stats_org_id_organizations_id_fk" FOREIGN KEY ("org_id") REFERENCES "public"."organizations"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "idx_calls_hot" ON "calls" USING btree ("org_id","contact_id","created_at") WHERE "calls"."deleted_at" is null and "calls"."lead_score" >= 70;--> statement-breakpoint
CREATE POLICY "tenant_isolation" ON "call_stats" AS PERMISSIVE FOR ALL TO public USING (org_id = current_setting('app.org_id', true)) WITH CHECK (org_id = current_setting('app.org_id', true));--> statement-breakpoint
ALTER TABLE "call_stats" FORCE ROW LEVEL SECURITY;--> statement-breakpoint
GRANT SELECT, INSERT, UPDATE, DELETE ON "call_stats" TO voxanne_app;--> statement-breakpoint
-- A live call's share of its day's figures, as the pulse counts it (see metrics.ts).
CREATE FUNCTION call_stats_share(c calls) RETURNS call_stats LANGUAGE sql STABLE AS $$
  SELECT c.org_id, date_trunc('day', c.created_at, 'UTC'), 1,
    (c.direction = 'inbound')::int,
    (c.direction = 'inbound' AND c.booking_confirmed)::int,
    c.booking_confirmed::int,
    c.financial_value_cents,
    (CASE WHEN c.status = 'completed' THEN coalesce(c.duration_seconds, 0) ELSE 0 END)::bigint,
    (c.status = 'completed' AND c.duration_seconds IS NOT NULL)::int
$$;--> statement-breakpoint
-- Takes the old row's share out and puts the new row's in. A removal only updates (a call's day
-- row exists while it counts; an org's deletion has already removed its rows), so it never
-- inserts a row for an organization that is going away.
CREATE FUNCTION calls_count_in_stats() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
  s call_stats;
BEGIN
  IF TG_OP <> 'INSERT' AND OLD.deleted_at IS NULL THEN
    s := call_stats_share(OLD);
    UPDATE call_stats SET
      total_calls = total_calls - s.total_calls,
      inbound_calls = inbound_calls - s.inbound_calls,
      booked_inbound = booked_inbound - s.booked_inbound,
      bookings = bookings - s.bookings,
      pipeline_value_cents = pipeline_value_cents - s.pipeline_value_cents,
      duration_sum = duration_sum - s.duration_sum,
      duration_count = duration_count - s.duration_count
    WHERE org_id = s.org_id AND day = s.day;
  END IF;
  IF TG_OP <> 'DELETE' AND NEW.deleted_at IS NULL THEN
    INSERT INTO call_stats AS t SELECT * FROM call_stats_share(NEW)
    ON CONFLICT (org_id, day) DO UPDATE SET
      total_calls = t.total_calls + excluded.total_calls,
      inbound_calls = t.inbound_calls + excluded.inbound_calls,
      booked_inbound = t.booked_inbound + excluded.booked_inbound,
      bookings = t.bookings + excluded.bookings,
      pipeline_value_cents = t.pipeline_value_cents + excluded.pipeline_value_cents,
      duration_sum = t.duration_sum + excluded.duration_sum,
      duration_count = t.duration_count + excluded.duration_count;
  END IF;
  RETURN NULL;
END
$$;--> statement-breakpoint
CREATE TRIGGER calls_count_in_stats AFTER INSERT OR DELETE ON calls
  FOR EACH ROW EXECUTE FUNCTION calls_count_in_stats();--> statement-breakpoint
-- Updates that leave every counted column as it was (most of a call's updates) skip the trigger.
CREATE TRIGGER calls_count_in_stats_on_update AFTER UPDATE ON calls
  FOR EACH ROW WHEN (
    OLD.org_id IS DISTINCT FROM NEW.org_id OR OLD.created_at IS DISTINCT FROM NEW.created_at
    OR OLD.deleted_at IS DISTINCT FROM NEW.deleted_at OR OLD.direction IS DISTINCT FROM NEW.direction
    OR OLD.status IS DISTINCT FROM NEW.status OR OLD.booking_confirmed IS DISTINCT FROM NEW.booking_confirmed
    OR OLD.financial_value_cents IS DISTINCT FROM NEW.financial_value_cents
    OR OLD.duration_seconds IS DISTINCT FROM NEW.duration_seconds
  ) EXECUTE FUNCTION calls_count_in_stats();--> statement-breakpoint
-- The calls already stored.
INSERT INTO call_stats
  SELECT (s).org_id, (s).day, sum((s).total_calls), sum((s).inbound_calls), sum((s).booked_inbound),
    sum((s).bookings), sum((s).pipeline_value_cents), sum((s).duration_sum), sum((s).duration_count)
  FROM (SELECT call_stats_share(c) AS s FROM calls c WHERE c.deleted_at IS NULL) shares
  GROUP BY (s).org_id, (s).day;
