CREATE TABLE "rca_actions" (
	"incident_id" integer NOT NULL,
	"n" integer NOT NULL,
	"text" text NOT NULL,
	"owner" text NOT NULL,
	"due" text NOT NULL,
	"created_by" text NOT NULL,
	"created_at" timestamp with time zone NOT NULL,
	"done_at" timestamp with time zone,
	"done_by" text,
	CONSTRAINT "rca_actions_incident_id_n_pk" PRIMARY KEY("incident_id","n")
);
--> statement-breakpoint
CREATE TABLE "rca_sections" (
	"incident_id" integer NOT NULL,
	"section" text NOT NULL,
	"text" text NOT NULL,
	"authors" jsonb DEFAULT '[]'::jsonb NOT NULL,
	"updated_at" timestamp with time zone NOT NULL,
	CONSTRAINT "rca_sections_incident_id_section_pk" PRIMARY KEY("incident_id","section")
);
--> statement-breakpoint
CREATE TABLE "timeline_entries" (
	"id" bigserial PRIMARY KEY NOT NULL,
	"incident_id" integer NOT NULL,
	"at" timestamp with time zone NOT NULL,
	"text" text NOT NULL,
	"author" text NOT NULL,
	"source" text NOT NULL,
	"created_at" timestamp with time zone NOT NULL
);
--> statement-breakpoint
ALTER TABLE "rca_actions" ADD CONSTRAINT "rca_actions_incident_id_incidents_id_fk" FOREIGN KEY ("incident_id") REFERENCES "public"."incidents"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "rca_sections" ADD CONSTRAINT "rca_sections_incident_id_incidents_id_fk" FOREIGN KEY ("incident_id") REFERENCES "public"."incidents"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "timeline_entries" ADD CONSTRAINT "timeline_entries_incident_id_incidents_id_fk" FOREIGN KEY ("incident_id") REFERENCES "public"."incidents"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "timeline_entries_incident_idx" ON "timeline_entries" USING btree ("incident_id","at");