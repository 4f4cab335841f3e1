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

export interface ThreeDSecureDialog {
  dialog: HTMLDialogElement;
  complete(): void;
  fail(): void;
}

/** The sandbox's 3D Secure dialog, once it is open. */
export async function threeDSecureDialog(): Promise<ThreeDSecureDialog> {
  let found: ThreeDSecureDialog | undefined;
  await waitFor(
    () => {
      const root = document.querySelector('[data-tillkit-sandbox="3ds"]')?.shadowRoot;
      const dialog = root?.querySelector('dialog');
      const buttons = [...(root?.querySelectorAll('button') ?? [])];
      expect(dialog?.open).toBe(true);
      const button = (text: string) => buttons.find((candidate) => candidate.textContent === text);
      found = {
        dialog: dialog as HTMLDialogElement,
        complete: () => button('Complete authentication')?.click(),
        fail: () => button('Fail authentication')?.click(),
      };
    },
    { timeout: 10_000 },
  );
  return found as ThreeDSecureDialog;
}
