'use client';
/**
 * `useSavedCards()`: the signed-in caller's cards (`GET /payment-methods`) with the default
 * marked and expired or soon-expiring ones flagged; making one the default
 * (`POST /payment-methods/:id/default`) and removing one after a confirmation step
 * (`DELETE /payment-methods/:id`). Both change the list at once and put it back if the server
 * refuses.
 */
import type { PaymentMethod } from '@tillkit/protocol';
import {
  deletePaymentMethod,
  listPaymentMethods,
  setDefaultPaymentMethod,
} from '@tillkit/protocol/client';
import { useId } from 'react';
import type { TillkitFailure } from '../internal/errors.js';
import { type ServerListStatus, useServerList } from '../internal/use-server-list.js';
import { type CommonMessages, formatMessage } from '../messages/messages.js';
import { useMessages, useTillkitContext } from '../provider/tillkit-provider.js';
import { type SavedCardsMessages, savedCardsMessages } from './messages.js';

export interface UseSavedCardsProps {
  /** Today, for the expiry flags (stories and tests fix it). @default new Date() */
  now?: Date;
}

/** A saved card as the list shows it. */
export interface SavedCard extends PaymentMethod {
  /** "Visa ending in 4242", in the provider's language. */
  label: string;
  /** "04/2031". */
  expiry: string;
  /** Its expiry month has passed. */
  expired: boolean;
  /** It expires this month or next (within two months). */
  expiresSoon: boolean;
}

/**
 * `loading` until the first answer, `failed` when the list could not be read, `empty` or `ready`.
 * `error` in `ready`/`empty`: the last action the server refused (the list is as it was).
 */
export type SavedCardsState =
  | { status: 'loading'; cards: []; error: null }
  | { status: 'failed'; cards: []; error: TillkitFailure }
  | { status: 'empty' | 'ready'; cards: SavedCard[]; error: TillkitFailure | null };

export type SavedCardsStatus = ServerListStatus;

export interface UseSavedCardsReturn {
  state: SavedCardsState;
  status: SavedCardsStatus;
  cards: SavedCard[];
  error: TillkitFailure | null;
  /** The card an action runs on; the other actions wait. */
  pending: string | null;
  /** The card whose removal waits for the customer's confirmation. */
  confirming: string | null;
  /** Makes a card the default, at once (put back if the server refuses). */
  setDefault(id: string): Promise<boolean>;
  /** Opens a card's confirmation step (`null` closes it). */
  requestRemove(id: string | null): void;
  /** Removes a card, at once (put back if the server refuses). */
  remove(id: string): Promise<boolean>;
  /** Reads the cards again (after `useSaveCard()` saved one). */
  refresh(): void;
  /** The id of the element that holds a card's label (for `aria-describedby`). */
  labelId(id: string): string;
  /** A ref for the error region, which takes focus when an action fails. */
  errorRef: (node: HTMLElement | null) => void;
  messages: CommonMessages & SavedCardsMessages;
}

const BRANDS: Record<string, string> = {
  amex: 'American Express',
  diners: 'Diners Club',
  jcb: 'JCB',
  unionpay: 'UnionPay',
};

/** Months from `now`'s month to the card's: negative once it has expired. */
export function monthsLeft(card: Pick<PaymentMethod, 'expMonth' | 'expYear'>, now: Date): number {
  return card.expYear * 12 + card.expMonth - (now.getFullYear() * 12 + now.getMonth() + 1);
}

/**
 * The headless saved cards list.
 * @example
 * const { cards, setDefault, requestRemove } = useSavedCards();
 */
export function useSavedCards(props: UseSavedCardsProps = {}): UseSavedCardsReturn {
  const tillkit = useTillkitContext('useSavedCards()');
  const messages = useMessages(tillkit, savedCardsMessages);
  const { transport } = tillkit;
  const { items, act, setConfirming, ...list } = useServerList<PaymentMethod>(
    tillkit,
    messages,
    listPaymentMethods,
  );
  const base = useId();
  const now = props.now ?? new Date();
  const cards = items.map((card): SavedCard => {
    const left = monthsLeft(card, now);
    return {
      ...card,
      label: formatMessage(messages.cardEnding, {
        brand: BRANDS[card.brand] ?? card.brand.charAt(0).toUpperCase() + card.brand.slice(1),
        last4: card.last4,
      }),
      expiry: `${String(card.expMonth).padStart(2, '0')}/${card.expYear}`,
      expired: left < 0,
      expiresSoon: left >= 0 && left < 2,
    };
  });
  return {
    ...list,
    state: { status: list.status, cards, error: list.error } as SavedCardsState,
    cards,
    setDefault: (id) =>
      act(
        id,
        () => setDefaultPaymentMethod(transport, id),
        (before) => before.map((card) => ({ ...card, isDefault: card.id === id })),
      ),
    requestRemove: setConfirming,
    remove: (id) => {
      setConfirming(null);
      return act(
        id,
        () => deletePaymentMethod(transport, id),
        (before) => before.filter((card) => card.id !== id),
      );
    },
    labelId: (id) => `${base}${id}`,
    messages,
  };
}
