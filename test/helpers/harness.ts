import { fixture, html, waitUntil } from '@open-wc/testing';
import '../../src/element/define.js';
import type { MercariChatSupport } from '../../src/element/mercari-chat-support.js';
import type { ChatTransport } from '../../src/transport/types.js';

/** Drives the widget as a person would: through its shadow DOM, by click and key. */
export class ChatHarness {
  constructor(readonly el: MercariChatSupport) {}

  static async create(options: { transport?: ChatTransport; endpoint?: string; open?: boolean; locale?: string } = {}) {
    const el = await fixture<MercariChatSupport>(html`<mercari-chat-support
      .transport=${options.transport}
      endpoint=${options.endpoint ?? ''}
      locale=${options.locale ?? 'en'}
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
