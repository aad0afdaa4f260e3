import { MercariChatSupport } from './mercari-chat-support.js';

// A second copy of the script on one page must not throw "already defined".
if (!customElements.get('mercari-chat-support')) customElements.define('mercari-chat-support', MercariChatSupport);

declare global {
  interface HTMLElementTagNameMap {
    'mercari-chat-support': MercariChatSupport;
  }
}
