/** The save-a-card form's strings, and their English. */
export interface SaveCardFormMessages {
  /** The accessible name of the region that holds Stripe's card fields. */
  cardDetails: string;
  /** The submit button. */
  saveCard: string;
  /** The submit button while the card is being saved. */
  savingCard: string;
  /** After the card was saved. */
  cardSaved: string;
  /** Button: load again what could not be loaded (Stripe's card fields). */
  tryAgain: string;
}

export const saveCardFormMessages: SaveCardFormMessages = {
  cardDetails: 'Card details',
  saveCard: 'Save card',
  savingCard: 'Saving…',
  cardSaved: 'Your card has been saved.',
  tryAgain: 'Try again',
};
