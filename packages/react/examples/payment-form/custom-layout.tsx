/** The same form from its parts, in your own layout, with your own class names and labels. */
import { PaymentForm } from '@tillkit/react';

export function CustomLayoutPaymentForm({ price = 'price_tshirt' }: { price?: string }) {
  return (
    <PaymentForm.Root items={[{ price, quantity: 1 }]} className="checkout">
      <header className="checkout-header">
        <h2>Your order</h2>
        <PaymentForm.Summary>
          {({ formattedAmount }) => (formattedAmount ? `Due today: ${formattedAmount}` : null)}
        </PaymentForm.Summary>
      </header>
      <PaymentForm.Element className="checkout-card" />
      <PaymentForm.Error className="checkout-error" />
      <PaymentForm.Submit className="checkout-pay" />
    </PaymentForm.Root>
  );
}
