CREATE TABLE "communications" (
	"id" bigserial PRIMARY KEY NOT NULL,
	"incident_id" integer NOT NULL,
	"at" timestamp with time zone NOT NULL,
	"actor" text NOT NULL,
	"kind" text NOT NULL,
	"text" text NOT NULL,
	"delivery_keys" jsonb NOT NULL
);
--> statement-breakpoint
ALTER TABLE "incidents" ADD COLUMN "next_update_at" timestamp with time zone;--> statement-breakpoint
ALTER TABLE "communications" ADD CONSTRAINT "communications_incident_id_incidents_id_fk" FOREIGN KEY ("incident_id") REFERENCES "public"."incidents"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "communications_incident_idx" ON "communications" USING btree ("incident_id","at");