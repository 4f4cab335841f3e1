'use client';
/**
 * `SavedCards`: the saved cards list's unstyled parts and their ready-made composition.
 */
import type { ComponentPropsWithoutRef, ReactNode } from 'react';
import { ConfirmStep } from '../internal/confirm-step.js';
import { createPartsContext } from '../internal/create-parts-context.js';
import {
  alertPart,
  chain,
  focusRoot,
  part,
  retryPart,
  root,
  rootProvider,
} from '../internal/part.js';
import { formatMessage } from '../messages/messages.js';
import {
  type SavedCard,
  type UseSavedCardsProps,
  type UseSavedCardsReturn,
  useSavedCards,
} from './use-saved-cards.js';

/** The context a Root gives its parts, and the hook the parts read it with (it throws outside a Root). */
export const [SavedCardsContext, useSavedCardsContext] =
  /* @__PURE__ */ createPartsContext<UseSavedCardsReturn>('SavedCards');

type Div = ComponentPropsWithoutRef<'div'>;
export type SavedCardsRootProviderProps = Div & { value: UseSavedCardsReturn };
export type SavedCardsRootProps = Div & UseSavedCardsProps;

/**
 * `<div>` for a `useSavedCards()` you called yourself. Focus lands here when a removed card's
 * button is gone, and when "Make default" goes.
 */
export const SavedCardsRootProvider = /* @__PURE__ */ rootProvider<
  UseSavedCardsReturn,
  Div,
  HTMLDivElement
>(SavedCardsContext, 'div', (value) => ({
  'data-slot': 'saved-cards',
  'data-state': value.status,
  'aria-busy': value.status === 'loading',
  // Focus lands here when a control goes: a named group says where it is ("Saved cards").
  role: 'group',
  'aria-label': value.messages.savedCards,
  tabIndex: -1,
}));

/** `<div>`: runs `useSavedCards()` and gives the parts its state. */
export const SavedCardsRoot = /* @__PURE__ */ root<UseSavedCardsProps, Div, HTMLDivElement>(
  SavedCardsRootProvider,
  useSavedCards,
  ['now'],
);

export interface SavedCardsListProps extends Omit<ComponentPropsWithoutRef<'ul'>, 'children'> {
  /** Renders each card. @default `<SavedCards.Card card={card} />` */
  children?: (card: SavedCard) => ReactNode;
}

/**
 * `<ul role="list">` of the cards, named "Saved cards"; nothing while there are none. The role is
 * explicit: WebKit drops the list role of a list styled `list-style: none`.
 */
export const SavedCardsList = /* @__PURE__ */ part<SavedCardsListProps, HTMLUListElement>(
  ({ children, ...props }) => {
    const { cards, messages } = useSavedCardsContext();
    return cards.length
      ? [
          'ul',
          {
            'data-slot': 'saved-cards-list',
            role: 'list',
            'aria-label': messages.savedCards,
            ...props,
            children: cards.map((card) =>
              children ? children(card) : <SavedCardsCard key={card.id} card={card} />,
            ),
          },
        ]
      : null;
  },
);

export interface SavedCardProps extends ComponentPropsWithoutRef<'li'> {
  card: SavedCard;
}

/**
 * `<li>` for one card: `data-state` is `expired`, `expiring` or `valid`, `data-default` marks the
 * default. Shows the brand and last four, the expiry, badges, "Make default", "Remove" and the
 * removal's confirmation unless given children.
 */
export const SavedCardsCard = /* @__PURE__ */ part<SavedCardProps, HTMLLIElement>(
  ({ card, children, ...props }) => {
    const { messages, labelId } = useSavedCardsContext();
    const flag = card.expired ? 'expired' : card.expiresSoon ? 'expiring' : null;
    return [
      'li',
      {
        'data-slot': 'saved-cards-card',
        'data-state': flag ?? 'valid',
        'data-default': card.isDefault || undefined,
        ...props,
        children: children ?? (
          <>
            <span data-slot="saved-cards-label" id={labelId(card.id)}>
              {card.label}
            </span>{' '}
            <span data-slot="saved-cards-expiry">
              {formatMessage(messages.cardExpires, { date: card.expiry })}
            </span>
            {card.isDefault ? (
              <span data-slot="saved-cards-badge" data-state="default">
                {messages.defaultCard}
              </span>
            ) : null}
            {flag ? (
              <span data-slot="saved-cards-badge" data-state={flag}>
                {card.expired ? messages.cardExpired : messages.cardExpiresSoon}
              </span>
            ) : null}
            <SavedCardsSetDefault card={card} />
            <SavedCardsRemove card={card} />
            <SavedCardsConfirm card={card} />
          </>
        ),
      },
    ];
  },
);

export interface SavedCardButtonProps extends ComponentPropsWithoutRef<'button'> {
  card: SavedCard;
}

/** A card's button; `use` answers its label and action, or null to hide it. */
const cardButton = (
  slot: string,
  use: (
    list: UseSavedCardsReturn,
    card: SavedCard,
  ) => [string, (event: { currentTarget: Element }) => unknown] | null,
) =>
  part<SavedCardButtonProps, HTMLButtonElement>(({ card, onClick, disabled, ...props }) => {
    const list = useSavedCardsContext();
    const found = use(list, card);
    return found
      ? [
          'button',
          {
            type: 'button',
            'data-slot': slot,
            'aria-describedby': list.labelId(card.id),
            children: found[0],
            ...props,
            disabled: disabled || list.pending !== null,
            onClick: chain(onClick, found[1]),
          },
        ]
      : null;
  });

/**
 * `<button>` "Make default"; not rendered for the default card. Pressed, it goes at once (the card
 * is the default), so focus moves to the list's root rather than the page's body.
 */
export const SavedCardsSetDefault = /* @__PURE__ */ cardButton(
  'saved-cards-set-default',
  (list, card) =>
    card.isDefault
      ? null
      : [
          list.messages.makeDefault,
          (event) => {
            focusRoot(event, 'saved-cards');
            return list.setDefault(card.id);
          },
        ],
);

/** `<button>` "Remove": opens the card's confirmation step. */
export const SavedCardsRemove = /* @__PURE__ */ cardButton('saved-cards-remove', (list, card) => [
  list.messages.removeCard,
  () => list.requestRemove(card.id),
]);

export interface SavedCardsConfirmProps extends Omit<Div, 'children'> {
  card: SavedCard;
}

/**
 * `<div role="alertdialog">` "Remove Visa ending in 4242?" with Keep / Remove, only while that
 * card's removal waits for confirmation. Focus moves to "Keep"; Escape closes it.
 */
export const SavedCardsConfirm = /* @__PURE__ */ part<SavedCardsConfirmProps, HTMLDivElement>(
  ({ card, ...props }, ref) => {
    const { confirming, messages, remove, requestRemove } = useSavedCardsContext();
    return confirming === card.id
      ? [
          ConfirmStep,
          {
            'data-slot': 'saved-cards-confirm',
            question: formatMessage(messages.removeCardQuestion, { card: card.label }),
            cancelLabel: messages.keepCard,
            confirmLabel: messages.removeCard,
            onCancel: () => requestRemove(null),
            onConfirm: () => remove(card.id),
            ...props,
            ref,
          },
        ]
      : null;
  },
);

/** `<div role="alert">`: why the cards could not load, or why an action failed; takes focus then. */
export const SavedCardsError = /* @__PURE__ */ alertPart('saved-cards-error', useSavedCardsContext);

export type SavedCardsRetryProps = ComponentPropsWithoutRef<'button'>;

/**
 * `<button>` "Try again", only while the cards could not be loaded: reads them again
 * (`refresh()`). It goes while they load, so focus moves to the list's root first.
 */
export const SavedCardsRetry = /* @__PURE__ */ retryPart('saved-cards', useSavedCardsContext);

export type SavedCardsProps = SavedCardsRootProps;

function SavedCardsComposed(props: SavedCardsProps): ReactNode {
  return (
    <SavedCardsRoot {...props}>
      <SavedCardsList />
      <SavedCardsStatus />
      <SavedCardsError />
      <SavedCardsRetry />
    </SavedCardsRoot>
  );
}

function SavedCardsStatus(): ReactNode {
  const { status, notice, messages } = useSavedCardsContext();
  return (
    <p data-slot="saved-cards-status" data-state={status} role="status">
      {status === 'loading'
        ? messages.loading
        : // Removing the last card: what happened, then what is left ("No saved cards.").
          [notice, status === 'empty' && messages.noSavedCards].filter(Boolean).join(' ') || null}
    </p>
  );
}

/**
 * The caller's saved cards: `<SavedCards />`, or its parts (`SavedCards.Root`, `.List`, `.Card`,
 * `.SetDefault`, `.Remove`, `.Confirm`, `.Error`, `.Retry`).
 * @example
 * <SavedCards />
 */
export const SavedCards = /* @__PURE__ */ Object.assign(SavedCardsComposed, {
  Root: SavedCardsRoot,
  RootProvider: SavedCardsRootProvider,
  List: SavedCardsList,
  Card: SavedCardsCard,
  SetDefault: SavedCardsSetDefault,
  Remove: SavedCardsRemove,
  Confirm: SavedCardsConfirm,
  Error: SavedCardsError,
  Retry: SavedCardsRetry,
});
