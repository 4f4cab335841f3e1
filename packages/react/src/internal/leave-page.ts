/**
 * `leavePage()`: sends the browser to a Stripe page (the portal, hosted Checkout) and answers once
 * the page that asked can be used again, so that its button stops being busy.
 */

/**
 * Leaves for `url` with the host's `navigate`, or `window.location.assign`. Answers when the
 * host's `navigate` returned (an SPA route, a new tab: the page stayed; its promise is awaited)
 * or when the page is shown again from the back/forward cache (the customer came back with the
 * Back button). Never after `location.assign`, as the page is going: its button stays busy rather
 * than flash usable before the page unloads. Rejects with what `navigate` threw.
 * @see https://web.dev/articles/bfcache#observe-when-a-page-is-restored-from-bfcache
 */
export async function leavePage(url: string, navigate?: (url: string) => unknown): Promise<void> {
  let shown!: (event: PageTransitionEvent) => void;
  try {
    await new Promise<unknown>((back, fail) => {
      shown = (event) => event.persisted && back(0);
      addEventListener('pageshow', shown);
      if (navigate) Promise.resolve(navigate(url)).then(back, fail);
      else location.assign(url);
    });
  } finally {
    removeEventListener('pageshow', shown);
  }
}
