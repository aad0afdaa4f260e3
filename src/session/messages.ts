import type { ServerMessage } from '../transport/types.js';

/** Delivery status of the user's own messages. Moves forward only, except into `failed`. */
export type DeliveryStatus = 'queued' | 'sending' | 'sent' | 'failed';

/** A message as the transcript shows it: a server message, or the user's local echo. */
export interface ChatMessage extends Omit<ServerMessage, 'id'> {
  /** Stable identity in the transcript: the client id for the user's messages, else the server id. */
  key: string;
  /** Server id, once the server has it. */
  id?: string;
  /** Delivery status, for the user's own messages. */
  status?: DeliveryStatus;
  /** Position in the conversation, once the server has it. */
  seq?: number;
}

const rank: Record<DeliveryStatus, number> = { queued: 0, sending: 1, failed: 1, sent: 2 };

/** Whether `next` may replace `current`: never backwards, and `sent` is final. */
export const advances = (current: DeliveryStatus | undefined, next: DeliveryStatus | undefined): boolean =>
  !current || !next || current === 'failed' || rank[next] >= rank[current];

/**
 * Adds or updates a message in place, keyed by client id or server id, so a message seen twice
 * (push, history, echo) shows once and an acknowledged echo keeps its place in the transcript.
 */
export function upsert(list: readonly ChatMessage[], message: ChatMessage): ChatMessage[] {
  const index = list.findIndex(
    (m) => m.key === message.key || (message.id !== undefined && m.id === message.id) || (message.clientId !== undefined && m.clientId === message.clientId),
  );
  if (index < 0) return [...list, message];
  const current = list[index];
  const status = advances(current.status, message.status) ? (message.status ?? current.status) : current.status;
  const next = [...list];
  next[index] = { ...current, ...message, key: current.key, status };
  return next;
}

/** Converts a server message to a transcript entry; the user's own are keyed by client id. */
export const fromServer = (message: ServerMessage, seq?: number): ChatMessage => ({
  ...message,
  key: message.clientId ?? message.id,
  status: message.role === 'user' ? 'sent' : undefined,
  seq,
});

/** Orders by the server's sequence: an ack that lands after the bot's answer still shows first. */
export const bySeq = (list: ChatMessage[]): ChatMessage[] => list.sort((a, b) => (a.seq ?? Infinity) - (b.seq ?? Infinity));
