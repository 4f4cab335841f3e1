/**
 * The save-a-card form's flow with a scripted Stripe.js (jsdom, React 18 and 19). The real
 * Payment Element, declines and 3D Secure are in save-card-form.browser.test.tsx.
 */
import { render, screen, waitFor } from '@testing-library/react';
import { userEvent } from '@testing-library/user-event';
import type { ReactNode } from 'react';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { axeViolations } from '../../test/support/axe.js';
import {
  createFakeStripe,
  errorAnswer,
  type FakeStripe,
  fakeServerFetch,
} from '../../test/support/fake-stripe.js';
import { de } from '../messages/de.js';
import { TillkitProvider } from '../provider/tillkit-provider.js';
import { SaveCardForm } from './save-card-form.js';

let fake: FakeStripe;
let routes: Record<string, (body: unknown) => unknown>;
let fetcher: ReturnType<typeof fakeServerFetch>;
beforeEach(() => {
  fake = createFakeStripe();
  routes = {
    'POST /setup-intents': () => ({ id: 'seti_fake', clientSecret: 'seti_fake_secret_x' }),
  };
  fetcher = fakeServerFetch(new Proxy({}, { get: (_, key: string) => routes[key] }) as never);
  vi.stubGlobal('fetch', fetcher);
});
afterEach(() => vi.unstubAllGlobals());

const wrapper =
  (extra: { messages?: typeof de; locale?: string } = {}) =>
  ({ children }: { children: ReactNode }) => (
    <TillkitProvider apiBase="http://tillkit.test/api" stripe={fake.stripe} {...extra}>
      {children}
    </TillkitProvider>
  );

async function saveButton(name = 'Save card') {
  const button = await screen.findByRole('button', { name });
  await waitFor(() => expect(button).toBeEnabled());
  return button;
}

describe('SaveCardForm', () => {
  it('has no accessibility violations', async () => {
    const { container } = render(<SaveCardForm />, { wrapper: wrapper() });
    await saveButton();
    expect(await axeViolations(container)).toEqual([]);
  });

  it('creates nothing until submitted, then confirms a SetupIntent in setup mode', async () => {
    const onSuccess = vi.fn();
    const { container } = render(
      <SaveCardForm currency="eur" returnUrl="https://shop.example/cards" onSuccess={onSuccess} />,
      { wrapper: wrapper() },
    );
    const save = await saveButton();
    expect(fake.calls.elements).toHaveBeenCalledWith({ mode: 'setup', currency: 'eur' });
    expect(screen.getByRole('group', { name: 'Card details' })).toBeVisible();
    expect(fetcher.requests).toEqual([]);
    await userEvent.click(save);
    expect(await screen.findByText('Your card has been saved.')).toBeVisible();
    expect(fake.calls.confirmSetup).toHaveBeenCalledWith(
      expect.objectContaining({
        clientSecret: 'seti_fake_secret_x',
        redirect: 'if_required',
        // Saved at the customer's request: offered again at checkout (POST /customer-sessions).
        confirmParams: {
          return_url: 'https://shop.example/cards',
          payment_method_data: { allow_redisplay: 'always' },
        },
      }),
    );
    expect(fake.calls.confirmPayment).not.toHaveBeenCalled();
    expect(fetcher.requests[0]?.headers.get('idempotency-key')).toMatch(/^tillkit_/);
    expect(onSuccess).toHaveBeenCalledWith(expect.objectContaining({ id: 'seti_fake' }));
    expect(container.querySelector('form')).toHaveAttribute('data-state', 'succeeded');
  });

  it('shows a server refusal (a guest) in the error region and moves focus there', async () => {
    routes['POST /setup-intents'] = () => errorAnswer(401, 'unauthenticated');
    const onError = vi.fn();
    render(<SaveCardForm onError={onError} />, { wrapper: wrapper() });
    await userEvent.click(await saveButton());
    const alert = screen.getByRole('alert');
    await waitFor(() => expect(alert).toHaveTextContent('Something went wrong. Please try again.'));
    await waitFor(() => expect(alert).toHaveFocus());
    expect(onError).toHaveBeenCalledWith(expect.objectContaining({ code: 'unauthenticated' }));
    expect(fake.calls.confirmSetup).not.toHaveBeenCalled();
  });

  it('confirms the same SetupIntent after a decline', async () => {
    fake.setupResults = [
      { error: { type: 'card_error', code: 'card_declined', message: 'Your card was declined.' } },
      { setupIntent: { id: 'seti_fake', status: 'succeeded' } },
    ];
    render(<SaveCardForm />, { wrapper: wrapper() });
    await userEvent.click(await saveButton());
    expect(await screen.findByText('Your card was declined.')).toBeVisible();
    await userEvent.click(await saveButton());
    expect(await screen.findByText('Your card has been saved.')).toBeVisible();
    expect(fetcher.requests).toHaveLength(1);
    expect(fake.calls.confirmSetup).toHaveBeenCalledTimes(2);
  });

  it('counts a SetupIntent that Stripe.js attaches to …_unexpected_state as saved', async () => {
    // The first answer was lost and the intent could not be read; the card was saved at Stripe.
    const lost = { error: { type: 'api_connection_error', message: 'Connection lost.' } };
    fake.setupResults = [
      lost,
      {
        error: {
          type: 'invalid_request_error',
          code: 'setup_intent_unexpected_state',
          message: 'You cannot confirm this SetupIntent because it has already succeeded.',
          setup_intent: { id: 'seti_fake', status: 'succeeded' },
        },
      },
    ];
    fake.setupRetrieveResults = [lost];
    const onSuccess = vi.fn();
    render(<SaveCardForm onSuccess={onSuccess} />, { wrapper: wrapper() });
    await userEvent.click(await saveButton());
    expect(
      await screen.findByText(
        'Could not reach the payment server. Check your connection and try again.',
      ),
    ).toBeVisible();
    expect(fake.calls.retrieveSetupIntent).toHaveBeenCalledWith('seti_fake_secret_x');
    await userEvent.click(await saveButton());
    expect(await screen.findByText('Your card has been saved.')).toBeVisible();
    expect(onSuccess).toHaveBeenCalledWith(expect.objectContaining({ status: 'succeeded' }));
  });

  it('asks the new server for its own SetupIntent after the provider moves (apiBase)', async () => {
    fake.setupResults = [
      { error: { type: 'card_error', code: 'card_declined', message: 'Your card was declined.' } },
      { setupIntent: { id: 'seti_2', status: 'succeeded' } },
    ];
    let made = 0;
    routes['POST /setup-intents'] = () => {
      made += 1;
      return { id: `seti_${made}`, clientSecret: `seti_${made}_secret_x` };
    };
    let apiBase = 'http://tillkit.test/api';
    const { rerender } = render(<SaveCardForm />, {
      wrapper: ({ children }: { children: ReactNode }) => (
        <TillkitProvider apiBase={apiBase} stripe={fake.stripe}>
          {children}
        </TillkitProvider>
      ),
    });
    await userEvent.click(await saveButton());
    expect(await screen.findByText('Your card was declined.')).toBeVisible();
    apiBase = 'http://other.test/api';
    rerender(<SaveCardForm />);
    await userEvent.click(await saveButton());
    expect(await screen.findByText('Your card has been saved.')).toBeVisible();
    expect(fetcher.requests.map((request) => request.url)).toEqual([
      'http://tillkit.test/api/setup-intents',
      'http://other.test/api/setup-intents',
    ]);
    expect(fake.calls.confirmSetup).toHaveBeenLastCalledWith(
      expect.objectContaining({ clientSecret: 'seti_2_secret_x' }),
    );
  });

  describe('given a SetupIntent made elsewhere (clientSecret: a trial waiting for its card)', () => {
    it('confirms that one, asks the server for none, and leaves the card its subscription’s', async () => {
      const onSuccess = vi.fn();
      render(<SaveCardForm clientSecret="seti_trial_secret_t" onSuccess={onSuccess} />, {
        wrapper: wrapper(),
      });
      const save = await saveButton();
      // The same deferred group as without one (and as SubscribeForm's for a trial).
      expect(fake.calls.elements).toHaveBeenCalledWith({ mode: 'setup' });
      await userEvent.click(save);
      expect(await screen.findByText('Your card has been saved.')).toBeVisible();
      expect(fake.calls.confirmSetup).toHaveBeenCalledWith(
        expect.objectContaining({
          clientSecret: 'seti_trial_secret_t',
          redirect: 'if_required',
          // Not offered at checkout: the card is the subscription's (Stripe marks it `limited`).
          confirmParams: { return_url: window.location.href },
        }),
      );
      expect(fetcher.requests).toEqual([]);
      expect(onSuccess).toHaveBeenCalledWith(expect.objectContaining({ status: 'succeeded' }));
    });

    it('confirms the one it is given now, afresh, after the one before was saved', async () => {
      const view = render(<SaveCardForm clientSecret="seti_first_secret_a" />, {
        wrapper: wrapper(),
      });
      await userEvent.click(await saveButton());
      expect(await screen.findByText('Your card has been saved.')).toBeVisible();
      view.rerender(<SaveCardForm clientSecret="seti_second_secret_b" />);
      expect(screen.queryByText('Your card has been saved.')).toBeNull();
      await userEvent.click(await saveButton());
      expect(await screen.findByText('Your card has been saved.')).toBeVisible();
      expect(fake.calls.confirmSetup).toHaveBeenLastCalledWith(
        expect.objectContaining({ clientSecret: 'seti_second_secret_b' }),
      );
      expect(fetcher.requests).toEqual([]);
    });
  });

  it('offers Try again when the card fields did not load, and builds them again', async () => {
    fake.loadErrors = [{ type: 'api_error', message: 'Failed to load.' }];
    render(<SaveCardForm />, { wrapper: wrapper() });
    await waitFor(() =>
      expect(screen.getByRole('alert')).toHaveTextContent(
        'This could not be loaded. Check your connection and try again.',
      ),
    );
    await userEvent.click(screen.getByRole('button', { name: 'Try again' }));
    expect(await saveButton()).toBeVisible();
    expect(screen.queryByRole('button', { name: 'Try again' })).toBeNull();
  });

  it('speaks German', async () => {
    render(<SaveCardForm />, { wrapper: wrapper({ messages: de, locale: 'de' }) });
    expect(await saveButton('Karte speichern')).toBeVisible();
    expect(screen.getByRole('group', { name: 'Kartendaten' })).toBeVisible();
  });
});
