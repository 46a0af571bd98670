CREATE TABLE "awards" (
	"id" serial PRIMARY KEY NOT NULL,
	"campaign_id" integer NOT NULL,
	"submission_id" integer NOT NULL,
	"tier" text NOT NULL,
	"amount_yuan" integer NOT NULL,
	"split" jsonb NOT NULL,
	"created_by" text NOT NULL,
	"created_at" timestamp with time zone NOT NULL,
	CONSTRAINT "awards_submission_id_unique" UNIQUE("submission_id")
);
--> statement-breakpoint
CREATE TABLE "leader_decisions" (
	"id" serial PRIMARY KEY NOT NULL,
	"round_id" integer NOT NULL,
	"leader_open_id" text NOT NULL,
	"decision" text NOT NULL,
	"reason" text,
	"decided_at" timestamp with time zone NOT NULL
);
--> statement-breakpoint
CREATE TABLE "review_assignments" (
	"round_id" integer NOT NULL,
	"submission_id" integer NOT NULL,
	"reviewer_open_id" text NOT NULL,
	"status" text DEFAULT 'assigned' NOT NULL,
	"recuse_reason" text,
	"assigned_at" timestamp with time zone NOT NULL,
	CONSTRAINT "review_assignments_round_id_submission_id_reviewer_open_id_pk" PRIMARY KEY("round_id","submission_id","reviewer_open_id")
);
--> statement-breakpoint
CREATE TABLE "review_rounds" (
	"id" serial PRIMARY KEY NOT NULL,
	"campaign_id" integer NOT NULL,
	"key" text NOT NULL,
	"label" text NOT NULL,
	"state" text DEFAULT 'open' NOT NULL,
	"k" integer NOT NULL,
	"quorum" integer NOT NULL,
	"closes_at" timestamp with time zone,
	"previous_round_id" integer,
	"opened_at" timestamp with time zone NOT NULL,
	"closed_at" timestamp with time zone,
	"closed_by" text,
	"override_reason" text
);
--> statement-breakpoint
CREATE TABLE "reviews" (
	"round_id" integer NOT NULL,
	"submission_id" integer NOT NULL,
	"reviewer_open_id" text NOT NULL,
	"scores" jsonb NOT NULL,
	"vote" text NOT NULL,
	"comment" text DEFAULT '' NOT NULL,
	"version" integer DEFAULT 1 NOT NULL,
	"submitted_at" timestamp with time zone NOT NULL,
	"updated_at" timestamp with time zone NOT NULL,
	CONSTRAINT "reviews_round_id_submission_id_reviewer_open_id_pk" PRIMARY KEY("round_id","submission_id","reviewer_open_id")
);
--> statement-breakpoint
CREATE TABLE "round_items" (
	"round_id" integer NOT NULL,
	"submission_id" integer NOT NULL,
	CONSTRAINT "round_items_round_id_submission_id_pk" PRIMARY KEY("round_id","submission_id")
);
--> statement-breakpoint
CREATE TABLE "round_reviewers" (
	"round_id" integer NOT NULL,
	"reviewer_open_id" text NOT NULL,
	CONSTRAINT "round_reviewers_round_id_reviewer_open_id_pk" PRIMARY KEY("round_id","reviewer_open_id")
);
--> statement-breakpoint
ALTER TABLE "awards" ADD CONSTRAINT "awards_campaign_id_campaigns_id_fk" FOREIGN KEY ("campaign_id") REFERENCES "public"."campaigns"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "awards" ADD CONSTRAINT "awards_submission_id_submissions_id_fk" FOREIGN KEY ("submission_id") REFERENCES "public"."submissions"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "leader_decisions" ADD CONSTRAINT "leader_decisions_round_id_review_rounds_id_fk" FOREIGN KEY ("round_id") REFERENCES "public"."review_rounds"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "review_assignments" ADD CONSTRAINT "review_assignments_round_id_review_rounds_id_fk" FOREIGN KEY ("round_id") REFERENCES "public"."review_rounds"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "review_assignments" ADD CONSTRAINT "review_assignments_submission_id_submissions_id_fk" FOREIGN KEY ("submission_id") REFERENCES "public"."submissions"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "review_rounds" ADD CONSTRAINT "review_rounds_campaign_id_campaigns_id_fk" FOREIGN KEY ("campaign_id") REFERENCES "public"."campaigns"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "reviews" ADD CONSTRAINT "reviews_round_id_review_rounds_id_fk" FOREIGN KEY ("round_id") REFERENCES "public"."review_rounds"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "reviews" ADD CONSTRAINT "reviews_submission_id_submissions_id_fk" FOREIGN KEY ("submission_id") REFERENCES "public"."submissions"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "round_items" ADD CONSTRAINT "round_items_round_id_review_rounds_id_fk" FOREIGN KEY ("round_id") REFERENCES "public"."review_rounds"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "round_items" ADD CONSTRAINT "round_items_submission_id_submissions_id_fk" FOREIGN KEY ("submission_id") REFERENCES "public"."submissions"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "round_reviewers" ADD CONSTRAINT "round_reviewers_round_id_review_rounds_id_fk" FOREIGN KEY ("round_id") REFERENCES "public"."review_rounds"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "review_rounds_campaign_idx" ON "review_rounds" USING btree ("campaign_id");