/**
 * `GET /v1/elements/sessions`: sandbox-internal, what the sandbox's Stripe.js asks (with the
 * publishable key) for the Payment Element's saved cards, as Stripe.js's own internal call of that
 * name does with `customer_session_client_secret`. Not part of Stripe's public API: stripe-node
 * has no method for it and its answer is the sandbox's own, reduced to what the element needs.
 *
 * The saved cards are the session customer's `card` payment methods whose `allow_redisplay` is
 * among the session's `payment_method_allow_redisplay_filters`, newest first, at most
 * `payment_method_redisplay_limit`; none unless the session enables the Payment Element with
 * `payment_method_redisplay: enabled`.
 * @see https://docs.stripe.com/payments/save-customer-payment-methods
 */
import type Stripe from 'stripe';
import { invalidRequest, StripeApiError } from '../core/errors.js';
import { oneOf, params, str, z } from '../core/params.js';
import type { RequestContext, Route } from '../core/route.js';
import type { SandboxCore } from '../core/sandbox.js';
import { findCustomerSession } from './customer-sessions.js';

const sessionSchema = params({
  customer_session_client_secret: str(),
  /** The intent's client secret, when the Elements group was made with one. */
  client_secret: str().optional(),
  type: oneOf(['payment_intent', 'setup_intent', 'deferred_intent']).optional(),
  locale: str().optional(),
  // What Stripe.js sends about a deferred intent (`mode`, `amount`, …): accepted, not used.
  deferred_intent: z.record(z.string(), z.unknown()).optional(),
});

/** The sandbox's answer. */
export interface ElementsSession {
  object: 'elements_session';
  livemode: false;
  customer: {
    /** The customer's saved cards the Payment Element may show. */
    payment_methods: Stripe.PaymentMethod[];
    customer_session: {
      object: 'customer_session';
      customer: string;
      expires_at: number;
      livemode: false;
      components: { payment_element: Stripe.CustomerSession.Components.PaymentElement };
    };
    default_payment_method: string | null;
  };
}

/** The saved cards a Payment Element with this session shows, as Stripe filters them. */
export function redisplayablePaymentMethods(
  sandbox: SandboxCore,
  session: Stripe.CustomerSession,
): Stripe.PaymentMethod[] {
  const element = session.components?.payment_element;
  const features = element?.features;
  if (!element?.enabled || features?.payment_method_redisplay !== 'enabled') return [];
  const filters = new Set<string>(features.payment_method_allow_redisplay_filters);
  const customer = typeof session.customer === 'string' ? session.customer : session.customer.id;
  const cards = sandbox.store
    .collection<Stripe.PaymentMethod>('payment_methods')
    .values()
    .filter(
      (pm) =>
        pm.customer === customer &&
        pm.type === 'card' &&
        filters.has(pm.allow_redisplay ?? 'unspecified'),
    );
  // Newest first: the store keeps insertion order (oldest first), so reverse, then order by
  // `created` (whole seconds) without disturbing ties.
  return cards
    .reverse()
    .sort((a, b) => b.created - a.created)
    .slice(0, features.payment_method_redisplay_limit ?? 3);
}

function intentCustomer(ctx: RequestContext, clientSecret: string): string | null | undefined {
  const id = clientSecret.split('_secret_')[0] ?? '';
  const collection = id.startsWith('seti_') ? 'setup_intents' : 'payment_intents';
  const intent = ctx.sandbox.store
    .collection<Stripe.PaymentIntent | Stripe.SetupIntent>(collection)
    .get(id);
  if (!intent || intent.client_secret !== clientSecret) return undefined;
  const customer = intent.customer;
  return typeof customer === 'string' ? customer : (customer?.id ?? null);
}

function retrieve(ctx: RequestContext): ElementsSession {
  const input = ctx.parse(sessionSchema);
  const { sandbox } = ctx;
  const session = findCustomerSession(sandbox, input.customer_session_client_secret);
  if (!session) {
    throw invalidRequest(
      'Invalid customer_session_client_secret: no Customer Session has this client secret.',
      'customer_session_client_secret',
      'resource_missing',
    );
  }
  if (session.expires_at <= sandbox.now()) {
    throw new StripeApiError(400, {
      type: 'invalid_request_error',
      code: 'customer_session_expired',
      message: 'This Customer Session has expired. Create a new one for the customer.',
      param: 'customer_session_client_secret',
    });
  }
  const customer = session.customer as string;
  if (input.client_secret) {
    const owner = intentCustomer(ctx, input.client_secret);
    // Stripe.js lists the session's cards for an intent of the same customer only: they could not
    // pay for another's (confirm refuses a payment method of another customer).
    if (owner !== undefined && owner !== customer) {
      const kind = input.client_secret.startsWith('seti_') ? 'SetupIntent' : 'PaymentIntent';
      throw invalidRequest(
        `The ${kind}'s customer (${owner ?? 'none'}) does not match the Customer Session's customer (${customer}). Create the ${kind} with customer=${customer}.`,
        'customer_session_client_secret',
      );
    }
  }
  const stored = sandbox.store.collection<Stripe.Customer>('customers').get(customer);
  const paymentElement = session.components?.payment_element ?? { enabled: false, features: null };
  return {
    object: 'elements_session',
    livemode: false,
    customer: {
      payment_methods: stored ? redisplayablePaymentMethods(sandbox, session) : [],
      customer_session: {
        object: 'customer_session',
        customer,
        expires_at: session.expires_at,
        livemode: false,
        components: { payment_element: paymentElement },
      },
      default_payment_method:
        (stored?.invoice_settings.default_payment_method as string | null | undefined) ?? null,
    },
  };
}

export const elementsSessionRoutes: Route[] = [
  { method: 'GET', path: '/v1/elements/sessions', auth: 'publishable', handler: retrieve },
];
