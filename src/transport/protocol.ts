/**
 * The wire protocol, version 1: JSON frames with a `type`, the same frames over WebSocket (one
 * frame per text message) and over HTTP (a client frame as a POST body, the reply frame as the
 * response body, server frames as Server-Sent Events `data:`). README documents it frame by frame.
 */
import type { Ack, ClientCommand, OutgoingMessage, ServerEvent, TransportErrorCode } from './types.js';

/** The protocol version this package speaks, sent in `hello` and echoed in `welcome`. */
export const PROTOCOL_VERSION = 1;

/** Largest frame the decoders accept, in UTF-16 code units (1 MiB of ASCII). Bigger frames are dropped. */
export const MAX_FRAME = 1 << 20;

/** Events that travel on the wire (the `connection` and `error` events are the adapter's own). */
export type WireEvent = Exclude<ServerEvent, { type: 'connection' | 'error' }>;

/**
 * First frame of every connection: opens a conversation (`conversationId: null`) or resumes one,
 * asking for every sequenced event after `cursor`.
 */
export interface HelloFrame {
  type: 'hello';
  /** Protocol version, {@link PROTOCOL_VERSION}. */
  v: number;
  conversationId: string | null;
  /** Last sequence number the client has seen; 0 for none. */
  cursor: number;
  /** UI locale, e.g. `ja`. */
  locale: string;
  /** Host context (transaction id, topic…). */
  context?: Record<string, unknown>;
  /** Auth token from the host's callback (WebSocket only; HTTP sends `Authorization: Bearer`). */
  token?: string;
}

/** A user message; the server answers with `ack` (or `error` with the same `clientId`). Servers MUST dedupe on `clientId`. */
export type MessageFrame = { type: 'message' } & OutgoingMessage;

/** A control command; the server answers with `result` (or `error`) carrying the same `id`. */
export interface CommandFrame {
  type: 'command';
  /** Request id chosen by the client, unique per connection. */
  id: string;
  conversationId: string;
  command: ClientCommand;
}

/** The user started or stopped typing. No answer. */
export interface TypingFrame {
  type: 'typing';
  conversationId: string;
  active: boolean;
}

/** WebSocket heartbeat; the server answers `pong`. */
export interface PingFrame {
  type: 'ping';
}

/** Every frame a client sends. */
export type ClientFrame = HelloFrame | MessageFrame | CommandFrame | TypingFrame | PingFrame;

/** The server accepted `hello`: the conversation is open; sequenced events after the cursor follow. */
export interface WelcomeFrame {
  type: 'welcome';
  v?: number;
  /** The conversation now open: the one asked for, or a new one when the server does not know it. */
  conversationId: string;
  /** Heartbeat interval in ms: the client pings (WebSocket) or the server sends something (SSE) at least this often. */
  heartbeat: number;
}

/** The server stored a message. */
export type AckFrame = { type: 'ack' } & Ack;

/** A server event. Sequenced events carry `seq`, strictly increasing per conversation. */
export interface EventFrame {
  type: 'event';
  event: WireEvent;
}

/** A command succeeded. */
export interface ResultFrame {
  type: 'result';
  /** The command's request id. */
  id: string;
}

/** Something failed: a message (`clientId`), a command (`id`), or the connection (neither). */
export interface ErrorFrame {
  type: 'error';
  code: TransportErrorCode;
  /** English, for logs. */
  message: string;
  /** Whether trying again later may succeed. */
  retryable: boolean;
  /** Minimum delay before retrying, in ms. */
  retryAfter?: number;
  id?: string;
  clientId?: string;
}

/** Answer to `ping`. */
export interface PongFrame {
  type: 'pong';
}

/** The token in `hello` was refused; the server closes the connection after this frame. */
export interface AuthFailedFrame {
  type: 'auth-failed';
  message?: string;
}

/** Every frame a server sends. */
export type ServerFrame = WelcomeFrame | AckFrame | EventFrame | ResultFrame | ErrorFrame | PongFrame | AuthFailedFrame;

/*
 * Field specs: `name:t` with t = s(tring) n(umber) b(oolean) o(bject) a(rray); `?` marks optional.
 * Terse strings instead of schema objects because this file ships in the widget bundle.
 */
type Table = Record<string, string>;
const SERVER: Table = {
  welcome: 'conversationId:s heartbeat:n',
  ack: 'clientId:s id:s seq:n at:n',
  event: 'event:o',
  result: 'id:s',
  error: 'code:s message:s retryable:b ?retryAfter:n ?id:s ?clientId:s',
  pong: '',
  'auth-failed': '?message:s',
};
const EVENTS: Table = {
  message: 'seq:n message:o',
  typing: 'role:s active:b ?name:s',
  queue: 'seq:n position:n ?etaSeconds:n',
  'operator-joined': 'seq:n name:s',
  'operator-left': 'seq:n ?name:s',
  ended: 'seq:n by:s',
  hours: 'seq:n override:o',
  ticket: 'seq:n id:s',
};
const MESSAGE = 'id:s role:s text:s at:n ?clientId:s ?author:s ?quickReplies:a ?articles:a ?attachments:a';
const ITEMS: Table = {
  quickReplies: 'id:s label:s ?value:s ?action:s',
  articles: 'title:s url:s ?summary:s',
  attachments: 'url:s type:s name:s size:n',
};
const CLIENT: Table = {
  hello: 'v:n cursor:n locale:s ?context:o ?token:s',
  message: 'clientId:s conversationId:s text:s createdAt:n ?attachments:a',
  command: 'id:s conversationId:s command:o',
  typing: 'conversationId:s active:b',
  ping: '',
};

type Obj = Record<string, unknown>;
/** A table entry by a wire-supplied name; `toString` & co. are not frame types. */
const own = (table: Table, key: unknown) => (Object.hasOwn(table, key as string) ? table[key as string] : undefined);
const isObj = (v: unknown): v is Obj => typeof v === 'object' && v !== null && !Array.isArray(v);

/** Whether `o` has every field of `spec` with the right type. */
const check = (o: unknown, spec: string): o is Obj =>
  isObj(o) &&
  spec.split(' ').every((field) => {
    const optional = field[0] === '?';
    const [name, t] = field.slice(+optional).split(':');
    const v = o[name!];
    return (
      !field ||
      (optional && v === undefined) ||
      (t === 'n' ? Number.isFinite(v) : t === 'a' ? Array.isArray(v) : t === 'o' ? isObj(v) : typeof v === (t === 's' ? 'string' : 'boolean'))
    );
  });

/** Whether every array field named in ITEMS holds well-formed items. */
const items = (o: Obj): boolean =>
  Object.keys(ITEMS).every((k) => ((o[k] as unknown[] | undefined) ?? []).every((i) => check(i, ITEMS[k]!)));

/**
 * Parses and validates one frame. Unknown frame and event types decode to `null` silently (a newer
 * server may send them); malformed, incomplete or oversized frames decode to `null` and are reported.
 */
function decode(text: string, table: Table, deep: (f: Obj) => unknown, report: (reason: string) => void, max: number): Obj | null {
  let f: unknown;
  if (text.length > max) return report(`over ${max} chars`), null;
  try {
    f = JSON.parse(text);
  } catch {
    return report('not JSON'), null;
  }
  const type = isObj(f) && f.type;
  if (typeof type !== 'string') return report('no type'), null;
  const spec = own(table, type);
  if (spec === undefined) return null;
  const valid = check(f, spec) && deep(f);
  if (valid === null) return null;
  return valid ? (f as Obj) : (report(`bad ${type}`), null);
}

const serverDeep = (f: Obj): boolean | null => {
  if (f.type !== 'event') return true;
  const e = f.event as Obj;
  const spec = own(EVENTS, e.type);
  if (spec === undefined) return null;
  const m = e.message;
  return check(e, spec) && (e.type !== 'message' || (check(m, MESSAGE) && /^(user|bot|operator|system)$/.test(m.role as string) && items(m)));
};

/**
 * Decodes a frame a server sent. Never throws.
 * @param text the raw frame (a WebSocket text message, or an SSE event's data)
 * @param report told why a frame was refused (malformed, missing fields, too large); not called
 *   for unknown types, which are skipped silently so old clients survive new servers
 * @param max largest accepted frame in UTF-16 code units; default {@link MAX_FRAME}
 * @returns the frame, or `null` when it must be ignored
 */
export const decodeFrame = (text: string, report: (reason: string) => void = () => {}, max = MAX_FRAME): ServerFrame | null =>
  decode(text, SERVER, serverDeep, report, max) as ServerFrame | null;

/**
 * Decodes a frame a client sent (for servers, the reference server and the mocks). Never throws.
 * Same contract as {@link decodeFrame}.
 */
export const decodeClientFrame = (text: string, report: (reason: string) => void = () => {}, max = MAX_FRAME): ClientFrame | null =>
  decode(
    text,
    CLIENT,
    (f) =>
      f.type === 'hello'
        ? f.conversationId === null || typeof f.conversationId === 'string'
        : f.type === 'command'
          ? typeof (f.command as Obj).type === 'string'
          : f.type !== 'message' || items(f),
    report,
    max,
  ) as ClientFrame | null;
