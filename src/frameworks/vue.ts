/**
 * `mercari-chat-support/vue`: types only. Declares `<mercari-chat-support>` as a global
 * component for Vue's template type checker (Volar / vue-tsc), so editors complete its
 * attributes, `.prop` bindings and `@mcs-*` listeners. Load it once, e.g.
 * `import type {} from 'mercari-chat-support/vue';` in `env.d.ts`. Vue must also be told the
 * tag is a custom element: `compilerOptions.isCustomElement = (tag) => tag === 'mercari-chat-support'`.
 */
import type { DefineComponent } from 'vue';
import type { ChatSupportProps, ChatSupportVueEvents } from './props.js';

/** Props of `<mercari-chat-support>` in Vue templates, listeners included (`@mcs-message` → `onMcsMessage`). */
export type MercariChatSupportVueProps = ChatSupportProps & ChatSupportVueEvents;

declare module 'vue' {
  interface GlobalComponents {
    'mercari-chat-support': DefineComponent<MercariChatSupportVueProps>;
  }
}
