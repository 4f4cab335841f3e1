/**
 * German messages: `<TillkitProvider locale="de" messages={de}>`. A separate entry point
 * (`@tillkit/react/locales/de`) so that apps which do not use it do not ship it.
 */
import type { TillkitMessages } from './messages.js';

export const de: TillkitMessages = {
  loading: 'Wird geladen…',
  total: 'Gesamt',
  pay: '{amount} bezahlen',
  processing: 'Wird verarbeitet…',
  paymentDetails: 'Zahlungsdaten',
  paymentSucceeded: 'Zahlung erfolgreich. Vielen Dank!',
  genericError: 'Etwas ist schiefgelaufen. Bitte versuchen Sie es erneut.',
  networkError:
    'Der Zahlungsserver ist nicht erreichbar. Prüfen Sie Ihre Verbindung und versuchen Sie es erneut.',
  rateLimited: 'Zu viele Versuche. Bitte warten Sie einen Moment und versuchen Sie es erneut.',
  loadError: 'Das Zahlungsformular konnte nicht geladen werden. Bitte laden Sie die Seite neu.',
  priceUnavailable: 'Ein Artikel in Ihrem Warenkorb ist nicht mehr erhältlich.',
  statusLoading: 'Ihre Zahlung wird geprüft…',
  statusSucceeded: 'Zahlung erfolgreich. Vielen Dank!',
  statusSetupSucceeded: 'Ihre Karte wurde gespeichert.',
  statusProcessing:
    'Ihre Zahlung wird verarbeitet. Diese Seite aktualisiert sich, sobald sie abgeschlossen ist.',
  statusStillProcessing: 'Ihre Zahlung wird noch verarbeitet. Prüfen Sie gleich noch einmal.',
  statusFailed: 'Ihre Zahlung wurde nicht abgeschlossen.',
  statusRequiresAction: 'Ihre Bank bittet Sie, diese Zahlung zu bestätigen.',
  statusMissing: 'Hier gibt es keine Zahlung anzuzeigen.',
  tryAgain: 'Erneut versuchen',
  checkAgain: 'Erneut prüfen',
  authenticate: 'Zahlung bestätigen',
  authenticateRequired: 'Ihre Bank bittet Sie, diese Zahlung zu bestätigen.',
  authenticating: 'Warten auf Ihre Bank…',
  authenticateSucceeded: 'Zahlung bestätigt. Vielen Dank!',
  authenticateNeedsNewCard: 'Für diese Zahlung wird eine andere Karte benötigt.',
};
