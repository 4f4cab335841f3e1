'use client';
/**
 * `usePaymentHistory()`: the signed-in caller's orders (`GET /payments`: their payments that went
 * through, newest first), a page at a time, with each one's date, amount, lines, discount and
 * status (paid, processing, refunded in full or in part) worded in the provider's language and
 * locale.
 */
import type { Payment, PaymentsResponse } from '@tillkit/protocol';
import { listPayments } from '@tillkit/protocol/client';
import { useState } from 'react';
import type { TillkitFailure } from '../internal/errors.js';
import { type ServerListStatus, useServerList } from '../internal/use-server-list.js';
import { type CommonMessages, formatMessage } from '../messages/messages.js';
import { useMessages, useTillkitContext } from '../provider/tillkit-provider.js';
import { type PaymentHistoryMessages, paymentHistoryMessages } from './messages.js';

export interface UsePaymentHistoryProps {
  /** How many orders a page holds (the first, and each `loadMore()`), 1 to 100. @default 10 */
  pageSize?: number;
}

/** `paid`, `processing` (a bank debit on its way), `refunded` in full or `partially_refunded`. */
export type PaymentHistoryEntryStatus = 'paid' | 'processing' | 'refunded' | 'partially_refunded';

/** An order as the history shows it. */
export interface PaymentHistoryEntry extends Payment {
  state: PaymentHistoryEntryStatus;
  /** "Paid", "Processing", "Refunded", "$5.00 refunded". */
  statusLabel: string;
  /** "May 15, 2026": the day it was made, in the provider's locale. */
  date: string;
  /** "$25.00", "¥1,500", "KWD 7.500". */
  formattedAmount: string;
  /** "2 × T-shirt, 1 × Mug"; null when the server has no lines for it. */
  summary: string | null;
  /**
   * "Discount -$5.00": what a promotion code took off the lines' prices (`amountDiscount`, in the
   * provider's locale); null when nothing was.
   */
  discount: string | null;
}

/**
 * `loading` until the first answer, `failed` when the orders could not be read, `empty` or
 * `ready`. `error` in `ready`: why the next page could not be read (the orders shown stay).
 */
export type PaymentHistoryState =
  | { status: 'loading'; payments: []; error: null }
  | { status: 'failed'; payments: []; error: TillkitFailure }
  | { status: 'empty' | 'ready'; payments: PaymentHistoryEntry[]; error: TillkitFailure | null };

export type PaymentHistoryStatus = ServerListStatus;

export interface UsePaymentHistoryReturn {
  state: PaymentHistoryState;
  status: PaymentHistoryStatus;
  payments: PaymentHistoryEntry[];
  error: TillkitFailure | null;
  /** The server has older orders than those shown. */
  hasMore: boolean;
  /** The next page is on its way. */
  loadingMore: boolean;
  /**
   * Reads the next page (the orders after the last one shown) and adds it below; does nothing
   * while a page is on its way or when there is none. False when it read nothing.
   */
  loadMore(): Promise<boolean>;
  /** Reads the orders again (what is shown stays until the answer). */
  refresh(): void;
  /** A ref for the error region, which takes focus when the next page could not be read. */
  errorRef: (node: HTMLElement | null) => void;
  messages: CommonMessages & PaymentHistoryMessages;
}

const STATUS = {
  paid: 'paymentPaid',
  processing: 'paymentProcessing',
  refunded: 'paymentRefunded',
  partially_refunded: 'paymentPartiallyRefunded',
} as const;

/**
 * The headless order history.
 * @example
 * const { payments, hasMore, loadMore } = usePaymentHistory({ pageSize: 20 });
 */
export function usePaymentHistory(props: UsePaymentHistoryProps = {}): UsePaymentHistoryReturn {
  const tillkit = useTillkitContext('usePaymentHistory()');
  const messages = useMessages(tillkit, paymentHistoryMessages);
  const { locale, formatMoney } = tillkit;
  const pageSize = props.pageSize ?? 10;
  const [hasMore, setHasMore] = useState(false);
  const { items, act, pending, status, error, refresh, errorRef } = useServerList<Payment>(
    tillkit,
    messages,
    (transport): Promise<PaymentsResponse> =>
      // Read again (a card form went through, `refresh()`): as many as are shown, so that the
      // pages read stay (the server gives at most 100).
      listPayments(transport, {
        limit: Math.min(Math.max(items.length, pageSize), 100),
      }).then((page) => {
        setHasMore(page.hasMore);
        return page;
      }),
  );
  const day = new Intl.DateTimeFormat(locale, { dateStyle: 'long' });
  const list = new Intl.ListFormat(locale, { style: 'short', type: 'unit' });
  const payments = items.map((payment): PaymentHistoryEntry => {
    const { amount, amountRefunded: refunded, amountDiscount: off, currency, lines } = payment;
    const state: PaymentHistoryEntryStatus =
      refunded > 0
        ? refunded < amount
          ? 'partially_refunded'
          : 'refunded'
        : payment.status === 'processing'
          ? 'processing'
          : 'paid';
    return {
      ...payment,
      state,
      statusLabel: formatMessage(messages[STATUS[state]], {
        amount: formatMoney(refunded, currency),
      }),
      date: day.format(new Date(payment.createdAt)),
      formattedAmount: formatMoney(amount, currency),
      summary: lines.length
        ? list.format(
            lines.map((line) =>
              formatMessage(messages.paymentLine, {
                quantity: String(line.quantity),
                product: line.productName,
              }),
            ),
          )
        : null,
      // None for 0, and for an older server's answer without the field.
      discount: off
        ? formatMessage(messages.paymentDiscount, { amount: formatMoney(-off, currency) })
        : null,
    };
  });
  return {
    state: { status, payments, error } as PaymentHistoryState,
    status,
    payments,
    error,
    hasMore,
    loadingMore: pending !== null,
    loadMore: () =>
      hasMore
        ? act(
            'more',
            () =>
              listPayments(tillkit.transport, {
                limit: pageSize,
                startingAfter: items.at(-1)?.id,
              }),
            undefined,
            (shown, page) => [...shown, ...page.data],
            (page) => {
              setHasMore(page.hasMore);
              return null;
            },
          )
        : Promise.resolve(false),
    refresh,
    errorRef,
    messages,
  };
}
