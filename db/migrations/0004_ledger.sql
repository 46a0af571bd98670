CREATE TYPE "public"."problem_state" AS ENUM('open', 'assigned', 'resolved', 'escalated');--> statement-breakpoint
CREATE TYPE "public"."task_state" AS ENUM('registered', 'in_progress', 'close_requested', 'closed', 'kept');--> statement-breakpoint
CREATE TABLE "ledger_tasks" (
	"id" serial PRIMARY KEY NOT NULL,
	"ledger_id" integer NOT NULL,
	"code" text NOT NULL,
	"title" text NOT NULL,
	"measure" text,
	"responsible_leader_open_id" text,
	"owner_open_id" text NOT NULL,
	"cadences" jsonb NOT NULL,
	"expected_result" text,
	"actual_result" text,
	"state" "task_state" DEFAULT 'registered' NOT NULL,
	"state_reason" text,
	"next_review_on" date,
	"source_submission_id" integer,
	"version" integer DEFAULT 1 NOT NULL,
	"created_at" timestamp with time zone NOT NULL,
	"updated_at" timestamp with time zone NOT NULL,
	CONSTRAINT "ledger_tasks_code" UNIQUE("ledger_id","code")
);
--> statement-breakpoint
CREATE TABLE "ledgers" (
	"id" serial PRIMARY KEY NOT NULL,
	"title" text NOT NULL,
	"year" integer NOT NULL,
	"status" text DEFAULT 'active' NOT NULL,
	"policy" jsonb NOT NULL,
	"notice_chat_id" text,
	"main_leader_open_id" text,
	"created_by" text,
	"created_at" timestamp with time zone NOT NULL,
	CONSTRAINT "ledgers_title_unique" UNIQUE("title")
);
--> statement-breakpoint
CREATE TABLE "letter_counters" (
	"kind" text NOT NULL,
	"year" integer NOT NULL,
	"last" integer NOT NULL,
	CONSTRAINT "letter_counters_kind_year_pk" PRIMARY KEY("kind","year")
);
--> statement-breakpoint
CREATE TABLE "letters" (
	"id" serial PRIMARY KEY NOT NULL,
	"ledger_id" integer NOT NULL,
	"task_id" integer NOT NULL,
	"kind" text NOT NULL,
	"year" integer NOT NULL,
	"number" integer NOT NULL,
	"trigger_key" text NOT NULL,
	"reason" text NOT NULL,
	"issued_at" timestamp with time zone NOT NULL,
	"rectify_by" timestamp with time zone NOT NULL,
	"recipients" jsonb NOT NULL,
	"cc" jsonb NOT NULL,
	"acknowledged_at" timestamp with time zone,
	"acknowledged_by" text,
	"plan_text" text,
	"plan_due_at" timestamp with time zone,
	CONSTRAINT "letters_number" UNIQUE("kind","year","number"),
	CONSTRAINT "letters_trigger" UNIQUE("task_id","kind","trigger_key")
);
--> statement-breakpoint
CREATE TABLE "milestones" (
	"id" serial PRIMARY KEY NOT NULL,
	"task_id" integer NOT NULL,
	"title" text NOT NULL,
	"due_at" timestamp with time zone NOT NULL,
	"done_at" timestamp with time zone,
	"source" text DEFAULT 'plan' NOT NULL,
	"letter_id" integer
);
--> statement-breakpoint
CREATE TABLE "problems" (
	"id" serial PRIMARY KEY NOT NULL,
	"ledger_id" integer NOT NULL,
	"task_id" integer,
	"description" text NOT NULL,
	"responsible_unit_id" integer,
	"state" "problem_state" DEFAULT 'open' NOT NULL,
	"resolution" text,
	"registered_by" text NOT NULL,
	"form_key" text NOT NULL,
	"created_at" timestamp with time zone NOT NULL,
	"updated_at" timestamp with time zone NOT NULL,
	CONSTRAINT "problems_form_key_unique" UNIQUE("form_key")
);
--> statement-breakpoint
CREATE TABLE "progress_reports" (
	"id" serial PRIMARY KEY NOT NULL,
	"task_id" integer NOT NULL,
	"cadence" text NOT NULL,
	"period_key" text NOT NULL,
	"due_at" timestamp with time zone NOT NULL,
	"progress" text NOT NULL,
	"problems" text NOT NULL,
	"suggestions" text NOT NULL,
	"percent_complete" integer NOT NULL,
	"milestone_status" jsonb NOT NULL,
	"late" boolean NOT NULL,
	"submitted_by" text NOT NULL,
	"submitted_at" timestamp with time zone NOT NULL,
	"version" integer DEFAULT 1 NOT NULL,
	CONSTRAINT "progress_reports_period" UNIQUE("task_id","period_key")
);
--> statement-breakpoint
CREATE TABLE "red_list" (
	"id" serial PRIMARY KEY NOT NULL,
	"ledger_id" integer NOT NULL,
	"subject_type" text NOT NULL,
	"subject_id" text NOT NULL,
	"subject_name" text NOT NULL,
	"reason" text NOT NULL,
	"status" text DEFAULT 'nominated' NOT NULL,
	"withdraw_reason" text,
	"nominated_by" text NOT NULL,
	"published_at" timestamp with time zone,
	"created_at" timestamp with time zone NOT NULL
);
--> statement-breakpoint
CREATE TABLE "task_units" (
	"task_id" integer NOT NULL,
	"unit_id" integer NOT NULL,
	"role" text NOT NULL,
	CONSTRAINT "task_units_task_id_unit_id_pk" PRIMARY KEY("task_id","unit_id")
);
--> statement-breakpoint
ALTER TABLE "ledger_tasks" ADD CONSTRAINT "ledger_tasks_ledger_id_ledgers_id_fk" FOREIGN KEY ("ledger_id") REFERENCES "public"."ledgers"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "ledger_tasks" ADD CONSTRAINT "ledger_tasks_source_submission_id_submissions_id_fk" FOREIGN KEY ("source_submission_id") REFERENCES "public"."submissions"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "letters" ADD CONSTRAINT "letters_ledger_id_ledgers_id_fk" FOREIGN KEY ("ledger_id") REFERENCES "public"."ledgers"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "letters" ADD CONSTRAINT "letters_task_id_ledger_tasks_id_fk" FOREIGN KEY ("task_id") REFERENCES "public"."ledger_tasks"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "milestones" ADD CONSTRAINT "milestones_task_id_ledger_tasks_id_fk" FOREIGN KEY ("task_id") REFERENCES "public"."ledger_tasks"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "problems" ADD CONSTRAINT "problems_ledger_id_ledgers_id_fk" FOREIGN KEY ("ledger_id") REFERENCES "public"."ledgers"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "problems" ADD CONSTRAINT "problems_task_id_ledger_tasks_id_fk" FOREIGN KEY ("task_id") REFERENCES "public"."ledger_tasks"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "problems" ADD CONSTRAINT "problems_responsible_unit_id_units_id_fk" FOREIGN KEY ("responsible_unit_id") REFERENCES "public"."units"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "progress_reports" ADD CONSTRAINT "progress_reports_task_id_ledger_tasks_id_fk" FOREIGN KEY ("task_id") REFERENCES "public"."ledger_tasks"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "red_list" ADD CONSTRAINT "red_list_ledger_id_ledgers_id_fk" FOREIGN KEY ("ledger_id") REFERENCES "public"."ledgers"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "task_units" ADD CONSTRAINT "task_units_task_id_ledger_tasks_id_fk" FOREIGN KEY ("task_id") REFERENCES "public"."ledger_tasks"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "task_units" ADD CONSTRAINT "task_units_unit_id_units_id_fk" FOREIGN KEY ("unit_id") REFERENCES "public"."units"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "ledger_tasks_owner_idx" ON "ledger_tasks" USING btree ("owner_open_id");