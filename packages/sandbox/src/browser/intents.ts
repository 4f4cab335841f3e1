/**
 * Confirming, authenticating and retrieving intents with a client secret, as Stripe.js does:
 * confirmation asks for `use_stripe_sdk` so that 3D Secure happens in the dialog over the page,
 * results are `{ paymentIntent }` / `{ setupIntent }` or `{ error }`.
 */
import type { SandboxApi } from './api.js';
import { clientError, IntegrationError, type StripeJsError, toStripeJsError } from './errors.js';
import { openThreeDSecureDialog } from './three-d-secure-dialog.js';

export type IntentKind = 'payment' | 'setup';

export type Intent = Record<string, unknown> & {
  id: string;
  object: string;
  status: string;
  client_secret?: string | null;
  next_action?: { type: string } | null;
};

export type IntentResult =
  | { paymentIntent: Intent; setupIntent?: undefined; error?: undefined }
  | { setupIntent: Intent; paymentIntent?: undefined; error?: undefined }
  | { error: StripeJsError; paymentIntent?: undefined; setupIntent?: undefined };

const RESOURCES: Record<IntentKind, string> = {
  payment: 'payment_intents',
  setup: 'setup_intents',
};

export function kindOfSecret(clientSecret: unknown): IntentKind | null {
  if (typeof clientSecret !== 'string' || !clientSecret.includes('_secret_')) return null;
  if (clientSecret.startsWith('pi_')) return 'payment';
  if (clientSecret.startsWith('seti_')) return 'setup';
  return null;
}

export function intentIdOf(clientSecret: string): string {
  return clientSecret.split('_secret_')[0] ?? clientSecret;
}

/** Throws Stripe.js's IntegrationError for a missing or wrong kind of client secret. */
export function assertClientSecret(
  method: string,
  clientSecret: unknown,
  kind: IntentKind,
): string {
  const found = kindOfSecret(clientSecret);
  const expected = kind === 'payment' ? 'PaymentIntent' : 'SetupIntent';
  if (!found) {
    throw new IntegrationError(
      `Invalid value for ${method}: clientSecret should be a client secret of the form \${id}_secret_\${secret}. You specified: ${String(clientSecret)}.`,
    );
  }
  if (found !== kind) {
    const other = found === 'payment' ? 'confirmPayment' : 'confirmSetup';
    throw new IntegrationError(
      `${method}: expected a ${expected} client secret, but got a ${found === 'payment' ? 'PaymentIntent' : 'SetupIntent'}'s. Use stripe.${other}() for it.`,
    );
  }
  return clientSecret as string;
}

function success(kind: IntentKind, intent: Intent): IntentResult {
  return kind === 'payment' ? { paymentIntent: intent } : { setupIntent: intent };
}

/** An intent back at `requires_payment_method` with an error (failed 3D Secure) is an error. */
export function settle(kind: IntentKind, intent: Intent, locale: string): IntentResult {
  const lastError = (kind === 'payment' ? intent.last_payment_error : intent.last_setup_error) as
    | Record<string, unknown>
    | null
    | undefined;
  if (intent.status === 'requires_payment_method' && lastError) {
    return {
      error: {
        ...toStripeJsError(lastError as StripeJsError, locale),
        [kind === 'payment' ? 'payment_intent' : 'setup_intent']: intent,
      },
    };
  }
  return success(kind, intent);
}

export async function retrieveIntent(
  api: SandboxApi,
  kind: IntentKind,
  clientSecret: string,
  locale: string,
): Promise<IntentResult> {
  const result = await api.get<Intent>(`/v1/${RESOURCES[kind]}/${intentIdOf(clientSecret)}`, {
    client_secret: clientSecret,
  });
  if (!result.ok) return { error: toStripeJsError(result.error, locale) };
  return success(kind, result.body);
}

/**
 * 3D Secure as Stripe.js runs it: the issuer is asked first (3D Secure 2's authentication
 * request), and authenticates a frictionless card there and then, with nothing shown; for any
 * other card the dialog opens and the cardholder's answer goes to the sandbox.
 */
export async function authenticate(
  api: SandboxApi,
  kind: IntentKind,
  intent: Intent,
  locale: string,
): Promise<IntentResult> {
  const path = `/v1/_sandbox/${RESOURCES[kind]}/${encodeURIComponent(intent.id)}/authenticate`;
  const issuer = await api.post<Intent>(path, { client_secret: intent.client_secret });
  if (!issuer.ok) return { error: toStripeJsError(issuer.error, locale) };
  if (!needsAction(issuer.body)) return settle(kind, issuer.body, locale);
  const outcome = await openThreeDSecureDialog(intent, locale);
  const result = await api.post<Intent>(path, { client_secret: intent.client_secret, outcome });
  if (!result.ok) return { error: toStripeJsError(result.error, locale) };
  return settle(kind, result.body, locale);
}

export function needsAction(intent: Intent): boolean {
  return intent.status === 'requires_action' && Boolean(intent.next_action);
}

export async function confirmIntent(
  api: SandboxApi,
  kind: IntentKind,
  clientSecret: string,
  params: Record<string, unknown>,
  options: { handleActions: boolean; locale: string },
): Promise<IntentResult> {
  const result = await api.post<Intent>(
    `/v1/${RESOURCES[kind]}/${intentIdOf(clientSecret)}/confirm`,
    { ...params, client_secret: clientSecret, use_stripe_sdk: true },
  );
  if (!result.ok) return { error: toStripeJsError(result.error, options.locale) };
  const intent = result.body;
  if (options.handleActions && needsAction(intent)) {
    return authenticate(api, kind, intent, options.locale);
  }
  return settle(kind, intent, options.locale);
}

/** `handleNextAction` / `handleCardAction`: the action an intent confirmed elsewhere waits for. */
export async function handleNextAction(
  api: SandboxApi,
  clientSecret: string,
  locale: string,
  only?: IntentKind,
): Promise<IntentResult> {
  const kind = kindOfSecret(clientSecret);
  if (!kind || (only && kind !== only)) {
    throw new IntegrationError(
      `Invalid value for handleNextAction: clientSecret should be a PaymentIntent or SetupIntent client secret. You specified: ${String(clientSecret)}.`,
    );
  }
  const retrieved = await retrieveIntent(api, kind, clientSecret, locale);
  if (retrieved.error) return retrieved;
  const intent = (kind === 'payment' ? retrieved.paymentIntent : retrieved.setupIntent) as Intent;
  if (!needsAction(intent)) {
    return {
      error: clientError(
        `handleNextAction: the ${kind === 'payment' ? 'PaymentIntent' : 'SetupIntent'} has a status of ${intent.status} and no next action to handle.`,
        `${kind}_intent_unexpected_state`,
      ),
    };
  }
  return authenticate(api, kind, intent, locale);
}

/**
 * The URL Stripe.js sends the customer to after a confirmation with `redirect: 'always'`, with
 * `payment_intent`, `payment_intent_client_secret` and `redirect_status` (or `setup_intent…`).
 */
export function returnUrlWithResult(returnUrl: string, kind: IntentKind, intent: Intent): string {
  const url = new URL(returnUrl, window.location.href);
  const prefix = kind === 'payment' ? 'payment_intent' : 'setup_intent';
  url.searchParams.set(prefix, intent.id);
  url.searchParams.set(`${prefix}_client_secret`, String(intent.client_secret ?? ''));
  const failed = intent.status === 'requires_payment_method' || intent.status === 'canceled';
  url.searchParams.set('redirect_status', failed ? 'failed' : 'succeeded');
  return url.toString();
}
