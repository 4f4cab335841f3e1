/** `POST /setup-intents` (user): saves a card to the caller's customer for later payments. */
import { createSetupIntentBody } from '@tillkit/protocol';
import { stripeCall } from '../errors.js';
import { defineRoute } from '../http/define-route.js';

export const createSetupIntent = defineRoute({
  name: 'createSetupIntent',
  body: createSetupIntentBody,
  async handle({ user, services, idempotencyKey }) {
    const customer = await services.customers.ensure(user);
    const intent = await stripeCall(() =>
      services.stripe.setupIntents.create(
        {
          customer,
          usage: 'off_session',
          automatic_payment_methods: { enabled: true },
          metadata: { tillkit: 'true', tillkit_user_id: user.userId },
        },
        idempotencyKey ? { idempotencyKey } : undefined,
      ),
    );
    return { status: 201, body: { id: intent.id, clientSecret: intent.client_secret as string } };
  },
});
