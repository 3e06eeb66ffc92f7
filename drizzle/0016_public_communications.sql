-- Whether a communication was said to stakeholders when written: only those reach the public status
-- page (an update of a P3, later raised to P1, went to no stakeholder). Existing rows: an initial
-- notice is recorded only for a communicating incident; any other was public when one of its
-- deliveries went to a stakeholder destination (keys comms:<id>:announcements… or comms:<id>:dest:…).
ALTER TABLE "communications" ADD COLUMN "public" boolean DEFAULT false NOT NULL;--> statement-breakpoint
UPDATE "communications" SET "public" = true
	WHERE "kind" = 'notice'
	OR EXISTS (SELECT 1 FROM jsonb_array_elements_text("delivery_keys") AS k("key") WHERE k."key" ~ '^comms:[0-9]+:(announcements|dest:)');
