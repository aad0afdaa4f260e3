import { expect, fixture, html } from '@open-wc/testing';
import { waitUntil } from './wait.js';
import { nothing } from 'lit';
import '../../src/element/define.js';
import type { MercariChatSupport } from '../../src/element/mercari-chat-support.js';
import { DB_PREFIX } from '../../src/outbox/db.js';
import type { ChatTransport } from '../../src/transport/types.js';

export { macrotask, until } from './wait.js';

/** The ids `uniqueUser` handed out on this page. */
const ownUsers = new Set<string>();

/** A user id no other test uses, so every test starts with an empty database. */
export const uniqueUser = () => {
  const id = `test-${crypto.randomUUID()}`;
  ownUsers.add(id);
  return id;
};

/**
 * Deletes the databases this page's tests created, so tests never see each other's data. Test
 * files run side by side in one browser (same origin): another page's unique users are left
 * alone, since deleting a database under a live widget makes it fall back to memory and say so.
 */
export async function deleteWidgetDatabases() {
  const all = await indexedDB.databases();
  await Promise.all(
    all
      .filter(({ name = '' }) => name.startsWith(DB_PREFIX) && (!name.startsWith(`${DB_PREFIX}test-`) || ownUsers.has(decodeURIComponent(name.slice(DB_PREFIX.length)))))
      .map((db) => new Promise((resolve) => Object.assign(indexedDB.deleteDatabase(db.name!), { onsuccess: resolve, onerror: resolve, onblocked: resolve }))),
  );
}

/** What `ChatHarness.create` sets on the element. */
export interface ChatOptions {
  transport?: ChatTransport;
  endpoint?: string;
  open?: boolean;
  /** Default `en`; pass `''` to let the page or browser decide. */
  locale?: string;
  userId?: string;
  theme?: 'auto' | 'light' | 'dark';
  /** The `hours` attribute; default: the built-in 10:00–18:30 Japan time. */
  hours?: string;
  /** The element's clock. */
  now?: () => number;
}

/** Wednesday 4 March 2026, 12:00 in Tokyo: operators work. */
export const NOON_JST = Date.parse('2026-03-04T03:00:00Z');
/** Wednesday 4 March 2026, 21:00 in Tokyo: operators have left. */
export const NIGHT_JST = Date.parse('2026-03-04T12:00:00Z');

let axeReady: Promise<void> | undefined;

/**
 * `expect(el).to.be.accessible()` with every WCAG 2.0/2.1/2.2 A and AA rule on: axe-core ships
 * `target-size` (2.5.8) and `aria-roledescription` switched off, so they are switched on first.
 */
export async function expectAccessible(el: Element) {
  // @ts-expect-error axe.min.js has no types of its own: it registers `window.axe`.
  axeReady ??= import('axe-core/axe.min.js').then(() => {
    const axe = (window as unknown as { axe: { configure(spec: object): void } }).axe;
    axe.configure({ rules: [{ id: 'target-size', enabled: true }, { id: 'aria-roledescription', enabled: true }] });
  });
  await axeReady;
  // Mid-animation the panel is translucent and axe would measure blended colors. (Finished rather
  // than awaited: no test waits for an animation to run.)
  for (const animation of (el.shadowRoot ?? document).getAnimations()) animation.finish();
  await expect(el).to.be.accessible();
}

/** Drives the widget as a person would: through its shadow DOM, by click and key. */
export class ChatHarness {
  constructor(readonly el: MercariChatSupport) {}

  static async create(options: ChatOptions = {}) {
    const el = await fixture<MercariChatSupport>(html`<mercari-chat-support
      .transport=${options.transport}
      .now=${options.now ?? Date.now}
      endpoint=${options.endpoint ?? ''}
      locale=${options.locale ?? 'en'}
      user-id=${options.userId ?? uniqueUser()}
      theme=${options.theme ?? 'auto'}
      hours=${options.hours ?? nothing}
      ?open=${options.open ?? false}
    ></mercari-chat-support>`);
    return new ChatHarness(el);
  }

  $<T extends Element = HTMLElement>(selector: string): T | null {
    return this.el.shadowRoot!.querySelector<T>(selector);
  }

  $$<T extends Element = HTMLElement>(selector: string): T[] {
    return [...this.el.shadowRoot!.querySelectorAll<T>(selector)];
  }

  get launcher() {
    return this.$<HTMLButtonElement>('.launcher')!;
  }

  get panel() {
    return this.$<HTMLElement>('.panel')!;
  }

  get input() {
    return this.$<HTMLTextAreaElement>('textarea')!;
  }

  /** Transcript rows as visible text, in order. */
  get bubbles() {
    return this.$$('.bubble').map((b) => b.textContent?.trim() ?? '');
  }

  /** The element's open shadow root. */
  get root() {
    return this.el.shadowRoot!;
  }

  /** The focused element inside the widget, or null. */
  get focused() {
    return this.root.activeElement;
  }

  /** The polite live region every announcement goes through. */
  get live() {
    return this.$<HTMLElement>('[aria-live="polite"]')!;
  }

  /** Text of the phase bar (queue, operator, after hours, survey), or ''. */
  get phase() {
    return this.$('[part~="phase"]')?.textContent?.replace(/\s+/g, ' ').trim() ?? '';
  }

  /** Every announcement made from now on, in order (read it later). */
  recordAnnouncements(): string[] {
    const said: string[] = [];
    new MutationObserver((records) => {
      for (const r of records) for (const n of r.addedNodes) said.push(n.textContent ?? '');
    }).observe(this.live, { childList: true });
    return said;
  }

  get notice() {
    return this.$('[part="notice"]')?.textContent?.trim() ?? '';
  }

  async openPanel() {
    this.launcher.click();
    await this.el.updateComplete;
  }

  /** Types `text` and presses Enter (no IME composition). */
  async type(text: string, key: Partial<KeyboardEventInit> = {}) {
    this.input.value = text;
    this.input.dispatchEvent(new InputEvent('input', { bubbles: true, composed: true }));
    this.input.dispatchEvent(new KeyboardEvent('keydown', { key: 'Enter', bubbles: true, composed: true, cancelable: true, ...key }));
    await this.el.updateComplete;
  }

  async waitForBubble(text: string | RegExp, timeout = 5000) {
    // The message names the bubbles shown when it gave up, not those shown when it started.
    await waitUntil(() => this.bubbles.some((b) => (typeof text === 'string' ? b.includes(text) : text.test(b))), undefined, { timeout }).catch(() => {
      throw new Error(`no bubble matching ${text}; saw ${JSON.stringify(this.bubbles)}`);
    });
  }
}
