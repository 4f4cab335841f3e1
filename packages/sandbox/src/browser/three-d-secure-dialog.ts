/**
 * The 3D Secure dialog Stripe.js opens over the page when a card asks for authentication. As on
 * Stripe's test page, the cardholder picks the bank's answer: "Complete authentication" or "Fail
 * authentication". Closing it (Escape) fails the authentication, as closing Stripe's does.
 * Drawn in a shadow root so the host page's styles neither leak in nor out, in the language of
 * the Stripe object or Elements group that confirmed (locales.ts).
 */
import { contentLocale, format, messagesFor } from './locales.js';

export type ThreeDSecureOutcome = 'complete' | 'fail';

const STYLE = `
dialog {
  box-sizing: border-box; width: min(26rem, calc(100vw - 2rem)); padding: 1.5rem;
  border: 0; border-radius: 8px; box-shadow: 0 10px 40px rgba(0, 0, 0, .35);
  font: 15px/1.45 -apple-system, BlinkMacSystemFont, "Segoe UI", Roboto, sans-serif;
  color: #1a1b25; background: #ffffff;
}
dialog::backdrop { background: rgba(10, 12, 20, .55); }
h2 { font-size: 1.25rem; margin: 0 0 .5rem; }
.bank { margin: 0 0 1rem; padding: .4rem .6rem; border-radius: 6px; background: #fff3cd; color: #533f03; font-size: 13px; }
p { margin: 0 0 1rem; }
.actions { display: flex; flex-wrap: wrap; gap: .5rem; margin-top: 1.25rem; }
button {
  font: inherit; padding: .6rem 1rem; border-radius: 6px; cursor: pointer;
  border: 1px solid #6d6e78; background: #ffffff; color: #1a1b25;
}
button.primary { background: #0a58ca; border-color: #0a58ca; color: #ffffff; }
button:focus-visible { outline: 3px solid #ffbf47; outline-offset: 2px; }
`;

/**
 * Opens the dialog for `intent` and resolves with the cardholder's choice once it is closed.
 * `locale` is Stripe.js's (`'auto'`: the browser's language).
 */
export function openThreeDSecureDialog(
  intent: Record<string, unknown>,
  locale: string,
): Promise<ThreeDSecureOutcome> {
  const t = messagesFor(locale);
  const host = document.createElement('div');
  host.setAttribute('data-tillkit-sandbox', '3ds');
  // The dialog's language, which may not be the page's.
  host.lang = contentLocale(locale);
  const root = host.attachShadow({ mode: 'open' });
  const style = document.createElement('style');
  style.textContent = STYLE;
  const dialog = document.createElement('dialog');
  dialog.setAttribute('aria-labelledby', 'tillkit-3ds-title');
  dialog.setAttribute('aria-describedby', 'tillkit-3ds-description');
  const title = document.createElement('h2');
  title.id = 'tillkit-3ds-title';
  title.textContent = t.threeDSecureTitle;
  const bank = document.createElement('p');
  bank.className = 'bank';
  bank.textContent = t.threeDSecureSandbox;
  const text = document.createElement('p');
  text.id = 'tillkit-3ds-description';
  text.textContent = `${describeIntent(intent, locale)} ${t.threeDSecureChoose}`;
  const actions = document.createElement('div');
  actions.className = 'actions';
  const complete = document.createElement('button');
  complete.type = 'button';
  complete.className = 'primary';
  complete.textContent = t.completeAuthentication;
  const fail = document.createElement('button');
  fail.type = 'button';
  fail.textContent = t.failAuthentication;
  actions.append(complete, fail);
  dialog.append(title, bank, text, actions);
  root.append(style, dialog);
  document.body.append(host);

  return new Promise((resolve) => {
    let settled = false;
    const finish = (outcome: ThreeDSecureOutcome) => {
      if (settled) return;
      settled = true;
      if (dialog.open) dialog.close();
      host.remove();
      resolve(outcome);
    };
    complete.addEventListener('click', () => finish('complete'));
    fail.addEventListener('click', () => finish('fail'));
    dialog.addEventListener('cancel', (event) => {
      event.preventDefault();
      finish('fail');
    });
    dialog.showModal();
    complete.focus();
  });
}

/**
 * What needs authenticating, in the locale's language with the amount in its format: "A payment
 * of $10.00 needs the cardholder to authenticate.", "Eine Zahlung von 10,00 $ erfordert …".
 */
export function describeIntent(intent: Record<string, unknown>, locale: string): string {
  const t = messagesFor(locale);
  if (intent.object !== 'payment_intent' || typeof intent.amount !== 'number') {
    return t.threeDSecureSetup;
  }
  const currency = String(intent.currency ?? 'usd').toUpperCase();
  let amount: string;
  try {
    const formatter = new Intl.NumberFormat(contentLocale(locale), { style: 'currency', currency });
    const digits = formatter.resolvedOptions().maximumFractionDigits ?? 2;
    amount = formatter.format(intent.amount / 10 ** digits);
  } catch {
    amount = `${intent.amount} ${currency}`;
  }
  return format(t.threeDSecurePayment, { amount });
}
