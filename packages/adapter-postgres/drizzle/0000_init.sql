CREATE TYPE "public"."activity_type" AS ENUM('call_started', 'call_ended', 'booked', 'lost', 'hot_lead', 'callback_requested', 'sms_sent', 'sms_failed', 'sms_received', 'service_changed');--> statement-breakpoint
CREATE TYPE "public"."appointment_status" AS ENUM('booked', 'canceled', 'completed');--> statement-breakpoint
CREATE TYPE "public"."call_direction" AS ENUM('inbound', 'outbound');--> statement-breakpoint
CREATE TYPE "public"."call_status" AS ENUM('pending', 'initiated', 'ringing', 'in_progress', 'completed', 'failed', 'no_answer', 'busy', 'canceled');--> statement-breakpoint
CREATE TYPE "public"."lead_status" AS ENUM('new', 'contacted', 'qualified', 'booked', 'converted', 'lost');--> statement-breakpoint
CREATE TYPE "public"."lead_temperature" AS ENUM('hot', 'warm', 'cold');--> statement-breakpoint
CREATE TYPE "public"."message_direction" AS ENUM('inbound', 'outbound');--> statement-breakpoint
CREATE TYPE "public"."message_purpose" AS ENUM('conversation', 'hot_lead_alert');--> statement-breakpoint
CREATE TYPE "public"."message_status" AS ENUM('queued', 'sent', 'delivered', 'undelivered', 'failed', 'received');--> statement-breakpoint
CREATE TYPE "public"."outbox_status" AS ENUM('pending', 'sent', 'dead');--> statement-breakpoint
CREATE TYPE "public"."provider" AS ENUM('vapi', 'twilio', 'voxanne');--> statement-breakpoint
CREATE TYPE "public"."recording_status" AS ENUM('pending', 'processing', 'completed', 'failed');--> statement-breakpoint
CREATE TABLE "activity" (
	"id" text COLLATE "C" PRIMARY KEY NOT NULL,
	"org_id" text COLLATE "C" NOT NULL,
	"type" "activity_type" NOT NULL,
	"key" varchar(300) NOT NULL,
	"occurred_at" timestamp with time zone NOT NULL,
	"contact_id" text COLLATE "C",
	"call_id" text COLLATE "C",
	"summary" varchar(500) NOT NULL,
	"data" jsonb NOT NULL
);
--> statement-breakpoint
ALTER TABLE "activity" ENABLE ROW LEVEL SECURITY;--> statement-breakpoint
CREATE TABLE "appointments" (
	"id" text COLLATE "C" PRIMARY KEY NOT NULL,
	"org_id" text COLLATE "C" NOT NULL,
	"contact_id" text COLLATE "C" NOT NULL,
	"call_id" text COLLATE "C",
	"service_id" text COLLATE "C",
	"starts_at" timestamp with time zone NOT NULL,
	"status" "appointment_status" NOT NULL,
	"tool_call_id" varchar(200),
	"created_at" timestamp with time zone NOT NULL
);
--> statement-breakpoint
ALTER TABLE "appointments" ENABLE ROW LEVEL SECURITY;--> statement-breakpoint
CREATE TABLE "calls" (
	"id" text COLLATE "C" PRIMARY KEY NOT NULL,
	"org_id" text COLLATE "C" NOT NULL,
	"vendor_call_id" varchar(200),
	"direction" "call_direction" NOT NULL,
	"status" "call_status" NOT NULL,
	"from_number" varchar(20),
	"to_number" varchar(20),
	"contact_id" text COLLATE "C",
	"started_at" timestamp with time zone,
	"ended_at" timestamp with time zone,
	"duration_seconds" integer,
	"ended_reason" varchar(200),
	"transcript" text,
	"summary" text,
	"sentiment" jsonb,
	"tool_calls" jsonb NOT NULL,
	"booking_confirmed" boolean NOT NULL,
	"financial_value_cents" bigint NOT NULL,
	"priced_service_id" text COLLATE "C",
	"lead_score" smallint,
	"lead_score_reasons" jsonb NOT NULL,
	"recording_status" "recording_status" NOT NULL,
	"recording_url" text,
	"recording_location" text,
	"transfer_to" varchar(100),
	"transfer_time" timestamp with time zone,
	"transfer_reason" varchar(500),
	"deleted_at" timestamp with time zone,
	"metadata" jsonb NOT NULL,
	"created_at" timestamp with time zone NOT NULL,
	"updated_at" timestamp with time zone NOT NULL
);
--> statement-breakpoint
ALTER TABLE "calls" ENABLE ROW LEVEL SECURITY;--> statement-breakpoint
CREATE TABLE "contacts" (
	"id" text COLLATE "C" PRIMARY KEY NOT NULL,
	"org_id" text COLLATE "C" NOT NULL,
	"phone" varchar(20) NOT NULL,
	"name" varchar(120),
	"email" varchar(254),
	"lead_status" "lead_status" NOT NULL,
	"lead_score" smallint NOT NULL,
	"lead_temperature" "lead_temperature" NOT NULL,
	"last_contacted_at" timestamp with time zone,
	"sms_opted_out_at" timestamp with time zone,
	"created_at" timestamp with time zone NOT NULL,
	CONSTRAINT "contacts_lead_score_range" CHECK ("contacts"."lead_score" between 0 and 100)
);
--> statement-breakpoint
ALTER TABLE "contacts" ENABLE ROW LEVEL SECURITY;--> statement-breakpoint
CREATE TABLE "event_log" (
	"seq" bigint PRIMARY KEY GENERATED ALWAYS AS IDENTITY (sequence name "event_log_seq_seq" INCREMENT BY 1 MINVALUE 1 MAXVALUE 9223372036854775807 START WITH 1 CACHE 1),
	"org_id" text COLLATE "C" NOT NULL,
	"provider" "provider" NOT NULL,
	"event_key" varchar(500) NOT NULL,
	"payload" jsonb NOT NULL,
	"received_at" timestamp with time zone NOT NULL,
	"projected_at" timestamp with time zone,
	"attempts" integer DEFAULT 0 NOT NULL,
	"last_error" varchar(1000)
);
--> statement-breakpoint
ALTER TABLE "event_log" ENABLE ROW LEVEL SECURITY;--> statement-breakpoint
CREATE TABLE "messages" (
	"id" text COLLATE "C" PRIMARY KEY NOT NULL,
	"org_id" text COLLATE "C" NOT NULL,
	"contact_id" text COLLATE "C",
	"direction" "message_direction" NOT NULL,
	"purpose" "message_purpose" NOT NULL,
	"from_number" varchar(40),
	"to_number" varchar(40) NOT NULL,
	"body" varchar(10000) NOT NULL,
	"status" "message_status" NOT NULL,
	"vendor_message_id" varchar(200),
	"error_code" varchar(40),
	"created_at" timestamp with time zone NOT NULL,
	"updated_at" timestamp with time zone NOT NULL
);
--> statement-breakpoint
ALTER TABLE "messages" ENABLE ROW LEVEL SECURITY;--> statement-breakpoint
CREATE TABLE "organizations" (
	"id" text COLLATE "C" PRIMARY KEY NOT NULL,
	"name" varchar(120) NOT NULL,
	"timezone" varchar(64) NOT NULL,
	"currency" varchar(3) NOT NULL,
	"assistant_ids" text[] DEFAULT '{}' NOT NULL,
	"outbound_assistant_id" varchar(100),
	"phone_number_id" varchar(100),
	"sms_from" varchar(40),
	"hot_lead_alert_numbers" text[] DEFAULT '{}' NOT NULL,
	"vapi_webhook_auth" jsonb NOT NULL,
	"booking_tool_names" text[] NOT NULL,
	"created_at" timestamp with time zone NOT NULL
);
--> statement-breakpoint
ALTER TABLE "organizations" ENABLE ROW LEVEL SECURITY;--> statement-breakpoint
CREATE TABLE "outbox" (
	"id" text COLLATE "C" PRIMARY KEY NOT NULL,
	"org_id" text COLLATE "C" NOT NULL,
	"kind" varchar(100) NOT NULL,
	"key" varchar(300) NOT NULL,
	"payload" jsonb NOT NULL,
	"status" "outbox_status" NOT NULL,
	"due_at" timestamp with time zone NOT NULL,
	"attempts" integer DEFAULT 0 NOT NULL,
	"last_error" varchar(1000),
	"locked_until" timestamp with time zone,
	"created_at" timestamp with time zone NOT NULL
);
--> statement-breakpoint
ALTER TABLE "outbox" ENABLE ROW LEVEL SECURITY;--> statement-breakpoint
CREATE TABLE "services" (
	"id" text COLLATE "C" PRIMARY KEY NOT NULL,
	"org_id" text COLLATE "C" NOT NULL,
	"name" varchar(120) NOT NULL,
	"price_cents" bigint NOT NULL,
	"keywords" text[] NOT NULL,
	"created_at" timestamp with time zone NOT NULL,
	"updated_at" timestamp with time zone NOT NULL,
	CONSTRAINT "services_price_cents_not_negative" CHECK ("services"."price_cents" >= 0)
);
--> statement-breakpoint
ALTER TABLE "services" ENABLE ROW LEVEL SECURITY;--> statement-breakpoint
ALTER TABLE "activity" ADD CONSTRAINT "activity_org_id_organizations_id_fk" FOREIGN KEY ("org_id") REFERENCES "public"."organizations"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "appointments" ADD CONSTRAINT "appointments_org_id_organizations_id_fk" FOREIGN KEY ("org_id") REFERENCES "public"."organizations"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "appointments" ADD CONSTRAINT "appointments_contact_id_contacts_id_fk" FOREIGN KEY ("contact_id") REFERENCES "public"."contacts"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "calls" ADD CONSTRAINT "calls_org_id_organizations_id_fk" FOREIGN KEY ("org_id") REFERENCES "public"."organizations"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "calls" ADD CONSTRAINT "calls_contact_id_contacts_id_fk" FOREIGN KEY ("contact_id") REFERENCES "public"."contacts"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "contacts" ADD CONSTRAINT "contacts_org_id_organizations_id_fk" FOREIGN KEY ("org_id") REFERENCES "public"."organizations"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "event_log" ADD CONSTRAINT "event_log_org_id_organizations_id_fk" FOREIGN KEY ("org_id") REFERENCES "public"."organizations"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "messages" ADD CONSTRAINT "messages_org_id_organizations_id_fk" FOREIGN KEY ("org_id") REFERENCES "public"."organizations"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "messages" ADD CONSTRAINT "messages_contact_id_contacts_id_fk" FOREIGN KEY ("contact_id") REFERENCES "public"."contacts"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "outbox" ADD CONSTRAINT "outbox_org_id_organizations_id_fk" FOREIGN KEY ("org_id") REFERENCES "public"."organizations"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "services" ADD CONSTRAINT "services_org_id_organizations_id_fk" FOREIGN KEY ("org_id") REFERENCES "public"."organizations"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
CREATE UNIQUE INDEX "activity_org_key_key" ON "activity" USING btree ("org_id","key");--> statement-breakpoint
CREATE INDEX "idx_activity_org_occurred" ON "activity" USING btree ("org_id","occurred_at" DESC NULLS LAST,"id" DESC NULLS LAST);--> statement-breakpoint
CREATE UNIQUE INDEX "appointments_org_tool_call_key" ON "appointments" USING btree ("org_id","tool_call_id");--> statement-breakpoint
CREATE UNIQUE INDEX "appointments_org_slot_key" ON "appointments" USING btree ("org_id","starts_at") WHERE "appointments"."status" = 'booked';--> statement-breakpoint
CREATE INDEX "idx_appointments_org_call" ON "appointments" USING btree ("org_id","call_id");--> statement-breakpoint
CREATE UNIQUE INDEX "calls_org_vendor_call_id_key" ON "calls" USING btree ("org_id","vendor_call_id");--> statement-breakpoint
CREATE INDEX "idx_calls_org_created" ON "calls" USING btree ("org_id","created_at" DESC NULLS LAST,"id" DESC NULLS LAST);--> statement-breakpoint
CREATE INDEX "idx_calls_org_created_live" ON "calls" USING btree ("org_id","created_at" DESC NULLS LAST,"id" DESC NULLS LAST) WHERE "calls"."deleted_at" is null;--> statement-breakpoint
CREATE INDEX "idx_calls_recording_status" ON "calls" USING btree ("org_id","recording_status");--> statement-breakpoint
CREATE INDEX "idx_calls_org_contact" ON "calls" USING btree ("org_id","contact_id");--> statement-breakpoint
CREATE UNIQUE INDEX "contacts_org_phone_key" ON "contacts" USING btree ("org_id","phone");--> statement-breakpoint
CREATE INDEX "idx_contacts_org_created" ON "contacts" USING btree ("org_id","created_at" DESC NULLS LAST,"id" DESC NULLS LAST);--> statement-breakpoint
CREATE UNIQUE INDEX "event_log_org_provider_key_key" ON "event_log" USING btree ("org_id","provider","event_key");--> statement-breakpoint
CREATE INDEX "idx_event_log_pending" ON "event_log" USING btree ("seq") WHERE "event_log"."projected_at" is null;--> statement-breakpoint
CREATE INDEX "idx_event_log_org_seq" ON "event_log" USING btree ("org_id","seq");--> statement-breakpoint
CREATE UNIQUE INDEX "messages_org_vendor_message_id_key" ON "messages" USING btree ("org_id","vendor_message_id");--> statement-breakpoint
CREATE INDEX "idx_messages_org_contact" ON "messages" USING btree ("org_id","contact_id","created_at");--> statement-breakpoint
CREATE INDEX "idx_organizations_assistant_ids" ON "organizations" USING gin ("assistant_ids");--> statement-breakpoint
CREATE INDEX "idx_organizations_phone_number_id" ON "organizations" USING btree ("phone_number_id");--> statement-breakpoint
CREATE INDEX "idx_organizations_outbound_assistant_id" ON "organizations" USING btree ("outbound_assistant_id");--> statement-breakpoint
CREATE INDEX "idx_organizations_sms_from" ON "organizations" USING btree ("sms_from");--> statement-breakpoint
CREATE UNIQUE INDEX "outbox_org_key_key" ON "outbox" USING btree ("org_id","key");--> statement-breakpoint
CREATE INDEX "idx_outbox_due" ON "outbox" USING btree ("due_at","created_at") WHERE "outbox"."status" = 'pending';--> statement-breakpoint
CREATE INDEX "idx_outbox_org_created" ON "outbox" USING btree ("org_id","created_at");--> statement-breakpoint
CREATE INDEX "idx_services_org_id" ON "services" USING btree ("org_id","name");--> statement-breakpoint
CREATE INDEX "idx_services_keywords" ON "services" USING gin ("keywords");--> statement-breakpoint
CREATE POLICY "tenant_isolation" ON "activity" AS PERMISSIVE FOR ALL TO public USING (org_id = current_setting('app.org_id', true)) WITH CHECK (org_id = current_setting('app.org_id', true));--> statement-breakpoint
CREATE POLICY "tenant_isolation" ON "appointments" AS PERMISSIVE FOR ALL TO public USING (org_id = current_setting('app.org_id', true)) WITH CHECK (org_id = current_setting('app.org_id', true));--> statement-breakpoint
CREATE POLICY "tenant_isolation" ON "calls" AS PERMISSIVE FOR ALL TO public USING (org_id = current_setting('app.org_id', true)) WITH CHECK (org_id = current_setting('app.org_id', true));--> statement-breakpoint
CREATE POLICY "tenant_isolation" ON "contacts" AS PERMISSIVE FOR ALL TO public USING (org_id = current_setting('app.org_id', true)) WITH CHECK (org_id = current_setting('app.org_id', true));--> statement-breakpoint
CREATE POLICY "tenant_isolation" ON "event_log" AS PERMISSIVE FOR ALL TO public USING (org_id = current_setting('app.org_id', true)) WITH CHECK (org_id = current_setting('app.org_id', true));--> statement-breakpoint
CREATE POLICY "tenant_isolation" ON "messages" AS PERMISSIVE FOR ALL TO public USING (org_id = current_setting('app.org_id', true)) WITH CHECK (org_id = current_setting('app.org_id', true));--> statement-breakpoint
CREATE POLICY "tenant_isolation" ON "organizations" AS PERMISSIVE FOR ALL TO public USING (id = current_setting('app.org_id', true)) WITH CHECK (id = current_setting('app.org_id', true));--> statement-breakpoint
CREATE POLICY "tenant_isolation" ON "outbox" AS PERMISSIVE FOR ALL TO public USING (org_id = current_setting('app.org_id', true)) WITH CHECK (org_id = current_setting('app.org_id', true));--> statement-breakpoint
CREATE POLICY "tenant_isolation" ON "services" AS PERMISSIVE FOR ALL TO public USING (org_id = current_setting('app.org_id', true)) WITH CHECK (org_id = current_setting('app.org_id', true));