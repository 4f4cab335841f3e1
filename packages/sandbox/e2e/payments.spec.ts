/**
 * Done when: a payment confirmed for each test card, and a setup, on a plain page and with
 * react-stripe-js's <Elements> and <PaymentElement>, over HTTP and through MSW.
 */
import {
  expect,
  fillCard,
  type Mode,
  type PageKind,
  pageUrl,
  result,
  test,
  threeDSecureDialog,
  waitForElement,
} from './support/fixtures.js';

interface CardCase {
  name: string;
  number: string;
  threeDSecure?: 'complete' | 'fail';
  expect:
    | { status: string }
    | { error: { type: string; code: string; decline_code?: string; message: string } };
}

const CARDS: CardCase[] = [
  { name: 'success', number: '4242 4242 4242 4242', expect: { status: 'succeeded' } },
  {
    name: 'generic decline',
    number: '4000 0000 0000 0002',
    expect: {
      error: {
        type: 'card_error',
        code: 'card_declined',
        decline_code: 'generic_decline',
        message: 'Your card was declined.',
      },
    },
  },
  {
    name: 'insufficient funds',
    number: '4000 0000 0000 9995',
    expect: {
      error: {
        type: 'card_error',
        code: 'card_declined',
        decline_code: 'insufficient_funds',
        message: 'Your card has insufficient funds.',
      },
    },
  },
  {
    name: 'expired card',
    number: '4000 0000 0000 0069',
    expect: {
      error: {
        type: 'card_error',
        code: 'expired_card',
        decline_code: 'expired_card',
        message: 'Your card has expired.',
      },
    },
  },
  {
    name: 'incorrect CVC',
    number: '4000 0000 0000 0127',
    expect: {
      error: {
        type: 'card_error',
        code: 'incorrect_cvc',
        decline_code: 'incorrect_cvc',
        message: "Your card's security code is incorrect.",
      },
    },
  },
  {
    name: '3D Secure completed',
    number: '4000 0027 6000 3184',
    threeDSecure: 'complete',
    expect: { status: 'succeeded' },
  },
  {
    name: '3D Secure failed',
    number: '4000 0027 6000 3184',
    threeDSecure: 'fail',
    expect: {
      error: {
        type: 'invalid_request_error',
        code: 'payment_intent_authentication_failure',
        message:
          'We are unable to authenticate your payment method. Please choose a different payment method and try again.',
      },
    },
  },
];

const VARIANTS: Array<{ kind: PageKind; mode: Mode }> = [
  { kind: 'plain', mode: 'http' },
  { kind: 'plain', mode: 'msw' },
  { kind: 'react', mode: 'http' },
  { kind: 'react', mode: 'msw' },
];

for (const { kind, mode } of VARIANTS) {
  test.describe(`${kind} page over ${mode.toUpperCase()}`, () => {
    for (const card of CARDS) {
      test(`payment: ${card.name}`, async ({ page, site, sandbox }) => {
        await page.goto(pageUrl(site, sandbox, kind, mode));
        const frame = await waitForElement(page);
        await fillCard(frame, { number: card.number });
        if (kind === 'react') {
          // <PaymentElement onChange> saw the element become complete.
          await expect(page.locator('#complete')).toHaveAttribute('data-complete', 'true');
        }
        await page.locator('#pay').click();
        if (card.threeDSecure) {
          const dialog = threeDSecureDialog(page);
          await expect(dialog).toBeVisible();
          await expect(dialog).toContainText('A payment of $10.00');
          await dialog
            .getByRole('button', {
              name:
                card.threeDSecure === 'complete'
                  ? 'Complete authentication'
                  : 'Fail authentication',
            })
            .click();
          await expect(dialog).toBeHidden();
        } else {
          await expect(threeDSecureDialog(page)).toHaveCount(0);
        }
        const outcome = await result(page);
        if ('status' in card.expect) {
          expect(outcome.error).toBeUndefined();
          expect(outcome.paymentIntent?.status).toBe(card.expect.status);
          expect(outcome.paymentIntent?.id).toMatch(/^pi_/);
          expect(outcome.paymentIntent?.payment_method).toMatch(/^pm_/);
          if (mode === 'http') {
            // The server's view agrees (stripe-node with the secret key).
            const intent = await sandbox.stripe.paymentIntents.retrieve(
              String(outcome.paymentIntent?.id),
            );
            expect(intent.status).toBe('succeeded');
            expect(intent.amount_received).toBe(1000);
          }
        } else {
          expect(outcome.paymentIntent).toBeUndefined();
          expect(outcome.error).toMatchObject(card.expect.error);
          expect(outcome.error?.payment_intent?.status).toBe('requires_payment_method');
          await expect(page.locator('#status')).toHaveText(`Error: ${card.expect.error.message}`);
        }
      });
    }

    test('setup: a card saved for later', async ({ page, site, sandbox }) => {
      await page.goto(pageUrl(site, sandbox, kind, mode, { flow: 'setup' }));
      const frame = await waitForElement(page);
      await fillCard(frame, { number: '4242424242424242' });
      await page.locator('#pay').click();
      const outcome = await result(page);
      expect(outcome.error).toBeUndefined();
      expect(outcome.setupIntent?.status).toBe('succeeded');
      expect(outcome.setupIntent?.payment_method).toMatch(/^pm_/);
      if (mode === 'http') {
        const intent = await sandbox.stripe.setupIntents.retrieve(String(outcome.setupIntent?.id));
        expect(intent.status).toBe('succeeded');
      }
    });
  });
}
