import { describe, expect, it } from 'vitest';
import { createApi } from './api.js';
import { deferredIntentMismatch, type ElementsOptions, SandboxElements } from './elements.js';

/** A PaymentIntent as the publishable key reads it, made as a store's server makes one. */
const intent = (fields: Record<string, unknown> = {}) => ({
  id: 'pi_1',
  object: 'payment_intent',
  amount: 1000,
  currency: 'usd',
  capture_method: 'automatic_async',
  setup_future_usage: null,
  ...fields,
});

const payment: ElementsOptions = { mode: 'payment', amount: 1000, currency: 'usd' };

describe('deferredIntentMismatch', () => {
  it('accepts an intent made as the group says, whatever its amount', () => {
    expect(deferredIntentMismatch(payment, intent({ amount: 1234 }))).toBeNull();
    expect(
      deferredIntentMismatch(
        { ...payment, currency: 'USD', setupFutureUsage: 'off_session', captureMethod: 'manual' },
        intent({ setup_future_usage: 'off_session', capture_method: 'manual' }),
      ),
    ).toBeNull();
  });

  it('refuses another setup_future_usage, either way', () => {
    expect(deferredIntentMismatch(payment, intent({ setup_future_usage: 'off_session' }))).toEqual({
      param: 'setup_future_usage',
      message: expect.stringMatching(
        /^The provided setup_future_usage \(null\) does not match the expected setup_future_usage \(off_session\)/,
      ),
    });
    expect(
      deferredIntentMismatch({ ...payment, setupFutureUsage: 'off_session' }, intent())?.param,
    ).toBe('setup_future_usage');
    expect(
      deferredIntentMismatch(
        { ...payment, setupFutureUsage: 'on_session' },
        intent({ setup_future_usage: 'off_session' }),
      )?.param,
    ).toBe('setup_future_usage');
  });

  it("counts a confirmation's own setup_future_usage as the intent's", () => {
    expect(
      deferredIntentMismatch({ ...payment, setupFutureUsage: 'off_session' }, intent(), {
        setup_future_usage: 'off_session',
      }),
    ).toBeNull();
  });

  it('refuses another currency, in payment and subscription mode', () => {
    expect(deferredIntentMismatch(payment, intent({ currency: 'eur' }))).toMatchObject({
      param: 'currency',
      message: expect.stringContaining('(usd) does not match the expected currency (eur)'),
    });
    expect(
      deferredIntentMismatch(
        { mode: 'subscription', amount: 500, currency: 'jpy' },
        intent({ currency: 'usd', setup_future_usage: 'off_session' }),
      )?.param,
    ).toBe('currency');
  });

  it("leaves a subscription's off_session first invoice alone", () => {
    expect(
      deferredIntentMismatch(
        { mode: 'subscription', amount: 500, currency: 'usd' },
        intent({ setup_future_usage: 'off_session' }),
      ),
    ).toBeNull();
  });

  it('refuses manual capture on one side only; automatic and automatic_async are alike', () => {
    expect(deferredIntentMismatch(payment, intent({ capture_method: 'manual' }))?.param).toBe(
      'capture_method',
    );
    expect(deferredIntentMismatch({ ...payment, captureMethod: 'manual' }, intent())?.param).toBe(
      'capture_method',
    );
    expect(
      deferredIntentMismatch(
        { ...payment, captureMethod: 'automatic' },
        intent({ capture_method: 'automatic_async' }),
      ),
    ).toBeNull();
  });
});

describe('SandboxElements options', () => {
  const api = createApi('http://sandbox.test', 'pk_test_x');

  it('takes setup_future_usage and capture_method as Stripe.js does, in either spelling', () => {
    const elements = new SandboxElements(api, 'inline', {
      ...payment,
      setup_future_usage: 'off_session',
      capture_method: 'manual',
    });
    expect(elements.options).toMatchObject({
      setupFutureUsage: 'off_session',
      captureMethod: 'manual',
    });
    expect(elements.savesCard('payment')).toBe(true);
    elements.update({ setup_future_usage: null });
    expect(elements.options.setupFutureUsage).toBeNull();
    expect(elements.savesCard('payment')).toBe(false);
  });
});
