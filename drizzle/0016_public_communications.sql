-- Whether a communication was said to stakeholders when written: only those reach the public status
-- page (an update of a P3, later raised to P1, went to no stakeholder). Existing rows: an initial
-- notice is recorded only for a communicating incident; any other but a reminder (internal) was public
-- when stakeholders were among its targets, as the new code marks it: a delivery to a stakeholder
-- destination (keys comms:<id>:announcements… or comms:<id>:dest:…) or, as a P1/P2's updates,
-- all-clears and interims always go to the war room with the stakeholders, its war-room post
-- (comms:<id>:warroom) — even when no stakeholder rule matched (then it has no such delivery).
ALTER TABLE "communications" ADD COLUMN "public" boolean DEFAULT false NOT NULL;--> statement-breakpoint
UPDATE "communications" SET "public" = true
	WHERE "kind" = 'notice'
	OR ("kind" <> 'reminder' AND EXISTS (SELECT 1 FROM jsonb_array_elements_text("delivery_keys") AS k("key") WHERE k."key" ~ '^comms:[0-9]+:(announcements|dest:|warroom$)'));
