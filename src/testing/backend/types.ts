/**
 * The reference backend's transport-agnostic surface. The protocol wiring (real WebSocket and
 * HTTP+SSE servers in Node, msw handlers in the browser) translates frames into these calls.
 */
import type { Ack, ClientCommand, OutgoingMessage, ServerEvent } from '../../transport/types.js';

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
  /** Every user message the backend has stored, per conversation, in arrival order. */
  received(conversationId: string): OutgoingMessage[];
  /** Play the operator: join, type, say, leave, end. */
  operator: {
    join(conversationId: string, name: string): void;
    typing(conversationId: string, active: boolean): void;
    say(conversationId: string, text: string): void;
    end(conversationId: string): void;
  };
  /** Force hours open/closed (the backend's emergency override), or clear with null. */
  overrideHours(state: 'open' | 'closed' | null, reason?: string): void;
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
