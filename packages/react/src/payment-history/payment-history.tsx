'use client';
/**
 * `PaymentHistory`: the order history's unstyled parts and their ready-made composition.
 */
import { type ComponentPropsWithoutRef, type ReactNode, useEffect, useRef } from 'react';
import { createPartsContext } from '../internal/create-parts-context.js';
import { mergeRefs } from '../internal/merge-refs.js';
import {
  alertPart,
  chain,
  type HeadingLevel,
  part,
  retryPart,
  root,
  rootProvider,
} from '../internal/part.js';
import { formatMessage } from '../messages/messages.js';
import {
  type PaymentHistoryEntry,
  type UsePaymentHistoryProps,
  type UsePaymentHistoryReturn,
  usePaymentHistory,
} from './use-payment-history.js';

/** The context a Root gives its parts, and the hook the parts read it with (it throws outside a Root). */
export const [PaymentHistoryContext, usePaymentHistoryContext] =
  /* @__PURE__ */ createPartsContext<UsePaymentHistoryReturn>('PaymentHistory');

type Div = ComponentPropsWithoutRef<'div'>;
export type PaymentHistoryRootProviderProps = Div & { value: UsePaymentHistoryReturn };
export type PaymentHistoryRootProps = Div & UsePaymentHistoryProps;

const ROOT_SLOT = 'payment-history';

/**
 * `<div>` for a `usePaymentHistory()` you called yourself. Focus lands here when "Try again" goes,
 * and when "Show older orders" goes after the last page.
 */
export const PaymentHistoryRootProvider = /* @__PURE__ */ rootProvider<
  UsePaymentHistoryReturn,
  Div,
  HTMLDivElement
>(PaymentHistoryContext, 'div', (value) => ({
  'data-slot': ROOT_SLOT,
  'data-state': value.status,
  'aria-busy': value.status === 'loading' || value.loadingMore,
  // Focus lands here when a control goes: a named group says where it is ("Your orders").
  role: 'group',
  'aria-label': value.messages.paymentHistory,
  tabIndex: -1,
}));

/** `<div>`: runs `usePaymentHistory()` and gives the parts its state. */
export const PaymentHistoryRoot = /* @__PURE__ */ root<UsePaymentHistoryProps, Div, HTMLDivElement>(
  PaymentHistoryRootProvider,
  usePaymentHistory,
  ['pageSize'],
);

export interface PaymentHistoryListProps extends Omit<ComponentPropsWithoutRef<'ul'>, 'children'> {
  /** Renders each order. @default `<PaymentHistory.Item payment={payment} />` */
  children?: (payment: PaymentHistoryEntry) => ReactNode;
  /** The default items' date headings. @default 3 */
  headingLevel?: HeadingLevel;
}

/**
 * `<ul role="list">` of the orders, named "Your orders"; nothing while there are none. The role is
 * explicit: WebKit drops the list role of a list styled `list-style: none`.
 */
export const PaymentHistoryList = /* @__PURE__ */ part<PaymentHistoryListProps, HTMLUListElement>(
  ({ children, headingLevel, ...props }) => {
    const { payments, messages } = usePaymentHistoryContext();
    return payments.length
      ? [
          'ul',
          {
            'data-slot': 'payment-history-list',
            role: 'list',
            'aria-label': messages.paymentHistory,
            ...props,
            children: payments.map((payment) =>
              children ? (
                children(payment)
              ) : (
                <PaymentHistoryItem
                  key={payment.id}
                  payment={payment}
                  headingLevel={headingLevel}
                />
              ),
            ),
          },
        ]
      : null;
  },
);

export interface PaymentHistoryItemProps extends ComponentPropsWithoutRef<'li'> {
  payment: PaymentHistoryEntry;
  /** The date's heading. @default 3 */
  headingLevel?: HeadingLevel;
}

/**
 * `<li>` for one order (`data-state`: `paid`, `processing`, `refunded` or `partially_refunded`):
 * its date (a heading), amount, status, receipt link, what was bought and its discount, unless
 * given children.
 */
export const PaymentHistoryItem = /* @__PURE__ */ part<PaymentHistoryItemProps, HTMLLIElement>(
  ({ payment, headingLevel = 3, children, ...props }) => {
    const Heading = `h${headingLevel}` as const;
    return [
      'li',
      {
        'data-slot': 'payment-history-item',
        'data-state': payment.state,
        ...props,
        children: children ?? (
          <>
            <Heading data-slot="payment-history-date">{payment.date}</Heading>
            <span data-slot="payment-history-amount">{payment.formattedAmount}</span>{' '}
            <span data-slot="payment-history-badge" data-state={payment.state}>
              {payment.statusLabel}
            </span>{' '}
            <PaymentHistoryReceipt payment={payment} />
            {payment.summary ? <p data-slot="payment-history-lines">{payment.summary}</p> : null}
            {payment.discount ? (
              <p data-slot="payment-history-discount">{payment.discount}</p>
            ) : null}
          </>
        ),
      },
    ];
  },
);

export interface PaymentHistoryReceiptProps extends ComponentPropsWithoutRef<'a'> {
  payment: PaymentHistoryEntry;
}

/**
 * `<a>` "Receipt": the order's receipt on Stripe's page, in a new tab; nothing while there is none
 * (`receiptUrl` null: not paid yet). Every order's link says "Receipt", and screen readers list
 * links by name alone (not their description), so the name says whose it is and that it opens a
 * tab: "Receipt for $64.00 on May 15, 2026 (opens in a new tab)" (`messages.receiptFor`).
 */
export const PaymentHistoryReceipt = /* @__PURE__ */ part<
  PaymentHistoryReceiptProps,
  HTMLAnchorElement
>(({ payment, ...props }) => {
  const { messages } = usePaymentHistoryContext();
  return payment.receiptUrl
    ? [
        'a',
        {
          'data-slot': 'payment-history-receipt',
          href: payment.receiptUrl,
          target: '_blank',
          rel: 'noopener noreferrer',
          'aria-label': formatMessage(messages.receiptFor, {
            amount: payment.formattedAmount,
            date: payment.date,
          }),
          children: messages.viewReceipt,
          ...props,
        },
      ]
    : null;
});

export type PaymentHistoryLoadMoreProps = ComponentPropsWithoutRef<'button'>;

/**
 * `<button>` "Show older orders", while the server has more: reads the next page. Busy
 * (`aria-disabled`, `data-state="loading"`) while it is on its way rather than disabled, so focus
 * stays on it; once the last page is read it goes, and focus moves to the history's root.
 */
export const PaymentHistoryLoadMore = /* @__PURE__ */ part<
  PaymentHistoryLoadMoreProps,
  HTMLButtonElement
>(({ children, onClick, ...props }, ref) => {
  const { hasMore, loadingMore, loadMore, messages } = usePaymentHistoryContext();
  const node = useRef<HTMLButtonElement | null>(null);
  // Set when the customer pressed it, until it comes or goes.
  const pressed = useRef(false);
  // biome-ignore lint/correctness/useExhaustiveDependencies: runs when the button comes and goes
  useEffect(() => {
    const button = node.current;
    const home = button?.closest<HTMLElement>(`[data-slot="${ROOT_SLOT}"]`);
    return () => {
      // It went after the last page, which leaves focus on the page's body: to the root instead.
      // Focus the customer moved elsewhere meanwhile stays.
      const active = button?.ownerDocument.activeElement;
      if (pressed.current && (!active || active === button?.ownerDocument.body)) home?.focus();
      pressed.current = false;
    };
  }, [hasMore]);
  return hasMore
    ? [
        'button',
        {
          type: 'button',
          'data-slot': 'payment-history-load-more',
          'data-state': loadingMore ? 'loading' : 'idle',
          'aria-busy': loadingMore,
          'aria-disabled': loadingMore || undefined,
          children: children ?? messages.loadMorePayments,
          ...props,
          ref: mergeRefs(node, ref),
          onClick: chain(onClick, () => {
            pressed.current = true;
            return loadMore();
          }),
        },
      ]
    : null;
});

/** `<div role="alert">`: why the orders, or the next page, could not load; takes focus then. */
export const PaymentHistoryError = /* @__PURE__ */ alertPart(
  'payment-history-error',
  usePaymentHistoryContext,
);

export type PaymentHistoryRetryProps = ComponentPropsWithoutRef<'button'>;

/**
 * `<button>` "Try again", only while the orders could not be loaded: reads them again
 * (`refresh()`). It goes while they load, so focus moves to the history's root first.
 */
export const PaymentHistoryRetry = /* @__PURE__ */ retryPart(ROOT_SLOT, usePaymentHistoryContext);

export interface PaymentHistoryProps extends PaymentHistoryRootProps {
  /** The orders' date headings (`<h3>` by default): one below the page's heading above. */
  headingLevel?: HeadingLevel;
}

function PaymentHistoryComposed({ headingLevel, ...props }: PaymentHistoryProps): ReactNode {
  return (
    <PaymentHistoryRoot {...props}>
      <PaymentHistoryList headingLevel={headingLevel} />
      <PaymentHistoryLoadMore />
      <PaymentHistoryStatus />
      <PaymentHistoryError />
      <PaymentHistoryRetry />
    </PaymentHistoryRoot>
  );
}

function PaymentHistoryStatus(): ReactNode {
  const { status, loadingMore, messages } = usePaymentHistoryContext();
  return (
    <p data-slot="payment-history-status" data-state={status} role="status">
      {status === 'loading' || loadingMore
        ? messages.loading
        : status === 'empty'
          ? messages.noPayments
          : null}
    </p>
  );
}

/**
 * The caller's orders: `<PaymentHistory />`, or its parts (`PaymentHistory.Root`, `.List`,
 * `.Item`, `.Receipt`, `.LoadMore`, `.Error`, `.Retry`).
 * @example
 * <PaymentHistory pageSize={20} />
 */
export const PaymentHistory = /* @__PURE__ */ Object.assign(PaymentHistoryComposed, {
  Root: PaymentHistoryRoot,
  RootProvider: PaymentHistoryRootProvider,
  List: PaymentHistoryList,
  Item: PaymentHistoryItem,
  Receipt: PaymentHistoryReceipt,
  LoadMore: PaymentHistoryLoadMore,
  Error: PaymentHistoryError,
  Retry: PaymentHistoryRetry,
});
