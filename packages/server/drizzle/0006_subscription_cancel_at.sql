ALTER TABLE "tillkit_subscriptions" ADD COLUMN "cancel_at" timestamp with time zone;--> statement-breakpoint
UPDATE "tillkit_subscriptions" SET "cancel_at" = "current_period_end" WHERE "cancel_at_period_end";
