import { describe, expect, it } from 'vitest';
import { parseQuery } from '../core/params.js';
import { formEncode } from './form-encoding.js';

describe('formEncode', () => {
  it("nests objects and arrays with brackets, as Stripe's API reads them", () => {
    const encoded = formEncode({
      type: 'card',
      card: { number: '4242424242424242', exp_month: 12 },
      billing_details: { address: { country: 'US', line2: null }, name: undefined },
      expand: ['payment_method', 'latest_charge'],
      use_stripe_sdk: true,
    });
    expect(encoded).toBe(
      'type=card&card%5Bnumber%5D=4242424242424242&card%5Bexp_month%5D=12&billing_details%5Baddress%5D%5Bcountry%5D=US&expand%5B0%5D=payment_method&expand%5B1%5D=latest_charge&use_stripe_sdk=true',
    );
  });

  it('round-trips through the sandbox core’s parser', () => {
    const params = {
      client_secret: 'pi_1_secret_2',
      shipping: { name: 'Ada & Co', address: { line1: '1 Main St', city: 'Zürich' } },
      metadata: { 'order id': '#42' },
    };
    expect(parseQuery(formEncode(params))).toEqual(params);
  });
});
