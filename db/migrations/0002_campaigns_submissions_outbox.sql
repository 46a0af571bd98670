CREATE TYPE "public"."recommendation_status" AS ENUM('pending', 'assigned', 'declined');--> statement-breakpoint
CREATE TYPE "public"."submission_status" AS ENUM('submitted', 'withdrawn', 'recommended', 'returned', 'confirmed');--> statement-breakpoint
CREATE TYPE "public"."outbox_status" AS ENUM('planned', 'claimed', 'sent', 'failed', 'skipped_done', 'skipped_muted');--> statement-breakpoint
CREATE TABLE "campaigns" (
	"id" serial PRIMARY KEY NOT NULL,
	"code" text NOT NULL,
	"template_id" text NOT NULL,
	"name" text NOT NULL,
	"year" integer NOT NULL,
	"kind" text NOT NULL,
	"definition" jsonb NOT NULL,
	"notice_chat_id" text,
	"status" text DEFAULT 'active' NOT NULL,
	"version" integer DEFAULT 1 NOT NULL,
	"created_by" text,
	"created_at" timestamp with time zone NOT NULL,
	"updated_at" timestamp with time zone NOT NULL,
	CONSTRAINT "campaigns_code_unique" UNIQUE("code")
);
--> statement-breakpoint
CREATE TABLE "recommendations" (
	"id" serial PRIMARY KEY NOT NULL,
	"campaign_id" integer,
	"recommender_open_id" text NOT NULL,
	"title" text NOT NULL,
	"problem" text NOT NULL,
	"suggested_unit" text,
	"status" "recommendation_status" DEFAULT 'pending' NOT NULL,
	"assigned_unit_id" integer,
	"decision_reason" text,
	"decided_by" text,
	"decided_at" timestamp with time zone,
	"form_key" text NOT NULL,
	"created_at" timestamp with time zone NOT NULL,
	CONSTRAINT "recommendations_form_key_unique" UNIQUE("form_key")
);
--> statement-breakpoint
CREATE TABLE "submissions" (
	"id" serial PRIMARY KEY NOT NULL,
	"campaign_id" integer NOT NULL,
	"unit_id" integer NOT NULL,
	"seq" integer NOT NULL,
	"tracking_no" text NOT NULL,
	"kind" text NOT NULL,
	"title" text NOT NULL,
	"direction" text,
	"measure_no" integer,
	"fields" jsonb NOT NULL,
	"main_creators" jsonb NOT NULL,
	"status" "submission_status" DEFAULT 'submitted' NOT NULL,
	"status_reason" text,
	"version" integer DEFAULT 1 NOT NULL,
	"form_key" text NOT NULL,
	"submitted_by" text NOT NULL,
	"created_at" timestamp with time zone NOT NULL,
	"updated_at" timestamp with time zone NOT NULL,
	CONSTRAINT "submissions_tracking_no_unique" UNIQUE("tracking_no"),
	CONSTRAINT "submissions_unit_seq" UNIQUE("campaign_id","unit_id","seq"),
	CONSTRAINT "submissions_form_key" UNIQUE("campaign_id","form_key")
);
--> statement-breakpoint
CREATE TABLE "outbox" (
	"id" bigserial PRIMARY KEY NOT NULL,
	"key" text NOT NULL,
	"kind" text NOT NULL,
	"recipient_type" text NOT NULL,
	"recipient" text NOT NULL,
	"payload" jsonb NOT NULL,
	"status" "outbox_status" DEFAULT 'planned' NOT NULL,
	"due_at" timestamp with time zone NOT NULL,
	"attempts" integer DEFAULT 0 NOT NULL,
	"lease_until" timestamp with time zone,
	"last_error" text,
	"lark_message_id" text,
	"created_at" timestamp with time zone NOT NULL,
	"sent_at" timestamp with time zone,
	CONSTRAINT "outbox_key_unique" UNIQUE("key")
);
--> statement-breakpoint
ALTER TABLE "recommendations" ADD CONSTRAINT "recommendations_campaign_id_campaigns_id_fk" FOREIGN KEY ("campaign_id") REFERENCES "public"."campaigns"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "recommendations" ADD CONSTRAINT "recommendations_assigned_unit_id_units_id_fk" FOREIGN KEY ("assigned_unit_id") REFERENCES "public"."units"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "submissions" ADD CONSTRAINT "submissions_campaign_id_campaigns_id_fk" FOREIGN KEY ("campaign_id") REFERENCES "public"."campaigns"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "submissions" ADD CONSTRAINT "submissions_unit_id_units_id_fk" FOREIGN KEY ("unit_id") REFERENCES "public"."units"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "submissions_campaign_status_idx" ON "submissions" USING btree ("campaign_id","status");--> statement-breakpoint
CREATE INDEX "outbox_due_idx" ON "outbox" USING btree ("status","due_at");