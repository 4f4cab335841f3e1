/** The hosted receipt page a charge's `receipt_url` points to, read as a browser would. */
import type Stripe from 'stripe';
import { describe, expect, it } from 'vitest';
import { setUpSandboxWithWebhooks } from '../test-support/harness.js';

const env = setUpSandboxWithWebhooks();

/** A card payment of `amount` (minor units) in `currency`, its charge expanded. */
async function paidCharge(
  amount: number,
  currency: string,
  extra: Partial<Stripe.PaymentIntentCreateParams> = {},
): Promise<Stripe.Charge> {
  const intent = await env.stripe.paymentIntents.create({
    amount,
    currency,
    allowed_payment_method_types: ['card'],
    payment_method: 'pm_card_visa',
    confirm: true,
    expand: ['latest_charge'],
    ...extra,
  });
  return intent.latest_charge as Stripe.Charge;
}

async function receipt(charge: Stripe.Charge): Promise<{ status: number; html: string }> {
  const response = await fetch(charge.receipt_url as string);
  return { status: response.status, html: await response.text() };
}

/** The text of each `<dt>` with its `<dd>`. */
function facts(html: string): Record<string, string> {
  const text = (value: string) => value.replace(/<[^>]+>/g, '');
  return Object.fromEntries(
    [...html.matchAll(/<dt>(.*?)<\/dt><dd>(.*?)<\/dd>/g)].map((match) => [
      text(match[1] ?? ''),
      text(match[2] ?? ''),
    ]),
  );
}

/** The rows of the summary table, each as its cells' text. */
function rows(html: string): string[][] {
  const table = /<table class="summary">([\s\S]*?)<\/table>/.exec(html)?.[1] ?? '';
  return [...table.matchAll(/<tr>([\s\S]*?)<\/tr>/g)].map((row) =>
    [...(row[1] ?? '').matchAll(/<t[hd][^>]*>([\s\S]*?)<\/t[hd]>/g)].map((cell) =>
      (cell[1] ?? '').replace(/<[^>]+>/g, ''),
    ),
  );
}

/** `27 Nov 2026`, in UTC. */
const day = (timestamp: number) => {
  const date = new Date(timestamp * 1000);
  const month = date.toLocaleString('en-US', { month: 'short', timeZone: 'UTC' });
  return `${date.getUTCDate()} ${month} ${date.getUTCFullYear()}`;
};

describe('the receipt page', () => {
  it('shows the account, the amount paid, the date, the card and the description, accessibly', async () => {
    const charge = await paidCharge(2500, 'usd', { description: 'Tillkit T-shirt × 1' });
    const { status, html } = await receipt(charge);
    expect(status).toBe(200);
    expect(html).toContain('<html lang="en">');
    expect(html).toContain('<title>Receipt · Tillkit Stripe sandbox</title>');
    expect(html).toContain('<h1>Receipt from Tillkit Sandbox</h1>');
    expect(html).toContain('<h2>Summary</h2>');
    expect(html).not.toContain('<script');
    expect(facts(html)).toEqual({
      'Amount paid': '$25.00',
      'Date paid': day(charge.created),
      'Payment method': 'Visa ending in 4242',
    });
    expect(rows(html)).toEqual([
      ['Item', 'Amount'],
      ['Tillkit T-shirt × 1', '$25.00'],
      ['Amount charged', '$25.00'],
    ]);
    // The card's last four only: never its number.
    expect(html).not.toContain('4242424242424242');
    // Without a description the line is the payment itself.
    expect(rows((await receipt(await paidCharge(1000, 'eur'))).html)[1]).toEqual([
      'Payment',
      '€10.00',
    ]);
  });

  it('formats zero- and three-decimal currencies as Stripe counts them', async () => {
    const yen = await receipt(await paidCharge(1500, 'jpy'));
    expect(facts(yen.html)['Amount paid']).toBe('¥1,500');
    const dinars = await receipt(await paidCharge(7500, 'kwd'));
    expect(facts(dinars.html)['Amount paid']).toBe('KWD 7.500');
    expect(rows(dinars.html).at(-1)).toEqual(['Amount charged', 'KWD 7.500']);
  });

  it('shows each refund, the amount refunded and the net, as the charge is now', async () => {
    const charge = await paidCharge(7500, 'kwd', { description: 'Two shirts' });
    const first = await env.stripe.refunds.create({ charge: charge.id, amount: 2500 });
    const second = await env.stripe.refunds.create({ charge: charge.id, amount: 1000 });
    const { html } = await receipt(charge);
    expect(facts(html)['Amount paid']).toBe('KWD 7.500');
    expect(rows(html)).toEqual([
      ['Item', 'Amount'],
      ['Two shirts', 'KWD 7.500'],
      [`Refund on ${day(first.created)}`, 'KWD 2.500'],
      [`Refund on ${day(second.created)}`, 'KWD 1.000'],
      ['Amount refunded', 'KWD 3.500'],
      ['Net', 'KWD 4.000'],
    ]);
  });

  it('a partial capture: what was captured is paid; the released rest is no refund', async () => {
    const charge = await paidCharge(5000, 'usd', { capture_method: 'manual' });
    const held = await receipt(charge);
    expect(held.html).toContain('authorized and not captured yet');
    expect(facts(held.html)['Amount authorized']).toBe('$50.00');
    await env.stripe.paymentIntents.capture(charge.payment_intent as string, {
      amount_to_capture: 3000,
    });
    const { html } = await receipt(charge);
    expect(facts(html)['Amount paid']).toBe('$30.00');
    expect(rows(html).at(-1)).toEqual(['Amount charged', '$30.00']);

    const released = await paidCharge(5000, 'usd', { capture_method: 'manual' });
    await env.stripe.paymentIntents.cancel(released.payment_intent as string);
    expect((await receipt(released)).html).toContain(
      'The authorization was released: nothing was charged.',
    );
  });

  it('answers a 404 page for a token it never handed out, and for a charge id', async () => {
    const charge = await paidCharge(1200, 'usd');
    for (const token of ['unknown', charge.id, 'x'.repeat(48)]) {
      const response = await fetch(`${env.sandbox.url}/v1/_sandbox/receipts/${token}`);
      expect(response.status).toBe(404);
      expect(response.headers.get('content-type')).toContain('text/html');
      const html = await response.text();
      expect(html).toContain('<h1>This receipt does not exist</h1>');
      expect(html).not.toContain('$12.00');
    }
  });
});
