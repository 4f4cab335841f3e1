/**
 * An element on the host page's side: an iframe (from the sandbox's origin, or a `srcdoc` frame in
 * MSW mode) that draws the fields, plus Stripe.js's element API around it: `mount`, `unmount`,
 * `destroy`, `on` / `off` / `once`, `update`, `focus`, `blur`, `clear`, `collapse`.
 */
import { IntegrationError } from './errors.js';
import { startFrame } from './frame/frame-app.js';
import { FRAME_TITLE, frameHtml } from './frame/frame-html.js';
import {
  type ApiError,
  type Appearance,
  type ElementKind,
  type FrameInit,
  type FrameMessage,
  type FrameRequest,
  type HostMessage,
  INIT_MESSAGE,
} from './protocol.js';

/** How an element's frames are made. */
export type FrameMode =
  /** Loaded from the sandbox's origin: the host page cannot read the card fields. */
  | 'isolated'
  /** `srcdoc` frames of the host page's origin, for MSW mode (no isolation: tests only). */
  | 'inline';

/** What an element needs from its Elements group. */
export interface ElementContext {
  apiBase: string;
  publishableKey: string;
  frames: FrameMode;
  appearance(): Appearance | undefined;
  locale(): string;
  /** The group's `customerSessionClientSecret` (saved cards) and intent `clientSecret`. */
  customerSessionClientSecret?: (() => string | undefined) | undefined;
  clientSecret?: (() => string | undefined) | undefined;
  /** Loads what the element shows (the intent); an error fires `loaderror` instead of `ready`. */
  load(kind: ElementKind): Promise<ApiError | null>;
  /** The customer changed a field (a past `submit()` no longer counts). */
  changed(element: SandboxElement): void;
  destroyed(element: SandboxElement): void;
}

type Handler = (event: unknown) => void;

const NOT_MOUNTED =
  'We could not retrieve data from the specified Element. Please make sure the Element you are attempting to use is still mounted.';

export class SandboxElement {
  readonly elementType: ElementKind;
  #options: Record<string, unknown>;
  readonly #context: ElementContext;
  readonly #handlers = new Map<string, Set<Handler>>();
  readonly #pending = new Map<number, (result: unknown) => void>();
  #nextId = 1;
  #wrapper: HTMLElement | null = null;
  #iframe: HTMLIFrameElement | null = null;
  #port: MessagePort | null = null;
  #frameReady: Promise<void> | null = null;
  #destroyed = false;
  #lastChange: Record<string, unknown> | null = null;

  constructor(kind: ElementKind, options: Record<string, unknown>, context: ElementContext) {
    this.elementType = kind;
    this.#options = { ...options };
    this.#context = context;
  }

  get mounted(): boolean {
    return this.#wrapper !== null;
  }

  /** The options given to `create()` and `update()`. */
  get options(): Readonly<Record<string, unknown>> {
    return this.#options;
  }

  /** The Elements group's `locale` (`'auto'` when none was given). */
  get locale(): string {
    return this.#context.locale();
  }

  /** The latest `change` event (complete, empty, …). */
  get lastChange(): Record<string, unknown> | null {
    return this.#lastChange;
  }

  mount(target: string | HTMLElement): void {
    this.#assertAlive();
    if (this.#wrapper) {
      throw new IntegrationError(
        'This Element is already mounted. Use `unmount()` to unmount the Element before re-mounting.',
      );
    }
    const container =
      typeof target === 'string' ? document.querySelector<HTMLElement>(target) : target;
    if (!container || typeof container !== 'object' || container.nodeType !== 1) {
      throw new IntegrationError(
        typeof target === 'string'
          ? `The selector you specified (${target}) applies to no DOM elements that are currently on the page.\nMake sure the element exists on the page before calling mount().`
          : 'Invalid DOM element. Make sure to call mount() with a valid DOM element or selector.',
      );
    }
    const wrapper = document.createElement('div');
    wrapper.className = `__TillkitSandboxElement __TillkitSandboxElement--${this.elementType}`;
    wrapper.style.margin = '0';
    const iframe = document.createElement('iframe');
    iframe.title = FRAME_TITLE;
    iframe.name = `__tillkitSandboxFrame${Math.random().toString(36).slice(2)}`;
    iframe.setAttribute('frameborder', '0');
    iframe.setAttribute('scrolling', 'no');
    iframe.setAttribute('allowtransparency', 'true');
    Object.assign(iframe.style, {
      border: '0',
      width: '100%',
      minWidth: '100%',
      display: 'block',
      height: '1px',
      overflow: 'hidden',
      colorScheme: 'normal',
    });

    const channel = new MessageChannel();
    this.#port = channel.port1;
    const init: FrameInit = {
      kind: this.elementType,
      options: this.#options,
      appearance: this.#context.appearance(),
      locale: this.#context.locale(),
      apiBase: this.#context.apiBase,
      publishableKey: this.#context.publishableKey,
      customerSessionClientSecret: this.#context.customerSessionClientSecret?.(),
      clientSecret: this.#context.clientSecret?.(),
    };
    const port = channel.port1;
    this.#frameReady = new Promise<void>((resolve) => {
      port.onmessage = (event: MessageEvent<FrameMessage>) => {
        if (event.data.type === 'ready') resolve();
        this.#receive(event.data);
      };
    });
    iframe.addEventListener(
      'load',
      () => {
        const frameWindow = iframe.contentWindow;
        if (!frameWindow) return;
        if (this.#context.frames === 'inline') {
          startFrame(frameWindow, channel.port2, init);
        } else {
          frameWindow.postMessage(
            { type: INIT_MESSAGE, init },
            new URL(this.#context.apiBase).origin,
            [channel.port2],
          );
        }
      },
      { once: true },
    );
    if (this.#context.frames === 'inline') iframe.srcdoc = frameHtml();
    else iframe.src = `${this.#context.apiBase}/elements/frame.html`;
    wrapper.append(iframe);
    container.append(wrapper);
    this.#wrapper = wrapper;
    this.#iframe = iframe;
    if (this.elementType !== 'card') this.#emit('loaderstart', { elementType: this.elementType });
  }

  unmount(): void {
    this.#assertAlive();
    this.#detach();
  }

  destroy(): void {
    if (this.#destroyed) return;
    this.#detach();
    this.#destroyed = true;
    this.#handlers.clear();
    this.#context.destroyed(this);
  }

  on(event: string, handler: Handler): this {
    let set = this.#handlers.get(event);
    if (!set) {
      set = new Set();
      this.#handlers.set(event, set);
    }
    set.add(handler);
    return this;
  }

  off(event: string, handler?: Handler): this {
    if (handler) this.#handlers.get(event)?.delete(handler);
    else this.#handlers.delete(event);
    return this;
  }

  once(event: string, handler: Handler): this {
    const wrapped: Handler = (payload) => {
      this.off(event, wrapped);
      handler(payload);
    };
    return this.on(event, wrapped);
  }

  update(options: Record<string, unknown>): void {
    this.#assertAlive();
    this.#options = { ...this.#options, ...options };
    this.#send({ type: 'update', options });
  }

  focus(): void {
    this.#assertAlive();
    this.#iframe?.focus();
    this.#send({ type: 'focus' });
  }

  blur(): void {
    this.#assertAlive();
    this.#send({ type: 'blur' });
  }

  clear(): void {
    this.#assertAlive();
    this.#send({ type: 'clear' });
  }

  collapse(): this {
    this.#assertAlive();
    this.#send({ type: 'collapse' });
    return this;
  }

  /** The Address Element's value (`{ complete, isNewAddress, value }`). */
  getValue(): Promise<unknown> {
    if (this.elementType !== 'address') {
      throw new IntegrationError('getValue() is available on the Address Element only.');
    }
    return this.request({ action: 'get-value' });
  }

  /** Asks the frame something; throws if the element is not mounted (as Stripe.js does). */
  async request(request: FrameRequest): Promise<unknown> {
    this.#assertAlive();
    if (!this.#port || !this.#frameReady) throw new IntegrationError(NOT_MOUNTED);
    const port = this.#port;
    await this.#frameReady;
    const id = this.#nextId++;
    return new Promise((resolve) => {
      this.#pending.set(id, resolve);
      port.postMessage({ type: 'request', id, request } satisfies HostMessage);
    });
  }

  /** The group's appearance or locale changed. */
  restyle(): void {
    this.#send({
      type: 'appearance',
      appearance: this.#context.appearance(),
      locale: this.#context.locale(),
    });
  }

  /**
   * The group's `customerSessionClientSecret` changed: a mounted Payment Element lists the saved
   * cards of the new session (an element mounted later starts with it).
   */
  customerSessionChanged(): void {
    const secret = this.#context.customerSessionClientSecret?.();
    if (this.elementType !== 'payment' || !secret) return;
    this.#send({ type: 'customer-session', secret });
  }

  #send(message: HostMessage): void {
    const port = this.#port;
    if (!port || !this.#frameReady) return;
    void this.#frameReady.then(() => port.postMessage(message));
  }

  #receive(message: FrameMessage): void {
    switch (message.type) {
      case 'ready':
        this.#resize(message.height);
        void this.#context.load(this.elementType).then((error) => {
          if (!this.#wrapper) return;
          if (error) this.#emit('loaderror', { elementType: this.elementType, error });
          else this.#emit('ready', { elementType: this.elementType });
        });
        break;
      case 'resize':
        this.#resize(message.height);
        break;
      case 'change':
        this.#lastChange = message.event;
        this.#context.changed(this);
        this.#emit('change', message.event);
        break;
      case 'focus':
      case 'blur':
      case 'escape':
        this.#emit(message.type, { elementType: this.elementType });
        break;
      case 'response': {
        const resolve = this.#pending.get(message.id);
        this.#pending.delete(message.id);
        resolve?.(message.result);
        break;
      }
    }
  }

  #resize(height: number): void {
    if (this.#iframe) this.#iframe.style.height = `${height}px`;
  }

  #emit(event: string, payload: unknown): void {
    for (const handler of [...(this.#handlers.get(event) ?? [])]) {
      try {
        handler(payload);
      } catch (error) {
        // A throwing handler must not break the element (Stripe.js reports and goes on).
        setTimeout(() => {
          throw error;
        });
      }
    }
  }

  #detach(): void {
    this.#wrapper?.remove();
    this.#port?.close();
    for (const resolve of this.#pending.values()) {
      resolve({ error: { type: 'invalid_request_error', message: NOT_MOUNTED } });
    }
    this.#pending.clear();
    this.#wrapper = null;
    this.#iframe = null;
    this.#port = null;
    this.#frameReady = null;
  }

  #assertAlive(): void {
    if (this.#destroyed) {
      throw new IntegrationError(
        'This Element has already been destroyed. Please create a new one.',
      );
    }
  }
}
