import type { PropertyValues, ReactiveController, ReactiveControllerHost } from 'lit';
import { nothing, render, type RenderOptions } from 'lit/html.js';

/** How a reactive property meets its attribute: the part of Lit's `PropertyDeclaration` the widget uses. */
export interface PropertyDeclaration {
  /** The attribute's name, or `false` for none. Default: the property's name in lower case. */
  readonly attribute?: string | false;
  /** `Boolean`: the attribute's presence. `Number`: its text as a number. Default: its text. */
  readonly type?: BooleanConstructor | NumberConstructor;
  /** Turns the attribute's text into the value, instead of `type`. */
  readonly converter?: (value: string | null) => unknown;
  /** Whether a new value is written back to the attribute. */
  readonly reflect?: boolean;
  /** Internal state: rendered from, never an attribute. */
  readonly state?: boolean;
}

export type Declarations = Record<string, PropertyDeclaration>;

const attributeOf = (name: string, { state, attribute }: PropertyDeclaration) => !state && (attribute ?? name.toLowerCase());

/** Attribute name to property name, per element class; made when the class is defined. */
const attributesOf = new WeakMap<object, Map<string, string>>();

/**
 * The element base: Lit's reactive update cycle (batched in a microtask, `willUpdate`, `render`
 * through lit-html, `updated`, reactive controllers, `updateComplete`) without LitElement, whose
 * generality (decorators, every converter, style fallbacks for old browsers) cost a tenth of the
 * bundle budget. It keeps Lit's semantics where the widget, its tests and its hosts rely on them:
 * nothing renders before the element is connected, values a framework set before the element was
 * defined are taken over, and `updateComplete` settles with `false` when another update followed.
 */
export abstract class ReactiveBase extends HTMLElement implements ReactiveControllerHost {
  /** The reactive properties. */
  static properties: Declarations = {};
  /** The stylesheet adopted by the shadow root. */
  static styles?: CSSStyleSheet;

  /** Made by `createRenderRoot` on the first connect. */
  renderRoot!: ShadowRoot;
  /** Whether an update is scheduled and not yet rendered. */
  isUpdatePending = false;
  /** Whether the element has rendered at least once. */
  hasUpdated = false;
  protected renderOptions: RenderOptions = { host: this };
  readonly #values = new Map<string, unknown>();
  #changed = new Map<string, unknown>();
  readonly #controllers = new Set<ReactiveController>();
  #early?: Array<[string, unknown]>;
  #connect!: (value: boolean) => void;
  #update = new Promise<boolean>((resolve) => (this.#connect = resolve));

  /** Read by `customElements.define`: the moment to give the class its property accessors. */
  static get observedAttributes(): string[] {
    const attributes = new Map<string, string>();
    for (const [name, declaration] of Object.entries(this.properties)) {
      Object.defineProperty(this.prototype, name, {
        get(this: ReactiveBase) {
          return this.#values.get(name);
        },
        set(this: ReactiveBase, value: unknown) {
          const old = this.#values.get(name);
          if (Object.is(old, value)) return;
          this.#values.set(name, value);
          this.requestUpdate(name, old);
        },
        configurable: true,
      });
      const attribute = attributeOf(name, declaration);
      if (attribute) attributes.set(attribute, name);
    }
    attributesOf.set(this, attributes);
    return [...attributes.keys()];
  }

  constructor() {
    super();
    // A framework may have set properties on the element before its class was defined: they
    // sit on the instance, hiding the accessors, until taken over at the first update.
    for (const name in this.#declarations) {
      if (Object.hasOwn(this, name)) {
        (this.#early ??= []).push([name, this[name as keyof this]]);
        delete this[name as keyof this];
      }
    }
    this.requestUpdate();
  }

  get #declarations(): Declarations {
    return (this.constructor as typeof ReactiveBase).properties;
  }

  /** Resolves once the pending update has rendered: `false` when another one was requested meanwhile. */
  get updateComplete(): Promise<boolean> {
    return this.#update;
  }

  addController(controller: ReactiveController): void {
    this.#controllers.add(controller);
    if (this.renderRoot && this.isConnected) controller.hostConnected?.();
  }

  removeController(controller: ReactiveController): void {
    this.#controllers.delete(controller);
  }

  /** Schedules an update; `name` and its `old` value go into the next `changed` map. */
  requestUpdate(name?: string, old?: unknown): void {
    if (name !== undefined && !this.#changed.has(name)) this.#changed.set(name, old);
    if (!this.isUpdatePending) {
      this.isUpdatePending = true;
      this.#update = this.#enqueue(this.#update);
    }
  }

  async #enqueue(previous: Promise<boolean>): Promise<boolean> {
    // A failed update was reported to whoever awaited it; the next one must still run. (No
    // `.catch()`: its extra microtask would let code awaiting the last update run before this one.)
    try {
      await previous;
    } catch {}
    this.#perform();
    return !this.isUpdatePending;
  }

  #perform(): void {
    const early = this.#early;
    this.#early = undefined;
    for (const [name, value] of early ?? []) this[name as keyof this] = value as this[keyof this];
    const changed = this.#changed;
    let view: unknown;
    try {
      this.willUpdate(changed);
      for (const controller of this.#controllers) controller.hostUpdate?.();
      for (const name of changed.keys()) {
        const declaration = this.#declarations[name];
        const attribute = declaration?.reflect && attributeOf(name, declaration);
        const value = this[name as keyof this];
        if (!attribute) continue;
        if (value == null || value === false) this.removeAttribute(attribute);
        else this.setAttribute(attribute, value === true ? '' : `${value}`);
      }
      view = this.render();
    } finally {
      // Changes made from here on (in `updated`, say) belong to the next update.
      this.#changed = new Map();
      this.isUpdatePending = false;
    }
    render(view, this.renderRoot, this.renderOptions);
    for (const controller of this.#controllers) controller.hostUpdated?.();
    this.hasUpdated = true;
    this.updated(changed);
  }

  attributeChangedCallback(attribute: string, _old: string | null, value: string | null): void {
    const name = attributesOf.get(this.constructor)?.get(attribute);
    if (!name) return;
    const { converter, type } = this.#declarations[name];
    this[name as keyof this] = (converter ? converter(value) : type === Boolean ? value !== null : type === Number && value !== null ? Number(value) : value) as this[keyof this];
  }

  connectedCallback(): void {
    this.renderRoot ??= this.createRenderRoot();
    this.#connect(true);
    for (const controller of this.#controllers) controller.hostConnected?.();
  }

  disconnectedCallback(): void {
    for (const controller of this.#controllers) controller.hostDisconnected?.();
  }

  protected createRenderRoot(): ShadowRoot {
    const root = this.shadowRoot ?? this.attachShadow({ mode: 'open' });
    const { styles } = this.constructor as typeof ReactiveBase;
    if (styles) root.adoptedStyleSheets = [styles];
    return root;
  }

  /** Before each render: derive state from the changed properties (changes made here join this update). */
  protected willUpdate(_changed: PropertyValues): void {}

  /** What to render into the shadow root. */
  protected render(): unknown {
    return nothing;
  }

  /** After each render: the DOM is up to date. */
  protected updated(_changed: PropertyValues): void {}
}
