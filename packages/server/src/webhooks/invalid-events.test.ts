/**
 * Signed but malformed events, through HTTP against the in-process sandbox, on both engines: real
 * events from the sandbox, changed where a handler (or the ledger) reads them, then signed with the
 * endpoint's secret as Stripe would sign them. Each is a 400 `webhook_event_invalid` naming the
 * field, recorded in the ledger as `invalid` (when its id, type, created and livemode are usable),
 * logged at error level without its body, counted, and never half-applied; the genuine event
 * still handles afterwards, and a database failure is still a 500 for Stripe to retry.
 */
import { eq } from 'drizzle-orm';
import fc from 'fast-check';
import type Stripe from 'stripe';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { entitlements, payments, stripeEvents, subscriptions } from '../storage/schema.js';
import {
  ENGINES,
  ledgerRow,
  startTestApp,
  type TestApp,
  webhookOutcomes,
} from '../test-support/harness.js';
import type { TillkitHooks } from './hooks.js';

/** The hooks that ran, by event id. */
const calls: string[] = [];
const hooks: TillkitHooks = {
  onEvent: (event) => {
    calls.push(event.id);
  },
};

/** Put into every malformed body: it must never show up in the logs. */
const MARKER = 'body-marker-7f3a9c';

type Json = Record<string, unknown>;

interface Events {
  intent: Stripe.Event;
  invoicePaid: Stripe.Event;
  subscriptionUpdated: Stripe.Event;
  summary: Stripe.Event;
  chargeSucceeded: Stripe.Event;
}

/** A paid payment and a paid subscription, their webhooks held back; the sandbox's events. */
async function makeEvents(app: TestApp): Promise<Events> {
  await app.pauseWebhooks();
  const token = await app.token('mal');
  const intent = await app.client(token).createPaymentIntent({
    items: [{ price: app.prices.tshirt?.id as string, quantity: 2 }],
  });
  await app.pay(intent.id);
  const subscription = await app
    .client(token)
    .createSubscription({ price: app.prices.starter_monthly?.id as string });
  await app.confirmPayment(subscription.clientSecret as string);
  const events = (await app.sandbox.stripe.events.list({ limit: 100 }))
    .data as unknown as Stripe.Event[];
  const find = (type: string, about: string) => {
    const event = events.find(
      (candidate) =>
        candidate.type === type &&
        Object.values(candidate.data.object as unknown as Json).includes(about),
    );
    if (!event) throw new Error(`No ${type} event about ${about}`);
    return event;
  };
  return {
    intent: find('payment_intent.succeeded', intent.id),
    invoicePaid: events.find((event) => event.type === 'invoice.paid') as Stripe.Event,
    subscriptionUpdated: find('customer.subscription.updated', subscription.id),
    summary: events.find(
      (event) => event.type === 'entitlements.active_entitlement_summary.updated',
    ) as Stripe.Event,
    chargeSucceeded: find('charge.succeeded', intent.id),
  };
}

/** A deep copy of `event`, changed by `change`. */
function changed(event: Stripe.Event, change: (copy: Json & { data: Json }) => void): Json {
  const copy = structuredClone(event) as unknown as Json & { data: Json };
  change(copy);
  return copy;
}

const object = (copy: { data: Json }) => copy.data.object as Json;

interface Case {
  name: string;
  base: keyof Events;
  change: (copy: Json & { data: Json }) => void;
  /** The `param` of the answer: the first field at fault (undefined: the body as a whole). */
  param: string | undefined;
  /** Recorded in the ledger under the event's id (its ledger fields are usable). */
  recorded: boolean;
}

const CASES: Case[] = [
  {
    name: 'data.object missing',
    base: 'intent',
    change: (copy) => {
      copy.data = { marker: MARKER };
    },
    param: 'data.object',
    recorded: true,
  },
  {
    name: 'data.object a string',
    base: 'intent',
    change: (copy) => {
      copy.data.object = `pi_${MARKER}`;
    },
    param: 'data.object',
    recorded: true,
  },
  {
    name: 'data.object a list',
    base: 'intent',
    change: (copy) => {
      copy.data.object = [copy.data.object, MARKER];
    },
    param: 'data.object',
    recorded: true,
  },
  {
    name: 'data missing',
    base: 'intent',
    change: (copy) => {
      delete (copy as Json).data;
      copy.marker = MARKER;
    },
    param: 'data',
    recorded: true,
  },
  {
    name: 'a payment intent whose id is a number',
    base: 'intent',
    change: (copy) => {
      object(copy).id = 42;
      object(copy).description = MARKER;
    },
    param: 'data.object.id',
    recorded: true,
  },
  {
    name: 'a payment intent whose id holds U+0000',
    base: 'intent',
    change: (copy) => {
      object(copy).id = `pi_\u0000${MARKER}`;
    },
    param: 'data.object.id',
    recorded: true,
  },
  {
    name: 'invoice.paid without an id',
    base: 'invoicePaid',
    change: (copy) => {
      delete object(copy).id;
      object(copy).description = MARKER;
    },
    param: 'data.object.id',
    recorded: true,
  },
  {
    name: 'invoice.paid without a customer',
    base: 'invoicePaid',
    change: (copy) => {
      delete object(copy).customer;
      object(copy).description = MARKER;
    },
    param: 'data.object.customer',
    recorded: true,
  },
  {
    name: 'invoice.paid whose subscription is a number',
    base: 'invoicePaid',
    change: (copy) => {
      const parent = object(copy).parent as { subscription_details: Json };
      parent.subscription_details.subscription = 7;
      object(copy).description = MARKER;
    },
    param: 'data.object.parent.subscription_details.subscription',
    recorded: true,
  },
  {
    name: 'customer.subscription.updated whose items is not a list',
    base: 'subscriptionUpdated',
    change: (copy) => {
      object(copy).items = `si_${MARKER}`;
    },
    param: 'data.object.items',
    recorded: true,
  },
  {
    name: 'customer.subscription.updated whose items.data is not a list',
    base: 'subscriptionUpdated',
    change: (copy) => {
      (object(copy).items as Json).data = { marker: MARKER };
    },
    param: 'data.object.items.data',
    recorded: true,
  },
  {
    // The handler stored the subscription, then threw on the item: once a 500, rolled back.
    name: 'customer.subscription.updated whose previous items hold null',
    base: 'subscriptionUpdated',
    change: (copy) => {
      copy.data.previous_attributes = { items: { object: 'list', data: [null] }, x: MARKER };
    },
    param: 'data.previous_attributes.items.data[0]',
    recorded: true,
  },
  {
    name: 'an entitlement summary without a customer',
    base: 'summary',
    change: (copy) => {
      delete object(copy).customer;
      object(copy).marker = MARKER;
    },
    param: 'data.object.customer',
    recorded: true,
  },
  {
    name: 'an event id that is not a string',
    base: 'intent',
    change: (copy) => {
      copy.id = 123;
      object(copy).description = MARKER;
    },
    param: 'id',
    recorded: false,
  },
  {
    name: 'an event id holding U+0000',
    base: 'intent',
    change: (copy) => {
      copy.id = `evt_\u0000${MARKER}`;
    },
    param: 'id',
    recorded: false,
  },
  {
    name: 'created that is not a number of seconds',
    base: 'intent',
    change: (copy) => {
      copy.created = MARKER;
    },
    param: 'created',
    recorded: false,
  },
  {
    name: 'livemode missing',
    base: 'invoicePaid',
    change: (copy) => {
      delete copy.livemode;
      object(copy).description = MARKER;
    },
    param: 'livemode',
    recorded: false,
  },
];

describe.each(ENGINES)('malformed events on %s', (engine) => {
  let app: TestApp;
  let events: Events;

  beforeAll(async () => {
    app = await startTestApp({ engine, router: { hooks } });
    events = await makeEvents(app);
  });
  afterAll(() => app?.close());

  const outcomes = () => webhookOutcomes(app);
  const ledger = (id: string) => ledgerRow(app, id);

  /** Everything the handlers could have stored. */
  async function stored() {
    const { db } = app.database;
    return {
      payments: await db.select().from(payments),
      subscriptions: await db.select().from(subscriptions),
      entitlements: await db.select().from(entitlements),
    };
  }

  it('each malformed shape is a 400 webhook_event_invalid, recorded and logged, with nothing applied', async () => {
    const before = {
      outcomes: await outcomes(),
      stored: await stored(),
      log: app.logs.lines.length,
    };
    const ledgerBefore = await app.database.db.select().from(stripeEvents);
    calls.length = 0;
    for (const c of CASES) {
      const base = events[c.base];
      const response = await app.deliver(changed(base, c.change));
      expect(response.status, c.name).toBe(400);
      expect(response.headers.get('content-type'), c.name).toMatch(/^application\/json/);
      const body = (await response.json()) as { error: Record<string, unknown> };
      expect(Object.keys(body), c.name).toEqual(['error']);
      expect(body.error, c.name).toMatchObject({
        code: 'webhook_event_invalid',
        requestId: response.headers.get('x-request-id'),
      });
      expect(body.error.param, c.name).toBe(c.param);
      expect(body.error.message, c.name).toContain(c.param ?? '(the body)');
      const row = await ledger(base.id);
      if (c.recorded) {
        expect(row, c.name).toMatchObject({ status: 'invalid', type: base.type });
        expect(row?.lastError, c.name).toContain(c.param);
        expect(row?.lastError, c.name).not.toContain(MARKER);
      }
      // The log line names the event and what is wrong with it.
      const logged = app.logs.lines
        .slice(before.log)
        .map((line) => JSON.parse(line) as Json)
        .filter(
          (line) => line.msg === 'webhook refused: the event is not shaped as Stripe sends events',
        );
      const line = logged.at(-1) as Json & { issues: string[] };
      expect(line, c.name).toMatchObject({ level: 50 });
      expect(line.issues[0], c.name).toContain(c.param ?? '(the body)');
      if (c.recorded) {
        expect(line, c.name).toMatchObject({ eventId: base.id, eventType: base.type });
      }
    }
    for (const body of ['null', '[]', '"evt_1"']) {
      const response = await app.deliver(JSON.parse(body));
      expect(response.status, body).toBe(400);
      const { error } = (await response.json()) as { error: Record<string, unknown> };
      expect(error.code, body).toBe('webhook_event_invalid');
      expect(error.param, body).toBeUndefined();
    }
    const after = await outcomes();
    expect(after.invalid).toBe((before.outcomes.invalid ?? 0) + CASES.length + 3);
    expect(after.failed).toBe(before.outcomes.failed ?? 0);
    expect(after.processed).toBe(before.outcomes.processed ?? 0);
    // Nothing was stored from them, no hook ran, and no body reached the logs.
    expect(await stored()).toEqual(before.stored);
    expect(calls).toEqual([]);
    expect(app.logs.text()).not.toContain(MARKER);
    // The ledger gained only the rows of the recorded ones, all `invalid`.
    const rows = await app.database.db.select().from(stripeEvents);
    const added = rows.filter((row) => !ledgerBefore.some((old) => old.id === row.id));
    expect(new Set(added.map((row) => row.id))).toEqual(
      new Set(CASES.filter((c) => c.recorded).map((c) => events[c.base].id)),
    );
    expect(added.every((row) => row.status === 'invalid')).toBe(true);
    // Every refused delivery counts as an attempt of its event.
    expect((await ledger(events.intent.id))?.attempts).toBe(
      CASES.filter((c) => c.recorded && c.base === 'intent').length,
    );
  });

  it('well-formed events, with fields Stripe may add, still answer 200 and are handled (also after being refused)', async () => {
    const before = await outcomes();
    const extra = (event: Stripe.Event) =>
      changed(event, (copy) => {
        copy.context = 'acct_future';
        copy.data.future_field = { nested: [1, null] };
        object(copy).future_field = { nested: true };
      });
    for (const name of ['intent', 'invoicePaid', 'subscriptionUpdated', 'summary'] as const) {
      const response = await app.deliver(extra(events[name]));
      expect(response.status, name).toBe(200);
      expect(await response.json(), name).toEqual({ received: true, duplicate: false });
      expect(await ledger(events[name].id), name).toMatchObject({ status: 'handled' });
    }
    // A type no handler handles needs only the envelope: its object may lack an id.
    const unhandled = changed(events.chargeSucceeded, (copy) => {
      delete object(copy).id;
    });
    expect((await app.deliver(unhandled)).status).toBe(200);
    expect(await ledger(events.chargeSucceeded.id)).toMatchObject({
      status: 'handled',
      objectId: null,
    });
    const after = await outcomes();
    expect(after.processed).toBe((before.processed ?? 0) + 5);
    expect(after.invalid).toBe(before.invalid ?? 0);
    // What the refused deliveries did not store, the genuine ones did.
    const [payment] = await app.database.db
      .select()
      .from(payments)
      .where(eq(payments.id, (events.intent.data.object as Stripe.PaymentIntent).id));
    expect(payment?.status).toBe('succeeded');
    const subscriptionId = (events.subscriptionUpdated.data.object as Stripe.Subscription).id;
    const [subscription] = await app.database.db
      .select()
      .from(subscriptions)
      .where(eq(subscriptions.id, subscriptionId));
    expect(subscription?.status).toBe('active');
    expect(calls).toContain(events.intent.id);
  });
});

describe.each(ENGINES)('a database failure on %s', (engine) => {
  let app: TestApp;
  let events: Events;

  beforeAll(async () => {
    app = await startTestApp({ engine });
    events = await makeEvents(app);
  });
  afterAll(() => app?.close());

  it('is still a 500 for Stripe to retry, for a well-formed event and for a malformed one', async () => {
    await app.database.close();
    const good = await app.deliver(events.intent);
    expect(good.status).toBe(500);
    expect(((await good.json()) as { error: { code: string } }).error.code).toBe(
      'webhook_handler_failed',
    );
    // A malformed event that cannot be recorded is not lost either: Stripe delivers it again.
    const bad = await app.deliver(
      changed(events.intent, (copy) => {
        object(copy).id = 42;
      }),
    );
    expect(bad.status).toBe(500);
    expect(((await bad.json()) as { error: { code: string } }).error.code).toBe(
      'webhook_handler_failed',
    );
  });
});

describe('generated changes to signed events', () => {
  let app: TestApp;
  let events: Events;

  beforeAll(async () => {
    app = await startTestApp();
    events = await makeEvents(app);
  });
  afterAll(() => app?.close());

  /** Every path to a value in `value`, as keys. */
  function paths(value: unknown, prefix: string[] = []): string[][] {
    if (typeof value !== 'object' || value === null || prefix.length > 5) return [prefix];
    return [
      prefix,
      ...Object.entries(value).flatMap(([key, child]) => paths(child, [...prefix, key])),
    ];
  }

  const weird = fc.oneof(
    fc.constantFrom(
      null,
      undefined,
      0,
      -1,
      1.5,
      1e300,
      true,
      '',
      '\u0000',
      'x'.repeat(300),
      '../../v1/charges',
      'pi_1/../../v1/charges',
      '__proto__',
      'constructor',
      [],
      [null],
      {},
      { id: 5 },
    ),
    fc.jsonValue({ maxDepth: 2 }),
  );

  /** Where the handlers and the ledger read (present in the event or not). */
  const READ = [
    ['id'],
    ['type'],
    ['created'],
    ['livemode'],
    ['data'],
    ['data', 'object'],
    ['data', 'object', 'id'],
    ['data', 'object', 'customer'],
    ['data', 'object', 'payment_intent'],
    ['data', 'object', 'payment_method'],
    ['data', 'object', 'parent'],
    ['data', 'object', 'parent', 'subscription_details'],
    ['data', 'object', 'parent', 'subscription_details', 'subscription'],
    ['data', 'object', 'items'],
    ['data', 'object', 'items', 'data'],
    ['data', 'previous_attributes'],
    ['data', 'previous_attributes', 'items'],
    ['data', 'previous_attributes', 'items', 'data'],
  ];

  const TYPES = [
    'payment_intent.succeeded',
    'invoice.paid',
    'customer.subscription.updated',
    'entitlements.active_entitlement_summary.updated',
    'checkout.session.completed',
    'charge.refunded',
    'refund.failed',
    'setup_intent.succeeded',
    'payment_method.attached',
    'constructor',
    '__defineGetter__',
    'toString',
  ];

  it('are only ever a 200 or a 400 webhook_event_invalid, never a 500', async () => {
    const bases = Object.values(events);
    const seen: Record<number, number> = {};
    await fc.assert(
      fc.asyncProperty(
        fc.constantFrom(...bases),
        fc.array(fc.tuple(fc.nat(), weird), { minLength: 1, maxLength: 3 }),
        fc.option(fc.constantFrom(...TYPES), { nil: undefined }),
        fc.uuid(),
        async (base, changes, type, id) => {
          const event = structuredClone(base) as unknown as Json;
          // A new id each time: a handled event's duplicate would not reach the handler.
          event.id = `evt_${id}`;
          if (type) event.type = type;
          // Half the changes land where the handlers and the ledger read, half anywhere.
          const all = [...READ, ...paths(event).filter((path) => path.length > 0)];
          for (const [index, value] of changes) {
            const path = all[index % all.length] as string[];
            let parent = event as Json;
            for (const key of path.slice(0, -1)) {
              const next = parent[key];
              if (typeof next !== 'object' || next === null) break;
              parent = next as Json;
            }
            const last = path.at(-1) as string;
            if (value === undefined) delete parent[last];
            else parent[last] = value;
          }
          const response = await app.deliver(event);
          const text = await response.text();
          seen[response.status] = (seen[response.status] ?? 0) + 1;
          expect([200, 400], text).toContain(response.status);
          if (response.status === 400) {
            expect(JSON.parse(text).error.code, text).toBe('webhook_event_invalid');
          }
        },
      ),
      { numRuns: 150 },
    );
    // Both kinds came up: the property saw events that reached the handlers, and refused ones.
    expect(seen[200]).toBeGreaterThan(10);
    expect(seen[400]).toBeGreaterThan(10);
  }, 120_000);
});
