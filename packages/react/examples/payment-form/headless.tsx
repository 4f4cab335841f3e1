/** Headless: the hook's state and prop getters on your own elements (any design system). */
import { usePaymentForm } from '@tillkit/react';

export function HeadlessPaymentForm({ price = 'price_tshirt' }: { price?: string }) {
  const form = usePaymentForm({ items: [{ price, quantity: 1 }] });
  if (form.state.status === 'succeeded') {
    return (
      <p role="status">
        Paid {form.formattedAmount}. Receipt: {form.state.paymentIntent.id}
      </p>
    );
  }
  return (
    <form {...form.getRootProps()}>
      <div {...form.getElementProps()} />
      <div {...form.getErrorProps()}>{form.error?.message}</div>
      <button {...form.getSubmitProps()}>
        {form.status === 'submitting' ? 'Paying…' : `Pay ${form.formattedAmount ?? ''}`}
      </button>
    </form>
  );
}
