/**
 * The hosted Checkout page a Checkout Session's `url` points to: the line items and the total, a
 * test card (card number, expiration date, security code) and an email address when the session
 * has no customer, and a button that pays. Plain HTML forms, no JavaScript: paying POSTs back
 * here and the sandbox answers with a redirect (to `success_url`, or to the 3D Secure challenge
 * page and back) or with the page again, the decline in an alert.
 *
 * Paying does what Stripe's Checkout does, through the same route handlers as the API (so the
 * same events are emitted): it creates the customer when one is needed (subscription mode, or
 * `customer_creation: always`), the payment method, and then confirms a PaymentIntent (payment
 * mode), creates the subscription with the card as its default payment method (subscription mode;
 * Billing charges the first invoice) or confirms a SetupIntent (setup mode). The session completes
 * when that succeeds (resources/checkout-sessions.ts).
 */
import type Stripe from 'stripe';
import { chargeAmountLimitError, formatAmount } from '../core/currencies.js';
import { StripeApiError } from '../core/errors.js';
import { isEmailAddress, params, str } from '../core/params.js';
import type { RequestContext, Route } from '../core/route.js';
import type { SandboxCore } from '../core/sandbox.js';
import {
  applyCheckoutDiscount,
  type CheckoutState,
  callRoute,
  checkoutDiscount,
  checkoutDiscountAmounts,
  checkoutDiscountParam,
  checkoutLineItems,
  checkoutOptions,
  checkoutPagePath,
  checkoutRedemptionContext,
  checkoutState,
  checkoutSubtotal,
  completeSession,
  findSession,
  linkToSession,
  recheckCheckoutDiscount,
  recurringSuffix,
  successUrlFor,
} from '../resources/checkout-sessions.js';
import { couponById } from '../resources/coupons.js';
import { customerRoutes } from '../resources/customers.js';
import { type ResolvedDiscount, resolveDiscounts } from '../resources/discounts.js';
import { invoiceCollection, invoicePaymentIntent, invoiceRoutes } from '../resources/invoices.js';
import { paymentIntentRoutes } from '../resources/payment-intents.js';
import { createCardPaymentMethod } from '../resources/payment-methods.js';
import { backgroundEmit, type Emit, idOf } from '../resources/payments-shared.js';
import { findPromotionCodeByCode, promotionCodeCollection } from '../resources/promotion-codes.js';
import { setupIntentRoutes } from '../resources/setup-intents.js';
import { checkoutSubscriptionRoute, subscriptionRoutes } from '../resources/subscriptions.js';
import { escapeHtml, page } from './html.js';
import { challengeUrl } from './three-d-secure.js';

/** Statuses in which an intent can still be confirmed with another card. */
const OPEN_STATUSES: readonly string[] = [
  'requires_payment_method',
  'requires_confirmation',
  'requires_action',
];

/**
 * Statuses in which the session's PaymentIntent can still take a new amount: the next attempt
 * updates it (payPayment). In any other (3D Secure pending, processing) it is charged as it is.
 */
const AMOUNT_OPEN_STATUSES: readonly string[] = [
  'requires_payment_method',
  'requires_confirmation',
  'canceled',
];

/** Why the page refuses to apply or remove a code once the payment has started. */
const CODE_LOCKED = 'This order’s payment has started: its code can no longer change.';

const STYLE = `
  .summary { width: 100%; border-collapse: collapse; margin: 1rem 0; }
  .summary th, .summary td { text-align: left; padding: .4rem .25rem; border-bottom: 1px solid #888; }
  .summary .amount { text-align: right; white-space: nowrap; }
  .summary tfoot th, .summary tfoot td { font-weight: bold; border-bottom: none; }
  form.pay label { display: block; margin-top: .75rem; font-weight: 600; }
  form.pay input { font: inherit; width: 100%; box-sizing: border-box; padding: .5rem; border: 1px solid #666; border-radius: 6px; }
  form.pay fieldset { border: 1px solid #888; border-radius: 6px; margin: 1rem 0; padding: .25rem .75rem .75rem; }
  .row { display: flex; gap: .75rem; }
  .row > div { flex: 1; }
  .hint { font-size: .9rem; }
  details.promo { margin: 1rem 0; }
  details.promo summary { cursor: pointer; font-weight: 600; }
  details.promo input { font: inherit; padding: .5rem; border: 1px solid #666; border-radius: 6px; }
  .inline { display: inline; }
`;

/**
 * A hosted page: plain and accessible, saying it is a sandbox. Like pages/html.ts's `page()`, but
 * with the sandbox notice in a `<header>` landmark (axe's "region" rule) and the page's own styles.
 */
/** A hosted page with the checkout and portal styles. */
export function hostedPage(title: string, body: string, status = 200, style = STYLE): Response {
  return page(title, body, status, style);
}

const formSchema = params({
  email: str().optional(),
  name: str().optional(),
  card_number: str().optional(),
  card_expiry: str().optional(),
  card_cvc: str().optional(),
});

const returnSchema = params({
  payment_intent: str().optional(),
  payment_intent_client_secret: str().optional(),
  setup_intent: str().optional(),
  setup_intent_client_secret: str().optional(),
  redirect_status: str().optional(),
});

type FormInput = ReturnType<typeof formSchema.parse>;

interface Caller {
  sandbox: SandboxCore;
  origin: string;
  emit: Emit;
}

/** What a payment attempt came to, when it did not throw. */
type Outcome = { redirect: string } | { error: string } | null;

// --- rendering -----------------------------------------------------------------------------------

function returnUrl(origin: string, session: Stripe.Checkout.Session): string {
  return `${origin}${checkoutPagePath(session.id)}/return`;
}

function lineRows(items: Stripe.LineItem[]): string {
  return items
    .map((item) => {
      const price = item.price;
      const suffix = price?.recurring ? ` ${recurringSuffix(price)}` : '';
      return `<tr><td>${escapeHtml(item.description ?? '')}</td><td>${item.quantity ?? 1}</td><td class="amount">${escapeHtml(formatAmount(item.amount_subtotal, item.currency) + suffix)}</td></tr>`;
    })
    .join('\n');
}

/** The order summary: what is bought and what is due today. */
function summary(sandbox: SandboxCore, session: Stripe.Checkout.Session): string {
  if (session.mode === 'setup') {
    return '<p>Save a card for future payments. Nothing is charged now.</p>';
  }
  const items = checkoutLineItems(sandbox, session.id);
  const currency = session.currency ?? 'usd';
  const then =
    session.mode === 'subscription'
      ? `<p id="checkout-then">${escapeHtml(afterToday(sandbox, session, items))}</p>`
      : '';
  const taken = session.total_details?.amount_discount ?? 0;
  const discountRows = taken
    ? `<tr><th scope="row" colspan="2">Subtotal</th><td class="amount">${escapeHtml(formatAmount(session.amount_subtotal ?? 0, currency))}</td></tr>
<tr id="checkout-discount"><th scope="row" colspan="2">${escapeHtml(discountLabel(sandbox, session))}</th><td class="amount">−${escapeHtml(formatAmount(taken, currency))}</td></tr>
`
    : '';
  return `<table class="summary">
<caption>Order summary</caption>
<thead><tr><th scope="col">Item</th><th scope="col">Quantity</th><th scope="col" class="amount">Amount</th></tr></thead>
<tbody>
${lineRows(items)}
</tbody>
<tfoot>${discountRows}<tr><th scope="row" colspan="2">Total due today</th><td class="amount" id="checkout-total">${escapeHtml(formatAmount(session.amount_total ?? 0, currency))}</td></tr></tfoot>
</table>
${then}`;
}

/**
 * What the subscription costs after today, as long as its coupon's duration says: the discounted
 * amount for `forever`; the full price after the first payment for `once`; the discounted amount
 * for the coupon's months, then the full price, for `repeating`.
 * @see https://docs.stripe.com/billing/subscriptions/coupons#coupon-duration
 */
function afterToday(
  sandbox: SandboxCore,
  session: Stripe.Checkout.Session,
  items: Stripe.LineItem[],
): string {
  const currency = session.currency ?? 'usd';
  const trialDays = checkoutOptions(sandbox, session.id).subscriptionData?.trial_period_days;
  const full = items.reduce((sum, item) => sum + item.amount_subtotal, 0);
  const discounted = items.reduce((sum, item) => sum + item.amount_total, 0);
  const period = items[0]?.price ? recurringSuffix(items[0].price) : '';
  const each = (amount: number) => `${formatAmount(amount, currency)} ${period}`;
  const lead = trialDays ? `${trialDays} days free, then ` : 'Then ';
  const discount = checkoutDiscount(sandbox, session.id);
  const coupon = discount && discounted < full ? couponById(sandbox, discount.coupon) : undefined;
  if (!coupon || coupon.duration === 'forever') return `${lead}${each(discounted)}.`;
  if (coupon.duration === 'once') {
    // A trial's invoice is free: the first paid one takes the discount.
    return trialDays
      ? `${lead}${formatAmount(discounted, currency)} for the first payment, then ${each(full)}.`
      : `${lead}${each(full)}.`;
  }
  const months = coupon.duration_in_months ?? 0;
  const span = `${months} month${months === 1 ? '' : 's'}`;
  return trialDays
    ? `${lead}${each(discounted)} until ${span} from today, then ${each(full)}.`
    : `${each(discounted)} for the first ${span}, then ${each(full)}.`;
}

/** The applied code as the customer typed it, or the coupon's name. */
function appliedCode(sandbox: SandboxCore, session: Stripe.Checkout.Session): string | null {
  const discount = checkoutDiscount(sandbox, session.id);
  if (!discount?.promotionCode) return null;
  return promotionCodeCollection(sandbox).get(discount.promotionCode)?.code ?? null;
}

/** `Discount (WELCOME10)`, `Discount (Spring sale)`. */
function discountLabel(sandbox: SandboxCore, session: Stripe.Checkout.Session): string {
  const discount = checkoutDiscount(sandbox, session.id);
  const coupon = discount ? couponById(sandbox, discount.coupon) : undefined;
  const name = appliedCode(sandbox, session) ?? coupon?.name ?? coupon?.id;
  return name ? `Discount (${name})` : 'Discount';
}

/**
 * "Add promotion code" (`allow_promotion_codes`): a disclosure with a form that applies a code,
 * or the applied code with a button that removes it. Plain forms, so it works without scripts.
 */
function promotionCodeSection(
  sandbox: SandboxCore,
  session: Stripe.Checkout.Session,
  promoError: string | undefined,
): string {
  if (!session.allow_promotion_codes) return '';
  const base = `${checkoutPagePath(session.id)}/promotion_code`;
  const applied = appliedCode(sandbox, session);
  const error = promoError
    ? `<div class="error" role="alert" id="promotion-code-error">${escapeHtml(promoError)}</div>`
    : '';
  if (applied) {
    return `<div class="promo-applied"><p role="status">Promotion code <strong>${escapeHtml(applied)}</strong> applied.</p>
<form class="inline" method="post" action="${escapeHtml(`${base}/remove`)}"><button type="submit" aria-label="Remove promotion code ${escapeHtml(applied)}"${promoError ? ' aria-describedby="promotion-code-error"' : ''}>Remove</button></form>
${error}</div>`;
  }
  return `<details class="promo"${promoError ? ' open' : ''}>
<summary>Add promotion code</summary>
<form method="post" action="${escapeHtml(base)}">
<label for="promotion-code">Promotion code</label>
<input id="promotion-code" name="code" autocomplete="off" autocapitalize="characters" required${promoError ? ' aria-invalid="true" aria-describedby="promotion-code-error"' : ''}>
<button type="submit">Apply</button>
${error}
</form>
</details>`;
}

function submitLabel(sandbox: SandboxCore, session: Stripe.Checkout.Session): string {
  if (session.mode === 'setup') return 'Save card';
  if (session.mode === 'subscription') {
    return checkoutOptions(sandbox, session.id).subscriptionData?.trial_period_days
      ? 'Start trial'
      : 'Subscribe';
  }
  if (session.submit_type === 'donate') return 'Donate';
  if (session.submit_type === 'book') return 'Book';
  return `Pay ${formatAmount(session.amount_total ?? 0, session.currency ?? 'usd')}`;
}

function emailField(
  sandbox: SandboxCore,
  session: Stripe.Checkout.Session,
  values: { email: string },
): string {
  const customerId = idOf(session.customer as string | null);
  if (customerId) {
    const customer = sandbox.store.collection<Stripe.Customer>('customers').get(customerId);
    return customer?.email
      ? `<p>Paying as <strong>${escapeHtml(customer.email)}</strong>.</p>`
      : '';
  }
  const fixed = session.customer_email;
  return `<label for="email">Email</label>
<input id="email" name="email" type="email" autocomplete="email" required value="${escapeHtml(fixed ?? values.email)}"${fixed ? ' readonly' : ''}>`;
}

interface PageState {
  error?: string | undefined;
  /** Why a promotion code was not applied. */
  promoError?: string | undefined;
  values?: { email: string; name: string } | undefined;
}

/** The Checkout page of an open session. */
export function checkoutPage(
  ctx: RequestContext,
  session: Stripe.Checkout.Session,
  state: PageState = {},
  status = 200,
): Response {
  const { sandbox } = ctx;
  const values = state.values ?? { email: '', name: '' };
  const alert = state.error
    ? `<div class="error" role="alert" id="checkout-error">${escapeHtml(state.error)}</div>`
    : '';
  const cancel = session.cancel_url
    ? `<p><a href="${escapeHtml(session.cancel_url)}">Cancel</a> and return to the store.</p>`
    : '';
  const headings = { payment: 'Checkout', subscription: 'Subscribe', setup: 'Save a card' };
  const heading = headings[session.mode as keyof typeof headings] ?? 'Checkout';
  return hostedPage(
    heading,
    `<h1>${heading}</h1>
${summary(sandbox, session)}
${promotionCodeSection(sandbox, session, state.promoError)}
${alert}
<form class="pay" method="post" action="${escapeHtml(`${checkoutPagePath(session.id)}/pay`)}">
${emailField(sandbox, session, values)}
<fieldset>
<legend>Card information</legend>
<label for="card-number">Card number</label>
<input id="card-number" name="card_number" inputmode="numeric" autocomplete="cc-number" placeholder="1234 1234 1234 1234" required${state.error ? ' aria-describedby="checkout-error"' : ''}>
<div class="row">
<div><label for="card-expiry">Expiration date</label>
<input id="card-expiry" name="card_expiry" autocomplete="cc-exp" placeholder="MM / YY" required></div>
<div><label for="card-cvc">Security code</label>
<input id="card-cvc" name="card_cvc" inputmode="numeric" autocomplete="cc-csc" placeholder="CVC" required></div>
</div>
<label for="name">Cardholder name</label>
<input id="name" name="name" autocomplete="cc-name" value="${escapeHtml(values.name)}">
</fieldset>
<button class="primary" type="submit">${escapeHtml(submitLabel(sandbox, session))}</button>
</form>
${cancel}
<p class="hint">Test cards: 4242 4242 4242 4242 succeeds, 4000 0027 6000 3184 asks for 3D Secure, 4000 0000 0000 0002 is declined. Use any future expiration date and any security code.</p>`,
    status,
  );
}

function unavailablePage(session: Stripe.Checkout.Session): Response {
  const back = session.cancel_url
    ? `<p><a href="${escapeHtml(session.cancel_url)}">Return to the store</a></p>`
    : '';
  const why = session.status === 'complete' ? 'It has been completed.' : 'It has expired.';
  return hostedPage(
    'Checkout',
    `<h1>This Checkout Session is no longer available</h1>
<p>${why}</p>
${back}`,
    410,
  );
}

function missingPage(): Response {
  return hostedPage(
    'Checkout',
    '<h1>This Checkout Session does not exist</h1><p>Check the link you followed.</p>',
    404,
  );
}

/** Where a completed session goes: `success_url`, or a confirmation here without one. */
function finishedResponse(session: Stripe.Checkout.Session): Response {
  const success = successUrlFor(session);
  if (success) return new Response(null, { status: 303, headers: { Location: success } });
  const done = session.mode === 'setup' ? 'Your card is saved.' : 'Your payment is complete.';
  return hostedPage('Checkout', `<h1>Thank you</h1><p>${done} You can close this window.</p>`);
}

/** The session of a page request, or null when there is none (an HTML 404 then). */
function pageSession(ctx: RequestContext): Stripe.Checkout.Session | null {
  try {
    return findSession(ctx.sandbox, ctx.path.id as string, ctx.origin);
  } catch (error) {
    if (error instanceof StripeApiError && error.status === 404) return null;
    throw error;
  }
}

// --- paying --------------------------------------------------------------------------------------

/** "12 / 34", "12/34", "1234", "12 / 2034" → month and year. */
function parseExpiry(value: string): { month: number; year: number } | null {
  const match = /^(\d{1,2})\s*\/?\s*(\d{2}|\d{4})$/.exec(value.trim());
  if (!match) return null;
  return { month: Number(match[1]), year: Number(match[2]) };
}

/** The first problem with what was typed, in the words Stripe's card form uses. */
function fieldProblem(session: Stripe.Checkout.Session, input: FormInput): string | null {
  if (!session.customer && !session.customer_email) {
    const email = input.email?.trim() ?? '';
    if (!email) return 'Enter your email address.';
    if (!isEmailAddress(email)) return 'Your email address is invalid.';
  }
  if (!input.card_number?.replace(/[\s-]/g, '')) return 'Your card number is incomplete.';
  if (!input.card_expiry || !parseExpiry(input.card_expiry)) {
    return "Your card's expiration date is incomplete.";
  }
  if (!input.card_cvc?.trim()) return "Your card's security code is incomplete.";
  return null;
}

/** The customer the payment is for: the session's, or a new one (created once per session). */
function ensureCustomer(caller: Caller, state: CheckoutState, email: string | null): string {
  if (state.customer) return state.customer;
  const customer = callRoute<Stripe.Customer>(caller, customerRoutes, 'POST', '/v1/customers', {
    ...(email ? { email } : {}),
    ...(state.name ? { name: state.name } : {}),
  });
  state.customer = customer.id;
  return customer.id;
}

/** The metadata parameter to pass on, if the session was given any. */
function metadataParam(value: Record<string, string> | null | undefined) {
  return value && Object.keys(value).length ? { metadata: value } : {};
}

function intentFailure(intent: { last_payment_error?: { message?: string } | null } | undefined) {
  return intent?.last_payment_error?.message ?? null;
}

/** Payment mode: a PaymentIntent for the total, confirmed with the card. */
function payPayment(
  caller: Caller,
  session: Stripe.Checkout.Session,
  paymentMethod: Stripe.PaymentMethod,
  state: CheckoutState,
): Outcome {
  const { sandbox } = caller;
  const options = checkoutOptions(sandbox, session.id).paymentIntentData;
  if (session.customer_creation === 'always') ensureCustomer(caller, state, state.email);
  // The code may have run out since it was applied: Stripe checks it again when paying.
  recheckCheckoutDiscount(sandbox, session, state.customer);
  let intent = state.paymentIntent
    ? sandbox.store.collection<Stripe.PaymentIntent>('payment_intents').get(state.paymentIntent)
    : undefined;
  if (intent && OPEN_STATUSES.includes(intent.status) && intent.amount !== session.amount_total) {
    // A code applied (or removed) after a declined attempt changes what is charged.
    intent = callRoute<Stripe.PaymentIntent>(
      caller,
      paymentIntentRoutes,
      'POST',
      '/v1/payment_intents/:id',
      { amount: session.amount_total },
      { id: intent.id },
    );
  }
  if (!intent || !OPEN_STATUSES.includes(intent.status)) {
    intent = callRoute<Stripe.PaymentIntent>(
      caller,
      paymentIntentRoutes,
      'POST',
      '/v1/payment_intents',
      {
        amount: session.amount_total,
        currency: session.currency,
        allowed_payment_method_types: ['card'],
        ...(state.customer ? { customer: state.customer } : {}),
        ...(options?.setup_future_usage ? { setup_future_usage: options.setup_future_usage } : {}),
        ...(options?.description ? { description: options.description } : {}),
        ...(options?.receipt_email ? { receipt_email: options.receipt_email } : {}),
        ...metadataParam(options?.metadata),
      },
    );
    state.paymentIntent = intent.id;
    session.payment_intent = intent.id;
    linkToSession(sandbox, intent.id, session.id);
  }
  const confirmed = callRoute<Stripe.PaymentIntent>(
    caller,
    paymentIntentRoutes,
    'POST',
    '/v1/payment_intents/:id/confirm',
    { payment_method: paymentMethod.id, return_url: returnUrl(caller.origin, session) },
    { id: intent.id },
  );
  const redirect = confirmed.next_action?.redirect_to_url?.url;
  return confirmed.status === 'requires_action' && redirect ? { redirect } : null;
}

/** Setup mode: a SetupIntent (off-session use), confirmed with the card. */
function paySetup(
  caller: Caller,
  session: Stripe.Checkout.Session,
  paymentMethod: Stripe.PaymentMethod,
  state: CheckoutState,
): Outcome {
  const { sandbox } = caller;
  const options = checkoutOptions(sandbox, session.id).setupIntentData;
  if (session.customer_creation === 'always') ensureCustomer(caller, state, state.email);
  let intent = state.setupIntent
    ? sandbox.store.collection<Stripe.SetupIntent>('setup_intents').get(state.setupIntent)
    : undefined;
  if (!intent || !OPEN_STATUSES.includes(intent.status)) {
    intent = callRoute<Stripe.SetupIntent>(caller, setupIntentRoutes, 'POST', '/v1/setup_intents', {
      allowed_payment_method_types: ['card'],
      usage: 'off_session',
      ...(state.customer ? { customer: state.customer } : {}),
      ...(options?.description ? { description: options.description } : {}),
      ...metadataParam(options?.metadata),
    });
    state.setupIntent = intent.id;
    session.setup_intent = intent.id;
    linkToSession(sandbox, intent.id, session.id);
  }
  const confirmed = callRoute<Stripe.SetupIntent>(
    caller,
    setupIntentRoutes,
    'POST',
    '/v1/setup_intents/:id/confirm',
    { payment_method: paymentMethod.id, return_url: returnUrl(caller.origin, session) },
    { id: intent.id },
  );
  const redirect = confirmed.next_action?.redirect_to_url?.url;
  return confirmed.status === 'requires_action' && redirect ? { redirect } : null;
}

/** The PaymentIntent of a subscription's latest invoice. */
function firstInvoiceIntent(
  sandbox: SandboxCore,
  subscription: Stripe.Subscription,
): Stripe.PaymentIntent | undefined {
  const invoiceId = idOf(subscription.latest_invoice as string | null);
  const invoice = invoiceId ? invoiceCollection(sandbox).get(invoiceId) : undefined;
  return invoice ? invoicePaymentIntent(sandbox, invoice) : undefined;
}

/**
 * Subscription mode: the subscription, with the card as its default payment method; Billing
 * charges the first invoice. A declined first payment leaves it incomplete: the next card becomes
 * its default and pays that invoice.
 */
function paySubscription(
  caller: Caller,
  session: Stripe.Checkout.Session,
  paymentMethod: Stripe.PaymentMethod,
  state: CheckoutState,
): Outcome {
  const { sandbox } = caller;
  const customer = ensureCustomer(caller, state, state.email);
  let subscription = state.subscription
    ? sandbox.store.collection<Stripe.Subscription>('subscriptions').get(state.subscription)
    : undefined;
  if (subscription?.status === 'incomplete') {
    callRoute(
      caller,
      subscriptionRoutes,
      'POST',
      '/v1/subscriptions/:id',
      { default_payment_method: paymentMethod.id },
      { id: subscription.id },
    );
    try {
      callRoute(
        caller,
        invoiceRoutes,
        'POST',
        '/v1/invoices/:id/pay',
        {},
        { id: idOf(subscription.latest_invoice as string) as string },
      );
    } catch (error) {
      // 3D Secure: the invoice's PaymentIntent waits for the customer, below.
      if (!(error instanceof StripeApiError && error.body.code?.endsWith('requires_action'))) {
        throw error;
      }
    }
  } else {
    const options = checkoutOptions(sandbox, session.id).subscriptionData;
    subscription = callRoute<Stripe.Subscription>(
      caller,
      [checkoutSubscriptionRoute(session.id)],
      'POST',
      '/v1/subscriptions',
      {
        customer,
        items: checkoutLineItems(sandbox, session.id).map((item) => ({
          price: item.price?.id,
          quantity: item.quantity ?? 1,
        })),
        default_payment_method: paymentMethod.id,
        payment_behavior: 'allow_incomplete',
        ...subscriptionDiscountParam(sandbox, session),
        ...(options?.trial_period_days ? { trial_period_days: options.trial_period_days } : {}),
        ...(options?.description ? { description: options.description } : {}),
        ...metadataParam(options?.metadata),
      },
    );
    state.subscription = subscription.id;
    session.subscription = subscription.id;
    linkToSession(sandbox, subscription.id, session.id);
  }
  if (subscription.status === 'active' || subscription.status === 'trialing') {
    completeSession(sandbox, session, caller.emit);
    return null;
  }
  const intent = firstInvoiceIntent(sandbox, subscription);
  if (intent?.status === 'requires_action') {
    // Billing left the payment for the customer to authenticate: the challenge comes back here.
    sandbox.store.setInternal(`return_url:${intent.id}`, returnUrl(caller.origin, session));
    return { redirect: challengeUrl(caller.origin, intent) };
  }
  return { error: intentFailure(intent) ?? 'Your card was declined.' };
}

/** The session's discount, passed on to the subscription it creates (which redeems it). */
function subscriptionDiscountParam(sandbox: SandboxCore, session: Stripe.Checkout.Session) {
  const discount = checkoutDiscount(sandbox, session.id);
  if (!discount) return {};
  return { discounts: [checkoutDiscountParam(discount)] };
}

/** Why the last attempt failed (after a 3D Secure challenge), if it did. */
function lastFailure(sandbox: SandboxCore, session: Stripe.Checkout.Session): string | null {
  const state = checkoutState(sandbox, session.id);
  if (state.paymentIntent) {
    const intent = sandbox.store
      .collection<Stripe.PaymentIntent>('payment_intents')
      .get(state.paymentIntent);
    return intent?.status === 'requires_payment_method' ? intentFailure(intent) : null;
  }
  if (state.setupIntent) {
    const intent = sandbox.store
      .collection<Stripe.SetupIntent>('setup_intents')
      .get(state.setupIntent);
    return intent?.status === 'requires_payment_method'
      ? (intent.last_setup_error?.message ?? null)
      : null;
  }
  if (state.subscription) {
    const subscription = sandbox.store
      .collection<Stripe.Subscription>('subscriptions')
      .get(state.subscription);
    const intent = subscription ? firstInvoiceIntent(sandbox, subscription) : undefined;
    return intent?.status === 'requires_payment_method' ? intentFailure(intent) : null;
  }
  return null;
}

// --- handlers ------------------------------------------------------------------------------------

function show(ctx: RequestContext): Response {
  ctx.parse(params({}));
  const session = pageSession(ctx);
  if (!session) return missingPage();
  if (session.status !== 'open') return unavailablePage(session);
  return checkoutPage(ctx, session);
}

function pay(ctx: RequestContext): Response {
  const input = ctx.parse(formSchema);
  const { sandbox } = ctx;
  const session = pageSession(ctx);
  if (!session) return missingPage();
  if (session.status !== 'open') return unavailablePage(session);
  const values = { email: input.email?.trim() ?? '', name: input.name?.trim() ?? '' };
  const problem = fieldProblem(session, input);
  if (problem) return checkoutPage(ctx, session, { error: problem, values }, 422);

  const state = checkoutState(sandbox, session.id);
  const caller: Caller = { sandbox, origin: ctx.origin, emit: backgroundEmit(sandbox) };
  const expiry = parseExpiry(input.card_expiry ?? '') as { month: number; year: number };
  let outcome: Outcome;
  try {
    const email = session.customer_email ?? (values.email || null);
    const paymentMethod = createCardPaymentMethod(sandbox, {
      number: input.card_number ?? '',
      exp_month: expiry.month,
      exp_year: expiry.year,
      cvc: input.card_cvc?.trim(),
      billing_details: {
        ...(email ? { email } : {}),
        ...(values.name ? { name: values.name } : {}),
      },
    });
    if (email) state.email = email;
    if (values.name) state.name = values.name;
    const attempt =
      session.mode === 'subscription'
        ? paySubscription
        : session.mode === 'setup'
          ? paySetup
          : payPayment;
    outcome = attempt(caller, session, paymentMethod, state);
  } catch (error) {
    if (!(error instanceof StripeApiError)) throw error;
    return checkoutPage(ctx, session, { error: error.body.message, values }, 422);
  }
  if (outcome && 'redirect' in outcome) {
    return new Response(null, { status: 303, headers: { Location: outcome.redirect } });
  }
  if (outcome && 'error' in outcome) {
    return checkoutPage(ctx, session, { error: outcome.error, values }, 422);
  }
  if (session.status === 'complete') return finishedResponse(session);
  return checkoutPage(ctx, session, { values });
}

/** Back from the 3D Secure challenge: done, or the page again with why it failed. */
function returned(ctx: RequestContext): Response {
  ctx.parse(returnSchema);
  const session = pageSession(ctx);
  if (!session) return missingPage();
  if (session.status === 'complete') return finishedResponse(session);
  if (session.status !== 'open') return unavailablePage(session);
  const state = checkoutState(ctx.sandbox, session.id);
  const values = { email: state.email ?? '', name: state.name ?? '' };
  const error = lastFailure(ctx.sandbox, session);
  return error
    ? checkoutPage(ctx, session, { error, values }, 422)
    : checkoutPage(ctx, session, { values });
}

/**
 * Whether the session's code is fixed because its payment has started: its subscription exists
 * (the first invoice is finalized with the discount it was created with), or its PaymentIntent
 * is past taking a new amount (3D Secure pending, processing). A code applied or removed then
 * would change what the page shows, not what is charged, so the page refuses it: what it shows
 * is what is charged.
 */
function codeLocked(sandbox: SandboxCore, state: CheckoutState): boolean {
  if (state.subscription) return true;
  if (!state.paymentIntent) return false;
  const intent = sandbox.store
    .collection<Stripe.PaymentIntent>('payment_intents')
    .get(state.paymentIntent);
  return intent !== undefined && !AMOUNT_OPEN_STATUSES.includes(intent.status);
}

/** What the page says about a code that cannot be applied, as Stripe's Checkout words it. */
function promoProblem(error: StripeApiError): string {
  const message = error.body.message;
  if (message.includes('prior transactions')) return 'This code is only for first-time customers.';
  if (message.includes('minimum amount')) {
    const minimum = /minimum amount of (.+)\.$/.exec(message)?.[1];
    return minimum
      ? `This code requires an order of at least ${minimum}.`
      : 'This code requires a larger order.';
  }
  return 'This code is invalid.';
}

const promoSchema = params({ code: str().optional() });

/** "Apply": the typed code (any case) becomes the session's discount, or the page says why not. */
function applyPromotionCode(ctx: RequestContext): Response {
  const input = ctx.parse(promoSchema);
  const { sandbox } = ctx;
  const session = pageSession(ctx);
  if (!session) return missingPage();
  if (session.status !== 'open') return unavailablePage(session);
  const state = checkoutState(sandbox, session.id);
  const values = { email: state.email ?? '', name: state.name ?? '' };
  const fail = (promoError: string) => checkoutPage(ctx, session, { promoError, values }, 422);
  if (!session.allow_promotion_codes) return fail('Promotion codes are not accepted here.');
  if (codeLocked(sandbox, state))
    return checkoutPage(ctx, session, { promoError: CODE_LOCKED, values }, 409);
  const typed = input.code?.trim() ?? '';
  if (!typed) return fail('Enter a promotion code.');
  const code = findPromotionCodeByCode(sandbox, typed);
  if (!code) return fail('This code is invalid.');
  const subtotal = checkoutSubtotal(sandbox, session.id);
  let resolved: ResolvedDiscount | null;
  try {
    resolved =
      resolveDiscounts(
        sandbox,
        [{ promotion_code: code.id }],
        checkoutRedemptionContext(sandbox, { ...session, customer: state.customer }, subtotal),
      )[0] ?? null;
  } catch (error) {
    if (!(error instanceof StripeApiError)) throw error;
    return fail(promoProblem(error));
  }
  // Checked before applying, so a refused code leaves the session's discount as it was.
  const limit =
    session.mode === 'payment'
      ? chargeAmountLimitError(
          checkoutDiscountAmounts(sandbox, session, resolved).total,
          session.currency ?? 'usd',
        )
      : null;
  if (limit) return fail('This code cannot be applied to this order.');
  applyCheckoutDiscount(sandbox, session, resolved);
  return new Response(null, {
    status: 303,
    headers: { Location: checkoutPagePath(session.id) },
  });
}

/** "Remove": the session goes back to its full price. */
function removePromotionCode(ctx: RequestContext): Response {
  ctx.parse(params({}));
  const { sandbox } = ctx;
  const session = pageSession(ctx);
  if (!session) return missingPage();
  if (session.status !== 'open') return unavailablePage(session);
  const state = checkoutState(sandbox, session.id);
  if (session.allow_promotion_codes && codeLocked(sandbox, state)) {
    const values = { email: state.email ?? '', name: state.name ?? '' };
    return checkoutPage(ctx, session, { promoError: CODE_LOCKED, values }, 409);
  }
  if (session.allow_promotion_codes) applyCheckoutDiscount(sandbox, session, null);
  return new Response(null, {
    status: 303,
    headers: { Location: checkoutPagePath(session.id) },
  });
}

/** The hosted Checkout page and its form (no API key: the session's id is the access). */
export const checkoutPageRoutes: Route[] = [
  { method: 'GET', path: '/v1/_sandbox/checkout/:id', auth: 'none', chaos: false, handler: show },
  {
    method: 'POST',
    path: '/v1/_sandbox/checkout/:id/pay',
    auth: 'none',
    chaos: false,
    handler: pay,
  },
  {
    method: 'POST',
    path: '/v1/_sandbox/checkout/:id/promotion_code',
    auth: 'none',
    chaos: false,
    handler: applyPromotionCode,
  },
  {
    method: 'POST',
    path: '/v1/_sandbox/checkout/:id/promotion_code/remove',
    auth: 'none',
    chaos: false,
    handler: removePromotionCode,
  },
  {
    method: 'GET',
    path: '/v1/_sandbox/checkout/:id/return',
    auth: 'none',
    chaos: false,
    handler: returned,
  },
];
