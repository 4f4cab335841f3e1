CREATE TABLE "tillkit_customers" (
	"user_id" text PRIMARY KEY NOT NULL,
	"stripe_customer_id" text NOT NULL,
	"email" text,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "tillkit_customers_stripe_customer_id_unique" UNIQUE("stripe_customer_id")
);
--> statement-breakpoint
CREATE TABLE "tillkit_payment_methods" (
	"id" text PRIMARY KEY NOT NULL,
	"stripe_customer_id" text,
	"brand" text NOT NULL,
	"last4" text NOT NULL,
	"exp_month" integer NOT NULL,
	"exp_year" integer NOT NULL,
	"synced_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "tillkit_payments" (
	"id" text PRIMARY KEY NOT NULL,
	"stripe_customer_id" text,
	"user_id" text,
	"status" text NOT NULL,
	"amount" bigint NOT NULL,
	"amount_refunded" bigint DEFAULT 0 NOT NULL,
	"currency" text NOT NULL,
	"created_at" timestamp with time zone NOT NULL,
	"synced_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "tillkit_stripe_events" (
	"id" text PRIMARY KEY NOT NULL,
	"type" text NOT NULL,
	"object_id" text,
	"livemode" boolean NOT NULL,
	"stripe_created_at" timestamp with time zone NOT NULL,
	"status" text NOT NULL,
	"attempts" integer DEFAULT 0 NOT NULL,
	"last_error" text,
	"received_at" timestamp with time zone DEFAULT now() NOT NULL,
	"handled_at" timestamp with time zone
);
--> statement-breakpoint
CREATE INDEX "tillkit_payment_methods_customer_idx" ON "tillkit_payment_methods" USING btree ("stripe_customer_id");--> statement-breakpoint
CREATE INDEX "tillkit_payments_created_idx" ON "tillkit_payments" USING btree ("created_at","id");--> statement-breakpoint
CREATE INDEX "tillkit_payments_user_idx" ON "tillkit_payments" USING btree ("user_id");--> statement-breakpoint
CREATE INDEX "tillkit_stripe_events_status_idx" ON "tillkit_stripe_events" USING btree ("status","received_at");