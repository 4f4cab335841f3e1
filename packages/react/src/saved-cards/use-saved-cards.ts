'use client';
/**
 * `useSavedCards()`: the signed-in caller's cards (`GET /payment-methods`) with the default
 * marked and expired or soon-expiring ones flagged; making one the default
 * (`POST /payment-methods/:id/default`) and removing one after a confirmation step
 * (`DELETE /payment-methods/:id`). Both change the list at once and put it back if the server
 * refuses; once the server agreed, `notice` says what changed.
 */
import type { PaymentMethod } from '@tillkit/protocol';
import {
  deletePaymentMethod,
  listPaymentMethods,
  setDefaultPaymentMethod,
} from '@tillkit/protocol/client';
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
  /**
   * What the status region says once the server agreed to an action ("Visa ending in 4242 is now
   * your default card.", "Visa ending in 4242 was removed."), since the list changes without a
   * word otherwise. Null while an action runs, after one failed (the error region says why), and
   * again at the next action (opening a removal's confirmation step too) or `refresh()`.
   */
  notice: string | null;
  messages: CommonMessages & SavedCardsMessages;
}

/**
 * An action the server agreed to (the message that says so), and the card as it was (a removed
 * one is gone from the list).
 */
interface Done {
  action: 'cardMadeDefault' | 'cardRemoved';
  card: PaymentMethod;
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

/** "Visa ending in 4242", in `messages`' words. */
function cardLabel(card: PaymentMethod, messages: SavedCardsMessages): string {
  return formatMessage(messages.cardEnding, {
    brand: BRANDS[card.brand] ?? card.brand.charAt(0).toUpperCase() + card.brand.slice(1),
    last4: card.last4,
  });
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
  const { items, act, setConfirming, done, ...list } = useServerList<PaymentMethod, Done>(
    tillkit,
    messages,
    listPaymentMethods,
  );
  const now = props.now ?? new Date();
  const cards = items.map((card): SavedCard => {
    const left = monthsLeft(card, now);
    return {
      ...card,
      label: cardLabel(card, messages),
      expiry: `${String(card.expMonth).padStart(2, '0')}/${card.expYear}`,
      expired: left < 0,
      expiresSoon: left >= 0 && left < 2,
    };
  });
  /** Runs an action on card `id`; once the server agreed, `done` keeps the card as it was. */
  const run = (
    action: Done['action'],
    id: string,
    call: () => Promise<unknown>,
    optimistic: (before: PaymentMethod[]) => PaymentMethod[],
  ) =>
    act(id, call, optimistic, undefined, (_, before) => {
      const card = before.find((item) => item.id === id);
      return card ? { action, card } : null;
    });
  return {
    ...list,
    state: { status: list.status, cards, error: list.error } as SavedCardsState,
    cards,
    setDefault: (id) =>
      run(
        'cardMadeDefault',
        id,
        () => setDefaultPaymentMethod(transport, id),
        (before) => before.map((card) => ({ ...card, isDefault: card.id === id })),
      ),
    requestRemove: setConfirming,
    remove: (id) => {
      setConfirming(null);
      return run(
        'cardRemoved',
        id,
        () => deletePaymentMethod(transport, id),
        (before) => before.filter((card) => card.id !== id),
      );
    },
    // Worded now, from the card kept: a change of language re-words it.
    notice: done
      ? formatMessage(messages[done.action], { card: cardLabel(done.card, messages) })
      : null,
    messages,
  };
}
