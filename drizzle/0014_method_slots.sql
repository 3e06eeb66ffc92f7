CREATE TABLE "method_slots" (
	"platform" text NOT NULL,
	"method" text NOT NULL,
	"booked" jsonb NOT NULL,
	CONSTRAINT "method_slots_platform_method_pk" PRIMARY KEY("platform","method")
);
