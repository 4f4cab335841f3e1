CREATE TABLE "tillkit_entitlements" (
	"stripe_customer_id" text PRIMARY KEY NOT NULL,
	"lookup_keys" jsonb DEFAULT '[]'::jsonb NOT NULL,
	"synced_at" timestamp with time zone DEFAULT now() NOT NULL
);
