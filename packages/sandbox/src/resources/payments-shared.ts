/**
 * Helpers shared by payment_intents, charges and refunds: emitters, ids, amounts and small
 * field shapes (the address shape also serves customers and payment_methods). Currencies live in
 * core/currencies.ts.
 */
import type Stripe from 'stripe';
import { invalidRequest } from '../core/errors.js';
import { emptyable, str, z } from '../core/params.js';
import type { RequestContext } from '../core/route.js';
import type { SandboxCore } from '../core/sandbox.js';

/** An event emitter with `ctx.emit`'s signature. */
export type Emit = (type: string, object: object, previous?: Record<string, unknown>) => void;

/** An emitter for events that no API request caused (the cardholder's 3D Secure answer). */
export function backgroundEmit(sandbox: SandboxCore): Emit {
  return (type, object, previous) => {
    sandbox.emit(type, object, { previousAttributes: previous });
  };
}

/** The id of an expandable field, whether it holds an id, an object or nothing. */
export function idOf(value: string | { id: string } | null | undefined): string | null {
  if (value === null || value === undefined) return null;
  return typeof value === 'string' ? value : value.id;
}

/** A positive integer amount in minor units. */
export const positiveAmount = (message = 'This value must be greater than or equal to 1.') =>
  z.preprocess(
    (value) => (typeof value === 'string' && /^-?\d+$/.test(value) ? Number(value) : value),
    z
      .number({ error: (issue) => `Invalid integer: ${String(issue.input)}` })
      .int({ error: (issue) => `Invalid integer: ${String(issue.input)}` })
      .min(1, { error: message }),
  );

/** An address parameter (`address[…]`, `shipping[address][…]`); `""` unsets a field. */
export const addressShape = z.strictObject({
  city: emptyable(str()).optional(),
  country: emptyable(str()).optional(),
  line1: emptyable(str()).optional(),
  line2: emptyable(str()).optional(),
  postal_code: emptyable(str()).optional(),
  state: emptyable(str()).optional(),
});

/** A parsed `addressShape` as Stripe answers it: every field, `null` when not given. */
export function toAddress(input: z.output<typeof addressShape>): Stripe.Address {
  return {
    city: input.city ?? null,
    country: input.country ?? null,
    line1: input.line1 ?? null,
    line2: input.line2 ?? null,
    postal_code: input.postal_code ?? null,
    state: input.state ?? null,
  };
}

/** `shipping[…]` on payment intents and charges. */
export const shippingShape = z.strictObject({
  address: addressShape,
  name: str(),
  carrier: emptyable(str()).optional(),
  phone: emptyable(str()).optional(),
  tracking_number: emptyable(str()).optional(),
});

export function toShipping(input: z.output<typeof shippingShape>): Stripe.PaymentIntent.Shipping {
  return {
    address: toAddress(input.address),
    carrier: input.carrier ?? null,
    name: input.name,
    phone: input.phone ?? null,
    tracking_number: input.tracking_number ?? null,
  };
}

/** The sandbox account's business name, as invoices (`account_name`) and receipts show it. */
export const SANDBOX_ACCOUNT_NAME = 'Tillkit Sandbox';

/** Stripe's test-mode statement descriptor for the sandbox account, with an optional suffix. */
export function calculatedStatementDescriptor(suffix: string | null): string {
  return (suffix ? `TILLKIT* ${suffix}` : 'TILLKIT SANDBOX').toUpperCase().slice(0, 22);
}

/**
 * Stripe wants a `return_url` from a server-side confirmation (secret key) of a PaymentIntent or
 * SetupIntent whose automatic payment methods may redirect, unless Stripe.js finishes it
 * (`use_stripe_sdk`) or, for a payment, it is off session ("To confirm this SetupIntent, you may
 * be required to provide a `return_url`": `automatic_payment_methods[allow_redirects]`).
 * @see https://docs.stripe.com/api/payment_intents/confirm#confirm_payment_intent-return_url
 * @see https://docs.stripe.com/api/setup_intents/create
 */
export function assertReturnUrl(
  ctx: RequestContext,
  intent: 'Payment Intent' | 'Setup Intent',
  automatic: { enabled?: boolean | null; allow_redirects?: string | null } | null,
  options: {
    returnUrl?: string | undefined;
    useStripeSdk?: boolean | undefined;
    offSession?: boolean | string | undefined;
  },
): void {
  const mayRedirect = automatic?.enabled === true && automatic.allow_redirects !== 'never';
  if (
    mayRedirect &&
    ctx.keyType === 'secret' &&
    !options.returnUrl &&
    !options.offSession &&
    !options.useStripeSdk
  ) {
    throw invalidRequest(
      `A \`return_url\` must be specified because this ${intent} is configured to automatically accept the payment methods enabled in the Dashboard, some of which may require a full page redirect to succeed. If you do not want to accept redirect-based payment methods, set \`automatic_payment_methods[enabled]\` to \`true\` and \`automatic_payment_methods[allow_redirects]\` to \`never\` when creating Setup Intents and Payment Intents.`,
      'return_url',
    );
  }
}
