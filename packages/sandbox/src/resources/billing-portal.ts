/**
 * billing_portal: configurations (create, retrieve, update, list; a default one is made on first
 * use) and sessions (create). A session's `url` is the sandbox's customer portal page
 * (pages/portal-page.ts), valid for an hour: the customer's subscriptions (cancel, renew, switch
 * plan), cards (add, make default, remove) and invoices, as the configuration's features allow.
 * @see https://docs.stripe.com/api/customer_portal
 */
import type Stripe from 'stripe';
import { HOUR } from '../core/billing-time.js';
import { invalidRequest, missingParameter, resourceMissing } from '../core/errors.js';
import { newId } from '../core/ids.js';
import { initialMetadata, mergeMetadata, trackChanges } from '../core/objects.js';
import { paginate } from '../core/pagination.js';
import {
  bool,
  emptyable,
  int,
  listShape,
  metadata,
  oneOf,
  params,
  str,
  z,
} from '../core/params.js';
import type { RequestContext, Route } from '../core/route.js';
import type { SandboxCore } from '../core/sandbox.js';
import { findCustomer } from './customers.js';
import type { Emit } from './payments-shared.js';
import { assertBillablePrice, findPrice } from './prices.js';
import { findProduct } from './products.js';

type Configuration = Stripe.BillingPortal.Configuration;
type Features = Stripe.BillingPortal.Configuration.Features;

/** How long a portal session's page can be used. */
export const PORTAL_SESSION_LIFETIME = HOUR;

const CANCELLATION_REASONS = [
  'customer_service',
  'low_quality',
  'missing_features',
  'other',
  'switched_service',
  'too_complex',
  'too_expensive',
  'unused',
] as const;

const PRORATION = ['always_invoice', 'create_prorations', 'none'] as const;

// --- parameters ----------------------------------------------------------------------------------

const url = () =>
  str().refine((value) => /^https?:\/\//.test(value) && URL.canParse(value), {
    error: 'Not a valid URL',
  });

/** `features[…]`; `enabled` is required on create for the features that Stripe requires it for. */
function featuresShape(creating: boolean) {
  const enabled = creating ? bool() : bool().optional();
  return z.strictObject({
    customer_update: z
      .strictObject({
        allowed_updates: emptyable(
          z.array(oneOf(['address', 'email', 'name', 'phone', 'shipping', 'tax_id'])),
        ).optional(),
        enabled,
      })
      .optional(),
    invoice_history: z.strictObject({ enabled: bool() }).optional(),
    payment_method_update: z
      .strictObject({
        enabled: bool(),
        payment_method_configuration: emptyable(str()).optional(),
      })
      .optional(),
    subscription_cancel: z
      .strictObject({
        cancellation_reason: z
          .strictObject({
            enabled: bool(),
            options: emptyable(z.array(oneOf(CANCELLATION_REASONS))).optional(),
          })
          .optional(),
        enabled,
        mode: oneOf(['at_period_end', 'immediately']).optional(),
        proration_behavior: oneOf(PRORATION).optional(),
      })
      .optional(),
    subscription_pause: z.strictObject({ enabled: bool().optional() }).optional(),
    subscription_update: z
      .strictObject({
        billing_cycle_anchor: oneOf(['now', 'unchanged']).optional(),
        default_allowed_updates: emptyable(
          z.array(oneOf(['price', 'promotion_code', 'quantity'])),
        ).optional(),
        enabled,
        products: emptyable(
          z.array(
            z.strictObject({
              product: str(),
              prices: z.array(str()),
              adjustable_quantity: z
                .strictObject({
                  enabled: bool(),
                  maximum: int().optional(),
                  minimum: int().optional(),
                })
                .optional(),
            }),
          ),
        ).optional(),
        proration_behavior: oneOf(PRORATION).optional(),
        trial_update_behavior: oneOf(['continue_trial', 'end_trial']).optional(),
      })
      .optional(),
  });
}

type FeaturesInput = z.output<ReturnType<typeof featuresShape>>;

const businessProfileShape = z.strictObject({
  headline: emptyable(str()).optional(),
  privacy_policy_url: emptyable(url()).optional(),
  terms_of_service_url: emptyable(url()).optional(),
});

const configurationCreateSchema = params({
  features: featuresShape(true),
  business_profile: businessProfileShape.optional(),
  default_return_url: emptyable(url()).optional(),
  login_page: z.strictObject({ enabled: bool() }).optional(),
  metadata: metadata().optional(),
  name: emptyable(str()).optional(),
});

const configurationUpdateSchema = params({
  active: bool().optional(),
  features: featuresShape(false).optional(),
  business_profile: businessProfileShape.optional(),
  default_return_url: emptyable(url()).optional(),
  login_page: z.strictObject({ enabled: bool() }).optional(),
  metadata: metadata().optional(),
  name: emptyable(str()).optional(),
});

const configurationListSchema = params({
  ...listShape,
  active: bool().optional(),
  is_default: bool().optional(),
});

const sessionCreateSchema = params({
  customer: str().optional(),
  customer_account: str().optional(),
  configuration: str().optional(),
  return_url: url().optional(),
  locale: str().optional(),
  on_behalf_of: str().optional(),
  flow_data: z.record(z.string(), z.unknown()).optional(),
  after_expiration: z.record(z.string(), z.unknown()).optional(),
});

// --- configurations ------------------------------------------------------------------------------

export function configurationCollection(sandbox: SandboxCore) {
  return sandbox.store.collection<Configuration>('billing_portal_configurations');
}

export function portalSessionCollection(sandbox: SandboxCore) {
  return sandbox.store.collection<Stripe.BillingPortal.Session>('billing_portal_sessions');
}

export function findConfiguration(
  sandbox: SandboxCore,
  id: string,
  param = 'configuration',
): Configuration {
  const found = configurationCollection(sandbox).get(id);
  if (!found) throw resourceMissing('billing_portal.configuration', id, param);
  return found;
}

/** The features of a configuration made with no options, as Stripe's defaults. */
function defaultFeatures(): Features {
  return {
    customer_update: { allowed_updates: [], enabled: false },
    invoice_history: { enabled: true },
    payment_method_update: { enabled: true, payment_method_configuration: null },
    subscription_cancel: {
      cancellation_reason: {
        enabled: false,
        feedback_options: null,
        options: [...CANCELLATION_REASONS],
      },
      enabled: true,
      mode: 'at_period_end',
      proration_behavior: 'none',
    },
    subscription_pause: { duration: { interval_options: [], type: 'indefinite' }, enabled: false },
    subscription_update: {
      billing_cycle_anchor: null,
      default_allowed_updates: [],
      enabled: false,
      products: [],
      proration_behavior: 'none',
      schedule_at_period_end: { conditions: [] },
      trial_update_behavior: 'end_trial',
    },
  };
}

/** Checks the products and prices customers may switch to, as Stripe does. */
function checkProducts(
  sandbox: SandboxCore,
  products: NonNullable<NonNullable<FeaturesInput['subscription_update']>['products']>,
): void {
  products.forEach((entry, index) => {
    const param = `features[subscription_update][products][${index}]`;
    const product = findProduct(sandbox, entry.product, `${param}[product]`);
    if (!entry.prices.length) throw missingParameter(`${param}[prices]`);
    entry.prices.forEach((priceId, priceIndex) => {
      const priceParam = `${param}[prices][${priceIndex}]`;
      const price = findPrice(sandbox, priceId, priceParam);
      assertBillablePrice(price, priceParam);
      if (price.product !== product.id) {
        throw invalidRequest(
          `The price ${price.id} does not belong to the product ${product.id}.`,
          priceParam,
        );
      }
      if (price.type !== 'recurring') {
        throw invalidRequest(
          `The price ${price.id} is not recurring: customers can only switch to recurring prices.`,
          priceParam,
        );
      }
    });
  });
}

/** Applies `features[…]` to a configuration's features (all checks first). */
function applyFeatures(
  sandbox: SandboxCore,
  current: Features,
  input: FeaturesInput | undefined,
): Features {
  const next = structuredClone(current);
  if (!input) return next;
  const { customer_update, invoice_history, payment_method_update } = input;
  if (customer_update) {
    if (customer_update.enabled !== undefined)
      next.customer_update.enabled = customer_update.enabled;
    if (customer_update.allowed_updates !== undefined) {
      next.customer_update.allowed_updates = customer_update.allowed_updates ?? [];
    }
  }
  if (invoice_history) next.invoice_history.enabled = invoice_history.enabled;
  if (payment_method_update) {
    next.payment_method_update.enabled = payment_method_update.enabled;
    if (payment_method_update.payment_method_configuration !== undefined) {
      next.payment_method_update.payment_method_configuration =
        payment_method_update.payment_method_configuration;
    }
  }
  const cancel = input.subscription_cancel;
  if (cancel) {
    const target = next.subscription_cancel;
    if (cancel.enabled !== undefined) target.enabled = cancel.enabled;
    if (cancel.mode) target.mode = cancel.mode;
    if (cancel.proration_behavior) target.proration_behavior = cancel.proration_behavior;
    if (cancel.cancellation_reason) {
      target.cancellation_reason = {
        enabled: cancel.cancellation_reason.enabled,
        feedback_options: target.cancellation_reason.feedback_options,
        options:
          cancel.cancellation_reason.options === undefined
            ? target.cancellation_reason.options
            : (cancel.cancellation_reason.options ?? []),
      };
    }
  }
  if (input.subscription_pause?.enabled) {
    throw invalidRequest(
      'The sandbox portal does not pause subscriptions: features[subscription_pause][enabled] must be false.',
      'features[subscription_pause][enabled]',
    );
  }
  const update = input.subscription_update;
  if (update) {
    const target = next.subscription_update;
    if (update.products) checkProducts(sandbox, update.products);
    if (update.enabled !== undefined) target.enabled = update.enabled;
    if (update.products !== undefined) {
      target.products = (update.products ?? []).map((entry) => ({
        adjustable_quantity: {
          enabled: entry.adjustable_quantity?.enabled ?? false,
          maximum: entry.adjustable_quantity?.maximum ?? null,
          minimum: entry.adjustable_quantity?.minimum ?? 1,
        },
        prices: [...entry.prices],
        product: entry.product,
      }));
    }
    if (update.default_allowed_updates !== undefined) {
      target.default_allowed_updates = update.default_allowed_updates ?? [];
    }
    if (update.billing_cycle_anchor) target.billing_cycle_anchor = update.billing_cycle_anchor;
    if (update.proration_behavior) target.proration_behavior = update.proration_behavior;
    if (update.trial_update_behavior) target.trial_update_behavior = update.trial_update_behavior;
    if (target.enabled && !target.products?.length) {
      throw missingParameter('features[subscription_update][products]');
    }
    if (target.enabled && !target.default_allowed_updates.length) {
      target.default_allowed_updates = ['price'];
    }
  }
  return next;
}

function checkLoginPage(input: { enabled: boolean } | undefined): void {
  if (input?.enabled) {
    throw invalidRequest(
      'The sandbox does not serve a customer login page: login_page[enabled] must be false.',
      'login_page[enabled]',
    );
  }
}

function newConfiguration(
  sandbox: SandboxCore,
  fields: Partial<Configuration> & { features: Features },
): Configuration {
  const now = sandbox.now();
  const configuration: Configuration = {
    id: newId('bpc'),
    object: 'billing_portal.configuration',
    active: true,
    application: null,
    business_profile: { headline: null, privacy_policy_url: null, terms_of_service_url: null },
    created: now,
    default_return_url: null,
    is_default: false,
    livemode: false,
    login_page: { enabled: false, url: null },
    metadata: {},
    name: null,
    updated: now,
    ...fields,
  };
  configurationCollection(sandbox).set(configuration);
  return configuration;
}

/**
 * The default configuration, made (with `billing_portal.configuration.created`) by the first
 * session created without a `configuration`. (Stripe's test mode refuses such a session until the
 * default was saved in the Dashboard, which the sandbox does not have.)
 */
export function defaultConfiguration(sandbox: SandboxCore, emit: Emit): Configuration {
  const existing = configurationCollection(sandbox)
    .values()
    .find((configuration) => configuration.is_default);
  if (existing) return existing;
  const configuration = newConfiguration(sandbox, {
    features: defaultFeatures(),
    is_default: true,
  });
  emit('billing_portal.configuration.created', configuration);
  return configuration;
}

function createConfiguration(ctx: RequestContext): Configuration {
  const input = ctx.parse(configurationCreateSchema);
  const { sandbox } = ctx;
  checkLoginPage(input.login_page);
  const features = applyFeatures(sandbox, defaultFeatures(), input.features);
  const configuration = newConfiguration(sandbox, {
    features,
    business_profile: {
      headline: input.business_profile?.headline ?? null,
      privacy_policy_url: input.business_profile?.privacy_policy_url ?? null,
      terms_of_service_url: input.business_profile?.terms_of_service_url ?? null,
    },
    default_return_url: input.default_return_url ?? null,
    metadata: initialMetadata(input.metadata),
    name: input.name ?? null,
  });
  ctx.emit('billing_portal.configuration.created', configuration);
  return configuration;
}

function retrieveConfiguration(ctx: RequestContext): Configuration {
  ctx.parse(params({}));
  return findConfiguration(ctx.sandbox, ctx.path.id as string, 'configuration');
}

function updateConfiguration(ctx: RequestContext): Configuration {
  const input = ctx.parse(configurationUpdateSchema);
  const { sandbox } = ctx;
  const configuration = findConfiguration(sandbox, ctx.path.id as string, 'configuration');
  checkLoginPage(input.login_page);
  if (input.active === false && configuration.is_default) {
    throw invalidRequest('You cannot deactivate the default configuration.', 'active');
  }
  const features = applyFeatures(sandbox, configuration.features, input.features);
  const previous = trackChanges(configuration, (c) => {
    c.features = features;
    if (input.active !== undefined) c.active = input.active;
    if (input.business_profile) {
      const profile = input.business_profile;
      c.business_profile = {
        headline: profile.headline !== undefined ? profile.headline : c.business_profile.headline,
        privacy_policy_url:
          profile.privacy_policy_url !== undefined
            ? profile.privacy_policy_url
            : c.business_profile.privacy_policy_url,
        terms_of_service_url:
          profile.terms_of_service_url !== undefined
            ? profile.terms_of_service_url
            : c.business_profile.terms_of_service_url,
      };
    }
    if (input.default_return_url !== undefined) c.default_return_url = input.default_return_url;
    if (input.name !== undefined) c.name = input.name;
    c.metadata = mergeMetadata(c.metadata ?? {}, input.metadata);
  });
  if (Object.keys(previous).length) {
    const updated = sandbox.now();
    if (updated !== configuration.updated) previous.updated = configuration.updated;
    configuration.updated = updated;
    ctx.emit('billing_portal.configuration.updated', configuration, previous);
  }
  return configuration;
}

function listConfigurations(ctx: RequestContext): Stripe.ApiList<Configuration> {
  const input = ctx.parse(configurationListSchema);
  const items = configurationCollection(ctx.sandbox)
    .values()
    .filter(
      (configuration) =>
        (input.active === undefined || configuration.active === input.active) &&
        (input.is_default === undefined || configuration.is_default === input.is_default),
    );
  return paginate(items, input, ctx.url.pathname, 'billing_portal.configuration');
}

// --- sessions ------------------------------------------------------------------------------------

/** The path of a portal session's page (pages/portal-page.ts serves it). */
export function portalPagePath(sessionId: string): string {
  return `/v1/_sandbox/billing_portal/${encodeURIComponent(sessionId)}`;
}

/** Whether a portal session's page can still be used (an hour after its creation). */
export function portalSessionActive(
  sandbox: SandboxCore,
  session: Stripe.BillingPortal.Session,
): boolean {
  return sandbox.now() < session.created + PORTAL_SESSION_LIFETIME;
}

function createSession(ctx: RequestContext): Stripe.BillingPortal.Session {
  const input = ctx.parse(sessionCreateSchema);
  const { sandbox } = ctx;
  const unsupported: Array<[keyof typeof input, string]> = [
    [
      'customer_account',
      'Accounts v2 customers (customer_account) are not modelled: pass customer.',
    ],
    ['on_behalf_of', 'Connect (on_behalf_of) is not modelled.'],
    [
      'flow_data',
      'Portal flows (flow_data) are not modelled: the session opens on the portal page.',
    ],
    ['after_expiration', 'after_expiration (customer login after the session) is not modelled.'],
  ];
  for (const [name, why] of unsupported) {
    if (input[name] !== undefined) throw invalidRequest(`The sandbox portal: ${why}`, name);
  }
  if (!input.customer) throw missingParameter('customer');
  const customer = findCustomer(sandbox, input.customer);
  let configuration: Configuration;
  if (input.configuration) {
    configuration = findConfiguration(sandbox, input.configuration);
    if (!configuration.active) {
      throw invalidRequest(
        `The configuration ${configuration.id} is not active. Pass an active configuration or leave it out to use the default.`,
        'configuration',
      );
    }
  } else {
    configuration = defaultConfiguration(sandbox, ctx.emit);
  }
  const id = newId('bps');
  const session: Stripe.BillingPortal.Session = {
    id,
    object: 'billing_portal.session',
    configuration: configuration.id,
    created: sandbox.now(),
    customer: customer.id,
    customer_account: null,
    flow: null,
    livemode: false,
    locale: (input.locale as Stripe.BillingPortal.Session.Locale | undefined) ?? null,
    on_behalf_of: null,
    return_url: input.return_url ?? configuration.default_return_url,
    url: `${ctx.origin}${portalPagePath(id)}`,
  };
  portalSessionCollection(sandbox).set(session);
  ctx.emit('billing_portal.session.created', session);
  return session;
}

export const billingPortalRoutes: Route[] = [
  { method: 'POST', path: '/v1/billing_portal/configurations', handler: createConfiguration },
  { method: 'GET', path: '/v1/billing_portal/configurations', handler: listConfigurations },
  {
    method: 'GET',
    path: '/v1/billing_portal/configurations/:id',
    handler: retrieveConfiguration,
  },
  {
    method: 'POST',
    path: '/v1/billing_portal/configurations/:id',
    handler: updateConfiguration,
  },
  { method: 'POST', path: '/v1/billing_portal/sessions', handler: createSession },
];
