CREATE TABLE "oncall_cover_requests" (
	"id" serial PRIMARY KEY NOT NULL,
	"schedule" text NOT NULL,
	"platform" text NOT NULL,
	"channel_id" text NOT NULL,
	"asked_by" text NOT NULL,
	"until_at" timestamp with time zone NOT NULL,
	"created_at" timestamp with time zone NOT NULL,
	"message_key" text NOT NULL,
	"accepted_by" text,
	"accepted_at" timestamp with time zone
);
--> statement-breakpoint
CREATE TABLE "oncall_overrides" (
	"id" serial PRIMARY KEY NOT NULL,
	"schedule" text NOT NULL,
	"platform" text NOT NULL,
	"user_id" text NOT NULL,
	"from_at" timestamp with time zone NOT NULL,
	"to_at" timestamp with time zone NOT NULL,
	"created_by" text NOT NULL,
	"created_at" timestamp with time zone NOT NULL,
	"cover_request_id" integer,
	"removed_at" timestamp with time zone,
	"removed_by" text
);
--> statement-breakpoint
CREATE INDEX "oncall_overrides_schedule_idx" ON "oncall_overrides" USING btree ("schedule","to_at");