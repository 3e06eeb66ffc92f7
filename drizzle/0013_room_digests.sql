ALTER TABLE "war_rooms" ADD COLUMN "summary_digest" text;--> statement-breakpoint
ALTER TABLE "war_rooms" ADD COLUMN "topic_digest" text;