/**
 * The cart: price ids and quantities, kept in localStorage (so it survives a reload and is shared
 * by the store's tabs). Names and amounts are never stored: they are read from the catalog each
 * time, and the server prices the cart again when it is paid.
 */
import type { CartItem } from '@tillkit/react';
import { isRecord, localStore, useLocalStore } from './local-store';

/** The server's limit per line. */
export const MAX_QUANTITY = 99;

const store = localStore<CartItem[]>('tillkit-demo:cart', [], (stored) =>
  Array.isArray(stored)
    ? stored.flatMap((line) =>
        isRecord(line) &&
        typeof line.price === 'string' &&
        Number.isInteger(line.quantity) &&
        (line.quantity as number) >= 1
          ? [{ price: line.price, quantity: Math.min(line.quantity as number, MAX_QUANTITY) }]
          : [],
      )
    : undefined,
);

export function useCart(): CartItem[] {
  return useLocalStore(store);
}

export function addToCart(price: string): void {
  store.set((lines) =>
    lines.some((line) => line.price === price)
      ? lines.map((line) =>
          line.price === price
            ? { ...line, quantity: Math.min(line.quantity + 1, MAX_QUANTITY) }
            : line,
        )
      : [...lines, { price, quantity: 1 }],
  );
}

export function setQuantity(price: string, quantity: number): void {
  const clamped = Math.max(1, Math.min(quantity, MAX_QUANTITY));
  store.set((lines) =>
    lines.map((line) => (line.price === price ? { ...line, quantity: clamped } : line)),
  );
}

/** Takes lines out of the cart. */
export function removeFromCart(prices: readonly string[]): void {
  store.set((lines) => lines.filter((line) => !prices.includes(line.price)));
}

/**
 * Takes what was paid for out of the cart: the quantities paid, not the lines, so that what
 * another tab added while the payment was on its way stays in the cart.
 */
export function takeFromCart(paid: readonly CartItem[]): void {
  store.set((lines) =>
    lines.flatMap((line) => {
      const quantity =
        line.quantity - (paid.find((item) => item.price === line.price)?.quantity ?? 0);
      return quantity >= 1 ? [{ ...line, quantity }] : [];
    }),
  );
}
