export {
  type PriceEntry,
  type ProductEntry,
  type ProductsState,
  type ProductsStatus,
  type UseProductsProps,
  type UseProductsReturn,
  useProducts,
} from './use-products.js';
