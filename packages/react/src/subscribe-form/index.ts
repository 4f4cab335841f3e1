export type { PromotionCodeMessages, SubscribeFormMessages } from './messages.js';
export { isPlanPrice, priceLabel } from './price-label.js';
export {
  SubscribeForm,
  SubscribeFormContext,
  SubscribeFormElement,
  type SubscribeFormElementProps,
  SubscribeFormError,
  type SubscribeFormErrorProps,
  SubscribeFormPromotionCode,
  type SubscribeFormPromotionCodeProps,
  type SubscribeFormProps,
  SubscribeFormRetry,
  SubscribeFormRoot,
  type SubscribeFormRootProps,
  SubscribeFormRootProvider,
  type SubscribeFormRootProviderProps,
  SubscribeFormSubmit,
  type SubscribeFormSubmitProps,
  SubscribeFormSummary,
  type SubscribeFormSummaryProps,
  useSubscribeFormContext,
} from './subscribe-form.js';
export {
  findPlan,
  type Plan,
  type PromotionCodeState,
  type SubscribeState,
  type SubscribeStatus,
  type UseSubscribeProps,
  type UseSubscribeReturn,
  useSubscribe,
} from './use-subscribe.js';
