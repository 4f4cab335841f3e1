/** The ready-made payment form for a cart: total, card fields, error, pay button. */
import { PaymentForm } from '@tillkit/react';

export function BasicPaymentForm({ price = 'price_tshirt', quantity = 1 }) {
  return (
    <PaymentForm
      items={[{ price, quantity }]}
      returnUrl="/checkout/complete"
      onSuccess={(paymentIntent) => console.info('paid', paymentIntent.id)}
    />
  );
}
