/**
 * 3D Secure in the sandbox: the `next_action` an intent gets when its card asks for
 * authentication, the challenge page its `redirect_to_url.url` points to ("Complete
 * authentication" / "Fail authentication", as Stripe's test page), and the redirect back to
 * `return_url` afterwards. A card the issuer authenticates without a challenge (frictionless)
 * gets no page to click through: the page, and Stripe.js, finish at once.
 * @see https://docs.stripe.com/payments/3d-secure
 */
import type Stripe from 'stripe';
import { formatAmount } from '../core/currencies.js';
import { invalidRequest, resourceMissing } from '../core/errors.js';
import { bool, oneOf, params, str } from '../core/params.js';
import type { RequestContext, Route } from '../core/route.js';
import type { SandboxCore } from '../core/sandbox.js';
import { cardBehaviour } from '../resources/payment-methods.js';
import { idOf } from '../resources/payments-shared.js';
import { escapeHtml, page } from './html.js';

type Intent = Stripe.PaymentIntent | Stripe.SetupIntent;

/** The challenge page's URL for an intent. */
export function challengeUrl(
  origin: string,
  intent: { id: string; client_secret: string | null },
): string {
  return `${origin}/v1/_sandbox/3ds/${intent.id}?client_secret=${encodeURIComponent(intent.client_secret ?? '')}`;
}

/**
 * The `next_action` for an intent that needs 3D Secure: `redirect_to_url` when a `return_url` was
 * given and `use_stripe_sdk` was not asked for, else `use_stripe_sdk` (Stripe.js handles it).
 */
export function threeDSecureNextAction(
  origin: string,
  intent: { id: string; client_secret: string | null },
  options: { returnUrl?: string | null | undefined; useStripeSdk?: boolean | undefined },
): Stripe.PaymentIntent.NextAction {
  const url = challengeUrl(origin, intent);
  if (options.returnUrl && !options.useStripeSdk) {
    return { type: 'redirect_to_url', redirect_to_url: { url, return_url: options.returnUrl } };
  }
  return {
    type: 'use_stripe_sdk',
    use_stripe_sdk: {
      type: 'three_d_secure_redirect',
      stripe_js: url,
      source: `src_${intent.id.split('_')[1] ?? ''}`,
    },
  };
}

/**
 * The URL a customer returns to after authentication, with the parameters Stripe adds:
 * `payment_intent`, `payment_intent_client_secret` and `redirect_status` (or the
 * `setup_intent…` ones).
 */
export function returnUrlWithResult(returnUrl: string, intent: Intent): string {
  const url = new URL(returnUrl);
  const kind = intent.object === 'payment_intent' ? 'payment_intent' : 'setup_intent';
  url.searchParams.set(kind, intent.id);
  url.searchParams.set(`${kind}_client_secret`, intent.client_secret ?? '');
  const failed = intent.status === 'requires_payment_method' || intent.status === 'canceled';
  url.searchParams.set('redirect_status', failed ? 'failed' : 'succeeded');
  return url.toString();
}

/** Stripe's message when the cardholder fails 3D Secure. */
export const AUTHENTICATION_FAILED =
  'We are unable to authenticate your payment method. Please choose a different payment method and try again.';

/** Parameters of the sandbox-only `…/:id/authenticate` routes. */
export const authenticateSchema = params({
  client_secret: str().optional(),
  outcome: oneOf(['complete', 'fail']).optional(),
  redirect: bool().optional(),
});

export type AuthenticationOutcome = 'complete' | 'fail';

/**
 * The answer an authentication gets: the cardholder's `outcome` from the challenge or, without
 * one, the issuer's alone (3D Secure 2's authentication request, which Stripe.js sends before it
 * shows any challenge): `complete` for a card the issuer authenticates without a challenge,
 * `undefined` (the cardholder still has to answer) for any other.
 */
export function authenticationOutcome(
  sandbox: SandboxCore,
  intent: Intent,
  outcome: AuthenticationOutcome | undefined,
): AuthenticationOutcome | undefined {
  if (outcome) return outcome;
  const paymentMethod = idOf(intent.payment_method);
  const frictionless = paymentMethod && cardBehaviour(sandbox, paymentMethod)?.card.frictionless;
  return frictionless ? 'complete' : undefined;
}

/**
 * What the challenge page's form gets back once the answer is recorded: a 303 to the
 * `return_url` given at confirmation (with Stripe's parameters), or, without one, a page saying
 * the window can be closed. Returns null when the caller did not ask for a redirect (the JSON
 * intent is the answer then).
 */
export function authenticationAnswer(
  ctx: RequestContext,
  intent: Intent,
  redirect: boolean | undefined,
  outcome: { done: string; notDone: string },
): Response | null {
  if (!redirect) return null;
  if (intent.status === 'requires_action') {
    // No answer yet (the issuer wants a challenge): the challenge page asks the cardholder.
    return new Response(null, {
      status: 303,
      headers: { Location: challengeUrl(ctx.origin, intent) },
    });
  }
  const returnTo = ctx.sandbox.store.getInternal<string | null>(`return_url:${intent.id}`);
  if (returnTo) {
    return new Response(null, {
      status: 303,
      headers: { Location: returnUrlWithResult(returnTo, intent) },
    });
  }
  const failed = intent.status === 'requires_payment_method';
  return page(
    '3D Secure',
    `<h1>${failed ? 'Authentication failed' : 'Authentication complete'}</h1>
<p>${failed ? outcome.notDone : outcome.done} The authentication is complete: you can close this window.</p>`,
  );
}

/** Checks that the caller holds a secret key, or the intent's client secret. */
export function assertIntentAccess(
  ctx: RequestContext,
  intent: Intent,
  clientSecret: string | undefined,
): void {
  if (ctx.keyType === 'secret') return;
  if (!clientSecret || clientSecret !== intent.client_secret) {
    const resource = intent.object === 'payment_intent' ? 'payment_intent' : 'setup_intent';
    throw resourceMissing(resource, intent.id, 'intent');
  }
}

function findIntent(ctx: RequestContext, id: string): Intent {
  const collection = id.startsWith('seti_') ? 'setup_intents' : 'payment_intents';
  const intent = ctx.sandbox.store.collection<Intent & { id: string }>(collection).get(id);
  if (!intent)
    throw resourceMissing(id.startsWith('seti_') ? 'setup_intent' : 'payment_intent', id);
  return intent;
}

function describeIntent(intent: Intent): string {
  if (intent.object === 'payment_intent') {
    return `A payment of ${escapeHtml(formatAmount(intent.amount, intent.currency))}`;
  }
  return 'Saving a card for later payments';
}

function challengePage(ctx: RequestContext): Response | Promise<Response> {
  const input = ctx.parse(params({ client_secret: str() }));
  const intent = findIntent(ctx, ctx.path.id as string);
  if (input.client_secret !== intent.client_secret) {
    throw invalidRequest('The client_secret does not match this intent.', 'client_secret');
  }
  const resource = intent.object === 'payment_intent' ? 'payment_intents' : 'setup_intents';
  const action = `/v1/_sandbox/${resource}/${encodeURIComponent(intent.id)}/authenticate`;
  if (intent.status !== 'requires_action') {
    return page(
      '3D Secure',
      `<h1>3D Secure</h1><p>This authentication is no longer pending (the intent is <code>${escapeHtml(intent.status)}</code>).</p>`,
      409,
    );
  }
  if (authenticationOutcome(ctx.sandbox, intent, undefined)) {
    // Frictionless: the issuer authenticates with nothing to show, and the page goes straight on
    // (to `return_url`), as Stripe's does. It sends its own form, with no outcome: the issuer's.
    return ctx.sandbox.fetch(
      new Request(new URL(action, ctx.url), {
        method: 'POST',
        headers: { 'Content-Type': 'application/x-www-form-urlencoded' },
        body: new URLSearchParams({ client_secret: input.client_secret, redirect: 'true' }),
      }),
    );
  }
  const hidden = `<input type="hidden" name="client_secret" value="${escapeHtml(intent.client_secret ?? '')}"><input type="hidden" name="redirect" value="true">`;
  return page(
    '3D Secure',
    `<h1>3D Secure authentication</h1>
<p>${describeIntent(intent)} needs the cardholder to authenticate. Choose what the bank would answer.</p>
<form method="post" action="${action}">
${hidden}
<button class="primary" type="submit" name="outcome" value="complete">Complete authentication</button>
<button type="submit" name="outcome" value="fail">Fail authentication</button>
</form>`,
  );
}

/** The challenge page (GET `/v1/_sandbox/3ds/:id?client_secret=…`). */
export const threeDSecureRoutes: Route[] = [
  {
    method: 'GET',
    path: '/v1/_sandbox/3ds/:id',
    auth: 'none',
    chaos: false,
    handler: challengePage,
  },
];
