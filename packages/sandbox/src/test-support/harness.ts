/**
 * The set-up the resource tests share: a `startTestSandbox()` sandbox that signs its webhooks for a
 * local receiver, what came to the receiver read back as verified events, and small helpers.
 */
import Stripe from 'stripe';
import { afterAll, beforeAll, expect } from 'vitest';
import type { StartSandboxOptions } from '../node/start-sandbox.js';
import { assertConforms } from './conformance.js';
import { startTestSandbox, type TestSandbox } from './test-sandbox.js';
import { startWebhookReceiver, type WebhookReceiver } from './webhook-receiver.js';

/** The signing secret of the receiver's webhook endpoint. */
const WEBHOOK_SECRET = 'whsec_sandbox_test_secret';

export interface SandboxWithWebhooksOptions extends Omit<StartSandboxOptions, 'webhooks'> {
  /**
   * Fields through which an event is also about an object: with `['payment_intent']`, the events
   * about a payment intent include those about its charges.
   */
  linkedBy?: readonly string[];
}

export interface SandboxWithWebhooks {
  /** The sandbox; started in `beforeAll`, so only inside tests and hooks. */
  readonly sandbox: TestSandbox;
  /** `sandbox.stripe`: stripe-node with the secret key. */
  readonly stripe: Stripe;
  readonly receiver: WebhookReceiver;
  /**
   * Waits for the webhooks, checks every delivery (signature with stripe-node's `constructEvent`,
   * body with `checkWebhookBody`, each event delivered once) and returns the events about the
   * given objects (every event when no id is given), in the order the sandbox created them.
   */
  verifiedEvents(...objectIds: string[]): Promise<Stripe.Event[]>;
  /** The types of `verifiedEvents(...objectIds)`. */
  eventTypes(...objectIds: string[]): Promise<string[]>;
}

/**
 * Registers `beforeAll`/`afterAll` hooks that start a test sandbox with a webhook receiver and
 * close both, and returns their handle.
 */
export function setUpSandboxWithWebhooks(
  options: SandboxWithWebhooksOptions = {},
): SandboxWithWebhooks {
  const { linkedBy = [], ...sandboxOptions } = options;
  let sandbox: TestSandbox | undefined;
  let receiver: WebhookReceiver | undefined;

  beforeAll(async () => {
    receiver = await startWebhookReceiver();
    sandbox = await startTestSandbox({
      ...sandboxOptions,
      webhooks: [{ url: receiver.url, secret: WEBHOOK_SECRET }],
    });
  });

  afterAll(async () => {
    try {
      await sandbox?.close();
    } finally {
      await receiver?.close();
    }
  });

  function started(): { sandbox: TestSandbox; receiver: WebhookReceiver } {
    if (!sandbox || !receiver) {
      throw new Error('The test sandbox starts in beforeAll: use it in tests and hooks only.');
    }
    return { sandbox, receiver };
  }

  function isAbout(event: Stripe.Event, objectIds: string[]): boolean {
    const object = event.data.object as unknown as Record<string, unknown>;
    return ['id', ...linkedBy].some((field) => {
      const value = object[field];
      return typeof value === 'string' && objectIds.includes(value);
    });
  }

  async function verifiedEvents(...objectIds: string[]): Promise<Stripe.Event[]> {
    const { sandbox, receiver } = started();
    await sandbox.waitForWebhooks();
    const events = receiver.deliveries.map((delivery) => {
      const event = sandbox.stripe.webhooks.constructEvent(
        delivery.body,
        delivery.signature,
        WEBHOOK_SECRET,
      );
      sandbox.checkWebhookBody(delivery.body);
      return event;
    });
    expect(new Set(events.map((event) => event.id)).size).toBe(events.length);
    const order = sandbox.core.store
      .collection('events')
      .values()
      .map((event) => event.id);
    return events
      .filter((event) => objectIds.length === 0 || isAbout(event, objectIds))
      .sort((a, b) => order.indexOf(a.id) - order.indexOf(b.id));
  }

  return {
    get sandbox() {
      return started().sandbox;
    },
    get stripe() {
      return started().sandbox.stripe;
    },
    get receiver() {
      return started().receiver;
    },
    verifiedEvents,
    async eventTypes(...objectIds) {
      return (await verifiedEvents(...objectIds)).map((event) => event.type);
    },
  };
}

/** The Stripe error a call fails with; throws if it succeeds or fails with anything else. */
export async function caught(promise: Promise<unknown>): Promise<Stripe.errors.StripeError> {
  try {
    await promise;
  } catch (error) {
    if (error instanceof Stripe.errors.StripeError) return error;
    throw error;
  }
  throw new Error('expected the call to fail');
}

/** Checks what stripe-node returned, as raw JSON, against stripe-node's own types; returns it. */
export function conforms<T>(value: T): T {
  assertConforms(JSON.parse(JSON.stringify(value)));
  return value;
}

/** A card payment method from its number, expiring in two years, as a customer would type it. */
export function createCardPaymentMethod(
  stripe: Stripe,
  number: string,
  cvc = '123',
): Promise<Stripe.PaymentMethod> {
  return stripe.paymentMethods.create({
    type: 'card',
    card: { number, exp_month: 12, exp_year: new Date().getUTCFullYear() + 2, cvc },
  });
}
