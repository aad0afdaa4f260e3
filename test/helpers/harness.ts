import { fixture, html, waitUntil } from '@open-wc/testing';
import '../../src/element/define.js';
import type { MercariChatSupport } from '../../src/element/mercari-chat-support.js';
import type { ChatTransport } from '../../src/transport/types.js';

/** Yields one macrotask without timers, so it works under sinon's fake setTimeout (IndexedDB runs meanwhile). */
export const macrotask = () =>
  new Promise<void>((resolve) => {
    const channel = new MessageChannel();
    channel.port1.onmessage = () => resolve();
    channel.port2.postMessage(0);
  });

/** Polls `predicate` between macrotasks: a waitUntil for tests that fake timers. */
export async function until(predicate: () => unknown, message = 'condition not met', tries = 5000) {
  for (let i = 0; i < tries; i++) {
    if (predicate()) return;
    await macrotask();
  }
  throw new Error(message);
}

/** A user id no other test uses, so every test starts with an empty database. */
export const uniqueUser = () => `test-${crypto.randomUUID()}`;

/** Deletes every database the widget created, so tests never see each other's data. */
export async function deleteWidgetDatabases() {
  const all = await indexedDB.databases();
  await Promise.all(
    all
      .filter((db) => db.name?.startsWith('mercari-chat-support:'))
      .map((db) => new Promise((resolve) => Object.assign(indexedDB.deleteDatabase(db.name!), { onsuccess: resolve, onerror: resolve, onblocked: resolve }))),
  );
}

/** Drives the widget as a person would: through its shadow DOM, by click and key. */
export class ChatHarness {
  constructor(readonly el: MercariChatSupport) {}

  static async create(options: { transport?: ChatTransport; endpoint?: string; open?: boolean; locale?: string; userId?: string } = {}) {
    const el = await fixture<MercariChatSupport>(html`<mercari-chat-support
      .transport=${options.transport}
      endpoint=${options.endpoint ?? ''}
      locale=${options.locale ?? 'en'}
      user-id=${options.userId ?? uniqueUser()}
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
    await waitUntil(
      () => this.bubbles.some((b) => (typeof text === 'string' ? b.includes(text) : text.test(b))),
      `no bubble matching ${text}; saw ${JSON.stringify(this.bubbles)}`,
      { timeout },
    );
  }
}
