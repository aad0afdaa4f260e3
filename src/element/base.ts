import type { PropertyValues, ReactiveController, ReactiveControllerHost } from 'lit';
import { nothing, render } from 'lit/html.js';

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

/** A class's declarations: its own, and those it inherits (a host may extend the widget). */
const inherited = (c: typeof ReactiveBase | undefined): Declarations => (c?.properties ? { ...inherited(Object.getPrototypeOf(c)), ...c.properties } : {});

/** Per element class, made when it is defined: its declarations, its own and inherited, and attribute name to property name. */
const classes = new WeakMap<object, [Declarations, Map<string, string>]>();

/**
 * The element base: Lit's reactive update cycle (batched in a microtask, `willUpdate`, `render`
 * through lit-html, `updated`, reactive controllers, `updateComplete`) without LitElement, whose
 * generality (decorators, every converter, style fallbacks for old browsers) cost a tenth of the
 * bundle budget. It keeps Lit's semantics where the widget, its tests and its hosts rely on them:
 * nothing renders before the element is connected, values a framework set before the element was
 * defined are taken over, and `updateComplete` settles with `false` when another update followed.
 */
export abstract class ReactiveBase extends HTMLElement implements ReactiveControllerHost {
  /** The reactive properties. @internal */
  static properties: Declarations = {};
  /** The stylesheet adopted by the shadow root. @internal */
  static styles?: CSSStyleSheet;

  /** Made by `createRenderRoot` on the first connect. @internal */
  renderRoot!: ShadowRoot;
  /** Whether an update is scheduled and not yet rendered. @internal */
  isUpdatePending = false;
  readonly #values = new Map<string, unknown>();
  #changed = new Map<string, unknown>();
  readonly #controllers = new Set<ReactiveController>();
  #early?: Record<string, unknown>;
  /** Properties whose attribute is written in the next update: changed other than from their attribute. */
  #reflect = new Set<string>();
  /** The property being set from its attribute, or written to it: the other direction must not echo it. */
  #syncing?: string;
  #connect!: (value: boolean) => void;
  #update = new Promise<boolean>((resolve) => (this.#connect = resolve));

  /** Read by `customElements.define`: the moment to give the class its property accessors. */
  static get observedAttributes(): string[] {
    const attributes = new Map<string, string>();
    const declarations = inherited(this);
    for (const [name, declaration] of Object.entries(declarations)) {
      Object.defineProperty(this.prototype, name, {
        get(this: ReactiveBase) {
          // Read on the prototype itself (developer tools do), there is no value.
          return #values in this ? this.#values.get(name) : undefined;
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
    classes.set(this, [declarations, attributes]);
    return [...attributes.keys()];
  }

  constructor() {
    super();
    // A framework may have set properties on the element before its class was defined: they
    // sit on the instance, hiding the accessors, until taken over at the first update.
    for (const name in this.#declarations) {
      if (Object.hasOwn(this, name)) {
        (this.#early ??= {})[name] = this[name as keyof this];
        delete this[name as keyof this];
      }
    }
    this.requestUpdate();
  }

  get #declarations(): Declarations {
    return classes.get(this.constructor)![0];
  }

  /** Resolves once the pending update has rendered: `false` when another one was requested meanwhile. */
  get updateComplete(): Promise<boolean> {
    return this.#update;
  }

  /** @internal */
  addController(controller: ReactiveController): void {
    this.#controllers.add(controller);
    if (this.renderRoot && this.isConnected) controller.hostConnected?.();
  }

  /** @internal */
  removeController(controller: ReactiveController): void {
    this.#controllers.delete(controller);
  }

  /** Schedules an update; `name` and its `old` value go into the next `changed` map. */
  requestUpdate(name?: string, old?: unknown): void {
    if (name !== undefined) {
      if (!this.#changed.has(name)) this.#changed.set(name, old);
      if (name != this.#syncing) this.#reflect.add(name);
    }
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
    // Through the accessors, as if set now.
    Object.assign(this, this.#early);
    this.#early = undefined;
    const changed = this.#changed;
    let view: unknown;
    try {
      this.willUpdate(changed);
      for (const controller of this.#controllers) controller.hostUpdate?.();
      for (const name of this.#reflect) {
        const declaration = this.#declarations[name];
        const attribute = declaration?.reflect && attributeOf(name, declaration);
        if (!attribute) continue;
        const value = this[name as keyof this];
        const text = declaration.type == Boolean ? (value ? '' : null) : value;
        this.#syncing = name;
        if (text == null) this.removeAttribute(attribute);
        else this.setAttribute(attribute, `${text}`);
        this.#syncing = undefined;
      }
      this.#reflect.clear();
      view = this.render();
    } finally {
      // Changes made from here on (in `updated`, say) belong to the next update.
      this.#changed = new Map();
      this.isUpdatePending = false;
    }
    // Event listeners in templates are called on the element.
    render(view, this.renderRoot, { host: this });
    for (const controller of this.#controllers) controller.hostUpdated?.();
    this.updated(changed);
  }

  attributeChangedCallback(attribute: string, _old: string | null, value: string | null): void {
    const name = classes.get(this.constructor)![1].get(attribute);
    if (!name || name == this.#syncing) return;
    const { converter, type } = this.#declarations[name];
    this.#syncing = name;
    this[name as keyof this] = (converter ? converter(value) : type === Boolean ? value !== null : type === Number && value !== null ? Number(value) : value) as this[keyof this];
    this.#syncing = undefined;
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
