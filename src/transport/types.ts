/**
 * The seam between the widget and any backend. A transport is a small object the element
 * accepts as its `transport` property; the built-in adapters are chosen from `endpoint`.
 * Nothing here imports Lit or touches the DOM.
 */

/** Who wrote a message. */
export type Role = 'user' | 'bot' | 'operator' | 'system';

/** A button under a bot message. Choosing it sends `value` (or `label`) as the user's reply. */
export interface QuickReply {
  /** Stable id, unique within the message. */
  id: string;
  /** Visible text. */
  label: string;
  /** Text sent when chosen; defaults to `label`. */
  value?: string;
  /** A reply with an action asks the widget to do something instead of sending text. */
  action?: 'operator' | 'resolved' | 'unresolved';
}

/** A help-article card under a bot message. */
export interface ArticleCard {
  /** Article title (plain text). */
  title: string;
  /** One or two sentences (plain text). */
  summary?: string;
  /** Absolute `https:` URL of the article. */
  url: string;
}

/** A file that belongs to a message, already uploaded. */
export interface Attachment {
  /** Where the file can be fetched: a URL the transport's `upload` returned. */
  url: string;
  /** MIME type, sniffed from the content. */
  type: string;
  /** File name as the user chose it (plain text). */
  name: string;
  /** Size in bytes. */
  size: number;
}

/** A message as the server knows it. */
export interface ServerMessage {
  /** Server-assigned id, unique within the conversation. */
  id: string;
  /** Who wrote it. */
  role: Role;
  /** Message text: plain text with the small markdown subset the renderer understands. */
  text: string;
  /** When the server accepted it, in ms since the epoch. */
  at: number;
  /** For the user's own messages: the client id they were sent with. */
  clientId?: string;
  /** Display name of the author (operators). */
  author?: string;
  quickReplies?: QuickReply[];
  articles?: ArticleCard[];
  attachments?: Attachment[];
}

/** Connection state as the UI shows it. */
export type ConnectionStatus = 'idle' | 'connecting' | 'online' | 'reconnecting' | 'offline';

/** A backend-pushed change to business hours (an emergency closure, or forced open). */
export interface HoursOverride {
  /** `closed` forces operators away, `open` forces them available, `null` clears the override. */
  state: 'open' | 'closed' | null;
  /** Optional end of the override, ms since the epoch. */
  until?: number;
  /** Optional reason shown to the user (plain text). */
  reason?: string;
}

/**
 * Events a server pushes. Events with a `seq` are part of the conversation's history and are
 * replayed after a resume; the others (typing, connection) are transient.
 */
export type ServerEvent =
  | { type: 'message'; seq: number; message: ServerMessage }
  | { type: 'typing'; role: 'bot' | 'operator'; active: boolean; name?: string }
  | { type: 'queue'; seq: number; position: number; etaSeconds?: number }
  | { type: 'operator-joined'; seq: number; name: string }
  | { type: 'operator-left'; seq: number; name?: string }
  | { type: 'ended'; seq: number; by: 'user' | 'operator' | 'system' }
  | { type: 'hours'; seq: number; override: HoursOverride }
  | { type: 'ticket'; seq: number; id: string }
  | {
      type: 'connection';
      status: ConnectionStatus;
      /**
       * Set on `online` only: the conversation now open. After a reconnect it differs from the one
       * `connect` resolved with when the server lost that conversation and started a new one (whose
       * sequence numbers start over).
       */
      conversationId?: string;
    }
  | { type: 'error'; error: TransportError };

/** The user's message on its way to the server. */
export interface OutgoingMessage {
  /** Client-generated id; retries reuse it and servers must dedupe on it. */
  clientId: string;
  /** Conversation the message belongs to. */
  conversationId: string;
  /** Text as typed. */
  text: string;
  /** Already-uploaded attachments. */
  attachments?: Attachment[];
  /** When the user sent it, ms since the epoch (client clock). */
  createdAt: number;
}

/** The server's receipt for an outgoing message. Only this removes a message from the outbox. */
export interface Ack {
  /** Echo of the outgoing client id. */
  clientId: string;
  /** Server id of the stored message. */
  id: string;
  /** The message's sequence number in the conversation. */
  seq: number;
  /** When the server stored it, ms since the epoch. */
  at: number;
}

/** Control commands from the user or the host. */
export type ClientCommand =
  | { type: 'request-operator'; context?: Record<string, unknown> }
  | { type: 'cancel-operator' }
  | { type: 'end' }
  | { type: 'rate'; score: 1 | 2 | 3 | 4 | 5; comment?: string }
  | { type: 'leave-message'; text: string; context?: Record<string, unknown> };

/** What `connect` is told. */
export interface ConnectOptions {
  /** The conversation to resume, or `null` to start one. */
  conversationId: string | null;
  /** Last server sequence number seen; the server replays everything after it. */
  cursor: number;
  /** UI locale, e.g. `ja` or `en`. */
  locale: string;
  /** Host-provided context (transaction id, help article, topic…). */
  context?: Record<string, unknown>;
  /** Aborting closes the connection. */
  signal: AbortSignal;
}

/** What a successful `connect` reports. */
export interface Session {
  /** The conversation now open (new or resumed). */
  conversationId: string;
}

/** Options every async transport call takes. */
export interface CallOptions {
  signal?: AbortSignal;
}

/** The adapter every backend integration implements. */
export interface ChatTransport {
  /** Open (or resume) a conversation. Resolves once the server has accepted it. */
  connect(options: ConnectOptions): Promise<Session>;
  /** Close for good; no more events are delivered. */
  close(): void;
  /** Deliver one message. Resolves only with the server's ack; rejects with a `TransportError`. */
  send(message: OutgoingMessage, options?: CallOptions): Promise<Ack>;
  /** Perform a control command (operator request, end, rating, after-hours message). */
  command(command: ClientCommand, options?: CallOptions): Promise<void>;
  /** Tell the other side whether the user is typing. Best effort. */
  typing(active: boolean): void;
  /** Upload a file and return the URL it can be fetched from. */
  upload(file: Blob, options?: CallOptions): Promise<{ url: string }>;
  /** Listen to server events; returns the unsubscribe function. */
  subscribe(listener: (event: ServerEvent) => void): () => void;
}

/** Error codes shared by the protocol and the adapters. */
export type TransportErrorCode =
  | 'network'
  | 'timeout'
  | 'auth'
  | 'rate-limited'
  | 'unavailable'
  | 'bad-request'
  | 'too-large'
  | 'conflict'
  | 'protocol'
  | 'aborted'
  | 'unknown';

/** An error a transport reports. `retryable` decides between backoff and "failed". */
export class TransportError extends Error {
  override name = 'TransportError';
  constructor(
    readonly code: TransportErrorCode,
    message: string,
    /** Whether sending again later may succeed. */
    readonly retryable: boolean,
    /** A server-requested delay before the next try, in ms (from `Retry-After`). */
    readonly retryAfterMs?: number,
  ) {
    super(message);
  }
}
