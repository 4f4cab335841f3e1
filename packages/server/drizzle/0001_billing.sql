CREATE TABLE "tillkit_subscriptions" (
	"id" text PRIMARY KEY NOT NULL,
	"stripe_customer_id" text NOT NULL,
	"user_id" text,
	"status" text NOT NULL,
	"price_id" text NOT NULL,
	"product_id" text NOT NULL,
	"product_name" text NOT NULL,
	"features" jsonb DEFAULT '[]'::jsonb NOT NULL,
	"quantity" integer DEFAULT 1 NOT NULL,
	"current_period_end" timestamp with time zone,
	"cancel_at_period_end" boolean DEFAULT false NOT NULL,
	"trial_end" timestamp with time zone,
	"latest_invoice_id" text,
	"pending_action" text,
	"created_at" timestamp with time zone NOT NULL,
	"synced_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE INDEX "tillkit_subscriptions_user_idx" ON "tillkit_subscriptions" USING btree ("user_id","created_at");--> statement-breakpoint
CREATE INDEX "tillkit_subscriptions_customer_idx" ON "tillkit_subscriptions" USING btree ("stripe_customer_id");