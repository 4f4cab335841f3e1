/** Subscribe to one price: its first invoice paid now, or its trial's card saved. */
import { SubscribeForm } from '@tillkit/react';

export function BasicSubscribeForm({ price = 'price_pro_monthly' }: { price?: string }) {
  return (
    <SubscribeForm
      price={price}
      onSuccess={(subscription) => console.info('subscribed', subscription.id)}
    />
  );
}
