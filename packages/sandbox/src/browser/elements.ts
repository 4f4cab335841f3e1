/**
 * `stripe.elements(options)`: the group that creates the elements and knows the intent (its
 * `clientSecret`) or, for deferred intents, the `mode`, `amount` and `currency`.
 * `submit()` validates every field and answers `{ error }` as Stripe.js does.
 */
import type { SandboxApi } from './api.js';
import { type FrameMode, SandboxElement } from './element.js';
import { IntegrationError, type StripeJsError, toStripeJsError } from './errors.js';
import { kindOfSecret, retrieveIntent } from './intents.js';
import type { ApiError, Appearance, ElementKind, ValidationError } from './protocol.js';

export interface ElementsOptions {
  clientSecret?: string;
  /**
   * A Customer Session's `client_secret`: the Payment Element lists the customer's saved cards
   * when the session enables `payment_element` with `payment_method_redisplay: 'enabled'`. A new
   * one given to `elements.update()` lists them again (Stripe expires a session after 30 minutes).
   */
  customerSessionClientSecret?: string;
  mode?: 'payment' | 'subscription' | 'setup';
  amount?: number;
  currency?: string;
  setupFutureUsage?: 'on_session' | 'off_session' | null;
  captureMethod?: 'automatic' | 'automatic_async' | 'manual';
  paymentMethodTypes?: string[];
  allowedPaymentMethodTypes?: string[];
  paymentMethodCreation?: 'manual';
  appearance?: Appearance;
  locale?: string;
  loader?: 'auto' | 'always' | 'never';
  fonts?: unknown[];
  [key: string]: unknown;
}

const KINDS: readonly ElementKind[] = ['payment', 'card', 'address'];

/** Options `elements.update()` may change (never the client secret, as on Stripe). */
const UPDATABLE = [
  'customerSessionClientSecret',
  'appearance',
  'locale',
  'loader',
  'fonts',
  'mode',
  'amount',
  'currency',
  'setupFutureUsage',
  'captureMethod',
  'paymentMethodTypes',
  'allowedPaymentMethodTypes',
  'paymentMethodCreation',
] as const;

/**
 * Stripe.js takes these options in either spelling (@stripe/stripe-js types both); the group
 * keeps the camelCase one.
 */
const SNAKE_CASE = {
  setup_future_usage: 'setupFutureUsage',
  capture_method: 'captureMethod',
} as const;

function camelCased(options: Partial<ElementsOptions>): Partial<ElementsOptions> {
  const result: Record<string, unknown> = { ...options };
  for (const [snake, camel] of Object.entries(SNAKE_CASE)) {
    if (!(snake in result)) continue;
    if (!(camel in result)) result[camel] = result[snake];
    delete result[snake];
  }
  return result as Partial<ElementsOptions>;
}

/**
 * Why Stripe refuses to confirm `intent` (a PaymentIntent) with a deferred group, or null: the
 * intent must be made with the group's `currency` and, in `payment` mode, its `setupFutureUsage`
 * and `captureMethod` (its amount may differ). Stripe answers the confirmation with an
 * `invalid_request_error` ("The provided setup_future_usage … does not match the expected
 * setup_future_usage …", as integrations quote it) and leaves the intent as it was. A
 * subscription's first invoice may carry `setup_future_usage: off_session` (its card is saved for
 * the renewals), so in `subscription` mode only the currency is compared.
 * @see https://docs.stripe.com/payments/accept-a-payment-deferred
 */
export function deferredIntentMismatch(
  options: Readonly<ElementsOptions>,
  intent: Record<string, unknown>,
  confirmParams: Record<string, unknown> = {},
): { param: string; message: string } | null {
  const mismatch = (param: string, option: string, provided: unknown, expected: unknown) => ({
    param,
    message: `The provided ${param} (${String(provided)}) does not match the expected ${param} (${String(expected)}): the Elements group has ${option}: ${JSON.stringify(provided)}, the PaymentIntent has ${param}: ${JSON.stringify(expected ?? null)}. Create the PaymentIntent with the same ${param} as the Elements group, or change the group with elements.update().`,
  });
  if (typeof options.currency === 'string' && options.mode !== 'setup') {
    const currency = options.currency.toLowerCase();
    if (currency !== String(intent.currency).toLowerCase()) {
      return mismatch('currency', 'currency', currency, intent.currency);
    }
  }
  if (options.mode !== 'payment') return null;
  const usage = options.setupFutureUsage ?? null;
  // A confirmation that sets setup_future_usage itself sets the intent's.
  const intentUsage =
    confirmParams.setup_future_usage !== undefined
      ? confirmParams.setup_future_usage || null
      : (intent.setup_future_usage ?? null);
  if (usage !== intentUsage) {
    return mismatch('setup_future_usage', 'setupFutureUsage', usage, intentUsage);
  }
  // `automatic` and `automatic_async` both capture at once (the API's default is the latter).
  const capture = options.captureMethod ?? 'automatic';
  if ((capture === 'manual') !== (intent.capture_method === 'manual')) {
    return mismatch('capture_method', 'captureMethod', capture, intent.capture_method);
  }
  return null;
}

/** A Customer Session's client secret, as `stripe.elements()` and `elements.update()` take it. */
function checkCustomerSession(value: unknown, method: 'elements' | 'elements.update'): void {
  if (value === undefined) return;
  if (typeof value !== 'string' || !value.startsWith('cuss_')) {
    throw new IntegrationError(
      `Invalid value for ${method}(): customerSessionClientSecret should be a Customer Session client secret (cuss_…), the \`client_secret\` of a CustomerSession created on your server. You specified: ${String(value)}.`,
    );
  }
}

function checkDeferred(options: ElementsOptions): void {
  if (options.mode === undefined) return;
  if (!['payment', 'subscription', 'setup'].includes(options.mode)) {
    throw new IntegrationError(
      `Invalid value for elements(): mode should be one of the following strings: payment, subscription, setup. You specified: ${String(options.mode)}.`,
    );
  }
  if (options.mode !== 'setup' && typeof options.currency !== 'string') {
    throw new IntegrationError(
      `Missing value for elements(): currency is required when mode is ${options.mode}.`,
    );
  }
  if (
    options.mode === 'payment' &&
    (typeof options.amount !== 'number' || !Number.isInteger(options.amount) || options.amount < 0)
  ) {
    throw new IntegrationError(
      'Missing value for elements(): amount should be a non-negative integer when mode is payment.',
    );
  }
  for (const types of [options.paymentMethodTypes, options.allowedPaymentMethodTypes]) {
    const other = types?.find((type) => type !== 'card');
    if (other) {
      throw new IntegrationError(
        `The Tillkit Stripe sandbox supports card payments only, so "${other}" cannot be used. Use ['card'].`,
      );
    }
  }
}

export class SandboxElements {
  readonly #api: SandboxApi;
  readonly #frames: FrameMode;
  #options: ElementsOptions;
  readonly #elements = new Map<ElementKind, SandboxElement>();
  #loaded: Promise<ApiError | null> | null = null;
  #intent: Record<string, unknown> | null = null;
  #submittedAt = 0;

  constructor(api: SandboxApi, frames: FrameMode, given: ElementsOptions) {
    const options = camelCased(given) as ElementsOptions;
    if (options.clientSecret !== undefined && options.mode !== undefined) {
      throw new IntegrationError(
        'elements(): do not pass both `clientSecret` and `mode`. Pass a clientSecret for an existing intent, or a mode (with amount and currency) to create the intent later.',
      );
    }
    if (options.clientSecret !== undefined && !kindOfSecret(options.clientSecret)) {
      throw new IntegrationError(
        `Invalid value for elements(): clientSecret should be a client secret of the form \${id}_secret_\${secret}. You specified: ${String(options.clientSecret)}.`,
      );
    }
    checkCustomerSession(options.customerSessionClientSecret, 'elements');
    checkDeferred(options);
    this.#api = api;
    this.#frames = frames;
    this.#options = { ...options };
  }

  /** `mode` given: the intent is created after the customer submits (deferred intent). */
  get deferred(): boolean {
    return this.#options.mode !== undefined;
  }

  get options(): Readonly<ElementsOptions> {
    return this.#options;
  }

  get clientSecret(): string | undefined {
    return this.#options.clientSecret;
  }

  /** `submit()` succeeded since the fields last changed. */
  get submitted(): boolean {
    return this.#submittedAt > 0;
  }

  get locale(): string {
    const locale = this.#options.locale;
    return !locale || locale === 'auto' ? navigator.language || 'en' : locale;
  }

  create(kind: string, options: Record<string, unknown> = {}): SandboxElement {
    if (!KINDS.includes(kind as ElementKind)) {
      throw new IntegrationError(
        `elements.create('${kind}') is not supported by the Tillkit Stripe sandbox: it draws the 'payment', 'card' and 'address' elements only.`,
      );
    }
    const elementKind = kind as ElementKind;
    if (this.#elements.has(elementKind)) {
      throw new IntegrationError(`Can only create one Element of type ${kind}.`);
    }
    if (elementKind === 'payment' && !this.#options.clientSecret && !this.deferred) {
      throw new IntegrationError(
        'In order to create a payment element, you must pass a valid PaymentIntent or SetupIntent client secret when creating the Elements group.\n\n  e.g. stripe.elements({clientSecret: "{{CLIENT_SECRET}}"})\n\nOr pass a mode (with amount and currency) for a deferred intent.',
      );
    }
    if (elementKind === 'address' && !['billing', 'shipping'].includes(String(options.mode))) {
      throw new IntegrationError(
        "Invalid value for create('address'): mode should be one of the following strings: billing, shipping.",
      );
    }
    const element = new SandboxElement(elementKind, options, {
      apiBase: this.#api.apiBase,
      publishableKey: this.#api.publishableKey,
      frames: this.#frames,
      appearance: () => this.#options.appearance,
      locale: () => this.#options.locale ?? 'auto',
      customerSessionClientSecret: () => this.#options.customerSessionClientSecret,
      clientSecret: () => this.#options.clientSecret,
      load: (loadedKind) => (loadedKind === 'payment' ? this.#load() : Promise.resolve(null)),
      changed: () => {
        this.#submittedAt = 0;
      },
      destroyed: (destroyed) => {
        if (this.#elements.get(elementKind) === destroyed) this.#elements.delete(elementKind);
      },
    });
    this.#elements.set(elementKind, element);
    return element;
  }

  getElement(kind: string): SandboxElement | null {
    return this.#elements.get(kind as ElementKind) ?? null;
  }

  /**
   * Changes the group's options. A new `customerSessionClientSecret` (not the same one again)
   * makes a mounted Payment Element list the saved cards again; an element mounted later starts
   * with it.
   */
  update(given: Partial<ElementsOptions>): void {
    const options = camelCased(given);
    checkCustomerSession(options.customerSessionClientSecret, 'elements.update');
    const next: ElementsOptions = { ...this.#options };
    for (const key of UPDATABLE) {
      if (key in options) (next as Record<string, unknown>)[key] = options[key];
    }
    // Left out (or `undefined`), the session stays: a group does not drop its saved cards.
    next.customerSessionClientSecret ??= this.#options.customerSessionClientSecret;
    if (this.deferred) checkDeferred(next);
    const sessionChanged =
      next.customerSessionClientSecret !== this.#options.customerSessionClientSecret;
    this.#options = next;
    if ('appearance' in options || 'locale' in options) {
      for (const element of this.#elements.values()) element.restyle();
    }
    // The same secret again changes nothing (Stripe.js ignores unchanged options).
    if (sessionChanged) this.#elements.get('payment')?.customerSessionChanged();
  }

  /** Reloads the intent (after the server changed its amount, say). */
  async fetchUpdates(): Promise<{ error?: { message: string; status?: string } }> {
    if (!this.#options.clientSecret) return {};
    this.#loaded = null;
    const error = await this.#load();
    return error ? { error: { message: error.message ?? 'Could not load the intent.' } } : {};
  }

  /** Validates every element; `{ selectedPaymentMethod: 'card' }` when all is well. */
  async submit(): Promise<
    | { error: StripeJsError | ValidationError; selectedPaymentMethod?: undefined }
    | {
        selectedPaymentMethod: string;
        error?: undefined;
      }
  > {
    const mounted = [...this.#elements.values()].filter((element) => element.mounted);
    if (!mounted.length) {
      throw new IntegrationError(
        'elements.submit(): no mounted Payment Element or Address Element was found in this Elements group.',
      );
    }
    let firstError: ValidationError | null = null;
    for (const element of mounted) {
      const result = (await element.request({ action: 'validate' })) as {
        error?: ValidationError;
      };
      if (result.error && !firstError) firstError = result.error;
    }
    if (firstError) {
      this.#submittedAt = 0;
      return { error: firstError };
    }
    this.#submittedAt = Date.now();
    return { selectedPaymentMethod: 'card' };
  }

  /**
   * Whether a card confirmed with this group is saved for later: a SetupIntent (or a `setup`
   * group), or a payment with `setup_future_usage` on the group or the intent it loaded.
   */
  savesCard(kind: 'payment' | 'setup'): boolean {
    if (kind === 'setup' || this.#options.mode === 'setup') return true;
    return Boolean(this.#options.setupFutureUsage || this.#intent?.setup_future_usage);
  }

  /** The element that holds the card: the Payment Element, else a Card Element. */
  cardElement(): SandboxElement | null {
    return this.#elements.get('payment') ?? this.#elements.get('card') ?? null;
  }

  /** The Address Element's value, for billing details or shipping. */
  async address(): Promise<{ mode: string; value: Record<string, unknown> } | null> {
    const element = this.#elements.get('address');
    if (!element?.mounted) return null;
    const result = (await element.request({ action: 'get-value' })) as {
      value: Record<string, unknown>;
    };
    return { mode: String(element.options.mode ?? 'billing'), value: result.value };
  }

  #load(): Promise<ApiError | null> {
    const secret = this.#options.clientSecret;
    if (!secret) return Promise.resolve(null);
    this.#loaded ??= retrieveIntent(
      this.#api,
      kindOfSecret(secret) ?? 'payment',
      secret,
      this.locale,
    ).then((result) => {
      if (result.error) return toStripeJsError(result.error, this.locale);
      this.#intent = (result.paymentIntent ?? result.setupIntent) as Record<string, unknown>;
      return null;
    });
    return this.#loaded;
  }
}
