/**
 * Orders placed in this browser, for the confirmation page. A real shop keeps orders on its
 * server (the Tillkit server's `onPaymentIntentSucceeded` hook is where to fulfil them); the demo
 * keeps the last few locally so the confirmation survives a reload.
 */
import type { PaymentIntent } from '@stripe/stripe-js';
import type { PricedGroup } from '../catalog/price-cart';
import { takeFromCart } from './cart';
import { isRecord, localStore, useLocalStore } from './local-store';

export interface Order {
  /** The PaymentIntent's id. */
  id: string;
  /** What was charged, from the PaymentIntent (the server priced it). */
  amount: number;
  currency: string;
  status: string;
  createdAt: string;
  lines: Array<{ name: string; quantity: number; unitAmount: number }>;
  /**
   * The PaymentIntent's client secret: the guest's proof, kept in this browser only, that reads
   * the payment's receipt from the server (`GET /payments/:id?clientSecret=`). Absent in orders
   * kept before it was.
   */
  clientSecret?: string;
}

const store = localStore<Order[]>('tillkit-demo:orders', [], (stored) =>
  Array.isArray(stored)
    ? stored.filter(
        (order): order is Order =>
          isRecord(order) &&
          typeof order.id === 'string' &&
          typeof order.amount === 'number' &&
          typeof order.currency === 'string' &&
          typeof order.status === 'string' &&
          typeof order.createdAt === 'string' &&
          Array.isArray(order.lines) &&
          (order.clientSecret === undefined || typeof order.clientSecret === 'string'),
      )
    : undefined,
);

export function useOrders(): Order[] {
  return useLocalStore(store);
}

/**
 * Records a paid cart (the lines in one currency, as they were sent to be paid) as an order and
 * takes what was paid out of the cart. Called once per intent; a second call for the same intent
 * changes nothing.
 */
export function completeOrder(intent: PaymentIntent, group: PricedGroup): void {
  if (store.get().some((order) => order.id === intent.id)) return;
  const order: Order = {
    id: intent.id,
    amount: intent.amount,
    currency: intent.currency,
    status: intent.status,
    createdAt: new Date().toISOString(),
    lines: group.lines.map(({ product, price, quantity }) => ({
      name: product.name,
      quantity,
      unitAmount: price.unitAmount,
    })),
    ...(intent.client_secret ? { clientSecret: intent.client_secret } : {}),
  };
  store.set((orders) => [order, ...orders].slice(0, 20));
  takeFromCart(group.lines.map(({ price, quantity }) => ({ price: price.id, quantity })));
}
