/**
 * Paying an open invoice with a new card, when the confirmation's answer is lost (jsdom, scripted
 * Stripe.js): the group was made from the intent, so its secret is the one read again.
 */
import { render, screen, waitFor } from '@testing-library/react';
import { userEvent } from '@testing-library/user-event';
import { beforeEach, describe, expect, it, vi } from 'vitest';
import { createFakeStripe, type FakeStripe, intent } from '../../test/support/fake-stripe.js';
import { TillkitProvider } from '../provider/tillkit-provider.js';
import { PayWithNewCard } from './subscription-manager.js';

let fake: FakeStripe;
beforeEach(() => {
  fake = createFakeStripe();
});

describe('usePayWithNewCard', () => {
  it("reads the invoice's intent after a connection error and reports it paid", async () => {
    fake.confirmResults = [
      { error: { type: 'api_connection_error', message: 'Connection lost.' } },
    ];
    fake.retrieveResults = [{ paymentIntent: intent('succeeded') }];
    const onSuccess = vi.fn();
    render(
      <TillkitProvider apiBase="http://tillkit.test/api" stripe={fake.stripe}>
        <PayWithNewCard clientSecret="pi_fake_secret_x" onSuccess={onSuccess} />
      </TillkitProvider>,
    );
    const pay = await screen.findByRole('button', { name: 'Pay now' });
    await waitFor(() => expect(pay).toBeEnabled());
    await userEvent.click(pay);
    expect(await screen.findByText('Payment successful. Thank you!')).toBeVisible();
    expect(fake.calls.retrievePaymentIntent).toHaveBeenCalledWith('pi_fake_secret_x');
    expect(onSuccess).toHaveBeenCalledWith(expect.objectContaining({ status: 'succeeded' }));
  });
});
