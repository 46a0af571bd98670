CREATE TYPE "public"."global_role" AS ENUM('admin', 'reviewer', 'leader');--> statement-breakpoint
CREATE TYPE "public"."unit_role" AS ENUM('liaison', 'member');--> statement-breakpoint
CREATE TYPE "public"."unit_type" AS ENUM('county', 'park', 'department', 'organisation');--> statement-breakpoint
CREATE TABLE "user_roles" (
	"user_open_id" text NOT NULL,
	"role" "global_role" NOT NULL,
	"granted_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "user_roles_user_open_id_role_pk" PRIMARY KEY("user_open_id","role")
);
--> statement-breakpoint
CREATE TABLE "users" (
	"open_id" text PRIMARY KEY NOT NULL,
	"name" text,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "unit_members" (
	"unit_id" integer NOT NULL,
	"user_open_id" text NOT NULL,
	"role" "unit_role" NOT NULL,
	"joined_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "unit_members_unit_id_user_open_id_pk" PRIMARY KEY("unit_id","user_open_id")
);
--> statement-breakpoint
CREATE TABLE "units" (
	"id" serial PRIMARY KEY NOT NULL,
	"name" text NOT NULL,
	"type" "unit_type" NOT NULL,
	"parent_id" integer,
	"vice_department_level" boolean DEFAULT false NOT NULL,
	"county_party_or_government" boolean DEFAULT false NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "units_name_unique" UNIQUE("name")
);
--> statement-breakpoint
CREATE TABLE "inbound_events" (
	"dedupe_key" text PRIMARY KEY NOT NULL,
	"event_id" text NOT NULL,
	"kind" text NOT NULL,
	"received_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "audit_log" (
	"id" bigserial PRIMARY KEY NOT NULL,
	"at" timestamp with time zone NOT NULL,
	"actor_open_id" text,
	"action" text NOT NULL,
	"entity_type" text NOT NULL,
	"entity_id" text NOT NULL,
	"before" jsonb,
	"after" jsonb,
	"reason" text
);
--> statement-breakpoint
ALTER TABLE "user_roles" ADD CONSTRAINT "user_roles_user_open_id_users_open_id_fk" FOREIGN KEY ("user_open_id") REFERENCES "public"."users"("open_id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "unit_members" ADD CONSTRAINT "unit_members_unit_id_units_id_fk" FOREIGN KEY ("unit_id") REFERENCES "public"."units"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "unit_members" ADD CONSTRAINT "unit_members_user_open_id_users_open_id_fk" FOREIGN KEY ("user_open_id") REFERENCES "public"."users"("open_id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "units" ADD CONSTRAINT "units_parent_id_units_id_fk" FOREIGN KEY ("parent_id") REFERENCES "public"."units"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "audit_log_entity_idx" ON "audit_log" USING btree ("entity_type","entity_id");