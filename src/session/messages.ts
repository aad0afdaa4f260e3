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
