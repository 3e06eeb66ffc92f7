-- Unsubscribe tokens are kept only as SHA-256 digests (mail_tokens). The tokens already mailed are
-- moved over as their digests, so links already sent keep working; the copies in the payloads of
-- queued and sent e-mail deliveries are removed (a queued mail gets a new token when it is sent).
CREATE TABLE "mail_tokens" (
	"digest" text PRIMARY KEY NOT NULL,
	"destination" text NOT NULL,
	"address" text NOT NULL,
	"created_at" timestamp with time zone NOT NULL
);
--> statement-breakpoint
ALTER TABLE "mail_tokens" ADD CONSTRAINT "mail_tokens_destination_address_mail_recipients_destination_address_fk" FOREIGN KEY ("destination","address") REFERENCES "public"."mail_recipients"("destination","address") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
INSERT INTO "mail_tokens" ("digest", "destination", "address", "created_at")
	SELECT encode(sha256(convert_to("token", 'UTF8')), 'hex'), "destination", "address", "created_at" FROM "mail_recipients";--> statement-breakpoint
UPDATE "outbox" SET "payload" = "payload" #- '{stakeholder,mail,token}' WHERE "payload" #> '{stakeholder,mail,token}' IS NOT NULL;--> statement-breakpoint
DROP INDEX "mail_recipients_token_key";--> statement-breakpoint
ALTER TABLE "mail_recipients" DROP COLUMN "token";
