/**
 * A picture for a product of the seeded catalog: line drawings, so they look the same on every
 * machine (emoji fonts are not everywhere). Decorative: the product's name says what it is.
 */
const drawings: Record<string, string> = {
  // A T-shirt.
  prod_tillkit_tshirt:
    'M24 10l-12 6-6 14 10 4 3-7v27h26V27l3 7 10-4-6-14-12-6c-1 5-5 8-9 8s-8-3-9-8z',
  // A mug with its handle and steam.
  prod_tillkit_mug:
    'M12 24h28v20a8 8 0 0 1-8 8H20a8 8 0 0 1-8-8zM40 28h4a6 6 0 0 1 0 12h-4M20 8c-2 3 2 5 0 8M28 8c-2 3 2 5 0 8M36 8c-2 3 2 5 0 8',
};
// A shopping bag, for any other product.
const bag = 'M14 22h36l-3 32H17zM24 22v-4a8 8 0 0 1 16 0v4';

export function ProductArt({ productId }: { productId: string }) {
  return (
    <div className="product-art">
      <svg viewBox="0 0 64 64" width="96" height="96" aria-hidden="true" focusable="false">
        <path
          d={drawings[productId] ?? bag}
          fill="none"
          stroke="currentColor"
          strokeWidth="3"
          strokeLinejoin="round"
          strokeLinecap="round"
        />
      </svg>
    </div>
  );
}
