/**
 * customer_sessions: create. A Customer Session hands Stripe.js a client secret that grants access
 * to one customer's saved payment methods for 30 minutes (the Payment Element lists them).
 * @see https://docs.stripe.com/api/customer_sessions
 */
import type Stripe from 'stripe';
import { invalidRequest } from '../core/errors.js';
import { randomString } from '../core/ids.js';
import { bool, int, oneOf, params, str, z } from '../core/params.js';
import type { RequestContext, Route } from '../core/route.js';
import type { SandboxCore } from '../core/sandbox.js';
import { findCustomer } from './customers.js';

/** How long a Customer Session's client secret works: 30 minutes, as on Stripe. */
export const CUSTOMER_SESSION_LIFETIME_SECONDS = 30 * 60;

const redisplayFilters = () => z.array(oneOf(['always', 'limited', 'unspecified']));
const enabledDisabled = () => oneOf(['enabled', 'disabled']);

const enabledOnly = z.strictObject({ enabled: bool() });

const paymentElementShape = z.strictObject({
  enabled: bool(),
  features: z
    .strictObject({
      payment_method_allow_redisplay_filters: redisplayFilters().optional(),
      payment_method_redisplay: enabledDisabled().optional(),
      payment_method_redisplay_limit: int()
        .pipe(
          z
            .number()
            .min(1, { error: 'This value must be greater than or equal to 1.' })
            .max(10, { error: 'This value must be less than or equal to 10.' }),
        )
        .optional(),
      payment_method_remove: enabledDisabled().optional(),
      payment_method_save: enabledDisabled().optional(),
      payment_method_save_usage: oneOf(['off_session', 'on_session']).optional(),
    })
    .optional(),
});

const customerSheetShape = z.strictObject({
  enabled: bool(),
  features: z
    .strictObject({
      payment_method_allow_redisplay_filters: redisplayFilters().optional(),
      payment_method_remove: enabledDisabled().optional(),
    })
    .optional(),
});

const mobilePaymentElementShape = z.strictObject({
  enabled: bool(),
  features: z
    .strictObject({
      payment_method_allow_redisplay_filters: redisplayFilters().optional(),
      payment_method_redisplay: enabledDisabled().optional(),
      payment_method_remove: enabledDisabled().optional(),
      payment_method_save: enabledDisabled().optional(),
      payment_method_save_allow_redisplay_override: oneOf([
        'always',
        'limited',
        'unspecified',
      ]).optional(),
    })
    .optional(),
});

const createSchema = params({
  // Optional in stripe-node (an Accounts v2 `customer_account` may stand in); the sandbox has no
  // Accounts v2, so a customer is required below.
  customer: str().optional(),
  customer_account: str().optional(),
  components: z.strictObject({
    active_entitlements: enabledOnly.optional(),
    buy_button: enabledOnly.optional(),
    customer_portal: enabledOnly.optional(),
    customer_sheet: customerSheetShape.optional(),
    mobile_payment_element: mobilePaymentElementShape.optional(),
    payment_element: paymentElementShape.optional(),
    pricing_table: enabledOnly.optional(),
  }),
});

type CreateInput = z.output<typeof createSchema>;

/** What the sandbox keeps for a session: the object and nothing else (it has no id on Stripe). */
function sessionKey(clientSecret: string): string {
  return `customer_session:${clientSecret}`;
}

/**
 * The Customer Session a client secret names, whether or not it has expired; undefined for an
 * unknown secret.
 */
export function findCustomerSession(
  sandbox: SandboxCore,
  clientSecret: string,
): Stripe.CustomerSession | undefined {
  return sandbox.store.getInternal<Stripe.CustomerSession>(sessionKey(clientSecret));
}

/** How long an expired session is still known as expired (not unknown) before it is forgotten. */
const KEEP_EXPIRED_SECONDS = 24 * 60 * 60;

/**
 * Forgets the sessions that expired more than a day before `now`, so that a long-running sandbox
 * (a form makes one per visit) does not grow without end.
 */
function forgetOldSessions(sandbox: SandboxCore, now: number): void {
  for (const [key, value] of sandbox.store.internal) {
    if (
      key.startsWith('customer_session:') &&
      (value as Stripe.CustomerSession).expires_at + KEEP_EXPIRED_SECONDS < now
    ) {
      sandbox.store.internal.delete(key);
    }
  }
}

/** Every component with Stripe's defaults filled, as the object returns them. */
function components(input: CreateInput['components']): Stripe.CustomerSession.Components {
  const pe = input.payment_element;
  const sheet = input.customer_sheet;
  const mobile = input.mobile_payment_element;
  return {
    active_entitlements: { enabled: input.active_entitlements?.enabled ?? false },
    buy_button: { enabled: input.buy_button?.enabled ?? false },
    customer_portal: { enabled: input.customer_portal?.enabled ?? false },
    customer_sheet: {
      enabled: sheet?.enabled ?? false,
      features: sheet?.enabled
        ? {
            payment_method_allow_redisplay_filters: sheet.features
              ?.payment_method_allow_redisplay_filters ?? ['always'],
            payment_method_remove: sheet.features?.payment_method_remove ?? 'disabled',
          }
        : null,
    },
    mobile_payment_element: {
      enabled: mobile?.enabled ?? false,
      features: mobile?.enabled
        ? {
            payment_method_allow_redisplay_filters: mobile.features
              ?.payment_method_allow_redisplay_filters ?? ['always'],
            payment_method_redisplay: mobile.features?.payment_method_redisplay ?? 'disabled',
            payment_method_remove: mobile.features?.payment_method_remove ?? 'disabled',
            payment_method_save: mobile.features?.payment_method_save ?? 'disabled',
            payment_method_save_allow_redisplay_override:
              mobile.features?.payment_method_save_allow_redisplay_override ?? null,
          }
        : null,
    },
    payment_element: {
      enabled: pe?.enabled ?? false,
      features: pe?.enabled
        ? {
            payment_method_allow_redisplay_filters: pe.features
              ?.payment_method_allow_redisplay_filters ?? ['always'],
            payment_method_redisplay: pe.features?.payment_method_redisplay ?? 'disabled',
            payment_method_redisplay_limit: pe.features?.payment_method_redisplay_limit ?? 3,
            payment_method_remove: pe.features?.payment_method_remove ?? 'disabled',
            payment_method_save: pe.features?.payment_method_save ?? 'disabled',
            payment_method_save_usage: pe.features?.payment_method_save_usage ?? null,
          }
        : null,
    },
    pricing_table: { enabled: input.pricing_table?.enabled ?? false },
  };
}

function create(ctx: RequestContext): Stripe.CustomerSession {
  const input = ctx.parse(createSchema);
  const { sandbox } = ctx;
  if (input.customer_account !== undefined) {
    throw invalidRequest(
      'The sandbox has no Accounts v2: create the Customer Session for a `customer`.',
      'customer_account',
    );
  }
  if (input.customer === undefined) {
    throw invalidRequest('Missing required param: customer.', 'customer', 'parameter_missing');
  }
  const customer = findCustomer(sandbox, input.customer);
  const filled = components(input.components);
  if (!Object.values(filled).some((component) => component.enabled)) {
    // stripe-node: "Configuration for each component. At least 1 component must be enabled."
    throw invalidRequest('At least one component must be enabled.', 'components');
  }
  const created = sandbox.now();
  // Stripe's secrets look like `cuss_secret_…`; the session itself has no id in the API.
  const session: Stripe.CustomerSession = {
    object: 'customer_session',
    client_secret: `cuss_secret_${randomString(48)}`,
    components: filled,
    created,
    customer: customer.id,
    customer_account: null,
    expires_at: created + CUSTOMER_SESSION_LIFETIME_SECONDS,
    livemode: false,
  };
  forgetOldSessions(sandbox, created);
  sandbox.store.setInternal(sessionKey(session.client_secret), session);
  return session;
}

export const customerSessionRoutes: Route[] = [
  { method: 'POST', path: '/v1/customer_sessions', handler: create },
];
