/**
 * The customer portal page a billing portal session's `url` points to: the customer's
 * subscriptions (status, price, renewal date; cancel, renew, switch plan), cards (brand, last 4,
 * expiry; make default, remove, add one) and invoices, as the session's configuration allows.
 * Plain HTML forms, no JavaScript: each action POSTs back here and the sandbox redirects (303) to
 * the page again with a status message. Actions go through the same route handlers as the API,
 * so they emit the same events (`customer.subscription.updated`, `payment_method.attached`,
 * `.detached`, `customer.updated`…). Access is by the session's unguessable id, for an hour.
 */
import type Stripe from 'stripe';
import { formatDate } from '../core/billing-time.js';
import { formatAmount } from '../core/currencies.js';
import { StripeApiError } from '../core/errors.js';
import { oneOf, params, str } from '../core/params.js';
import type { RequestContext, Route } from '../core/route.js';
import type { Reaction, SandboxCore } from '../core/sandbox.js';
import {
  findConfiguration,
  portalPagePath,
  portalSessionActive,
  portalSessionCollection,
} from '../resources/billing-portal.js';
import { callRoute, recurringSuffix } from '../resources/checkout-sessions.js';
import { customerRoutes } from '../resources/customers.js';
import { billingOrigin, invoiceCollection } from '../resources/invoices.js';
import { createCardPaymentMethod, paymentMethodRoutes } from '../resources/payment-methods.js';
import { backgroundEmit, type Emit, idOf } from '../resources/payments-shared.js';
import { setupIntentRoutes } from '../resources/setup-intents.js';
import { subscriptionRoutes } from '../resources/subscriptions.js';
import { hostedPage } from './checkout-page.js';
import { cardLabel, escapeHtml } from './html.js';

type Session = Stripe.BillingPortal.Session;
type Configuration = Stripe.BillingPortal.Configuration;

interface Caller {
  sandbox: SandboxCore;
  origin: string;
  emit: Emit;
}

/** A message for the next view of the page. */
interface Flash {
  kind: 'status' | 'error';
  text: string;
}

const ENDED: readonly string[] = ['canceled', 'incomplete_expired'];

const STATUSES: Record<string, string> = {
  active: 'Active',
  trialing: 'Trial',
  past_due: 'Past due',
  unpaid: 'Unpaid',
  incomplete: 'Incomplete',
  paused: 'Paused',
};

const REASONS: Record<string, string> = {
  too_expensive: "It's too expensive",
  missing_features: 'Some features are missing',
  switched_service: "I'm switching to a different service",
  unused: "I don't use the service enough",
  customer_service: 'Customer service was less than expected',
  too_complex: 'Ease of use was less than expected',
  low_quality: 'Quality was less than expected',
  other: 'Other reason',
};

const STYLE = `
  section { margin: 1.5rem 0; }
  .card-box { border: 1px solid #888; border-radius: 6px; padding: .25rem .75rem .75rem; margin: .75rem 0; }
  .card-box h3 { margin: .5rem 0 .25rem; }
  .inline { display: inline; }
  .list { list-style: none; padding: 0; }
  .list li { border-bottom: 1px solid #888; padding: .5rem 0; display: flex; flex-wrap: wrap; align-items: center; gap: .25rem .5rem; }
  .list li > span:first-child { flex: 1 1 16rem; }
  .badge { border: 1px solid currentColor; border-radius: 4px; padding: 0 .3rem; font-size: .85rem; }
  form.stack label { display: block; margin-top: .5rem; font-weight: 600; }
  form.stack input, form.stack select { font: inherit; padding: .45rem; border: 1px solid #666; border-radius: 6px; }
  form.stack input { width: 100%; box-sizing: border-box; }
  table { width: 100%; border-collapse: collapse; }
  th, td { text-align: left; padding: .35rem .25rem; border-bottom: 1px solid #888; }
  .notice { background: #d1e7dd; color: #0a3622; border: 1px solid #146c43; border-radius: 6px; padding: .5rem .75rem; }
`;

const actionSchema = params({
  action: oneOf([
    'cancel_subscription',
    'renew_subscription',
    'switch_plan',
    'set_default',
    'remove_card',
    'add_card',
  ]),
  subscription: str().optional(),
  payment_method: str().optional(),
  price: str().optional(),
  cancellation_reason: str().optional(),
  card_number: str().optional(),
  card_expiry: str().optional(),
  card_cvc: str().optional(),
});

type ActionInput = ReturnType<typeof actionSchema.parse>;

const cardAddedSchema = params({
  setup_intent: str().optional(),
  setup_intent_client_secret: str().optional(),
  redirect_status: str().optional(),
});

/** A problem to show on the page, not an API error. */
class PortalProblem extends Error {}

// --- state ---------------------------------------------------------------------------------------

function setFlash(sandbox: SandboxCore, sessionId: string, flash: Flash): void {
  sandbox.store.setInternal(`portal_flash:${sessionId}`, flash);
}

function takeFlash(sandbox: SandboxCore, sessionId: string): Flash | undefined {
  const flash = sandbox.store.getInternal<Flash | null>(`portal_flash:${sessionId}`);
  if (flash) sandbox.store.setInternal(`portal_flash:${sessionId}`, null);
  return flash ?? undefined;
}

function customerSubscriptions(sandbox: SandboxCore, customerId: string): Stripe.Subscription[] {
  return sandbox.store
    .collection<Stripe.Subscription>('subscriptions')
    .values()
    .filter(
      (subscription) =>
        idOf(subscription.customer as string) === customerId &&
        !ENDED.includes(subscription.status),
    );
}

function customerCards(sandbox: SandboxCore, customerId: string): Stripe.PaymentMethod[] {
  return sandbox.store
    .collection<Stripe.PaymentMethod>('payment_methods')
    .values()
    .filter((pm) => idOf(pm.customer as string | null) === customerId && pm.card);
}

/** Whether a card pays for something: the customer's default, or a live subscription's. */
function cardInUse(sandbox: SandboxCore, customer: Stripe.Customer, pmId: string): boolean {
  if (idOf(customer.invoice_settings.default_payment_method as string | null) === pmId) return true;
  return customerSubscriptions(sandbox, customer.id).some(
    (subscription) => idOf(subscription.default_payment_method as string | null) === pmId,
  );
}

/** The card shown as the default: the customer's, else the one its subscriptions use. */
function defaultCard(sandbox: SandboxCore, customer: Stripe.Customer): string | null {
  const own = idOf(customer.invoice_settings.default_payment_method as string | null);
  if (own) return own;
  for (const subscription of customerSubscriptions(sandbox, customer.id)) {
    const id = idOf(subscription.default_payment_method as string | null);
    if (id) return id;
  }
  return null;
}

/** The prices the configuration lets a customer switch to. */
function allowedPrices(configuration: Configuration): string[] {
  const update = configuration.features.subscription_update;
  if (!update.enabled) return [];
  return (update.products ?? []).flatMap((product) => product.prices);
}

// --- rendering -----------------------------------------------------------------------------------

function productName(sandbox: SandboxCore, price: Stripe.Price): string {
  const productId = idOf(price.product as string | { id: string });
  const product = productId
    ? sandbox.store.collection<Stripe.Product>('products').get(productId)
    : undefined;
  return product?.name ?? price.nickname ?? price.id;
}

function priceText(price: Stripe.Price, quantity = 1): string {
  const unit = price.unit_amount ?? Math.round(Number(price.unit_amount_decimal ?? 0));
  const amount = formatAmount(unit * quantity, price.currency);
  return `${amount} ${recurringSuffix(price)}`.trim();
}

function when(subscription: Stripe.Subscription): string {
  const end = subscription.items.data[0]?.current_period_end;
  if (subscription.cancel_at) return `Cancels on ${formatDate(subscription.cancel_at)}`;
  if (subscription.status === 'trialing' && subscription.trial_end) {
    return `Trial ends on ${formatDate(subscription.trial_end)}`;
  }
  return end ? `Renews on ${formatDate(end)}` : '';
}

function hidden(name: string, value: string): string {
  return `<input type="hidden" name="${escapeHtml(name)}" value="${escapeHtml(value)}">`;
}

function subscriptionBox(
  sandbox: SandboxCore,
  session: Session,
  configuration: Configuration,
  subscription: Stripe.Subscription,
): string {
  const action = escapeHtml(portalPagePath(session.id));
  const item = subscription.items.data[0];
  const name = item ? productName(sandbox, item.price) : subscription.id;
  const headingId = `subscription-${escapeHtml(subscription.id)}`;
  const price = item ? priceText(item.price, item.quantity ?? 1) : '';
  const forms: string[] = [];
  const live = ['active', 'trialing', 'past_due', 'unpaid'].includes(subscription.status);
  const cancel = configuration.features.subscription_cancel;
  // Set to end, at the period's end or on a date (`cancel_at`): renewing is the way on.
  const ending = subscription.cancel_at_period_end || subscription.cancel_at !== null;
  if (ending) {
    forms.push(`<form method="post" action="${action}">
${hidden('action', 'renew_subscription')}${hidden('subscription', subscription.id)}
<button class="primary" type="submit">Renew subscription</button>
</form>`);
  } else if (cancel.enabled && live) {
    const reasons = cancel.cancellation_reason.enabled
      ? `<label for="reason-${escapeHtml(subscription.id)}">Why are you canceling? (optional)</label>
<select id="reason-${escapeHtml(subscription.id)}" name="cancellation_reason">
<option value="">Choose a reason</option>
${cancel.cancellation_reason.options.map((option) => `<option value="${escapeHtml(option)}">${escapeHtml(REASONS[option] ?? option)}</option>`).join('\n')}
</select>`
      : '';
    const label = cancel.mode === 'immediately' ? 'Cancel subscription now' : 'Cancel subscription';
    forms.push(`<form class="stack" method="post" action="${action}">
${hidden('action', 'cancel_subscription')}${hidden('subscription', subscription.id)}
${reasons}
<button type="submit">${label}</button>
</form>`);
  }
  const choices = allowedPrices(configuration).filter((id) => id !== item?.price.id);
  const switchable =
    configuration.features.subscription_update.enabled &&
    ['active', 'trialing'].includes(subscription.status) &&
    subscription.items.data.length === 1 &&
    !ending &&
    choices.length > 0;
  if (switchable) {
    const options = choices
      .map((id) => sandbox.store.collection<Stripe.Price>('prices').get(id))
      .filter((candidate): candidate is Stripe.Price => Boolean(candidate?.active))
      .map(
        (candidate) =>
          `<option value="${escapeHtml(candidate.id)}">${escapeHtml(`${productName(sandbox, candidate)}, ${priceText(candidate)}`)}</option>`,
      )
      .join('\n');
    forms.push(`<form class="stack" method="post" action="${action}">
${hidden('action', 'switch_plan')}${hidden('subscription', subscription.id)}
<label for="plan-${escapeHtml(subscription.id)}">New plan</label>
<select id="plan-${escapeHtml(subscription.id)}" name="price">
${options}
</select>
<button type="submit">Switch plan</button>
</form>`);
  }
  return `<article class="card-box" aria-labelledby="${headingId}">
<h3 id="${headingId}">${escapeHtml(name)}</h3>
<p>${escapeHtml(price)} · <span class="badge">${escapeHtml(STATUSES[subscription.status] ?? subscription.status)}</span></p>
<p>${escapeHtml(when(subscription))}</p>
${forms.join('\n')}
</article>`;
}

function cardRow(
  sandbox: SandboxCore,
  session: Session,
  customer: Stripe.Customer,
  paymentMethod: Stripe.PaymentMethod,
  isDefault: boolean,
): string {
  const card = paymentMethod.card as Stripe.PaymentMethod.Card;
  const action = escapeHtml(portalPagePath(session.id));
  const label = cardLabel(card.brand, card.last4);
  const expiry = `Expires ${String(card.exp_month).padStart(2, '0')}/${card.exp_year}`;
  const forms: string[] = [];
  if (!isDefault) {
    forms.push(`<form class="inline" method="post" action="${action}">
${hidden('action', 'set_default')}${hidden('payment_method', paymentMethod.id)}
<button type="submit" aria-label="Make ${escapeHtml(label)} the default">Make default</button>
</form>`);
  }
  if (!cardInUse(sandbox, customer, paymentMethod.id)) {
    forms.push(`<form class="inline" method="post" action="${action}">
${hidden('action', 'remove_card')}${hidden('payment_method', paymentMethod.id)}
<button type="submit" aria-label="Remove ${escapeHtml(label)}">Remove</button>
</form>`);
  }
  return `<li><span>${escapeHtml(label)} · ${escapeHtml(expiry)}</span>${isDefault ? ' <span class="badge">Default</span>' : ''}
${forms.join('\n')}</li>`;
}

function paymentMethodsSection(
  sandbox: SandboxCore,
  session: Session,
  customer: Stripe.Customer,
): string {
  const cards = customerCards(sandbox, customer.id);
  const defaultId = defaultCard(sandbox, customer);
  const rows = cards.length
    ? `<ul class="list">${cards.map((pm) => cardRow(sandbox, session, customer, pm, pm.id === defaultId)).join('\n')}</ul>`
    : '<p>No card on file.</p>';
  return `<section aria-labelledby="payment-methods">
<h2 id="payment-methods">Payment methods</h2>
${rows}
<form class="stack card-box" method="post" action="${escapeHtml(portalPagePath(session.id))}">
<h3>Add a card</h3>
${hidden('action', 'add_card')}
<label for="card-number">Card number</label>
<input id="card-number" name="card_number" inputmode="numeric" autocomplete="cc-number" placeholder="1234 1234 1234 1234" required>
<label for="card-expiry">Expiration date</label>
<input id="card-expiry" name="card_expiry" autocomplete="cc-exp" placeholder="MM / YY" required>
<label for="card-cvc">Security code</label>
<input id="card-cvc" name="card_cvc" inputmode="numeric" autocomplete="cc-csc" placeholder="CVC" required>
<button class="primary" type="submit">Add card</button>
</form>
</section>`;
}

function invoicesSection(sandbox: SandboxCore, customerId: string): string {
  const invoices = invoiceCollection(sandbox)
    .values()
    .filter(
      (invoice) => idOf(invoice.customer as string) === customerId && invoice.status !== 'draft',
    )
    .reverse();
  const rows = invoices
    .map(
      (invoice) =>
        `<tr><td>${escapeHtml(formatDate(invoice.created))}</td><td>${escapeHtml(invoice.number ?? invoice.id)}</td><td>${escapeHtml(formatAmount(invoice.total, invoice.currency))}</td><td>${escapeHtml((invoice.status ?? '').replace(/^./, (c) => c.toUpperCase()))}</td></tr>`,
    )
    .join('\n');
  const body = invoices.length
    ? `<table>
<thead><tr><th scope="col">Date</th><th scope="col">Number</th><th scope="col">Amount</th><th scope="col">Status</th></tr></thead>
<tbody>
${rows}
</tbody>
</table>`
    : '<p>No invoices yet.</p>';
  return `<section aria-labelledby="invoice-history">
<h2 id="invoice-history">Invoice history</h2>
${body}
</section>`;
}

function returnLink(session: Session): string {
  if (!session.return_url) return '';
  const host = URL.canParse(session.return_url) ? new URL(session.return_url).host : '';
  return `<p><a href="${escapeHtml(session.return_url)}">Return to ${escapeHtml(host || 'the store')}</a></p>`;
}

function portalPage(sandbox: SandboxCore, session: Session): Response {
  const configuration = findConfiguration(sandbox, idOf(session.configuration) as string);
  const customer = sandbox.store.collection<Stripe.Customer>('customers').get(session.customer);
  if (!customer) {
    return hostedPage('Billing portal', '<h1>This customer no longer exists</h1>', 410);
  }
  const flash = takeFlash(sandbox, session.id);
  const message = flash
    ? flash.kind === 'error'
      ? `<div class="error" role="alert">${escapeHtml(flash.text)}</div>`
      : `<div class="notice" role="status">${escapeHtml(flash.text)}</div>`
    : '';
  const subscriptions = customerSubscriptions(sandbox, customer.id);
  const subscriptionSection = `<section aria-labelledby="subscriptions">
<h2 id="subscriptions">${subscriptions.length === 1 ? 'Current subscription' : 'Current subscriptions'}</h2>
${subscriptions.length ? subscriptions.map((subscription) => subscriptionBox(sandbox, session, configuration, subscription)).join('\n') : '<p>No current subscriptions.</p>'}
</section>`;
  const { features } = configuration;
  const headline = configuration.business_profile.headline;
  return hostedPage(
    'Billing portal',
    `<h1>Billing</h1>
${headline ? `<p>${escapeHtml(headline)}</p>` : ''}
<p>Signed in as <strong>${escapeHtml(customer.email ?? customer.name ?? customer.id)}</strong>.</p>
${returnLink(session)}
${message}
${subscriptionSection}
${features.payment_method_update.enabled ? paymentMethodsSection(sandbox, session, customer) : ''}
${features.invoice_history.enabled ? invoicesSection(sandbox, customer.id) : ''}`,
    200,
    STYLE,
  );
}

function expiredPage(session: Session | undefined): Response {
  const back = session?.return_url
    ? `<p><a href="${escapeHtml(session.return_url)}">Return to the store</a></p>`
    : '';
  return hostedPage(
    'Billing portal',
    `<h1>This portal session has expired</h1>
<p>Portal links are valid for an hour. Ask for a new one.</p>
${back}`,
    session ? 410 : 404,
  );
}

function backToPortal(session: Session): Response {
  return new Response(null, { status: 303, headers: { Location: portalPagePath(session.id) } });
}

// --- actions -------------------------------------------------------------------------------------

function ownSubscription(
  sandbox: SandboxCore,
  session: Session,
  id: string | undefined,
): Stripe.Subscription {
  const subscription = id
    ? sandbox.store.collection<Stripe.Subscription>('subscriptions').get(id)
    : undefined;
  if (!subscription || idOf(subscription.customer as string) !== session.customer) {
    throw new PortalProblem('That subscription was not found.');
  }
  return subscription;
}

function ownCard(
  sandbox: SandboxCore,
  session: Session,
  id: string | undefined,
): Stripe.PaymentMethod {
  const paymentMethod = id
    ? sandbox.store.collection<Stripe.PaymentMethod>('payment_methods').get(id)
    : undefined;
  if (!paymentMethod || idOf(paymentMethod.customer as string | null) !== session.customer) {
    throw new PortalProblem('That card was not found.');
  }
  return paymentMethod;
}

/**
 * Makes a card the customer's default, and the default of the subscriptions that have one of their
 * own (as Stripe's portal does), so that it pays what comes next.
 */
function makeDefault(caller: Caller, customerId: string, pmId: string): void {
  const customer = caller.sandbox.store.collection<Stripe.Customer>('customers').get(customerId);
  if (idOf(customer?.invoice_settings.default_payment_method as string | null) !== pmId) {
    callRoute(
      caller,
      customerRoutes,
      'POST',
      '/v1/customers/:id',
      { invoice_settings: { default_payment_method: pmId } },
      { id: customerId },
    );
  }
  for (const subscription of customerSubscriptions(caller.sandbox, customerId)) {
    const current = idOf(subscription.default_payment_method as string | null);
    if (current && current !== pmId) {
      callRoute(
        caller,
        subscriptionRoutes,
        'POST',
        '/v1/subscriptions/:id',
        { default_payment_method: pmId },
        { id: subscription.id },
      );
    }
  }
}

function parseExpiry(value: string): { month: number; year: number } | null {
  const match = /^(\d{1,2})\s*\/?\s*(\d{2}|\d{4})$/.exec(value.trim());
  return match ? { month: Number(match[1]), year: Number(match[2]) } : null;
}

/** Runs one action; answers the redirect to make, with the message for the page. */
function runAction(
  ctx: RequestContext,
  caller: Caller,
  session: Session,
  configuration: Configuration,
  input: ActionInput,
): { flash: Flash; redirect?: string } {
  const { sandbox } = caller;
  const { features } = configuration;
  switch (input.action) {
    case 'cancel_subscription': {
      if (!features.subscription_cancel.enabled)
        throw new PortalProblem('Canceling is turned off.');
      const subscription = ownSubscription(sandbox, session, input.subscription);
      const reason = input.cancellation_reason || undefined;
      if (reason && !features.subscription_cancel.cancellation_reason.options.includes(reason)) {
        throw new PortalProblem('Choose one of the listed reasons.');
      }
      const details = reason ? { cancellation_details: { feedback: reason } } : {};
      if (features.subscription_cancel.mode === 'immediately') {
        const proration = features.subscription_cancel.proration_behavior;
        callRoute(
          caller,
          subscriptionRoutes,
          'DELETE',
          '/v1/subscriptions/:id',
          {
            ...details,
            ...(proration !== 'none' ? { prorate: true } : {}),
            ...(proration === 'always_invoice' ? { invoice_now: true } : {}),
          },
          { id: subscription.id },
        );
        return { flash: { kind: 'status', text: 'Your subscription has been canceled.' } };
      }
      const updated = callRoute<Stripe.Subscription>(
        caller,
        subscriptionRoutes,
        'POST',
        '/v1/subscriptions/:id',
        { cancel_at_period_end: true, ...details },
        { id: subscription.id },
      );
      const date = updated.cancel_at ? ` on ${formatDate(updated.cancel_at)}` : '';
      return { flash: { kind: 'status', text: `Your subscription will be canceled${date}.` } };
    }
    case 'renew_subscription': {
      const subscription = ownSubscription(sandbox, session, input.subscription);
      callRoute(
        caller,
        subscriptionRoutes,
        'POST',
        '/v1/subscriptions/:id',
        // `cancel_at_period_end: false` takes off only the end it set; a date needs clearing.
        subscription.cancel_at_period_end ? { cancel_at_period_end: false } : { cancel_at: '' },
        { id: subscription.id },
      );
      return { flash: { kind: 'status', text: 'Your subscription will renew.' } };
    }
    case 'switch_plan': {
      const subscription = ownSubscription(sandbox, session, input.subscription);
      const item = subscription.items.data[0];
      if (!input.price || !allowedPrices(configuration).includes(input.price) || !item) {
        throw new PortalProblem('That plan is not available.');
      }
      const update = features.subscription_update;
      callRoute(
        caller,
        subscriptionRoutes,
        'POST',
        '/v1/subscriptions/:id',
        {
          items: [{ id: item.id, price: input.price }],
          proration_behavior: update.proration_behavior,
          ...(subscription.status === 'trialing' && update.trial_update_behavior === 'end_trial'
            ? { trial_end: 'now' }
            : {}),
        },
        { id: subscription.id },
      );
      return { flash: { kind: 'status', text: 'Your plan has been updated.' } };
    }
    case 'set_default': {
      if (!features.payment_method_update.enabled) throw new PortalProblem('Cards are read-only.');
      const paymentMethod = ownCard(sandbox, session, input.payment_method);
      makeDefault(caller, session.customer, paymentMethod.id);
      return { flash: { kind: 'status', text: 'Your default card has been updated.' } };
    }
    case 'remove_card': {
      if (!features.payment_method_update.enabled) throw new PortalProblem('Cards are read-only.');
      const paymentMethod = ownCard(sandbox, session, input.payment_method);
      const customer = sandbox.store
        .collection<Stripe.Customer>('customers')
        .get(session.customer) as Stripe.Customer;
      if (cardInUse(sandbox, customer, paymentMethod.id)) {
        throw new PortalProblem(
          'This card is your default payment method. Make another card the default first.',
        );
      }
      callRoute(
        caller,
        paymentMethodRoutes,
        'POST',
        '/v1/payment_methods/:id/detach',
        {},
        { id: paymentMethod.id },
      );
      return { flash: { kind: 'status', text: 'The card has been removed.' } };
    }
    case 'add_card': {
      if (!features.payment_method_update.enabled) throw new PortalProblem('Cards are read-only.');
      const number = input.card_number?.replace(/[\s-]/g, '') ?? '';
      const expiry = parseExpiry(input.card_expiry ?? '');
      if (!number) throw new PortalProblem('Your card number is incomplete.');
      if (!expiry) throw new PortalProblem("Your card's expiration date is incomplete.");
      if (!input.card_cvc?.trim())
        throw new PortalProblem("Your card's security code is incomplete.");
      const paymentMethod = createCardPaymentMethod(sandbox, {
        number,
        exp_month: expiry.month,
        exp_year: expiry.year,
        cvc: input.card_cvc.trim(),
      });
      // As Stripe's portal: a SetupIntent checks the card (3D Secure included) and saves it.
      const intent = callRoute<Stripe.SetupIntent>(
        caller,
        setupIntentRoutes,
        'POST',
        '/v1/setup_intents',
        {
          customer: session.customer,
          usage: 'off_session',
          allowed_payment_method_types: ['card'],
        },
      );
      sandbox.store.setInternal(`portal_setup:${intent.id}`, session.id);
      const confirmed = callRoute<Stripe.SetupIntent>(
        caller,
        setupIntentRoutes,
        'POST',
        '/v1/setup_intents/:id/confirm',
        {
          payment_method: paymentMethod.id,
          return_url: `${ctx.origin}${portalPagePath(session.id)}/card_added`,
        },
        { id: intent.id },
      );
      const challenge = confirmed.next_action?.redirect_to_url?.url;
      if (confirmed.status === 'requires_action' && challenge) {
        return { flash: { kind: 'status', text: '' }, redirect: challenge };
      }
      return {
        flash: { kind: 'status', text: 'Your card has been added and is now the default.' },
      };
    }
  }
}

// --- handlers ------------------------------------------------------------------------------------

function activeSession(ctx: RequestContext): Session | Response {
  const session = portalSessionCollection(ctx.sandbox).get(ctx.path.id as string);
  if (!session || !portalSessionActive(ctx.sandbox, session)) return expiredPage(session);
  return session;
}

function show(ctx: RequestContext): Response {
  ctx.parse(params({}));
  const session = activeSession(ctx);
  if (session instanceof Response) return session;
  return portalPage(ctx.sandbox, session);
}

function act(ctx: RequestContext): Response {
  const input = ctx.parse(actionSchema);
  const session = activeSession(ctx);
  if (session instanceof Response) return session;
  const { sandbox } = ctx;
  const configuration = findConfiguration(sandbox, idOf(session.configuration) as string);
  const caller: Caller = { sandbox, origin: ctx.origin, emit: backgroundEmit(sandbox) };
  try {
    const { flash, redirect } = runAction(ctx, caller, session, configuration, input);
    if (redirect) return new Response(null, { status: 303, headers: { Location: redirect } });
    setFlash(sandbox, session.id, flash);
  } catch (error) {
    if (error instanceof PortalProblem || error instanceof StripeApiError) {
      const text = error instanceof StripeApiError ? error.body.message : error.message;
      setFlash(sandbox, session.id, { kind: 'error', text });
    } else {
      throw error;
    }
  }
  return backToPortal(session);
}

/** Back from the 3D Secure challenge of a card being added. */
function cardAdded(ctx: RequestContext): Response {
  const input = ctx.parse(cardAddedSchema);
  const session = activeSession(ctx);
  if (session instanceof Response) return session;
  const intent = input.setup_intent
    ? ctx.sandbox.store.collection<Stripe.SetupIntent>('setup_intents').get(input.setup_intent)
    : undefined;
  const ours =
    intent && ctx.sandbox.store.getInternal<string>(`portal_setup:${intent.id}`) === session.id;
  if (ours && intent.status === 'succeeded') {
    setFlash(ctx.sandbox, session.id, {
      kind: 'status',
      text: 'Your card has been added and is now the default.',
    });
  } else if (ours) {
    setFlash(ctx.sandbox, session.id, {
      kind: 'error',
      text: intent.last_setup_error?.message ?? 'The card was not added.',
    });
  }
  return backToPortal(session);
}

/** The portal page and its forms (no API key: the session's id is the access). */
export const portalPageRoutes: Route[] = [
  {
    method: 'GET',
    path: '/v1/_sandbox/billing_portal/:id',
    auth: 'none',
    chaos: false,
    handler: show,
  },
  {
    method: 'POST',
    path: '/v1/_sandbox/billing_portal/:id',
    auth: 'none',
    chaos: false,
    handler: act,
  },
  {
    method: 'GET',
    path: '/v1/_sandbox/billing_portal/:id/card_added',
    auth: 'none',
    chaos: false,
    handler: cardAdded,
  },
];

/** A card added in the portal becomes the default once its SetupIntent succeeds (3DS or not). */
export const portalPageReactions: Reaction[] = [
  {
    event: 'setup_intent.succeeded',
    run: (sandbox, object, options) => {
      const sessionId = sandbox.store.getInternal<string>(`portal_setup:${object.id}`);
      const session = sessionId ? portalSessionCollection(sandbox).get(sessionId) : undefined;
      const intent = object as unknown as Stripe.SetupIntent;
      const pmId = idOf(intent.payment_method as string | null);
      if (!session || !pmId) return;
      const emit: Emit = (type, payload, previous) =>
        sandbox.emit(type, payload, { previousAttributes: previous, request: options.request });
      makeDefault({ sandbox, origin: billingOrigin(sandbox), emit }, session.customer, pmId);
    },
  },
];
