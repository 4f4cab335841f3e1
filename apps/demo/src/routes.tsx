/** Which page each path shows. */
import { AccountPage } from './pages/account-page';
import { CartPage } from './pages/cart-page';
import { CheckoutPage } from './pages/checkout-page';
import { NotFoundPage } from './pages/not-found-page';
import { OrderPage } from './pages/order-page';
import { PaymentReturnPage } from './pages/payment-return-page';
import { PlansPage } from './pages/plans-page';
import { ProPage } from './pages/pro-page';
import { ShopPage } from './pages/shop-page';
import { SignInPage } from './pages/sign-in-page';
import { TestCardsPage } from './pages/test-cards-page';
import { useLocation } from './router/history';

export function Routes() {
  const { pathname } = useLocation();
  const order = /^\/orders\/([^/]+)$/.exec(pathname)?.[1];
  if (order) return <OrderPage id={decodeURIComponent(order)} />;
  switch (pathname) {
    case '/':
      return <ShopPage />;
    case '/cart':
      return <CartPage />;
    case '/checkout':
      return <CheckoutPage />;
    case '/checkout/complete':
      return <PaymentReturnPage />;
    case '/plans':
      return <PlansPage />;
    case '/account':
      return <AccountPage />;
    case '/pro':
      return <ProPage />;
    case '/sign-in':
      return <SignInPage />;
    case '/test-cards':
      return <TestCardsPage />;
    default:
      return <NotFoundPage path={pathname} />;
  }
}
