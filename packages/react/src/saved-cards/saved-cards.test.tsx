/**
 * The saved cards list in jsdom (React 18 and 19) against a scripted Tillkit server: flags,
 * optimistic changes and their rollback, the removal's confirmation step with the keyboard.
 */
import { act, render, screen, waitFor, within } from '@testing-library/react';
import { userEvent } from '@testing-library/user-event';
import type { ReactNode } from 'react';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { axeViolations } from '../../test/support/axe.js';
import { errorAnswer, fakeServerFetch } from '../../test/support/fake-stripe.js';
import { de } from '../messages/de.js';
import { TillkitProvider } from '../provider/tillkit-provider.js';
import { SavedCards } from './saved-cards.js';
import { monthsLeft, useSavedCards } from './use-saved-cards.js';

const API = 'http://tillkit.test/api';
/** 15 May 2026. */
const NOW = new Date(2026, 4, 15);
const CARDS = [
  { id: 'pm_visa', brand: 'visa', last4: '4242', expMonth: 4, expYear: 2031, isDefault: true },
  { id: 'pm_mc', brand: 'mastercard', last4: '4444', expMonth: 6, expYear: 2026, isDefault: false },
  { id: 'pm_amex', brand: 'amex', last4: '0005', expMonth: 4, expYear: 2026, isDefault: false },
  { id: 'pm_disc', brand: 'discover', last4: '1117', expMonth: 7, expYear: 2026, isDefault: false },
];

let routes: Record<string, (body: unknown) => unknown>;
let fetcher: ReturnType<typeof fakeServerFetch>;
beforeEach(() => {
  routes = { 'GET /payment-methods': () => ({ data: CARDS }) };
  fetcher = fakeServerFetch(new Proxy({}, { get: (_, key: string) => routes[key] }) as never);
  vi.stubGlobal('fetch', fetcher);
});
afterEach(() => vi.unstubAllGlobals());

function renderCards(extra: { messages?: typeof de; locale?: string } = {}) {
  const wrapper = ({ children }: { children: ReactNode }) => (
    <TillkitProvider apiBase={API} stripe={null} {...extra}>
      {children}
    </TillkitProvider>
  );
  return render(<SavedCards now={NOW} />, { wrapper });
}

const card = (label: string) => screen.getByText(label).closest('li') as HTMLLIElement;
/** The "Make default" button of the card `label`. */
const makeDefault = (label: string) =>
  within(card(label)).getByRole('button', { name: 'Make default' });

/** A promise the test settles: holds a server answer back. */
function deferred() {
  let settle!: (value: unknown) => void;
  const promise = new Promise((resolve) => {
    settle = resolve;
  });
  return { promise, settle };
}

/** The hook in a layout of one's own: its notice, and a button that reads the cards again. */
function Wallet() {
  const cards = useSavedCards({ now: NOW });
  return (
    <SavedCards.RootProvider value={cards}>
      <SavedCards.List />
      <p data-testid="notice">{cards.notice}</p>
      <button type="button" onClick={cards.refresh}>
        Reload
      </button>
    </SavedCards.RootProvider>
  );
}

/** `Wallet` under a provider for `apiBase`. */
const wallet = (apiBase: string) => (
  <TillkitProvider apiBase={apiBase} stripe={null}>
    <Wallet />
  </TillkitProvider>
);

describe('SavedCards', () => {
  it('has no accessibility violations', async () => {
    const { container } = renderCards();
    await screen.findByText('Visa ending in 4242');
    expect(await axeViolations(container)).toEqual([]);
  });

  it('shows brand, last four and expiry, marks the default and flags expired and expiring cards', async () => {
    const { container } = renderCards();
    expect(screen.getByRole('status')).toHaveTextContent('Loading…');
    const list = await screen.findByRole('list', { name: 'Saved cards' });
    expect(within(list).getAllByRole('listitem')).toHaveLength(4);
    expect(card('Visa ending in 4242')).toHaveAttribute('data-default', 'true');
    expect(within(card('Visa ending in 4242')).getByText('Default')).toBeVisible();
    expect(within(card('Visa ending in 4242')).getByText('Expires 04/2031')).toBeVisible();
    expect(
      within(card('Visa ending in 4242')).queryByRole('button', { name: 'Make default' }),
    ).toBeNull();
    expect(card('Mastercard ending in 4444')).toHaveAttribute('data-state', 'expiring');
    expect(within(card('Mastercard ending in 4444')).getByText('Expires soon')).toBeVisible();
    expect(card('American Express ending in 0005')).toHaveAttribute('data-state', 'expired');
    expect(within(card('American Express ending in 0005')).getByText('Expired')).toBeVisible();
    expect(card('Discover ending in 1117')).toHaveAttribute('data-state', 'valid');
    expect(container.firstElementChild).toHaveAttribute('data-state', 'ready');
    // Each button says which card it is for.
    const remove = within(card('Discover ending in 1117')).getByRole('button', { name: 'Remove' });
    expect(remove).toHaveAccessibleDescription('Discover ending in 1117');
  });

  it('lists the cards with an explicit role, which WebKit keeps on unstyled lists', async () => {
    renderCards();
    const list = await screen.findByRole('list', { name: 'Saved cards' });
    expect(list).toHaveAttribute('role', 'list');
  });

  it('counts months to the expiry: this month and next are soon, the one after is not', () => {
    expect(monthsLeft({ expMonth: 5, expYear: 2026 }, NOW)).toBe(0);
    expect(monthsLeft({ expMonth: 6, expYear: 2026 }, NOW)).toBe(1);
    expect(monthsLeft({ expMonth: 7, expYear: 2026 }, NOW)).toBe(2);
    expect(monthsLeft({ expMonth: 4, expYear: 2026 }, NOW)).toBe(-1);
    expect(monthsLeft({ expMonth: 1, expYear: 2027 }, new Date(2026, 11, 1))).toBe(1);
  });

  it('makes a card the default at once, and puts it back when the server refuses', async () => {
    const held = deferred();
    routes['POST /payment-methods/pm_mc/default'] = () => held.promise;
    renderCards();
    await screen.findByText('Visa ending in 4242');
    const user = userEvent.setup();
    await user.click(makeDefault('Mastercard ending in 4444'));
    expect(card('Mastercard ending in 4444')).toHaveAttribute('data-default', 'true');
    expect(card('Visa ending in 4242')).not.toHaveAttribute('data-default');
    // One action at a time.
    for (const button of screen.getAllByRole('button')) expect(button).toBeDisabled();

    await act(async () => held.settle(errorAnswer(503, 'stripe_unavailable')));
    await waitFor(() => expect(card('Visa ending in 4242')).toHaveAttribute('data-default'));
    expect(card('Mastercard ending in 4444')).not.toHaveAttribute('data-default');
    const alert = screen.getByRole('alert');
    expect(alert).toHaveTextContent('Something went wrong. Please try again.');
    await waitFor(() => expect(alert).toHaveFocus());
  });

  it('keeps the new default when the server agrees', async () => {
    routes['POST /payment-methods/pm_disc/default'] = () => ({ ...CARDS[3], isDefault: true });
    renderCards();
    await screen.findByText('Visa ending in 4242');
    await userEvent.click(makeDefault('Discover ending in 1117'));
    await waitFor(() =>
      expect(within(card('Discover ending in 1117')).getByText('Default')).toBeVisible(),
    );
    expect(fetcher.requests.at(-1)).toMatchObject({ method: 'POST' });
    expect(screen.getByRole('alert')).toBeEmptyDOMElement();
  });

  it('leaves focus where it is when the host clicks "Make default" from script', async () => {
    routes['POST /payment-methods/pm_disc/default'] = () => ({ ...CARDS[3], isDefault: true });
    render(
      <TillkitProvider apiBase={API} stripe={null}>
        <input aria-label="Search" />
        <SavedCards now={NOW} />
      </TillkitProvider>,
    );
    await screen.findByText('Visa ending in 4242');
    const search = screen.getByRole('textbox', { name: 'Search' });
    search.focus();
    act(() => makeDefault('Discover ending in 1117').click());
    await waitFor(() =>
      expect(within(card('Discover ending in 1117')).getByText('Default')).toBeVisible(),
    );
    expect(search).toHaveFocus();
  });

  it('keeps focus in the list inside a shadow root too', async () => {
    routes['POST /payment-methods/pm_disc/default'] = () => ({ ...CARDS[3], isDefault: true });
    const host = document.body.appendChild(document.createElement('div'));
    const shadow = host.attachShadow({ mode: 'open' });
    const container = shadow.appendChild(document.createElement('div'));
    render(
      <TillkitProvider apiBase={API} stripe={null}>
        <SavedCards now={NOW} />
      </TillkitProvider>,
      { container },
    );
    await waitFor(() => expect(container.querySelectorAll('li')).toHaveLength(4));
    const makeDefault = container.querySelectorAll<HTMLButtonElement>(
      '[data-slot="saved-cards-set-default"]',
    )[2] as HTMLButtonElement;
    makeDefault.focus();
    expect(shadow.activeElement).toBe(makeDefault);
    act(() => makeDefault.click());
    expect(makeDefault.isConnected).toBe(false);
    expect(shadow.activeElement).toBe(container.firstElementChild);
    host.remove();
  });

  it('keeps focus in the list when "Make default", pressed from the keyboard, goes', async () => {
    routes['POST /payment-methods/pm_disc/default'] = () => ({ ...CARDS[3], isDefault: true });
    const { container } = renderCards();
    await screen.findByText('Visa ending in 4242');
    const user = userEvent.setup();
    makeDefault('Discover ending in 1117').focus();
    await user.keyboard('{Enter}');
    expect(
      within(card('Discover ending in 1117')).queryByRole('button', { name: 'Make default' }),
    ).toBeNull();
    expect(container.firstElementChild).toHaveFocus();
    // Where focus is, said by name: "Saved cards, group".
    expect(container.firstElementChild).toHaveRole('group');
    expect(container.firstElementChild).toHaveAccessibleName('Saved cards');
    await waitFor(() => expect(screen.getAllByRole('button')[0]).toBeEnabled());
    expect(container.firstElementChild).toHaveFocus();
  });

  it('asks before removing, with the keyboard: Escape keeps the card and gives focus back', async () => {
    routes['DELETE /payment-methods/pm_mc'] = () => ({ id: 'pm_mc', deleted: true });
    const { container } = renderCards();
    await screen.findByText('Visa ending in 4242');
    const user = userEvent.setup();
    const remove = within(card('Mastercard ending in 4444')).getByRole('button', {
      name: 'Remove',
    });
    remove.focus();
    await user.keyboard('{Enter}');
    const dialog = screen.getByRole('alertdialog', {
      name: 'Remove Mastercard ending in 4444?',
    });
    expect(within(dialog).getByRole('button', { name: 'Keep' })).toHaveFocus();
    expect(await axeViolations(container)).toEqual([]);

    await user.keyboard('{Escape}');
    expect(screen.queryByRole('alertdialog')).toBeNull();
    expect(remove).toHaveFocus();
    expect(fetcher.requests.filter((request) => request.method === 'DELETE')).toEqual([]);

    await user.keyboard('{Enter}');
    await user.tab();
    expect(
      within(screen.getByRole('alertdialog')).getByRole('button', { name: 'Remove' }),
    ).toHaveFocus();
    await user.keyboard('{Enter}');
    expect(screen.queryByText('Mastercard ending in 4444')).toBeNull();
    await waitFor(() =>
      expect(fetcher.requests.filter((request) => request.method === 'DELETE')).toHaveLength(1),
    );
    // The card's button is gone: focus lands on the list's root, not on the page's body.
    expect(container.firstElementChild).toHaveFocus();
    expect(screen.getAllByRole('listitem')).toHaveLength(3);
  });

  it('puts a removed card back when the server refuses', async () => {
    routes['DELETE /payment-methods/pm_amex'] = () => errorAnswer(404, 'not_found');
    renderCards();
    await screen.findByText('Visa ending in 4242');
    const user = userEvent.setup();
    await user.click(
      within(card('American Express ending in 0005')).getByRole('button', { name: 'Remove' }),
    );
    await user.click(
      within(screen.getByRole('alertdialog')).getByRole('button', { name: 'Remove' }),
    );
    await waitFor(() => expect(screen.getByRole('alert')).toHaveFocus());
    expect(screen.getByText('American Express ending in 0005')).toBeVisible();
    expect(screen.getAllByRole('listitem')).toHaveLength(4);
  });

  it('says when there are no cards, and when they could not be read', async () => {
    routes['GET /payment-methods'] = () => ({ data: [] });
    const { container, unmount } = renderCards();
    await waitFor(() => expect(screen.getByRole('status')).toHaveTextContent('No saved cards.'));
    expect(container.firstElementChild).toHaveAttribute('data-state', 'empty');
    expect(screen.queryByRole('list')).toBeNull();
    unmount();

    routes['GET /payment-methods'] = () => errorAnswer(401, 'unauthenticated');
    const failed = renderCards();
    await waitFor(() =>
      expect(failed.container.firstElementChild).toHaveAttribute('data-state', 'failed'),
    );
    expect(screen.getByRole('alert')).toHaveTextContent(
      'This could not be loaded. Check your connection and try again.',
    );
  });

  it('offers to try again after the cards could not be read, and reads them again', async () => {
    routes['GET /payment-methods'] = () => errorAnswer(503, 'stripe_unavailable');
    const { container } = renderCards();
    const root = container.firstElementChild as HTMLElement;
    const retry = await screen.findByRole('button', { name: 'Try again' });
    expect(root).toHaveAttribute('data-state', 'failed');
    expect(await axeViolations(container)).toEqual([]);

    const held = deferred();
    routes['GET /payment-methods'] = () => held.promise;
    await userEvent.click(retry);
    // Reading again: loading, the failure gone, focus kept in the list's root.
    await waitFor(() => expect(root).toHaveAttribute('data-state', 'loading'));
    expect(screen.getByRole('alert')).toBeEmptyDOMElement();
    expect(screen.queryByRole('button', { name: 'Try again' })).toBeNull();
    expect(root).toHaveFocus();

    await act(async () => held.settle({ data: CARDS }));
    expect(await screen.findByText('Visa ending in 4242')).toBeVisible();
    expect(root).toHaveAttribute('data-state', 'ready');
  });

  describe('says in its status region what an action changed', () => {
    const region = () =>
      document.querySelector('p[data-slot="saved-cards-status"]') as HTMLParagraphElement;
    const confirmRemove = async (user: ReturnType<typeof userEvent.setup>, label: string) => {
      await user.click(within(card(label)).getByRole('button', { name: 'Remove' }));
      await user.click(
        within(screen.getByRole('alertdialog')).getByRole('button', { name: 'Remove' }),
      );
    };

    it('names the new default once the server agreed, not while it waits', async () => {
      const held = deferred();
      routes['POST /payment-methods/pm_mc/default'] = () => held.promise;
      renderCards();
      await screen.findByText('Visa ending in 4242');
      await userEvent.click(makeDefault('Mastercard ending in 4444'));
      expect(region()).toBeEmptyDOMElement();

      await act(async () => held.settle({ ...CARDS[1], isDefault: true }));
      await waitFor(() =>
        expect(region()).toHaveTextContent('Mastercard ending in 4444 is now your default card.'),
      );
      expect(screen.getByRole('status')).toBe(region());
      expect(screen.getByRole('alert')).toBeEmptyDOMElement();
    });

    it('names the removed card, and says nothing more once the next removal is asked', async () => {
      routes['DELETE /payment-methods/pm_mc'] = () => ({ id: 'pm_mc', deleted: true });
      const { container } = renderCards();
      await screen.findByText('Visa ending in 4242');
      const user = userEvent.setup();
      await confirmRemove(user, 'Mastercard ending in 4444');
      await waitFor(() =>
        expect(region()).toHaveTextContent('Mastercard ending in 4444 was removed.'),
      );
      expect(await axeViolations(container)).toEqual([]);

      await user.click(
        within(card('Discover ending in 1117')).getByRole('button', { name: 'Remove' }),
      );
      expect(screen.getByRole('alertdialog')).toBeVisible();
      expect(region()).toBeEmptyDOMElement();
    });

    it('says nothing when the server refuses: the default is put back, the error region speaks', async () => {
      routes['DELETE /payment-methods/pm_mc'] = () => ({ id: 'pm_mc', deleted: true });
      const held = deferred();
      routes['POST /payment-methods/pm_disc/default'] = () => held.promise;
      renderCards();
      await screen.findByText('Visa ending in 4242');
      const user = userEvent.setup();
      await confirmRemove(user, 'Mastercard ending in 4444');
      await waitFor(() =>
        expect(region()).toHaveTextContent('Mastercard ending in 4444 was removed.'),
      );

      const discover = card('Discover ending in 1117');
      await user.click(within(discover).getByRole('button', { name: 'Make default' }));
      // The default moves at once, and the last notice goes with the next action.
      expect(discover).toHaveAttribute('data-default', 'true');
      expect(region()).toBeEmptyDOMElement();
      await act(async () => held.settle(errorAnswer(503, 'stripe_unavailable')));
      await waitFor(() => expect(screen.getByRole('alert')).toHaveFocus());
      expect(card('Visa ending in 4242')).toHaveAttribute('data-default', 'true');
      expect(discover).not.toHaveAttribute('data-default');
      expect(region()).toBeEmptyDOMElement();
    });

    it('says what happened, then that no card is left, when the last one goes', async () => {
      routes['GET /payment-methods'] = () => ({ data: [CARDS[0]] });
      routes['DELETE /payment-methods/pm_visa'] = () => ({ id: 'pm_visa', deleted: true });
      renderCards();
      await screen.findByText('Visa ending in 4242');
      await confirmRemove(userEvent.setup(), 'Visa ending in 4242');
      await waitFor(() =>
        expect(region()).toHaveTextContent('Visa ending in 4242 was removed. No saved cards.'),
      );
    });

    it('forgets it when the cards are read again', async () => {
      routes['DELETE /payment-methods/pm_mc'] = () => ({ id: 'pm_mc', deleted: true });
      render(wallet(API));
      await screen.findByText('Visa ending in 4242');
      await confirmRemove(userEvent.setup(), 'Mastercard ending in 4444');
      const notice = screen.getByTestId('notice');
      await waitFor(() =>
        expect(notice).toHaveTextContent('Mastercard ending in 4444 was removed.'),
      );
      await userEvent.click(screen.getByRole('button', { name: 'Reload' }));
      expect(notice).toBeEmptyDOMElement();
      await waitFor(() => expect(screen.getAllByRole('listitem')).toHaveLength(4));
      expect(notice).toBeEmptyDOMElement();
    });

    it('a read that began before "Make default" and answers after it does not undo it', async () => {
      routes['POST /payment-methods/pm_mc/default'] = () => ({ ...CARDS[1], isDefault: true });
      render(wallet(API));
      await screen.findByText('Visa ending in 4242');
      // The server's list before the change, held back until the change went through.
      const stale = deferred();
      routes['GET /payment-methods'] = () => stale.promise;
      await userEvent.click(screen.getByRole('button', { name: 'Reload' }));
      await userEvent.click(makeDefault('Mastercard ending in 4444'));
      const notice = screen.getByTestId('notice');
      await waitFor(() =>
        expect(notice).toHaveTextContent('Mastercard ending in 4444 is now your default card.'),
      );
      const fresh = CARDS.map((item) => ({ ...item, isDefault: item.id === 'pm_mc' }));
      routes['GET /payment-methods'] = () => ({ data: fresh });
      await act(async () => stale.settle({ data: CARDS }));
      // Set aside and read again: the list and the notice agree with the server.
      await waitFor(() =>
        expect(fetcher.requests.filter((request) => request.method === 'GET')).toHaveLength(3),
      );
      await waitFor(() =>
        expect(card('Mastercard ending in 4444')).toHaveAttribute('data-default', 'true'),
      );
      expect(card('Visa ending in 4242')).not.toHaveAttribute('data-default');
      expect(notice).toHaveTextContent('Mastercard ending in 4444 is now your default card.');
    });

    it('a read that answers while "Make default" is on its way waits for it, then reads again', async () => {
      const held = deferred();
      routes['POST /payment-methods/pm_mc/default'] = () => held.promise;
      render(wallet(API));
      await screen.findByText('Visa ending in 4242');
      await userEvent.click(makeDefault('Mastercard ending in 4444'));
      expect(card('Mastercard ending in 4444')).toHaveAttribute('data-default', 'true');
      // The server has not made the change yet: its list still says Visa.
      await userEvent.click(screen.getByRole('button', { name: 'Reload' }));
      await waitFor(() =>
        expect(fetcher.requests.filter((request) => request.method === 'GET')).toHaveLength(2),
      );
      await act(async () => {});
      expect(card('Mastercard ending in 4444')).toHaveAttribute('data-default', 'true');
      const fresh = CARDS.map((item) => ({ ...item, isDefault: item.id === 'pm_mc' }));
      routes['GET /payment-methods'] = () => ({ data: fresh });
      await act(async () => held.settle({ ...CARDS[1], isDefault: true }));
      await waitFor(() =>
        expect(fetcher.requests.filter((request) => request.method === 'GET')).toHaveLength(3),
      );
      expect(card('Mastercard ending in 4444')).toHaveAttribute('data-default', 'true');
      expect(card('Visa ending in 4242')).not.toHaveAttribute('data-default');
    });

    it('a set-aside read does not undo the rollback of a refused action settling with it', async () => {
      render(wallet(API));
      await screen.findByText('Visa ending in 4242');
      const read = deferred();
      routes['GET /payment-methods'] = () => read.promise;
      await userEvent.click(screen.getByRole('button', { name: 'Reload' }));
      const refused = deferred();
      routes['POST /payment-methods/pm_mc/default'] = () => refused.promise;
      await userEvent.click(makeDefault('Mastercard ending in 4444'));
      expect(card('Mastercard ending in 4444')).toHaveAttribute('data-default', 'true');
      // The read after the action fails too: nothing but the rollback can put Visa back.
      routes['GET /payment-methods'] = () => errorAnswer(503, 'stripe_unavailable');
      await act(async () => {
        read.settle({ data: CARDS });
        refused.settle(errorAnswer(503, 'stripe_unavailable'));
      });
      await waitFor(() =>
        expect(fetcher.requests.filter((request) => request.method === 'GET')).toHaveLength(3),
      );
      await act(async () => {});
      expect(card('Visa ending in 4242')).toHaveAttribute('data-default', 'true');
      expect(card('Mastercard ending in 4444')).not.toHaveAttribute('data-default');
    });

    it("an action on its way when apiBase changes neither holds nor touches the new server's list", async () => {
      const held = deferred();
      routes['POST /payment-methods/pm_mc/default'] = () => held.promise;
      const { rerender } = render(wallet(API));
      await screen.findByText('Visa ending in 4242');
      await userEvent.click(makeDefault('Mastercard ending in 4444'));
      // The other server has one card: its list shows though the first server's action waits.
      routes['GET /payment-methods'] = () => ({ data: [CARDS[2]] });
      rerender(wallet('http://other.tillkit.test/api'));
      await waitFor(() => expect(screen.getAllByRole('listitem')).toHaveLength(1));
      expect(screen.getByText('American Express ending in 0005')).toBeVisible();
      // Refused at last: the first server's list is not put back over the second's.
      await act(async () => held.settle(errorAnswer(503, 'stripe_unavailable')));
      expect(screen.getAllByRole('listitem')).toHaveLength(1);
      expect(screen.queryByText('Visa ending in 4242')).toBeNull();
    });

    it('says nothing about the list of another server', async () => {
      routes['POST /payment-methods/pm_mc/default'] = () => ({ ...CARDS[1], isDefault: true });
      const { rerender } = render(wallet(API));
      await screen.findByText('Visa ending in 4242');
      await userEvent.click(makeDefault('Mastercard ending in 4444'));
      const notice = screen.getByTestId('notice');
      await waitFor(() =>
        expect(notice).toHaveTextContent('Mastercard ending in 4444 is now your default card.'),
      );
      rerender(wallet('http://other.tillkit.test/api'));
      expect(notice).toBeEmptyDOMElement();
    });

    it('speaks German, and is worded again when the language changes', async () => {
      routes['POST /payment-methods/pm_mc/default'] = () => ({ ...CARDS[1], isDefault: true });
      const ui = (messages?: typeof de) => (
        <TillkitProvider apiBase={API} stripe={null} messages={messages}>
          <SavedCards now={NOW} />
        </TillkitProvider>
      );
      const { rerender } = render(ui());
      await screen.findByText('Visa ending in 4242');
      await userEvent.click(makeDefault('Mastercard ending in 4444'));
      await waitFor(() =>
        expect(region()).toHaveTextContent('Mastercard ending in 4444 is now your default card.'),
      );
      rerender(ui(de));
      expect(region()).toHaveTextContent(
        'Mastercard mit Endziffern 4444 ist jetzt Ihre Standardkarte.',
      );
    });
  });

  it('speaks German', async () => {
    renderCards({ messages: de, locale: 'de-DE' });
    expect(await screen.findByText('Visa mit Endziffern 4242')).toBeVisible();
    expect(screen.getByRole('list', { name: 'Gespeicherte Karten' })).toBeVisible();
    expect(screen.getAllByRole('button', { name: 'Als Standard festlegen' })).toHaveLength(3);
  });
});
