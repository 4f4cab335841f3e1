/**
 * customers: create (optionally attaching a payment method), retrieve, update, list, delete.
 * @see https://docs.stripe.com/api/customers
 */
import type Stripe from 'stripe';
import { invalidRequest, resourceMissing } from '../core/errors.js';
import { newId } from '../core/ids.js';
import { initialMetadata, mergeMetadata, trackChanges } from '../core/objects.js';
import { paginate } from '../core/pagination.js';
import {
  emailAddress,
  emptyable,
  int,
  listShape,
  metadata,
  params,
  str,
  z,
} from '../core/params.js';
import type { RequestContext, Route } from '../core/route.js';
import type { SandboxCore } from '../core/sandbox.js';
import { attachPaymentMethod, resolvePaymentMethod } from './payment-methods.js';
import { addressShape, toAddress } from './payments-shared.js';

const shippingShape = z.strictObject({
  address: addressShape,
  name: str(),
  phone: str().optional(),
});

const invoiceSettingsShape = z.strictObject({
  default_payment_method: emptyable(str()).optional(),
  footer: emptyable(str()).optional(),
});

const fields = {
  address: emptyable(addressShape).optional(),
  description: emptyable(str()).optional(),
  email: emptyable(emailAddress()).optional(),
  name: emptyable(str()).optional(),
  phone: emptyable(str()).optional(),
  preferred_locales: z.array(str()).optional(),
  shipping: emptyable(shippingShape).optional(),
  invoice_settings: invoiceSettingsShape.optional(),
  metadata: metadata().optional(),
  balance: int().optional(),
};

const createSchema = params({
  ...fields,
  payment_method: str().optional(),
  test_clock: str().optional(),
});

const updateSchema = params({ ...fields, default_source: emptyable(str()).optional() });

/** A customer, or Stripe's 404; a deleted customer is missing for every call but retrieve. */
export function findCustomer(
  sandbox: SandboxCore,
  id: string,
  param = 'customer',
): Stripe.Customer {
  const customer = sandbox.store.collection<Stripe.Customer>('customers').get(id);
  if (!customer) throw resourceMissing('customer', id, param);
  return customer;
}

/** Checks that a default payment method is attached to the customer, as Stripe does. */
function assertAttached(sandbox: SandboxCore, customerId: string, paymentMethodId: string): void {
  const param = 'invoice_settings[default_payment_method]';
  const pm = sandbox.store.collection<Stripe.PaymentMethod>('payment_methods').get(paymentMethodId);
  if (!pm) throw resourceMissing('PaymentMethod', paymentMethodId, param);
  if (pm.customer !== customerId) {
    throw invalidRequest(
      `The customer does not have a payment method with the ID ${paymentMethodId}. The payment method must be attached to the customer.`,
      param,
    );
  }
}

function create(ctx: RequestContext): Stripe.Customer {
  const input = ctx.parse(createSchema);
  const { sandbox } = ctx;
  if (input.test_clock && !sandbox.store.collection('test_clocks').has(input.test_clock)) {
    throw resourceMissing('test_clock', input.test_clock, 'test_clock');
  }
  // Everything is checked before the customer exists: a failed create leaves nothing behind.
  const id = newId('cus');
  const paymentMethod = input.payment_method
    ? resolvePaymentMethod(sandbox, input.payment_method)
    : undefined;
  const defaultId = input.invoice_settings?.default_payment_method;
  let defaultPaymentMethod: string | null = null;
  if (defaultId) {
    // The default may name the payment method this call attaches (a test id such as pm_card_visa too).
    if (paymentMethod && (defaultId === input.payment_method || defaultId === paymentMethod.id)) {
      defaultPaymentMethod = paymentMethod.id;
    } else {
      assertAttached(sandbox, id, defaultId);
    }
  }
  const customer: Stripe.Customer = {
    id,
    object: 'customer',
    address: input.address ? toAddress(input.address) : null,
    balance: input.balance ?? 0,
    created: sandbox.now(),
    currency: null,
    default_source: null,
    delinquent: false,
    description: input.description ?? null,
    discount: null,
    email: input.email ?? null,
    invoice_prefix: newId('x').slice(2, 10).toUpperCase(),
    invoice_settings: {
      custom_fields: null,
      default_payment_method: defaultPaymentMethod,
      footer: input.invoice_settings?.footer ?? null,
      rendering_options: null,
    },
    livemode: false,
    metadata: initialMetadata(input.metadata),
    name: input.name ?? null,
    next_invoice_sequence: 1,
    phone: input.phone ?? null,
    preferred_locales: input.preferred_locales ?? [],
    shipping: input.shipping
      ? {
          address: toAddress(input.shipping.address),
          name: input.shipping.name,
          phone: input.shipping.phone ?? null,
        }
      : null,
    tax_exempt: 'none',
    test_clock: input.test_clock ?? null,
  };
  const customers = sandbox.store.collection<Stripe.Customer>('customers');
  customers.set(customer);
  // Attaching runs a $0 authorization that may decline: then no customer is created, no event sent.
  const attachEvents: Array<[string, object, Record<string, unknown> | undefined]> = [];
  if (paymentMethod) {
    try {
      attachPaymentMethod(sandbox, paymentMethod, customer.id, (type, object, previous) => {
        attachEvents.push([type, structuredClone(object), previous]);
      });
    } catch (error) {
      customers.delete(customer.id);
      throw error;
    }
  }
  ctx.emit('customer.created', customer);
  for (const [type, object, previous] of attachEvents) ctx.emit(type, object, previous);
  return customer;
}

function retrieve(ctx: RequestContext): Stripe.Customer | Stripe.DeletedCustomer {
  ctx.parse(params({}));
  const id = ctx.path.id as string;
  const found = ctx.sandbox.store.collection<Stripe.Customer>('customers').get(id);
  if (found) return found;
  if (ctx.sandbox.store.getInternal<boolean>(`deleted:${id}`)) {
    return { id, object: 'customer', deleted: true };
  }
  throw resourceMissing('customer', id);
}

function update(ctx: RequestContext): Stripe.Customer {
  const input = ctx.parse(updateSchema);
  const { sandbox } = ctx;
  const customer = findCustomer(sandbox, ctx.path.id as string, 'id');
  const defaultPm = input.invoice_settings?.default_payment_method;
  if (defaultPm) assertAttached(sandbox, customer.id, defaultPm);
  const previous = trackChanges(customer, (c) => {
    if (input.address !== undefined) c.address = input.address ? toAddress(input.address) : null;
    if (input.description !== undefined) c.description = input.description;
    if (input.email !== undefined) c.email = input.email;
    if (input.name !== undefined) c.name = input.name;
    if (input.phone !== undefined) c.phone = input.phone;
    if (input.preferred_locales !== undefined) c.preferred_locales = input.preferred_locales;
    if (input.balance !== undefined) c.balance = input.balance;
    if (input.shipping !== undefined) {
      c.shipping = input.shipping
        ? {
            address: toAddress(input.shipping.address),
            name: input.shipping.name,
            phone: input.shipping.phone ?? null,
          }
        : null;
    }
    if (input.invoice_settings) {
      c.invoice_settings = {
        ...c.invoice_settings,
        ...(defaultPm !== undefined ? { default_payment_method: defaultPm } : {}),
        ...(input.invoice_settings.footer !== undefined
          ? { footer: input.invoice_settings.footer }
          : {}),
      };
    }
    c.metadata = mergeMetadata(c.metadata, input.metadata);
  });
  if (Object.keys(previous).length) ctx.emit('customer.updated', customer, previous);
  return customer;
}

function remove(ctx: RequestContext): Stripe.DeletedCustomer {
  ctx.parse(params({}));
  const { sandbox } = ctx;
  const customer = findCustomer(sandbox, ctx.path.id as string, 'id');
  // Stripe detaches the customer's payment methods and ends its subscriptions with it.
  for (const pm of sandbox.store.collection<Stripe.PaymentMethod>('payment_methods').values()) {
    if (pm.customer === customer.id) pm.customer = null;
  }
  sandbox.store.collection('customers').delete(customer.id);
  sandbox.store.setInternal(`deleted:${customer.id}`, true);
  ctx.emit('customer.deleted', customer);
  return { id: customer.id, object: 'customer', deleted: true };
}

const listSchema = params({ ...listShape, email: str().optional(), test_clock: str().optional() });

function list(ctx: RequestContext): Stripe.ApiList<Stripe.Customer> {
  const input = ctx.parse(listSchema);
  const items = ctx.sandbox.store
    .collection<Stripe.Customer>('customers')
    .values()
    .filter(
      (customer) =>
        (!input.email || customer.email === input.email) &&
        (!input.test_clock || customer.test_clock === input.test_clock),
    );
  return paginate(items, input, ctx.url.pathname, 'customer');
}

export const customerRoutes: Route[] = [
  { method: 'POST', path: '/v1/customers', handler: create },
  { method: 'GET', path: '/v1/customers', handler: list },
  { method: 'GET', path: '/v1/customers/:id', handler: retrieve },
  { method: 'POST', path: '/v1/customers/:id', handler: update },
  { method: 'DELETE', path: '/v1/customers/:id', handler: remove },
];
