CREATE TABLE "channel_slots" (
	"platform" text NOT NULL,
	"channel" text NOT NULL,
	"next_at" timestamp with time zone NOT NULL,
	CONSTRAINT "channel_slots_platform_channel_pk" PRIMARY KEY("platform","channel")
);
--> statement-breakpoint
CREATE TABLE "leases" (
	"name" text PRIMARY KEY NOT NULL,
	"holder" text NOT NULL,
	"until" timestamp with time zone NOT NULL
);
--> statement-breakpoint
CREATE TABLE "timer_signals" (
	"key" text PRIMARY KEY NOT NULL,
	"at" timestamp with time zone NOT NULL
);
--> statement-breakpoint
ALTER TABLE "timers" ADD COLUMN "wait_for" text;--> statement-breakpoint
ALTER TABLE "timers" ADD COLUMN "rerun" boolean DEFAULT false NOT NULL;--> statement-breakpoint
ALTER TABLE "war_rooms" ADD COLUMN "ready_at" timestamp with time zone;--> statement-breakpoint
CREATE INDEX "timers_wait_idx" ON "timers" USING btree ("wait_for");--> statement-breakpoint
UPDATE "war_rooms" SET "ready_at" = "created_at" WHERE "summary_message_id" IS NOT NULL;--> statement-breakpoint
CREATE OR REPLACE FUNCTION "timers_notify"() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  PERFORM pg_notify('timers_due', '');
  RETURN NULL;
END $$;--> statement-breakpoint
CREATE TRIGGER "timers_notify" AFTER INSERT OR UPDATE OF "status", "due_at" ON "timers"
  FOR EACH ROW WHEN (NEW."status" = 'pending') EXECUTE FUNCTION "timers_notify"();
