/**
 * The subscription manager in jsdom (React 18 and 19) against a scripted Tillkit server:
 * statuses and dates in the provider's locale, the cancel confirmation with the keyboard,
 * resume, change plan, failures and trying again, a pending 3D Secure fixed in place (and a new
 * card offered when it fails), what is said and focused once such a payment went through, and
 * `PayWithNewCard` on its own.
 */

import { act, render, screen, waitFor, within } from '@testing-library/react';
import { userEvent } from '@testing-library/user-event';
import type { Subscription } from '@tillkit/protocol';
import type { ReactNode } from 'react';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { axeViolations } from '../../test/support/axe.js';
import {
  BILLING_CATALOG,
  createFakeStripe,
  errorAnswer,
  type FakeStripe,
  fakeServerFetch,
  intent,
} from '../../test/support/fake-stripe.js';
import { de } from '../messages/de.js';
import { TillkitProvider } from '../provider/tillkit-provider.js';
import {
  PayWithNewCard,
  SubscriptionManager,
  useSubscriptionManagerContext,
} from './subscription-manager.js';

const API = 'http://tillkit.test/api';
const base: Subscription = {
  id: 'sub_pro',
  status: 'active',
  priceId: 'price_pro_month',
  productId: 'prod_pro',
  productName: 'Pro',
  currentPeriodEnd: '2026-06-01T12:00:00.000Z',
  cancelAtPeriodEnd: false,
  cancelAt: null,
  trialEnd: null,
  pendingAction: null,
};
/** A renewal whose card asked for 3D Secure: past due until the customer confirms. */
const AWAITING_AUTHENTICATION: Subscription = {
  ...base,
  status: 'past_due',
  pendingAction: { type: 'authenticate', clientSecret: 'pi_fake_secret_x' },
};
/** A renewal that was declined: past due until the customer pays with another card. */
const AWAITING_NEW_CARD: Subscription = {
  ...base,
  status: 'past_due',
  pendingAction: { type: 'new_card', clientSecret: 'pi_fake_secret_x' },
};
/** A trial that has no card for its renewals yet: its SetupIntent waits to be confirmed. */
const AWAITING_CARD: Subscription = {
  ...base,
  status: 'trialing',
  trialEnd: '2026-05-20T12:00:00.000Z',
  pendingAction: { type: 'save_card', clientSecret: 'seti_trial_secret_t' },
};
const SUBSCRIPTIONS: Subscription[] = [
  base,
  {
    ...base,
    id: 'sub_starter',
    status: 'trialing',
    priceId: 'price_starter_month',
    productId: 'prod_starter',
    productName: 'Starter',
    trialEnd: '2026-05-20T12:00:00.000Z',
  },
];

let fake: FakeStripe;
let routes: Record<string, (body: unknown) => unknown>;
let fetcher: ReturnType<typeof fakeServerFetch>;
beforeEach(() => {
  fake = createFakeStripe();
  routes = {
    'GET /prices': () => BILLING_CATALOG,
    'GET /subscriptions': () => ({ data: SUBSCRIPTIONS }),
  };
  fetcher = fakeServerFetch(new Proxy({}, { get: (_, key: string) => routes[key] }) as never);
  vi.stubGlobal('fetch', fetcher);
});
afterEach(() => vi.unstubAllGlobals());

function renderManager(
  extra: { messages?: typeof de; locale?: string } = {},
  ui = <SubscriptionManager />,
) {
  const wrapper = ({ children }: { children: ReactNode }) => (
    <TillkitProvider apiBase={API} stripe={fake.stripe} locale="en-US" {...extra}>
      {children}
    </TillkitProvider>
  );
  return render(ui, { wrapper });
}

const item = (name: string) => screen.getByRole('heading', { name }).closest('li') as HTMLElement;
const posts = () => fetcher.requests.filter((request) => request.method === 'POST');
const reads = () =>
  fetcher.requests.filter(
    (request) => request.method === 'GET' && new URL(request.url).pathname === '/api/subscriptions',
  ).length;
const AUTHENTICATION_FAILED =
  'We are unable to authenticate your payment method. Please choose a different payment method and try again.';

/** What the server previews for a move from Pro monthly: an upgrade within the period. */
const PREVIEW = {
  currency: 'usd',
  amountDue: 2000,
  credit: 0,
  prorationDate: 1_780_000_000,
  nextAmount: 24000,
  nextPaymentDate: base.currentPeriodEnd,
};
/** A name matcher that reads Intl's no-break spaces ("KWD 9.000", "9,00 $") as spaces. */
const named = (text: string) => (name: string) => name.replace(/[\u00a0\u202f]/g, ' ') === text;

/** Chooses `plan` for Pro, presses "Change plan" and confirms what the step says. */
async function changeAndConfirm(user: ReturnType<typeof userEvent.setup>, plan?: string) {
  if (plan) {
    await user.selectOptions(within(item('Pro')).getByRole('combobox', { name: 'New plan' }), plan);
  }
  await user.click(within(item('Pro')).getByRole('button', { name: 'Change plan' }));
  const dialog = await screen.findByRole('alertdialog');
  await user.click(within(dialog).getByRole('button', { name: 'Confirm change' }));
}

/**
 * The list with `ReadAgain`, and Pro's step to the yearly plan open (its preview read); the user
 * who opened it.
 */
async function openYearlyStep() {
  routes['POST /subscriptions/sub_pro/change-preview'] = () => PREVIEW;
  renderManager(
    {},
    <SubscriptionManager.Root>
      <SubscriptionManager.List />
      <ReadAgain />
    </SubscriptionManager.Root>,
  );
  await screen.findByText('$29.00 / month');
  const user = userEvent.setup();
  await user.selectOptions(
    within(item('Pro')).getByRole('combobox', { name: 'New plan' }),
    'Pro · $240.00 / year',
  );
  await user.click(within(item('Pro')).getByRole('button', { name: 'Change plan' }));
  await screen.findByRole('alertdialog');
  return user;
}

/** A custom layout's own upgrade: the preview first, then the change with its prorationDate. */
function Upgrade({ seen }: { seen: unknown[] }) {
  const { previewChange, changePlan } = useSubscriptionManagerContext();
  return (
    <button
      type="button"
      onClick={async () => {
        const preview = await previewChange('sub_pro', 'price_pro_year');
        seen.push(preview);
        if (preview) {
          await changePlan('sub_pro', 'price_pro_year', { prorationDate: preview.prorationDate });
        }
      }}
    >
      Upgrade
    </button>
  );
}

/** A custom layout's own "Read again" (`refresh()`), and the change step it sees. */
function ReadAgain() {
  const { refresh, planChange } = useSubscriptionManagerContext();
  return (
    <>
      <button type="button" onClick={refresh}>
        Read again
      </button>
      <output aria-label="Step">{planChange ? planChange.status : 'none'}</output>
    </>
  );
}

/** A custom layout's own word on the catalog's failure. */
function CatalogNote() {
  const { catalogError } = useSubscriptionManagerContext();
  return <p role="status">{catalogError ? `No prices: ${catalogError.code}` : null}</p>;
}

describe('SubscriptionManager', () => {
  it('has no accessibility violations', async () => {
    const { container } = renderManager();
    await screen.findByText('$29.00 / month');
    expect(await axeViolations(container)).toEqual([]);
  });

  it('shows each subscription with its status, price and next date', async () => {
    renderManager();
    expect(screen.getByRole('status')).toHaveTextContent('Loading…');
    const list = await screen.findByRole('list', { name: 'Your subscriptions' });
    expect(within(list).getAllByRole('listitem')).toHaveLength(2);
    await within(item('Pro')).findByText('$29.00 / month');
    expect(within(item('Pro')).getByText('Active')).toBeVisible();
    expect(within(item('Pro')).getByText('Renews on June 1, 2026')).toBeVisible();
    expect(within(item('Starter')).getByText('Trial')).toBeVisible();
    expect(within(item('Starter')).getByText('Trial ends on May 20, 2026')).toBeVisible();
    expect(item('Starter')).toHaveAttribute('data-state', 'trialing');
    // Change plan offers the catalog's other plans in the same currency.
    const options = within(item('Pro'))
      .getAllByRole('option')
      .map((option) => option.textContent);
    expect(options).toEqual([
      'Starter · $9.00 / month',
      'Starter · $90.00 / year',
      'Pro · $240.00 / year',
    ]);
  });

  it('says which subscription each action is for, by its name, with the names unchanged', async () => {
    routes['GET /subscriptions'] = () => ({
      data: [
        ...SUBSCRIPTIONS,
        { ...base, id: 'sub_team', productName: 'Team', cancelAtPeriodEnd: true },
      ],
    });
    renderManager();
    const list = await screen.findByRole('list', { name: 'Your subscriptions' });
    // Explicit: WebKit drops the list role of an unstyled list.
    expect(list).toHaveAttribute('role', 'list');
    await screen.findAllByText('$29.00 / month');
    for (const name of ['Pro', 'Starter']) {
      const actions = within(item(name));
      expect(
        actions.getByRole('button', { name: 'Cancel subscription' }),
      ).toHaveAccessibleDescription(name);
      expect(actions.getByRole('combobox', { name: 'New plan' })).toHaveAccessibleDescription(name);
      expect(actions.getByRole('button', { name: 'Change plan' })).toHaveAccessibleDescription(
        name,
      );
    }
    expect(
      within(item('Team')).getByRole('button', { name: 'Resume subscription' }),
    ).toHaveAccessibleDescription('Team');
  });

  it('names the subscriptions with <h3>, or the heading level the page needs', async () => {
    const { unmount } = renderManager();
    expect(await screen.findByRole('heading', { name: 'Pro', level: 3 })).toBeVisible();
    unmount();
    renderManager({}, <SubscriptionManager headingLevel={4} />);
    const pro = await screen.findByRole('heading', { name: 'Pro', level: 4 });
    expect(pro).toHaveAttribute('data-slot', 'subscription-manager-name');
    // The actions are still described by the name.
    expect(
      within(item('Pro')).getByRole('button', { name: 'Cancel subscription' }),
    ).toHaveAccessibleDescription('Pro');
    expect(screen.queryByRole('heading', { level: 3 })).toBeNull();
  });

  it('names a pending payment’s block after its subscription', async () => {
    routes['GET /subscriptions'] = () => ({ data: [AWAITING_NEW_CARD, SUBSCRIPTIONS[1]] });
    renderManager();
    const block = await screen.findByRole('group', { name: 'Pro' });
    expect(block).toHaveAttribute('data-slot', 'subscription-manager-pending');
    expect(within(block).getByRole('button', { name: 'Pay now' })).toBeVisible();
    expect(within(block).getByRole('group', { name: 'Card details' })).toBeVisible();
    expect(screen.queryByRole('group', { name: 'Starter' })).toBeNull();
  });

  it('stays loading until the catalog is read, so prices and plans never pop in', async () => {
    let release = () => {};
    routes['GET /prices'] = () =>
      new Promise((resolve) => {
        release = () => resolve(BILLING_CATALOG);
      });
    const { container } = renderManager();
    await waitFor(() => expect(fetcher.requests).toHaveLength(2));
    // The subscriptions are in; the catalog is not yet.
    await new Promise((resolve) => setTimeout(resolve, 20));
    expect(container.firstElementChild).toHaveAttribute('data-state', 'loading');
    expect(screen.queryByRole('list')).toBeNull();
    release();
    await waitFor(() => expect(container.firstElementChild).toHaveAttribute('data-state', 'ready'));
    expect(within(item('Pro')).getByText('$29.00 / month')).toBeVisible();
    expect(within(item('Pro')).getByRole('combobox', { name: 'New plan' })).toBeVisible();
  });

  it('still lists the subscriptions when the catalog cannot be read', async () => {
    routes['GET /prices'] = () => errorAnswer(503, 'stripe_unavailable');
    const { container } = renderManager();
    await waitFor(() => expect(container.firstElementChild).toHaveAttribute('data-state', 'ready'));
    expect(within(item('Pro')).getByText('Renews on June 1, 2026')).toBeVisible();
    expect(within(item('Pro')).queryByText('$29.00 / month')).toBeNull();
    // No plan to move to, but cancelling still works.
    expect(within(item('Pro')).queryByRole('combobox')).toBeNull();
    expect(within(item('Pro')).getByRole('button', { name: 'Cancel subscription' })).toBeEnabled();
  });

  it('says when plans and prices could not be loaded, and reads them again on Try again', async () => {
    routes['GET /prices'] = () => errorAnswer(503, 'stripe_unavailable');
    const { container } = renderManager();
    const root = container.firstElementChild as HTMLElement;
    const retry = await screen.findByRole('button', { name: 'Try again' });
    expect(root).toHaveAttribute('data-state', 'ready');
    expect(screen.getByRole('status')).toHaveTextContent('Plans and prices could not be loaded.');
    // Not an alert: the list is there, only its prices and plan changes are missing.
    expect(screen.getByRole('alert')).toBeEmptyDOMElement();
    expect(await axeViolations(container)).toEqual([]);

    let release = () => {};
    routes['GET /prices'] = () =>
      new Promise((resolve) => {
        release = () => resolve(BILLING_CATALOG);
      });
    await userEvent.click(retry);
    // The list stays while the catalog is read again; the button goes, focus stays in the manager.
    expect(root).toHaveAttribute('data-state', 'ready');
    expect(within(item('Pro')).getByText('Renews on June 1, 2026')).toBeVisible();
    expect(screen.queryByRole('button', { name: 'Try again' })).toBeNull();
    expect(screen.getByRole('status')).toBeEmptyDOMElement();
    expect(root).toHaveFocus();

    release();
    await within(item('Pro')).findByText('$29.00 / month');
    expect(within(item('Pro')).getByRole('combobox', { name: 'New plan' })).toBeVisible();
    expect(screen.getByRole('status')).toBeEmptyDOMElement();
  });

  it('offers to try again once more when the catalog cannot be read again', async () => {
    routes['GET /prices'] = () => errorAnswer(503, 'stripe_unavailable');
    renderManager({ messages: de, locale: 'de-DE' });
    await userEvent.click(await screen.findByRole('button', { name: 'Erneut versuchen' }));
    expect(await screen.findByRole('button', { name: 'Erneut versuchen' })).toBeEnabled();
    expect(screen.getByRole('status')).toHaveTextContent(
      'Tarife und Preise konnten nicht geladen werden.',
    );
    expect(within(item('Pro')).getByText('Verlängert sich am 1. Juni 2026')).toBeVisible();
  });

  it('gives a custom layout the catalog’s failure, and .Retry reads it again', async () => {
    routes['GET /prices'] = () => errorAnswer(503, 'stripe_unavailable');
    renderManager(
      {},
      <SubscriptionManager.Root>
        <SubscriptionManager.List />
        <CatalogNote />
        <SubscriptionManager.Retry />
      </SubscriptionManager.Root>,
    );
    await waitFor(() =>
      expect(screen.getByRole('status')).toHaveTextContent('No prices: stripe_unavailable'),
    );
    routes['GET /prices'] = () => BILLING_CATALOG;
    await userEvent.click(screen.getByRole('button', { name: 'Try again' }));
    await within(item('Pro')).findByText('$29.00 / month');
    expect(screen.getByRole('status')).toBeEmptyDOMElement();
  });

  it('cancels at period end after a confirmation, with the keyboard', async () => {
    routes['POST /subscriptions/sub_pro/cancel'] = () => ({ ...base, cancelAtPeriodEnd: true });
    const { container } = renderManager();
    await screen.findByText('Renews on June 1, 2026');
    const user = userEvent.setup();
    const cancel = within(item('Pro')).getByRole('button', { name: 'Cancel subscription' });
    cancel.focus();
    await user.keyboard('{Enter}');
    const dialog = screen.getByRole('alertdialog', {
      name: 'Cancel Pro? It stays active until the end of the period you paid for.',
    });
    expect(within(dialog).getByRole('button', { name: 'Keep subscription' })).toHaveFocus();
    expect(await axeViolations(container)).toEqual([]);

    await user.keyboard('{Escape}');
    expect(screen.queryByRole('alertdialog')).toBeNull();
    expect(cancel).toHaveFocus();
    expect(posts()).toEqual([]);

    await user.keyboard(' ');
    await user.tab();
    expect(
      within(screen.getByRole('alertdialog')).getByRole('button', { name: 'Cancel subscription' }),
    ).toHaveFocus();
    await user.keyboard('{Enter}');
    await waitFor(() => expect(within(item('Pro')).getByText('Canceling')).toBeVisible());
    expect(within(item('Pro')).getByText('Ends on June 1, 2026')).toBeVisible();
    expect(posts()[0]?.body).toEqual({ atPeriodEnd: true });
    expect(within(item('Pro')).queryByRole('button', { name: 'Cancel subscription' })).toBeNull();
    expect(within(item('Pro')).queryByRole('combobox')).toBeNull();
    // The button that opened the step is gone: focus stays in the manager.
    expect(container.firstElementChild).toHaveFocus();
  });

  it('resumes a subscription canceled at period end, with focus kept in the manager', async () => {
    routes['GET /subscriptions'] = () => ({ data: [{ ...base, cancelAtPeriodEnd: true }] });
    routes['POST /subscriptions/sub_pro/resume'] = () => base;
    const { container } = renderManager();
    const resume = await screen.findByRole('button', { name: 'Resume subscription' });
    resume.focus();
    await userEvent.keyboard('{Enter}');
    await waitFor(() => expect(within(item('Pro')).getByText('Active')).toBeVisible());
    expect(posts().map((request) => new URL(request.url).pathname)).toEqual([
      '/api/subscriptions/sub_pro/resume',
    ]);
    // The button went: focus is on the manager, not the page's body, and says so by name.
    expect(container.firstElementChild).toHaveFocus();
    expect(container.firstElementChild).toHaveRole('group');
    expect(container.firstElementChild).toHaveAccessibleName('Your subscriptions');
  });

  it('shows a subscription set to end on a date (the Dashboard, the portal) as ending then, with Resume instead of Cancel', async () => {
    routes['GET /subscriptions'] = () => ({
      data: [{ ...base, cancelAt: '2026-05-20T12:00:00.000Z' }],
    });
    routes['POST /subscriptions/sub_pro/resume'] = () => base;
    renderManager();
    await screen.findByText('Ends on May 20, 2026');
    const pro = item('Pro');
    expect(pro).toHaveAttribute('data-state', 'canceling');
    expect(within(pro).getByText('Canceling')).toBeVisible();
    expect(within(pro).queryByRole('button', { name: 'Cancel subscription' })).toBeNull();
    expect(within(pro).queryByRole('combobox', { name: 'New plan' })).toBeNull();
    await userEvent.click(within(pro).getByRole('button', { name: 'Resume subscription' }));
    await within(item('Pro')).findByText('Renews on June 1, 2026');
    expect(posts().map((request) => new URL(request.url).pathname)).toEqual([
      '/api/subscriptions/sub_pro/resume',
    ]);
  });

  it('a subscription set to end on a date after its period’s end can still be canceled at the period’s end', async () => {
    routes['GET /subscriptions'] = () => ({
      data: [{ ...base, cancelAt: '2026-08-20T12:00:00.000Z' }],
    });
    routes['POST /subscriptions/sub_pro/cancel'] = () => ({
      ...base,
      cancelAtPeriodEnd: true,
      cancelAt: base.currentPeriodEnd,
    });
    renderManager();
    await screen.findByText('Ends on August 20, 2026');
    const pro = item('Pro');
    expect(within(pro).getByRole('button', { name: 'Resume subscription' })).toBeVisible();
    // Not a plan change: it is set to end.
    expect(within(pro).queryByRole('combobox', { name: 'New plan' })).toBeNull();
    await userEvent.click(within(pro).getByRole('button', { name: 'Cancel subscription' }));
    const dialog = screen.getByRole('alertdialog');
    await userEvent.click(within(dialog).getByRole('button', { name: 'Cancel subscription' }));
    await within(item('Pro')).findByText('Ends on June 1, 2026');
    expect(posts()[0]?.body).toEqual({ atPeriodEnd: true });
    expect(within(item('Pro')).queryByRole('button', { name: 'Cancel subscription' })).toBeNull();
  });

  it('says the date a subscription ends on in German', async () => {
    routes['GET /subscriptions'] = () => ({
      data: [{ ...base, cancelAt: '2026-05-20T12:00:00.000Z' }],
    });
    renderManager({ messages: de, locale: 'de-DE' });
    await screen.findByText('Endet am 20. Mai 2026');
    expect(within(item('Pro')).getByText('Gekündigt')).toBeVisible();
    expect(
      within(item('Pro')).getByRole('button', { name: 'Abonnement fortsetzen' }),
    ).toBeVisible();
  });

  it('changes plan to the price chosen once the customer confirmed what it charges, with the keyboard', async () => {
    let release = () => {};
    routes['POST /subscriptions/sub_pro/change-preview'] = () =>
      new Promise((resolve) => {
        release = () => resolve(PREVIEW);
      });
    routes['POST /subscriptions/sub_pro/change'] = () => ({ ...base, priceId: 'price_pro_year' });
    const { container } = renderManager();
    await screen.findByText('$29.00 / month');
    const user = userEvent.setup();
    await user.selectOptions(
      within(item('Pro')).getByRole('combobox', { name: 'New plan' }),
      'Pro · $240.00 / year',
    );
    const change = within(item('Pro')).getByRole('button', { name: 'Change plan' });
    change.focus();
    await user.keyboard('{Enter}');
    // While the price is read: said, other actions wait, and focus stays on the button.
    const region = document.querySelector('[data-slot="subscription-manager-status"]');
    await waitFor(() => expect(region).toHaveTextContent('Checking what the change costs…'));
    expect(change.closest('form')).toHaveAttribute('data-state', 'loading');
    expect(within(item('Pro')).getByRole('button', { name: 'Cancel subscription' })).toBeDisabled();
    // Enabled, so that a browser leaves focus on it (a second press waits for the first).
    expect(change).toBeEnabled();
    expect(change).toHaveFocus();
    release();
    const dialog = await screen.findByRole('alertdialog', {
      name: 'Change Pro to Pro · $240.00 / year? You’ll pay $20.00 now for the rest of this period, then $240.00 / year from June 1, 2026.',
    });
    expect(within(dialog).getByRole('button', { name: 'Keep current plan' })).toHaveFocus();
    expect(dialog).toHaveAttribute('data-slot', 'subscription-manager-confirm-change');
    expect(region).toBeEmptyDOMElement();
    expect(await axeViolations(container)).toEqual([]);
    expect(posts().map((request) => [new URL(request.url).pathname, request.body])).toEqual([
      ['/api/subscriptions/sub_pro/change-preview', { price: 'price_pro_year' }],
    ]);

    // Kept: nothing changes, and focus goes back to "Change plan".
    await user.keyboard('{Escape}');
    expect(screen.queryByRole('alertdialog')).toBeNull();
    expect(change).toHaveFocus();
    expect(posts()).toHaveLength(1);

    routes['POST /subscriptions/sub_pro/change-preview'] = () => PREVIEW;
    await user.keyboard('{Enter}');
    await screen.findByRole('alertdialog');
    await user.tab();
    expect(screen.getByRole('button', { name: 'Confirm change' })).toHaveFocus();
    await user.keyboard('{Enter}');
    await waitFor(() => expect(within(item('Pro')).getByText('$240.00 / year')).toBeVisible());
    // Sent with the preview's time, so that the charge is the amount shown.
    expect(posts()[2]?.body).toEqual({ price: 'price_pro_year', prorationDate: 1_780_000_000 });
    // The step went: focus stays in the manager.
    expect(container.firstElementChild).toHaveFocus();
  });

  it('asks again with the price of now when the confirmation came too late for the preview', async () => {
    let previews = 0;
    routes['POST /subscriptions/sub_pro/change-preview'] = () => {
      previews += 1;
      return previews === 1
        ? PREVIEW
        : { ...PREVIEW, amountDue: 1500, prorationDate: 1_780_001_000 };
    };
    let changes = 0;
    routes['POST /subscriptions/sub_pro/change'] = () => {
      changes += 1;
      return changes === 1
        ? errorAnswer(400, 'preview_expired')
        : { ...base, priceId: 'price_pro_year' };
    };
    renderManager();
    await screen.findByText('$29.00 / month');
    const user = userEvent.setup();
    await changeAndConfirm(user, 'Pro · $240.00 / year');
    // Refused as stale: the step opens again with what the change charges now.
    const again = await screen.findByRole('alertdialog', { name: /You’ll pay \$15\.00 now/ });
    expect(within(again).getByRole('button', { name: 'Keep current plan' })).toHaveFocus();
    expect(within(item('Pro')).getByText('$29.00 / month')).toBeVisible();
    await user.click(within(again).getByRole('button', { name: 'Confirm change' }));
    await waitFor(() => expect(within(item('Pro')).getByText('$240.00 / year')).toBeVisible());
    expect(posts().map((request) => [new URL(request.url).pathname, request.body])).toEqual([
      ['/api/subscriptions/sub_pro/change-preview', { price: 'price_pro_year' }],
      [
        '/api/subscriptions/sub_pro/change',
        { price: 'price_pro_year', prorationDate: 1_780_000_000 },
      ],
      ['/api/subscriptions/sub_pro/change-preview', { price: 'price_pro_year' }],
      [
        '/api/subscriptions/sub_pro/change',
        { price: 'price_pro_year', prorationDate: 1_780_001_000 },
      ],
    ]);
  });

  it('says what a downgrade leaves as credit, and what another interval charges', async () => {
    routes['POST /subscriptions/sub_pro/change-preview'] = (body) =>
      (body as { price: string }).price === 'price_starter_month'
        ? { ...PREVIEW, amountDue: 0, credit: 500, nextAmount: 900 }
        : { ...PREVIEW, amountDue: 23100, nextPaymentDate: '2027-05-01T12:00:00.000Z' };
    renderManager();
    await screen.findByText('$29.00 / month');
    const user = userEvent.setup();
    await user.click(within(item('Pro')).getByRole('button', { name: 'Change plan' }));
    expect(
      await screen.findByRole('alertdialog', {
        name: 'Change Pro to Starter · $9.00 / month? No charge now: $5.00 of credit goes to your next invoices. Then $9.00 / month from June 1, 2026.',
      }),
    ).toBeVisible();
    await user.selectOptions(
      within(item('Pro')).getByRole('combobox', { name: 'New plan' }),
      'Pro · $240.00 / year',
    );
    await user.click(within(item('Pro')).getByRole('button', { name: 'Change plan' }));
    expect(
      await screen.findByRole('alertdialog', {
        name: 'Change Pro to Pro · $240.00 / year? You’ll pay $231.00 now, then $240.00 / year from May 1, 2027.',
      }),
    ).toBeVisible();
  });

  it('writes yen and Kuwaiti dinars in their own units', async () => {
    const plan = (id: string, currency: string, unitAmount: number) => ({
      id,
      name: id,
      description: null,
      features: [],
      prices: [
        { id, unitAmount, currency, type: 'recurring', interval: 'month', intervalCount: 1 },
      ],
    });
    routes['GET /prices'] = () => ({
      products: [
        plan('Yen', 'jpy', 1000),
        plan('Yen Pro', 'jpy', 3000),
        plan('Dinar', 'kwd', 3000),
        plan('Dinar Pro', 'kwd', 9000),
      ],
    });
    routes['GET /subscriptions'] = () => ({
      data: [
        { ...base, id: 'sub_jpy', priceId: 'Yen', productName: 'Yen' },
        { ...base, id: 'sub_kwd', priceId: 'Dinar', productName: 'Dinar' },
      ],
    });
    routes['POST /subscriptions/sub_jpy/change-preview'] = () => ({
      ...PREVIEW,
      currency: 'jpy',
      amountDue: 1333,
      nextAmount: 3000,
    });
    routes['POST /subscriptions/sub_kwd/change-preview'] = () => ({
      ...PREVIEW,
      currency: 'kwd',
      amountDue: 3990,
      nextAmount: 9000,
    });
    renderManager();
    await screen.findByText('¥1,000 / month');
    const user = userEvent.setup();
    await user.click(within(item('Yen')).getByRole('button', { name: 'Change plan' }));
    expect(
      await screen.findByRole('alertdialog', {
        name: 'Change Yen to Yen Pro · ¥3,000 / month? You’ll pay ¥1,333 now for the rest of this period, then ¥3,000 / month from June 1, 2026.',
      }),
    ).toBeVisible();
    await user.click(within(item('Dinar')).getByRole('button', { name: 'Change plan' }));
    expect(
      await screen.findByRole('alertdialog', {
        name: named(
          'Change Dinar to Dinar Pro · KWD 9.000 / month? You’ll pay KWD 3.990 now for the rest of this period, then KWD 9.000 / month from June 1, 2026.',
        ),
      }),
    ).toBeVisible();
  });

  it('says why the change’s price could not be read, and reads it again on Try again', async () => {
    routes['POST /subscriptions/sub_pro/change-preview'] = () => errorAnswer(502, 'stripe_error');
    const { container } = renderManager();
    await screen.findByText('$29.00 / month');
    const user = userEvent.setup();
    await user.click(within(item('Pro')).getByRole('button', { name: 'Change plan' }));
    const alert = await screen.findByText('Something went wrong. Please try again.');
    await waitFor(() => expect(alert).toHaveFocus());
    expect(screen.queryByRole('alertdialog')).toBeNull();
    expect(await axeViolations(container)).toEqual([]);

    routes['POST /subscriptions/sub_pro/change-preview'] = () => PREVIEW;
    await user.click(screen.getByRole('button', { name: 'Try again' }));
    const dialog = await screen.findByRole('alertdialog');
    expect(within(dialog).getByRole('button', { name: 'Keep current plan' })).toHaveFocus();
    expect(screen.queryByRole('button', { name: 'Try again' })).toBeNull();
    expect(posts().map((request) => request.body)).toEqual([
      { price: 'price_starter_month' },
      { price: 'price_starter_month' },
    ]);
    // A failure that can pass: the preview alone.
    expect(reads()).toBe(1);
  });

  it('closes the change’s step once the list shows the subscription on another plan, or without it', async () => {
    const user = await openYearlyStep();
    // Read again with another subscription changed: this step stays.
    routes['GET /subscriptions'] = () => ({
      data: [base, { ...SUBSCRIPTIONS[1], cancelAtPeriodEnd: true }],
    });
    await user.click(screen.getByRole('button', { name: 'Read again' }));
    await within(item('Starter')).findByText('Canceling');
    expect(screen.getByRole('alertdialog')).toBeVisible();
    expect(screen.getByRole('status', { name: 'Step' })).toHaveTextContent('ready');

    // Moved to the yearly price elsewhere (another tab): the amounts shown are not what
    // confirming would charge.
    routes['GET /subscriptions'] = () => ({ data: [{ ...base, priceId: 'price_pro_year' }] });
    await user.click(screen.getByRole('button', { name: 'Read again' }));
    await waitFor(() => expect(screen.queryByRole('alertdialog')).toBeNull());
    expect(within(item('Pro')).getByText('$240.00 / year')).toBeVisible();
    expect(screen.getByRole('status', { name: 'Step' })).toHaveTextContent('none');

    // Ended elsewhere while its step is open: the step goes with it.
    await user.click(within(item('Pro')).getByRole('button', { name: 'Change plan' }));
    await screen.findByRole('alertdialog');
    routes['GET /subscriptions'] = () => ({ data: [] });
    await user.click(screen.getByRole('button', { name: 'Read again' }));
    await waitFor(() =>
      expect(screen.getByRole('status', { name: 'Step' })).toHaveTextContent('none'),
    );
    expect(posts().map((request) => new URL(request.url).pathname)).toEqual([
      '/api/subscriptions/sub_pro/change-preview',
      '/api/subscriptions/sub_pro/change-preview',
    ]);
  });

  it('closes the change’s step once the list shows the subscription set to end on a date elsewhere', async () => {
    const user = await openYearlyStep();
    // The customer portal set it to end on 20 May: what the step says would not be charged.
    routes['GET /subscriptions'] = () => ({
      data: [{ ...base, cancelAt: '2026-05-20T12:00:00.000Z' }],
    });
    await user.click(screen.getByRole('button', { name: 'Read again' }));
    await within(item('Pro')).findByText('Ends on May 20, 2026');
    await waitFor(() => expect(screen.queryByRole('alertdialog')).toBeNull());
    expect(screen.getByRole('status', { name: 'Step' })).toHaveTextContent('none');
  });

  it('after a refusal of the change, Try again reads the list and closes the step instead of asking again', async () => {
    routes['POST /subscriptions/sub_pro/change-preview'] = () =>
      errorAnswer(409, 'already_subscribed');
    renderManager();
    await screen.findByText('$29.00 / month');
    const user = userEvent.setup();
    await user.click(within(item('Pro')).getByRole('button', { name: 'Change plan' }));
    const retry = await screen.findByRole('button', { name: 'Try again' });
    expect(reads()).toBe(1);
    await user.click(retry);
    await waitFor(() => expect(reads()).toBe(2));
    await waitFor(() => expect(screen.queryByRole('button', { name: 'Try again' })).toBeNull());
    expect(screen.queryByRole('alertdialog')).toBeNull();
    expect(posts()).toHaveLength(1);
    // A new try is a new step.
    routes['POST /subscriptions/sub_pro/change-preview'] = () => PREVIEW;
    await user.click(within(item('Pro')).getByRole('button', { name: 'Change plan' }));
    await screen.findByRole('alertdialog');
  });

  it('asks in German', async () => {
    routes['POST /subscriptions/sub_pro/change-preview'] = () => ({
      ...PREVIEW,
      amountDue: 0,
      credit: 500,
      nextAmount: 900,
    });
    renderManager({ messages: de, locale: 'de-DE' });
    await screen.findByText('Verlängert sich am 1. Juni 2026');
    const user = userEvent.setup();
    await user.click(within(item('Pro')).getByRole('button', { name: 'Tarif wechseln' }));
    const dialog = await screen.findByRole('alertdialog', {
      name: named(
        'Pro auf Starter · 9,00 $ / Monat umstellen? Jetzt keine Zahlung: 5,00 $ Guthaben wird mit Ihren nächsten Rechnungen verrechnet. Danach 9,00 $ / Monat ab dem 1. Juni 2026.',
      ),
    });
    expect(within(dialog).getByRole('button', { name: 'Aktuellen Tarif behalten' })).toBeVisible();
    expect(within(dialog).getByRole('button', { name: 'Wechsel bestätigen' })).toBeVisible();
  });

  it('gives a custom layout the preview, and changes plan with its prorationDate', async () => {
    routes['POST /subscriptions/sub_pro/change-preview'] = () => PREVIEW;
    routes['POST /subscriptions/sub_pro/change'] = () => ({ ...base, priceId: 'price_pro_year' });
    const seen: unknown[] = [];
    renderManager(
      {},
      <SubscriptionManager.Root>
        <Upgrade seen={seen} />
      </SubscriptionManager.Root>,
    );
    await userEvent.click(await screen.findByRole('button', { name: 'Upgrade' }));
    await waitFor(() => expect(posts()).toHaveLength(2));
    expect(seen).toEqual([PREVIEW]);
    expect(posts()[1]?.body).toEqual({ price: 'price_pro_year', prorationDate: 1_780_000_000 });
  });

  it('says why an action failed, moves focus there, and leaves the subscription as it was', async () => {
    routes['POST /subscriptions/sub_pro/cancel'] = () => errorAnswer(502, 'stripe_error');
    renderManager();
    await screen.findByText('Renews on June 1, 2026');
    const user = userEvent.setup();
    await user.click(within(item('Pro')).getByRole('button', { name: 'Cancel subscription' }));
    await user.click(
      within(screen.getByRole('alertdialog')).getByRole('button', { name: 'Cancel subscription' }),
    );
    const alert = await screen.findByText('Something went wrong. Please try again.');
    await waitFor(() => expect(alert).toHaveFocus());
    expect(within(item('Pro')).getByText('Active')).toBeVisible();
  });

  it('offers to confirm a payment that waits for 3D Secure, in place', async () => {
    fake.retrieveResults = [{ paymentIntent: intent('requires_action') }];
    routes['GET /subscriptions'] = () => ({ data: [AWAITING_AUTHENTICATION] });
    renderManager();
    const confirm = await screen.findByRole('button', { name: 'Confirm payment' });
    await waitFor(() => expect(confirm).toBeEnabled());
    expect(within(item('Pro')).getByText('Past due')).toBeVisible();
    // The badge has a slot of its own: the live status region's is not styled as a badge.
    expect(within(item('Pro')).getByText('Past due')).toHaveAttribute(
      'data-slot',
      'subscription-manager-badge',
    );
    expect(within(item('Pro')).getByText('Past due')).toHaveAttribute('data-state', 'past_due');
    expect(document.querySelectorAll('[data-slot="subscription-manager-status"]')).toHaveLength(1);
    routes['GET /subscriptions'] = () => ({ data: [base] });
    await userEvent.click(confirm);
    expect(fake.calls.handleNextAction).toHaveBeenCalledWith({ clientSecret: 'pi_fake_secret_x' });
    await waitFor(() => expect(within(item('Pro')).getByText('Active')).toBeVisible());
    expect(screen.queryByRole('button', { name: 'Confirm payment' })).toBeNull();
  });

  it('offers another card at once when 3D Secure fails, though the server still says authenticate', async () => {
    fake.retrieveResults = [{ paymentIntent: intent('requires_action') }];
    // The failure reaches the server by webhook (invoice.payment_failed), maybe after the list is
    // read again: until then it answers `authenticate` with the same secret.
    routes['GET /subscriptions'] = () => ({ data: [AWAITING_AUTHENTICATION] });
    fake.nextActionResults = [
      {
        error: {
          type: 'invalid_request_error',
          code: 'payment_intent_authentication_failure',
          message: AUTHENTICATION_FAILED,
          payment_intent: intent('requires_payment_method'),
        },
      },
    ];
    const { container } = renderManager();
    const confirm = await screen.findByRole('button', { name: 'Confirm payment' });
    await waitFor(() => expect(confirm).toBeEnabled());
    expect(reads()).toBe(1);
    await userEvent.click(confirm);

    const alert = await within(item('Pro')).findByText(AUTHENTICATION_FAILED);
    await waitFor(() => expect(alert).toHaveFocus());
    expect(
      within(item('Pro')).getByText(
        'The last payment for Pro failed. Pay with another card to keep it.',
      ),
    ).toBeVisible();
    const pay = within(item('Pro')).getByRole('button', { name: 'Pay now' });
    await waitFor(() => expect(pay).toBeEnabled());
    expect(within(item('Pro')).queryByRole('button', { name: 'Confirm payment' })).toBeNull();
    const pending = container.querySelector('[data-slot="subscription-manager-pending"]');
    expect(pending).toHaveAttribute('data-state', 'new_card');
    // Read again; the stale answer leaves the form (and the bank's reason) where they are.
    await waitFor(() => expect(reads()).toBe(2));
    expect(within(item('Pro')).getByRole('group', { name: 'Card details' })).toBeVisible();
    expect(within(item('Pro')).getByText(AUTHENTICATION_FAILED)).toBeVisible();
    expect(pending).toHaveAttribute('data-state', 'new_card');
    expect(await axeViolations(container)).toEqual([]);

    // The new card pays the same invoice's PaymentIntent.
    expect(fake.calls.elements).toHaveBeenCalledWith(
      expect.objectContaining({ clientSecret: 'pi_fake_secret_x' }),
    );
    routes['GET /subscriptions'] = () => ({ data: [base] });
    await userEvent.click(pay);
    await waitFor(() => expect(within(item('Pro')).getByText('Active')).toBeVisible());
    expect(container.querySelector('[data-slot="subscription-manager-pending"]')).toBeNull();
  });

  it('asks a trial waiting for its card to add one, in place, with the trial’s end', async () => {
    routes['GET /subscriptions'] = () => ({ data: [AWAITING_CARD] });
    const { container } = renderManager();
    const save = await screen.findByRole('button', { name: 'Save card' });
    await waitFor(() => expect(save).toBeEnabled());
    const pending = container.querySelector('[data-slot="subscription-manager-pending"]');
    expect(pending).toHaveAttribute('data-state', 'save_card');
    expect(within(item('Pro')).getByRole('group', { name: 'Pro' })).toBe(pending);
    expect(
      within(item('Pro')).getByText(
        'Add a card to keep Pro after your trial ends on May 20, 2026.',
      ),
    ).toBeVisible();
    // Nothing is wrong with the trial: its badge and date stay as they are.
    expect(within(item('Pro')).getByText('Trial')).toHaveAttribute('data-state', 'trialing');
    expect(within(item('Pro')).getByText('Trial ends on May 20, 2026')).toBeVisible();
    expect(within(item('Pro')).getByRole('group', { name: 'Card details' })).toBeVisible();
    // The card fields offer what the plan's currency takes, as SubscribeForm's do.
    expect(fake.calls.elements).toHaveBeenLastCalledWith(
      expect.objectContaining({ mode: 'setup', currency: 'usd' }),
    );
    expect(
      within(item('Pro')).queryByRole('button', { name: /Confirm payment|Pay now/ }),
    ).toBeNull();
    expect(await axeViolations(container)).toEqual([]);
  });

  it('asks a subscription with nothing charged yet (a promotion code) for a card for its renewals, in German too', async () => {
    routes['GET /subscriptions'] = () => ({
      // Its trial (if it had one) is over: the date is not said.
      data: [{ ...AWAITING_CARD, status: 'active', trialEnd: '2026-01-05T12:00:00.000Z' }],
    });
    const { unmount } = renderManager();
    expect(await screen.findByText('Add a card for Pro’s renewals.')).toBeVisible();
    unmount();
    routes['GET /subscriptions'] = () => ({ data: [AWAITING_CARD] });
    renderManager({ messages: de, locale: 'de-DE' });
    expect(
      await screen.findByText(
        'Hinterlegen Sie eine Karte, um Pro nach dem Ende Ihrer Testphase am 20. Mai 2026 zu behalten.',
      ),
    ).toBeVisible();
    expect(within(item('Pro')).getByRole('button', { name: 'Karte speichern' })).toBeVisible();
  });

  describe('once a pending payment went through', () => {
    const root = (container: HTMLElement) => container.firstElementChild as HTMLElement;
    const region = (container: HTMLElement) =>
      container.querySelector('p[data-slot="subscription-manager-status"]') as HTMLElement;
    const PAID = 'The payment for Pro went through.';

    /** The manager with Pro's pending payment, focus on its button (ready); paid, reads `base`. */
    async function pendingPayment(pending: Subscription, name: string, extra = {}) {
      routes['GET /subscriptions'] = () => ({ data: [pending] });
      const view = renderManager(extra);
      const button = await screen.findByRole('button', { name });
      await waitFor(() => expect(button).toBeEnabled());
      routes['GET /subscriptions'] = () => ({ data: [base] });
      button.focus();
      return view;
    }
    const gone = (container: HTMLElement) =>
      waitFor(() =>
        expect(container.querySelector('[data-slot="subscription-manager-pending"]')).toBeNull(),
      );

    it('says so and keeps focus in the manager after 3D Secure, by keyboard', async () => {
      fake.retrieveResults = [{ paymentIntent: intent('requires_action') }];
      const { container } = await pendingPayment(AWAITING_AUTHENTICATION, 'Confirm payment');
      await userEvent.keyboard('{Enter}');
      await gone(container);
      // The notice and the focus follow the list's new read, in a render of their own.
      await waitFor(() => expect(region(container)).toHaveTextContent(PAID));
      expect(screen.getByRole('status')).toBe(region(container));
      await waitFor(() => expect(root(container)).toHaveFocus());
      expect(within(item('Pro')).getByText('Active')).toBeVisible();
      expect(await axeViolations(container)).toEqual([]);
    });

    it('says nothing and leaves focus alone when the first read finds it paid already', async () => {
      // Paid in another tab between the server's read and this one: nobody asked for anything.
      fake.retrieveResults = [{ paymentIntent: intent('succeeded') }];
      // The first read says it waits; the one after (as the kit reads again) that it is paid.
      let served = 0;
      routes['GET /subscriptions'] = () => ({
        data: [served++ === 0 ? AWAITING_AUTHENTICATION : base],
      });
      const { container } = renderManager();
      await waitFor(() => expect(served).toBe(2));
      await gone(container);
      expect(within(item('Pro')).getByText('Active')).toBeVisible();
      expect(region(container)).toBeEmptyDOMElement();
      expect(document.body).toHaveFocus();
    });

    it('says so and keeps focus in the manager when "Try again" finds it paid', async () => {
      // The first read of the payment fails; by the second it was paid (in another tab).
      fake.retrieveResults = [
        { error: { type: 'api_error', message: 'Stripe is unavailable.' } },
        { paymentIntent: intent('succeeded') },
      ];
      const { container } = await pendingPayment(AWAITING_AUTHENTICATION, 'Try again');
      await userEvent.keyboard('{Enter}');
      await gone(container);
      // The notice and the focus follow the list's new read, in a render of their own.
      await waitFor(() => expect(region(container)).toHaveTextContent(PAID));
      await waitFor(() => expect(root(container)).toHaveFocus());
    });

    it('says so and keeps focus in the manager after paying with a new card, by keyboard', async () => {
      const { container } = await pendingPayment(AWAITING_NEW_CARD, 'Pay now');
      await userEvent.keyboard('{Enter}');
      await gone(container);
      // The notice and the focus follow the list's new read, in a render of their own.
      await waitFor(() => expect(region(container)).toHaveTextContent(PAID));
      await waitFor(() => expect(root(container)).toHaveFocus());
      expect(fake.calls.confirmPayment).toHaveBeenCalledTimes(1);
    });

    it('says the card is saved and keeps focus in the manager after saving a trial’s card, by keyboard', async () => {
      const trialing = { ...base, status: 'trialing' as const, trialEnd: AWAITING_CARD.trialEnd };
      const { container } = await pendingPayment(AWAITING_CARD, 'Save card');
      routes['GET /subscriptions'] = () => ({ data: [trialing] });
      await userEvent.keyboard('{Enter}');
      await gone(container);
      await waitFor(() =>
        expect(region(container)).toHaveTextContent('Your card is saved for Pro.'),
      );
      await waitFor(() => expect(root(container)).toHaveFocus());
      // The trial's own SetupIntent, and no other one asked for.
      expect(fake.calls.confirmSetup).toHaveBeenCalledWith(
        expect.objectContaining({ clientSecret: 'seti_trial_secret_t' }),
      );
      expect(posts()).toEqual([]);
      expect(reads()).toBe(2);
      expect(within(item('Pro')).getByText('Trial')).toBeVisible();
    });

    it('says it in German', async () => {
      const { container } = await pendingPayment(AWAITING_NEW_CARD, 'Jetzt bezahlen', {
        messages: de,
        locale: 'de-DE',
      });
      await userEvent.keyboard('{Enter}');
      await gone(container);
      await waitFor(() =>
        expect(region(container)).toHaveTextContent('Die Zahlung für Pro war erfolgreich.'),
      );
      await waitFor(() => expect(root(container)).toHaveFocus());
    });

    it('leaves focus the customer moved elsewhere meanwhile where it is', async () => {
      const outside = document.body.appendChild(document.createElement('button'));
      let release = () => {};
      const { container } = await pendingPayment(AWAITING_NEW_CARD, 'Pay now');
      routes['GET /subscriptions'] = () =>
        new Promise((resolve) => {
          release = () => resolve({ data: [base] });
        });
      await userEvent.keyboard('{Enter}');
      await waitFor(() => expect(region(container)).toHaveTextContent(PAID));
      await waitFor(() => expect(reads()).toBe(2));
      outside.focus();
      release();
      await gone(container);
      expect(outside).toHaveFocus();
      outside.remove();
    });

    it('says it until the next action', async () => {
      const { container } = await pendingPayment(AWAITING_NEW_CARD, 'Pay now');
      await userEvent.keyboard('{Enter}');
      await gone(container);
      // The notice and the focus follow the list's new read, in a render of their own.
      await waitFor(() => expect(region(container)).toHaveTextContent(PAID));
      await userEvent.click(
        within(item('Pro')).getByRole('button', { name: 'Cancel subscription' }),
      );
      expect(screen.getByRole('alertdialog')).toBeVisible();
      expect(region(container)).toBeEmptyDOMElement();
    });
  });

  describe('says in its status region what an action changed', () => {
    const region = () =>
      document.querySelector('p[data-slot="subscription-manager-status"]') as HTMLElement;
    const CANCELED = 'Pro is canceled. It stays active until June 1, 2026.';

    /** Cancels Pro through its confirmation step (`name`: its buttons' name). */
    async function cancelPro(name = 'Cancel subscription') {
      const user = userEvent.setup();
      await user.click(within(item('Pro')).getByRole('button', { name }));
      await user.click(within(screen.getByRole('alertdialog')).getByRole('button', { name }));
    }

    it('after a cancellation at period end, with the date it stays active until', async () => {
      let release = () => {};
      routes['POST /subscriptions/sub_pro/cancel'] = () =>
        new Promise((resolve) => {
          release = () => resolve({ ...base, cancelAtPeriodEnd: true });
        });
      const { container } = renderManager();
      await screen.findByText('Renews on June 1, 2026');
      await cancelPro();
      await waitFor(() => expect(posts()).toHaveLength(1));
      expect(region()).toBeEmptyDOMElement();
      release();
      await waitFor(() => expect(region()).toHaveTextContent(CANCELED));
      expect(screen.getByRole('status')).toBe(region());
      expect(await axeViolations(container)).toEqual([]);
    });

    it('after a cancellation of one set to end sooner elsewhere, with the date it ends on', async () => {
      // Set to end on 20 May in the customer portal since the list was read: the server keeps it.
      routes['POST /subscriptions/sub_pro/cancel'] = () => ({
        ...base,
        cancelAt: '2026-05-20T12:00:00.000Z',
      });
      renderManager();
      await screen.findByText('Renews on June 1, 2026');
      await cancelPro();
      await waitFor(() =>
        expect(region()).toHaveTextContent('Pro is canceled. It stays active until May 20, 2026.'),
      );
      expect(within(item('Pro')).getByText('Ends on May 20, 2026')).toBeVisible();
    });

    it('after a resume, with the next renewal', async () => {
      routes['GET /subscriptions'] = () => ({ data: [{ ...base, cancelAtPeriodEnd: true }] });
      routes['POST /subscriptions/sub_pro/resume'] = () => base;
      renderManager();
      await userEvent.click(await screen.findByRole('button', { name: 'Resume subscription' }));
      await waitFor(() =>
        expect(region()).toHaveTextContent('Pro is no longer canceled. It renews on June 1, 2026.'),
      );
    });

    it('after a plan change, with the plan as the select named it; gone at the next action', async () => {
      const starter = {
        ...base,
        priceId: 'price_starter_month',
        productId: 'prod_starter',
        productName: 'Starter',
      };
      routes['GET /subscriptions'] = () => ({ data: [base] });
      routes['POST /subscriptions/sub_pro/change-preview'] = () => PREVIEW;
      routes['POST /subscriptions/sub_pro/change'] = () => starter;
      routes['POST /subscriptions/sub_pro/cancel'] = () => ({
        ...starter,
        cancelAtPeriodEnd: true,
      });
      renderManager();
      await screen.findByText('$29.00 / month');
      // The first option is chosen: Starter monthly.
      const user = userEvent.setup();
      await changeAndConfirm(user);
      await waitFor(() =>
        expect(region()).toHaveTextContent('Pro changed to Starter · $9.00 / month.'),
      );
      await user.click(
        within(item('Starter')).getByRole('button', { name: 'Cancel subscription' }),
      );
      expect(region()).toBeEmptyDOMElement();
      await user.click(
        within(screen.getByRole('alertdialog')).getByRole('button', {
          name: 'Cancel subscription',
        }),
      );
      await waitFor(() =>
        expect(region()).toHaveTextContent(
          'Starter is canceled. It stays active until June 1, 2026.',
        ),
      );
    });

    it('nothing after a refused action: the last notice goes, the error region speaks', async () => {
      routes['POST /subscriptions/sub_pro/change-preview'] = () => PREVIEW;
      routes['POST /subscriptions/sub_pro/change'] = () => ({ ...base, priceId: 'price_pro_year' });
      routes['POST /subscriptions/sub_starter/change-preview'] = () => PREVIEW;
      routes['POST /subscriptions/sub_starter/change'] = () => errorAnswer(502, 'stripe_error');
      renderManager();
      await screen.findByText('$29.00 / month');
      const user = userEvent.setup();
      await changeAndConfirm(user);
      await waitFor(() => expect(region()).toHaveTextContent('Pro changed to'));

      await user.click(within(item('Starter')).getByRole('button', { name: 'Change plan' }));
      await user.click(await screen.findByRole('button', { name: 'Confirm change' }));
      const alert = await screen.findByText('Something went wrong. Please try again.');
      await waitFor(() => expect(alert).toHaveFocus());
      expect(region()).toBeEmptyDOMElement();
      expect(within(item('Starter')).getByText('$9.00 / month')).toBeVisible();
    });

    it('says it in German, with the date in the provider’s locale', async () => {
      routes['POST /subscriptions/sub_pro/cancel'] = () => ({ ...base, cancelAtPeriodEnd: true });
      renderManager({ messages: de, locale: 'de-DE' });
      await screen.findByText('Verlängert sich am 1. Juni 2026');
      await cancelPro('Abonnement kündigen');
      await waitFor(() =>
        expect(region()).toHaveTextContent(
          'Pro ist gekündigt. Es bleibt bis zum 1. Juni 2026 aktiv.',
        ),
      );
    });
  });

  it('tries again after the subscriptions could not be loaded, the catalog too', async () => {
    routes['GET /subscriptions'] = () => errorAnswer(503, 'stripe_unavailable');
    routes['GET /prices'] = () => errorAnswer(503, 'stripe_unavailable');
    const { container } = renderManager();
    const retry = await screen.findByRole('button', { name: 'Try again' });
    const root = container.firstElementChild as HTMLElement;
    expect(root).toHaveAttribute('data-state', 'failed');
    expect(screen.getByRole('alert')).toHaveTextContent(
      'This could not be loaded. Check your connection and try again.',
    );
    expect(await axeViolations(container)).toEqual([]);

    let release = () => {};
    routes['GET /subscriptions'] = () =>
      new Promise((resolve) => {
        release = () => resolve({ data: SUBSCRIPTIONS });
      });
    routes['GET /prices'] = () => BILLING_CATALOG;
    await userEvent.click(retry);
    // Reading again: loading, the old failure gone, focus kept in the manager.
    await waitFor(() => expect(root).toHaveAttribute('data-state', 'loading'));
    expect(root).toHaveAttribute('aria-busy', 'true');
    expect(screen.getByRole('alert')).toBeEmptyDOMElement();
    expect(screen.queryByRole('button', { name: 'Try again' })).toBeNull();
    expect(root).toHaveFocus();
    expect(reads()).toBe(2);

    release();
    await waitFor(() => expect(root).toHaveAttribute('data-state', 'ready'));
    expect(within(item('Pro')).getByText('$29.00 / month')).toBeVisible();
    expect(within(item('Pro')).getByRole('combobox', { name: 'New plan' })).toBeVisible();
  });

  it('offers to try again once more when reading again fails too', async () => {
    routes['GET /subscriptions'] = () => errorAnswer(503, 'stripe_unavailable');
    const { container } = renderManager();
    await userEvent.click(await screen.findByRole('button', { name: 'Try again' }));
    await waitFor(() => expect(reads()).toBe(2));
    await screen.findByRole('button', { name: 'Try again' });
    expect(container.firstElementChild).toHaveAttribute('data-state', 'failed');
    expect(screen.getByRole('alert')).not.toBeEmptyDOMElement();
  });

  it('says when there are no subscriptions', async () => {
    routes['GET /subscriptions'] = () => ({ data: [] });
    renderManager();
    await waitFor(() => expect(screen.getByRole('status')).toHaveTextContent('No subscriptions.'));
  });

  it('speaks German, with dates in the provider’s locale', async () => {
    renderManager({ messages: de, locale: 'de-DE' });
    await screen.findByText('29,00 $ / Monat');
    expect(within(item('Pro')).getByText('Verlängert sich am 1. Juni 2026')).toBeVisible();
    expect(within(item('Starter')).getByText('Testphase endet am 20. Mai 2026')).toBeVisible();
    expect(screen.getAllByRole('button', { name: 'Abonnement kündigen' })).toHaveLength(2);
  });

  it('says “Erneut versuchen” in German after a load error', async () => {
    routes['GET /subscriptions'] = () => errorAnswer(503, 'stripe_unavailable');
    renderManager({ messages: de, locale: 'de-DE' });
    expect(await screen.findByRole('button', { name: 'Erneut versuchen' })).toBeEnabled();
  });
});

describe('PayWithNewCard', () => {
  it('pays the invoice’s PaymentIntent with the card entered, then says so', async () => {
    const onSuccess = vi.fn();
    const { container } = renderManager(
      {},
      <PayWithNewCard clientSecret="pi_fake_secret_x" onSuccess={onSuccess} />,
    );
    const pay = await screen.findByRole('button', { name: 'Pay now' });
    await waitFor(() => expect(pay).toBeEnabled());
    expect(await axeViolations(container)).toEqual([]);
    await userEvent.click(pay);
    expect(await screen.findByRole('status')).toHaveTextContent('Payment successful. Thank you!');
    expect(onSuccess).toHaveBeenCalledWith(expect.objectContaining({ status: 'succeeded' }));
    expect(fake.calls.elements).toHaveBeenCalledWith(
      expect.objectContaining({ clientSecret: 'pi_fake_secret_x' }),
    );
    expect(screen.queryByRole('button', { name: 'Pay now' })).toBeNull();
  });

  it('pays the invoice it is given now, not the one it was first given', async () => {
    // One "fix payment" panel for whichever subscription is chosen: a group keeps its intent for
    // life, so another secret needs another group, or the previous invoice would be paid.
    const view = renderManager({}, <PayWithNewCard clientSecret="pi_first_secret_a" />);
    await waitFor(() => expect(screen.getByRole('button', { name: 'Pay now' })).toBeEnabled());
    view.rerender(<PayWithNewCard clientSecret="pi_second_secret_b" />);
    await waitFor(() =>
      expect(fake.calls.elements).toHaveBeenLastCalledWith(
        expect.objectContaining({ clientSecret: 'pi_second_secret_b' }),
      ),
    );
    const pay = screen.getByRole('button', { name: 'Pay now' });
    await waitFor(() => expect(pay).toBeEnabled());
    await userEvent.click(pay);
    await screen.findByText('Payment successful. Thank you!');
    const group = fake.calls.elements.mock.results.at(-1)?.value;
    expect(fake.calls.confirmPayment).toHaveBeenCalledWith(
      expect.objectContaining({ elements: group }),
    );
  });

  it('does not call another invoice paid because the one before it was', async () => {
    const onSuccess = vi.fn();
    const view = renderManager(
      {},
      <PayWithNewCard clientSecret="pi_first_secret_a" onSuccess={onSuccess} />,
    );
    const first = await screen.findByRole('button', { name: 'Pay now' });
    await waitFor(() => expect(first).toBeEnabled());
    await userEvent.click(first);
    await screen.findByText('Payment successful. Thank you!');
    view.rerender(<PayWithNewCard clientSecret="pi_second_secret_b" onSuccess={onSuccess} />);
    const pay = await screen.findByRole('button', { name: 'Pay now' });
    expect(screen.queryByText('Payment successful. Thank you!')).toBeNull();
    await waitFor(() => expect(pay).toBeEnabled());
    await userEvent.click(pay);
    await screen.findByText('Payment successful. Thank you!');
    expect(fake.calls.confirmPayment).toHaveBeenCalledTimes(2);
    expect(onSuccess).toHaveBeenCalledTimes(2);
  });

  it('keeps what a payment on its way came to off the invoice it is given meanwhile', async () => {
    const onError = vi.fn();
    let decline!: (value: unknown) => void;
    fake.calls.confirmPayment.mockImplementationOnce(
      () => new Promise((resolve) => (decline = resolve)),
    );
    const view = renderManager(
      {},
      <PayWithNewCard clientSecret="pi_first_secret_a" onError={onError} />,
    );
    const first = await screen.findByRole('button', { name: 'Pay now' });
    await waitFor(() => expect(first).toBeEnabled());
    await userEvent.click(first);
    await waitFor(() => expect(fake.calls.confirmPayment).toHaveBeenCalledOnce());
    // The host shows another invoice while the first one's payment is on its way; then it fails.
    view.rerender(<PayWithNewCard clientSecret="pi_second_secret_b" onError={onError} />);
    await act(async () =>
      decline({
        error: { type: 'card_error', code: 'card_declined', message: 'Your card was declined.' },
      }),
    );
    // The host hears of it; the second invoice's form does not show it.
    expect(onError).toHaveBeenCalledOnce();
    expect(screen.queryByText('Your card was declined.')).toBeNull();
    const pay = await screen.findByRole('button', { name: 'Pay now' });
    await waitFor(() => expect(pay).toBeEnabled());
  });

  it("reads the invoice's intent after a connection error and reports it paid", async () => {
    // The group was made from the intent, so its secret is the one read again.
    fake.confirmResults = [
      { error: { type: 'api_connection_error', message: 'Connection lost.' } },
    ];
    fake.retrieveResults = [{ paymentIntent: intent('succeeded') }];
    const onSuccess = vi.fn();
    renderManager({}, <PayWithNewCard clientSecret="pi_fake_secret_x" onSuccess={onSuccess} />);
    const pay = await screen.findByRole('button', { name: 'Pay now' });
    await waitFor(() => expect(pay).toBeEnabled());
    await userEvent.click(pay);
    expect(await screen.findByText('Payment successful. Thank you!')).toBeVisible();
    expect(fake.calls.retrievePaymentIntent).toHaveBeenCalledWith('pi_fake_secret_x');
    expect(onSuccess).toHaveBeenCalledWith(expect.objectContaining({ status: 'succeeded' }));
  });
});
