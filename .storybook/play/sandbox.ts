/**
 * What play functions do to the sandbox's widgets as a customer would: type a card into the
 * Payment Element's fields (inside its same-origin `srcdoc` frame) and answer the 3D Secure dialog
 * (in an open shadow root on the page).
 */
import { expect, waitFor } from 'storybook/test';

/** Test cards (packages/sandbox README): any future expiry, any CVC. */
export const CARDS = {
  visa: '4242 4242 4242 4242',
  declined: '4000 0000 0000 0002',
  insufficientFunds: '4000 0000 0000 9995',
  threeDSecure: '4000 0027 6000 3184',
  threeDSecureOnSetup: '4000 0025 0000 3155',
} as const;

const FRAME = 'iframe[title="Secure payment input frame"]';

/** The Payment Element's frame document in `root`, once its fields are drawn. */
export async function paymentElement(root: ParentNode): Promise<Document> {
  let found: Document | undefined;
  await waitFor(
    () => {
      const doc = root.querySelector<HTMLIFrameElement>(FRAME)?.contentDocument;
      expect(doc?.querySelector('#field-number')).toBeTruthy();
      found = doc ?? undefined;
    },
    { timeout: 10_000 },
  );
  return found as Document;
}

/** Types a card into the Payment Element as a customer would (input and change events). */
export async function fillCard(root: ParentNode, number: string): Promise<void> {
  const doc = await paymentElement(root);
  const view = doc.defaultView as Window & typeof globalThis;
  const values: Array<[string, string]> = [
    ['#field-number', number],
    ['#field-expiry', '12 / 34'],
    ['#field-cvc', '123'],
    ['#field-postal', '94103'],
  ];
  for (const [selector, value] of values) {
    const input = doc.querySelector<HTMLInputElement>(selector);
    if (!input) continue;
    input.value = value;
    input.dispatchEvent(new view.Event('input', { bubbles: true }));
    input.dispatchEvent(new view.Event('change', { bubbles: true }));
  }
}

/**
 * Stripe.js's message for the decline test card in the story's language (the sandbox's Stripe.js
 * follows the toolbar's locale, as Stripe's does).
 */
export function declinedMessage(globals: Record<string, unknown>): string {
  return globals.locale === 'de' ? 'Ihre Karte wurde abgelehnt.' : 'Your card was declined.';
}

export interface ThreeDSecureDialog {
  dialog: HTMLDialogElement;
  complete(): void;
  fail(): void;
}

/**
 * The dialog's buttons as the sandbox words them in the story's language (the decorator gives the
 * sandbox's Stripe.js the toolbar's locale and sets it on `<html lang>`).
 */
const DIALOG_BUTTONS = {
  en: { complete: 'Complete authentication', fail: 'Fail authentication' },
  de: { complete: 'Authentifizierung abschließen', fail: 'Authentifizierung fehlschlagen lassen' },
} as const;

/** The sandbox's 3D Secure dialog, once it is open, with its buttons in the story's language. */
export async function threeDSecureDialog(): Promise<ThreeDSecureDialog> {
  const words = document.documentElement.lang.startsWith('de')
    ? DIALOG_BUTTONS.de
    : DIALOG_BUTTONS.en;
  let found: ThreeDSecureDialog | undefined;
  await waitFor(
    () => {
      const root = document.querySelector('[data-tillkit-sandbox="3ds"]')?.shadowRoot;
      const dialog = root?.querySelector('dialog');
      const buttons = [...(root?.querySelectorAll('button') ?? [])];
      expect(dialog?.open).toBe(true);
      const button = (text: string) => buttons.find((candidate) => candidate.textContent === text);
      const complete = button(words.complete);
      const fail = button(words.fail);
      expect(complete, `a "${words.complete}" button`).toBeTruthy();
      expect(fail, `a "${words.fail}" button`).toBeTruthy();
      found = {
        dialog: dialog as HTMLDialogElement,
        complete: () => complete?.click(),
        fail: () => fail?.click(),
      };
    },
    { timeout: 10_000 },
  );
  return found as ThreeDSecureDialog;
}
