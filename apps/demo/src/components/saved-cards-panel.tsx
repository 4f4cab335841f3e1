import { SaveCardForm, SavedCards } from '@tillkit/react';
import { useStrings } from '../i18n/strings';

/**
 * The customer's cards and `SaveCardForm` to add one. Nothing to wire: once the form saves a card,
 * `SavedCards` (under the same provider) reads the list again.
 */
export function SavedCardsPanel() {
  const t = useStrings();
  return (
    <>
      <SavedCards />
      <h3>{t.addCard}</h3>
      <SaveCardForm currency="usd" />
    </>
  );
}
