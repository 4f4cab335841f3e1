/** The saved cards list's strings, and their English. */
export interface SavedCardsMessages {
  /** The list's accessible name. */
  savedCards: string;
  /** A card. `{brand}`: Visa, Mastercard…; `{last4}`: its last four digits. */
  cardEnding: string;
  /** A card's expiry. `{date}`: 04/2031. */
  cardExpires: string;
  /** Badge: the card has expired. */
  cardExpired: string;
  /** Badge: the card expires within two months. */
  cardExpiresSoon: string;
  /** Badge: the card later payments use. */
  defaultCard: string;
  /** Button: make this card the default. */
  makeDefault: string;
  /** Button: remove a card (asks first). */
  removeCard: string;
  /** The confirmation step's question. `{card}`: "Visa ending in 4242". */
  removeCardQuestion: string;
  /** The confirmation step's safe choice. */
  keepCard: string;
  /** The status region, once the server made a card the default. `{card}`: "Visa ending in 4242". */
  cardMadeDefault: string;
  /** The status region, once the server removed a card. `{card}`: "Visa ending in 4242". */
  cardRemoved: string;
  /** No card saved. */
  noSavedCards: string;
  /** Button: read the cards again after they could not be loaded. */
  tryAgain: string;
}

export const savedCardsMessages: SavedCardsMessages = {
  savedCards: 'Saved cards',
  cardEnding: '{brand} ending in {last4}',
  cardExpires: 'Expires {date}',
  cardExpired: 'Expired',
  cardExpiresSoon: 'Expires soon',
  defaultCard: 'Default',
  makeDefault: 'Make default',
  removeCard: 'Remove',
  removeCardQuestion: 'Remove {card}?',
  keepCard: 'Keep',
  cardMadeDefault: '{card} is now your default card.',
  cardRemoved: '{card} was removed.',
  noSavedCards: 'No saved cards.',
  tryAgain: 'Try again',
};
