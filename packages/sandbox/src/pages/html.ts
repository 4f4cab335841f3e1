import { BRAND_NAMES } from '../core/cards.js';

/** "Visa ending in 4242": how the pages name a card (never more of its number than the last 4). */
export function cardLabel(brand: string, last4: string): string {
  return `${BRAND_NAMES[brand as keyof typeof BRAND_NAMES] ?? brand} ending in ${last4}`;
}

/** Escapes text for HTML element content and attribute values. */
export function escapeHtml(value: string): string {
  return value
    .replaceAll('&', '&amp;')
    .replaceAll('<', '&lt;')
    .replaceAll('>', '&gt;')
    .replaceAll('"', '&quot;')
    .replaceAll("'", '&#39;');
}

/**
 * A plain, accessible page that says it is a sandbox: the banner in a `header` landmark, the
 * content in `main`. `style` adds page-specific CSS.
 */
export function page(title: string, body: string, status = 200, style = ''): Response {
  const html = `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="robots" content="noindex">
<title>${escapeHtml(title)} · Tillkit Stripe sandbox</title>
<style>
  :root { color-scheme: light dark; font-family: system-ui, sans-serif; line-height: 1.5; }
  body { max-width: 36rem; margin: 2rem auto; padding: 0 1rem; }
  .banner { background: #fff3cd; color: #533f03; border: 1px solid #e0c36a; border-radius: 6px; padding: .5rem .75rem; }
  button { font: inherit; padding: .6rem 1rem; border-radius: 6px; border: 1px solid #888; cursor: pointer; margin: .25rem .5rem .25rem 0; }
  button.primary { background: #0a58ca; color: #fff; border-color: #0a58ca; }
  button:focus-visible, a:focus-visible, input:focus-visible, select:focus-visible { outline: 3px solid #ffbf47; outline-offset: 2px; }
  .error { background: #f8d7da; color: #58151c; border: 1px solid #b02a37; border-radius: 6px; padding: .5rem .75rem; }
${style}
</style>
</head>
<body>
<header><p class="banner"><strong>Sandbox.</strong> This page is served by the Tillkit Stripe sandbox for testing. No real payment is made.</p></header>
<main>
${body}
</main>
</body>
</html>`;
  return new Response(html, {
    status,
    headers: { 'Content-Type': 'text/html; charset=utf-8', 'Cache-Control': 'no-store' },
  });
}
