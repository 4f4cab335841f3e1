/**
 * The element inside its frame: draws the fields, formats and validates them as the customer
 * types, and, when the host page asks, sends the card to the sandbox API (`POST
 * /v1/payment_methods` with the publishable key) and answers with the payment method only.
 *
 * `win` is the frame's window. Served by the sandbox this script runs in the frame itself; with
 * `srcdoc` frames (MSW mode) it runs in the host page's realm and draws into the frame's
 * document, so it never relies on `instanceof` or the realm's globals for the frame's DOM.
 *
 * Every text it shows comes from locales.ts in the element's language; a new `locale` (from
 * `elements.update()`) rewrites them in place, so values, focus and shown errors stay.
 */
import { createApi } from '../api.js';
import {
  contentLocale,
  countryName,
  format,
  type MessageKey,
  messagesFor,
  type SandboxLanguage,
  type SandboxMessages,
  sandboxLanguage,
} from '../locales.js';
import type {
  ApiError,
  FrameInit,
  FrameMessage,
  FrameRequest,
  HostMessage,
  ValidationError,
} from '../protocol.js';
import { appearanceCss } from './appearance.js';
import {
  BRAND_NAMES,
  type CardBrand,
  detectBrand,
  type FieldState,
  formatCardNumber,
  formatCvc,
  formatExpiry,
  parseExpiry,
  validateCvc,
  validateExpiry,
  validateNumber,
} from './card-fields.js';
import {
  COUNTRIES,
  defaultCountry,
  findCountry,
  requiresPostalCode,
  validatePostalCode,
} from './countries.js';

type Control = HTMLInputElement | HTMLSelectElement;

/** A saved card as `GET /v1/elements/sessions` lists it (a PaymentMethod). */
interface SavedCard {
  id: string;
  type: string;
  billing_details?: unknown;
  card?: { brand: string; last4: string; exp_month: number; exp_year: number } & Record<
    string,
    unknown
  >;
}

interface Field {
  name: string;
  /** The `param` a validation error names. */
  param: string;
  control: Control;
  wrapper: HTMLElement;
  error: HTMLElement;
  touched: boolean;
  /** Counted for `empty` (a pre-selected country is not input). */
  countsForEmpty: boolean;
  visible(): boolean;
  validate(final: boolean): FieldState;
}

type Options = Record<string, unknown>;

function get(object: unknown, ...path: string[]): unknown {
  let current = object;
  for (const key of path) {
    if (!current || typeof current !== 'object') return undefined;
    current = (current as Record<string, unknown>)[key];
  }
  return current;
}

const NOT_REQUIRED: FieldState = { empty: true, complete: true, error: null };

function incomplete(value: string, final: boolean, messages: SandboxMessages): FieldState {
  const empty = !value.trim();
  return {
    empty,
    complete: !empty,
    error: empty && final ? { code: 'incomplete', message: messages.incompleteField } : null,
  };
}

export function startFrame(win: Window, port: MessagePort, init: FrameInit): void {
  const doc = win.document;
  const api = createApi(init.apiBase, init.publishableKey);
  let options: Options = { ...init.options };
  const fields: Field[] = [];
  let brand: CardBrand = 'unknown';
  /** The Payment Element's card fields (hidden while a saved card is chosen). */
  let cardContainer: HTMLElement | null = null;
  /** The saved card chosen in a Customer Session's list (null: a new card, or no list). */
  let savedChoice: SavedCard | null = null;
  /** The "Saved cards" radio group shown (none without cards), and what words its texts. */
  let savedGroup: HTMLFieldSetElement | null = null;
  let savedTranslations: Array<() => void> = [];
  /** Counts the sessions asked for: only the latest one's answer is shown. */
  let sessionRequest = 0;
  let focused = false;

  const post = (message: FrameMessage) => port.postMessage(message);

  const style = doc.createElement('style');
  style.textContent = appearanceCss(init.appearance);
  doc.head.append(style);
  // The raw locale still picks the default country (`pt-BR` starts on Brazil, in English).
  const locale = init.locale === 'auto' ? win.navigator.language : init.locale;
  let language: SandboxLanguage = sandboxLanguage(init.locale, win.navigator.language);
  let t: SandboxMessages = messagesFor(init.locale, win.navigator.language);
  doc.documentElement.lang = contentLocale(init.locale, win.navigator.language);

  /** What writes each text, run again when the language changes. */
  const translations: Array<() => void> = [];
  function localize(apply: () => void, into: Array<() => void> = translations): void {
    apply();
    into.push(apply);
  }

  const addressTitle = (): MessageKey =>
    get(options, 'mode') === 'shipping' ? 'shippingAddress' : 'billingAddress';

  const form = doc.createElement('form');
  form.noValidate = true;
  localize(() =>
    form.setAttribute('aria-label', t[init.kind === 'address' ? addressTitle() : 'cardDetails']),
  );
  form.addEventListener('submit', (event) => event.preventDefault());
  doc.body.append(form);

  function make<K extends keyof HTMLElementTagNameMap>(
    tag: K,
    attributes: Record<string, string> = {},
    text?: string,
  ): HTMLElementTagNameMap[K] {
    const element = doc.createElement(tag);
    for (const [name, value] of Object.entries(attributes)) element.setAttribute(name, value);
    if (text !== undefined) element.textContent = text;
    return element;
  }

  function addField(input: {
    name: string;
    param: string;
    label: MessageKey;
    control: Control;
    parent: HTMLElement;
    className?: string;
    hiddenLabel?: boolean;
    countsForEmpty?: boolean;
    visible?: () => boolean;
    validate: (final: boolean) => FieldState;
    trailing?: HTMLElement;
  }): Field {
    const wrapper = make('div', { class: `field ${input.className ?? input.name}` });
    const id = `field-${input.name}`;
    const label = make('label', { for: id });
    localize(() => {
      label.textContent = t[input.label];
    });
    if (input.hiddenLabel) label.className = 'visually-hidden';
    input.control.id = id;
    input.control.name = input.name;
    const error = make('p', { class: 'error', id: `${id}-error`, role: 'alert' });
    const box = make('div', { class: 'input' });
    box.append(input.control);
    if (input.trailing) {
      box.append(input.trailing);
      box.classList.add('has-brand');
    }
    const describedBy = [error.id, input.trailing?.id].filter(Boolean).join(' ');
    input.control.setAttribute('aria-describedby', describedBy);
    input.control.setAttribute('aria-invalid', 'false');
    wrapper.append(label, box, error);
    input.parent.append(wrapper);
    const field: Field = {
      name: input.name,
      param: input.param,
      control: input.control,
      wrapper,
      error,
      touched: false,
      countsForEmpty: input.countsForEmpty ?? true,
      visible: input.visible ?? (() => true),
      validate: input.validate,
    };
    fields.push(field);
    return field;
  }

  function textInput(attributes: Record<string, string>): HTMLInputElement {
    return make('input', { type: 'text', spellcheck: 'false', ...attributes });
  }

  /** The countries by name in the element's language, the chosen one kept when it changes. */
  function countrySelect(initial: string): HTMLSelectElement {
    const select = make('select', { autocomplete: 'country' });
    localize(() => {
      const chosen = select.value || findCountry(initial)?.code || 'US';
      const collator = new Intl.Collator(language);
      const named = COUNTRIES.map((country) => ({
        code: country.code,
        name: countryName(country.code, country.name, language),
      })).sort((a, b) => collator.compare(a.name, b.name));
      select.replaceChildren(
        ...named.map(({ code, name }) => make('option', { value: code }, name)),
      );
      select.value = chosen;
    });
    return select;
  }

  // --- the card fields ---------------------------------------------------------------------------

  const now = () => new Date();
  const numberInput = textInput({
    inputmode: 'numeric',
    autocomplete: 'cc-number',
    placeholder: '1234 1234 1234 1234',
  });
  const brandBadge = make('span', { class: 'brand', id: 'card-brand', 'data-brand': 'unknown' });
  const expiryInput = textInput({ inputmode: 'numeric', autocomplete: 'cc-exp' });
  localize(() => {
    expiryInput.placeholder = t.expiryPlaceholder;
  });
  const cvcInput = textInput({ inputmode: 'numeric', autocomplete: 'cc-csc', placeholder: 'CVC' });
  const billingCountry = (): string =>
    (fields.find((field) => field.name === 'country')?.control.value ?? '') ||
    String(get(options, 'defaultValues', 'billingDetails', 'address', 'country') ?? 'US');

  function addressFieldMode(part: 'country' | 'postalCode'): 'never' | 'auto' {
    const address = get(options, 'fields', 'billingDetails', 'address');
    if (address === 'never') return 'never';
    return get(address, part) === 'never' ? 'never' : 'auto';
  }

  function drawCardFields() {
    const compact = init.kind === 'card';
    const container = compact ? make('div', { class: 'card-row' }) : make('fieldset');
    if (!compact) cardContainer = container;
    if (!compact) {
      const legend = make('legend');
      localize(() => {
        legend.textContent = t.card;
      });
      container.append(legend);
    }
    form.append(container);
    addField({
      name: 'number',
      param: 'number',
      label: 'cardNumber',
      control: numberInput,
      parent: container,
      hiddenLabel: compact,
      trailing: brandBadge,
      validate: (final) => validateNumber(numberInput.value, final, t),
    });
    const row = compact ? container : make('div', { class: 'row' });
    if (!compact) container.append(row);
    addField({
      name: 'expiry',
      param: 'exp',
      label: 'expirationDate',
      control: expiryInput,
      parent: row,
      hiddenLabel: compact,
      validate: (final) => validateExpiry(expiryInput.value, final, now(), t),
    });
    addField({
      name: 'cvc',
      param: 'cvc',
      label: 'securityCode',
      control: cvcInput,
      parent: row,
      hiddenLabel: compact,
      validate: (final) => validateCvc(cvcInput.value, brand, final, t),
    });
    if (compact) {
      const postal = textInput({ autocomplete: 'postal-code' });
      localize(() => {
        postal.placeholder = t.zipPlaceholder;
      });
      postal.value = String(get(options, 'value', 'postalCode') ?? '');
      addField({
        name: 'postal',
        param: 'postal_code',
        label: 'postalCode',
        control: postal,
        parent: row,
        hiddenLabel: true,
        visible: () => get(options, 'hidePostalCode') !== true,
        validate: (final) => incomplete(postal.value, final, t),
      });
      return;
    }
    const place = make('div', { class: 'row' });
    container.append(place);
    const initialCountry = defaultCountry(
      get(options, 'defaultValues', 'billingDetails', 'address', 'country') as string | undefined,
      locale,
    );
    const country = countrySelect(initialCountry);
    addField({
      name: 'country',
      param: 'country',
      label: 'country',
      control: country,
      parent: place,
      countsForEmpty: false,
      visible: () => addressFieldMode('country') !== 'never',
      validate: () => ({ empty: false, complete: true, error: null }),
    });
    const postal = textInput({ autocomplete: 'postal-code' });
    postal.value = String(
      get(options, 'defaultValues', 'billingDetails', 'address', 'postal_code') ?? '',
    );
    addField({
      name: 'postal',
      param: 'postal_code',
      label: 'postalCode',
      control: postal,
      parent: place,
      visible: () =>
        addressFieldMode('postalCode') !== 'never' && requiresPostalCode(billingCountry()),
      validate: (final) => validatePostalCode(postal.value, billingCountry(), final, t),
    });
  }

  // --- the address fields ------------------------------------------------------------------------

  function drawAddressFields() {
    const defaults = (get(options, 'defaultValues') ?? {}) as Options;
    const address = (get(defaults, 'address') ?? {}) as Record<string, string | undefined>;
    const fieldset = make('fieldset');
    const legend = make('legend');
    localize(() => {
      legend.textContent = t[addressTitle()];
    });
    fieldset.append(legend);
    form.append(fieldset);
    const text = (name: string, label: MessageKey, autocomplete: string, required: boolean) => {
      const input = textInput({ autocomplete });
      input.value = name === 'name' ? String(get(defaults, 'name') ?? '') : (address[name] ?? '');
      return addField({
        name,
        param: name,
        label,
        control: input,
        parent: fieldset,
        validate: (final) =>
          required ? incomplete(input.value, final, t) : { ...NOT_REQUIRED, empty: !input.value },
      });
    };
    text('name', 'fullName', 'name', true);
    addField({
      name: 'country',
      param: 'country',
      label: 'country',
      control: countrySelect(defaultCountry(address.country, locale)),
      parent: fieldset,
      countsForEmpty: false,
      validate: () => ({ empty: false, complete: true, error: null }),
    });
    text('line1', 'addressLine1', 'address-line1', true);
    text('line2', 'addressLine2', 'address-line2', false);
    text('city', 'city', 'address-level2', true);
    text('state', 'state', 'address-level1', false);
    const postal = textInput({ autocomplete: 'postal-code' });
    postal.value = address.postal_code ?? '';
    addField({
      name: 'postal_code',
      param: 'postal_code',
      label: 'postalCode',
      control: postal,
      parent: fieldset,
      validate: (final) => validatePostalCode(postal.value, billingCountry(), final, t),
    });
  }

  if (init.kind === 'address') drawAddressFields();
  else drawCardFields();
  if (init.kind === 'payment') {
    // A saved card needs no card fields: they are neither shown nor validated.
    for (const field of fields) {
      const shown = field.visible;
      field.visible = () => savedChoice === null && shown();
    }
  }

  // --- saved cards (Customer Session) ------------------------------------------------------------

  /** What the card fields held before the customer typed (a postal code from `defaultValues`). */
  const startValues = new Map(fields.map((field) => [field.name, field.control.value]));
  const typedIntoCardFields = () =>
    fields.some(
      (field) =>
        field.control.tagName !== 'SELECT' &&
        field.control.value !== '' &&
        field.control.value !== startValues.get(field.name),
    );

  /**
   * The session customer's saved cards the Payment Element may show, newest first. None when the
   * session is expired, unknown, or for another customer than the intent's.
   */
  async function fetchSavedCards(secret: string): Promise<SavedCard[]> {
    const result = await api.get<{ customer?: { payment_methods?: SavedCard[] } | null }>(
      '/v1/elements/sessions',
      {
        customer_session_client_secret: secret,
        client_secret: init.clientSecret,
        type: init.clientSecret
          ? init.clientSecret.startsWith('seti_')
            ? 'setup_intent'
            : 'payment_intent'
          : 'deferred_intent',
      },
    );
    if (!result.ok) {
      // An expired session is expected (the page stayed open): Stripe shows no saved cards then.
      if (result.error.code === 'customer_session_expired') return [];
      console.warn(
        `[Tillkit sandbox] The Payment Element shows no saved cards: ${result.error.message ?? result.error.type}`,
      );
      return [];
    }
    return (result.body.customer?.payment_methods ?? []).filter((pm) => pm.card);
  }

  /**
   * Shows `cards` as a radio group above a "New card" choice, in place of the list shown before,
   * as Stripe's Payment Element does. The first list chooses the newest card, unless the customer
   * has typed a card already ("New card" then, the fields as they are). A new list keeps the
   * choice: a card still listed, or "New card"; a card no longer listed falls back to the newest.
   * No cards: the card fields alone, as without a session.
   */
  function showSavedCards(cards: SavedCard[]): void {
    if (!cardContainer) return;
    const container = cardContainer;
    const hadList = savedGroup !== null;
    const hadFocus = savedGroup?.contains(doc.activeElement) ?? false;
    const chosen = savedChoice;
    savedGroup?.remove();
    savedGroup = null;
    savedTranslations = [];
    if (!hadList) savedChoice = typedIntoCardFields() ? null : (cards[0] ?? null);
    else if (chosen) savedChoice = cards.find((card) => card.id === chosen.id) ?? cards[0] ?? null;
    container.hidden = savedChoice !== null;
    if (!cards.length) return;

    const group = make('fieldset', { class: 'saved-methods' });
    const legend = make('legend');
    localize(() => {
      legend.textContent = t.savedCards;
    }, savedTranslations);
    group.append(legend);
    const choose = (card: SavedCard | null) => {
      savedChoice = card;
      container.hidden = card !== null;
      emitChange();
    };
    const option = (value: string, text: () => HTMLElement[], card: SavedCard | null) => {
      const row = make('div', { class: 'saved-option' });
      const radio = make('input', {
        type: 'radio',
        name: 'saved-payment-method',
        id: `saved-${value}`,
        value,
      });
      radio.checked = card?.id === savedChoice?.id;
      const label = make('label', { for: radio.id });
      localize(() => label.replaceChildren(...text()), savedTranslations);
      radio.addEventListener('change', () => {
        if (radio.checked) choose(card);
      });
      row.append(radio, label);
      group.append(row);
    };
    for (const card of cards) {
      option(
        card.id,
        () => {
          const details = card.card as NonNullable<SavedCard['card']>;
          const name = BRAND_NAMES[details.brand as CardBrand] || details.brand;
          const month = String(details.exp_month).padStart(2, '0');
          const year = String(details.exp_year % 100).padStart(2, '0');
          return [
            make('span', { class: 'saved-card' }, `${name} •••• ${details.last4}`),
            make(
              'span',
              { class: 'saved-expiry' },
              format(t.savedCardExpires, { date: `${month}/${year}` }),
            ),
          ];
        },
        card,
      );
    }
    option('new', () => [make('span', { class: 'saved-card' }, t.newCard)], null);
    form.insertBefore(group, container);
    savedGroup = group;
    // A keyboard user in the old list stays on the choice in the new one.
    if (hadFocus) group.querySelector<HTMLInputElement>('input:checked')?.focus();
  }

  /** Lists a session's saved cards; a later session wins over an earlier one still loading. */
  async function listSavedCards(secret: string): Promise<void> {
    const request = ++sessionRequest;
    let cards: SavedCard[] = [];
    try {
      cards = await fetchSavedCards(secret);
    } catch (error) {
      console.warn('[Tillkit sandbox] Could not load the saved cards:', error);
    }
    if (request === sessionRequest) showSavedCards(cards);
  }

  // --- state -------------------------------------------------------------------------------------

  function fieldNamed(name: string): Field | undefined {
    return fields.find((field) => field.name === name);
  }

  function render(field: Field, state: FieldState) {
    const shown = field.visible();
    field.wrapper.hidden = !shown;
    const error = shown ? state.error : null;
    field.error.textContent = error?.message ?? '';
    field.control.setAttribute('aria-invalid', error ? 'true' : 'false');
  }

  function evaluate(final: boolean) {
    let empty = true;
    let complete = true;
    let firstError: { field: Field; error: NonNullable<FieldState['error']> } | null = null;
    for (const field of fields) {
      const state = field.validate(final || field.touched);
      render(field, state);
      if (!field.visible()) continue;
      if (field.countsForEmpty && !state.empty) empty = false;
      if (!state.complete) complete = false;
      if (state.error && !firstError) firstError = { field, error: state.error };
    }
    return { empty, complete, firstError };
  }

  function addressValue() {
    const value = (name: string) => fieldNamed(name)?.control.value ?? '';
    return {
      name: value('name'),
      address: {
        line1: value('line1'),
        line2: value('line2') || null,
        city: value('city'),
        state: value('state'),
        postal_code: value('postal_code'),
        country: value('country'),
      },
    };
  }

  function changeEvent(): Record<string, unknown> {
    const { empty, complete, firstError } = evaluate(false);
    if (init.kind === 'address') {
      return {
        elementType: 'address',
        empty,
        complete,
        isNewAddress: false,
        value: addressValue(),
      };
    }
    if (init.kind === 'card') {
      return {
        elementType: 'card',
        empty,
        complete,
        brand,
        error: firstError
          ? {
              type: 'validation_error',
              code: firstError.error.code,
              message: firstError.error.message,
            }
          : undefined,
        value: { postalCode: fieldNamed('postal')?.control.value ?? '' },
      };
    }
    if (savedChoice) {
      // Stripe's change event names the saved payment method chosen.
      return {
        elementType: 'payment',
        empty: false,
        complete: true,
        collapsed: false,
        value: {
          type: 'card',
          payment_method: {
            id: savedChoice.id,
            type: 'card',
            billing_details: savedChoice.billing_details,
            card: savedChoice.card,
          },
        },
      };
    }
    return {
      elementType: 'payment',
      empty,
      complete,
      collapsed: false,
      value: { type: 'card' },
    };
  }

  let lastChange = '';
  function emitChange(force = false) {
    const event = changeEvent();
    const key = JSON.stringify(event);
    if (!force && key === lastChange) return;
    lastChange = key;
    post({ type: 'change', event });
  }

  function updateBrand() {
    brand = detectBrand(numberInput.value.replace(/\D/g, ''));
    brandBadge.textContent = BRAND_NAMES[brand];
    brandBadge.dataset.brand = brand;
    cvcInput.placeholder = brand === 'amex' ? 'CVV' : 'CVC';
    const cvc = formatCvc(cvcInput.value, brand);
    if (cvc !== cvcInput.value) cvcInput.value = cvc;
  }

  const previous = new Map<string, string>();
  for (const field of fields) {
    previous.set(field.name, field.control.value);
    field.control.addEventListener('input', () => {
      const control = field.control;
      if (field.name === 'number') {
        control.value = formatCardNumber(control.value);
        updateBrand();
      } else if (field.name === 'expiry') {
        control.value = formatExpiry(control.value, previous.get('expiry') ?? '');
      } else if (field.name === 'cvc') {
        control.value = formatCvc(control.value, brand);
      }
      previous.set(field.name, control.value);
      emitChange();
    });
    field.control.addEventListener('change', () => emitChange());
    field.control.addEventListener('blur', () => {
      if (field.control.value) field.touched = true;
      emitChange();
    });
  }

  form.addEventListener('focusin', () => {
    if (focused) return;
    focused = true;
    post({ type: 'focus' });
  });
  form.addEventListener('focusout', (event) => {
    const next = (event as FocusEvent).relatedTarget as Node | null;
    if (next && form.contains(next)) return;
    focused = false;
    post({ type: 'blur' });
  });
  doc.addEventListener('keydown', (event) => {
    if ((event as KeyboardEvent).key === 'Escape') post({ type: 'escape' });
  });

  function applyOptions() {
    const readOnly = get(options, 'readOnly') === true || get(options, 'disabled') === true;
    for (const field of fields) {
      if (field.control.tagName === 'SELECT')
        (field.control as HTMLSelectElement).disabled = readOnly;
      else (field.control as HTMLInputElement).readOnly = readOnly;
    }
    evaluate(false);
  }

  /** `elements.update({ locale })`: every text again in the new language. */
  function relocalize(next: string) {
    doc.documentElement.lang = contentLocale(next, win.navigator.language);
    const nextLanguage = sandboxLanguage(next, win.navigator.language);
    if (nextLanguage === language) return;
    language = nextLanguage;
    t = messagesFor(next, win.navigator.language);
    for (const apply of [...translations, ...savedTranslations]) apply();
    // Shown errors are worded again; the Card Element's change event carries the new wording.
    emitChange();
  }

  // --- requests ----------------------------------------------------------------------------------

  function validateAll(): ValidationError | null {
    for (const field of fields) if (field.visible()) field.touched = true;
    const { firstError } = evaluate(true);
    emitChange();
    if (!firstError) return null;
    firstError.field.control.focus();
    return {
      type: 'validation_error',
      code: firstError.error.code,
      message: firstError.error.message,
      param: firstError.field.param,
    };
  }

  async function createPaymentMethod(
    request: Extract<FrameRequest, { action: 'create-payment-method' }>,
  ): Promise<{ paymentMethod: unknown } | { error: ApiError | ValidationError }> {
    if (init.kind === 'address') {
      return {
        error: { type: 'invalid_request_error', message: 'The Address Element collects no card.' },
      };
    }
    // A saved card is used as it is (Stripe.js confirms with its id).
    if (savedChoice) return { paymentMethod: savedChoice };
    const invalid = validateAll();
    if (invalid) return { error: invalid };
    const expiry = parseExpiry(expiryInput.value);
    const given = (request.billingDetails ?? {}) as Record<string, unknown>;
    const givenAddress = (given.address ?? {}) as Record<string, unknown>;
    const country = fieldNamed('country');
    const postal = fieldNamed('postal');
    const address = {
      ...givenAddress,
      ...(country?.visible() ? { country: country.control.value } : {}),
      ...(postal?.visible() && postal.control.value ? { postal_code: postal.control.value } : {}),
    };
    const result = await api.post<{ id: string }>('/v1/payment_methods', {
      type: 'card',
      card: {
        number: numberInput.value.replace(/\D/g, ''),
        exp_month: expiry?.month,
        exp_year: expiry?.year,
        cvc: cvcInput.value,
      },
      billing_details: { ...given, ...(Object.keys(address).length ? { address } : {}) },
      metadata: request.metadata,
      allow_redisplay: request.allowRedisplay,
    });
    if (!result.ok) return { error: result.error };
    return { paymentMethod: result.body };
  }

  async function answer(request: FrameRequest): Promise<unknown> {
    if (request.action === 'validate') {
      const error = validateAll();
      return error ? { error } : {};
    }
    if (request.action === 'get-value') {
      const { complete } = evaluate(false);
      return { complete, isNewAddress: false, value: addressValue() };
    }
    return createPaymentMethod(request);
  }

  port.onmessage = (event: MessageEvent<HostMessage>) => {
    const message = event.data;
    switch (message.type) {
      case 'update':
        options = { ...options, ...message.options };
        applyOptions();
        emitChange();
        break;
      case 'appearance':
        style.textContent = appearanceCss(message.appearance);
        relocalize(message.locale);
        break;
      case 'customer-session':
        // A change event only if what would be confirmed changed (emitChange compares).
        if (init.kind === 'payment') void listSavedCards(message.secret).then(() => emitChange());
        break;
      case 'focus': {
        const checked = doc.querySelector<HTMLInputElement>('.saved-methods input:checked');
        if (savedChoice && checked) checked.focus();
        else fields.find((field) => field.visible())?.control.focus();
        break;
      }
      case 'blur':
        (doc.activeElement as HTMLElement | null)?.blur?.();
        break;
      case 'clear':
        for (const field of fields) {
          if (field.control.tagName !== 'SELECT') field.control.value = '';
          field.touched = false;
        }
        updateBrand();
        emitChange();
        break;
      case 'collapse':
        break;
      case 'request':
        void answer(message.request).then(
          (result) => post({ type: 'response', id: message.id, result }),
          (error: unknown) =>
            post({
              type: 'response',
              id: message.id,
              result: {
                error: { type: 'api_error', message: String((error as Error)?.message ?? error) },
              },
            }),
        );
        break;
    }
  };

  function start() {
    updateBrand();
    applyOptions();
    const height = () => Math.ceil(doc.documentElement.getBoundingClientRect().height);
    const Observer = (win as unknown as { ResizeObserver: typeof ResizeObserver }).ResizeObserver;
    let lastHeight = 0;
    new Observer(() => {
      const next = height();
      if (next === lastHeight) return;
      lastHeight = next;
      post({ type: 'resize', height: next });
    }).observe(doc.body);
    lastHeight = height();
    post({ type: 'ready', height: lastHeight });
    lastChange = JSON.stringify(changeEvent());
  }

  // With a Customer Session the element is ready once its saved cards are drawn.
  const sessionSecret = init.kind === 'payment' ? init.customerSessionClientSecret : undefined;
  if (sessionSecret) {
    void listSavedCards(sessionSecret).then(start);
  } else {
    start();
  }
}
