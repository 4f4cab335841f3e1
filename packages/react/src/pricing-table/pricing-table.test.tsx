/**
 * The pricing table in jsdom (React 18 and 19): plans from the catalog, the interval toggle with
 * the keyboard, the yearly saving's math, zero- and three-decimal currencies, each way of
 * choosing a plan (onSelect, the subscribe form in place, hosted Checkout), and no trial offered
 * to a signed-in customer who had it (`GET /trial-eligibility`).
 */
import { act, cleanup, render, renderHook, screen, waitFor, within } from '@testing-library/react';
import { userEvent } from '@testing-library/user-event';
import type { ReactNode } from 'react';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { axeViolations } from '../../test/support/axe.js';
import {
  BILLING_CATALOG,
  createFakeStripe,
  errorAnswer,
  type FakeStripe,
  fakeServerFetch,
} from '../../test/support/fake-stripe.js';
import { de } from '../messages/de.js';
import { TillkitProvider } from '../provider/tillkit-provider.js';
import { PricingTable, type PricingTableProps } from './pricing-table.js';
import { usePricing, yearlySaving } from './use-pricing.js';

const API = 'http://tillkit.test/api';
let fake: FakeStripe;
let routes: Record<string, (body: unknown) => unknown>;
let fetcher: ReturnType<typeof fakeServerFetch>;
beforeEach(() => {
  fake = createFakeStripe();
  routes = { 'GET /prices': () => BILLING_CATALOG };
  fetcher = fakeServerFetch(new Proxy({}, { get: (_, key: string) => routes[key] }) as never);
  vi.stubGlobal('fetch', fetcher);
});
afterEach(() => vi.unstubAllGlobals());

function renderTable(
  props: PricingTableProps = {},
  extra: { messages?: typeof de; locale?: string; getAuthToken?: () => string | null } = {},
) {
  const wrapper = ({ children }: { children: ReactNode }) => (
    <TillkitProvider apiBase={API} stripe={fake.stripe} locale="en-US" {...extra}>
      {children}
    </TillkitProvider>
  );
  return render(<PricingTable {...props} />, { wrapper });
}

const plan = (name: string) => screen.getByRole('heading', { name }).closest('li') as HTMLLIElement;
const findPlan = async (name: string) =>
  (await screen.findByRole('heading', { name })).closest('li') as HTMLLIElement;

const price = (amount: number, currency: string, interval: 'month' | 'year') => ({
  id: `price_${currency}_${interval}`,
  unitAmount: amount,
  currency,
  type: 'recurring' as const,
  interval,
  intervalCount: 1,
});

describe('PricingTable', () => {
  it('has no accessibility violations', async () => {
    const { container } = renderTable({ highlightedPlan: 'prod_pro' });
    await screen.findByRole('heading', { name: 'Pro' });
    expect(await axeViolations(container)).toEqual([]);
  });

  it('shows the plans with prices, trial badges, features and the highlighted plan', async () => {
    renderTable({ highlightedPlan: 'prod_pro' });
    expect(screen.getByRole('status')).toHaveTextContent('Loading…');
    await screen.findByRole('heading', { name: 'Starter' });
    expect(screen.queryByRole('heading', { name: 'T-shirt' })).toBeNull();
    expect(within(plan('Starter')).getByText('$9.00 / month')).toBeVisible();
    expect(within(plan('Starter')).getByText('For side projects')).toBeVisible();
    expect(within(plan('Starter')).getByText('3 projects')).toBeVisible();
    expect(within(plan('Starter')).queryByText(/free trial/)).toBeNull();
    expect(plan('Starter')).not.toHaveAttribute('data-highlighted');
    expect(within(plan('Pro')).getByText('$29.00 / month')).toBeVisible();
    expect(within(plan('Pro')).getByText('14-day free trial')).toBeVisible();
    expect(within(plan('Pro')).getByText('Most popular')).toBeVisible();
    expect(plan('Pro')).toHaveAttribute('data-highlighted', 'true');
    expect(within(plan('Pro')).getByRole('button', { name: 'Choose Pro' })).toBeVisible();
  });

  it('names the plans with <h3>, or the heading level the page needs', async () => {
    const { unmount } = renderTable();
    expect(await screen.findByRole('heading', { name: 'Pro', level: 3 })).toBeVisible();
    unmount();
    renderTable({ headingLevel: 2 });
    expect(await screen.findByRole('heading', { name: 'Pro', level: 2 })).toHaveAttribute(
      'data-slot',
      'pricing-table-name',
    );
    expect(screen.getByRole('heading', { name: 'Starter', level: 2 })).toBeVisible();
    expect(screen.queryByRole('heading', { level: 3 })).toBeNull();
  });

  it('switches the billing period with the keyboard and shows the yearly saving', async () => {
    const onIntervalChange = vi.fn();
    renderTable({ onIntervalChange });
    const group = await screen.findByRole('group', { name: 'Billing period' });
    const monthly = within(group).getByRole('radio', { name: 'Monthly' });
    const yearly = within(group).getByRole('radio', { name: 'Yearly (save up to 31%)' });
    expect(monthly).toBeChecked();
    const user = userEvent.setup();
    await user.click(monthly);
    await user.keyboard('{ArrowRight}');
    expect(yearly).toBeChecked();
    expect(yearly).toHaveFocus();
    expect(onIntervalChange).toHaveBeenCalledWith('year');
    expect(within(plan('Starter')).getByText('$90.00 / year')).toBeVisible();
    expect(within(plan('Pro')).getByText('$240.00 / year')).toBeVisible();
    // The trial belongs to the monthly price only.
    expect(within(plan('Pro')).queryByText('14-day free trial')).toBeNull();
  });

  it('computes the yearly saving from the prices', () => {
    expect(yearlySaving(price(900, 'usd', 'month'), price(9000, 'usd', 'year'))).toBeCloseTo(1 / 6);
    expect(yearlySaving(price(2900, 'usd', 'month'), price(24000, 'usd', 'year'))).toBeCloseTo(
      1 - 24000 / 34800,
    );
    expect(yearlySaving(price(1000, 'usd', 'month'), price(12000, 'usd', 'year'))).toBeNull();
    expect(yearlySaving(price(1000, 'usd', 'month'), price(13000, 'usd', 'year'))).toBeNull();
    expect(yearlySaving(price(1000, 'usd', 'month'), price(9000, 'eur', 'year'))).toBeNull();
  });

  it('formats zero- and three-decimal currencies as Stripe counts them', async () => {
    routes['GET /prices'] = () => ({
      products: [
        {
          id: 'prod_yen',
          name: 'Yen plan',
          description: null,
          features: [],
          prices: [price(1500, 'jpy', 'month'), price(15000, 'jpy', 'year')],
        },
        {
          id: 'prod_kwd',
          name: 'Dinar plan',
          description: null,
          features: [],
          prices: [price(7500, 'kwd', 'month'), price(75000, 'kwd', 'year')],
        },
      ],
    });
    renderTable();
    await screen.findByRole('heading', { name: 'Yen plan' });
    expect(within(plan('Yen plan')).getByText('¥1,500 / month')).toBeVisible();
    expect(within(plan('Dinar plan')).getByText('KWD 7.500 / month')).toBeVisible();
    // 15000 against 12 × 1500: a sixth.
    expect(screen.getByRole('radio', { name: 'Yearly (save up to 17%)' })).toBeVisible();
    await userEvent.click(screen.getByRole('radio', { name: /Yearly/ }));
    expect(within(plan('Yen plan')).getByText('¥15,000 / year')).toBeVisible();
    expect(within(plan('Dinar plan')).getByText('KWD 75.000 / year')).toBeVisible();
  });

  it('hands the choice to onSelect when given', async () => {
    const onSelect = vi.fn();
    renderTable({ onSelect, defaultInterval: 'year' });
    await userEvent.click(await screen.findByRole('button', { name: 'Choose Pro' }));
    expect(onSelect).toHaveBeenCalledWith(
      expect.objectContaining({ id: 'price_pro_year' }),
      expect.objectContaining({ id: 'prod_pro' }),
    );
    expect(fetcher.requests.map((request) => request.method)).toEqual(['GET']);
  });

  it('opens the subscribe form in place, and goes back with focus on the plan', async () => {
    renderTable();
    const user = userEvent.setup();
    await user.click(await screen.findByRole('button', { name: 'Choose Starter' }));
    const back = screen.getByRole('button', { name: 'Back to plans' });
    expect(back).toHaveFocus();
    expect(await screen.findByText('Starter · $9.00 / month')).toBeVisible();
    expect(await screen.findByRole('button', { name: 'Subscribe' })).toBeVisible();
    expect(fake.calls.elements).toHaveBeenCalledWith(
      expect.objectContaining({ mode: 'subscription', amount: 900, currency: 'usd' }),
    );
    await user.keyboard('{Enter}');
    expect(screen.getByRole('button', { name: 'Choose Starter' })).toHaveFocus();
  });

  it('offers a promotion code field in the subscribe form when asked to', async () => {
    renderTable({ promotionCodes: true });
    await userEvent.click(await screen.findByRole('button', { name: 'Choose Starter' }));
    expect(await screen.findByRole('textbox', { name: 'Promotion code' })).toBeVisible();
    await userEvent.click(screen.getByRole('button', { name: 'Back to plans' }));
    cleanup();
    renderTable();
    await userEvent.click(await screen.findByRole('button', { name: 'Choose Starter' }));
    await screen.findByRole('button', { name: 'Subscribe' });
    expect(screen.queryByRole('textbox', { name: 'Promotion code' })).toBeNull();
  });

  it('lists the plans with an explicit role, which WebKit keeps on unstyled lists', async () => {
    const { container } = renderTable();
    await screen.findByRole('heading', { name: 'Pro' });
    const plans = container.querySelector('[data-slot="pricing-table-plans"]');
    expect(plans).toHaveAttribute('role', 'list');
    expect(screen.getAllByRole('list')).toContain(plans);
  });

  it('says which plan’s checkout opened when focus lands on "Back to plans"', async () => {
    renderTable();
    const user = userEvent.setup();
    await user.click(await screen.findByRole('radio', { name: 'Yearly (save up to 31%)' }));
    // What a screen reader reads as focus lands: the description at that very moment.
    const heard: string[] = [];
    const listen = (event: FocusEvent) => {
      const ids = (event.target as HTMLElement).getAttribute('aria-describedby') ?? '';
      heard.push(
        ids
          .split(' ')
          .map((id) => document.getElementById(id)?.textContent)
          .join(' '),
      );
    };
    document.addEventListener('focusin', listen);
    await user.click(screen.getByRole('button', { name: 'Choose Pro' }));
    document.removeEventListener('focusin', listen);
    const back = screen.getByRole('button', { name: 'Back to plans' });
    // Described, not named: "Back to plans, Pro, $240.00 / year".
    expect(back).toHaveFocus();
    expect(heard.at(-1)).toBe('Pro, $240.00 / year');
    expect(back).toHaveAccessibleDescription('Pro, $240.00 / year');
  });

  it('sends the customer to hosted Checkout', async () => {
    let answer!: (value: unknown) => void;
    routes['POST /checkout-sessions'] = () =>
      new Promise((resolve) => {
        answer = resolve;
      });
    const navigate = vi.fn();
    window.history.replaceState({}, '', '/pricing');
    const { container } = renderTable({
      checkout: 'hosted',
      successUrl: 'https://shop.example/welcome',
      navigate,
    });
    const choose = await screen.findByRole('button', { name: 'Choose Pro' });
    await userEvent.click(choose);
    expect(choose).toHaveAttribute('aria-busy', 'true');
    expect(container.firstElementChild).toHaveAttribute('data-state', 'redirecting');
    await act(async () => answer({ id: 'cs_1', url: 'https://checkout.example/cs_1' }));
    expect(navigate).toHaveBeenCalledWith('https://checkout.example/cs_1');
    expect(fetcher.requests.at(-1)?.body).toEqual({
      mode: 'subscription',
      price: 'price_pro_month',
      successUrl: 'https://shop.example/welcome',
      cancelUrl: 'http://localhost:3000/pricing',
    });
  });

  it('stays busy while the browser leaves for Checkout, and is usable again when Back shows the page from the back/forward cache', async () => {
    routes['POST /checkout-sessions'] = () => ({
      id: 'cs_1',
      url: 'https://checkout.example/cs_1',
    });
    const assign = vi.fn();
    vi.stubGlobal('location', { ...window.location, href: window.location.href, assign });
    const { container } = renderTable({ checkout: 'hosted' });
    const choose = await screen.findByRole('button', { name: 'Choose Pro' });
    await userEvent.click(choose);
    await waitFor(() => expect(assign).toHaveBeenCalledWith('https://checkout.example/cs_1'));
    await act(async () => {
      window.dispatchEvent(new PageTransitionEvent('pageshow', { persisted: false }));
    });
    expect(container.firstElementChild).toHaveAttribute('data-state', 'redirecting');
    expect(choose).toHaveAttribute('aria-disabled', 'true');

    await act(async () => {
      window.dispatchEvent(new PageTransitionEvent('pageshow', { persisted: true }));
    });
    expect(container.firstElementChild).toHaveAttribute('data-state', 'ready');
    expect(choose).not.toHaveAttribute('aria-disabled');
    await userEvent.click(choose);
    await waitFor(() => expect(assign).toHaveBeenCalledTimes(2));
  });

  it('is usable again once a navigate of the host returns (a route of the app, a new tab)', async () => {
    routes['POST /checkout-sessions'] = () => ({
      id: 'cs_1',
      url: 'https://checkout.example/cs_1',
    });
    const navigate = vi.fn();
    const { container } = renderTable({ checkout: 'hosted', navigate });
    const choose = await screen.findByRole('button', { name: 'Choose Pro' });
    await userEvent.click(choose);
    await waitFor(() => expect(navigate).toHaveBeenCalledOnce());
    await waitFor(() => expect(container.firstElementChild).toHaveAttribute('data-state', 'ready'));
    expect(choose).not.toHaveAttribute('aria-disabled');
    expect(choose).toHaveFocus();
    await userEvent.click(choose);
    await waitFor(() => expect(navigate).toHaveBeenCalledTimes(2));
  });

  it('says why hosted Checkout could not open, with focus there, and the plans stay', async () => {
    routes['POST /checkout-sessions'] = () => errorAnswer(429, 'rate_limited');
    renderTable({ checkout: 'hosted', navigate: vi.fn() });
    await userEvent.click(await screen.findByRole('button', { name: 'Choose Pro' }));
    await waitFor(() =>
      expect(screen.getByRole('alert')).toHaveTextContent(
        'Too many attempts. Please wait a moment and try again.',
      ),
    );
    expect(screen.getByRole('alert')).toHaveFocus();
    expect(screen.getByRole('button', { name: 'Choose Pro' })).not.toHaveAttribute('aria-disabled');
  });

  it('offers to try again after the plans could not be read, and reads them again', async () => {
    routes['GET /prices'] = () => errorAnswer(503, 'stripe_unavailable');
    const { container } = renderTable();
    const root = container.firstElementChild as HTMLElement;
    const retry = await screen.findByRole('button', { name: 'Try again' });
    expect(root).toHaveAttribute('data-state', 'failed');
    expect(screen.getByRole('alert')).toHaveTextContent('This could not be loaded.');

    routes['GET /prices'] = () => BILLING_CATALOG;
    await userEvent.click(retry);
    expect(root).toHaveFocus();
    expect(await screen.findByRole('button', { name: 'Choose Pro' })).toBeVisible();
    expect(root).toHaveAttribute('data-state', 'ready');
    expect(screen.getByRole('alert')).toBeEmptyDOMElement();
    expect(screen.queryByRole('button', { name: 'Try again' })).toBeNull();
  });

  it('says when there is no plan', async () => {
    routes['GET /prices'] = () => ({ products: [BILLING_CATALOG.products[2]] });
    renderTable();
    await waitFor(() =>
      expect(screen.getByRole('status')).toHaveTextContent('No plans available.'),
    );
  });

  it('speaks German', async () => {
    renderTable({}, { messages: de, locale: 'de-DE' });
    const group = await screen.findByRole('group', { name: 'Abrechnungszeitraum' });
    expect(
      within(group).getByRole('radio', { name: /^Jährlich \(bis zu 31\s% sparen\)$/ }),
    ).toBeVisible();
    expect(within(plan('Pro')).getByText('29,00 $ / Monat')).toBeVisible();
    expect(within(plan('Pro')).getByText('14 Tage kostenlos testen')).toBeVisible();
    expect(screen.getByRole('button', { name: 'Pro wählen' })).toBeVisible();
  });
});

describe('PricingTable for a signed-in customer (GET /trial-eligibility)', () => {
  /** The billing catalog with a 7-day trial on Starter's monthly price too. */
  const twoTrials = () => ({
    products: BILLING_CATALOG.products.map((product) =>
      product.id === 'prod_starter'
        ? {
            ...product,
            prices: product.prices.map((price) =>
              price.id === 'price_starter_month' ? { ...price, trialPeriodDays: 7 } : price,
            ),
          }
        : product,
    ),
  });
  const eligibilityRequests = () =>
    fetcher.requests.filter((request) => request.url.endsWith('/trial-eligibility'));
  const signedIn = { getAuthToken: () => 'tok_ada' };

  it('hides the trial of a product the customer had, and the subscribe form offers the price due today', async () => {
    routes['GET /prices'] = twoTrials;
    routes['GET /trial-eligibility'] = () => ({ usedTrialProducts: ['prod_pro'] });
    renderTable({}, signedIn);
    // Starter's trial is still offered: the answer is in.
    expect(await within(await findPlan('Starter')).findByText('7-day free trial')).toBeVisible();
    expect(within(plan('Pro')).queryByText(/free trial/)).toBeNull();
    expect(within(plan('Pro')).getByText('$29.00 / month')).toBeVisible();
    // For styling (and for tests that wait for the answer): the plan had before is marked.
    expect(plan('Pro')).toHaveAttribute('data-trial-used', 'true');
    expect(plan('Starter')).not.toHaveAttribute('data-trial-used');
    expect(eligibilityRequests()).toHaveLength(1);
    expect(eligibilityRequests()[0]?.headers.get('authorization')).toBe('Bearer tok_ada');

    await userEvent.click(screen.getByRole('button', { name: 'Choose Pro' }));
    expect(await screen.findByText('Pro · $29.00 / month')).toBeVisible();
    expect(await screen.findByRole('button', { name: 'Subscribe' })).toBeVisible();
    expect(screen.queryByRole('button', { name: 'Start free trial' })).toBeNull();
    expect(fake.calls.elements).toHaveBeenCalledWith(
      expect.objectContaining({ mode: 'subscription', amount: 2900, currency: 'usd' }),
    );
  });

  it('tells a headless table which trials were used', async () => {
    routes['GET /prices'] = twoTrials;
    routes['GET /trial-eligibility'] = () => ({ usedTrialProducts: ['prod_pro'] });
    const wrapper = ({ children }: { children: ReactNode }) => (
      <TillkitProvider apiBase={API} stripe={fake.stripe} locale="en-US" {...signedIn}>
        {children}
      </TillkitProvider>
    );
    const { result } = renderHook(() => usePricing(), { wrapper });
    await waitFor(() =>
      expect(
        result.current.plans.map(({ product, trialDays, trialUsed }) => ({
          product: product.id,
          trialDays,
          trialUsed,
        })),
      ).toEqual([
        { product: 'prod_starter', trialDays: 7, trialUsed: false },
        { product: 'prod_pro', trialDays: undefined, trialUsed: true },
      ]),
    );
  });

  it('keeps the catalog’s trials, and the table, when the eligibility cannot be read', async () => {
    for (const failure of [
      () => errorAnswer(401, 'unauthenticated'),
      () => errorAnswer(503, 'stripe_unavailable'),
    ]) {
      routes['GET /trial-eligibility'] = failure;
      const { container, unmount } = renderTable({}, signedIn);
      expect(await within(await findPlan('Pro')).findByText('14-day free trial')).toBeVisible();
      expect(container.firstElementChild).toHaveAttribute('data-state', 'ready');
      expect(screen.getByRole('alert')).toBeEmptyDOMElement();
      expect(screen.queryByRole('button', { name: 'Try again' })).toBeNull();
      expect(eligibilityRequests()).toHaveLength(1);
      unmount();
      fetcher.requests.length = 0;
    }
  });

  it('offers the trial of a plan chosen before the answer (the server decides), and reads the trials again on Back', async () => {
    let answer: (value: unknown) => void = () => {};
    routes['GET /trial-eligibility'] = () => new Promise((resolve) => (answer = resolve));
    renderTable({}, signedIn);
    await findPlan('Pro');
    // No badge while it is read, but the form a customer opens meanwhile offers the trial.
    expect(within(plan('Pro')).queryByText(/free trial/)).toBeNull();
    await userEvent.click(screen.getByRole('button', { name: 'Choose Pro' }));
    expect(await screen.findByRole('button', { name: 'Start free trial' })).toBeVisible();
    await act(async () => answer({ usedTrialProducts: [] }));
    // Back to the plans (a trial may have started meanwhile): the trials are read again.
    await userEvent.click(screen.getByRole('button', { name: /^Back to plans/ }));
    await waitFor(() => expect(eligibilityRequests()).toHaveLength(2));
  });

  it('asks nothing without a token, and shows the catalog’s trials', async () => {
    routes['GET /trial-eligibility'] = () => ({ usedTrialProducts: ['prod_pro'] });
    for (const extra of [{}, { getAuthToken: () => null }]) {
      const { unmount } = renderTable({}, extra);
      expect(await within(await findPlan('Pro')).findByText('14-day free trial')).toBeVisible();
      unmount();
    }
    expect(fetcher.requests.map((request) => new URL(request.url).pathname)).toEqual([
      '/api/prices',
      '/api/prices',
    ]);
  });
});
