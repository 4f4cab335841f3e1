/**
 * The pricing table in jsdom (React 18 and 19): plans from the catalog, the interval toggle with
 * the keyboard, the yearly saving's math, zero- and three-decimal currencies, each way of
 * choosing a plan (onSelect, the subscribe form in place, hosted Checkout), and no trial offered
 * to a signed-in customer who had it (`GET /trial-eligibility`).
 */

import { act, cleanup, render, renderHook, screen, waitFor, within } from '@testing-library/react';
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
} from '../../test/support/fake-stripe.js';
import { de } from '../messages/de.js';
import { TillkitProvider } from '../provider/tillkit-provider.js';
import { SaveCardForm } from '../save-card-form/save-card-form.js';
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

/**
 * Chooses "Switch to `name`" (or `label`: "Switch to yearly" within the customer's product) and
 * answers the change step's Confirm once its preview is read.
 */
async function openChange(
  user: ReturnType<typeof userEvent.setup>,
  name: string,
  label = `Switch to ${name}`,
) {
  await user.click(await within(await findPlan(name)).findByRole('button', { name: label }));
  const confirm = await screen.findByRole('button', { name: 'Confirm change' });
  await waitFor(() => expect(confirm).not.toHaveAttribute('aria-disabled'));
  return confirm;
}

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
      expect.objectContaining({ current: false, subscriptionToChange: null, changeUnclear: false }),
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

describe('PricingTable for a subscribed customer (current plan and plan changes)', () => {
  const signedIn = { getAuthToken: () => 'tok_ada' };
  const NOW = 1_780_000_000;
  const PERIOD_END = '2026-12-27T00:00:00.000Z';
  const LIVE = ['active', 'trialing', 'past_due', 'unpaid', 'paused'];
  const CHANGEABLE = ['active', 'trialing', 'past_due'];
  const catalogPrice = (id: string) => {
    for (const product of BILLING_CATALOG.products) {
      const price = product.prices.find((candidate) => candidate.id === id);
      if (price) return { product, price: price as typeof price & { interval?: string } };
    }
    throw new Error(`unknown price ${id}`);
  };
  const subscription = (id: string, priceId: string, extra: Partial<Subscription> = {}) =>
    ({
      id,
      status: 'active',
      priceId,
      productId: catalogPrice(priceId).product.id,
      productName: catalogPrice(priceId).product.name,
      currentPeriodEnd: PERIOD_END,
      cancelAtPeriodEnd: false,
      cancelAt: null,
      trialEnd: null,
      pendingAction: null,
      ...extra,
    }) satisfies Subscription;

  /**
   * The server's subscription routes over `held`, as packages/server/src/routes answers them:
   * one live subscription per product (per customer with `onePerCustomer`), the change refused as
   * its preview is, `prorationDate` from the last preview or `preview_expired`.
   */
  function subscriptionRoutes(held: Subscription[], onePerCustomer = false) {
    routes['GET /config'] = () => ({
      publishableKey: 'pk_test_123',
      mode: 'test',
      promotionCodes: false,
      oneSubscriptionPerCustomer: onePerCustomer,
    });
    routes['GET /subscriptions'] = () => ({ data: held });
    const refusal = (id: string, price: string): Response | null => {
      const own = held.find((item) => item.id === id);
      if (!own) return errorAnswer(404, 'not_found');
      if (!CHANGEABLE.includes(own.status)) return errorAnswer(409, 'invalid_state');
      const product = catalogPrice(price).product.id;
      const others = held.filter(
        (item) =>
          item.id !== id &&
          LIVE.includes(item.status) &&
          (onePerCustomer || item.productId === product),
      );
      return others.length ? errorAnswer(409, 'already_subscribed') : null;
    };
    let previewed = 0;
    for (const { id } of held) {
      routes[`POST /subscriptions/${id}/change-preview`] = (body) => {
        const { price } = body as { price: string };
        const own = held.find((item) => item.id === id) as Subscription;
        if (own.priceId === price) return errorAnswer(400, 'invalid_request');
        const refused = refusal(id, price);
        if (refused) return refused;
        const before = catalogPrice(own.priceId).price;
        const after = catalogPrice(price).price;
        previewed = previewed ? previewed + 1 : NOW + 1;
        const sameInterval = before.interval === after.interval;
        return {
          currency: 'usd',
          amountDue: Math.max(0, after.unitAmount - before.unitAmount),
          credit: Math.max(0, before.unitAmount - after.unitAmount),
          prorationDate: previewed,
          nextAmount: after.unitAmount,
          nextPaymentDate: sameInterval ? PERIOD_END : '2027-11-27T00:00:00.000Z',
        };
      };
      routes[`POST /subscriptions/${id}/change`] = (body) => {
        const { price, prorationDate } = body as { price: string; prorationDate?: number };
        const refused = refusal(id, price);
        if (refused) return refused;
        if (prorationDate !== undefined && prorationDate !== previewed) {
          return errorAnswer(400, 'preview_expired');
        }
        const index = held.findIndex((item) => item.id === id);
        held[index] = subscription(id, price);
        return held[index];
      };
    }
    routes['POST /subscriptions'] = (body) => {
      const { price } = body as { price: string };
      const product = catalogPrice(price).product.id;
      const live = held.filter((item) => LIVE.includes(item.status));
      return live.some((item) => onePerCustomer || item.productId === product)
        ? errorAnswer(409, 'already_subscribed')
        : {
            id: 'sub_new',
            status: 'incomplete',
            clientSecret: 'pi_1_secret_1',
            clientSecretType: 'payment',
          };
    };
  }
  const posts = (suffix: string) =>
    fetcher.requests
      .filter((request) => request.method === 'POST' && request.url.endsWith(suffix))
      .map((request) => request.body);

  it('marks the current plan, offers its other period as a change, and has no accessibility violations', async () => {
    subscriptionRoutes([subscription('sub_starter', 'price_starter_month')]);
    const { container } = renderTable({}, signedIn);
    const current = await within(await findPlan('Starter')).findByRole('button', {
      name: 'Current plan',
    });
    expect(current).toHaveAttribute('aria-disabled', 'true');
    expect(plan('Starter')).toHaveAttribute('data-current', 'true');
    // Another product: a second subscription (one per product), with its trial.
    expect(within(plan('Pro')).getByRole('button', { name: 'Choose Pro' })).toBeVisible();
    expect(within(plan('Pro')).getByText('14-day free trial')).toBeVisible();
    await userEvent.click(current);
    expect(container.firstElementChild).toHaveAttribute('data-state', 'ready');
    await userEvent.click(screen.getByRole('radio', { name: /Yearly/ }));
    expect(within(plan('Starter')).getByRole('button', { name: 'Switch to yearly' })).toBeVisible();
    expect(plan('Starter')).toHaveAttribute('data-change');
    expect(await axeViolations(container)).toEqual([]);
  });

  it('labels a change within the customer’s product by its billing period, another product’s by its name', async () => {
    subscriptionRoutes([subscription('sub_starter', 'price_starter_month')], true);
    const { unmount } = renderTable({ defaultInterval: 'year' }, signedIn);
    const yearly = await within(await findPlan('Starter')).findByRole('button', {
      name: 'Switch to yearly',
    });
    expect(yearly).toHaveAttribute('data-state', 'change');
    expect(within(plan('Pro')).getByRole('button', { name: 'Switch to Pro' })).toBeVisible();
    unmount();
    renderTable({ defaultInterval: 'year' }, { ...signedIn, messages: de, locale: 'de-DE' });
    expect(
      await within(await findPlan('Starter')).findByRole('button', {
        name: 'Zur jährlichen Abrechnung wechseln',
      }),
    ).toBeVisible();
    expect(within(plan('Pro')).getByRole('button', { name: 'Zu Pro wechseln' })).toBeVisible();
  });

  describe('a current trial that waits for its card', () => {
    const waiting = () =>
      subscription('sub_pro', 'price_pro_month', {
        status: 'trialing',
        trialEnd: PERIOD_END,
        pendingAction: { type: 'save_card', clientSecret: 'seti_trial_secret_t' },
      });

    it('is offered again: "Add a card" saves the card in place (hosted Checkout too) by confirming the trial’s own SetupIntent', async () => {
      subscriptionRoutes([waiting()]);
      const navigate = vi.fn();
      const onSubscribed = vi.fn();
      const { container } = renderTable({ checkout: 'hosted', navigate, onSubscribed }, signedIn);
      const add = await within(await findPlan('Pro')).findByRole('button', { name: 'Add a card' });
      expect(add).not.toHaveAttribute('aria-disabled');
      expect(add).toHaveAttribute('data-state', 'add_card');
      expect(plan('Pro')).toHaveAttribute('data-current', 'true');
      expect(await axeViolations(container)).toEqual([]);
      await userEvent.click(add);
      expect(screen.getByRole('button', { name: 'Back to plans' })).toHaveFocus();
      expect(container.firstElementChild).toHaveAttribute('data-state', 'saving_card');
      // The trial has started: no trial offered again, the date it ends instead.
      expect(
        screen.getByText('Add a card to keep Pro after your trial ends on December 27, 2026.'),
      ).toBeVisible();
      expect(screen.queryByRole('button', { name: /Start free trial|Subscribe/ })).toBeNull();
      const save = await screen.findByRole('button', { name: 'Save card' });
      await waitFor(() => expect(save).toBeEnabled());
      // The card fields offer what the subscription's currency takes, as SubscribeForm's do.
      expect(fake.calls.elements).toHaveBeenLastCalledWith(
        expect.objectContaining({ mode: 'setup', currency: 'usd' }),
      );
      expect(await axeViolations(container)).toEqual([]);
      await userEvent.click(save);
      expect(await screen.findByText('Your card has been saved.')).toBeVisible();
      expect(onSubscribed).toHaveBeenCalledWith({
        id: 'sub_pro',
        status: 'trialing',
        clientSecret: 'seti_trial_secret_t',
        clientSecretType: 'setup',
      });
      expect(fake.calls.confirmSetup).toHaveBeenCalledWith(
        expect.objectContaining({ clientSecret: 'seti_trial_secret_t' }),
      );
      expect(fake.calls.confirmPayment).not.toHaveBeenCalled();
      // Nothing made: no subscription, no SetupIntent, no Checkout page.
      expect(posts('/subscriptions')).toEqual([]);
      expect(posts('/setup-intents')).toEqual([]);
      expect(posts('/checkout-sessions')).toEqual([]);
      expect(navigate).not.toHaveBeenCalled();
    });

    it('says so without a trial (a promotion code made it free), in German too', async () => {
      subscriptionRoutes([{ ...waiting(), status: 'active', trialEnd: null }]);
      renderTable({}, { ...signedIn, messages: de, locale: 'de-DE' });
      await userEvent.click(
        await within(await findPlan('Pro')).findByRole('button', { name: 'Karte hinzufügen' }),
      );
      expect(
        screen.getByText('Hinterlegen Sie eine Karte für die Verlängerungen von Pro.'),
      ).toBeVisible();
    });

    it('Back returns to the plans, focus on the plan’s button, nothing confirmed', async () => {
      subscriptionRoutes([waiting()]);
      renderTable({}, signedIn);
      await userEvent.click(
        await within(await findPlan('Pro')).findByRole('button', { name: 'Add a card' }),
      );
      await userEvent.click(screen.getByRole('button', { name: 'Back to plans' }));
      expect(
        await within(await findPlan('Pro')).findByRole('button', { name: 'Add a card' }),
      ).toHaveFocus();
      expect(fake.calls.confirmSetup).not.toHaveBeenCalled();
    });

    it('follows a card saved elsewhere on the page: Add a card becomes Current plan', async () => {
      subscriptionRoutes([waiting()]);
      render(
        <TillkitProvider apiBase={API} stripe={fake.stripe} locale="en-US" {...signedIn}>
          <PricingTable />
          <SaveCardForm clientSecret="seti_trial_secret_t" />
        </TillkitProvider>,
      );
      const pro = await findPlan('Pro');
      expect(await within(pro).findByRole('button', { name: 'Add a card' })).toBeVisible();
      const save = await screen.findByRole('button', { name: 'Save card' });
      await waitFor(() => expect(save).toBeEnabled());
      // The server's answer once the card is saved.
      subscriptionRoutes([{ ...waiting(), pendingAction: null }]);
      await userEvent.click(save);
      expect(await within(pro).findByRole('button', { name: 'Current plan' })).toHaveAttribute(
        'aria-disabled',
        'true',
      );
    });

    it('is handed to onSelect, marked, and says it in German', async () => {
      subscriptionRoutes([waiting()]);
      const onSelect = vi.fn();
      renderTable({ onSelect }, { ...signedIn, messages: de, locale: 'de-DE' });
      await userEvent.click(
        await within(await findPlan('Pro')).findByRole('button', { name: 'Karte hinzufügen' }),
      );
      expect(onSelect).toHaveBeenCalledWith(
        expect.objectContaining({ id: 'price_pro_month' }),
        expect.objectContaining({ id: 'prod_pro' }),
        expect.objectContaining({ current: true, waitsForCard: true }),
      );
    });

    it('is the current plan once its card is saved', async () => {
      subscriptionRoutes([{ ...waiting(), pendingAction: null }]);
      renderTable({}, signedIn);
      expect(
        await within(await findPlan('Pro')).findByRole('button', { name: 'Current plan' }),
      ).toHaveAttribute('aria-disabled', 'true');
    });
  });

  it('changes the plan in place: the preview’s amount, then the change with its prorationDate, and the new plan is current', async () => {
    subscriptionRoutes([subscription('sub_starter', 'price_starter_month')], true);
    const onPlanChanged = vi.fn();
    const { container } = renderTable({ onPlanChanged }, signedIn);
    const user = userEvent.setup();
    // One subscription per customer: Pro changes Starter, and offers no trial.
    const pro = await within(await findPlan('Pro')).findByRole('button', { name: 'Switch to Pro' });
    expect(within(plan('Pro')).queryByText(/free trial/)).toBeNull();
    await user.click(pro);
    const step = screen.getByRole('group', { name: 'Pro, $29.00 / month' });
    expect(screen.getByRole('button', { name: 'Back to plans' })).toHaveFocus();
    expect(container.firstElementChild).toHaveAttribute('data-state', 'changing');
    expect(screen.queryByRole('button', { name: /Subscribe|Start free trial/ })).toBeNull();
    expect(
      await within(step).findByText(
        'Change Starter to Pro · $29.00 / month? You’ll pay $20.00 now for the rest of this period, then $29.00 / month from December 27, 2026.',
      ),
    ).toBeVisible();
    const confirm = within(step).getByRole('button', { name: 'Confirm change' });
    expect(confirm).toHaveAccessibleDescription(/You’ll pay \$20\.00 now/);
    expect(await axeViolations(container)).toEqual([]);
    await user.click(confirm);
    const now = await within(await findPlan('Pro')).findByRole('button', { name: 'Current plan' });
    expect(now).toHaveFocus();
    expect(posts('/change')).toEqual([{ price: 'price_pro_month', prorationDate: NOW + 1 }]);
    expect(posts('/subscriptions')).toEqual([]);
    expect(screen.getByRole('status')).toHaveTextContent(
      'Starter changed to Pro · $29.00 / month.',
    );
    expect(
      within(plan('Starter')).getByRole('button', { name: 'Switch to Starter' }),
    ).toBeVisible();
    expect(onPlanChanged).toHaveBeenCalledWith(
      expect.objectContaining({ id: 'sub_starter', priceId: 'price_pro_month' }),
    );
  });

  it('keeps one subscription per product when the server does: another product subscribes', async () => {
    subscriptionRoutes([subscription('sub_starter', 'price_starter_month')], false);
    renderTable({}, signedIn);
    await within(await findPlan('Starter')).findByRole('button', { name: 'Current plan' });
    await userEvent.click(within(plan('Pro')).getByRole('button', { name: 'Choose Pro' }));
    expect(await screen.findByRole('button', { name: 'Start free trial' })).toBeVisible();
    expect(posts('/change-preview')).toEqual([]);
  });

  it('says the credit a downgrade leaves, and goes back without changing anything', async () => {
    subscriptionRoutes([subscription('sub_pro', 'price_pro_month')], true);
    renderTable({}, signedIn);
    const user = userEvent.setup();
    await user.click(
      await within(await findPlan('Starter')).findByRole('button', { name: 'Switch to Starter' }),
    );
    expect(
      await screen.findByText(
        'Change Pro to Starter · $9.00 / month? No charge now: $20.00 of credit goes to your next invoices. Then $9.00 / month from December 27, 2026.',
      ),
    ).toBeVisible();
    await user.keyboard('{Escape}');
    expect(
      await within(plan('Starter')).findByRole('button', { name: 'Switch to Starter' }),
    ).toHaveFocus();
    expect(posts('/change')).toEqual([]);
  });

  it('shows a refused change in the error region, and reads an expired preview again', async () => {
    subscriptionRoutes([subscription('sub_starter', 'price_starter_month')]);
    renderTable({ defaultInterval: 'year' }, signedIn);
    const user = userEvent.setup();
    const confirm = await openChange(user, 'Starter', 'Switch to yearly');
    // The preview went stale: the server refuses its prorationDate.
    const change = routes['POST /subscriptions/sub_starter/change'] as (body: unknown) => unknown;
    routes['POST /subscriptions/sub_starter/change'] = (body) =>
      change({ ...(body as object), prorationDate: 1 });
    await user.click(confirm);
    const alert = await screen.findByRole('alert');
    await waitFor(() =>
      expect(alert).toHaveTextContent(
        'That price was worked out a while ago: here is what the change costs now. Confirm it again.',
      ),
    );
    expect(alert).toHaveFocus();
    await waitFor(() => expect(posts('/change-preview')).toHaveLength(2));
    await waitFor(() => expect(confirm).not.toHaveAttribute('aria-disabled'));
    // Refused for another reason: the step stays, with the kit's words for the code.
    routes['POST /subscriptions/sub_starter/change'] = () => errorAnswer(409, 'invalid_state');
    await user.click(confirm);
    await waitFor(() =>
      expect(screen.getByRole('alert')).toHaveTextContent(
        'This subscription cannot change plan now: pay for it or resume it where you manage your subscriptions first.',
      ),
    );
    expect(screen.getByRole('group', { name: 'Starter, $90.00 / year' })).toBeVisible();
    routes['POST /subscriptions/sub_starter/change'] = change;
    await user.click(confirm);
    expect(
      await within(plan('Starter')).findByRole('button', { name: 'Current plan' }),
    ).toBeVisible();
  });

  it('offers Try again when the preview cannot be read', async () => {
    subscriptionRoutes([subscription('sub_starter', 'price_starter_month')]);
    const preview = routes['POST /subscriptions/sub_starter/change-preview'] as (
      body: unknown,
    ) => unknown;
    routes['POST /subscriptions/sub_starter/change-preview'] = () =>
      errorAnswer(503, 'stripe_unavailable');
    renderTable({ defaultInterval: 'year' }, signedIn);
    const user = userEvent.setup();
    await user.click(
      await within(await findPlan('Starter')).findByRole('button', { name: 'Switch to yearly' }),
    );
    await waitFor(() =>
      expect(screen.getByRole('alert')).toHaveTextContent(
        'Something went wrong. Please try again.',
      ),
    );
    expect(screen.getByRole('button', { name: 'Confirm change' })).toHaveAttribute(
      'aria-disabled',
      'true',
    );
    routes['POST /subscriptions/sub_starter/change-preview'] = preview;
    await user.click(screen.getByRole('button', { name: 'Try again' }));
    expect(screen.getByRole('button', { name: 'Back to plans' })).toHaveFocus();
    expect(
      await screen.findByText(/^Change Starter to Starter · \$90\.00 \/ year\?/),
    ).toBeVisible();
    expect(screen.getByRole('alert')).toBeEmptyDOMElement();
  });

  it('tells the customer where to pay when the change’s payment waits for them', async () => {
    subscriptionRoutes([subscription('sub_starter', 'price_starter_month')], true);
    routes['POST /subscriptions/sub_starter/change'] = () =>
      subscription('sub_starter', 'price_pro_month', {
        status: 'past_due',
        pendingAction: { type: 'authenticate', clientSecret: 'pi_2_secret_2' },
      });
    renderTable({}, signedIn);
    const user = userEvent.setup();
    const confirm = await openChange(user, 'Pro');
    await user.click(confirm);
    expect(
      await within(await findPlan('Pro')).findByRole('button', { name: 'Current plan' }),
    ).toBeVisible();
    expect(screen.getByRole('status')).toHaveTextContent(
      'Pro is your plan now, but its payment needs your confirmation: confirm it where you manage your subscriptions.',
    );
  });

  it('says a trial’s change went through when only its card is still to add (no payment failed)', async () => {
    subscriptionRoutes([subscription('sub_starter', 'price_starter_month')], true);
    routes['POST /subscriptions/sub_starter/change'] = () =>
      subscription('sub_starter', 'price_pro_month', {
        status: 'trialing',
        pendingAction: { type: 'save_card', clientSecret: 'seti_2_secret_2' },
      });
    renderTable({}, signedIn);
    const user = userEvent.setup();
    await user.click(await openChange(user, 'Pro'));
    expect(
      await within(await findPlan('Pro')).findByRole('button', { name: 'Add a card' }),
    ).toBeVisible();
    expect(screen.getByRole('status')).toHaveTextContent(
      'Starter changed to Pro · $29.00 / month.',
    );
  });

  it('does not guess which of several subscriptions to change when the server keeps one per customer', async () => {
    subscriptionRoutes(
      [
        subscription('sub_starter', 'price_starter_month'),
        subscription('sub_pro', 'price_pro_year'),
      ],
      true,
    );
    routes['GET /prices'] = () => ({
      products: [
        ...BILLING_CATALOG.products,
        {
          id: 'prod_team',
          name: 'Team',
          description: null,
          features: [],
          prices: [{ ...BILLING_CATALOG.products[1]?.prices[0], id: 'price_team_month' }],
        },
      ],
    });
    renderTable({}, signedIn);
    const team = await within(await findPlan('Team')).findByRole('button', { name: 'Choose Team' });
    expect(team).toHaveAttribute('aria-disabled', 'true');
    expect(team).toHaveAccessibleDescription(
      'You have more than one subscription: change plan where you manage your subscriptions.',
    );
    // Its own product's other price is still a change of that one.
    expect(within(plan('Pro')).getByRole('button', { name: 'Switch to monthly' })).toBeVisible();
    await userEvent.click(team);
    expect(screen.getByRole('heading', { name: 'Team' })).toBeVisible();
    expect(fetcher.requests.filter((request) => request.method === 'POST')).toEqual([]);
  });

  it('asks a guest nothing and labels no plan as a change', async () => {
    subscriptionRoutes([subscription('sub_starter', 'price_starter_month')], true);
    renderTable({ defaultInterval: 'year' });
    await findPlan('Starter');
    expect(screen.getByRole('button', { name: 'Choose Starter' })).toBeVisible();
    expect(screen.getByRole('button', { name: 'Choose Pro' })).toBeVisible();
    expect(screen.queryByRole('button', { name: /Switch|Current/ })).toBeNull();
    expect(fetcher.requests.map((request) => new URL(request.url).pathname)).toEqual([
      '/api/prices',
    ]);
  });

  it('leaves the table usable when the subscriptions cannot be read', async () => {
    subscriptionRoutes([subscription('sub_starter', 'price_starter_month')], true);
    routes['GET /subscriptions'] = () => errorAnswer(503, 'stripe_unavailable');
    routes['GET /trial-eligibility'] = () => ({ usedTrialProducts: [] });
    const { container } = renderTable({}, signedIn);
    // Trials show once both reads have answered, the failed one too.
    expect(await within(await findPlan('Pro')).findByText('14-day free trial')).toBeVisible();
    expect(container.firstElementChild).toHaveAttribute('data-state', 'ready');
    expect(screen.getByRole('alert')).toBeEmptyDOMElement();
    expect(screen.queryByRole('button', { name: /Switch|Current/ })).toBeNull();
    await userEvent.click(screen.getByRole('button', { name: 'Choose Starter' }));
    expect(await screen.findByRole('button', { name: 'Subscribe' })).toBeVisible();
  });

  it('hands a headless host the plan’s fields with onSelect', async () => {
    subscriptionRoutes([subscription('sub_starter', 'price_starter_month')]);
    const onSelect = vi.fn();
    renderTable({ onSelect, defaultInterval: 'year' }, signedIn);
    await userEvent.click(
      await within(await findPlan('Starter')).findByRole('button', { name: 'Switch to yearly' }),
    );
    expect(onSelect).toHaveBeenCalledWith(
      expect.objectContaining({ id: 'price_starter_year' }),
      expect.objectContaining({ id: 'prod_starter' }),
      expect.objectContaining({
        current: false,
        subscriptionToChange: expect.objectContaining({ id: 'sub_starter' }),
      }),
    );
    expect(posts('/change-preview')).toEqual([]);
  });

  it('stays on the change while it is sent: Back and Escape do nothing, and its answer is applied', async () => {
    subscriptionRoutes([subscription('sub_starter', 'price_starter_month')], true);
    const change = routes['POST /subscriptions/sub_starter/change'] as (body: unknown) => unknown;
    let release: () => void = () => {};
    routes['POST /subscriptions/sub_starter/change'] = (body) =>
      new Promise((resolve) => (release = () => resolve(change(body))));
    const onPlanChanged = vi.fn();
    renderTable({ onPlanChanged }, signedIn);
    const user = userEvent.setup();
    const confirm = await openChange(user, 'Pro');
    await user.click(confirm);
    await waitFor(() => expect(posts('/change')).toHaveLength(1));
    const back = screen.getByRole('button', { name: 'Back to plans' });
    expect(back).toHaveAttribute('aria-disabled', 'true');
    await user.click(back);
    back.focus();
    await user.keyboard('{Escape}');
    expect(screen.getByRole('group', { name: 'Pro, $29.00 / month' })).toBeVisible();
    expect(screen.getByRole('button', { name: 'Confirm change' })).toHaveAttribute(
      'aria-busy',
      'true',
    );
    await act(async () => release());
    expect(
      await within(await findPlan('Pro')).findByRole('button', { name: 'Current plan' }),
    ).toBeVisible();
    expect(screen.getByRole('status')).toHaveTextContent(
      'Starter changed to Pro · $29.00 / month.',
    );
    expect(onPlanChanged).toHaveBeenCalledWith(
      expect.objectContaining({ id: 'sub_starter', priceId: 'price_pro_month' }),
    );
    expect(posts('/change')).toHaveLength(1);
  });

  it('keeps a change’s plan current when a read of the subscriptions from before it answers after it', async () => {
    subscriptionRoutes([subscription('sub_starter', 'price_starter_month')], true);
    renderTable({}, signedIn);
    const user = userEvent.setup();
    await user.click(
      await within(await findPlan('Pro')).findByRole('button', { name: 'Switch to Pro' }),
    );
    // Back reads the subscriptions again; that read is slow, and answers as they were.
    const before = { data: [subscription('sub_starter', 'price_starter_month')] };
    let answer: () => void = () => {};
    routes['GET /subscriptions'] = () => new Promise((resolve) => (answer = () => resolve(before)));
    await user.click(screen.getByRole('button', { name: 'Back to plans' }));
    const confirm = await openChange(user, 'Pro');
    await user.click(confirm);
    expect(
      await within(await findPlan('Pro')).findByRole('button', { name: 'Current plan' }),
    ).toBeVisible();
    await act(async () => answer());
    expect(within(plan('Pro')).getByRole('button', { name: 'Current plan' })).toBeVisible();
    expect(
      within(plan('Starter')).getByRole('button', { name: 'Switch to Starter' }),
    ).toBeVisible();
  });

  it('ignores back() and select() in the headless hook while a change is sent', async () => {
    subscriptionRoutes([subscription('sub_starter', 'price_starter_month')], true);
    const change = routes['POST /subscriptions/sub_starter/change'] as (body: unknown) => unknown;
    let release: () => void = () => {};
    routes['POST /subscriptions/sub_starter/change'] = (body) =>
      new Promise((resolve) => (release = () => resolve(change(body))));
    const onPlanChanged = vi.fn();
    const wrapper = ({ children }: { children: ReactNode }) => (
      <TillkitProvider apiBase={API} stripe={fake.stripe} locale="en-US" {...signedIn}>
        {children}
      </TillkitProvider>
    );
    const { result } = renderHook(() => usePricing({ onPlanChanged }), { wrapper });
    const target = (name: string) =>
      result.current.plans.find((candidate) => candidate.product.name === name) as never;
    await waitFor(() => expect(target('Pro')).toMatchObject({ subscriptionToChange: {} }));
    act(() => result.current.select(target('Pro')));
    await waitFor(() => expect(result.current.state).toMatchObject({ change: { step: 'ready' } }));
    act(() => result.current.confirmChange());
    await waitFor(() => expect(posts('/change')).toHaveLength(1));
    // A host's own Back (holding the hook's return from before), and another plan.
    const { back } = result.current;
    act(() => back());
    act(() => result.current.back());
    act(() => result.current.select(target('Pro')));
    expect(result.current.state).toMatchObject({
      status: 'changing',
      change: { step: 'submitting' },
    });
    await act(async () => release());
    await waitFor(() => expect(result.current.status).toBe('ready'));
    expect(onPlanChanged).toHaveBeenCalledTimes(1);
    expect(target('Pro')).toMatchObject({ current: true });
    expect(result.current.notice).toBe('Starter changed to Pro · $29.00 / month.');
    expect(posts('/change-preview')).toHaveLength(1);
  });

  it('finds the plan of a subscription on a price no longer for sale by its product', async () => {
    // A grandfathered price: kept after a price rise, no longer in the catalog.
    subscriptionRoutes([
      { ...subscription('sub_pro', 'price_pro_month'), priceId: 'price_pro_2024' },
    ]);
    routes['POST /subscriptions/sub_pro/change-preview'] = () => ({
      currency: 'usd',
      amountDue: 900,
      credit: 0,
      prorationDate: NOW,
      nextAmount: 2900,
      nextPaymentDate: PERIOD_END,
    });
    renderTable({}, signedIn);
    const pro = await within(await findPlan('Pro')).findByRole('button', { name: 'Switch to Pro' });
    expect(plan('Pro')).toHaveAttribute('data-change');
    expect(within(plan('Pro')).queryByText(/free trial/)).toBeNull();
    // Another product: a second subscription, one per product.
    expect(within(plan('Starter')).getByRole('button', { name: 'Choose Starter' })).toBeVisible();
    await userEvent.click(pro);
    expect(await screen.findByText(/^Change Pro to Pro · \$29\.00 \/ month\?/)).toBeVisible();
    expect(posts('/change-preview')).toEqual([{ price: 'price_pro_month' }]);
    expect(posts('/subscriptions')).toEqual([]);
  });

  it('offers no change to a plan in another currency than the subscription’s', async () => {
    subscriptionRoutes([subscription('sub_starter', 'price_starter_month')], true);
    routes['GET /prices'] = () => ({
      products: [
        ...BILLING_CATALOG.products,
        {
          id: 'prod_euro',
          name: 'Euro',
          description: null,
          features: [],
          prices: [{ ...price(2500, 'eur', 'month'), trialPeriodDays: 7 }],
        },
      ],
    });
    renderTable({}, signedIn);
    const euro = await within(await findPlan('Euro')).findByRole('button', {
      name: 'Switch to Euro',
    });
    expect(euro).toHaveAttribute('aria-disabled', 'true');
    expect(euro).toHaveAttribute('data-state', 'blocked');
    expect(euro).toHaveAccessibleDescription(
      'Your subscription is billed in another currency, so it cannot change to this plan.',
    );
    expect(within(plan('Euro')).queryByText(/free trial/)).toBeNull();
    expect(within(plan('Pro')).getByRole('button', { name: 'Switch to Pro' })).not.toHaveAttribute(
      'aria-disabled',
    );
    await userEvent.click(euro);
    expect(screen.getByRole('heading', { name: 'Euro' })).toBeVisible();
    expect(fetcher.requests.filter((request) => request.method === 'POST')).toEqual([]);
  });

  it.each([
    ['unpaid', { status: 'unpaid' }],
    ['paused', { status: 'paused' }],
    ['set to end at the period’s end', { cancelAtPeriodEnd: true, cancelAt: PERIOD_END }],
    ['set to end on a date', { cancelAt: '2027-02-01T00:00:00.000Z' }],
  ] as const)(
    'offers no change of a subscription that is %s, and says where to go',
    async (_, extra) => {
      subscriptionRoutes([subscription('sub_starter', 'price_starter_month', extra)], true);
      renderTable({ defaultInterval: 'year' }, signedIn);
      const starter = await within(await findPlan('Starter')).findByRole('button', {
        name: 'Switch to yearly',
      });
      expect(starter).toHaveAttribute('aria-disabled', 'true');
      expect(plan('Starter')).not.toHaveAttribute('data-change');
      expect(starter).toHaveAccessibleDescription(
        'Your subscription cannot change plan now: resume it or pay for it where you manage your subscriptions.',
      );
      // One per customer: every other plan would change it too.
      expect(within(plan('Pro')).getByRole('button', { name: 'Switch to Pro' })).toHaveAttribute(
        'aria-disabled',
        'true',
      );
      await userEvent.click(starter);
      await userEvent.click(within(plan('Pro')).getByRole('button', { name: 'Switch to Pro' }));
      expect(screen.getByRole('heading', { name: 'Starter' })).toBeVisible();
      expect(fetcher.requests.filter((request) => request.method === 'POST')).toEqual([]);
      // Its own plan is still marked.
      await userEvent.click(screen.getByRole('radio', { name: /Monthly/ }));
      expect(within(plan('Starter')).getByRole('button', { name: 'Current plan' })).toBeVisible();
    },
  );

  it('does nothing in the headless hook on select() of a plan whose change would be refused', async () => {
    subscriptionRoutes([subscription('sub_starter', 'price_starter_month', { status: 'unpaid' })]);
    const wrapper = ({ children }: { children: ReactNode }) => (
      <TillkitProvider apiBase={API} stripe={fake.stripe} locale="en-US" {...signedIn}>
        {children}
      </TillkitProvider>
    );
    const { result } = renderHook(() => usePricing({ defaultInterval: 'year' }), { wrapper });
    await waitFor(() =>
      expect(result.current.plans[0]).toMatchObject({
        product: { name: 'Starter' },
        changeBlocked: 'inactive',
        subscriptionToChange: null,
      }),
    );
    act(() => result.current.select(result.current.plans[0] as never));
    expect(result.current.status).toBe('ready');
    expect(fetcher.requests.filter((request) => request.method === 'POST')).toEqual([]);
  });

  it('says in German where to go for a subscription that cannot change plan', async () => {
    subscriptionRoutes([subscription('sub_starter', 'price_starter_month', { status: 'paused' })]);
    renderTable({ defaultInterval: 'year' }, { ...signedIn, messages: de, locale: 'de-DE' });
    expect(
      await within(await findPlan('Starter')).findByRole('button', {
        name: 'Zur jährlichen Abrechnung wechseln',
      }),
    ).toHaveAccessibleDescription(
      'Ihr Abonnement kann den Tarif gerade nicht wechseln: Setzen Sie es fort oder bezahlen Sie es dort, wo Sie Ihre Abonnements verwalten.',
    );
  });

  it('changes in place with hosted Checkout too, and speaks German', async () => {
    subscriptionRoutes([subscription('sub_starter', 'price_starter_month')], true);
    const navigate = vi.fn();
    renderTable({ checkout: 'hosted', navigate }, { ...signedIn, messages: de, locale: 'de-DE' });
    expect(
      await within(await findPlan('Starter')).findByRole('button', { name: 'Aktueller Tarif' }),
    ).toBeVisible();
    await userEvent.click(screen.getByRole('button', { name: 'Zu Pro wechseln' }));
    expect(await screen.findByRole('button', { name: 'Wechsel bestätigen' })).toBeVisible();
    expect(
      await screen.findByText(/^Starter auf Pro · 29,00 \$ \/ Monat umstellen\?/),
    ).toBeVisible();
    expect(navigate).not.toHaveBeenCalled();
    expect(posts('/checkout-sessions')).toEqual([]);
  });
});
