CREATE TABLE "alert_groups" (
	"id" serial PRIMARY KEY NOT NULL,
	"source" text NOT NULL,
	"key" text NOT NULL,
	"group_key" text NOT NULL,
	"rule" text NOT NULL,
	"incident_id" integer,
	"pending" boolean DEFAULT false NOT NULL,
	"batch" jsonb,
	"created_at" timestamp with time zone NOT NULL,
	"updated_at" timestamp with time zone NOT NULL
);
--> statement-breakpoint
CREATE TABLE "alert_openings" (
	"incident_id" integer PRIMARY KEY NOT NULL,
	"group_id" integer NOT NULL,
	"rule" text NOT NULL,
	"storm" boolean NOT NULL,
	"opened_at" timestamp with time zone NOT NULL
);
--> statement-breakpoint
CREATE TABLE "alert_rules" (
	"rule" text PRIMARY KEY NOT NULL,
	"storm_incident_id" integer
);
--> statement-breakpoint
CREATE TABLE "alert_states" (
	"group_id" integer NOT NULL,
	"fingerprint" text NOT NULL,
	"status" text NOT NULL,
	"starts_at" text,
	"title" text NOT NULL,
	"updated_at" timestamp with time zone NOT NULL,
	CONSTRAINT "alert_states_group_id_fingerprint_pk" PRIMARY KEY("group_id","fingerprint")
);
--> statement-breakpoint
CREATE UNIQUE INDEX "alert_groups_key_key" ON "alert_groups" USING btree ("key");--> statement-breakpoint
CREATE INDEX "alert_groups_incident_idx" ON "alert_groups" USING btree ("incident_id");--> statement-breakpoint
CREATE INDEX "alert_openings_rule_idx" ON "alert_openings" USING btree ("rule","opened_at");