/**
 * `mercari-chat-support/react`: types only. Declares `<mercari-chat-support>` in React 19's JSX,
 * so editors complete its attributes, properties and `onmcs-*` listeners and check their types.
 * Load it once, e.g. `import type {} from 'mercari-chat-support/react';` in a `.d.ts` file or
 * `"types": ["mercari-chat-support/react"]` in tsconfig. Needs `@types/react` 19 (React 19 sets
 * object props as properties and `on<event>` props as listeners on custom elements).
 */
import type { DetailedHTMLProps, HTMLAttributes } from 'react';
import type { MercariChatSupport } from '../element/mercari-chat-support.js';
import type { ChatSupportProps, ChatSupportReactEvents } from './props.js';

/** Props of `<mercari-chat-support>` in React: the usual HTML props and `ref`, plus the widget's own. */
export type MercariChatSupportJsxProps = DetailedHTMLProps<HTMLAttributes<MercariChatSupport>, MercariChatSupport> &
  ChatSupportProps &
  ChatSupportReactEvents;

declare module 'react' {
  // Augments React's own JSX namespace (what `jsx: react-jsx` and `React.createElement` use).
  // eslint-disable-next-line @typescript-eslint/no-namespace
  namespace JSX {
    interface IntrinsicElements {
      'mercari-chat-support': MercariChatSupportJsxProps;
    }
  }
}
