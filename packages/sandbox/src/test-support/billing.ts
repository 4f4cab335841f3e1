/** Helpers the billing suites share: events since a mark, demo and new prices, default cards. */
import type Stripe from 'stripe';
import { expect } from 'vitest';
import type { DemoCatalog } from '../seed.js';
import type { SandboxWithWebhooks } from './harness.js';

export function billingTestHelpers(harness: SandboxWithWebhooks, catalog: () => DemoCatalog) {
  /** How many events exist now: pass it to `eventsSince` later. */
  function eventMark(): number {
    return harness.sandbox.core.store.collection('events').size;
  }

  /**
   * The events recorded since `mark`, in order; the harness checked every delivery (stripe-node's
   * `constructEvent`, the conformance schema) and each of these must have been delivered.
   */
  async function eventsSince(mark: number): Promise<Stripe.Event[]> {
    const recorded = harness.sandbox.core.store
      .collection<Stripe.Event>('events')
      .values()
      .slice(mark)
      .map((event) => event.id);
    const delivered = new Map((await harness.verifiedEvents()).map((event) => [event.id, event]));
    return recorded.map((id) => {
      const event = delivered.get(id);
      expect(event, `event ${id} was delivered`).toBeDefined();
      return event as Stripe.Event;
    });
  }

  /** The types of the events since `mark`; the test clock's own events are left out unless asked. */
  async function typesSince(
    mark: number,
    options: { clockEvents?: boolean } = {},
  ): Promise<string[]> {
    return (await eventsSince(mark))
      .map((event) => event.type)
      .filter((type) => options.clockEvents || !type.startsWith('test_helpers.'));
  }

  function price(lookupKey: string): Stripe.Price {
    const found = catalog().prices.find((candidate) => candidate.lookup_key === lookupKey);
    if (!found) throw new Error(`no demo price ${lookupKey}`);
    return found;
  }

  /** Attaches a fresh test card to the customer and makes it the default. */
  async function setDefaultCard(customerId: string, testPaymentMethod: string): Promise<string> {
    const card = await harness.stripe.paymentMethods.attach(testPaymentMethod, {
      customer: customerId,
    });
    await harness.stripe.customers.update(customerId, {
      invoice_settings: { default_payment_method: card.id },
    });
    return card.id;
  }

  /** A new monthly price of its own product (`name`), for tests that need their own amounts. */
  function monthlyPrice(unitAmount: number, currency = 'usd', name = 'Basic') {
    return harness.stripe.prices.create({
      currency,
      unit_amount: unitAmount,
      recurring: { interval: 'month' },
      product_data: { name },
    });
  }

  return { eventMark, eventsSince, typesSince, price, setDefaultCard, monthlyPrice };
}
