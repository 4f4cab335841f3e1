import type { Route } from '../core/route.js';
import { threeDSecureRoutes } from '../pages/three-d-secure.js';
import { customerRoutes } from './customers.js';
import { eventRoutes } from './events.js';
import { paymentMethodRoutes } from './payment-methods.js';
import { sandboxControlRoutes } from './sandbox-control.js';
import { webhookEndpointRoutes } from './webhook-endpoints.js';

/** Every route the sandbox serves. */
export const allRoutes: Route[] = [
  ...customerRoutes,
  ...paymentMethodRoutes,
  ...eventRoutes,
  ...webhookEndpointRoutes,
  ...sandboxControlRoutes,
  ...threeDSecureRoutes,
];
