import { getPayment } from '@tillkit/protocol/client';
import { formatMessage, formatMoney, TillkitApiError, useTillkit } from '@tillkit/react';
import { useEffect, useState } from 'react';
import { useStrings } from '../i18n/strings';
import type { Order } from '../state/orders';
import { locales, usePreferences } from '../state/preferences';

/** Waits between reads while the payment's webhook may still be on its way (ms). */
const RETRY_DELAYS_MS = [500, 1000, 2000, 4000];

/**
 * Stripe's receipt for the order, read with the order's client secret (`GET /payments/:id`
 * answers it to a guest too), tried again a few times while the server answers 404 or has no
 * receipt yet: the webhook that stores the paid payment may come a moment after Stripe.js said it
 * went through. Null until then, and for good if it never comes.
 */
function useReceiptUrl(id: string, clientSecret: string | undefined): string | null {
  const { transport } = useTillkit();
  const [receiptUrl, setReceiptUrl] = useState<string | null>(null);
  useEffect(() => {
    if (!clientSecret) return;
    let cancelled = false;
    let timer: ReturnType<typeof setTimeout> | undefined;
    const attempt = async (retries: number) => {
      try {
        const payment = await getPayment(transport, id, { clientSecret });
        if (cancelled) return;
        if (payment.receiptUrl) {
          setReceiptUrl(payment.receiptUrl);
          return;
        }
      } catch (error) {
        // Anything but "not stored yet" (an outage, a rate limit) will not mend itself soon.
        if (cancelled || !(error instanceof TillkitApiError && error.status === 404)) return;
      }
      const delay = RETRY_DELAYS_MS[retries];
      if (delay !== undefined) timer = setTimeout(() => attempt(retries + 1), delay);
    };
    attempt(0);
    return () => {
      cancelled = true;
      clearTimeout(timer);
    };
  }, [transport, id, clientSecret]);
  return receiptUrl;
}

/**
 * "Receipt" on Stripe's page, in a new tab, named with the amount like the kit's
 * `PaymentHistory.Receipt`; nothing until the server has it.
 */
export function OrderReceipt({ order }: { order: Order }) {
  const t = useStrings();
  const locale = locales[usePreferences().language];
  const receiptUrl = useReceiptUrl(order.id, order.clientSecret);
  if (!receiptUrl) return null;
  return (
    <p>
      <a
        href={receiptUrl}
        target="_blank"
        rel="noopener noreferrer"
        aria-label={formatMessage(t.receiptFor, {
          amount: formatMoney(order.amount, order.currency, locale),
        })}
      >
        {t.receipt}
      </a>
    </p>
  );
}
