-- The role application queries run as (SET LOCAL ROLE in every transaction): it cannot bypass
-- row-level security, so a query without an org filter still sees only the current org's rows.
-- The connecting role (the tables' owner, or a superuser) must have BYPASSRLS: the projector and
-- outbox workers claim work across organizations, and the directory finds an org by agent id.
DO $$
BEGIN
  IF NOT EXISTS (SELECT 1 FROM pg_roles WHERE rolname = 'voxanne_app') THEN
    CREATE ROLE voxanne_app NOLOGIN NOBYPASSRLS;
  END IF;
END
$$;--> statement-breakpoint
GRANT voxanne_app TO CURRENT_USER;--> statement-breakpoint
GRANT USAGE ON SCHEMA public TO voxanne_app;--> statement-breakpoint
GRANT SELECT, INSERT, UPDATE, DELETE ON organizations, contacts, calls, services, appointments, messages, activity, event_log, outbox TO voxanne_app;--> statement-breakpoint
GRANT USAGE, SELECT ON ALL SEQUENCES IN SCHEMA public TO voxanne_app;--> statement-breakpoint
ALTER TABLE organizations FORCE ROW LEVEL SECURITY;--> statement-breakpoint
ALTER TABLE contacts FORCE ROW LEVEL SECURITY;--> statement-breakpoint
ALTER TABLE calls FORCE ROW LEVEL SECURITY;--> statement-breakpoint
ALTER TABLE services FORCE ROW LEVEL SECURITY;--> statement-breakpoint
ALTER TABLE appointments FORCE ROW LEVEL SECURITY;--> statement-breakpoint
ALTER TABLE messages FORCE ROW LEVEL SECURITY;--> statement-breakpoint
ALTER TABLE activity FORCE ROW LEVEL SECURITY;--> statement-breakpoint
ALTER TABLE event_log FORCE ROW LEVEL SECURITY;--> statement-breakpoint
ALTER TABLE outbox FORCE ROW LEVEL SECURITY;
