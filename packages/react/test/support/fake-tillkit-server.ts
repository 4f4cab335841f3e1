/**
 * A stand-in for the Tillkit server in browser tests: MSW handlers for the routes the kit calls
 * with Stripe's fields on the page (`/config`, `/prices`, `/payment-intents`, `/setup-intents`,
 * `/customer-sessions`, `/subscriptions`), answering as the real server does (packages/server/src/routes) and creating
 * real objects in the sandbox core that runs in the page, so the sandbox's Stripe.js confirms
 * them. One signed-in customer. Every call is recorded, so tests can assert that a retry created
 * no second intent.
 */
import type { CartItem, PricesResponse } from '@tillkit/protocol';
import type { SandboxCore } from '@tillkit/sandbox/core';
import { seedDemoCatalog } from '@tillkit/sandbox/core';
import { HttpResponse, http, type RequestHandler } from 'msw';

export const PUBLISHABLE_KEY = 'pk_test_tillkit_react';
const SECRET_KEY = 'sk_test_tillkit_react';

export interface RecordedCall {
  method: string;
  path: string;
  body: unknown;
  idempotencyKey: string | null;
}

export interface FakeTillkitServer {
  handlers: RequestHandler[];
  calls: RecordedCall[];
  /** Price ids of the demo catalog by lookup key (`tshirt`, `tshirt_kwd`, `mug_jpy`, …). */
  prices: Record<string, string>;
  /** Calls the sandbox as a server does, with the secret key. */
  stripe(path: string, params?: Record<string, string>, method?: string): Promise<Json>;
  /** The signed-in caller's Stripe customer (made on first use, as the server does). */
  customer(): Promise<string>;
  /** Forgets the recorded calls. */
  reset(): void;
}

type Json = Record<string, unknown>;

export function fakeTillkitServer(
  core: SandboxCore,
  options: { apiBase: string; sandboxBase: string },
): FakeTillkitServer {
  const { apiBase, sandboxBase } = options;
  const catalog = seedDemoCatalog(core);
  const prices: Record<string, string> = {};
  for (const price of catalog.prices) if (price.lookup_key) prices[price.lookup_key] = price.id;
  const pricesResponse: PricesResponse = {
    products: catalog.products.map((product) => ({
      id: product.id,
      name: product.name,
      description: product.description ?? null,
      features: (product.marketing_features ?? []).map((feature) => feature.name ?? ''),
      prices: catalog.prices
        .filter((price) => price.product === product.id)
        .map((price) => ({
          id: price.id,
          unitAmount: price.unit_amount ?? 0,
          currency: price.currency,
          type: price.type as 'one_time' | 'recurring',
          ...(price.recurring
            ? {
                interval: price.recurring.interval as 'day' | 'week' | 'month' | 'year',
                intervalCount: price.recurring.interval_count,
                ...(price.recurring.trial_period_days
                  ? { trialPeriodDays: price.recurring.trial_period_days }
                  : {}),
              }
            : {}),
        })),
    })),
  };
  const calls: RecordedCall[] = [];

  async function stripe(path: string, params: Record<string, string> = {}, method = 'POST') {
    const body = new URLSearchParams(params).toString();
    const response = await core.fetch(
      new Request(`${sandboxBase}${path}${method === 'GET' && body ? `?${body}` : ''}`, {
        method,
        headers: {
          Authorization: `Bearer ${SECRET_KEY}`,
          'Content-Type': 'application/x-www-form-urlencoded',
        },
        ...(method === 'GET' ? {} : { body }),
      }),
    );
    return (await response.json()) as Json;
  }

  function priceCart(items: CartItem[]): { amount: number; currency: string } {
    let amount = 0;
    let currency = '';
    for (const item of items) {
      const price = catalog.prices.find((candidate) => candidate.id === item.price);
      if (!price) throw new Error(`unknown price ${item.price}`);
      amount += (price.unit_amount ?? 0) * item.quantity;
      currency = price.currency;
    }
    return { amount, currency };
  }

  let customerId: Promise<string> | null = null;
  const customer = () => {
    customerId ??= stripe('/v1/customers', { email: 'buyer@example.com' }).then((created) =>
      String(created.id),
    );
    return customerId;
  };

  /**
   * The active promotion code `typed` names, with its coupon; undefined for none given, null for
   * one that does not exist (the real server's `promotion_code_invalid`).
   */
  async function promotionCode(typed: unknown): Promise<Json | null | undefined> {
    if (typeof typed !== 'string' || !typed.trim()) return undefined;
    const found = await stripe(
      '/v1/promotion_codes',
      { code: typed.trim(), active: 'true', 'expand[0]': 'data.promotion.coupon' },
      'GET',
    );
    return (found.data as Json[])[0] ?? null;
  }
  const invalidCode = () =>
    HttpResponse.json(
      {
        error: {
          code: 'promotion_code_invalid',
          message: 'This promotion code is not valid. Check it and try again.',
          param: 'promotionCode',
        },
      },
      { status: 400 },
    );

  /**
   * A subscription in the protocol's shape, with its pending action (GET /subscriptions): the
   * open invoice's (`authenticate`, `new_card`), or the SetupIntent of a trial (or a subscription
   * nothing was charged for) that has no card yet (`save_card`, gone once it is confirmed).
   */
  async function toSubscription(subscription: Json): Promise<Json> {
    const invoice = subscription.latest_invoice as Json | null;
    const secret = (invoice?.confirmation_secret as Json | null)?.client_secret as string | null;
    let pendingAction: Json | null = null;
    if (invoice?.status === 'open' && secret) {
      const intent = await stripe(`/v1/payment_intents/${secret.split('_secret_')[0]}`, {}, 'GET');
      pendingAction = {
        clientSecret: secret,
        type: intent.status === 'requires_action' ? 'authenticate' : 'new_card',
      };
    }
    const setup = subscription.pending_setup_intent as Json | null;
    if (
      !pendingAction &&
      setup?.client_secret &&
      !['succeeded', 'canceled'].includes(String(setup.status)) &&
      waitsForCard(subscription)
    ) {
      pendingAction = { clientSecret: setup.client_secret, type: 'save_card' };
    }
    const item = (subscription.items as { data: Json[] }).data[0] as Json;
    const price = item.price as Json;
    return {
      id: subscription.id,
      status: subscription.status,
      priceId: price.id,
      productId: price.product,
      productName: catalog.products.find((product) => product.id === price.product)?.name ?? 'Plan',
      currentPeriodEnd: new Date(Number(item.current_period_end) * 1000).toISOString(),
      cancelAtPeriodEnd: subscription.cancel_at_period_end,
      cancelAt: subscription.cancel_at
        ? new Date(Number(subscription.cancel_at) * 1000).toISOString()
        : null,
      trialEnd: subscription.trial_end
        ? new Date(Number(subscription.trial_end) * 1000).toISOString()
        : null,
      pendingAction,
    };
  }

  const answer = (intent: Json, status = 200) =>
    HttpResponse.json(
      {
        id: intent.id,
        clientSecret: intent.client_secret,
        amount: intent.amount,
        currency: intent.currency,
        status: intent.status,
      },
      { status },
    );

  async function record(request: Request, path: string): Promise<Json> {
    const body = request.method === 'GET' ? undefined : ((await request.json()) as Json);
    calls.push({
      method: request.method,
      path,
      body,
      idempotencyKey: request.headers.get('idempotency-key'),
    });
    return body ?? {};
  }

  const handlers: RequestHandler[] = [
    http.get(`${apiBase}/config`, async ({ request }) => {
      await record(request, '/config');
      return HttpResponse.json({
        publishableKey: PUBLISHABLE_KEY,
        mode: 'sandbox',
        sandbox: { apiBase: sandboxBase },
        promotionCodes: false,
        oneSubscriptionPerCustomer: false,
      });
    }),
    http.get(`${apiBase}/prices`, async ({ request }) => {
      await record(request, '/prices');
      return HttpResponse.json(pricesResponse);
    }),
    http.post(`${apiBase}/payment-intents`, async ({ request }) => {
      const body = await record(request, '/payment-intents');
      if (body.savePaymentMethod && !request.headers.get('authorization')) return guestCannotSave();
      const { amount, currency } = priceCart(body.items as CartItem[]);
      const key = request.headers.get('idempotency-key');
      const response = await core.fetch(
        new Request(`${sandboxBase}/v1/payment_intents`, {
          method: 'POST',
          headers: {
            Authorization: `Bearer ${SECRET_KEY}`,
            'Content-Type': 'application/x-www-form-urlencoded',
            ...(key ? { 'Idempotency-Key': `tillkit-test:${key}` } : {}),
          },
          body: new URLSearchParams({
            amount: String(amount),
            currency,
            'automatic_payment_methods[enabled]': 'true',
            'metadata[tillkit]': 'true',
            // As the server does: a signed-in caller's customer is attached.
            ...(request.headers.get('authorization') ? { customer: await customer() } : {}),
            ...(body.savePaymentMethod ? { setup_future_usage: 'off_session' } : {}),
            ...(body.receiptEmail ? { receipt_email: String(body.receiptEmail) } : {}),
          }).toString(),
        }),
      );
      return answer((await response.json()) as Json, 201);
    }),
    http.patch(`${apiBase}/payment-intents/:id`, async ({ request, params }) => {
      const body = await record(request, `/payment-intents/${params.id}`);
      if (body.savePaymentMethod && !request.headers.get('authorization')) return guestCannotSave();
      const { amount, currency } = priceCart(body.items as CartItem[]);
      const updated = await stripe(`/v1/payment_intents/${params.id}`, {
        amount: String(amount),
        currency,
        ...(body.receiptEmail ? { receipt_email: String(body.receiptEmail) } : {}),
        // As the server does: "save my card" changed since the intent was made.
        ...(body.savePaymentMethod === undefined
          ? {}
          : { setup_future_usage: body.savePaymentMethod ? 'off_session' : '' }),
      });
      return answer(updated);
    }),
    http.post(`${apiBase}/setup-intents`, async ({ request }) => {
      await record(request, '/setup-intents');
      const intent = await stripe('/v1/setup_intents', {
        customer: await customer(),
        usage: 'off_session',
        'automatic_payment_methods[enabled]': 'true',
      });
      return HttpResponse.json(
        { id: intent.id, clientSecret: intent.client_secret },
        { status: 201 },
      );
    }),
    http.post(`${apiBase}/customer-sessions`, async ({ request }) => {
      await record(request, '/customer-sessions');
      if (!request.headers.get('authorization')) {
        return HttpResponse.json(
          { error: { code: 'unauthenticated', message: 'Sign in first.', requestId: 'req_test' } },
          { status: 401 },
        );
      }
      // As the server does: none for a caller without a customer (and none is made).
      if (!customerId) return HttpResponse.json({ clientSecret: null, expiresAt: null });
      const features = 'components[payment_element][features]';
      const session = await stripe('/v1/customer_sessions', {
        customer: await customer(),
        'components[payment_element][enabled]': 'true',
        [`${features}[payment_method_redisplay]`]: 'enabled',
        [`${features}[payment_method_allow_redisplay_filters][0]`]: 'always',
        [`${features}[payment_method_remove]`]: 'disabled',
        [`${features}[payment_method_save]`]: 'disabled',
      });
      return HttpResponse.json(
        {
          clientSecret: session.client_secret,
          expiresAt: new Date(Number(session.expires_at) * 1000).toISOString(),
        },
        { status: 201 },
      );
    }),
    http.get(`${apiBase}/payment-methods`, async ({ request }) => {
      await record(request, '/payment-methods');
      const list = await stripe(
        `/v1/customers/${await customer()}/payment_methods`,
        { type: 'card' },
        'GET',
      );
      return HttpResponse.json({
        data: (list.data as Json[]).map((method) => {
          const card = method.card as Json;
          return {
            id: method.id,
            brand: card.brand,
            last4: card.last4,
            expMonth: card.exp_month,
            expYear: card.exp_year,
            isDefault: false,
          };
        }),
      });
    }),
    http.post(`${apiBase}/subscriptions/preview`, async ({ request }) => {
      const body = await record(request, '/subscriptions/preview');
      const code = await promotionCode(body.promotionCode);
      if (code === null) return invalidCode();
      const invoice = await stripe('/v1/invoices/create_preview', {
        customer: await customer(),
        'subscription_details[items][0][price]': String(body.price),
        'subscription_details[items][0][quantity]': String(body.quantity ?? 1),
        ...(code ? { 'discounts[0][promotion_code]': String(code.id) } : {}),
      });
      const coupon = (code?.promotion as Json | undefined)?.coupon as Json | undefined;
      const price = catalog.prices.find((candidate) => candidate.id === body.price);
      const trialDays = price?.recurring?.trial_period_days ?? null;
      const discount = (invoice.total_discount_amounts as Array<{ amount: number }>).reduce(
        (sum, taken) => sum + taken.amount,
        0,
      );
      return HttpResponse.json({
        currency: invoice.currency,
        trialDays,
        subtotal: trialDays ? 0 : invoice.subtotal,
        amountDiscount: trialDays ? 0 : discount,
        amountDue: trialDays ? 0 : invoice.amount_due,
        promotion:
          code && coupon
            ? {
                code: code.code,
                percentOff: coupon.percent_off,
                amountOff: coupon.amount_off,
                duration: coupon.duration,
                durationInMonths: coupon.duration_in_months,
              }
            : null,
      });
    }),
    http.post(`${apiBase}/subscriptions`, async ({ request }) => {
      const body = await record(request, '/subscriptions');
      const created = await stripe('/v1/subscriptions', {
        customer: await customer(),
        'items[0][price]': String(body.price),
        'items[0][quantity]': String(body.quantity ?? 1),
        ...(await promotionCode(body.promotionCode).then(
          (code): Record<string, string> =>
            code ? { 'discounts[0][promotion_code]': String(code.id) } : {},
        )),
        payment_behavior: 'default_incomplete',
        'payment_settings[save_default_payment_method]': 'on_subscription',
        trial_from_plan: 'true',
        'expand[0]': 'latest_invoice.confirmation_secret',
        'expand[1]': 'pending_setup_intent',
      });
      const invoice = created.latest_invoice as Json | null;
      const setupIntent = created.pending_setup_intent as Json | null;
      const paymentSecret =
        invoice?.status === 'open' && Number(invoice.amount_remaining) > 0
          ? ((invoice.confirmation_secret as Json | null)?.client_secret ?? null)
          : null;
      const setupSecret = setupIntent?.client_secret ?? null;
      return HttpResponse.json(
        {
          id: created.id,
          status: created.status,
          clientSecret: paymentSecret ?? setupSecret,
          clientSecretType: paymentSecret ? 'payment' : setupSecret ? 'setup' : null,
        },
        { status: 201 },
      );
    }),
    http.get(`${apiBase}/subscriptions`, async ({ request }) => {
      await record(request, '/subscriptions');
      const list = await stripe(
        '/v1/subscriptions',
        {
          customer: await customer(),
          status: 'all',
          'expand[0]': 'data.latest_invoice.confirmation_secret',
          'expand[1]': 'data.pending_setup_intent',
        },
        'GET',
      );
      const current = (list.data as Json[]).filter(
        (subscription) => !['canceled', 'incomplete_expired'].includes(String(subscription.status)),
      );
      return HttpResponse.json({ data: await Promise.all(current.map(toSubscription)) });
    }),
  ];

  return {
    handlers,
    calls,
    prices,
    stripe,
    customer,
    reset: () => {
      calls.length = 0;
    },
  };
}

/** The server's 401 for a guest asking to save a card (`savePaymentMethod: true`). */
/**
 * As the server decides (`waitingSetupIntent`): a subscription with no default card that is active
 * (a promotion code made it free) or a trial not set to end by its trial's end.
 */
function waitsForCard(subscription: Json): boolean {
  if (subscription.default_payment_method) return false;
  if (subscription.status === 'active') return true;
  const cancelAt = subscription.cancel_at as number | null;
  const trialEnd = subscription.trial_end as number | null;
  return (
    subscription.status === 'trialing' &&
    !subscription.cancel_at_period_end &&
    !(cancelAt !== null && trialEnd !== null && cancelAt <= trialEnd)
  );
}

function guestCannotSave() {
  return HttpResponse.json(
    {
      error: {
        code: 'unauthenticated',
        message: 'Sign in to save a card for later payments.',
        param: 'savePaymentMethod',
        requestId: 'req_test',
      },
    },
    { status: 401 },
  );
}
