/** Save a card for later payments (a SetupIntent; 3D Secure in place when the bank asks). */
import { SaveCardForm } from '@tillkit/react';

export function BasicSaveCardForm({ onSaved }: { onSaved?: () => void }) {
  return (
    <SaveCardForm
      onSuccess={(setupIntent) => {
        console.info('saved', setupIntent.payment_method);
        onSaved?.();
      }}
    />
  );
}
