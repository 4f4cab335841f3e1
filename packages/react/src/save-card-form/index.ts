export type { SaveCardFormMessages } from './messages.js';
export {
  SaveCardForm,
  SaveCardFormContext,
  SaveCardFormElement,
  SaveCardFormError,
  type SaveCardFormProps,
  SaveCardFormRetry,
  SaveCardFormRoot,
  type SaveCardFormRootProps,
  SaveCardFormRootProvider,
  type SaveCardFormRootProviderProps,
  SaveCardFormSubmit,
  useSaveCardFormContext,
} from './save-card-form.js';
export {
  type SaveCardState,
  type SaveCardStatus,
  type UseSaveCardProps,
  type UseSaveCardReturn,
  useSaveCard,
} from './use-save-card.js';
