import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import {
  assertConforms,
  conformanceStats,
  DELETED_OBJECT_DEFINITIONS,
  OBJECT_DEFINITIONS,
  resetConformanceStats,
} from './conformance.js';

interface Schema {
  'x-object-types': Record<string, string>;
  definitions: Record<
    string,
    { additionalProperties?: unknown; required?: string[]; properties?: Record<string, unknown> }
  >;
}

const schema = JSON.parse(
  readFileSync(new URL('../../schema/stripe-objects.schema.json', import.meta.url), 'utf8'),
) as Schema;

/** A PaymentIntent as the API returns it right after creation: every required field, nothing else. */
function paymentIntent(): Record<string, unknown> {
  return {
    id: 'pi_3QxTestPaymentIntent0001',
    object: 'payment_intent',
    allowed_payment_method_types: null,
    amount: 2000,
    amount_capturable: 0,
    amount_received: 0,
    application: null,
    application_fee_amount: null,
    automatic_payment_methods: { enabled: true, allow_redirects: 'always' },
    canceled_at: null,
    cancellation_reason: null,
    capture_method: 'automatic_async',
    client_secret: 'pi_3QxTestPaymentIntent0001_secret_abc',
    confirmation_method: 'automatic',
    created: 1735689600,
    currency: 'usd',
    customer: null,
    customer_account: null,
    description: null,
    excluded_payment_method_types: null,
    last_payment_error: null,
    latest_charge: null,
    livemode: false,
    managed_payments: null,
    metadata: {},
    next_action: null,
    on_behalf_of: null,
    payment_method: null,
    payment_method_configuration_details: null,
    payment_method_options: null,
    payment_method_types: ['card'],
    payment_record: null,
    processing: null,
    receipt_email: null,
    review: null,
    setup_future_usage: null,
    shipping: null,
    source: null,
    statement_descriptor: null,
    statement_descriptor_suffix: null,
    status: 'requires_payment_method',
    transfer_group: null,
  };
}

function customer(): Record<string, unknown> {
  return {
    id: 'cus_TestCustomer0001',
    object: 'customer',
    balance: 0,
    created: 1735689600,
    default_source: null,
    description: null,
    email: 'jenny@example.com',
    invoice_settings: {
      custom_fields: null,
      default_payment_method: null,
      footer: null,
      rendering_options: null,
    },
    livemode: false,
    metadata: { plan: 'pro' },
    shipping: null,
  };
}

/** Runs `fn`, expects it to throw, returns the message. */
function failureOf(fn: () => void): string {
  try {
    fn();
  } catch (error) {
    return (error as Error).message;
  }
  throw new Error('expected a conformance failure, but the value conformed');
}

describe('generated schema', () => {
  it('describes PaymentIntent as stripe-node 23 declares it', () => {
    const pi = schema.definitions.PaymentIntent;
    expect(pi?.additionalProperties).toBe(false);
    expect(pi?.required).toEqual(
      expect.arrayContaining(['id', 'object', 'amount', 'currency', 'status', 'latest_charge']),
    );
    // Optional in the type (`amount_details?:`), so not required.
    expect(pi?.properties).toHaveProperty('amount_details');
    expect(pi?.required).not.toContain('amount_details');
  });

  it('maps Decimal to a string and Metadata to a string map', () => {
    expect(schema.definitions.Decimal).toEqual({ type: 'string' });
    expect(schema.definitions.Metadata).toEqual({
      type: 'object',
      additionalProperties: { type: 'string' },
    });
  });

  it('has a definition for every entry of the lookup tables, matching the schema map', () => {
    const table: Record<string, string> = { ...OBJECT_DEFINITIONS };
    for (const [objectType, definition] of Object.entries(DELETED_OBJECT_DEFINITIONS)) {
      table[`deleted:${objectType}`] = definition;
    }
    expect(table).toEqual(schema['x-object-types']);
    for (const definition of Object.values(table)) {
      expect(schema.definitions).toHaveProperty([definition]);
    }
  });
});

describe('assertConforms', () => {
  it('accepts a complete PaymentIntent', () => {
    expect(() => assertConforms(paymentIntent())).not.toThrow();
  });

  it('rejects a property stripe-node does not declare, naming it', () => {
    const message = failureOf(() => assertConforms({ ...paymentIntent(), foo: 'bar' }));
    expect(message).toContain('payment_intent pi_3QxTestPaymentIntent0001');
    expect(message).toContain('PaymentIntent');
    expect(message).toMatch(/must NOT have additional properties 'foo'/);
  });

  it('rejects a missing required property', () => {
    const { latest_charge: _omitted, ...withoutLatestCharge } = paymentIntent();
    const message = failureOf(() => assertConforms(withoutLatestCharge));
    expect(message).toContain("must have required property 'latest_charge'");
  });

  it('rejects a wrongly typed property', () => {
    const message = failureOf(() => assertConforms({ ...paymentIntent(), amount: '2000' }));
    expect(message).toContain('/amount: must be number');
  });

  it('follows stripe-node 23 open enums: any string, but only a string', () => {
    // `PaymentIntent.Status` is `'canceled' | ... | 'succeeded' | OtherString`.
    expect(() => assertConforms({ ...paymentIntent(), status: 'pending' })).not.toThrow();
    const message = failureOf(() => assertConforms({ ...paymentIntent(), status: 7 }));
    expect(message).toContain('/status: must be string');
  });

  it('checks every item of a list object and reports where the bad one is', () => {
    const good = paymentIntent();
    const bad = { ...paymentIntent(), id: 'pi_3QxTestPaymentIntent0002', bogus: 1 };
    const list = { object: 'list', data: [good, bad], has_more: false, url: '/v1/payment_intents' };
    const message = failureOf(() => assertConforms(list));
    expect(message).toMatch(/^1 Stripe object failed/);
    expect(message).toContain('payment_intent pi_3QxTestPaymentIntent0002 at $.data[1]');
    expect(message).toContain("'bogus'");
    expect(() => assertConforms({ ...list, data: [good] })).not.toThrow();
  });

  it('accepts customer as an id or as a complete expanded Customer', () => {
    expect(() =>
      assertConforms({ ...paymentIntent(), customer: 'cus_TestCustomer0001' }),
    ).not.toThrow();
    expect(() => assertConforms({ ...paymentIntent(), customer: customer() })).not.toThrow();
    expect(() =>
      assertConforms({
        ...paymentIntent(),
        customer: { id: 'cus_TestCustomer0001', object: 'customer', deleted: true },
      }),
    ).not.toThrow();
  });

  it('rejects an incomplete expanded Customer, also on its own', () => {
    const { invoice_settings: _omitted, ...incomplete } = customer();
    const message = failureOf(() => assertConforms({ ...paymentIntent(), customer: incomplete }));
    // Once inside the PaymentIntent's `customer` union, once as a customer object.
    expect(message).toMatch(/^2 Stripe objects failed/);
    expect(message).toContain('customer cus_TestCustomer0001 at $.customer');
    expect(message).toContain("must have required property 'invoice_settings'");
  });

  it('rejects `deleted` on a live object', () => {
    expect(() => assertConforms({ ...customer(), deleted: false })).toThrow(/\/deleted/);
  });

  it('validates an event against the branch of the Event union its type names', () => {
    const event = {
      id: 'evt_TestEvent0001',
      object: 'event',
      api_version: '2026-01-28.clover',
      created: 1735689600,
      data: { object: paymentIntent(), previous_attributes: { status: 'requires_confirmation' } },
      livemode: false,
      pending_webhooks: 1,
      request: { id: null, idempotency_key: null },
      type: 'payment_intent.succeeded',
    };
    expect(() => assertConforms(event)).not.toThrow();

    // A charge event must carry a Charge, not a PaymentIntent.
    const mismatched = failureOf(() => assertConforms({ ...event, type: 'charge.succeeded' }));
    expect(mismatched).toContain('event evt_TestEvent0001 at $');
    expect(mismatched).toContain('/data/object');

    // previous_attributes is a Partial<PaymentIntent>: closed as well.
    const previous = failureOf(() =>
      assertConforms({ ...event, data: { ...event.data, previous_attributes: { nope: 1 } } }),
    );
    expect(previous).toContain("'nope'");

    const unknownType = failureOf(() =>
      assertConforms({ ...event, type: 'payment_intent.exploded' }),
    );
    expect(unknownType).toContain('event evt_TestEvent0001');
    expect(unknownType).toContain('"payment_intent.exploded"');
  });

  it('ignores unknown object types but searches inside them', () => {
    expect(() =>
      assertConforms({ object: 'balance', available: [], whatever: { nested: true } }),
    ).not.toThrow();
    expect(() =>
      assertConforms({ object: 'search_result', data: [{ ...paymentIntent(), amount: null }] }),
    ).toThrow(/at \$\.data\[0\][\s\S]*\/amount: must be number/);
  });

  it('counts validated objects by type', () => {
    resetConformanceStats();
    assertConforms({
      object: 'list',
      data: [
        { ...paymentIntent(), customer: customer() },
        paymentIntent(),
        { id: 'cus_gone', object: 'customer', deleted: true },
      ],
      has_more: false,
      url: '/v1/payment_intents',
    });
    expect(conformanceStats()).toEqual({ customer: 1, 'deleted:customer': 1, payment_intent: 2 });
  });
});
