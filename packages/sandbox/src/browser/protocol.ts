/**
 * What the host page's Stripe.js and an element's frame say to each other, over a
 * `MessageChannel` handed to the frame once it has loaded. Card data never crosses it: the frame
 * sends it to the sandbox API itself and answers with the payment method only.
 */

/** The elements the sandbox draws. */
export type ElementKind = 'payment' | 'card' | 'address';

/** The Appearance API subset the sandbox applies. */
export interface Appearance {
  theme?: 'stripe' | 'night' | 'flat' | undefined;
  variables?: Record<string, string | undefined> | undefined;
  /** Accepted and ignored (Stripe's per-selector rules). */
  rules?: Record<string, Record<string, string>> | undefined;
  labels?: 'above' | 'floating' | undefined;
}

export interface FrameInit {
  kind: ElementKind;
  /** The options given to `elements.create()` (and later `element.update()`). */
  options: Record<string, unknown>;
  appearance: Appearance | undefined;
  locale: string;
  apiBase: string;
  publishableKey: string;
  /**
   * The Elements group's `customerSessionClientSecret`: the Payment Element lists the session
   * customer's saved cards (`GET /v1/elements/sessions`) above a "new card" choice.
   */
  customerSessionClientSecret?: string | undefined;
  /** The Elements group's intent client secret, when it was made with one. */
  clientSecret?: string | undefined;
}

/** `type: 'validation_error'`, as Stripe.js reports a field's problem. */
export interface ValidationError {
  type: 'validation_error';
  code: string;
  message: string;
  param?: string;
  [key: string]: unknown;
}

/** An error body from the API (`{ error: … }`), or Stripe.js's own. */
export interface ApiError {
  type: string;
  message?: string;
  code?: string;
  decline_code?: string;
  param?: string;
  doc_url?: string;
  charge?: string;
  payment_intent?: unknown;
  setup_intent?: unknown;
  payment_method?: unknown;
  [key: string]: unknown;
}

export type FrameRequest =
  | { action: 'validate' }
  | {
      action: 'create-payment-method';
      billingDetails?: Record<string, unknown> | undefined;
      metadata?: Record<string, string> | undefined;
      allowRedisplay?: string | undefined;
    }
  | { action: 'get-value' };

export type HostMessage =
  | { type: 'update'; options: Record<string, unknown> }
  | { type: 'appearance'; appearance: Appearance | undefined; locale: string }
  /** `elements.update({ customerSessionClientSecret })` with a new secret: list its cards. */
  | { type: 'customer-session'; secret: string }
  | { type: 'focus' }
  | { type: 'blur' }
  | { type: 'clear' }
  | { type: 'collapse' }
  | { type: 'request'; id: number; request: FrameRequest };

export type FrameMessage =
  | { type: 'ready'; height: number }
  | { type: 'resize'; height: number }
  | { type: 'change'; event: Record<string, unknown> }
  | { type: 'focus' }
  | { type: 'blur' }
  | { type: 'escape' }
  | { type: 'response'; id: number; result: unknown };

/** The first message a frame loaded from the sandbox's origin gets (the channel's port with it). */
export const INIT_MESSAGE = 'tillkit-sandbox:init';
