/**
 * Where the Tillkit server's API is: the kit's `apiBase`. Set `VITE_TILLKIT_API` when building
 * or starting the storefront for another server; the default is the standalone server's.
 */
export const apiBase: string = import.meta.env.VITE_TILLKIT_API || 'http://localhost:4242/api';

/** The demo customers the sign-in page offers (any other id works too). */
export const demoCustomers = [
  { userId: 'ada', name: 'Ada Lovelace', email: 'ada@example.com' },
  { userId: 'grace', name: 'Grace Hopper', email: 'grace@example.com' },
] as const;

/**
 * The feature the Pro page is gated on: the lookup key of the Entitlements feature the seeded
 * catalog attaches to the Pro plan (its marketing feature "Priority support" is display text
 * only, free to be reworded).
 */
export const proFeature = 'priority_support';

/** The plan the pricing table marks as the most popular. */
export const highlightedPlan = 'prod_tillkit_pro';
