import type { ServerMessage, ConnectionStatus } from '../transport/types.js';
import type { Phase } from '../flow/index.js';
import type { ChatErrorDetail, MessageSentDetail } from '../session/chat-session.js';

export type { ChatErrorCode, ChatErrorDetail, MessageSentDetail } from '../session/chat-session.js';

/** Every event the element dispatches: bubbling, composed, `mcs-` prefixed. */
export interface ChatEventMap {
  'mcs-open': CustomEvent<void>;
  'mcs-close': CustomEvent<void>;
  'mcs-message-sent': CustomEvent<MessageSentDetail>;
  'mcs-message': CustomEvent<ServerMessage>;
  'mcs-phase': CustomEvent<{ phase: Phase; previous: Phase }>;
  'mcs-request-operator': CustomEvent<void>;
  'mcs-connection': CustomEvent<{ status: ConnectionStatus }>;
  'mcs-error': CustomEvent<ChatErrorDetail>;
}

declare global {
  // eslint-disable-next-line @typescript-eslint/no-empty-object-type
  interface HTMLElementEventMap extends ChatEventMap {}
}

/**
 * Dispatches a typed widget event. Details are plain data copies, never live DOM.
 * @returns false when a cancelable event was vetoed with preventDefault().
 */
export function emit<K extends keyof ChatEventMap>(
  target: EventTarget,
  name: K,
  detail: ChatEventMap[K]['detail'],
  cancelable?: boolean,
): boolean {
  return target.dispatchEvent(new CustomEvent(name, { detail, bubbles: true, composed: true, cancelable }));
}
