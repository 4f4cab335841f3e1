/**
 * A wallet page: the saved cards from the hook, in your own layout, and a form that adds one
 * (the list is read again once it is saved).
 */
import { SaveCardForm, SavedCards, useSavedCards } from '@tillkit/react';

export function WalletPage({ now }: { now?: Date }) {
  const cards = useSavedCards({ now });
  return (
    <section aria-labelledby="wallet-title">
      <h2 id="wallet-title">Payment methods</h2>
      <SavedCards.RootProvider value={cards}>
        <SavedCards.List>
          {(card) => <SavedCards.Card key={card.id} card={card} className="wallet-card" />}
        </SavedCards.List>
        <SavedCards.Error />
      </SavedCards.RootProvider>
      <h3>Add a card</h3>
      <SaveCardForm onSuccess={cards.refresh} />
    </section>
  );
}
