export type { SaveCardFormMessages } from './messages.js';
export {
  SaveCardForm,
  SaveCardFormContext,
  SaveCardFormElement,
  type SaveCardFormElementProps,
  SaveCardFormError,
  type SaveCardFormErrorProps,
  type SaveCardFormProps,
  SaveCardFormRetry,
  SaveCardFormRoot,
  type SaveCardFormRootProps,
  SaveCardFormRootProvider,
  type SaveCardFormRootProviderProps,
  SaveCardFormSubmit,
  type SaveCardFormSubmitProps,
  useSaveCardFormContext,
} from './save-card-form.js';
export {
  type SaveCardState,
  type SaveCardStatus,
  type UseSaveCardProps,
  type UseSaveCardReturn,
  useSaveCard,
} from './use-save-card.js';
