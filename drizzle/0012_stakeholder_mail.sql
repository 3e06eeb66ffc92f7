CREATE TABLE "mail_recipients" (
	"destination" text NOT NULL,
	"address" text NOT NULL,
	"token" text NOT NULL,
	"created_at" timestamp with time zone NOT NULL,
	"unsubscribed_at" timestamp with time zone,
	CONSTRAINT "mail_recipients_destination_address_pk" PRIMARY KEY("destination","address")
);
--> statement-breakpoint
CREATE TABLE "mail_threads" (
	"incident_id" integer NOT NULL,
	"destination" text NOT NULL,
	"message_key" text NOT NULL,
	"created_at" timestamp with time zone NOT NULL,
	CONSTRAINT "mail_threads_incident_id_destination_pk" PRIMARY KEY("incident_id","destination")
);
--> statement-breakpoint
ALTER TABLE "mail_threads" ADD CONSTRAINT "mail_threads_incident_id_incidents_id_fk" FOREIGN KEY ("incident_id") REFERENCES "public"."incidents"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
CREATE UNIQUE INDEX "mail_recipients_token_key" ON "mail_recipients" USING btree ("token");