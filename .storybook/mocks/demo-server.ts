/**
 * The stories' whole backend, in the page: the Stripe sandbox's core (its Fetch API handler, the
 * same code `tillkit-sandbox` serves) and a stand-in for the Tillkit server's routes, both answered
 * by MSW's service worker. Nothing listens on a port. The Tillkit routes do what the real server's
 * do (packages/server/src/routes), against the sandbox with a secret key, for one signed-in demo
 * customer, so every story is interactive: cards are really declined, 3D Secure really opens,
 * saved cards and subscriptions really change.
 *
 * Each story gets a fresh sandbox (`resetDemoServer()` runs in a loader before every story), so
 * stories never see each other's payments. Prices have stable ids (`price_tshirt`, `price_pro_monthly`:
 * `price_` + the demo catalog's lookup key), which the examples and stories use.
 */
import type {
  CartItem,
  CatalogPrice,
  PaymentMethod,
  PricesResponse,
  PromotionTerms,
  Subscription,
  SubscriptionPreview,
  SubscriptionStatus,
} from '@tillkit/protocol';
import { createSandboxCore, type SandboxCore, seedDemoCatalog } from '@tillkit/sandbox/core';

/** Where the in-page sandbox answers (`loadSandboxStripe(…, { apiBase })` and the server use it). */
export const SANDBOX_BASE = 'http://sandbox.test';
/** Where the stories' `<TillkitProvider apiBase>` points: the fake Tillkit server's routes. */
export const API_BASE = 'http://tillkit.test/api';
export const PUBLISHABLE_KEY = 'pk_test_tillkit_storybook';
const SECRET_KEY = 'sk_test_tillkit_storybook';
/** The bearer token the stories' provider sends; the user routes want it, as the real server does. */
export const DEMO_TOKEN = 'tillkit-storybook-demo-user';

type Json = Record<string, unknown>;

/** An error answer in the server's shape: `{ error: { code, message, param?, requestId } }`. */
export function errorResponse(status: number, code: string, message: string, param?: string) {
  return Response.json(
    { error: { code, message, ...(param ? { param } : {}), requestId: `req_demo_${status}` } },
    { status },
  );
}

/** The server's 401 for a guest asking to save a card (`savePaymentMethod: true`). */
const guestCannotSave = () =>
  new RouteError(
    401,
    'unauthenticated',
    'Sign in to save a card for later payments.',
    'savePaymentMethod',
  );

class RouteError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    /** The request parameter at fault (Stripe's `param`, or the body's field). */
    readonly param?: string,
  ) {
    super(message);
  }
}

/**
 * Whether the server takes promotion codes (its `checkout.allowPromotionCodes`): `GET /config`
 * says so, Checkout pages take them, and so do `POST /subscriptions` and its preview.
 */
const ALLOW_PROMOTION_CODES = true;

export interface DemoServer {
  core: SandboxCore;
  /** Sandbox price ids by stable id (`price_tshirt` → `price_…`). */
  prices: Record<string, string>;
  /** Calls the sandbox's REST API as a server does (secret key, form-encoded). */
  stripe(path: string, params?: Record<string, string>, method?: string): Promise<Json>;
  /** Answers a request to one of the Tillkit server's routes. */
  handle(request: Request): Promise<Response>;
  /** The demo user's Stripe customer (created on first use). */
  customer(): Promise<string>;
  /**
   * Saves a card to the demo customer: a test payment method (`pm_card_visa`), or a test card
   * number with the expiry to show (expiry flags). The first saved becomes the default.
   */
  saveCard(
    card: string | { number: string; expMonth: number; expYear: number },
  ): Promise<PaymentMethod>;
  /**
   * A PaymentIntent the server confirmed with a test card (off the page), as a renewal or a
   * redirect leaves behind: `pm_card_visa` succeeds, `pm_card_authenticationRequired` waits for
   * 3D Secure.
   */
  confirmedIntent(testPaymentMethod: string, amount?: number): Promise<Json>;
  /** A PaymentIntent whose confirmation with a declining test card failed (`requires_payment_method`). */
  declinedIntent(testPaymentMethod?: string): Promise<Json>;
  /** Answers the sandbox's 3D Secure challenge for an intent, as the customer would. */
  authenticate(intentId: string, outcome: 'complete' | 'fail'): Promise<Json>;
  /**
   * Subscribes the demo customer to a plan, paid with a saved test card (no browser step);
   * `card: null`: none, so a trial waits for its card (`pendingAction` `save_card`).
   */
  subscribe(
    price: string,
    options?: { card?: string | null; trial?: boolean; cancelAtPeriodEnd?: boolean },
  ): Promise<Json>;
  /** Ends a subscription now (as canceling in the portal does): the customer had the product. */
  endSubscription(id: string): Promise<Json>;
  /**
   * Lets a subscription's next renewal fail as it would with `testPaymentMethod` as its card
   * (`pm_card_authenticationRequired`: 3D Secure needed; `pm_card_chargeCustomerFail`: declined),
   * then moves time past the renewal: the subscription is `past_due` with a pending action.
   */
  failRenewal(subscriptionId: string, testPaymentMethod: string): Promise<void>;
  /**
   * Moves the demo customer's test clock forward (renewals are charged on the way), as the real
   * server's `POST /_sandbox/advance` does.
   */
  advanceDays(days: number): Promise<void>;
}

/** Where a subscription made here keeps the id of its promotion code, as the server's does. */
const PROMOTION_CODE_KEY = 'tillkit_promotion_code';
const ENDED = new Set(['canceled', 'incomplete_expired']);
const ENTITLING = new Set(['active', 'trialing']);
const LIVE = new Set(['active', 'trialing', 'past_due', 'unpaid', 'paused']);

export function createDemoServer(): DemoServer {
  const core = createSandboxCore({ log: () => {} });
  const catalog = seedDemoCatalog(core);
  const prices: Record<string, string> = {};
  const stableIds: Record<string, string> = {};
  for (const price of catalog.prices) {
    if (!price.lookup_key) continue;
    prices[`price_${price.lookup_key}`] = price.id;
    stableIds[price.id] = `price_${price.lookup_key}`;
  }
  const sandboxPrice = (id: string) => prices[id] ?? id;
  const stableId = (id: string) => stableIds[id] ?? id;
  const priceById = (id: string) => catalog.prices.find((price) => price.id === sandboxPrice(id));

  const pricesResponse: PricesResponse = {
    products: catalog.products.map((product) => ({
      id: product.id,
      name: product.name,
      description: product.description ?? null,
      features: (product.marketing_features ?? []).map((feature) => feature.name ?? ''),
      prices: catalog.prices
        .filter((price) => price.product === product.id)
        .map((price) => {
          const entry: CatalogPrice = {
            id: stableId(price.id),
            unitAmount: price.unit_amount ?? 0,
            currency: price.currency,
            type: price.type as CatalogPrice['type'],
          };
          if (price.recurring) {
            entry.interval = price.recurring.interval as NonNullable<CatalogPrice['interval']>;
            entry.intervalCount = price.recurring.interval_count;
            if (price.recurring.trial_period_days) {
              entry.trialPeriodDays = price.recurring.trial_period_days;
            }
          }
          return entry;
        }),
    })),
  };

  async function stripe(
    path: string,
    params: Record<string, string> = {},
    method = 'POST',
    idempotencyKey?: string | null,
  ): Promise<Json> {
    const body = new URLSearchParams(params).toString();
    const query = method === 'GET' || method === 'DELETE' ? body : '';
    const response = await core.fetch(
      new Request(`${SANDBOX_BASE}${path}${query ? `?${query}` : ''}`, {
        method,
        headers: {
          Authorization: `Bearer ${SECRET_KEY}`,
          'Content-Type': 'application/x-www-form-urlencoded',
          ...(idempotencyKey ? { 'Idempotency-Key': `tillkit-storybook:${idempotencyKey}` } : {}),
        },
        ...(query || method === 'GET' || method === 'DELETE' ? {} : { body }),
      }),
    );
    const json = (await response.json()) as Json;
    if (!response.ok) {
      const error = (json.error ?? {}) as { message?: string; param?: string };
      throw new RouteError(
        response.status === 402 ? 402 : 400,
        response.status === 402 ? 'card_declined' : 'stripe_invalid_request',
        error.message ?? 'Stripe refused the request.',
        error.param,
      );
    }
    return json;
  }

  // --- the demo customer, on its own test clock so that stories can move time ----------------
  let customerId: Promise<string> | null = null;
  let clockId: string | null = null;
  const customer = () => {
    customerId ??= (async () => {
      const clock = await stripe('/v1/test_helpers/test_clocks', {
        frozen_time: String(Math.floor(Date.now() / 1000)),
        name: 'Storybook',
      });
      clockId = String(clock.id);
      const created = await stripe('/v1/customers', {
        email: 'demo@tillkit.test',
        name: 'Demo Customer',
        test_clock: clockId,
      });
      return String(created.id);
    })();
    return customerId;
  };

  async function defaultPaymentMethod(id: string): Promise<string | null> {
    const found = await stripe(`/v1/customers/${id}`, {}, 'GET');
    const settings = found.invoice_settings as { default_payment_method?: string | null } | null;
    return settings?.default_payment_method ?? null;
  }

  function toPaymentMethod(method: Json, defaultId: string | null): PaymentMethod {
    const card = (method.card ?? {}) as Json;
    return {
      id: String(method.id),
      brand: String(card.brand ?? 'unknown'),
      last4: String(card.last4 ?? ''),
      expMonth: Number(card.exp_month ?? 0),
      expYear: Number(card.exp_year ?? 0),
      isDefault: method.id === defaultId,
    };
  }

  async function ownPaymentMethod(id: string): Promise<Json> {
    const owner = await customer();
    const method = await stripe(`/v1/payment_methods/${id}`, {}, 'GET').catch(() => null);
    if (!method || method.customer !== owner) {
      throw new RouteError(404, 'not_found', `No such payment method: ${id}`);
    }
    return method;
  }

  // --- subscriptions ------------------------------------------------------------------------
  /**
   * As the server lists it: the latest invoice's payment waiting for the customer (`authenticate`,
   * `new_card`), or else the SetupIntent of a trial (or a subscription a code made free) that has
   * no card yet (`save_card`; the sandbox clears it once confirmed, setting the default card).
   */
  async function pendingActionOf(subscription: Json): Promise<Subscription['pendingAction']> {
    if (ENDED.has(String(subscription.status))) return null;
    const pending = (await invoiceActionOf(subscription)) ?? null;
    if (pending) return pending;
    const setup = subscription.pending_setup_intent as string | Json | null;
    // As the server decides (`waitingSetupIntent`): no default card, and active (a code made it
    // free) or a trial not set to end by its trial's end.
    const cancelAt = subscription.cancel_at as number | null;
    const trialEnd = subscription.trial_end as number | null;
    const waits =
      !subscription.default_payment_method &&
      (subscription.status === 'active' ||
        (subscription.status === 'trialing' &&
          !subscription.cancel_at_period_end &&
          !(cancelAt !== null && trialEnd !== null && cancelAt <= trialEnd)));
    if (!setup || !waits) return null;
    const intent = await stripe(
      `/v1/setup_intents/${typeof setup === 'string' ? setup : String(setup.id)}`,
      {},
      'GET',
    );
    return ['succeeded', 'canceled'].includes(String(intent.status))
      ? null
      : { clientSecret: String(intent.client_secret), type: 'save_card' };
  }

  async function invoiceActionOf(subscription: Json): Promise<Subscription['pendingAction']> {
    const latest = subscription.latest_invoice as string | Json | null;
    if (!latest) return null;
    const invoiceId = typeof latest === 'string' ? latest : String(latest.id);
    const invoice = await stripe(
      `/v1/invoices/${invoiceId}`,
      { 'expand[0]': 'confirmation_secret' },
      'GET',
    );
    const secret = (invoice.confirmation_secret as { client_secret?: string } | null)
      ?.client_secret;
    if (invoice.status !== 'open' || Number(invoice.amount_remaining) <= 0 || !secret) return null;
    const intentId = secret.split('_secret_')[0] as string;
    const intent = await stripe(`/v1/payment_intents/${intentId}`, {}, 'GET');
    const lastError = intent.last_payment_error as { code?: string } | null;
    if (intent.status === 'requires_action') return { clientSecret: secret, type: 'authenticate' };
    if (intent.status === 'requires_payment_method') {
      return {
        clientSecret: secret,
        type: lastError?.code === 'authentication_required' ? 'authenticate' : 'new_card',
      };
    }
    return null;
  }

  async function toSubscription(subscription: Json): Promise<Subscription> {
    const items = (subscription.items as { data: Json[] }).data;
    const item = items[0] as Json;
    const price = item.price as Json;
    const product = catalog.products.find((candidate) => candidate.id === price.product);
    const date = (seconds: unknown) =>
      typeof seconds === 'number' ? new Date(seconds * 1000).toISOString() : null;
    return {
      id: String(subscription.id),
      status: subscription.status as SubscriptionStatus,
      priceId: stableId(String(price.id)),
      productId: String(price.product),
      productName: product?.name ?? '',
      currentPeriodEnd: date(item.current_period_end),
      cancelAtPeriodEnd: Boolean(subscription.cancel_at_period_end),
      cancelAt: date(subscription.cancel_at),
      trialEnd: date(subscription.trial_end),
      pendingAction: await pendingActionOf(subscription),
    };
  }

  async function listSubscriptions(): Promise<Json[]> {
    const list = await stripe(
      '/v1/subscriptions',
      { customer: await customer(), status: 'all', limit: '100' },
      'GET',
    );
    return (list.data as Json[]).filter((subscription) => !ENDED.has(String(subscription.status)));
  }

  async function ownSubscription(id: string): Promise<Json> {
    const found = (await listSubscriptions()).find((subscription) => subscription.id === id);
    if (!found) throw new RouteError(404, 'not_found', `No such subscription: ${id}`);
    return found;
  }

  /** A plan change's parts (as the server's `planChange`): the subscription, its item, the plan. */
  async function planChange(id: string, priceId: unknown) {
    const subscription = await ownSubscription(id);
    const price = priceById(String(priceId));
    if (!price?.recurring) {
      throw new RouteError(400, 'one_time_price_not_allowed', `Price ${priceId} is not a plan.`);
    }
    const item = (subscription.items as { data: Json[] }).data[0] as Json;
    return { subscription, price, item };
  }

  /**
   * The caller's subscription to `price` × `quantity` with promotion code `promotionCode` (its id,
   * '' for none) still waiting for its first step, if any: as the server's `isPlan`, the code is
   * part of what makes a subscription the same (one typed after a decline replaces the unpaid one).
   */
  async function waitingSubscription(
    price: string,
    quantity: number,
    promotionCode: string,
  ): Promise<Json | null> {
    for (const listed of await listSubscriptions()) {
      const item = (listed.items as { data: Json[] }).data[0];
      const itemPrice = (item?.price as Json | undefined)?.id;
      const metadata = (listed.metadata ?? {}) as Record<string, string>;
      if (
        itemPrice !== sandboxPrice(price) ||
        Number(item?.quantity) !== quantity ||
        (metadata[PROMOTION_CODE_KEY] ?? '') !== promotionCode
      ) {
        continue;
      }
      // A trial canceled at its end waits for nothing: it is resumed from the subscriptions.
      if (
        listed.status === 'trialing' ? listed.cancel_at_period_end : listed.status !== 'incomplete'
      ) {
        continue;
      }
      const subscription = await stripe(
        `/v1/subscriptions/${listed.id}`,
        { 'expand[0]': 'latest_invoice.confirmation_secret', 'expand[1]': 'pending_setup_intent' },
        'GET',
      );
      const setup = subscription.pending_setup_intent as Json | null;
      const invoice = subscription.latest_invoice as Json | null;
      const waits =
        subscription.status === 'incomplete'
          ? invoice?.status === 'open' && Number(invoice.amount_remaining) > 0
          : setup !== null && !['succeeded', 'canceled'].includes(String(setup.status));
      if (waits) return subscription;
    }
    return null;
  }

  /**
   * The server's rule, simplified: the products the customer had (a subscription to it, ended or
   * not, that had a trial or got past its first payment; the server also counts plan changes and
   * leaves out unpaid ones canceled). Their trials are not given again, and
   * `GET /trial-eligibility` names them.
   */
  async function productsHad(owner: string): Promise<Set<string>> {
    const all = await stripe('/v1/subscriptions', { customer: owner, status: 'all' }, 'GET');
    return new Set(
      (all.data as Json[])
        .filter(
          (subscription) =>
            subscription.trial_start != null ||
            !['incomplete', 'incomplete_expired'].includes(String(subscription.status)),
        )
        .map((subscription) =>
          String(
            ((subscription.items as { data: Json[] }).data[0]?.price as Json | undefined)?.product,
          ),
        ),
    );
  }

  /** A recurring price of the catalog (as the server's `catalog.subscriptionPrice`). */
  function subscriptionPrice(id: string) {
    const found = priceById(id);
    if (!found?.recurring) {
      throw new RouteError(
        400,
        'one_time_price_not_allowed',
        `Price ${id} is not a plan.`,
        'price',
      );
    }
    return { ...found, recurring: found.recurring };
  }

  // --- promotion codes (as the server's routes/promotion-code-shared.ts) --------------------
  const invalidPromotionCode = (message: string) =>
    new RouteError(400, 'promotion_code_invalid', message, 'promotionCode');

  /**
   * The active promotion code `typed` names, with its coupon (Stripe matches codes regardless of
   * case). Refused as `promotion_code_invalid` when the server takes no codes or none is found;
   * whether it applies to this customer and plan is the sandbox's answer to the call using it.
   */
  async function findPromotionCode(typed: string): Promise<Json> {
    if (!ALLOW_PROMOTION_CODES) {
      throw invalidPromotionCode('This store does not take promotion codes.');
    }
    // Stripe's codes are letters and digits: anything else names none (and is not sent on).
    const found = /^[A-Za-z0-9-]{1,500}$/.test(typed)
      ? await stripe(
          '/v1/promotion_codes',
          { code: typed, active: 'true', limit: '1', 'expand[0]': 'data.promotion.coupon' },
          'GET',
        )
      : { data: [] };
    const code = (found.data as Json[])[0];
    const coupon = (code?.promotion as { coupon?: unknown } | undefined)?.coupon;
    if (!code || typeof coupon !== 'object' || !coupon) {
      throw invalidPromotionCode('This promotion code is not valid. Check it and try again.');
    }
    return code;
  }

  /** The code the body names (trimmed, as the protocol's `promotionCode`), found; null for none. */
  async function bodyPromotionCode(body: Json): Promise<Json | null> {
    const typed = typeof body.promotionCode === 'string' ? body.promotionCode.trim() : '';
    return typed ? findPromotionCode(typed) : null;
  }

  /** What a code takes off (the protocol's `PromotionTerms`). */
  function promotionTerms(code: Json): PromotionTerms {
    const coupon = (code.promotion as { coupon: Json }).coupon;
    return {
      code: String(code.code),
      percentOff: (coupon.percent_off as number | null) ?? null,
      amountOff: (coupon.amount_off as number | null) ?? null,
      duration: coupon.duration as PromotionTerms['duration'],
      durationInMonths: (coupon.duration_in_months as number | null) ?? null,
    };
  }

  /**
   * A sandbox call that passes a code as `discounts`: its refusal of the code (restrictions, a
   * currency) becomes `promotion_code_invalid` with the sandbox's message, as the server's
   * `promotionCall` does.
   */
  async function promotionCall<T>(run: () => Promise<T>): Promise<T> {
    try {
      return await run();
    } catch (error) {
      if (
        error instanceof RouteError &&
        error.code === 'stripe_invalid_request' &&
        error.param?.startsWith('discounts')
      ) {
        throw invalidPromotionCode(error.message);
      }
      throw error;
    }
  }

  async function createSubscription(
    price: string,
    extra: Record<string, string> = {},
    idempotencyKey?: string | null,
  ): Promise<Json> {
    const found = subscriptionPrice(price);
    const owner = await customer();
    const duplicate = (await listSubscriptions()).find(
      (subscription) =>
        LIVE.has(String(subscription.status)) &&
        ((subscription.items as { data: Json[] }).data[0]?.price as Json | undefined)?.product ===
          found.product,
    );
    if (duplicate) {
      throw new RouteError(
        409,
        'already_subscribed',
        `You already have a subscription to this product (${duplicate.id}).`,
      );
    }
    const hadIt = (await productsHad(owner)).has(String(found.product));
    return stripe(
      '/v1/subscriptions',
      {
        customer: owner,
        'items[0][price]': found.id,
        'items[0][quantity]': '1',
        'payment_settings[save_default_payment_method]': 'on_subscription',
        trial_from_plan: hadIt ? 'false' : 'true',
        'expand[0]': 'latest_invoice.confirmation_secret',
        'expand[1]': 'pending_setup_intent',
        'metadata[tillkit]': 'true',
        ...extra,
      },
      'POST',
      idempotencyKey,
    );
  }

  /**
   * As the server does once subscription `id` is made: a retry whose subscription was replaced
   * since is a 409 `stale_request`; otherwise the unpaid ones to its product made before it are
   * canceled (best-effort: one canceled meanwhile is fine).
   */
  async function replaceUnpaid(id: string): Promise<void> {
    const current = await listSubscriptions();
    const index = current.findIndex((subscription) => subscription.id === id);
    if (index === -1) {
      throw new RouteError(
        409,
        'stale_request',
        'The subscription this request made has been replaced since. Send the request again with a new Idempotency-Key.',
      );
    }
    const productOf = (subscription: Json) =>
      ((subscription.items as { data: Json[] }).data[0]?.price as Json | undefined)?.product;
    for (const older of current.slice(index + 1)) {
      if (older.status !== 'incomplete' || productOf(older) !== productOf(current[index] as Json)) {
        continue;
      }
      await stripe(`/v1/subscriptions/${older.id}`, {}, 'DELETE').catch(() => {});
    }
  }

  // --- the routes ---------------------------------------------------------------------------
  function priceCart(items: readonly CartItem[]): { amount: number; currency: string } {
    let amount = 0;
    let currency = '';
    for (const item of items) {
      const price = priceById(item.price);
      if (price?.type !== 'one_time') {
        throw new RouteError(400, 'price_unavailable', `Price ${item.price} is not for sale.`);
      }
      amount += (price.unit_amount ?? 0) * item.quantity;
      currency = price.currency;
    }
    return { amount, currency };
  }

  const intentAnswer = (intent: Json) => ({
    id: intent.id,
    clientSecret: intent.client_secret,
    amount: intent.amount,
    currency: intent.currency,
    status: intent.status,
  });

  type Handler = (context: {
    request: Request;
    params: string[];
    body: Json;
    key: string | null;
  }) => Promise<{ status?: number; body: unknown }>;

  const routes: Array<[string, RegExp, boolean, Handler]> = [
    [
      'GET',
      /^\/config$/,
      false,
      async () => ({
        body: {
          publishableKey: PUBLISHABLE_KEY,
          mode: 'sandbox',
          sandbox: { apiBase: SANDBOX_BASE },
          promotionCodes: ALLOW_PROMOTION_CODES,
          oneSubscriptionPerCustomer: false,
        },
      }),
    ],
    ['GET', /^\/prices$/, false, async () => ({ body: pricesResponse })],
    [
      'POST',
      /^\/payment-intents$/,
      false,
      async ({ body, key, request }) => {
        const { amount, currency } = priceCart(body.items as CartItem[]);
        const signedIn = request.headers.get('authorization') === `Bearer ${DEMO_TOKEN}`;
        if (body.savePaymentMethod && !signedIn) throw guestCannotSave();
        const save = Boolean(body.savePaymentMethod);
        const intent = await stripe(
          '/v1/payment_intents',
          {
            amount: String(amount),
            currency,
            'automatic_payment_methods[enabled]': 'true',
            'metadata[tillkit]': 'true',
            // As the server does: a signed-in caller's customer is attached (a saved card pays
            // only an intent of its own customer).
            ...(signedIn ? { customer: await customer() } : {}),
            ...(save ? { setup_future_usage: 'off_session' } : {}),
            ...(body.receiptEmail ? { receipt_email: String(body.receiptEmail) } : {}),
          },
          'POST',
          key,
        );
        return { status: 201, body: intentAnswer(intent) };
      },
    ],
    [
      'PATCH',
      /^\/payment-intents\/([\w]+)$/,
      false,
      async ({ body, params, request }) => {
        const { amount, currency } = priceCart(body.items as CartItem[]);
        const signedIn = request.headers.get('authorization') === `Bearer ${DEMO_TOKEN}`;
        if (body.savePaymentMethod && !signedIn) throw guestCannotSave();
        const intent = await stripe(`/v1/payment_intents/${params[0]}`, {
          amount: String(amount),
          currency,
          ...(body.receiptEmail ? { receipt_email: String(body.receiptEmail) } : {}),
          // As the server does: "save my card" changed since the intent was made.
          ...(typeof body.savePaymentMethod === 'boolean'
            ? { setup_future_usage: body.savePaymentMethod ? 'off_session' : '' }
            : {}),
        });
        return { body: intentAnswer(intent) };
      },
    ],
    [
      'POST',
      /^\/setup-intents$/,
      true,
      async ({ key }) => {
        const intent = await stripe(
          '/v1/setup_intents',
          {
            customer: await customer(),
            usage: 'off_session',
            'automatic_payment_methods[enabled]': 'true',
            'metadata[tillkit]': 'true',
          },
          'POST',
          key,
        );
        return { status: 201, body: { id: intent.id, clientSecret: intent.client_secret } };
      },
    ],
    [
      'POST',
      /^\/customer-sessions$/,
      true,
      // As the server does: null for a caller without a customer (none is made for them), else a
      // Customer Session whose Payment Element lists the cards saved for checkout (`always`),
      // without remove or save.
      async ({ key }) => {
        if (!customerId) return { body: { clientSecret: null, expiresAt: null } };
        const features = 'components[payment_element][features]';
        const session = await stripe(
          '/v1/customer_sessions',
          {
            customer: await customer(),
            'components[payment_element][enabled]': 'true',
            [`${features}[payment_method_redisplay]`]: 'enabled',
            [`${features}[payment_method_allow_redisplay_filters][0]`]: 'always',
            [`${features}[payment_method_remove]`]: 'disabled',
            [`${features}[payment_method_save]`]: 'disabled',
          },
          'POST',
          key,
        );
        return {
          status: 201,
          body: {
            clientSecret: session.client_secret,
            expiresAt: new Date(Number(session.expires_at) * 1000).toISOString(),
          },
        };
      },
    ],
    [
      'GET',
      /^\/payment-methods$/,
      true,
      async () => {
        const owner = await customer();
        const [defaultId, list] = await Promise.all([
          defaultPaymentMethod(owner),
          stripe(`/v1/customers/${owner}/payment_methods`, { type: 'card', limit: '100' }, 'GET'),
        ]);
        return {
          body: { data: (list.data as Json[]).map((method) => toPaymentMethod(method, defaultId)) },
        };
      },
    ],
    [
      'POST',
      /^\/payment-methods\/([\w]+)\/default$/,
      true,
      async ({ params }) => {
        const method = await ownPaymentMethod(params[0] as string);
        await stripe(`/v1/customers/${await customer()}`, {
          'invoice_settings[default_payment_method]': String(method.id),
        });
        return { body: toPaymentMethod(method, String(method.id)) };
      },
    ],
    [
      'DELETE',
      /^\/payment-methods\/([\w]+)$/,
      true,
      async ({ params }) => {
        const method = await ownPaymentMethod(params[0] as string);
        await stripe(`/v1/payment_methods/${method.id}/detach`);
        return { body: { id: method.id, deleted: true } };
      },
    ],
    [
      'POST',
      /^\/subscriptions$/,
      true,
      async ({ body, key }) => {
        const code = await bodyPromotionCode(body);
        // As the server does: a subscription to this plan (price, quantity and promotion code)
        // still waiting for its first payment (or a trial for its card) is answered again, not
        // made twice.
        const waiting = await waitingSubscription(
          String(body.price),
          Number(body.quantity ?? 1),
          code ? String(code.id) : '',
        );
        const created =
          waiting ??
          (await promotionCall(() =>
            createSubscription(
              String(body.price),
              {
                payment_behavior: 'default_incomplete',
                ...(body.quantity ? { 'items[0][quantity]': String(body.quantity) } : {}),
                // The sandbox checks the code's restrictions for this customer and plan.
                ...(code
                  ? {
                      'discounts[0][promotion_code]': String(code.id),
                      [`metadata[${PROMOTION_CODE_KEY}]`]: String(code.id),
                    }
                  : {}),
              },
              key,
            ),
          ));
        if (!waiting) await replaceUnpaid(String(created.id));
        const invoice = created.latest_invoice as Json | null;
        const setup = created.pending_setup_intent as Json | null;
        const paymentSecret =
          invoice?.status === 'open' && Number(invoice.amount_remaining) > 0
            ? ((invoice.confirmation_secret as { client_secret?: string } | null)?.client_secret ??
              null)
            : null;
        const setupSecret = (setup?.client_secret as string | undefined) ?? null;
        return {
          status: waiting ? 200 : 201,
          body: {
            id: created.id,
            status: created.status,
            clientSecret: paymentSecret ?? setupSecret,
            clientSecretType: paymentSecret ? 'payment' : setupSecret ? 'setup' : null,
          },
        };
      },
    ],
    [
      'POST',
      /^\/subscriptions\/preview$/,
      true,
      async ({ body }) => {
        // As the server does (routes/preview-subscription.ts): the sandbox's preview of the new
        // subscription's first invoice, the code passed as `discounts`; nothing made but the
        // customer. A trial charges nothing today.
        const price = subscriptionPrice(String(body.price));
        const code = await bodyPromotionCode(body);
        const owner = await customer();
        const days = price.recurring.trial_period_days ?? 0;
        const trialDays =
          days && !(await productsHad(owner)).has(String(price.product)) ? days : null;
        const invoice = await promotionCall(() =>
          stripe('/v1/invoices/create_preview', {
            customer: owner,
            'subscription_details[items][0][price]': price.id,
            'subscription_details[items][0][quantity]': String(body.quantity ?? 1),
            ...(code ? { 'discounts[0][promotion_code]': String(code.id) } : {}),
          }),
        );
        const discount = ((invoice.total_discount_amounts ?? []) as Array<{ amount: number }>)
          .map((taken) => taken.amount)
          .reduce((sum, amount) => sum + amount, 0);
        const preview: SubscriptionPreview = {
          currency: String(invoice.currency),
          trialDays,
          subtotal: trialDays ? 0 : Number(invoice.subtotal),
          amountDiscount: trialDays ? 0 : discount,
          amountDue: trialDays ? 0 : Number(invoice.amount_due),
          promotion: code && promotionTerms(code),
        };
        return { body: preview };
      },
    ],
    [
      'GET',
      /^\/subscriptions$/,
      true,
      async () => ({
        body: { data: await Promise.all((await listSubscriptions()).map(toSubscription)) },
      }),
    ],
    [
      'POST',
      /^\/subscriptions\/([\w]+)\/cancel$/,
      true,
      async ({ params, body }) => {
        const subscription = await ownSubscription(params[0] as string);
        const atPeriodEnd = body.atPeriodEnd !== false && subscription.status !== 'incomplete';
        // As the server: one set to end on a date before the period's end is left to end then.
        const item = (subscription.items as { data: Json[] }).data[0] as Json;
        const endsSooner =
          typeof subscription.cancel_at === 'number' &&
          subscription.cancel_at <= Number(item.current_period_end);
        const updated = !atPeriodEnd
          ? await stripe(`/v1/subscriptions/${subscription.id}`, {}, 'DELETE')
          : endsSooner
            ? subscription
            : await stripe(`/v1/subscriptions/${subscription.id}`, {
                cancel_at_period_end: 'true',
              });
        return { body: await toSubscription(updated) };
      },
    ],
    [
      'POST',
      /^\/subscriptions\/([\w]+)\/resume$/,
      true,
      async ({ params }) => {
        const subscription = await ownSubscription(params[0] as string);
        let updated: Json;
        if (subscription.status === 'paused') {
          updated = await stripe(`/v1/subscriptions/${subscription.id}/resume`);
        } else if (subscription.cancel_at_period_end || subscription.cancel_at) {
          // As the server: `cancel_at_period_end=false` leaves a date set with `cancel_at`.
          updated = await stripe(
            `/v1/subscriptions/${subscription.id}`,
            subscription.cancel_at_period_end
              ? { cancel_at_period_end: 'false' }
              : { cancel_at: '' },
          );
        } else {
          throw new RouteError(409, 'invalid_state', 'There is nothing to resume.');
        }
        return { body: await toSubscription(updated) };
      },
    ],
    [
      'POST',
      /^\/subscriptions\/([\w]+)\/change$/,
      true,
      async ({ params, body }) => {
        const { subscription, price, item } = await planChange(params[0] as string, body.price);
        const updated =
          (item.price as Json).id === price.id
            ? subscription
            : await stripe(`/v1/subscriptions/${subscription.id}`, {
                'items[0][id]': String(item.id),
                'items[0][price]': price.id,
                proration_behavior: 'always_invoice',
                // As the server does: the preview's time, so that the charge is what it showed.
                ...(body.prorationDate ? { proration_date: String(body.prorationDate) } : {}),
              });
        return { body: await toSubscription(updated) };
      },
    ],
    [
      'POST',
      /^\/subscriptions\/([\w]+)\/change-preview$/,
      true,
      async ({ params, body }) => {
        // As the server does (routes/preview-subscription-change.ts): the invoice preview of the
        // change's own update.
        const { subscription, price, item } = await planChange(params[0] as string, body.price);
        const quantity = Number(item.quantity ?? 1);
        const invoice = await stripe('/v1/invoices/create_preview', {
          customer: String(subscription.customer),
          subscription: String(subscription.id),
          'subscription_details[items][0][id]': String(item.id),
          'subscription_details[items][0][price]': price.id,
          'subscription_details[items][0][quantity]': String(quantity),
          'subscription_details[proration_behavior]': 'always_invoice',
        });
        type Line = {
          period: { start: number; end: number };
          pricing?: { price_details?: { price?: string } };
          parent?: { subscription_item_details?: { proration?: boolean } };
        };
        const now = invoice.billing_reason === 'subscription_update';
        const cycle = (invoice.lines as { data: Line[] }).data.find(
          (line) =>
            line.pricing?.price_details?.price === price.id &&
            !line.parent?.subscription_item_details?.proration,
        );
        const next =
          (now ? cycle?.period.end : cycle?.period.start) ??
          Number(
            subscription.status === 'trialing' ? subscription.trial_end : item.current_period_end,
          );
        const parent = invoice.parent as {
          subscription_details?: { subscription_proration_date?: number };
        } | null;
        const balance = Number(invoice.starting_balance ?? 0);
        return {
          body: {
            currency: String(invoice.currency),
            amountDue: now ? Number(invoice.amount_due) : 0,
            credit: Math.max(0, -(balance + (now ? Number(invoice.total) : 0))),
            prorationDate:
              parent?.subscription_details?.subscription_proration_date ?? Number(invoice.created),
            nextAmount: Number(price.unit_amount) * quantity,
            nextPaymentDate: new Date(next * 1000).toISOString(),
          },
        };
      },
    ],
    [
      'GET',
      /^\/entitlements$/,
      true,
      async () => {
        const entitling = (await listSubscriptions())
          .filter((subscription) => ENTITLING.has(String(subscription.status)))
          .reverse();
        const rows = entitling.map((subscription) => {
          const item = (subscription.items as { data: Json[] }).data[0] as Json;
          const price = item.price as Json;
          const product = catalog.products.find((candidate) => candidate.id === price.product);
          return {
            id: String(subscription.id),
            status: subscription.status as SubscriptionStatus,
            productId: String(price.product),
            productName: product?.name ?? '',
            priceId: stableId(String(price.id)),
            currentPeriodEnd:
              typeof item.current_period_end === 'number'
                ? new Date(item.current_period_end * 1000).toISOString()
                : null,
          };
        });
        // As the server does: the lookup keys of the customer's Stripe active entitlements (the
        // Entitlements features the seed attaches to the plans), beside an entitling subscription.
        const entitlements = rows.length
          ? await stripe(
              '/v1/entitlements/active_entitlements',
              { customer: await customer(), limit: '100' },
              'GET',
            )
          : { data: [] };
        const features = (entitlements.data as Json[]).map((entry) => String(entry.lookup_key));
        return {
          body: {
            active: rows.length > 0,
            subscriptions: rows,
            features: [...new Set(features)].sort(),
          },
        };
      },
    ],
    [
      'GET',
      /^\/trial-eligibility$/,
      true,
      // As the server does: nothing for a caller without a customer, and none is made for them.
      async () => ({
        body: { usedTrialProducts: customerId ? [...(await productsHad(await customer()))] : [] },
      }),
    ],
    [
      'POST',
      /^\/portal-sessions$/,
      true,
      async ({ body, key }) => {
        // The sandbox's hosted portal: a page at the sandbox's origin, which exists only when the
        // sandbox runs as a server; stories show where the button would go (its `navigate`).
        const session = await stripe(
          '/v1/billing_portal/sessions',
          { customer: await customer(), return_url: String(body.returnUrl) },
          'POST',
          key,
        );
        return { status: 201, body: { url: session.url } };
      },
    ],
    [
      'POST',
      /^\/checkout-sessions$/,
      false,
      async ({ body, key, request }) => {
        const signedIn = request.headers.get('authorization') === `Bearer ${DEMO_TOKEN}`;
        const urls = { success_url: String(body.successUrl), cancel_url: String(body.cancelUrl) };
        let params: Record<string, string>;
        if (body.mode === 'subscription') {
          if (!signedIn) throw new RouteError(401, 'unauthenticated', 'Sign in to subscribe.');
          const price = priceById(String(body.price));
          if (!price?.recurring) {
            throw new RouteError(400, 'one_time_price_not_allowed', `${body.price} is not a plan.`);
          }
          params = {
            mode: 'subscription',
            customer: await customer(),
            'line_items[0][price]': price.id,
            'line_items[0][quantity]': String(body.quantity ?? 1),
            ...(price.recurring.trial_period_days
              ? {
                  'subscription_data[trial_period_days]': String(price.recurring.trial_period_days),
                }
              : {}),
            ...urls,
          };
        } else {
          priceCart(body.items as CartItem[]);
          params = { mode: 'payment', ...urls };
          (body.items as CartItem[]).forEach((item, index) => {
            params[`line_items[${index}][price]`] = sandboxPrice(item.price);
            params[`line_items[${index}][quantity]`] = String(item.quantity);
          });
        }
        // As the server does with `checkout.allowPromotionCodes`: the page has a code field.
        if (ALLOW_PROMOTION_CODES) params.allow_promotion_codes = 'true';
        const session = await stripe('/v1/checkout/sessions', params, 'POST', key);
        return { status: 201, body: { id: session.id, url: session.url } };
      },
    ],
  ];

  async function handle(request: Request): Promise<Response> {
    const url = new URL(request.url);
    const path = url.pathname.slice(new URL(API_BASE).pathname.length);
    for (const [method, pattern, needsUser, route] of routes) {
      const match = pattern.exec(path);
      if (!match || request.method !== method) continue;
      if (needsUser && request.headers.get('authorization') !== `Bearer ${DEMO_TOKEN}`) {
        return errorResponse(401, 'unauthenticated', 'Sign in first.');
      }
      try {
        const text = request.method === 'GET' ? '' : await request.text();
        const answer = await route({
          request,
          params: match.slice(1),
          body: text ? (JSON.parse(text) as Json) : {},
          key: request.headers.get('idempotency-key'),
        });
        return Response.json(answer.body, { status: answer.status ?? 200 });
      } catch (error) {
        if (error instanceof RouteError)
          return errorResponse(error.status, error.code, error.message, error.param);
        return errorResponse(500, 'internal_error', 'Something failed on the server.');
      }
    }
    return errorResponse(404, 'not_found', `No route ${request.method} ${path}`);
  }

  return {
    core,
    prices,
    stripe: (path, params, method) => stripe(path, params, method),
    handle,
    customer,
    async saveCard(card) {
      const owner = await customer();
      const id =
        typeof card === 'string'
          ? card
          : String(
              (
                await stripe('/v1/payment_methods', {
                  type: 'card',
                  'card[number]': card.number.replaceAll(' ', ''),
                  'card[exp_month]': String(card.expMonth),
                  'card[exp_year]': String(card.expYear),
                  'card[cvc]': '123',
                  // Saved at the customer's request, as SaveCardForm marks it: offered at checkout.
                  allow_redisplay: 'always',
                })
              ).id,
            );
      const method = await stripe(`/v1/payment_methods/${id}/attach`, { customer: owner });
      let defaultId = await defaultPaymentMethod(owner);
      if (!defaultId) {
        await stripe(`/v1/customers/${owner}`, {
          'invoice_settings[default_payment_method]': String(method.id),
        });
        defaultId = String(method.id);
      }
      return toPaymentMethod(method, defaultId);
    },
    confirmedIntent(testPaymentMethod, amount = 2900) {
      return stripe('/v1/payment_intents', {
        amount: String(amount),
        currency: 'usd',
        payment_method: testPaymentMethod,
        'allowed_payment_method_types[0]': 'card',
        confirm: 'true',
        return_url: 'https://shop.example/checkout/complete',
      });
    },
    async declinedIntent(testPaymentMethod = 'pm_card_chargeDeclined') {
      const intent = await stripe('/v1/payment_intents', {
        amount: '2500',
        currency: 'usd',
        'allowed_payment_method_types[0]': 'card',
      });
      // The decline is the 402 this confirmation answers; the intent keeps the error.
      await stripe(`/v1/payment_intents/${intent.id}/confirm`, {
        payment_method: testPaymentMethod,
      }).catch(() => null);
      return stripe(`/v1/payment_intents/${intent.id}`, {}, 'GET');
    },
    authenticate(intentId, outcome) {
      return stripe(`/v1/_sandbox/payment_intents/${intentId}/authenticate`, { outcome });
    },
    async subscribe(price, options = {}) {
      const owner = await customer();
      // As `POST /subscriptions` does: the trial's SetupIntent waits for the card.
      if (options.card === null) {
        return createSubscription(price, { payment_behavior: 'default_incomplete' });
      }
      const method = await stripe(`/v1/payment_methods/${options.card ?? 'pm_card_visa'}/attach`, {
        customer: owner,
      });
      await stripe(`/v1/customers/${owner}`, {
        'invoice_settings[default_payment_method]': String(method.id),
      });
      return createSubscription(price, {
        default_payment_method: String(method.id),
        ...(options.trial === false ? { trial_from_plan: 'false' } : {}),
        ...(options.cancelAtPeriodEnd ? { cancel_at_period_end: 'true' } : {}),
      });
    },
    endSubscription(id) {
      return stripe(`/v1/subscriptions/${id}`, {}, 'DELETE');
    },
    async failRenewal(subscriptionId, testPaymentMethod) {
      const method = await stripe(`/v1/payment_methods/${testPaymentMethod}/attach`, {
        customer: await customer(),
      });
      const subscription = await stripe(`/v1/subscriptions/${subscriptionId}`, {
        default_payment_method: String(method.id),
      });
      const item = (subscription.items as { data: Json[] }).data[0] as Json;
      const now = await stripe(`/v1/test_helpers/test_clocks/${clockId}`, {}, 'GET');
      const days = Math.ceil((Number(item.current_period_end) - Number(now.frozen_time)) / 86_400);
      await this.advanceDays(days + 1);
    },
    async advanceDays(days) {
      await customer();
      const clock = await stripe(`/v1/test_helpers/test_clocks/${clockId}`, {}, 'GET');
      await stripe(`/v1/test_helpers/test_clocks/${clockId}/advance`, {
        frozen_time: String(Number(clock.frozen_time) + days * 86_400),
      });
      // Advancing answers at once (`advancing`) and runs after the answer, as on Stripe.
      for (let waited = 0; waited < 10_000; waited += 20) {
        const now = await stripe(`/v1/test_helpers/test_clocks/${clockId}`, {}, 'GET');
        if (now.status === 'ready') return;
        await new Promise((resolve) => setTimeout(resolve, 20));
      }
      throw new Error('the test clock did not finish advancing');
    },
  };
}

let current: DemoServer | null = null;

/** The current story's backend. */
export function demoServer(): DemoServer {
  current ??= createDemoServer();
  return current;
}

/** A fresh sandbox and server for the next story. */
/**
 * A story loader: the demo customer in Pro's trial with no card for its renewals yet (its
 * SetupIntent unconfirmed, `pendingAction` `save_card`).
 */
export async function trialWaitingForCard(): Promise<Record<string, never>> {
  await demoServer().subscribe('price_pro_monthly', { card: null });
  return {};
}

export function resetDemoServer(): DemoServer {
  current = createDemoServer();
  return current;
}
