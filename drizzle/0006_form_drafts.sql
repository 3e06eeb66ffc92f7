CREATE TABLE "form_drafts" (
	"key" text PRIMARY KEY NOT NULL,
	"draft" jsonb NOT NULL,
	"created_at" timestamp with time zone NOT NULL
);
