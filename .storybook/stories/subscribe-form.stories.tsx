/**
 * `SubscribeForm` (examples/subscribe-form/basic.tsx): subscribing the demo customer to a plan the
 * deferred-intent way: nothing exists at Stripe until the customer submits; then
 * `POST /subscriptions`, and the first invoice's payment (or, for a trial, the card's setup) is
 * confirmed against the in-page sandbox. With `promotionCodes`, the customer can apply a code
 * (the sandbox's demo seed has WELCOME10, 10% off the first payment), checked by
 * `POST /subscriptions/preview`.
 */
import type { Meta, StoryContext, StoryObj } from '@storybook/react-vite';
import { formatMoney, SubscribeForm } from '@tillkit/react';
import { expect, waitFor } from 'storybook/test';
import { BasicSubscribeForm } from '../../packages/react/examples/subscribe-form/basic.js';
import { demoServer } from '../mocks/demo-server.js';
import { pending, serverError } from '../mocks/handlers.js';
import { formatMessage, messagesFor } from '../play/messages.js';
import { CARDS, declinedMessage, fillCard, threeDSecureDialog } from '../play/sandbox.js';
import { expectState, expectText, part } from '../play/state.js';

const meta = {
  title: 'Subscriptions/SubscribeForm',
  component: BasicSubscribeForm,
  args: { price: 'price_starter_monthly' },
  argTypes: {
    price: {
      control: 'select',
      options: [
        'price_starter_monthly',
        'price_starter_yearly',
        'price_pro_monthly',
        'price_pro_yearly',
      ],
    },
  },
} satisfies Meta<typeof BasicSubscribeForm>;

export default meta;
type Story = StoryObj<typeof meta>;

const SLOT = 'subscribe-form';
const submit = (canvas: { getByRole(role: 'button'): HTMLElement }) => canvas.getByRole('button');

/** The catalog is loading (`GET /prices` never answers). */
export const Loading: Story = {
  parameters: { msw: [pending('get', '/prices')] },
  play: async ({ canvasElement, canvas }) => {
    await expectState(canvasElement, SLOT, 'loading');
    await expect(submit(canvas)).toBeDisabled();
  },
};

/** Starter, $9.00 a month: the card fields in `subscription` mode, nothing created yet. */
export const Ready: Story = {
  play: async ({ canvasElement, canvas, globals }) => {
    await expectState(canvasElement, SLOT, 'ready');
    await expect(submit(canvas)).toHaveTextContent(messagesFor(globals).subscribe);
  },
};

/** Pro starts with a 14-day trial: nothing is charged today, the card is saved. */
export const Trial: Story = {
  args: { price: 'price_pro_monthly' },
  play: async ({ canvasElement, canvas, globals }) => {
    await expectState(canvasElement, SLOT, 'ready');
    await expect(submit(canvas)).toHaveTextContent(messagesFor(globals).startTrial);
  },
};

/** Subscribing: the server is creating the subscription (`POST /subscriptions` never answers). */
export const Submitting: Story = {
  parameters: { msw: [pending('post', '/subscriptions')] },
  play: async ({ canvasElement, canvas, userEvent, globals }) => {
    await expectState(canvasElement, SLOT, 'ready');
    await fillCard(canvasElement, CARDS.visa);
    await userEvent.click(submit(canvas));
    await expectState(canvasElement, SLOT, 'submitting');
    await expect(submit(canvas)).toHaveTextContent(messagesFor(globals).processing);
  },
};

/** The first payment is declined (4000 0000 0000 0002); the next card pays the same invoice. */
export const Declined: Story = {
  play: async ({ canvasElement, canvas, userEvent, globals }) => {
    await expectState(canvasElement, SLOT, 'ready');
    await fillCard(canvasElement, CARDS.declined);
    await userEvent.click(submit(canvas));
    await expectState(canvasElement, SLOT, 'failed');
    const alert = canvas.getByRole('alert');
    await waitFor(() => expect(alert).toHaveTextContent(declinedMessage(globals)));
    await waitFor(() => expect(alert).toHaveFocus());
  },
};

/** The bank asks to authenticate the first payment (4000 0027 6000 3184). */
export const ThreeDSecureChallenge: Story = {
  play: async ({ canvasElement, canvas, userEvent }) => {
    await expectState(canvasElement, SLOT, 'ready');
    await fillCard(canvasElement, CARDS.threeDSecure);
    await userEvent.click(submit(canvas));
    await expect((await threeDSecureDialog()).dialog).toBeVisible();
    await expect(part(canvasElement, SLOT)).toHaveAttribute('aria-busy', 'true');
  },
};

/** Subscribed: the first payment went through 3D Secure. */
export const Succeeded: Story = {
  play: async ({ canvasElement, canvas, userEvent, globals }) => {
    await expectState(canvasElement, SLOT, 'ready');
    await fillCard(canvasElement, CARDS.threeDSecure);
    await userEvent.click(submit(canvas));
    (await threeDSecureDialog()).complete();
    await expectState(canvasElement, SLOT, 'succeeded');
    await expect(canvasElement).toHaveTextContent(messagesFor(globals).subscribed);
  },
};

/** The trial started: the card was saved through its SetupIntent, nothing charged. */
export const TrialStarted: Story = {
  args: { price: 'price_pro_monthly' },
  play: async ({ canvasElement, canvas, userEvent }) => {
    await expectState(canvasElement, SLOT, 'ready');
    await fillCard(canvasElement, CARDS.visa);
    await userEvent.click(submit(canvas));
    await expectState(canvasElement, SLOT, 'succeeded');
  },
};

/** The customer already has Starter: the server refuses a second subscription (409). */
export const AlreadySubscribed: Story = {
  loaders: [
    async () => {
      await demoServer().subscribe('price_starter_monthly');
      return {};
    },
  ],
  play: async ({ canvasElement, canvas, userEvent, globals }) => {
    await expectState(canvasElement, SLOT, 'ready');
    await fillCard(canvasElement, CARDS.visa);
    await userEvent.click(submit(canvas));
    await expectState(canvasElement, SLOT, 'failed');
    await expect(canvas.getByRole('alert')).toHaveTextContent(
      messagesFor(globals).alreadySubscribed,
    );
  },
};

/**
 * The customer had Pro's trial before (subscribed, then canceled): the form offers the trial, but
 * the server asks for the first payment. Nothing is charged on "Start free trial"; the form says
 * why and shows the price and "Subscribe", and the next press pays.
 */
export const TrialAlreadyHad: Story = {
  args: { price: 'price_pro_monthly' },
  loaders: [
    async () => {
      const server = demoServer();
      const had = await server.subscribe('price_pro_monthly');
      await server.endSubscription(String(had.id));
      return {};
    },
  ],
  play: async ({ canvasElement, canvas, userEvent, globals }) => {
    const messages = messagesFor(globals);
    await expectState(canvasElement, SLOT, 'ready');
    await expect(submit(canvas)).toHaveTextContent(messages.startTrial);
    await fillCard(canvasElement, CARDS.visa);
    await userEvent.click(submit(canvas));
    await expectState(canvasElement, SLOT, 'failed');
    await expect(canvas.getByRole('alert')).toHaveTextContent(messages.trialUsed);
    await expect(submit(canvas)).toHaveTextContent(messages.subscribe);
    await fillCard(canvasElement, CARDS.visa);
    await userEvent.click(submit(canvas));
    await expectState(canvasElement, SLOT, 'succeeded');
  },
};

/** The server failed (`POST /subscriptions` answers 500): try again. */
export const ServerError: Story = {
  parameters: { msw: [serverError('post', '/subscriptions')] },
  play: async ({ canvasElement, canvas, userEvent, globals }) => {
    await expectState(canvasElement, SLOT, 'ready');
    await fillCard(canvasElement, CARDS.visa);
    await userEvent.click(submit(canvas));
    await expectState(canvasElement, SLOT, 'failed');
    await expect(canvas.getByRole('alert')).toHaveTextContent(messagesFor(globals).genericError);
  },
};

// --- promotion codes ------------------------------------------------------------------------

/** The form with its promotion code field (`promotionCodes`: the demo server takes codes). */
const withPromotionCodes: Pick<Story, 'render'> = {
  render: ({ price = 'price_starter_monthly' }) => (
    <SubscribeForm
      price={price}
      promotionCodes
      onSuccess={(subscription) => console.info('subscribed', subscription.id)}
    />
  ),
};

const PROMOTION = 'subscribe-form-promotion';
const PROMOTION_STATUS = 'subscribe-form-promotion-status';
/** The submit button (the code field has buttons of its own). */
const submitButton = (root: HTMLElement) => part(root, 'subscribe-form-submit') as HTMLElement;
const localeOf = (globals: Record<string, unknown>) =>
  globals.locale === 'de' ? 'de-DE' : 'en-US';

/** Types `code` into the promotion code field and presses "Apply". */
async function applyCode(
  { canvas, userEvent, globals }: Pick<StoryContext, 'canvas' | 'userEvent' | 'globals'>,
  code: string,
): Promise<void> {
  const t = messagesFor(globals);
  await userEvent.type(await canvas.findByLabelText(t.promotionCode), code);
  await userEvent.click(canvas.getByRole('button', { name: t.applyCode }));
}

/** What the status says once WELCOME10 (10% off once) is applied: "…Due today: $8.10". */
function welcomeApplied(globals: Record<string, unknown>, amountDue: number): string {
  const t = messagesFor(globals);
  const locale = localeOf(globals);
  const percent = new Intl.NumberFormat(locale, { style: 'percent' }).format(0.1);
  const terms = formatMessage(t.codeApplied, {
    code: 'WELCOME10',
    off: formatMessage(t.percentOff, { percent }),
    duration: t.durationOnce,
  });
  const due = formatMessage(t.dueToday, { amount: formatMoney(amountDue, 'usd', locale) });
  return `${terms}. ${due}`;
}

/** The demo customer's subscriptions as the sandbox holds them, newest first. */
async function sandboxSubscriptions(): Promise<
  Array<{ status: string; metadata: Record<string, string>; latest_invoice: string }>
> {
  const server = demoServer();
  const list = await server.stripe(
    '/v1/subscriptions',
    { customer: await server.customer(), status: 'all' },
    'GET',
  );
  return list.data as never;
}

/** Starter with its promotion code field: "Promotion code", "Apply", nothing applied yet. */
export const WithPromotionCodeField: Story = {
  ...withPromotionCodes,
  play: async ({ canvasElement, canvas, globals }) => {
    const t = messagesFor(globals);
    await expectState(canvasElement, SLOT, 'ready');
    await expect(part(canvasElement, PROMOTION)).toHaveAttribute('data-state', 'none');
    const field = canvas.getByLabelText(t.promotionCode);
    await expect(field).toHaveValue('');
    await expect(field).toHaveAttribute('aria-invalid', 'false');
    await expect(canvas.getByRole('button', { name: t.applyCode })).toBeEnabled();
    await expect(part(canvasElement, PROMOTION_STATUS)).toBeEmptyDOMElement();
    await expect(submitButton(canvasElement)).toHaveTextContent(t.subscribe);
  },
};

/**
 * WELCOME10 applied: the server's preview says what it takes off and what is due today ($8.10
 * instead of $9.00); focus moves to "Remove", which brings the field back.
 */
export const PromotionCodeApplied: Story = {
  ...withPromotionCodes,
  play: async (context) => {
    const { canvasElement, canvas, userEvent, globals } = context;
    const t = messagesFor(globals);
    await expectState(canvasElement, SLOT, 'ready');
    // Stripe matches codes regardless of case; the status shows the store's spelling.
    await applyCode(context, 'welcome10');
    await waitFor(() =>
      expect(part(canvasElement, PROMOTION)).toHaveAttribute('data-state', 'applied'),
    );
    await expectText(canvasElement, PROMOTION_STATUS, () => welcomeApplied(globals, 810));
    const remove = canvas.getByRole('button', { name: t.removeCode });
    await waitFor(() => expect(remove).toHaveFocus());
    await expect(canvas.queryByLabelText(t.promotionCode)).toBeNull();
    await userEvent.click(remove);
    await waitFor(() => expect(canvas.getByLabelText(t.promotionCode)).toHaveFocus());
    await expect(part(canvasElement, PROMOTION_STATUS)).toBeEmptyDOMElement();
  },
};

/**
 * A code the store does not have (NOPE): the server refuses it (`promotion_code_invalid`), the
 * field is marked invalid and described by the reason, and keeps the focus.
 */
export const PromotionCodeRefused: Story = {
  ...withPromotionCodes,
  play: async (context) => {
    const { canvasElement, canvas, globals } = context;
    const t = messagesFor(globals);
    await expectState(canvasElement, SLOT, 'ready');
    await applyCode(context, 'NOPE');
    await expectText(canvasElement, PROMOTION_STATUS, () => t.promotionCodeInvalid);
    const field = canvas.getByLabelText(t.promotionCode);
    await expect(field).toHaveAttribute('aria-invalid', 'true');
    await expect(field).toHaveAccessibleDescription(t.promotionCodeInvalid);
    await waitFor(() => expect(field).toHaveFocus());
    await expect(part(canvasElement, PROMOTION)).toHaveAttribute('data-state', 'invalid');
  },
};

/**
 * A code typed but not applied: Subscribe stops and says to apply it or clear it (nothing is made,
 * no amount charged unseen); cleared, the form is ready again at the full price.
 */
export const PromotionCodeNotApplied: Story = {
  ...withPromotionCodes,
  play: async ({ canvasElement, canvas, userEvent, globals }) => {
    const t = messagesFor(globals);
    await expectState(canvasElement, SLOT, 'ready');
    await fillCard(canvasElement, CARDS.visa);
    await userEvent.type(canvas.getByLabelText(t.promotionCode), 'WELCOME10');
    await userEvent.click(submitButton(canvasElement));
    await expectState(canvasElement, SLOT, 'failed');
    await expectText(canvasElement, 'subscribe-form-error', () => t.promotionCodeNotApplied);
    await expect(await sandboxSubscriptions()).toEqual([]);
    await userEvent.clear(canvas.getByLabelText(t.promotionCode));
    await expect(submitButton(canvasElement)).toBeEnabled();
  },
};

/**
 * A code the sandbox refuses for this customer (FRIEND10, restricted to another customer): found,
 * but Stripe's preview with it as `discounts` fails, and the server answers
 * `promotion_code_invalid`, as for an unknown code.
 */
export const PromotionCodeNotForThisCustomer: Story = {
  ...withPromotionCodes,
  loaders: [
    async () => {
      const server = demoServer();
      const someoneElse = await server.stripe('/v1/customers', { email: 'friend@tillkit.test' });
      await server.stripe('/v1/promotion_codes', {
        'promotion[type]': 'coupon',
        'promotion[coupon]': 'tillkit_welcome10',
        code: 'FRIEND10',
        customer: String(someoneElse.id),
      });
      return {};
    },
  ],
  play: async (context) => {
    const { canvasElement, canvas, globals } = context;
    const t = messagesFor(globals);
    await expectState(canvasElement, SLOT, 'ready');
    await applyCode(context, 'FRIEND10');
    await expectText(canvasElement, PROMOTION_STATUS, () => t.promotionCodeInvalid);
    await expect(canvas.getByLabelText(t.promotionCode)).toHaveAttribute('aria-invalid', 'true');
  },
};

/**
 * Pro's trial with WELCOME10: nothing is due today, and the code takes its part off the first
 * payment after the trial.
 */
export const PromotionCodeOnTrial: Story = {
  ...withPromotionCodes,
  args: { price: 'price_pro_monthly' },
  play: async (context) => {
    const { canvasElement, globals } = context;
    await expectState(canvasElement, SLOT, 'ready');
    await applyCode(context, 'WELCOME10');
    await expectText(canvasElement, PROMOTION_STATUS, () => welcomeApplied(globals, 0));
    await expect(submitButton(canvasElement)).toHaveTextContent(messagesFor(globals).startTrial);
  },
};

/**
 * Subscribed with WELCOME10 (4242 4242 4242 4242): the first invoice paid $8.10, and the
 * subscription keeps the code's id, as the server's do.
 */
export const SubscribedWithPromotionCode: Story = {
  ...withPromotionCodes,
  play: async (context) => {
    const { canvasElement, userEvent, globals } = context;
    await expectState(canvasElement, SLOT, 'ready');
    await applyCode(context, 'WELCOME10');
    await expectText(canvasElement, PROMOTION_STATUS, () => welcomeApplied(globals, 810));
    await expectState(canvasElement, SLOT, 'ready');
    await fillCard(canvasElement, CARDS.visa);
    await userEvent.click(submitButton(canvasElement));
    await expectState(canvasElement, SLOT, 'succeeded');
    await expect(canvasElement).toHaveTextContent(messagesFor(globals).subscribed);
    const [subscription, ...others] = await sandboxSubscriptions();
    await expect(others).toEqual([]);
    await expect(subscription?.status).toBe('active');
    await expect(subscription?.metadata.tillkit_promotion_code).toMatch(/^promo_/);
    const invoice = await demoServer().stripe(
      `/v1/invoices/${subscription?.latest_invoice}`,
      {},
      'GET',
    );
    await expect(invoice).toMatchObject({ status: 'paid', amount_paid: 810 });
  },
};

/**
 * Declined at the full price, then WELCOME10 applied and another card: the code makes it another
 * subscription (the server answers the unpaid one again only for the same price, quantity and
 * code), so the unpaid one is canceled and the new one is paid $8.10.
 */
export const PromotionCodeAfterDecline: Story = {
  ...withPromotionCodes,
  play: async (context) => {
    const { canvasElement, userEvent, globals } = context;
    await expectState(canvasElement, SLOT, 'ready');
    await fillCard(canvasElement, CARDS.declined);
    await userEvent.click(submitButton(canvasElement));
    await expectState(canvasElement, SLOT, 'failed');
    await applyCode(context, 'WELCOME10');
    await expectText(canvasElement, PROMOTION_STATUS, () => welcomeApplied(globals, 810));
    await fillCard(canvasElement, CARDS.visa);
    await userEvent.click(submitButton(canvasElement));
    await expectState(canvasElement, SLOT, 'succeeded');
    const [paid, unpaid, ...others] = await sandboxSubscriptions();
    await expect(others).toEqual([]);
    await expect(paid?.status).toBe('active');
    await expect(paid?.metadata.tillkit_promotion_code).toMatch(/^promo_/);
    await expect(unpaid?.status).not.toBe('active');
    await expect(unpaid?.metadata.tillkit_promotion_code).toBeUndefined();
    const invoice = await demoServer().stripe(`/v1/invoices/${paid?.latest_invoice}`, {}, 'GET');
    await expect(invoice).toMatchObject({ status: 'paid', amount_paid: 810 });
  },
};
