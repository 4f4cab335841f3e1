/**
 * The order history in jsdom (React 18 and 19) against a scripted Tillkit server: each state,
 * paging, what each order says (dates, amounts in JPY and KWD, lines, discounts, refunds, receipt
 * links), German, and the list read again once a card form of the kit went through.
 */
import { act, render, renderHook, screen, waitFor, within } from '@testing-library/react';
import { userEvent } from '@testing-library/user-event';
import type { Payment } from '@tillkit/protocol';
import type { ReactNode } from 'react';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { axeViolations } from '../../test/support/axe.js';
import {
  CATALOG,
  createFakeStripe,
  errorAnswer,
  fakeServerFetch,
} from '../../test/support/fake-stripe.js';
import { de } from '../messages/de.js';
import { PaymentForm } from '../payment-form/payment-form.js';
import { TillkitProvider } from '../provider/tillkit-provider.js';
import { PaymentHistory } from './payment-history.js';
import { usePaymentHistory } from './use-payment-history.js';

const API = 'http://tillkit.test/api';

/**
 * A payment made on `day` of May 2026 (at noon UTC: the same day in any test time zone), with its
 * receipt on Stripe's page.
 */
function payment(id: string, day: number, extra: Partial<Payment> = {}): Payment {
  return {
    id,
    status: 'succeeded',
    amount: 2500,
    amountRefunded: 0,
    amountDiscount: 0,
    currency: 'usd',
    createdAt: `2026-05-${String(day).padStart(2, '0')}T12:00:00.000Z`,
    receiptUrl: `https://pay.stripe.com/receipts/payment/${id}`,
    lines: [],
    ...extra,
  };
}

const PAYMENTS: Payment[] = [
  payment('pi_cart', 15, {
    amount: 6400,
    lines: [
      { price: 'price_tshirt', productName: 'T-shirt', quantity: 2, unitAmount: 2500 },
      { price: 'price_mug', productName: 'Mug', quantity: 1, unitAmount: 1400 },
    ],
  }),
  payment('pi_jpy', 14, {
    status: 'processing',
    amount: 1500,
    currency: 'jpy',
    // Not paid yet: Stripe has no receipt for it.
    receiptUrl: null,
    lines: [{ price: 'price_mug_jpy', productName: 'Mug', quantity: 1, unitAmount: 1500 }],
  }),
  payment('pi_kwd', 13, { amount: 7500, amountRefunded: 7500, currency: 'kwd' }),
  payment('pi_part', 12, { amountRefunded: 500 }),
];

/** `count` older payments after `from` (ids `pi_old_<n>`), for paging. */
const older = (from: number, count: number) =>
  Array.from({ length: count }, (_, index) => payment(`pi_old_${from + index}`, 1));

let routes: Record<string, (body: unknown) => unknown>;
let fetcher: ReturnType<typeof fakeServerFetch>;
beforeEach(() => {
  routes = { 'GET /payments': () => ({ data: PAYMENTS, hasMore: false }) };
  fetcher = fakeServerFetch(new Proxy({}, { get: (_, key: string) => routes[key] }) as never);
  vi.stubGlobal('fetch', fetcher);
});
afterEach(() => vi.unstubAllGlobals());

/** The query of each `GET /payments` so far. */
const reads = () =>
  fetcher.requests
    .filter((request) => request.method === 'GET' && request.url.includes('/payments'))
    .map((request) => Object.fromEntries(new URL(request.url).searchParams));

function renderHistory(
  ui: ReactNode = <PaymentHistory />,
  extra: { messages?: typeof de; locale?: string } = {},
) {
  return render(
    <TillkitProvider apiBase={API} stripe={null} locale="en-US" {...extra}>
      {ui}
    </TillkitProvider>,
  );
}

/** The order whose heading (its date) is `date`. */
const order = (date: string) =>
  screen.getByRole('heading', { name: date }).closest('li') as HTMLLIElement;

/** A promise the test settles: holds a server answer back. */
function deferred() {
  let settle!: (value: unknown) => void;
  const promise = new Promise((resolve) => {
    settle = resolve;
  });
  return { promise, settle };
}

describe('PaymentHistory', () => {
  it('has no accessibility violations', async () => {
    routes['GET /payments'] = () => ({ data: PAYMENTS, hasMore: true });
    const { container } = renderHistory();
    await screen.findByRole('list', { name: 'Your orders' });
    // The receipt links are among what axe checks.
    expect(screen.getAllByRole('link')).toHaveLength(3);
    expect(await axeViolations(container)).toEqual([]);
  });

  it('says it is loading until the server answers', async () => {
    const held = deferred();
    routes['GET /payments'] = () => held.promise;
    const { container } = renderHistory();
    const root = container.firstElementChild as HTMLElement;
    expect(root).toHaveAttribute('data-state', 'loading');
    expect(root).toHaveAttribute('aria-busy', 'true');
    expect(screen.getByRole('status')).toHaveTextContent('Loading…');
    expect(screen.queryByRole('list')).toBeNull();
    await act(async () => held.settle({ data: PAYMENTS, hasMore: false }));
    expect(root).toHaveAttribute('data-state', 'ready');
    expect(root).toHaveAttribute('aria-busy', 'false');
    expect(screen.getByRole('status')).toBeEmptyDOMElement();
  });

  it("lists each order's date, amount, status and lines, newest first", async () => {
    const { container } = renderHistory();
    const list = await screen.findByRole('list', { name: 'Your orders' });
    expect(list).toHaveAttribute('role', 'list');
    expect(
      within(list)
        .getAllByRole('heading', { level: 3 })
        .map((heading) => heading.textContent),
    ).toEqual(['May 15, 2026', 'May 14, 2026', 'May 13, 2026', 'May 12, 2026']);
    const cart = order('May 15, 2026');
    expect(cart).toHaveAttribute('data-state', 'paid');
    expect(cart).toHaveTextContent('$64.00');
    expect(within(cart).getByText('Paid')).toBeVisible();
    expect(within(cart).getByText('2 × T-shirt, 1 × Mug')).toBeVisible();
    expect(order('May 14, 2026')).toHaveAttribute('data-state', 'processing');
    expect(within(order('May 14, 2026')).getByText('Processing')).toBeVisible();
    expect(order('May 13, 2026')).toHaveAttribute('data-state', 'refunded');
    expect(within(order('May 13, 2026')).getByText('Refunded')).toBeVisible();
    expect(order('May 12, 2026')).toHaveAttribute('data-state', 'partially_refunded');
    expect(within(order('May 12, 2026')).getByText('$5.00 refunded')).toBeVisible();
    // No lines: nothing said of them.
    expect(order('May 12, 2026').querySelector('[data-slot="payment-history-lines"]')).toBeNull();
    expect(container.firstElementChild).toHaveAttribute('data-state', 'ready');
    // Everything on one page: no button for more.
    expect(screen.queryByRole('button')).toBeNull();
    expect(reads()).toEqual([{ limit: '10' }]);
  });

  it("links each paid order to its receipt, in a new tab, named by the order's amount and date", async () => {
    renderHistory();
    await screen.findByRole('list');
    const link = within(order('May 15, 2026')).getByRole('link');
    expect(link).toHaveAccessibleName('Receipt for $64.00 on May 15, 2026 (opens in a new tab)');
    expect(link).toHaveTextContent(/^Receipt$/);
    expect(link).toHaveAttribute('data-slot', 'payment-history-receipt');
    expect(link).toHaveAttribute('href', 'https://pay.stripe.com/receipts/payment/pi_cart');
    expect(link).toHaveAttribute('target', '_blank');
    expect(link).toHaveAttribute('rel', 'noopener noreferrer');
    expect(screen.getAllByRole('link').map((each) => each.getAttribute('aria-label'))).toEqual([
      'Receipt for $64.00 on May 15, 2026 (opens in a new tab)',
      'Receipt for KWD\u00a07.500 on May 13, 2026 (opens in a new tab)',
      'Receipt for $25.00 on May 12, 2026 (opens in a new tab)',
    ]);
    // Processing: no receipt yet, no link.
    expect(within(order('May 14, 2026')).queryByRole('link')).toBeNull();
    expect(order('May 14, 2026').querySelector('[data-slot="payment-history-receipt"]')).toBeNull();
  });

  it('gives items of your own the receipt part, with your props', async () => {
    renderHistory(
      <PaymentHistory.Root>
        <PaymentHistory.List>
          {(payment) => (
            <li key={payment.id}>
              {payment.date} <PaymentHistory.Receipt payment={payment} className="receipt" />
            </li>
          )}
        </PaymentHistory.List>
      </PaymentHistory.Root>,
    );
    await screen.findByRole('list');
    const links = screen.getAllByRole('link');
    expect(links).toHaveLength(3);
    expect(links[0]).toHaveClass('receipt');
    expect(links[0]).toHaveAccessibleName(
      'Receipt for $64.00 on May 15, 2026 (opens in a new tab)',
    );
  });

  it('formats each amount in its currency: yen without decimals, dinars with three', async () => {
    renderHistory();
    await screen.findByRole('list');
    expect(
      order('May 14, 2026').querySelector('[data-slot="payment-history-amount"]'),
    ).toHaveTextContent('¥1,500');
    expect(
      order('May 13, 2026').querySelector('[data-slot="payment-history-amount"]'),
    ).toHaveTextContent('KWD 7.500');
  });

  it('says what a promotion code took off, in each currency’s decimals, and nothing when none', async () => {
    // Paid on Checkout pages with a code: the lines are the prices as listed, the amount what was
    // charged after the discount.
    const discounted = [
      payment('pi_usd', 20, {
        amount: 4500,
        amountDiscount: 500,
        lines: [{ price: 'price_tshirt', productName: 'T-shirt', quantity: 2, unitAmount: 2500 }],
      }),
      payment('pi_yen', 19, {
        amount: 4050,
        amountDiscount: 450,
        currency: 'jpy',
        lines: [{ price: 'price_mug_jpy', productName: 'Mug', quantity: 3, unitAmount: 1500 }],
      }),
      payment('pi_fils', 18, {
        amount: 6750,
        amountDiscount: 750,
        amountRefunded: 1000,
        currency: 'kwd',
        lines: [
          { price: 'price_tshirt_kwd', productName: 'T-shirt', quantity: 1, unitAmount: 7500 },
        ],
      }),
      ...PAYMENTS,
    ];
    routes['GET /payments'] = () => ({ data: discounted, hasMore: false });
    const { container } = renderHistory();
    await screen.findByRole('list');
    const discountOf = (date: string) =>
      order(date).querySelector('[data-slot="payment-history-discount"]');
    expect(discountOf('May 20, 2026')?.textContent).toBe('Discount -$5.00');
    expect(discountOf('May 19, 2026')?.textContent).toBe('Discount -¥450');
    // formatMoney's KWD: a no-break space after the code.
    expect(discountOf('May 18, 2026')?.textContent).toBe('Discount -KWD\u00a00.750');
    // In the order's text, after what was bought: the lines' $50.00 less $5.00 is the $45.00 paid.
    expect(order('May 20, 2026')).toHaveTextContent(
      /^May 20, 2026\$45\.00 Paid Receipt2 × T-shirtDiscount -\$5\.00$/,
    );
    expect(within(order('May 20, 2026')).getByText('Discount -$5.00')).toBeVisible();
    // No discount: nothing said of one.
    expect(discountOf('May 15, 2026')).toBeNull();
    expect(container.querySelectorAll('[data-slot="payment-history-discount"]')).toHaveLength(3);
    expect(await axeViolations(container)).toEqual([]);
  });

  it('gives the hook a state union, with the helpers per order', async () => {
    const { result } = renderHook(() => usePaymentHistory({ pageSize: 4 }), {
      wrapper: ({ children }) => (
        <TillkitProvider apiBase={API} stripe={null} locale="en-US">
          {children}
        </TillkitProvider>
      ),
    });
    expect(result.current.state).toEqual({ status: 'loading', payments: [], error: null });
    await waitFor(() => expect(result.current.state.status).toBe('ready'));
    expect(reads()).toEqual([{ limit: '4' }]);
    const [cart, jpy, kwd, part] = result.current.state.payments;
    expect(cart).toMatchObject({
      id: 'pi_cart',
      state: 'paid',
      statusLabel: 'Paid',
      date: 'May 15, 2026',
      formattedAmount: '$64.00',
      summary: '2 × T-shirt, 1 × Mug',
      discount: null,
      receiptUrl: 'https://pay.stripe.com/receipts/payment/pi_cart',
    });
    expect(jpy).toMatchObject({ state: 'processing', summary: '1 × Mug', receiptUrl: null });
    expect(kwd).toMatchObject({ state: 'refunded', statusLabel: 'Refunded', summary: null });
    expect(part).toMatchObject({ state: 'partially_refunded', statusLabel: '$5.00 refunded' });
    expect(result.current.hasMore).toBe(false);
  });

  it('takes a heading level for the dates', async () => {
    renderHistory(<PaymentHistory headingLevel={2} />);
    await screen.findByRole('list');
    expect(screen.getAllByRole('heading', { level: 2 })).toHaveLength(4);
    expect(screen.queryByRole('heading', { level: 3 })).toBeNull();
  });

  it('says when there are no orders', async () => {
    routes['GET /payments'] = () => ({ data: [], hasMore: false });
    const { container } = renderHistory();
    await waitFor(() => expect(screen.getByRole('status')).toHaveTextContent('No orders yet.'));
    expect(container.firstElementChild).toHaveAttribute('data-state', 'empty');
    expect(screen.queryByRole('list')).toBeNull();
    expect(await axeViolations(container)).toEqual([]);
  });

  it("shows a guest (401) the kit's load error, and reads again on Try again", async () => {
    routes['GET /payments'] = () => errorAnswer(401, 'unauthenticated');
    const { container } = renderHistory();
    const root = container.firstElementChild as HTMLElement;
    const retry = await screen.findByRole('button', { name: 'Try again' });
    expect(root).toHaveAttribute('data-state', 'failed');
    expect(screen.getByRole('alert')).toHaveTextContent(
      'This could not be loaded. Check your connection and try again.',
    );
    expect(screen.queryByRole('list')).toBeNull();
    expect(await axeViolations(container)).toEqual([]);

    routes['GET /payments'] = () => ({ data: PAYMENTS, hasMore: false });
    await userEvent.click(retry);
    // The button goes while they load: focus stays in the history's root.
    expect(root).toHaveFocus();
    expect(await screen.findByRole('list', { name: 'Your orders' })).toBeVisible();
    expect(root).toHaveAttribute('data-state', 'ready');
    expect(screen.getByRole('alert')).toBeEmptyDOMElement();
  });

  describe('pages', () => {
    it('adds the next page below, after the last order shown, until there are no more', async () => {
      const first = older(0, 3);
      const second = older(3, 2);
      routes['GET /payments'] = () => {
        const query = reads().at(-1);
        return query?.startingAfter === 'pi_old_2'
          ? { data: second, hasMore: false }
          : { data: first, hasMore: true };
      };
      const { container } = renderHistory(<PaymentHistory pageSize={3} />);
      const more = await screen.findByRole('button', { name: 'Show older orders' });
      expect(screen.getAllByRole('listitem')).toHaveLength(3);
      const user = userEvent.setup();
      more.focus();
      await user.keyboard('{Enter}');
      await waitFor(() => expect(screen.getAllByRole('listitem')).toHaveLength(5));
      expect(reads()).toEqual([{ limit: '3' }, { limit: '3', startingAfter: 'pi_old_2' }]);
      // The last page: the button goes, and focus with it to the history's root.
      expect(screen.queryByRole('button', { name: 'Show older orders' })).toBeNull();
      expect(container.firstElementChild).toHaveFocus();
    });

    it('loads one page at a time, busy but focusable meanwhile', async () => {
      routes['GET /payments'] = () => ({ data: older(0, 2), hasMore: true });
      renderHistory(<PaymentHistory pageSize={2} />);
      const more = await screen.findByRole('button', { name: 'Show older orders' });
      const held = deferred();
      routes['GET /payments'] = () => held.promise;
      const user = userEvent.setup();
      await user.click(more);
      expect(more).toHaveAttribute('aria-disabled', 'true');
      expect(more).toHaveAttribute('data-state', 'loading');
      expect(more).toBeEnabled();
      expect(screen.getByRole('status')).toHaveTextContent('Loading…');
      await user.click(more);
      await user.click(more);
      expect(reads()).toHaveLength(2);

      await act(async () => held.settle({ data: older(2, 2), hasMore: true }));
      await waitFor(() => expect(screen.getAllByRole('listitem')).toHaveLength(4));
      expect(more).not.toHaveAttribute('aria-disabled');
      expect(more).toHaveFocus();
      expect(reads()).toHaveLength(2);
    });

    it('keeps the orders shown when the next page cannot be read, and reads it on the next press', async () => {
      routes['GET /payments'] = () => ({ data: older(0, 2), hasMore: true });
      const { container } = renderHistory(<PaymentHistory pageSize={2} />);
      const more = await screen.findByRole('button', { name: 'Show older orders' });
      routes['GET /payments'] = () => errorAnswer(503, 'stripe_unavailable');
      await userEvent.click(more);
      const alert = screen.getByRole('alert');
      await waitFor(() =>
        expect(alert).toHaveTextContent('Something went wrong. Please try again.'),
      );
      await waitFor(() => expect(alert).toHaveFocus());
      expect(screen.getAllByRole('listitem')).toHaveLength(2);
      expect(container.firstElementChild).toHaveAttribute('data-state', 'ready');
      expect(screen.queryByRole('button', { name: 'Try again' })).toBeNull();

      routes['GET /payments'] = () => ({ data: older(2, 1), hasMore: false });
      await userEvent.click(more);
      await waitFor(() => expect(screen.getAllByRole('listitem')).toHaveLength(3));
      expect(alert).toBeEmptyDOMElement();
      expect(reads().at(-1)).toEqual({ limit: '2', startingAfter: 'pi_old_1' });
    });
  });

  it('reads the orders again once a payment form of the kit went through, keeping the pages read', async () => {
    const fake = createFakeStripe();
    routes['GET /prices'] = () => CATALOG;
    routes['POST /payment-intents'] = () => ({
      id: 'pi_new',
      clientSecret: 'pi_fake_secret_x',
      amount: 2500,
      currency: 'usd',
      status: 'requires_payment_method',
    });
    routes['GET /payments'] = () =>
      reads().at(-1)?.startingAfter
        ? { data: older(2, 2), hasMore: false }
        : { data: older(0, 2), hasMore: true };
    render(
      <TillkitProvider apiBase={API} stripe={fake.stripe} locale="en-US">
        <PaymentHistory pageSize={2} />
        <PaymentForm items={[{ price: 'price_tshirt', quantity: 1 }]} />
      </TillkitProvider>,
    );
    await userEvent.click(await screen.findByRole('button', { name: 'Show older orders' }));
    await waitFor(() => expect(screen.getAllByRole('listitem')).toHaveLength(4));

    routes['GET /payments'] = () => ({
      data: [payment('pi_new', 16), ...older(0, 3)],
      hasMore: true,
    });
    const pay = await screen.findByRole('button', { name: 'Pay $25.00' });
    await waitFor(() => expect(pay).toBeEnabled());
    await userEvent.click(pay);
    expect(await screen.findByRole('heading', { name: 'May 16, 2026' })).toBeVisible();
    // As many as were shown: the new order first, the pages read kept.
    expect(reads().at(-1)).toEqual({ limit: '4' });
    expect(screen.getAllByRole('listitem')).toHaveLength(4);
    expect(screen.getByRole('button', { name: 'Show older orders' })).toBeVisible();
  });

  it('speaks German, with dates and amounts in the provider’s locale', async () => {
    renderHistory(<PaymentHistory />, { messages: de, locale: 'de-DE' });
    const list = await screen.findByRole('list', { name: 'Ihre Bestellungen' });
    const cart = order('15. Mai 2026');
    expect(within(cart).getByText('Bezahlt')).toBeVisible();
    expect(cart).toHaveTextContent('64,00 $');
    expect(within(cart).getByText('2 × T-shirt, 1 × Mug')).toBeVisible();
    expect(within(order('14. Mai 2026')).getByText('In Bearbeitung')).toBeVisible();
    expect(within(order('13. Mai 2026')).getByText('Erstattet')).toBeVisible();
    expect(within(order('12. Mai 2026')).getByText('5,00 $ erstattet')).toBeVisible();
    const receipt = within(cart).getByRole('link');
    expect(receipt).toHaveTextContent(/^Beleg$/);
    // formatMoney's de-DE: a no-break space before the currency.
    expect(receipt).toHaveAccessibleName(
      'Beleg über 64,00\u00a0$ vom 15. Mai 2026 (öffnet in neuem Tab)',
    );
    expect(within(list).getAllByRole('listitem')).toHaveLength(4);
  });

  it('says the discount in German, in the provider’s locale', async () => {
    routes['GET /payments'] = () => ({
      data: [
        payment('pi_usd', 20, { amount: 4500, amountDiscount: 500 }),
        payment('pi_fils', 18, { amount: 6750, amountDiscount: 750, currency: 'kwd' }),
      ],
      hasMore: false,
    });
    renderHistory(<PaymentHistory />, { messages: de, locale: 'de-DE' });
    await screen.findByRole('list');
    const discountOf = (date: string) =>
      order(date).querySelector('[data-slot="payment-history-discount"]')?.textContent;
    expect(discountOf('20. Mai 2026')).toBe('Rabatt -5,00\u00a0$');
    expect(discountOf('18. Mai 2026')).toBe('Rabatt -0,750\u00a0KWD');
  });

  it('speaks German when empty, failed and with more to read', async () => {
    routes['GET /payments'] = () => ({ data: [], hasMore: false });
    const empty = renderHistory(<PaymentHistory />, { messages: de, locale: 'de-DE' });
    await waitFor(() =>
      expect(screen.getByRole('status')).toHaveTextContent('Noch keine Bestellungen.'),
    );
    empty.unmount();
    routes['GET /payments'] = () => ({ data: PAYMENTS, hasMore: true });
    const more = renderHistory(<PaymentHistory />, { messages: de, locale: 'de-DE' });
    expect(
      await screen.findByRole('button', { name: 'Ältere Bestellungen anzeigen' }),
    ).toBeVisible();
    more.unmount();
    routes['GET /payments'] = () => errorAnswer(401, 'unauthenticated');
    renderHistory(<PaymentHistory />, { messages: de, locale: 'de-DE' });
    expect(await screen.findByRole('button', { name: 'Erneut versuchen' })).toBeVisible();
    expect(screen.getByRole('alert')).toHaveTextContent('Das konnte nicht geladen werden.');
  });
});
