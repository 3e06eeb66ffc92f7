CREATE TABLE "pages" (
	"id" bigserial PRIMARY KEY NOT NULL,
	"incident_id" integer NOT NULL,
	"kind" text NOT NULL,
	"ladder" text NOT NULL,
	"level" integer NOT NULL,
	"level_name" text NOT NULL,
	"repeat" integer DEFAULT 0 NOT NULL,
	"target" text NOT NULL,
	"channel" text NOT NULL,
	"key" text NOT NULL,
	"status" text DEFAULT 'queued' NOT NULL,
	"last_error" text,
	"created_at" timestamp with time zone NOT NULL,
	"sent_at" timestamp with time zone
);
--> statement-breakpoint
ALTER TABLE "pages" ADD CONSTRAINT "pages_incident_id_incidents_id_fk" FOREIGN KEY ("incident_id") REFERENCES "public"."incidents"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
CREATE UNIQUE INDEX "pages_key_key" ON "pages" USING btree ("key");--> statement-breakpoint
CREATE INDEX "pages_incident_idx" ON "pages" USING btree ("incident_id","id");