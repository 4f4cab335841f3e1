/**
 * Stripe's form encoding, as Stripe.js sends it: `card[number]=…`, `expand[0]=…`. `undefined` and
 * `null` values are left out.
 */
export function formEncode(params: Record<string, unknown>): string {
  const pairs: string[] = [];
  const add = (name: string, value: unknown) => {
    if (value === undefined || value === null) return;
    if (Array.isArray(value)) {
      for (const [index, item] of value.entries()) add(`${name}[${index}]`, item);
      return;
    }
    if (typeof value === 'object') {
      for (const [key, inner] of Object.entries(value as Record<string, unknown>)) {
        add(`${name}[${key}]`, inner);
      }
      return;
    }
    pairs.push(`${encodeURIComponent(name)}=${encodeURIComponent(String(value))}`);
  };
  for (const [key, value] of Object.entries(params)) add(key, value);
  return pairs.join('&');
}
