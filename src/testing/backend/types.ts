/**
 * The reference backend's transport-agnostic surface. The protocol wiring (real WebSocket and
 * HTTP+SSE servers in Node, msw handlers in the browser) translates frames into these calls.
 */
import type { Ack, ClientCommand, OutgoingMessage, ServerEvent, ServerMessage } from '../../transport/types.js';

/** A server event that belongs to the conversation's history (everything but typing/connection/error). */
export type SequencedEvent = Extract<ServerEvent, { seq: number }>;

/** Events the backend pushes to one connected client: sequenced history plus typing. */
export type BackendEvent = SequencedEvent | Extract<ServerEvent, { type: 'typing' }>;

/** What a client says when it connects (the protocol's hello/resume frame). */
export interface BackendHello {
  /** Conversation to resume, or null for a new one. */
  conversationId: string | null;
  /** Last sequence number the client has seen; everything after it is replayed. */
  cursor: number;
  /** `ja` or `en`: the language the bot answers in. */
  locale: string;
  /** Host context (transaction id, topic…), kept with the conversation for operators. */
  context?: Record<string, unknown>;
}

/** One client attached to a conversation. */
export interface BackendConnection {
  /** The conversation (new or resumed). */
  conversationId: string;
  /** Sequenced events after the client's cursor, oldest first. */
  replay: SequencedEvent[];
  /** Live events from now on; returns the unsubscribe function. */
  subscribe(listener: (event: BackendEvent) => void): () => void;
}

/** Server-side fault injection and inspection, for tests and the demo's "network" controls. */
export interface BackendControl {
  /** Every user message the backend has stored, per conversation, in arrival order (each clientId once). */
  received(conversationId: string): OutgoingMessage[];
  /** Every sequenced event of a conversation, oldest first (a copy). */
  events(conversationId: string): SequencedEvent[];
  /** What the backend knows about a conversation, or undefined for an unknown id. */
  inspect(conversationId: string): ConversationInfo | undefined;
  /** Every after-hours ticket created so far, oldest first. */
  tickets(): Ticket[];
  /**
   * Play the operator: join, type, say, leave, end. `join` takes the conversation out of the
   * queue (if queued) without the automatic greeting; `leave` hands it back to the bot.
   */
  operator: {
    join(conversationId: string, name: string): void;
    typing(conversationId: string, active: boolean): void;
    say(conversationId: string, text: string): void;
    leave(conversationId: string): void;
    end(conversationId: string): void;
  };
  /**
   * Force hours open/closed (the backend's emergency override), or clear with null. Emits an
   * `hours` event to every conversation; `closed` also drops every queue (see `createBackend`).
   */
  overrideHours(state: 'open' | 'closed' | null, reason?: string): void;
}

/** Where a conversation stands on the server. */
export type ConversationMode = 'bot' | 'queued' | 'operator' | 'ended';

/** A snapshot of one conversation, for tests and the demo. */
export interface ConversationInfo {
  mode: ConversationMode;
  /** `ja` or `en`, from the latest hello. */
  locale: string;
  /** Host context merged from hellos and operator requests. */
  context: Record<string, unknown>;
  /** Last sequence number used (0 before any event). */
  seq: number;
  /** Queue position while queued (1 = next), else 0. */
  position: number;
  /** Name of the operator chatting (or the last one), if any. */
  operator?: string;
  /** Whether the user is typing, as last signalled. */
  userTyping: boolean;
  /** The survey answer, once rated. */
  rating?: { score: 1 | 2 | 3 | 4 | 5; comment?: string };
}

/** A message left for operators (outside hours), with what they need to answer it. */
export interface Ticket {
  /** Ticket id, e.g. `T1001`. */
  id: string;
  conversationId: string;
  /** The user's message to the operators. */
  text: string;
  /** Host context (transaction id, topic…) at the time of the ticket. */
  context: Record<string, unknown>;
  /** The conversation so far (every message before the ticket), oldest first. */
  transcript: ServerMessage[];
  /** When it was created, ms since the epoch. */
  at: number;
}

/** How `createBackend` is set up. Times are in ms; every option but `now` has a default. */
export interface BackendOptions {
  /** The clock, ms since the epoch. The backend never reads the system time itself. */
  now: () => number;
  /** A source of [0, 1) numbers (conversation ids, operator names). Default `Math.random`. */
  random?: () => number;
  /** Schedules a callback. Default `setTimeout`. */
  setTimer?: (callback: () => void, ms: number) => unknown;
  /** Cancels what `setTimer` returned. Default `clearTimeout`. */
  clearTimer?: (handle: unknown) => void;
  /** Whether operators work at this instant. Default 10:00–18:30 Asia/Tokyo, every day. */
  isOperatorOpen?: (at: number) => boolean;
  /** Time between queue steps (3 → 2 → 1 → joined). Default 2500. */
  queueStepMs?: number;
  /** Queue position a new operator request starts at. Default 3. */
  queueLength?: number;
  /** How long the simulated operator types before each answer. Default 1500. */
  operatorReplyMs?: number;
  /** How long the bot "types" before each answer; 0 answers synchronously. Default 400. */
  botDelayMs?: number;
  /** Operator display names per language. Default ja 佐藤/鈴木/高橋, en Sato/Suzuki/Takahashi. */
  operatorNames?: Record<string, string[]>;
  /**
   * Whether the queue advances and the operator joins and answers by itself. Default true;
   * false leaves the operator to `control.operator` (deterministic element tests).
   */
  simulateOperator?: boolean;
  /** The URL an upload is served from. Default `https://uploads.example.com/u<n>/<name>`. */
  uploadUrl?: (id: string, name: string, type: string) => string;
}

/** The reference backend: bot, queue, simulated operator and business hours. */
export interface Backend {
  /** Attach a client. Unknown conversation ids start a new conversation. */
  open(hello: BackendHello): BackendConnection;
  /** Store a user message once per clientId (a repeat returns the first ack) and let the bot answer. */
  receive(conversationId: string, message: OutgoingMessage): Ack;
  /** Perform a control command. Rejects illegal ones with a thrown `TransportError`. */
  command(conversationId: string, command: ClientCommand): void;
  /** Store a typing signal from the user (shown to the simulated operator; no-op otherwise). */
  typing(conversationId: string, active: boolean): void;
  /** Remember an uploaded file; returns the URL it is served from. */
  upload(name: string, type: string, size: number): { url: string };
  /** Test and demo controls. */
  control: BackendControl;
  /** Stop every timer (queue progress, simulated operator). */
  dispose(): void;
}
