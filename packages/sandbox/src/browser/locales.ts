/**
 * What the sandbox's Stripe.js says, in English and German: the elements' labels, placeholders
 * and validation messages, the 3D Secure dialog, and the `message` of the errors Stripe.js
 * localises itself (validation errors and card errors, by `code` and `decline_code`). Stripe.js
 * follows `Stripe(key, { locale })` and `stripe.elements({ locale })` (`'auto'`: the browser's
 * language); any locale but German falls back to English, as Stripe.js falls back for the locales
 * it does not ship.
 * @see https://docs.stripe.com/js/appendix/supported_locales
 */
import type { ApiError } from './protocol.js';

/** The English strings, the reference every other language must match key for key. */
export const en = {
  // --- the card fields
  cardDetails: 'Card details',
  card: 'Card',
  cardNumber: 'Card number',
  expirationDate: 'Expiration date',
  securityCode: 'Security code',
  country: 'Country',
  postalCode: 'Postal code',
  expiryPlaceholder: 'MM / YY',
  zipPlaceholder: 'ZIP',
  // --- the saved cards a Customer Session shows ({date} is MM/YY)
  savedCards: 'Saved cards',
  newCard: 'New card',
  savedCardExpires: 'Expires {date}',
  // --- the address fields
  billingAddress: 'Billing address',
  shippingAddress: 'Shipping address',
  fullName: 'Full name',
  addressLine1: 'Address line 1',
  addressLine2: 'Address line 2 (optional)',
  city: 'City',
  state: 'State or province',
  // --- validation, as Stripe.js words it (`type: 'validation_error'`)
  incompleteField: 'This field is incomplete.',
  incompleteNumber: 'Your card number is incomplete.',
  invalidNumber: 'Your card number is invalid.',
  incompleteExpiry: "Your card's expiration date is incomplete.",
  pastExpiry: "Your card's expiration date is in the past.",
  invalidExpiryMonth: "Your card's expiration month is invalid.",
  invalidExpiryYear: "Your card's expiration year is invalid.",
  incompleteCvc: "Your card's security code is incomplete.",
  incompleteZip: 'Your postal code is incomplete.',
  invalidZip: 'Your postal code is invalid.',
  // --- card errors from the API (`type: 'card_error'`), as the sandbox's API words them
  cardDeclined: 'Your card was declined.',
  insufficientFunds: 'Your card has insufficient funds.',
  cardVelocityExceeded:
    'Your card was declined for making repeated attempts too frequently or exceeding its amount limit.',
  expiredCard: 'Your card has expired.',
  incorrectCvc: "Your card's security code is incorrect.",
  invalidCvc: "Your card's security code is invalid.",
  incorrectNumber: 'Your card number is incorrect.',
  processingError: 'An error occurred while processing your card. Try again in a little bit.',
  authenticationRequired: 'Your card was declined. This transaction requires authentication.',
  testModeLiveCard:
    'Your card was declined. Your request was in test mode, but used a non test (live) card. For a list of valid test cards, visit: https://stripe.com/docs/testing.',
  authenticationFailed:
    'We are unable to authenticate your payment method. Please choose a different payment method and try again.',
  // --- the 3D Secure dialog ({amount} is formatted in the locale)
  threeDSecureTitle: '3D Secure',
  threeDSecureSandbox: 'Sandbox: no bank is asked and no real payment is made.',
  threeDSecurePayment: 'A payment of {amount} needs the cardholder to authenticate.',
  threeDSecureSetup: 'Saving your card for future payments needs the cardholder to authenticate.',
  threeDSecureChoose: 'Choose what the bank would answer.',
  completeAuthentication: 'Complete authentication',
  failAuthentication: 'Fail authentication',
} as const;

export type MessageKey = keyof typeof en;

/** One language's strings: every English key, none missing. */
export type SandboxMessages = Readonly<Record<MessageKey, string>>;

/**
 * German, in Stripe.js's wording where it is known (its Payment Element's labels and card
 * messages), otherwise in the same formal register ("Sie", "Ihre Karte").
 */
export const de: SandboxMessages = {
  cardDetails: 'Kartendaten',
  card: 'Karte',
  cardNumber: 'Kartennummer',
  expirationDate: 'Ablaufdatum',
  securityCode: 'Sicherheitscode',
  country: 'Land',
  postalCode: 'Postleitzahl',
  expiryPlaceholder: 'MM / JJ',
  zipPlaceholder: 'PLZ',
  savedCards: 'Gespeicherte Karten',
  newCard: 'Neue Karte',
  savedCardExpires: 'Gültig bis {date}',
  billingAddress: 'Rechnungsadresse',
  shippingAddress: 'Lieferadresse',
  fullName: 'Vollständiger Name',
  addressLine1: 'Adresszeile 1',
  addressLine2: 'Adresszeile 2 (optional)',
  city: 'Ort',
  state: 'Bundesland oder Provinz',
  incompleteField: 'Dieses Feld ist unvollständig.',
  incompleteNumber: 'Ihre Kartennummer ist unvollständig.',
  invalidNumber: 'Ihre Kartennummer ist ungültig.',
  incompleteExpiry: 'Das Ablaufdatum Ihrer Karte ist unvollständig.',
  pastExpiry: 'Das Ablaufdatum Ihrer Karte liegt in der Vergangenheit.',
  invalidExpiryMonth: 'Der Ablaufmonat Ihrer Karte ist ungültig.',
  invalidExpiryYear: 'Das Ablaufjahr Ihrer Karte ist ungültig.',
  incompleteCvc: 'Der Sicherheitscode Ihrer Karte ist unvollständig.',
  incompleteZip: 'Ihre Postleitzahl ist unvollständig.',
  invalidZip: 'Ihre Postleitzahl ist ungültig.',
  cardDeclined: 'Ihre Karte wurde abgelehnt.',
  insufficientFunds: 'Ihre Karte ist nicht ausreichend gedeckt.',
  cardVelocityExceeded:
    'Ihre Karte wurde wegen zu vieler Versuche in kurzer Zeit oder eines überschrittenen Betragslimits abgelehnt.',
  expiredCard: 'Ihre Karte ist abgelaufen.',
  incorrectCvc: 'Der Sicherheitscode Ihrer Karte ist falsch.',
  invalidCvc: 'Der Sicherheitscode Ihrer Karte ist ungültig.',
  incorrectNumber: 'Ihre Kartennummer ist falsch.',
  processingError:
    'Bei der Verarbeitung Ihrer Karte ist ein Fehler aufgetreten. Versuchen Sie es in Kürze erneut.',
  authenticationRequired:
    'Ihre Karte wurde abgelehnt. Für diese Transaktion ist eine Authentifizierung erforderlich.',
  testModeLiveCard:
    'Ihre Karte wurde abgelehnt. Ihre Anfrage erfolgte im Testmodus, aber mit einer echten Karte. Verwenden Sie eine Testkarte.',
  authenticationFailed:
    'Wir können Ihre Zahlungsmethode nicht authentifizieren. Bitte wählen Sie eine andere Zahlungsmethode und versuchen Sie es erneut.',
  threeDSecureTitle: '3D Secure-Authentifizierung',
  threeDSecureSandbox: 'Sandbox: Es wird keine Bank gefragt und keine echte Zahlung ausgeführt.',
  threeDSecurePayment:
    'Eine Zahlung von {amount} erfordert die Authentifizierung durch den Karteninhaber.',
  threeDSecureSetup:
    'Das Speichern Ihrer Karte für künftige Zahlungen erfordert die Authentifizierung durch den Karteninhaber.',
  threeDSecureChoose: 'Wählen Sie, was die Bank antworten würde.',
  completeAuthentication: 'Authentifizierung abschließen',
  failAuthentication: 'Authentifizierung fehlschlagen lassen',
};

/** The languages the sandbox's Stripe.js speaks. */
export type SandboxLanguage = 'en' | 'de';

const TABLES: Record<SandboxLanguage, SandboxMessages> = { en, de };

/**
 * The language for a Stripe.js `locale`: `de`, `de-DE`, `de-AT`, `de_CH`… are German, `'auto'`
 * (or none) follows `browserLanguage`, and everything else is English.
 */
export function sandboxLanguage(
  locale: string | null | undefined,
  browserLanguage = typeof navigator === 'undefined' ? 'en' : navigator.language,
): SandboxLanguage {
  const chosen = !locale || locale === 'auto' ? browserLanguage : locale;
  const primary = (chosen ?? '').split(/[-_]/)[0]?.toLowerCase();
  return primary === 'de' ? 'de' : 'en';
}

/**
 * The language tag of what the sandbox shows for a `locale`: the locale itself (`de-AT`,
 * `en-GB`) when the sandbox speaks its language, else `en`, so that `<html lang>` and formatted
 * amounts match the English text a French page falls back to.
 */
export function contentLocale(
  locale: string | null | undefined,
  browserLanguage = typeof navigator === 'undefined' ? 'en' : navigator.language,
): string {
  const chosen = (!locale || locale === 'auto' ? browserLanguage : locale) || 'en';
  const primary = chosen.split(/[-_]/)[0]?.toLowerCase();
  return primary === sandboxLanguage(chosen) ? chosen.replace(/_/g, '-') : 'en';
}

/** The strings for a Stripe.js `locale` (see `sandboxLanguage`). */
export function messagesFor(
  locale: string | null | undefined,
  browserLanguage?: string,
): SandboxMessages {
  return TABLES[sandboxLanguage(locale, browserLanguage)];
}

/** `{name}` in a message replaced by its value. */
export function format(message: string, values: Record<string, string>): string {
  return message.replace(/\{(\w+)\}/g, (whole, name: string) => values[name] ?? whole);
}

/** Stripe.js's validation codes and the message each has. */
const VALIDATION_MESSAGES: Readonly<Record<string, MessageKey>> = {
  incomplete: 'incompleteField',
  incomplete_number: 'incompleteNumber',
  invalid_number: 'invalidNumber',
  incomplete_expiry: 'incompleteExpiry',
  invalid_expiry_year_past: 'pastExpiry',
  invalid_expiry_month_past: 'pastExpiry',
  invalid_expiry_month: 'invalidExpiryMonth',
  invalid_expiry_year: 'invalidExpiryYear',
  incomplete_cvc: 'incompleteCvc',
  incomplete_zip: 'incompleteZip',
  invalid_zip: 'invalidZip',
};

/** Card errors by `code` (a `card_declined` is worded by its `decline_code`). */
const CARD_ERROR_MESSAGES: Readonly<Record<string, MessageKey>> = {
  card_declined: 'cardDeclined',
  expired_card: 'expiredCard',
  incorrect_cvc: 'incorrectCvc',
  invalid_cvc: 'invalidCvc',
  incorrect_number: 'incorrectNumber',
  invalid_number: 'invalidNumber',
  invalid_expiry_month: 'invalidExpiryMonth',
  invalid_expiry_year: 'invalidExpiryYear',
  processing_error: 'processingError',
  authentication_required: 'authenticationRequired',
};

/**
 * Declines Stripe words by their reason; the others read "Your card was declined." (Stripe keeps
 * fraud and lost-card reasons from the customer).
 * @see https://docs.stripe.com/declines/codes
 */
const DECLINE_MESSAGES: Readonly<Record<string, MessageKey>> = {
  insufficient_funds: 'insufficientFunds',
  card_velocity_exceeded: 'cardVelocityExceeded',
  expired_card: 'expiredCard',
  incorrect_cvc: 'incorrectCvc',
  processing_error: 'processingError',
  authentication_required: 'authenticationRequired',
  test_mode_live_card: 'testModeLiveCard',
};

/** Failed 3D Secure: an `invalid_request_error`, but one Stripe.js words for the customer. */
const AUTHENTICATION_FAILURES = new Set([
  'payment_intent_authentication_failure',
  'setup_intent_authentication_failure',
]);

/** The message key for a validation error's `code`, if Stripe.js has one. */
export function validationMessageKey(code: string): MessageKey | undefined {
  return VALIDATION_MESSAGES[code];
}

function errorMessageKey(error: ApiError): MessageKey | undefined {
  const code = error.code ?? '';
  if (error.type === 'validation_error') return VALIDATION_MESSAGES[code];
  if (error.type === 'card_error') {
    if (code === 'card_declined' && error.decline_code) {
      return DECLINE_MESSAGES[error.decline_code] ?? 'cardDeclined';
    }
    return CARD_ERROR_MESSAGES[code];
  }
  if (AUTHENTICATION_FAILURES.has(code)) return 'authenticationFailed';
  return undefined;
}

/**
 * The error with its `message` in the customer's language, for the errors Stripe.js words itself
 * (validation and card errors, failed authentication); `type`, `code`, `decline_code` and every
 * other field stay as they were, and any other error keeps the API's message.
 */
export function localizeError<T extends ApiError>(error: T, messages: SandboxMessages): T {
  const key = errorMessageKey(error);
  return key ? { ...error, message: messages[key] } : error;
}

/**
 * A country's name in the language: the given English name, or the browser's German name for the
 * region (`Intl.DisplayNames`), falling back to the English name where it has none.
 */
export function countryName(code: string, englishName: string, language: SandboxLanguage): string {
  if (language === 'en') return englishName;
  try {
    const name = new Intl.DisplayNames([language], { type: 'region', fallback: 'none' }).of(code);
    return name && name !== code ? name : englishName;
  } catch {
    return englishName;
  }
}
