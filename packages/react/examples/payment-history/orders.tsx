/** An account's orders: each payment's date, amount, status and lines, older ones a page at a time. */
import { PaymentHistory } from '@tillkit/react';

export function OrderHistory() {
  return (
    <section aria-labelledby="orders-title">
      <h2 id="orders-title">Orders</h2>
      <PaymentHistory />
    </section>
  );
}
