/**
 * `PricingTable`: the demo catalog's plans (Starter and Pro, monthly and yearly; Pro with a 14-day
 * trial), choosing one into the built-in subscribe form, Stripe's hosted Checkout, or your own
 * handler; no trial offered to a customer who had it; a subscribed customer's current plan, and
 * changing it in place.
 */
import type { Meta, StoryObj } from '@storybook/react-vite';
import { formatMoney, PricingTable } from '@tillkit/react';
import { HttpResponse, http } from 'msw';
import { useState } from 'react';
import { expect, waitFor } from 'storybook/test';
import { HeadlessPricing } from '../../packages/react/examples/pricing-table/headless.js';
import { HostedPricingTable } from '../../packages/react/examples/pricing-table/hosted.js';
import { API_BASE, demoServer, trialWaitingForCard } from '../mocks/demo-server.js';
import { answer, pending, serverError } from '../mocks/handlers.js';
import { formatMessage, messagesFor } from '../play/messages.js';
import { CARDS, fillCard } from '../play/sandbox.js';
import { expectState, expectText, part } from '../play/state.js';

const meta = {
  title: 'Subscriptions/PricingTable',
  component: PricingTable,
  args: {
    highlightedPlan: 'prod_tillkit_pro',
    onSubscribed: (subscription) => console.info('subscribed', subscription.id),
  },
} satisfies Meta<typeof PricingTable>;

export default meta;
type Story = StoryObj<typeof meta>;

const SLOT = 'pricing-table';
const plans = (root: HTMLElement) => [
  ...root.querySelectorAll<HTMLElement>('[data-slot="pricing-table-plan"]'),
];
const trialBadges = (root: HTMLElement) => [
  ...root.querySelectorAll<HTMLElement>('[data-slot="pricing-table-badge"][data-state="trial"]'),
];

/** Reading the catalog (`GET /prices` never answers). */
export const Loading: Story = {
  parameters: { msw: [pending('get', '/prices')] },
  play: async ({ canvasElement, canvas, globals }) => {
    await expectState(canvasElement, SLOT, 'loading');
    await expect(canvas.getByRole('status')).toHaveTextContent(messagesFor(globals).loading);
  },
};

/** Monthly plans, Pro highlighted with its trial badge. */
export const Ready: Story = {
  play: async ({ canvasElement, canvas, globals }) => {
    const t = messagesFor(globals);
    await expectState(canvasElement, SLOT, 'ready');
    await expect(plans(canvasElement)).toHaveLength(2);
    await expect(canvasElement.querySelector('[data-highlighted]')).toHaveTextContent('Pro');
    await expect(canvas.getByRole('radio', { name: t.monthly })).toBeChecked();
  },
};

/** Yearly prices, with what paying yearly saves. */
export const Yearly: Story = {
  args: { defaultInterval: 'year' },
  play: async ({ canvasElement, canvas, userEvent, globals }) => {
    const t = messagesFor(globals);
    await expectState(canvasElement, SLOT, 'ready');
    const yearly = canvas.getByRole('radio', { name: new RegExp(t.yearly) });
    await expect(yearly).toBeChecked();
    await expect(canvasElement.querySelector('[data-slot="pricing-table-saving"]')).toBeVisible();
    // The toggle moves back and forth.
    await userEvent.click(canvas.getByRole('radio', { name: t.monthly }));
    await expect(canvas.getByRole('radio', { name: t.monthly })).toBeChecked();
  },
};

/** No product has a monthly or yearly price (a catalog of one-time goods). */
export const Empty: Story = {
  parameters: {
    msw: [
      answer('get', '/prices', {
        products: [
          {
            id: 'prod_tillkit_mug',
            name: 'Tillkit Mug',
            description: null,
            features: [],
            prices: [{ id: 'price_mug_jpy', unitAmount: 1500, currency: 'jpy', type: 'one_time' }],
          },
        ],
      }),
    ],
  },
  play: async ({ canvasElement, canvas, globals }) => {
    await expectState(canvasElement, SLOT, 'empty');
    await expect(canvas.getByRole('status')).toHaveTextContent(messagesFor(globals).noPlans);
  },
};

/** The catalog could not be read (`GET /prices` answers 500). */
export const ServerError: Story = {
  parameters: { msw: [serverError('get', '/prices')] },
  play: async ({ canvasElement, canvas }) => {
    await expectState(canvasElement, SLOT, 'failed');
    await expect(canvas.getByRole('alert')).not.toBeEmptyDOMElement();
  },
};

/** How many times the demo server answered `GET /trial-eligibility` in this story. */
let eligibilityAnswers = 0;
const countedEligibility = http.get(`${API_BASE}/trial-eligibility`, async ({ request }) => {
  const response = await demoServer().handle(request);
  eligibilityAnswers += 1;
  return response;
});

/**
 * A returning customer: they had Pro's trial (subscribed, then canceled). The table reads
 * `GET /trial-eligibility` and promises no trial of Pro, and its subscribe form asks for the first
 * payment ("Subscribe"), as the server will.
 */
export const ReturningCustomer: Story = {
  parameters: { msw: [countedEligibility] },
  loaders: [
    async () => {
      eligibilityAnswers = 0;
      const server = demoServer();
      const had = await server.subscribe('price_pro_monthly');
      await server.endSubscription(String(had.id));
      return {};
    },
  ],
  play: async ({ canvasElement, canvas, userEvent, globals }) => {
    const t = messagesFor(globals);
    await expectState(canvasElement, SLOT, 'ready');
    await waitFor(() => expect(eligibilityAnswers).toBe(1));
    // Applied to the plan (the answer counted above may not have reached the table yet).
    await waitFor(() =>
      expect(
        canvasElement.querySelector('[data-trial-used] [data-slot="pricing-table-name"]'),
      ).toHaveTextContent('Pro'),
    );
    await expect(plans(canvasElement)).toHaveLength(2);
    await expect(trialBadges(canvasElement)).toEqual([]);
    await userEvent.click(canvas.getByRole('button', { name: /Pro/ }));
    await expectState(canvasElement, 'subscribe-form', 'ready');
    await expect(
      canvasElement.querySelector('[data-slot="subscribe-form-submit"]'),
    ).toHaveTextContent(t.subscribe);
    await expect(
      canvasElement.querySelector('[data-slot="subscribe-form-summary"]'),
    ).not.toHaveTextContent(formatMessage(t.trialDays, { days: '14' }));
  },
};

/**
 * The trials the customer had could not be read (`GET /trial-eligibility` answers 500): the table
 * stays, with the catalog's trial badge (the server decides on subscribing).
 */
export const TrialEligibilityError: Story = {
  parameters: { msw: [serverError('get', '/trial-eligibility')] },
  play: async ({ canvasElement, canvas }) => {
    await expectState(canvasElement, SLOT, 'ready');
    await waitFor(() => expect(trialBadges(canvasElement)).toHaveLength(1));
    await expect(plans(canvasElement)).toHaveLength(2);
    await expect(canvas.getByRole('alert')).toBeEmptyDOMElement();
  },
};

/** "Choose Starter" opens the subscribe form in place; focus moves to "Back to plans". */
export const Subscribing: Story = {
  play: async ({ canvasElement, canvas, userEvent, globals }) => {
    const t = messagesFor(globals);
    await expectState(canvasElement, SLOT, 'ready');
    await userEvent.click(canvas.getByRole('button', { name: /Starter/ }));
    await expectState(canvasElement, SLOT, 'subscribing');
    await expect(canvas.getByRole('button', { name: t.backToPlans })).toHaveFocus();
    await expectState(canvasElement, 'subscribe-form', 'ready');
  },
};

/** Subscribed to Starter from the table, paid with 4242 4242 4242 4242. */
export const Subscribed: Story = {
  play: async ({ canvasElement, canvas, userEvent }) => {
    await expectState(canvasElement, SLOT, 'ready');
    await userEvent.click(canvas.getByRole('button', { name: /Starter/ }));
    await expectState(canvasElement, 'subscribe-form', 'ready');
    await fillCard(canvasElement, CARDS.visa);
    await userEvent.click(
      canvasElement.querySelector('[data-slot="subscribe-form-submit"]') as HTMLElement,
    );
    await expectState(canvasElement, 'subscribe-form', 'succeeded');
  },
};

/**
 * `promotionCodes`: the subscribe form in place has the promotion code field. Starter with
 * WELCOME10 (10% off the first payment) is $8.10 today, and the first invoice is paid that.
 */
export const SubscribedWithPromotionCode: Story = {
  args: { promotionCodes: true },
  play: async ({ canvasElement, canvas, userEvent, globals }) => {
    const t = messagesFor(globals);
    const locale = globals.locale === 'de' ? 'de-DE' : 'en-US';
    await expectState(canvasElement, SLOT, 'ready');
    await userEvent.click(canvas.getByRole('button', { name: /Starter/ }));
    await expectState(canvasElement, 'subscribe-form', 'ready');
    await userEvent.type(canvas.getByLabelText(t.promotionCode), 'WELCOME10');
    await userEvent.click(canvas.getByRole('button', { name: t.applyCode }));
    await expectText(canvasElement, 'subscribe-form-promotion-status', () =>
      formatMessage(t.dueToday, { amount: formatMoney(810, 'usd', locale) }),
    );
    await waitFor(() => expect(canvas.getByRole('button', { name: t.removeCode })).toHaveFocus());
    await fillCard(canvasElement, CARDS.visa);
    await userEvent.click(part(canvasElement, 'subscribe-form-submit') as HTMLElement);
    await expectState(canvasElement, 'subscribe-form', 'succeeded');
    const { data } = await demoServer().stripe('/v1/invoices', { limit: '1' }, 'GET');
    await expect(data).toMatchObject([{ status: 'paid', amount_paid: 810 }]);
  },
};

/** Starter, active and paid monthly. */
const subscribedToStarter = async () => {
  await demoServer().subscribe('price_starter_monthly');
  return {};
};

/** The server keeps one subscription per customer (`GET /config`'s `oneSubscriptionPerCustomer`). */
const onePerCustomer = http.get(`${API_BASE}/config`, async ({ request }) => {
  const config = await (await demoServer().handle(request)).json();
  return HttpResponse.json({ ...config, oneSubscriptionPerCustomer: true });
});

/** The plan's button, found by the plan's name. */
const selectOf = (root: HTMLElement, name: string) =>
  plans(root)
    .find((plan) => part(plan, 'pricing-table-name')?.textContent === name)
    ?.querySelector<HTMLElement>('[data-slot="pricing-table-select"]');

/**
 * A customer subscribed to Starter (monthly): it is marked "Current plan" (its button disabled),
 * and Starter yearly says "Switch to yearly": another price of the same product changes their
 * subscription. Pro is a second subscription, as the server keeps one per product.
 */
export const SubscribedCustomer: Story = {
  loaders: [subscribedToStarter],
  play: async ({ canvasElement, canvas, userEvent, globals }) => {
    const t = messagesFor(globals);
    await waitFor(() =>
      expect(selectOf(canvasElement, 'Starter')).toHaveTextContent(t.currentPlan),
    );
    await expect(selectOf(canvasElement, 'Starter')).toHaveAttribute('aria-disabled', 'true');
    await expect(selectOf(canvasElement, 'Pro')).toHaveTextContent(
      formatMessage(t.choosePlan, { plan: 'Pro' }),
    );
    await userEvent.click(canvas.getByRole('radio', { name: new RegExp(t.yearly) }));
    await expect(selectOf(canvasElement, 'Starter')).toHaveTextContent(t.switchToYearly);
  },
};

/**
 * Pro in its trial with no card for its renewals yet (its SetupIntent unconfirmed): the current
 * plan says "Add a card" and can be chosen, even with `checkout="hosted"` (Checkout would start a
 * second subscription): a card form opens in place, says when the trial ends, and confirms the
 * trial's own SetupIntent, so the card saved with it (4242 4242 4242 4242) is the trial's and
 * nothing new is made. Back on the plans, Pro is the current plan.
 */
export const TrialWaitingForCard: Story = {
  args: { checkout: 'hosted', navigate: (url: string) => console.info('navigated', url) },
  loaders: [trialWaitingForCard],
  play: async ({ canvasElement, canvas, userEvent, globals }) => {
    const t = messagesFor(globals);
    await waitFor(() => expect(selectOf(canvasElement, 'Pro')).toHaveTextContent(t.addCard));
    const add = selectOf(canvasElement, 'Pro') as HTMLElement;
    await expect(add).not.toHaveAttribute('aria-disabled');
    await expect(add).toHaveAttribute('data-state', 'add_card');
    await userEvent.click(add);
    await expectState(canvasElement, SLOT, 'saving_card');
    const listed = await demoServer().stripe('/v1/subscriptions', {}, 'GET');
    const [trial] = (listed as { data: Array<{ trial_end: number }> }).data;
    const ends = new Date((trial?.trial_end ?? NaN) * 1000).toLocaleDateString(
      globals.locale === 'de' ? 'de-DE' : 'en-US',
      { dateStyle: 'long' },
    );
    await expect(part(canvasElement, 'pricing-table-save-card-message')).toHaveTextContent(
      formatMessage(t.saveCardForTrial, { plan: 'Pro', date: ends }),
    );
    await expectState(canvasElement, 'save-card-form', 'ready');
    await fillCard(canvasElement, CARDS.visa);
    await userEvent.click(part(canvasElement, 'save-card-form-submit') as HTMLElement);
    await expectState(canvasElement, 'save-card-form', 'succeeded');
    const { data } = await demoServer().stripe('/v1/subscriptions', { status: 'all' }, 'GET');
    await expect(data).toHaveLength(1);
    await expect(data).toMatchObject([{ status: 'trialing', pending_setup_intent: null }]);
    await userEvent.click(canvas.getByRole('button', { name: t.backToPlans }));
    await waitFor(() => expect(selectOf(canvasElement, 'Pro')).toHaveTextContent(t.currentPlan));
  },
};

/**
 * The server keeps one subscription per customer: Pro changes the customer's Starter. The change
 * step says what it charges today (the preview), then "Confirm change" makes Pro the current plan
 * and the status region says so.
 */
export const PlanChange: Story = {
  loaders: [subscribedToStarter],
  parameters: { msw: [onePerCustomer] },
  play: async ({ canvasElement, canvas, userEvent, globals }) => {
    const t = messagesFor(globals);
    await waitFor(() =>
      expect(selectOf(canvasElement, 'Pro')).toHaveTextContent(
        formatMessage(t.switchPlan, { plan: 'Pro' }),
      ),
    );
    await userEvent.click(selectOf(canvasElement, 'Pro') as HTMLElement);
    await expectState(canvasElement, SLOT, 'changing');
    await expect(canvas.getByRole('button', { name: t.backToPlans })).toHaveFocus();
    await expectState(canvasElement, 'pricing-table-change', 'ready');
    await expect(part(canvasElement, 'pricing-table-change-question')).not.toBeEmptyDOMElement();
    await userEvent.click(canvas.getByRole('button', { name: t.confirmChange }));
    await expectState(canvasElement, SLOT, 'ready');
    await waitFor(() => expect(selectOf(canvasElement, 'Pro')).toHaveTextContent(t.currentPlan));
    await expect(selectOf(canvasElement, 'Pro')).toHaveFocus();
    await expect(part(canvasElement, 'pricing-table-status')).not.toBeEmptyDOMElement();
  },
};

/** The change step, waiting for the customer's confirmation (what it charges today shown). */
export const PlanChangeStep: Story = {
  loaders: [subscribedToStarter],
  args: { defaultInterval: 'year' },
  play: async ({ canvasElement, globals }) => {
    const t = messagesFor(globals);
    await waitFor(() =>
      expect(selectOf(canvasElement, 'Starter')).toHaveTextContent(t.switchToYearly),
    );
    (selectOf(canvasElement, 'Starter') as HTMLElement).click();
    await expectState(canvasElement, 'pricing-table-change', 'ready');
    await expect(part(canvasElement, 'pricing-table-change-question')).not.toBeEmptyDOMElement();
  },
};

/** The hosted example; the browser would leave for Stripe's page, so the story shows where. */
function HostedCheckout() {
  const [url, setUrl] = useState<string | null>(null);
  return (
    <>
      <HostedPricingTable navigate={setUrl} />
      {url ? <p data-testid="navigated">Stripe Checkout: {url}</p> : null}
    </>
  );
}

/**
 * `checkout="hosted"` (examples/pricing-table/hosted.tsx): choosing a plan creates a Checkout
 * Session and leaves for its page.
 */
export const HostedCheckoutRedirect: Story = {
  render: () => <HostedCheckout />,
  play: async ({ canvasElement, canvas, userEvent }) => {
    await expectState(canvasElement, SLOT, 'ready');
    await userEvent.click(canvas.getByRole('button', { name: /Pro/ }));
    await waitFor(() => expect(canvas.getByTestId('navigated')).toHaveTextContent('checkout/cs_'));
    // The story's `navigate` returns (the page stays, as with a router or a new tab): the plans
    // can be chosen again.
    await expectState(canvasElement, SLOT, 'ready');
  },
};

/** Opening Stripe's hosted Checkout (`POST /checkout-sessions` never answers). */
export const HostedCheckoutOpening: Story = {
  render: () => <HostedCheckout />,
  parameters: { msw: [pending('post', '/checkout-sessions')] },
  play: async ({ canvasElement, canvas, userEvent }) => {
    await expectState(canvasElement, SLOT, 'ready');
    await userEvent.click(canvas.getByRole('button', { name: /Pro/ }));
    await expectState(canvasElement, SLOT, 'redirecting');
    await expect(canvas.getByRole('button', { name: /Pro/ })).toHaveAttribute(
      'aria-disabled',
      'true',
    );
  },
};

/** The hosted Checkout could not be opened (`POST /checkout-sessions` answers 500). */
export const HostedCheckoutError: Story = {
  render: () => <HostedCheckout />,
  parameters: { msw: [serverError('post', '/checkout-sessions')] },
  play: async ({ canvasElement, canvas, userEvent }) => {
    await expectState(canvasElement, SLOT, 'ready');
    await userEvent.click(canvas.getByRole('button', { name: /Pro/ }));
    await waitFor(() => expect(canvas.getByRole('alert')).not.toBeEmptyDOMElement());
  },
};

function HeadlessChoice() {
  const [chosen, setChosen] = useState<string | null>(null);
  return (
    <>
      <HeadlessPricing onChoose={(price) => setChosen(price.id)} />
      {chosen ? <p data-testid="chosen">Chosen: {chosen}</p> : null}
    </>
  );
}

/** The hook on plain elements (examples/pricing-table/headless.tsx), with its own `onSelect`. */
export const Headless: Story = {
  render: () => <HeadlessChoice />,
  play: async ({ canvas, userEvent }) => {
    const yearly = await canvas.findByRole('button', { pressed: false }, { timeout: 10_000 });
    await userEvent.click(yearly);
    await expect(canvas.getByRole('button', { pressed: true })).toBeVisible();
    await userEvent.click(canvas.getByRole('button', { name: 'Choose Pro' }));
    await expect(canvas.getByTestId('chosen')).toHaveTextContent('price_pro_yearly');
  },
};
