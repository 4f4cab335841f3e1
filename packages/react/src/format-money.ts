/**
 * Money as Stripe counts it: amounts are integers in the currency's smallest unit, and Stripe's
 * idea of that unit is not always ISO 4217's.
 * @see https://docs.stripe.com/currencies#zero-decimal
 */

/** Whole units on Stripe: `1500` JPY is ¥1,500. (UGX is not here: Stripe takes it as two-decimal.) */
const ZERO_DECIMAL = new Set(
  'bif clp djf gnf jpy kmf krw mga pyg rwf vnd vuv xaf xof xpf'.split(' '),
);
/** Thousandths on Stripe: `7500` KWD is KWD 7.500. */
const THREE_DECIMAL = new Set('bhd jod kwd omr tnd'.split(' '));

/** How many decimals an amount in `currency` has on Stripe's wire: 0, 2 or 3. */
export function currencyDecimals(currency: string): 0 | 2 | 3 {
  const code = currency.toLowerCase();
  if (ZERO_DECIMAL.has(code)) return 0;
  if (THREE_DECIMAL.has(code)) return 3;
  return 2;
}

/**
 * Formats an amount in the currency's smallest unit (as Stripe and the Tillkit server give it)
 * with `Intl.NumberFormat`, which shows each currency's own decimals.
 * @param amount integer in the smallest unit: cents, yen, fils
 * @param currency ISO 4217 code, any case
 * @param locale BCP 47 tag; the runtime's default when omitted
 * @example
 * formatMoney(2500, 'usd', 'en-US'); // "$25.00"
 * formatMoney(1500, 'jpy', 'en-US'); // "¥1,500"
 * formatMoney(7500, 'kwd', 'en-US'); // "KWD 7.500" (with a no-break space)
 */
export function formatMoney(amount: number, currency: string, locale?: string): string {
  // ICU keeps a no-break space between a code and the number ("KWD 7.500"): no line break there.
  return new Intl.NumberFormat(locale, {
    style: 'currency',
    currency: currency.toUpperCase(),
  }).format(amount / 10 ** currencyDecimals(currency));
}
