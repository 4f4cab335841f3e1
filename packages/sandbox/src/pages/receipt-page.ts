/**
 * The hosted receipt a charge's `receipt_url` points to, as Stripe's
 * `https://pay.stripe.com/receipts/payment/…`: the account's name, the amount paid, the date, the
 * card (brand and last 4 only), the charge's description, and its refunds with the net. It is
 * drawn from the charge's current state on every view, so a refund made later shows up, as
 * Stripe keeps its receipts up to date. Plain HTML, no JavaScript, English only. Access is by the
 * unguessable token in the URL (resources/charges.ts); an unknown token gets a 404 page.
 * @see https://docs.stripe.com/receipts
 */
import type Stripe from 'stripe';
import { formatDate } from '../core/billing-time.js';
import { formatAmount } from '../core/currencies.js';
import { params } from '../core/params.js';
import type { RequestContext, Route } from '../core/route.js';
import type { SandboxCore } from '../core/sandbox.js';
import { chargeForReceipt } from '../resources/charges.js';
import { idOf, SANDBOX_ACCOUNT_NAME } from '../resources/payments-shared.js';
import { cardLabel, escapeHtml, page } from './html.js';

const STYLE = `
  .facts { display: grid; grid-template-columns: max-content 1fr; gap: .25rem 1.5rem; margin: 1rem 0; }
  .facts dt { font-weight: 600; }
  .facts dd { margin: 0; }
  .summary { width: 100%; border-collapse: collapse; margin: 1rem 0; }
  .summary th, .summary td { text-align: left; padding: .4rem .25rem; border-bottom: 1px solid #888; }
  .summary .amount { text-align: right; white-space: nowrap; }
  .summary tfoot th, .summary tfoot td { font-weight: bold; border-bottom: none; }
`;

function date(timestamp: number): string {
  const iso = new Date(timestamp * 1000).toISOString().slice(0, 10);
  return `<time datetime="${iso}">${escapeHtml(formatDate(timestamp))}</time>`;
}

function amountCell(amount: number, currency: string): string {
  return `<td class="amount">${escapeHtml(formatAmount(amount, currency))}</td>`;
}

/**
 * The charge's refunds, oldest first. Its `amount_refunded` is not used: it also counts an
 * authorization released (a partial capture's rest, a canceled uncaptured payment), which was
 * never paid, so never refunded.
 */
function refundsOf(sandbox: SandboxCore, charge: Stripe.Charge): Stripe.Refund[] {
  return sandbox.store
    .collection<Stripe.Refund>('refunds')
    .values()
    .filter(
      (refund) =>
        idOf(refund.charge) === charge.id &&
        refund.status !== 'failed' &&
        refund.status !== 'canceled',
    );
}

function paymentMethodOf(charge: Stripe.Charge): string {
  const card = charge.payment_method_details?.card;
  return card?.brand && card.last4 ? cardLabel(card.brand, card.last4) : 'Card';
}

/** What was paid, each refund, and the totals. */
function summary(sandbox: SandboxCore, charge: Stripe.Charge): string {
  const { currency } = charge;
  const refunds = refundsOf(sandbox, charge);
  const refunded = refunds.reduce((sum, refund) => sum + refund.amount, 0);
  const refundRows = refunds.map(
    (refund) =>
      `<tr><td>Refund on ${date(refund.created)}</td>${amountCell(refund.amount, currency)}</tr>`,
  );
  const totals = refunds.length
    ? `<tr><th scope="row">Amount refunded</th>${amountCell(refunded, currency)}</tr>
<tr><th scope="row">Net</th>${amountCell(charge.amount_captured - refunded, currency)}</tr>`
    : `<tr><th scope="row">Amount charged</th>${amountCell(charge.amount_captured, currency)}</tr>`;
  return `<h2>Summary</h2>
<table class="summary">
<thead><tr><th scope="col">Item</th><th scope="col" class="amount">Amount</th></tr></thead>
<tbody>
<tr><td>${escapeHtml(charge.description || 'Payment')}</td>${amountCell(charge.amount_captured, currency)}</tr>
${refundRows.join('\n')}
</tbody>
<tfoot>
${totals}
</tfoot>
</table>`;
}

/** The receipt of one charge, as it stands now. */
function receiptPage(sandbox: SandboxCore, charge: Stripe.Charge): Response {
  const heading = `<h1>Receipt from ${escapeHtml(SANDBOX_ACCOUNT_NAME)}</h1>`;
  const method = `<dt>Payment method</dt><dd>${escapeHtml(paymentMethodOf(charge))}</dd>`;
  if (!charge.captured) {
    // Manual capture: the card was authorized, nothing taken yet (or ever, once released).
    const state = charge.refunded
      ? 'The authorization was released: nothing was charged.'
      : 'This payment is authorized and not captured yet: nothing has been charged.';
    return page(
      'Receipt',
      `${heading}
<p>${state}</p>
<dl class="facts">
<dt>Amount authorized</dt><dd>${escapeHtml(formatAmount(charge.amount, charge.currency))}</dd>
<dt>Date authorized</dt><dd>${date(charge.created)}</dd>
${method}
</dl>`,
      200,
      STYLE,
    );
  }
  return page(
    'Receipt',
    `${heading}
<dl class="facts">
<dt>Amount paid</dt><dd>${escapeHtml(formatAmount(charge.amount_captured, charge.currency))}</dd>
<dt>Date paid</dt><dd>${date(charge.created)}</dd>
${method}
</dl>
${summary(sandbox, charge)}`,
    200,
    STYLE,
  );
}

function show(ctx: RequestContext): Response {
  ctx.parse(params({}));
  const charge = chargeForReceipt(ctx.sandbox, ctx.path.token as string);
  if (!charge) {
    return page(
      'Receipt',
      '<h1>This receipt does not exist</h1><p>Check the link you followed.</p>',
      404,
      STYLE,
    );
  }
  return receiptPage(ctx.sandbox, charge);
}

/** The hosted receipt page (no API key: the token in its URL is the access). */
export const receiptPageRoutes: Route[] = [
  {
    method: 'GET',
    path: '/v1/_sandbox/receipts/:token',
    auth: 'none',
    chaos: false,
    handler: show,
  },
];
