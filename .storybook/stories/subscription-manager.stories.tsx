/**
 * `SubscriptionManager`: the demo customer's subscriptions, made in each story's loader through the
 * in-page sandbox (its test clock moves time for the failed renewals), then cancelled, resumed,
 * changed or fixed in place as a customer would.
 */
import type { Meta, StoryObj } from '@storybook/react-vite';
import { formatMoney, SubscriptionManager } from '@tillkit/react';
import { useState } from 'react';
import { expect, waitFor, within } from 'storybook/test';
import { AccountSubscriptions } from '../../packages/react/examples/subscription-manager/account.js';
import { demoServer, trialWaitingForCard } from '../mocks/demo-server.js';
import { pending, serverError, serverErrorWhile } from '../mocks/handlers.js';
import { formatMessage, messagesFor } from '../play/messages.js';
import { CARDS, declinedMessage, fillCard, threeDSecureDialog } from '../play/sandbox.js';
import { expectState, expectText, part } from '../play/state.js';

const meta = {
  title: 'Subscriptions/SubscriptionManager',
  component: SubscriptionManager,
} satisfies Meta<typeof SubscriptionManager>;

export default meta;
type Story = StoryObj<typeof meta>;

const SLOT = 'subscription-manager';
const items = (root: HTMLElement) => [
  ...root.querySelectorAll<HTMLElement>('[data-slot="subscription-manager-item"]'),
];

/**
 * A pending payment went through: the status region says so, and focus, which was in the pending
 * block (gone now), is on the manager's root.
 */
async function expectPaymentWentThrough(
  canvasElement: HTMLElement,
  globals: Record<string, unknown>,
): Promise<void> {
  await waitFor(() => expect(part(canvasElement, 'subscription-manager-pending')).toBeNull());
  await expect(within(canvasElement).getByRole('status')).toHaveTextContent(
    formatMessage(messagesFor(globals).paymentWentThrough, { plan: 'Starter' }),
  );
  await waitFor(() => expect(part(canvasElement, SLOT)).toHaveFocus());
}

/** The `{date}` in the first subscription's date label ("Ends on June 1, 2026": "June 1, 2026"). */
function dateIn(canvasElement: HTMLElement, template: string): string {
  const [before = '', after = ''] = template.split('{date}');
  const text = part(canvasElement, 'subscription-manager-date')?.textContent ?? '';
  return text.slice(before.length, text.length - after.length);
}

/** Waits until the status region says `notice`. */
const expectNotice = (canvasElement: HTMLElement, notice: () => string) =>
  expectText(canvasElement, 'subscription-manager-status', notice);

/** Starter, active and paid monthly. */
const active = async () => {
  await demoServer().subscribe('price_starter_monthly');
  return {};
};

/** Starter (active) and Pro (in its 14-day trial). */
const activeAndTrial = async () => {
  await demoServer().subscribe('price_starter_monthly');
  await demoServer().subscribe('price_pro_monthly');
  return {};
};

/** Reading the subscriptions (`GET /subscriptions` never answers). */
export const Loading: Story = {
  parameters: { msw: [pending('get', '/subscriptions')] },
  play: async ({ canvasElement, canvas, globals }) => {
    await expectState(canvasElement, SLOT, 'loading');
    await expect(canvas.getByRole('status')).toHaveTextContent(messagesFor(globals).loading);
  },
};

/** An active plan and a trial, with their dates and actions. */
export const Ready: Story = {
  loaders: [activeAndTrial],
  play: async ({ canvasElement }) => {
    await expectState(canvasElement, SLOT, 'ready');
    const states = items(canvasElement).map((item) => item.dataset.state);
    await expect(states.sort()).toEqual(['active', 'trialing']);
  },
};

/** No subscription yet. */
export const Empty: Story = {
  play: async ({ canvasElement, canvas, globals }) => {
    await expectState(canvasElement, SLOT, 'empty');
    await expect(canvas.getByRole('status')).toHaveTextContent(
      messagesFor(globals).noSubscriptions,
    );
  },
};

/** "Cancel subscription" asks first; focus on "Keep subscription". */
export const CancelConfirmation: Story = {
  loaders: [active],
  play: async ({ canvasElement, canvas, userEvent, globals }) => {
    const t = messagesFor(globals);
    await expectState(canvasElement, SLOT, 'ready');
    await userEvent.click(canvas.getByRole('button', { name: t.cancelSubscription }));
    const dialog = await canvas.findByRole('alertdialog');
    await expect(within(dialog).getByRole('button', { name: t.keepSubscription })).toHaveFocus();
  },
};

/**
 * Cancelled at the end of the period: still active until then, and can be resumed; the status
 * region says until when.
 */
export const Canceling: Story = {
  loaders: [active],
  play: async ({ canvasElement, canvas, userEvent, globals }) => {
    const t = messagesFor(globals);
    await expectState(canvasElement, SLOT, 'ready');
    await userEvent.click(canvas.getByRole('button', { name: t.cancelSubscription }));
    const dialog = await canvas.findByRole('alertdialog');
    await userEvent.click(within(dialog).getByRole('button', { name: t.cancelSubscription }));
    await waitFor(() => expect(items(canvasElement)[0]).toHaveAttribute('data-state', 'canceling'));
    await waitFor(() =>
      expect(canvas.getByRole('button', { name: t.resumeSubscription })).toBeEnabled(),
    );
    await expectNotice(canvasElement, () =>
      formatMessage(t.subscriptionCanceled, {
        plan: 'Starter',
        date: dateIn(canvasElement, t.endsOn),
      }),
    );
  },
};

/** Resumed: a cancellation at period end undone; the status region says when it renews. */
export const Resumed: Story = {
  loaders: [
    async () => {
      await demoServer().subscribe('price_starter_monthly', { cancelAtPeriodEnd: true });
      return {};
    },
  ],
  play: async ({ canvasElement, canvas, userEvent, globals }) => {
    const t = messagesFor(globals);
    await expectState(canvasElement, SLOT, 'ready');
    await expect(items(canvasElement)[0]).toHaveAttribute('data-state', 'canceling');
    await userEvent.click(canvas.getByRole('button', { name: t.resumeSubscription }));
    await waitFor(() => expect(items(canvasElement)[0]).toHaveAttribute('data-state', 'active'));
    await expectNotice(canvasElement, () =>
      formatMessage(t.subscriptionResumed, {
        plan: 'Starter',
        date: dateIn(canvasElement, t.renewsOn),
      }),
    );
  },
};

/** Chooses Starter yearly in "New plan" and presses "Change plan"; answers the option's label. */
async function askToChangeToYearly({
  canvas,
  userEvent,
  globals,
}: Parameters<NonNullable<Story['play']>>[0]): Promise<string> {
  const t = messagesFor(globals);
  const select = canvas.getByRole('combobox', { name: t.newPlan }) as HTMLSelectElement;
  const yearly = [...select.options].find((option) => option.value === 'price_starter_yearly');
  await userEvent.selectOptions(select, yearly?.value ?? '');
  await userEvent.click(canvas.getByRole('button', { name: t.changePlan }));
  return yearly?.textContent ?? '';
}

/**
 * "Change plan" first says what the change charges: Starter monthly to Starter yearly, a new
 * (yearly) period paid now, less the unused month; focus on "Keep current plan".
 */
export const ChangePlanConfirmation: Story = {
  loaders: [active],
  play: async (context) => {
    const { canvasElement, canvas, globals } = context;
    const t = messagesFor(globals);
    await expectState(canvasElement, SLOT, 'ready');
    const chosen = await askToChangeToYearly(context);
    const dialog = await canvas.findByRole('alertdialog');
    await expect(dialog).toHaveAttribute('data-slot', 'subscription-manager-confirm-change');
    await expect(dialog.textContent).toContain(
      formatMessage(t.changeQuestion, { plan: 'Starter', newPlan: chosen }),
    );
    // It opens once the server answered: focus moves after React's effects, a moment later.
    const keep = within(dialog).getByRole('button', { name: t.keepPlan });
    await waitFor(() => expect(keep).toHaveFocus());
    await expect(part(canvasElement, 'subscription-manager-change')).toHaveAttribute(
      'data-state',
      'ready',
    );
  },
};

/**
 * Changing plan: Starter monthly to Starter yearly, confirmed; the server charges what the step
 * said, and the status region names the plan chosen.
 */
export const ChangePlan: Story = {
  loaders: [active],
  play: async (context) => {
    const { canvasElement, canvas, userEvent, globals } = context;
    const t = messagesFor(globals);
    await expectState(canvasElement, SLOT, 'ready');
    const before = items(canvasElement)[0]?.textContent;
    const chosen = await askToChangeToYearly(context);
    const dialog = await canvas.findByRole('alertdialog');
    const said = dialog.textContent ?? '';
    await userEvent.click(within(dialog).getByRole('button', { name: t.confirmChange }));
    await waitFor(() => expect(items(canvasElement)[0]?.textContent).not.toBe(before));
    await expectNotice(canvasElement, () =>
      formatMessage(t.planChanged, { plan: 'Starter', newPlan: chosen }),
    );
    const { data } = await demoServer().stripe('/v1/invoices', { limit: '1' }, 'GET');
    const [invoice] = data as Array<{ billing_reason: string; amount_paid: number }>;
    await expect(invoice?.billing_reason).toBe('subscription_update');
    const locale = globals.locale === 'de' ? 'de-DE' : 'en-US';
    await expect(said).toContain(formatMoney(invoice?.amount_paid ?? -1, 'usd', locale));
  },
};

/** Whether the server's change preview fails (set by the story's loader, cleared by its play). */
let previewFails = false;

/**
 * What the change charges could not be read: the reason in the alert (focused), nothing changed,
 * and "Try again" reads it again and opens the confirmation.
 */
export const ChangePlanPreviewFailed: Story = {
  loaders: [
    active,
    async () => {
      previewFails = true;
      return {};
    },
  ],
  parameters: {
    msw: [serverErrorWhile('post', '/subscriptions/:id/change-preview', () => previewFails)],
  },
  play: async (context) => {
    const { canvasElement, canvas, userEvent, globals } = context;
    const t = messagesFor(globals);
    await expectState(canvasElement, SLOT, 'ready');
    await askToChangeToYearly(context);
    const alert = canvas.getByRole('alert');
    await waitFor(() => expect(alert).toHaveTextContent(t.genericError));
    await waitFor(() => expect(alert).toHaveFocus());
    await expect(canvas.queryByRole('alertdialog')).toBeNull();
    previewFails = false;
    await userEvent.click(canvas.getByRole('button', { name: t.tryAgain }));
    const dialog = await canvas.findByRole('alertdialog');
    // It opens once the server answered: focus moves after React's effects, a moment later.
    const keep = within(dialog).getByRole('button', { name: t.keepPlan });
    await waitFor(() => expect(keep).toHaveFocus());
    await expect(canvas.queryByRole('button', { name: t.tryAgain })).toBeNull();
  },
};

/** A renewal asked for 3D Secure: past due, with "Confirm payment" in place. */
export const PastDueAuthenticate: Story = {
  loaders: [
    async () => {
      const subscription = await demoServer().subscribe('price_starter_monthly');
      await demoServer().failRenewal(String(subscription.id), 'pm_card_authenticationRequired');
      return {};
    },
  ],
  play: async ({ canvasElement, canvas, globals }) => {
    await expectState(canvasElement, SLOT, 'ready');
    await expect(items(canvasElement)[0]).toHaveAttribute('data-state', 'past_due');
    await expectState(canvasElement, 'authenticate-payment', 'requires_action');
    await expect(
      canvas.getByRole('button', { name: messagesFor(globals).authenticate }),
    ).toBeEnabled();
  },
};

/** The customer authenticated the renewal: paid, active again, and the manager says so. */
export const PastDueAuthenticated: Story = {
  loaders: PastDueAuthenticate.loaders,
  play: async ({ canvasElement, canvas, userEvent, globals }) => {
    await expectState(canvasElement, 'authenticate-payment', 'requires_action');
    await userEvent.click(canvas.getByRole('button', { name: messagesFor(globals).authenticate }));
    (await threeDSecureDialog()).complete();
    await waitFor(() => expect(items(canvasElement)[0]).toHaveAttribute('data-state', 'active'), {
      timeout: 10_000,
    });
    await expectPaymentWentThrough(canvasElement, globals);
  },
};

/** The bank's 3D Secure challenge for the renewal is open; the manager waits for it. */
export const PastDueThreeDSecureChallenge: Story = {
  loaders: PastDueAuthenticate.loaders,
  play: async ({ canvasElement, canvas, userEvent, globals }) => {
    const t = messagesFor(globals);
    await expectState(canvasElement, 'authenticate-payment', 'requires_action');
    await userEvent.click(canvas.getByRole('button', { name: t.authenticate }));
    await expect((await threeDSecureDialog()).dialog).toBeVisible();
    await expectState(canvasElement, 'authenticate-payment', 'submitting');
    await expect(part(canvasElement, 'authenticate-payment-message')).toHaveTextContent(
      t.authenticating,
    );
    await expect(items(canvasElement)[0]).toHaveAttribute('data-state', 'past_due');
  },
};

/**
 * The customer failed the renewal's 3D Secure: the bank's reason (focused), and another card
 * offered at once for the same invoice.
 */
export const PastDueAuthenticationFailed: Story = {
  loaders: PastDueAuthenticate.loaders,
  play: async ({ canvasElement, canvas, userEvent, globals }) => {
    const t = messagesFor(globals);
    await expectState(canvasElement, 'authenticate-payment', 'requires_action');
    await userEvent.click(canvas.getByRole('button', { name: t.authenticate }));
    (await threeDSecureDialog()).fail();
    await expectState(canvasElement, 'subscription-manager-pending', 'new_card');
    const alert = part(canvasElement, 'authenticate-payment-error');
    await waitFor(() => expect(alert).not.toBeEmptyDOMElement());
    await waitFor(() => expect(alert).toHaveFocus());
    await expect(
      canvas.getByText(formatMessage(t.paymentFailed, { plan: 'Starter' })),
    ).toBeVisible();
    await expectState(canvasElement, 'pay-with-new-card', 'ready');
    await expect(canvas.getByRole('button', { name: t.payNow })).toBeEnabled();
    await expect(canvas.queryByRole('button', { name: t.authenticate })).toBeNull();
  },
};

/** A renewal was declined: past due, with the card fields to pay with another card. */
export const PastDueNewCard: Story = {
  loaders: [
    async () => {
      const subscription = await demoServer().subscribe('price_starter_monthly');
      await demoServer().failRenewal(String(subscription.id), 'pm_card_chargeCustomerFail');
      return {};
    },
  ],
  play: async ({ canvasElement }) => {
    await expectState(canvasElement, SLOT, 'ready');
    await expect(items(canvasElement)[0]).toHaveAttribute('data-state', 'past_due');
    await expectState(canvasElement, 'pay-with-new-card', 'ready');
  },
};

/** The other card was declined too (4000 0000 0000 0002): Stripe's reason, focused; the form stays. */
export const PastDueNewCardDeclined: Story = {
  loaders: PastDueNewCard.loaders,
  play: async ({ canvasElement, canvas, userEvent, globals }) => {
    const t = messagesFor(globals);
    await expectState(canvasElement, 'pay-with-new-card', 'ready');
    await fillCard(canvasElement, CARDS.declined);
    await userEvent.click(canvas.getByRole('button', { name: t.payNow }));
    await expectState(canvasElement, 'pay-with-new-card', 'failed');
    const alert = part(canvasElement, 'pay-with-new-card-error');
    await waitFor(() => expect(alert).toHaveTextContent(declinedMessage(globals)));
    await waitFor(() => expect(alert).toHaveFocus());
    await expect(canvas.getByRole('button', { name: t.payNow })).toBeEnabled();
    await expect(items(canvasElement)[0]).toHaveAttribute('data-state', 'past_due');
  },
};

/**
 * Paid the open invoice with another card (4242 4242 4242 4242): active again, and the manager
 * says so.
 */
export const PastDuePaidWithNewCard: Story = {
  loaders: PastDueNewCard.loaders,
  play: async ({ canvasElement, canvas, userEvent, globals }) => {
    await expectState(canvasElement, 'pay-with-new-card', 'ready');
    await fillCard(canvasElement, CARDS.visa);
    await userEvent.click(canvas.getByRole('button', { name: messagesFor(globals).payNow }));
    await waitFor(() => expect(items(canvasElement)[0]).toHaveAttribute('data-state', 'active'), {
      timeout: 10_000,
    });
    await expectPaymentWentThrough(canvasElement, globals);
  },
};

/**
 * Pro in its 14-day trial with no card for its renewals yet (its SetupIntent unconfirmed): the
 * badge stays "Trial", and a block asks for a card before the trial ends (`save_card`). Saving
 * one (4242 4242 4242 4242) confirms the trial's SetupIntent: the block goes, the status region
 * says the card is saved, and focus is on the manager's root.
 */
export const TrialWaitingForCard: Story = {
  loaders: [trialWaitingForCard],
  play: async ({ canvasElement, canvas, userEvent, globals }) => {
    const t = messagesFor(globals);
    await expectState(canvasElement, SLOT, 'ready');
    await expect(items(canvasElement)[0]).toHaveAttribute('data-state', 'trialing');
    await expectState(canvasElement, 'subscription-manager-pending', 'save_card');
    await expect(part(canvasElement, 'subscription-manager-pending')).toHaveTextContent(
      formatMessage(t.saveCardForTrial, {
        plan: 'Pro',
        date: dateIn(canvasElement, t.trialEndsOn),
      }),
    );
    await expectState(canvasElement, 'save-card-form', 'ready');
    await fillCard(canvasElement, CARDS.visa);
    await userEvent.click(canvas.getByRole('button', { name: t.saveCard }));
    await waitFor(() => expect(part(canvasElement, 'subscription-manager-pending')).toBeNull(), {
      timeout: 10_000,
    });
    await expect(within(canvasElement).getByRole('status')).toHaveTextContent(
      formatMessage(t.cardSavedFor, { plan: 'Pro' }),
    );
    await waitFor(() => expect(part(canvasElement, SLOT)).toHaveFocus());
    await expect(items(canvasElement)[0]).toHaveAttribute('data-state', 'trialing');
  },
};

/** The subscriptions could not be read (`GET /subscriptions` answers 500): "Try again". */
export const ServerError: Story = {
  parameters: { msw: [serverError('get', '/subscriptions')] },
  play: async ({ canvasElement, canvas, globals }) => {
    await expectState(canvasElement, SLOT, 'failed');
    await expect(canvas.getByRole('alert')).not.toBeEmptyDOMElement();
    await expect(canvas.getByRole('button', { name: messagesFor(globals).tryAgain })).toBeEnabled();
  },
};

/** Whether the server's `GET /subscriptions` fails (set by the story's loader, cleared by its play). */
let readFails = false;

/** "Try again" after a server error reads the subscriptions again: the list, once it answers. */
export const TryAgain: Story = {
  loaders: [
    active,
    async () => {
      readFails = true;
      return {};
    },
  ],
  parameters: {
    msw: [serverErrorWhile('get', '/subscriptions', () => readFails)],
  },
  play: async ({ canvasElement, canvas, userEvent, globals }) => {
    await expectState(canvasElement, SLOT, 'failed');
    readFails = false;
    await userEvent.click(canvas.getByRole('button', { name: messagesFor(globals).tryAgain }));
    await expectState(canvasElement, SLOT, 'ready');
    await expect(items(canvasElement)).toHaveLength(1);
    await expect(canvas.getByRole('alert')).toBeEmptyDOMElement();
    await expect(canvas.queryByRole('button', { name: messagesFor(globals).tryAgain })).toBeNull();
  },
};

/**
 * The catalog could not be read (`GET /prices` answers 500): the subscription still shows, without
 * its price and "Change plan"; the status region says so, with "Try again".
 */
export const CatalogError: Story = {
  loaders: [active],
  parameters: { msw: [serverError('get', '/prices')] },
  play: async ({ canvasElement, canvas, globals }) => {
    const t = messagesFor(globals);
    await expectState(canvasElement, SLOT, 'ready');
    await expect(items(canvasElement)).toHaveLength(1);
    await expect(part(canvasElement, 'subscription-manager-status')).toHaveTextContent(
      t.plansNotLoaded,
    );
    await expect(canvas.getByRole('alert')).toBeEmptyDOMElement();
    await expect(canvas.queryByRole('combobox', { name: t.newPlan })).toBeNull();
    await expect(canvas.getByRole('button', { name: t.tryAgain })).toBeEnabled();
  },
};

/** Whether the server's `GET /prices` fails (set by the story's loader, cleared by its play). */
let pricesFail = false;

/**
 * "Try again" after the catalog could not be read: the list stays, focus moves to the manager's
 * root, and the price and "Change plan" appear once the catalog answers.
 */
export const CatalogTryAgain: Story = {
  loaders: [
    active,
    async () => {
      pricesFail = true;
      return {};
    },
  ],
  parameters: {
    msw: [serverErrorWhile('get', '/prices', () => pricesFail)],
  },
  play: async ({ canvasElement, canvas, userEvent, globals }) => {
    const t = messagesFor(globals);
    const retry = await canvas.findByRole('button', { name: t.tryAgain });
    pricesFail = false;
    await userEvent.click(retry);
    await waitFor(() => expect(part(canvasElement, SLOT)).toHaveFocus());
    await expect(await canvas.findByRole('combobox', { name: t.newPlan })).toBeEnabled();
    await expect(part(canvasElement, 'subscription-manager-price')).not.toBeNull();
    await expect(part(canvasElement, 'subscription-manager-status')).toBeEmptyDOMElement();
    await expect(canvas.queryByRole('button', { name: t.tryAgain })).toBeNull();
  },
};

/**
 * Cancelling failed on the server: nothing changed, the reason in the alert (focused), and nothing
 * in the status region.
 */
export const CancelFailed: Story = {
  loaders: [active],
  parameters: { msw: [serverError('post', '/subscriptions/:id/cancel')] },
  play: async ({ canvasElement, canvas, userEvent, globals }) => {
    const t = messagesFor(globals);
    await expectState(canvasElement, SLOT, 'ready');
    await userEvent.click(canvas.getByRole('button', { name: t.cancelSubscription }));
    const dialog = await canvas.findByRole('alertdialog');
    await userEvent.click(within(dialog).getByRole('button', { name: t.cancelSubscription }));
    const alert = canvas.getByRole('alert');
    await waitFor(() => expect(alert).toHaveTextContent(t.genericError));
    await waitFor(() => expect(alert).toHaveFocus());
    await expect(items(canvasElement)[0]).toHaveAttribute('data-state', 'active');
    await expect(part(canvasElement, 'subscription-manager-status')).toBeEmptyDOMElement();
  },
};

function Account() {
  const [url, setUrl] = useState<string | null>(null);
  return (
    <>
      <AccountSubscriptions navigate={setUrl} />
      {url ? <p data-testid="navigated">Customer portal: {url}</p> : null}
    </>
  );
}

/**
 * An account page (examples/subscription-manager/account.tsx): the subscriptions and the billing
 * portal's button, which would leave for Stripe's portal (the story shows where).
 */
export const AccountPage: Story = {
  loaders: [activeAndTrial],
  render: () => <Account />,
  play: async ({ canvasElement, canvas, userEvent, globals }) => {
    await expectState(canvasElement, SLOT, 'ready');
    await userEvent.click(canvas.getByRole('button', { name: messagesFor(globals).manageBilling }));
    await waitFor(() =>
      expect(canvas.getByTestId('navigated')).toHaveTextContent('billing_portal/bps_'),
    );
  },
};
