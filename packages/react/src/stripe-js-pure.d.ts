/**
 * `@stripe/stripe-js/pure` is a folder entry with no `exports` map: Node's ESM loader refuses
 * folder imports and TypeScript's NodeNext resolution cannot follow its `.d.mts` (extensionless
 * re-export). The kit imports the folder's ESM file by name, which works in Node and bundlers
 * alike; its API is the main entry's, minus adding Stripe's script on import.
 */
declare module '@stripe/stripe-js/pure/index.mjs' {
  export { loadStripe } from '@stripe/stripe-js';
}
