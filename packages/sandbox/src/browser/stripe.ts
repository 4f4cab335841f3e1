/**
 * The sandbox's `Stripe(publishableKey)` object: what @stripe/react-stripe-js and the Tillkit kit
 * call, with Stripe.js's argument checks and result shapes. Every other Stripe.js method exists
 * and throws a clear "not supported by the sandbox" error.
 * @see https://docs.stripe.com/js
 */
import { createApi, type SandboxApi } from './api.js';
import { type FrameMode, SandboxElement } from './element.js';
import { deferredIntentMismatch, type ElementsOptions, SandboxElements } from './elements.js';
import {
  clientError,
  IntegrationError,
  notSupported,
  type StripeJsError,
  toStripeJsError,
} from './errors.js';
import {
  assertClientSecret,
  confirmIntent,
  handleNextAction,
  type Intent,
  type IntentKind,
  type IntentResult,
  retrieveIntent,
  returnUrlWithResult,
} from './intents.js';
import type { ApiError, ValidationError } from './protocol.js';

/** The Stripe.js release train the sandbox stands for (what @stripe/stripe-js 10 expects). */
export const STRIPE_JS_VERSION = 'endive';

export interface SandboxStripeOptions {
  /** Where the sandbox API answers, e.g. `http://127.0.0.1:12111` or (MSW) `http://sandbox.test`. */
  apiBase: string;
  /** @default 'isolated' */
  frames?: FrameMode;
  /** Stripe.js's own options; `locale` is used, the others accepted and ignored. */
  locale?: string;
  stripeAccount?: string;
  apiVersion?: string;
  betas?: string[];
}

/** Stripe.js methods the sandbox does not model (they throw a clear error). */
export const UNSUPPORTED_METHODS = [
  'collectBankAccountForPayment',
  'collectBankAccountForSetup',
  'collectBankAccountToken',
  'collectFinancialConnectionsAccounts',
  'confirmAcssDebitPayment',
  'confirmAcssDebitSetup',
  'confirmAffirmPayment',
  'confirmAfterpayClearpayPayment',
  'confirmAlipayPayment',
  'confirmAmazonPaySetup',
  'confirmAuBecsDebitPayment',
  'confirmAuBecsDebitSetup',
  'confirmBacsDebitSetup',
  'confirmBancontactPayment',
  'confirmBancontactSetup',
  'confirmBilliePayment',
  'confirmBlikPayment',
  'confirmBlikSetup',
  'confirmBoletoPayment',
  'confirmCashappPayment',
  'confirmCashappSetup',
  'confirmCustomerBalancePayment',
  'confirmEpsPayment',
  'confirmFpxPayment',
  'confirmGiropayPayment',
  'confirmGrabPayPayment',
  'confirmIdealPayment',
  'confirmIdealSetup',
  'confirmKlarnaPayment',
  'confirmKonbiniPayment',
  'confirmMobilepayPayment',
  'confirmMultibancoPayment',
  'confirmOxxoPayment',
  'confirmPayByBankPayment',
  'confirmPayNowPayment',
  'confirmPayPalPayment',
  'confirmPayPalSetup',
  'confirmPixPayment',
  'confirmPromptPayPayment',
  'confirmSepaDebitPayment',
  'confirmSepaDebitSetup',
  'confirmSofortPayment',
  'confirmSofortSetup',
  'confirmTwintPayment',
  'confirmUsBankAccountPayment',
  'confirmUsBankAccountSetup',
  'confirmWechatPayPayment',
  'createConfirmationToken',
  'createEmbeddedCheckoutPage',
  'createEphemeralKeyNonce',
  'createRadarSession',
  'initCheckoutElementsSdk',
  'initCheckoutFormSdk',
  'initializePricing',
  'paymentRequest',
  'processOrder',
  'retrieveOrder',
  'verifyIdentity',
  'verifyMicrodepositsForPayment',
  'verifyMicrodepositsForSetup',
] as const;

export type UnsupportedMethod = (typeof UNSUPPORTED_METHODS)[number];

type Params = Record<string, unknown>;

interface ConfirmOptions {
  elements?: unknown;
  clientSecret?: string;
  confirmParams?: Params;
  redirect?: 'always' | 'if_required';
}

type PaymentMethodResult =
  | { paymentMethod: Record<string, unknown>; error?: undefined }
  | { error: StripeJsError | ValidationError; paymentMethod?: undefined };

function checkKey(publishableKey: unknown): string {
  if (typeof publishableKey !== 'string' || !publishableKey) {
    throw new IntegrationError(
      'Please call Stripe() with your publishable key. You used an empty string.',
    );
  }
  if (/^pk_live_/.test(publishableKey)) {
    throw new IntegrationError(
      'The Tillkit Stripe sandbox refuses live mode keys (pk_live_…): it is offline and never talks to Stripe. Use a test key (pk_test_…).',
    );
  }
  if (/^(sk|rk)_/.test(publishableKey)) {
    throw new IntegrationError(
      'You should not use your secret key with Stripe.js.\nPlease pass a publishable key instead.',
    );
  }
  if (!/^pk_test_\w+/.test(publishableKey)) {
    throw new IntegrationError(
      `Invalid value for Stripe(): apiKey should be a test publishable key (pk_test_…). You specified: ${publishableKey}.`,
    );
  }
  return publishableKey;
}

function asObject(value: unknown): Params {
  return value && typeof value === 'object' ? (value as Params) : {};
}

/** The Address Element's value as `billing_details` / `shipping`. */
function addressParams(value: Params): Params {
  const address = asObject(value.address);
  return {
    name: value.name || undefined,
    address: {
      line1: address.line1 || undefined,
      line2: address.line2 || undefined,
      city: address.city || undefined,
      state: address.state || undefined,
      postal_code: address.postal_code || undefined,
      country: address.country || undefined,
    },
  };
}

function mergeBillingDetails(...sources: Params[]): Params {
  const merged: Params = {};
  for (const source of sources) {
    for (const [key, value] of Object.entries(source)) {
      if (value === undefined) continue;
      merged[key] = key === 'address' ? { ...asObject(merged.address), ...asObject(value) } : value;
    }
  }
  return merged;
}

export class SandboxStripe {
  readonly #api: SandboxApi;
  readonly #frames: FrameMode;
  readonly #locale: string | undefined;
  readonly #groups = new WeakSet<SandboxElements>();

  constructor(publishableKey: string, options: SandboxStripeOptions) {
    const key = checkKey(publishableKey);
    if (!options?.apiBase) throw new IntegrationError('The sandbox Stripe.js needs an apiBase.');
    this.#api = createApi(options.apiBase, key);
    this.#frames = options.frames ?? 'isolated';
    this.#locale = options.locale;
    for (const name of UNSUPPORTED_METHODS) {
      Object.defineProperty(this, name, {
        value: () => notSupported(name),
        enumerable: false,
      });
    }
  }

  elements(options: ElementsOptions = {}): SandboxElements {
    const group = new SandboxElements(this.#api, this.#frames, {
      ...(this.#locale ? { locale: this.#locale } : {}),
      ...options,
    });
    this.#groups.add(group);
    return group;
  }

  confirmPayment(options: ConfirmOptions): Promise<IntentResult> {
    return this.#confirm('payment', 'confirmPayment', options);
  }

  confirmSetup(options: ConfirmOptions): Promise<IntentResult> {
    return this.#confirm('setup', 'confirmSetup', options);
  }

  confirmCardPayment(
    clientSecret: string,
    data: Params = {},
    options: { handleActions?: boolean } = {},
  ): Promise<IntentResult> {
    return this.#confirmCard('payment', 'confirmCardPayment', clientSecret, data, options);
  }

  confirmCardSetup(
    clientSecret: string,
    data: Params = {},
    options: { handleActions?: boolean } = {},
  ): Promise<IntentResult> {
    return this.#confirmCard('setup', 'confirmCardSetup', clientSecret, data, options);
  }

  handleNextAction(options: { clientSecret: string }): Promise<IntentResult> {
    return handleNextAction(
      this.#api,
      asObject(options).clientSecret as string,
      this.#resolvedLocale(),
    );
  }

  handleCardAction(clientSecret: string): Promise<IntentResult> {
    return handleNextAction(this.#api, clientSecret, this.#resolvedLocale(), 'payment');
  }

  retrievePaymentIntent(clientSecret: string): Promise<IntentResult> {
    return retrieveIntent(
      this.#api,
      'payment',
      assertClientSecret('stripe.retrievePaymentIntent', clientSecret, 'payment'),
      this.#resolvedLocale(),
    );
  }

  retrieveSetupIntent(clientSecret: string): Promise<IntentResult> {
    return retrieveIntent(
      this.#api,
      'setup',
      assertClientSecret('stripe.retrieveSetupIntent', clientSecret, 'setup'),
      this.#resolvedLocale(),
    );
  }

  /**
   * `createPaymentMethod({ elements, params })` (after `elements.submit()`),
   * `createPaymentMethod({ type: 'card', card: element, billing_details })` or the older
   * `createPaymentMethod('card', element, data)`.
   */
  async createPaymentMethod(
    first: unknown,
    second?: unknown,
    third?: unknown,
  ): Promise<PaymentMethodResult> {
    let element: unknown;
    let data: Params;
    let billingDetails: Params;
    if (typeof first === 'string') {
      if (first !== 'card')
        notSupported('createPaymentMethod', `the "${first}" type is not modeled (cards only).`);
      element = second;
      data = asObject(third);
      billingDetails = asObject(data.billing_details);
    } else if (asObject(first).elements !== undefined) {
      const elements = this.#group('stripe.createPaymentMethod', asObject(first).elements);
      if (!elements.submitted) {
        return {
          error: clientError(
            'elements.submit() must be called before stripe.createPaymentMethod(). Call elements.submit() as soon as your customer presses pay, prior to any asynchronous work.',
          ),
        };
      }
      element = elements.cardElement();
      data = asObject(asObject(first).params);
      const address = await elements.address();
      billingDetails = mergeBillingDetails(
        address?.mode === 'billing' ? addressParams(address.value) : {},
        asObject(data.billing_details),
      );
    } else {
      data = asObject(first);
      if (data.type !== 'card') {
        notSupported(
          'createPaymentMethod',
          `the "${String(data.type)}" type is not modeled (cards only).`,
        );
      }
      element = data.card;
      billingDetails = asObject(data.billing_details);
    }
    if (!(element instanceof SandboxElement)) {
      throw new IntegrationError(
        'stripe.createPaymentMethod(): expected a mounted Payment Element or Card Element created by this Stripe object.',
      );
    }
    const result = (await element.request({
      action: 'create-payment-method',
      billingDetails,
      metadata: data.metadata as Record<string, string> | undefined,
      allowRedisplay: data.allow_redisplay as string | undefined,
    })) as { paymentMethod?: Record<string, unknown>; error?: ApiError };
    if (result.error) return { error: toStripeJsError(result.error, element.locale) };
    return { paymentMethod: result.paymentMethod as Record<string, unknown> };
  }

  createToken(..._args: unknown[]): never {
    return notSupported(
      'createToken',
      'tokens are a legacy API the sandbox does not model; use createPaymentMethod() or the Payment Element.',
    );
  }

  createSource(..._args: unknown[]): never {
    return notSupported('createSource', 'sources are a legacy API the sandbox does not model.');
  }

  retrieveSource(..._args: unknown[]): never {
    return notSupported('retrieveSource', 'sources are a legacy API the sandbox does not model.');
  }

  /** Called by @stripe/stripe-js and react-stripe-js; nothing to record offline. */
  registerAppInfo(_info: unknown): void {}

  _registerWrapper(_wrapper: unknown): void {}

  // --- internals ---------------------------------------------------------------------------------

  /** `Stripe(key, { locale })`, `'auto'` (or none) read as the browser's language. */
  #resolvedLocale(): string {
    const locale = this.#locale;
    return !locale || locale === 'auto' ? navigator.language || 'en' : locale;
  }

  #group(method: string, elements: unknown): SandboxElements {
    if (!(elements instanceof SandboxElements) || !this.#groups.has(elements)) {
      throw new IntegrationError(
        `Invalid value for ${method}: elements should be an Elements group created by this Stripe object (stripe.elements()).`,
      );
    }
    return elements;
  }

  async #confirm(kind: IntentKind, method: string, options: ConfirmOptions): Promise<IntentResult> {
    if (!options || typeof options !== 'object') {
      throw new IntegrationError(
        `stripe.${method}(): expected an object with \`elements\` or \`clientSecret\`.`,
      );
    }
    const redirect = options.redirect ?? 'always';
    if (redirect !== 'always' && redirect !== 'if_required') {
      throw new IntegrationError(
        `Invalid value for stripe.${method}(): redirect should be one of the following strings: always, if_required. You specified: ${String(redirect)}.`,
      );
    }
    const confirmParams = asObject(options.confirmParams);
    const returnUrl = confirmParams.return_url as string | undefined;
    if (redirect === 'always' && !returnUrl) {
      throw new IntegrationError(
        `stripe.${method}(): the \`confirmParams.return_url\` argument is required unless passing \`redirect: 'if_required'\`.`,
      );
    }
    const elements =
      options.elements === undefined ? null : this.#group(`stripe.${method}()`, options.elements);
    // The group's language, else the Stripe object's, words the result's errors and the dialog.
    const locale = elements?.locale ?? this.#resolvedLocale();
    let clientSecret: string;
    if (!elements || elements.deferred) {
      if (!options.clientSecret) {
        throw new IntegrationError(
          elements
            ? `stripe.${method}(): the \`clientSecret\` argument is required when the Elements group was created with a \`mode\` (deferred intent).`
            : `stripe.${method}(): pass \`elements\`, or a \`clientSecret\` with \`confirmParams.payment_method\`.`,
        );
      }
      clientSecret = assertClientSecret(`stripe.${method}()`, options.clientSecret, kind);
    } else {
      if (options.clientSecret) {
        throw new IntegrationError(
          `stripe.${method}(): do not pass \`clientSecret\` when the Elements group was created with one.`,
        );
      }
      clientSecret = assertClientSecret(`stripe.${method}()`, elements.clientSecret, kind);
    }

    if (elements?.deferred) {
      const mode = elements.options.mode;
      // A subscription-mode group confirms a payment, or a setup when a trial leaves nothing due.
      const allowed =
        kind === 'setup' ? mode === 'setup' || mode === 'subscription' : mode !== 'setup';
      if (!allowed) {
        return {
          error: clientError(
            `stripe.${method}(): the Elements group was created with mode "${String(mode)}"; use stripe.${mode === 'setup' ? 'confirmSetup' : 'confirmPayment'}().`,
          ),
        };
      }
      if (!elements.submitted) {
        return {
          error: clientError(
            `elements.submit() must be called before stripe.${method}(). Call elements.submit() as soon as your customer presses pay, prior to any asynchronous work. Integration guide: https://docs.stripe.com/payments/accept-a-payment-deferred`,
          ),
        };
      }
      if (kind === 'payment') {
        // Stripe refuses to confirm, with this group, an intent made otherwise than the group
        // says; the sandbox reads the intent first, so that a refused one is left untouched.
        const read = await retrieveIntent(this.#api, 'payment', clientSecret, locale);
        if (read.error) return read;
        const mismatch = deferredIntentMismatch(
          elements.options,
          read.paymentIntent as Intent,
          confirmParams,
        );
        if (mismatch) return { error: { ...clientError(mismatch.message), param: mismatch.param } };
      }
    }

    const params: Params = { return_url: returnUrl };
    if (kind === 'payment') {
      params.expected_payment_method_type = 'card';
      for (const name of ['receipt_email', 'shipping', 'setup_future_usage'] as const) {
        if (confirmParams[name] !== undefined) params[name] = confirmParams[name];
      }
    }
    if (typeof confirmParams.payment_method === 'string') {
      params.payment_method = confirmParams.payment_method;
    } else {
      if (!elements) {
        throw new IntegrationError(
          `stripe.${method}(): pass \`elements\`, or a \`confirmParams.payment_method\` id with the clientSecret.`,
        );
      }
      if (!elements.deferred) {
        const checked = await elements.submit();
        if (checked.error) return { error: checked.error };
      }
      const element = elements.cardElement();
      if (!element) {
        throw new IntegrationError(
          `stripe.${method}(): the Elements group has no Payment Element to take the card from.`,
        );
      }
      const address = await elements.address();
      if (address?.mode === 'shipping' && kind === 'payment' && params.shipping === undefined) {
        params.shipping = addressParams(address.value);
      }
      const paymentMethodData = asObject(confirmParams.payment_method_data);
      // A card the Payment Element saves (a SetupIntent, or a payment with setup_future_usage)
      // is `limited` unless the page says otherwise, as Stripe sets it without a save checkbox:
      // it may be charged again, but not shown to the customer as a saved card.
      // @see https://support.stripe.com/questions/prefilling-saved-cards-in-checkout
      const saves =
        elements.savesCard(kind) || Boolean(kind === 'payment' && params.setup_future_usage);
      const allowRedisplay =
        (paymentMethodData.allow_redisplay as string | undefined) ??
        (saves ? 'limited' : undefined);
      // With a saved card chosen (Customer Session), the frame answers with that card.
      const created = (await element.request({
        action: 'create-payment-method',
        billingDetails: mergeBillingDetails(
          address?.mode === 'billing' ? addressParams(address.value) : {},
          asObject(paymentMethodData.billing_details),
        ),
        allowRedisplay,
      })) as { paymentMethod?: { id: string }; error?: ApiError };
      if (created.error) return { error: toStripeJsError(created.error, locale) };
      params.payment_method = created.paymentMethod?.id;
    }

    const result = await confirmIntent(this.#api, kind, clientSecret, params, {
      handleActions: true,
      locale,
    });
    if (result.error || redirect !== 'always' || !returnUrl) return result;
    const intent = (result.paymentIntent ?? result.setupIntent) as Intent;
    window.location.assign(returnUrlWithResult(returnUrl, kind, intent));
    // As with Stripe.js, the promise does not settle: the page is going away.
    return new Promise<IntentResult>(() => {});
  }

  async #confirmCard(
    kind: IntentKind,
    method: string,
    clientSecret: string,
    data: Params,
    options: { handleActions?: boolean },
  ): Promise<IntentResult> {
    const secret = assertClientSecret(`stripe.${method}()`, clientSecret, kind);
    let locale = this.#resolvedLocale();
    const params: Params = {};
    const source = asObject(data);
    if (source.return_url !== undefined) params.return_url = source.return_url;
    if (kind === 'payment') {
      for (const name of ['receipt_email', 'shipping', 'setup_future_usage'] as const) {
        if (source[name] !== undefined) params[name] = source[name];
      }
    }
    const paymentMethod = source.payment_method;
    if (typeof paymentMethod === 'string') {
      params.payment_method = paymentMethod;
    } else if (paymentMethod && typeof paymentMethod === 'object') {
      const { card, billing_details: billingDetails } = paymentMethod as Params;
      if (!(card instanceof SandboxElement)) {
        notSupported(
          method,
          'only a Card Element or Payment Element (or a payment method id) can be used as `payment_method`.',
        );
      }
      // The element's group speaks for the customer (as its fields do).
      locale = card.locale === 'auto' ? locale : card.locale;
      const created = (await card.request({
        action: 'create-payment-method',
        billingDetails: asObject(billingDetails),
      })) as { paymentMethod?: { id: string }; error?: ApiError };
      if (created.error) return { error: toStripeJsError(created.error, locale) };
      params.payment_method = created.paymentMethod?.id;
    }
    return confirmIntent(this.#api, kind, secret, params, {
      handleActions: options.handleActions !== false,
      locale,
    });
  }
}

export type SandboxStripeObject = SandboxStripe &
  Record<UnsupportedMethod, (...args: unknown[]) => never>;

/** Creates the sandbox's Stripe object (what `Stripe(key)` returns). */
export function createSandboxStripe(
  publishableKey: string,
  options: SandboxStripeOptions,
): SandboxStripeObject {
  return new SandboxStripe(publishableKey, options) as SandboxStripeObject;
}
