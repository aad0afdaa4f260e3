import type { BackoffOptions } from '../transport/backoff.js';
import type { ChatTransport, ServerEvent, TransportErrorCode } from '../transport/types.js';
import type { StorageFault } from './db.js';

export type { StorageFault };

/** A server event that belongs to a conversation's history (it carries a `seq`). */
export type SequencedEvent = Extract<ServerEvent, { seq: number }>;

/**
 * Where an unsent message stands. It moves forward only: `queued` (never tried since this page
 * loaded) → `sending` (being tried, or waiting to be tried again) → gone from the outbox, because
 * the server acknowledged it (it is then in the history as a `message` event with its client id).
 * `failed` is final until the user chooses retry (back to `queued`) or delete.
 */
export type OutboxStatus = 'queued' | 'sending' | 'failed';

/** A file attached to an unsent message. */
export interface OutboxFile {
  /** File name as chosen (plain text); empty for a plain Blob. */
  name: string;
  /** MIME type as the browser reported it. */
  type: string;
  /** Size in bytes. */
  size: number;
  /** The content, as bytes (some WebKit versions cannot store Blobs); rebuild with `new Blob([data], { type })`. */
  data: ArrayBuffer;
  /** Set once uploaded: the URL the transport's `upload` returned. A retry never uploads again. */
  url?: string;
}

/** One unsent (or failed) message of the user, as stored and as the UI renders it. */
export interface OutboxRow {
  /** Send order across the whole outbox (the database's commit order). */
  readonly seq: number;
  /** Client id; every attempt sends this same id and the server dedupes on it. */
  readonly clientId: string;
  /** Conversation it goes to; `''` until one exists (then `options.conversation()` decides). */
  readonly conversationId: string;
  /** Text as typed. */
  readonly text: string;
  /** Attachments, uploaded just before the message is sent. */
  readonly files: readonly OutboxFile[];
  /** When the user sent it, ms since the epoch (injected clock). */
  readonly createdAt: number;
  /** Attempts made so far (in this and earlier page lives, when recorded). */
  readonly attempts: number;
  /** Delivery status; see `OutboxStatus`. */
  readonly status: OutboxStatus;
  /** Code of the last error, if an attempt failed. */
  readonly lastError?: TransportErrorCode;
  /** Set when the row could not be stored: only the tab with this id holds (and sends) it. */
  readonly own?: string;
}

/** A storage problem the UI should show (translated through `key`). */
export interface OutboxNotice {
  /** What happened. */
  code: StorageFault;
  /** The i18n key of the text to show: `outbox.full` for quota, else `outbox.memory`. */
  key: 'outbox.memory' | 'outbox.full';
}

/** A conversation's stored history. */
export interface HistorySnapshot {
  /** The conversation, or null when the user has none yet. */
  conversationId: string | null;
  /** Its sequenced events, oldest first, each seq once. */
  events: SequencedEvent[];
  /** Last seq received from the server's stream; resume the transport from it. 0 when none. */
  cursor: number;
  /** Whether the user answered the conversation's survey (see `history.rate`). */
  rated: boolean;
}

/** A BroadcastChannel, or a stand-in with the same three members. */
export interface OutboxChannel {
  postMessage(message: unknown): void;
  close(): void;
  onmessage: ((event: MessageEvent) => void) | null;
}

/** What `createOutbox` needs. Callbacks never fire after `dispose()`. */
export interface OutboxOptions {
  /** The signed-in user: selects the database, the leader lock and the tab channel. */
  userId: string;
  /** Where messages go; methods are looked up on every call, so a proxy to a changing transport works. */
  transport: Pick<ChatTransport, 'send' | 'upload'>;
  /** Clock in ms since the epoch. */
  now: () => number;
  /** Source of [0, 1) numbers for backoff jitter. */
  random: () => number;
  /** Client id factory. Default `crypto.randomUUID()`, or 32 random hex digits where it is missing (insecure contexts). */
  newId?: () => string;
  /**
   * The conversation a row goes to, given the one it was queued for (`''` when none existed yet);
   * `null` keeps it waiting. Default: the one it was queued for (rows queued before one existed wait).
   */
  conversation?: (queuedFor: string) => string | null;
  /**
   * Whether the transport can take messages now (e.g. the session's connection is `online`).
   * While false, nothing is attempted and rows stay `queued`; call `flush()` when it turns true.
   * Default: always true (every attempt is made and may fail with backoff).
   */
  online?: () => boolean;
  /** Rows changed (any tab): the full list, oldest first. */
  onChange?: (rows: readonly OutboxRow[]) => void;
  /**
   * New sequenced events entered the history (from this tab's `append`, from an ack — the user's
   * own message with its client id and server id —, or from another tab). Each seq once per instance.
   */
  onEvents?: (conversationId: string, events: SequencedEvent[]) => void;
  /** This tab became (true) or stopped being (false) the one that connects and sends. */
  onLeader?: (leader: boolean) => void;
  /** Storage failed; the outbox now works from memory. */
  onNotice?: (notice: OutboxNotice) => void;
  /** Another tab recorded that the user answered this conversation's survey (`history.rate`). */
  onRated?: (conversationId: string) => void;
  /** Another tab called `clear()`: everything was wiped and this instance is disposed. */
  onWipe?: () => void;
  /** Resend timing. Defaults: base 500 ms, cap 30 000 ms. */
  backoff?: BackoffOptions;
  /** How long opening the database may take, in ms. Default 3000. */
  openTimeout?: number;
  /** Without Web Locks: how long one attempt's claim on a row lasts, in ms. Default 60 000. */
  lease?: number;
  /** IndexedDB factory; default the global; `null` simulates its absence. */
  indexedDB?: IDBFactory | null;
  /** Web Locks; default `navigator.locks`; `null` simulates their absence. */
  locks?: Pick<LockManager, 'request'> | null;
  /** Opens the tab channel; default `new BroadcastChannel(name)`; `null` for none. */
  channel?: ((name: string) => OutboxChannel) | null;
}

/** A durable, multi-tab outbox and history for one user. */
export interface Outbox {
  /** Resolves once storage is open (or given up on) and rows are loaded. Never rejects. */
  readonly ready: Promise<void>;
  /** Whether this tab connects and sends: it holds the user's lock, or has no locks, or works from memory. */
  readonly leader: boolean;
  /** Whether rows and history reach IndexedDB (false after a storage fault). */
  readonly durable: boolean;
  /** Current rows, oldest first. */
  rows(): readonly OutboxRow[];
  /**
   * Queues a message. Resolves with its row once it is durable (a strict-durability transaction
   * committed) or, after a storage fault, held in memory. Never rejects.
   * @param conversationId the conversation, or null/'' for the one `options.conversation()` names later.
   */
  enqueue(conversationId: string | null, text: string, files?: readonly Blob[]): Promise<OutboxRow>;
  /** Puts a failed row back in the queue (same client id). */
  retry(clientId: string): Promise<void>;
  /** Deletes a row (the user gave up on it). A message already on the wire may still arrive. */
  remove(clientId: string): Promise<void>;
  /**
   * Sends what may be sent now, ignoring backoff (but not a server's Retry-After). Call it on
   * `online`, after (re)connecting, and at start-up. In a follower it asks the leader to flush.
   * Resolves when this pass is over. Never rejects.
   */
  flush(): Promise<void>;
  /** The per-conversation history. */
  history: {
    /** Loads a conversation, or the most recently used one when omitted. */
    load(conversationId?: string): Promise<HistorySnapshot>;
    /**
     * Stores events from the transport's stream (in the order received) and advances the cursor.
     * Unsequenced events are ignored. A user message carrying a queued row's client id acknowledges
     * that row. Call with `[]` to record a newly opened conversation as the current one.
     */
    append(conversationId: string, events: readonly ServerEvent[]): Promise<void>;
    /** Last seq received for a loaded conversation (0 when none, or no conversation yet). */
    cursor(conversationId: string | null): number;
    /**
     * Records that the server has the user's answer to the conversation's survey, so that a
     * reload and the user's other tabs do not ask again. Resolves once stored. Never rejects.
     */
    rate(conversationId: string): Promise<void>;
  };
  /** Deletes this user's database and wipes every tab of this user; disposes this instance. */
  clear(): Promise<void>;
  /** Stops sending, releases leadership and closes storage. Safe to call twice. */
  dispose(): void;
}
