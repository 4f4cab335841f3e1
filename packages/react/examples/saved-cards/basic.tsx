/** The signed-in customer's cards: default marked, expiring ones flagged, set default, remove. */
import { SavedCards } from '@tillkit/react';

export function BasicSavedCards({ now }: { now?: Date }) {
  return <SavedCards now={now} />;
}
