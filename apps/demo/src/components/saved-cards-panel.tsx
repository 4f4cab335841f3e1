import { SaveCardForm, SavedCards, useSavedCards } from '@tillkit/react';
import { useStrings } from '../i18n/strings';

/**
 * The customer's cards (`SavedCards`' parts on a hook of our own, so that a card added below is
 * listed at once) and `SaveCardForm` to add one.
 */
export function SavedCardsPanel() {
  const t = useStrings();
  const cards = useSavedCards();
  return (
    <>
      <SavedCards.RootProvider value={cards}>
        <SavedCards.List />
        {/* The ready-made <SavedCards /> says these in its status region; here we do. */}
        <p role="status" data-slot="saved-cards-status" data-state={cards.status}>
          {cards.status === 'loading'
            ? cards.messages.loading
            : [cards.notice, cards.status === 'empty' && cards.messages.noSavedCards]
                .filter(Boolean)
                .join(' ') || null}
        </p>
        <SavedCards.Error />
        <SavedCards.Retry />
      </SavedCards.RootProvider>
      <h3>{t.addCard}</h3>
      <SaveCardForm currency="usd" onSuccess={cards.refresh} />
    </>
  );
}
