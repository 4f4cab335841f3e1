DROP INDEX "tillkit_payments_user_idx";--> statement-breakpoint
ALTER TABLE "tillkit_payments" ADD COLUMN "lines" jsonb DEFAULT '[]'::jsonb NOT NULL;--> statement-breakpoint
CREATE INDEX "tillkit_payments_user_idx" ON "tillkit_payments" USING btree ("user_id","created_at","id");