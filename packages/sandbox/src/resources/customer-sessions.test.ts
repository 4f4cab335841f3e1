import { describe, expect, it } from 'vitest';
import { caught, conforms, setUpSandboxWithWebhooks } from '../test-support/harness.js';

const env = setUpSandboxWithWebhooks();

describe('create', () => {
  it('creates a session with the Payment Element and every default Stripe fills in', async () => {
    const customer = await env.stripe.customers.create({ email: 'cuss@example.com' });
    const session = conforms(
      await env.stripe.customerSessions.create({
        customer: customer.id,
        components: {
          payment_element: {
            enabled: true,
            features: { payment_method_redisplay: 'enabled' },
          },
        },
      }),
    );
    expect(session.object).toBe('customer_session');
    expect(session.client_secret).toMatch(/^cuss_secret_\w{20,}$/);
    expect(session.customer).toBe(customer.id);
    expect(session.customer_account).toBeNull();
    expect(session.livemode).toBe(false);
    expect(session.expires_at - session.created).toBe(30 * 60);
    expect(Math.abs(session.created - Date.now() / 1000)).toBeLessThan(60);
    expect(session.components?.payment_element).toEqual({
      enabled: true,
      features: {
        payment_method_allow_redisplay_filters: ['always'],
        payment_method_redisplay: 'enabled',
        payment_method_redisplay_limit: 3,
        payment_method_remove: 'disabled',
        payment_method_save: 'disabled',
        payment_method_save_usage: null,
      },
    });
    expect(session.components?.pricing_table).toEqual({ enabled: false });
    expect(session.components?.buy_button).toEqual({ enabled: false });
    expect(session.components?.customer_sheet).toEqual({ enabled: false, features: null });
  });

  it('keeps the features it is given and accepts the other components', async () => {
    const customer = await env.stripe.customers.create({});
    const session = conforms(
      await env.stripe.customerSessions.create({
        customer: customer.id,
        components: {
          payment_element: {
            enabled: true,
            features: {
              payment_method_redisplay: 'enabled',
              payment_method_allow_redisplay_filters: ['always', 'limited', 'unspecified'],
              payment_method_redisplay_limit: 10,
              payment_method_remove: 'enabled',
              payment_method_save: 'enabled',
              payment_method_save_usage: 'off_session',
            },
          },
          pricing_table: { enabled: true },
          buy_button: { enabled: true },
        },
        expand: ['customer'],
      }),
    );
    expect(session.components?.payment_element.features).toMatchObject({
      payment_method_allow_redisplay_filters: ['always', 'limited', 'unspecified'],
      payment_method_redisplay_limit: 10,
      payment_method_remove: 'enabled',
      payment_method_save: 'enabled',
      payment_method_save_usage: 'off_session',
    });
    expect(session.components?.pricing_table.enabled).toBe(true);
    expect(session.components?.buy_button.enabled).toBe(true);
    expect(session.customer).toMatchObject({ id: customer.id, object: 'customer' });

    const pricingOnly = conforms(
      await env.stripe.customerSessions.create({
        customer: customer.id,
        components: { pricing_table: { enabled: true } },
      }),
    );
    expect(pricingOnly.components?.payment_element).toEqual({ enabled: false, features: null });
  });

  it('refuses a missing or unknown customer as Stripe does', async () => {
    const missing = await caught(
      env.stripe.customerSessions.create({ components: { pricing_table: { enabled: true } } }),
    );
    expect(missing.statusCode).toBe(400);
    expect(missing.code).toBe('parameter_missing');
    expect(missing.param).toBe('customer');

    const unknown = await caught(
      env.stripe.customerSessions.create({
        customer: 'cus_nope',
        components: { payment_element: { enabled: true } },
      }),
    );
    expect(unknown.statusCode).toBe(404);
    expect(unknown.code).toBe('resource_missing');
    expect(unknown.message).toBe("No such customer: 'cus_nope'");
    expect(unknown.param).toBe('customer');
  });

  it('refuses bad enums, limits and sessions with nothing enabled', async () => {
    const customer = await env.stripe.customers.create({});
    const badEnum = await caught(
      env.stripe.customerSessions.create({
        customer: customer.id,
        components: {
          payment_element: { enabled: true, features: { payment_method_redisplay: 'sometimes' } },
        },
      }),
    );
    expect(badEnum.statusCode).toBe(400);
    expect(badEnum.param).toBe('components[payment_element][features][payment_method_redisplay]');
    expect(badEnum.message).toBe(
      'Invalid components[payment_element][features][payment_method_redisplay]: must be one of enabled, or disabled',
    );

    const badFilter = await caught(
      env.stripe.customerSessions.create({
        customer: customer.id,
        components: {
          payment_element: {
            enabled: true,
            features: { payment_method_allow_redisplay_filters: ['never'] },
          },
        },
      }),
    );
    expect(badFilter.param).toBe(
      'components[payment_element][features][payment_method_allow_redisplay_filters][0]',
    );

    const tooMany = await caught(
      env.stripe.customerSessions.create({
        customer: customer.id,
        components: {
          payment_element: { enabled: true, features: { payment_method_redisplay_limit: 11 } },
        },
      }),
    );
    expect(tooMany.param).toBe(
      'components[payment_element][features][payment_method_redisplay_limit]',
    );
    expect(tooMany.message).toBe('This value must be less than or equal to 10.');

    const none = await caught(
      env.stripe.customerSessions.create({
        customer: customer.id,
        components: { payment_element: { enabled: false } },
      }),
    );
    expect(none.statusCode).toBe(400);
    expect(none.param).toBe('components');

    const unknownParam = await caught(
      env.stripe.customerSessions.create({
        customer: customer.id,
        components: { payment_element: { enabled: true, colour: 'red' } as never },
      }),
    );
    expect(unknownParam.message).toBe(
      'Received unknown parameter: components[payment_element][colour]',
    );
  });

  it('is for secret keys only', async () => {
    const response = await fetch(`${env.sandbox.url}/v1/customer_sessions`, {
      method: 'POST',
      headers: {
        authorization: 'Bearer pk_test_sandbox',
        'content-type': 'application/x-www-form-urlencoded',
      },
      body: 'customer=cus_x&components[pricing_table][enabled]=true',
    });
    expect(response.status).toBe(401);
  });
});
