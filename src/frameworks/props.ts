/**
 * Framework-neutral typings of `<mercari-chat-support>` for template type checkers: what a
 * template may set and listen to. Types only: nothing here reaches a bundle. The React and Vue
 * declarations (`mercari-chat-support/react`, `mercari-chat-support/vue`) are built from these.
 */
import type { ChatEventMap } from '../element/events.js';
import type { MercariChatSupport } from '../element/mercari-chat-support.js';

/**
 * Properties a framework may set on the element. Objects and functions (`transport`, `context`,
 * `strings`, `getToken`, `now`) can only be properties; the others are attributes too.
 * Picked from the class, so a renamed or removed property breaks the build here.
 */
export type ChatSupportProperties = Partial<
  Pick<
    MercariChatSupport,
    | 'endpoint'
    | 'open'
    | 'locale'
    | 'theme'
    | 'position'
    | 'userId'
    | 'hours'
    | 'closingSoonMinutes'
    | 'imageOrigins'
    | 'transport'
    | 'context'
    | 'strings'
    | 'getToken'
    | 'now'
  >
>;

/** The attributes whose HTML names differ from the property names, with their text values. */
export interface ChatSupportDashedAttributes {
  /** The signed-in user's id (property `userId`). Default `guest`. */
  'user-id'?: string;
  /** Minutes before closing in which asking for an operator warns first (property `closingSoonMinutes`). Default 15. */
  'closing-soon-minutes'?: number | string;
  /** Space-separated origins images may load from (property `imageOrigins`). */
  'image-origins'?: string;
}

/** Everything a template may set on the element, by property or attribute name. */
export type ChatSupportProps = ChatSupportProperties & ChatSupportDashedAttributes;

/** Every `mcs-*` event name the element dispatches. */
export type ChatSupportEventName = keyof ChatEventMap;

/** `mcs-message-sent` → `McsMessageSent`. */
type Pascal<S extends string> = S extends `${infer Head}-${infer Tail}` ? `${Capitalize<Head>}${Pascal<Tail>}` : Capitalize<S>;

/**
 * Listener props as React 19 names them for custom elements: `on` + the exact event name
 * (`onmcs-message`), each receiving the typed `CustomEvent`.
 */
export type ChatSupportReactEvents = { [K in ChatSupportEventName as `on${K}`]?: (event: ChatEventMap[K]) => void };

/** Listener props as Vue compiles `@mcs-message`: `onMcsMessage`, each receiving the typed `CustomEvent`. */
export type ChatSupportVueEvents = { [K in ChatSupportEventName as `on${Pascal<K>}`]?: (event: ChatEventMap[K]) => void };
