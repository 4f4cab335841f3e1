/**
 * `PaymentHistory` (examples/payment-history/orders.tsx): the demo customer's orders. The in-page
 * demo server keeps no carts, so each story serves `GET /payments` from a fixed list, as the
 * real server answers it: the caller's payments newest first, a page of `limit` after
 * `startingAfter`, `hasMore`, and 401 for a guest.
 */
import type { Meta, StoryObj } from '@storybook/react-vite';
import type { Payment } from '@tillkit/protocol';
import { formatMoney } from '@tillkit/react';
import { HttpResponse, http, type RequestHandler } from 'msw';
import { expect, waitFor, within } from 'storybook/test';
import { OrderHistory } from '../../packages/react/examples/payment-history/orders.js';
import { API_BASE, DEMO_TOKEN, errorResponse } from '../mocks/demo-server.js';
import { answer, pending, serverError } from '../mocks/handlers.js';
import { formatMessage, messagesFor } from '../play/messages.js';
import { expectState, part } from '../play/state.js';
import { LANGUAGES, type LanguageName } from '../tillkit-decorator.js';

const line = (productName: string, quantity: number, unitAmount: number) => ({
  price: `price_${productName.toLowerCase()}`,
  productName,
  quantity,
  unitAmount,
});

/** Stripe's receipt page for a payment. */
const receipt = (id: string) => `https://pay.stripe.com/receipts/payment/${id}`;

/**
 * Paid, processing, refunded in full and in part; in USD, JPY, KWD and EUR; one without lines; one
 * paid with a promotion code (its lines the prices as listed, its amount what was charged); each
 * with a receipt but the one processing.
 */
const ORDERS: Payment[] = [
  {
    id: 'pi_cart',
    status: 'succeeded',
    amount: 6400,
    amountRefunded: 0,
    amountDiscount: 0,
    currency: 'usd',
    createdAt: '2026-05-15T12:00:00.000Z',
    receiptUrl: receipt('pi_cart'),
    lines: [line('T-shirt', 2, 2500), line('Mug', 1, 1400)],
  },
  {
    id: 'pi_yen',
    status: 'processing',
    amount: 1500,
    amountRefunded: 0,
    amountDiscount: 0,
    currency: 'jpy',
    createdAt: '2026-05-12T12:00:00.000Z',
    // Processing: not paid yet, so Stripe has no receipt.
    receiptUrl: null,
    lines: [line('Mug', 1, 1500)],
  },
  {
    id: 'pi_kwd',
    status: 'succeeded',
    // WELCOME10 on a Checkout page: KWD 7.500 less 0.750.
    amount: 6750,
    amountRefunded: 6750,
    amountDiscount: 750,
    currency: 'kwd',
    createdAt: '2026-04-30T12:00:00.000Z',
    receiptUrl: receipt('pi_kwd'),
    lines: [line('T-shirt', 1, 7500)],
  },
  {
    id: 'pi_eur',
    status: 'succeeded',
    amount: 4000,
    amountRefunded: 1000,
    amountDiscount: 0,
    currency: 'eur',
    createdAt: '2026-04-02T12:00:00.000Z',
    receiptUrl: receipt('pi_eur'),
    lines: [],
  },
];

/** Twelve orders: a page of ten, then two more. */
const MANY: Payment[] = Array.from({ length: 12 }, (_, index) => ({
  ...(ORDERS[0] as Payment),
  id: `pi_order_${index}`,
  amount: 2500 * (index + 1),
  createdAt: new Date(Date.UTC(2026, 4, 28 - index * 2, 12)).toISOString(),
  receiptUrl: receipt(`pi_order_${index}`),
  lines: [line('T-shirt', index + 1, 2500)],
}));

/**
 * `GET /payments` as the server answers it, from `all`: 401 without the demo customer's token;
 * `failAfter`: a page after the first fails with the server's 500.
 */
function payments(all: Payment[], failAfter = false): RequestHandler {
  return http.get(`${API_BASE}/payments`, ({ request }) => {
    if (request.headers.get('authorization') !== `Bearer ${DEMO_TOKEN}`) {
      return errorResponse(401, 'unauthenticated', 'Sign in first.');
    }
    const query = new URL(request.url).searchParams;
    const after = query.get('startingAfter');
    if (after && failAfter) return errorResponse(500, 'internal_error', 'Something failed.');
    const start = after ? all.findIndex((payment) => payment.id === after) + 1 : 0;
    const end = start + Number(query.get('limit') ?? 20);
    return HttpResponse.json({ data: all.slice(start, end), hasMore: end < all.length });
  });
}

const meta = {
  title: 'Account/PaymentHistory',
  component: OrderHistory,
  parameters: { msw: [payments(ORDERS)] },
} satisfies Meta<typeof OrderHistory>;

export default meta;
type Story = StoryObj<typeof meta>;

const SLOT = 'payment-history';
const items = (root: HTMLElement) => [
  ...root.querySelectorAll<HTMLElement>('[data-slot="payment-history-item"]'),
];
const localeOf = (globals: Record<string, unknown>) =>
  LANGUAGES[(globals.locale as LanguageName | undefined) ?? 'en'].locale;

/** Reading the orders (`GET /payments` never answers). */
export const Loading: Story = {
  parameters: { msw: [pending('get', '/payments')] },
  play: async ({ canvasElement, canvas, globals }) => {
    await expectState(canvasElement, SLOT, 'loading');
    await expect(canvas.getByRole('status')).toHaveTextContent(messagesFor(globals).loading);
  },
};

/**
 * Four orders: paid (a cart of two lines, in dollars), processing (yen, no decimals), refunded
 * (dinars, three decimals, paid with a promotion code: its discount shown after the line) and
 * partly refunded (euros; a payment whose cart the server never saw).
 * Each links to its receipt in a new tab, named by its amount and date, but the one processing.
 */
export const Ready: Story = {
  play: async ({ canvasElement, canvas, globals }) => {
    const t = messagesFor(globals);
    const locale = localeOf(globals);
    await expectState(canvasElement, SLOT, 'ready');
    const list = canvas.getByRole('list', { name: t.paymentHistory });
    await expect(items(canvasElement).map((item) => item.dataset.state)).toEqual([
      'paid',
      'processing',
      'refunded',
      'partially_refunded',
    ]);
    const day = new Intl.DateTimeFormat(locale, { dateStyle: 'long' });
    await expect(
      within(list)
        .getAllByRole('heading', { level: 3 })
        .map((heading) => heading.textContent),
    ).toEqual(ORDERS.map((order) => day.format(new Date(order.createdAt))));
    const [cart, yen, kwd, eur] = items(canvasElement) as HTMLElement[];
    const amount = (item: HTMLElement | undefined) =>
      item?.querySelector('[data-slot="payment-history-amount"]')?.textContent;
    await expect(amount(cart)).toBe(formatMoney(6400, 'usd', locale));
    await expect(amount(yen)).toBe(formatMoney(1500, 'jpy', locale));
    await expect(amount(kwd)).toBe(formatMoney(6750, 'kwd', locale));
    const discount = (item: HTMLElement | undefined) =>
      item?.querySelector('[data-slot="payment-history-discount"]')?.textContent;
    await expect(discount(kwd)).toBe(
      formatMessage(t.paymentDiscount, { amount: formatMoney(-750, 'kwd', locale) }),
    );
    await expect(discount(cart)).toBeUndefined();
    const lines = (count: number, product: string) =>
      formatMessage(t.paymentLine, { quantity: String(count), product });
    await expect(within(cart as HTMLElement).getByText(t.paymentPaid)).toBeVisible();
    await expect(
      within(cart as HTMLElement).getByText(
        new Intl.ListFormat(locale, { style: 'short', type: 'unit' }).format([
          lines(2, 'T-shirt'),
          lines(1, 'Mug'),
        ]),
      ),
    ).toBeVisible();
    await expect(within(yen as HTMLElement).getByText(t.paymentProcessing)).toBeVisible();
    await expect(within(kwd as HTMLElement).getByText(t.paymentRefunded)).toBeVisible();
    await expect(eur).toHaveTextContent(
      formatMessage(t.paymentPartiallyRefunded, {
        amount: formatMoney(1000, 'eur', locale),
      }).replace(/\s+/g, ' '),
    );
    await expect(eur?.querySelector('[data-slot="payment-history-lines"]')).toBeNull();
    const receiptLink = within(cart as HTMLElement).getByRole('link');
    await expect(receiptLink).toHaveTextContent(t.viewReceipt);
    await expect(receiptLink).toHaveAccessibleName(
      formatMessage(t.receiptFor, {
        amount: formatMoney(6400, 'usd', locale),
        date: day.format(new Date('2026-05-15T12:00:00.000Z')),
      }),
    );
    await expect(receiptLink).toHaveAttribute('href', receipt('pi_cart'));
    await expect(receiptLink).toHaveAttribute('target', '_blank');
    await expect(receiptLink).toHaveAttribute('rel', 'noopener noreferrer');
    await expect(within(yen as HTMLElement).queryByRole('link')).toBeNull();
    await expect(canvas.getAllByRole('link')).toHaveLength(3);
    await expect(canvas.queryByRole('button')).toBeNull();
  },
};

/** No order yet. */
export const Empty: Story = {
  parameters: { msw: [answer('get', '/payments', { data: [], hasMore: false })] },
  play: async ({ canvasElement, canvas, globals }) => {
    await expectState(canvasElement, SLOT, 'empty');
    await expect(canvas.getByRole('status')).toHaveTextContent(messagesFor(globals).noPayments);
    await expect(canvas.queryByRole('list')).toBeNull();
  },
};

/** The orders could not be read (`GET /payments` answers 500): the reason and "Try again". */
export const ServerError: Story = {
  parameters: { msw: [serverError('get', '/payments')] },
  play: async ({ canvasElement, canvas, globals }) => {
    const t = messagesFor(globals);
    await expectState(canvasElement, SLOT, 'failed');
    await expect(canvas.getByRole('alert')).toHaveTextContent(t.loadError);
    await expect(canvas.getByRole('button', { name: t.tryAgain })).toBeVisible();
  },
};

/** A guest (no token): the server answers 401, which shows as the kit's load error. */
export const Guest: Story = {
  parameters: { tillkit: { guest: true } },
  play: async ({ canvasElement, canvas, globals }) => {
    const t = messagesFor(globals);
    await expectState(canvasElement, SLOT, 'failed');
    await expect(canvas.getByRole('alert')).toHaveTextContent(t.loadError);
    await expect(canvas.queryByRole('list')).toBeNull();
  },
};

/**
 * Twelve orders: ten, then "Show older orders" adds the last two below and goes; focus moves to
 * the history's root rather than the page's body.
 */
export const MorePages: Story = {
  parameters: { msw: [payments(MANY)] },
  play: async ({ canvasElement, canvas, userEvent, globals }) => {
    const t = messagesFor(globals);
    await expectState(canvasElement, SLOT, 'ready');
    await expect(items(canvasElement)).toHaveLength(10);
    await userEvent.click(canvas.getByRole('button', { name: t.loadMorePayments }));
    await waitFor(() => expect(items(canvasElement)).toHaveLength(12));
    await expect(canvas.queryByRole('button', { name: t.loadMorePayments })).toBeNull();
    await waitFor(() => expect(part(canvasElement, SLOT)).toHaveFocus());
  },
};

/**
 * The next page could not be read: the ten orders stay, the reason is in the alert (focused), and
 * "Show older orders" stays to try again.
 */
export const MorePagesFailed: Story = {
  parameters: { msw: [payments(MANY, true)] },
  play: async ({ canvasElement, canvas, userEvent, globals }) => {
    const t = messagesFor(globals);
    await expectState(canvasElement, SLOT, 'ready');
    await userEvent.click(canvas.getByRole('button', { name: t.loadMorePayments }));
    const alert = canvas.getByRole('alert');
    await waitFor(() => expect(alert).toHaveTextContent(t.genericError));
    await waitFor(() => expect(alert).toHaveFocus());
    await expect(items(canvasElement)).toHaveLength(10);
    await expect(canvas.getByRole('button', { name: t.loadMorePayments })).toBeVisible();
  },
};
