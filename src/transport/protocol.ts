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
 * Field specs, one word per field: a type letter, then the name. s(tring) n(umber) b(oolean)
 * o(bject) a(rray) r(ole); an upper-case letter marks the field optional. A field word that is a
 * key of SUB is checked item by item against that spec. Terse strings instead of schema objects
 * because this file ships in the widget bundle.
 */
type Table = Record<string, string>;
type Obj = Record<string, unknown>;
const SERVER: Table = {
  welcome: 'sconversationId nheartbeat',
  ack: 'sclientId sid nseq nat',
  event: 'oevent',
  result: 'sid',
  error: 'scode smessage bretryable NretryAfter Sid SclientId',
  pong: '',
  'auth-failed': 'Smessage',
};
const EVENTS: Table = {
  message: 'nseq omessage',
  typing: 'srole bactive Sname',
  queue: 'nseq nposition NetaSeconds',
  'operator-joined': 'nseq sname',
  'operator-left': 'nseq Sname',
  ended: 'nseq sby',
  hours: 'nseq ooverride',
  ticket: 'nseq sid',
};
const SUB: Table = {
  omessage: 'sid rrole stext nat SclientId Sauthor AquickReplies Aarticles Aattachments',
  AquickReplies: 'sid slabel Svalue Saction',
  Aarticles: 'stitle surl Ssummary',
  Aattachments: 'surl stype sname nsize',
  ooverride: 'Nuntil Sreason',
};
const CLIENT: Table = {
  hello: 'nv ncursor slocale Ocontext Stoken',
  message: 'sclientId sconversationId stext ncreatedAt Aattachments',
  command: 'sid sconversationId ocommand',
  typing: 'sconversationId bactive',
  ping: '',
};

/**
 * A parsed JSON value's type letter: `typeof`'s initial (s, n, b, o), `a` for an array, `l` for
 * null, and for ±Infinity (what `1e999` parses to, which JSON.stringify writes back as null: a
 * cursor of it would be stored, then refused by the server in every later hello).
 */
const kind = (v: unknown) => (Array.isArray(v) ? 'a' : v === null || (v === 2 * (v as number) && v) ? 'l' : (typeof v)[0]);

/** Whether `o` is an object with every field of `spec` of the right type (and well-formed SUB items). */
const check = (o: unknown, spec: string): boolean =>
  kind(o) == 'o' &&
  [...spec.matchAll(/(\w)(\w+)/g)].every(([field, t, name]) => {
    const v = (o as Obj)[name!];
    const sub = SUB[field];
    return (
      (t! < 'a' && v === undefined) ||
      ((t!.toLowerCase() == 'r' ? ['user', 'bot', 'operator', 'system'].includes(v as string) : kind(v) == t!.toLowerCase()) &&
        (!sub || ([] as unknown[]).concat(v).every((i) => check(i, sub))))
    );
  });

/**
 * Whether a frame (or an event) is well-formed; `null` for an unknown type, skipped silently. Only
 * string specs count: a wire-supplied type such as `toString` finds an inherited function instead.
 */
const valid = (f: Obj, table: Table): boolean | null => {
  const spec = table[f.type as string];
  return typeof spec == 'string' ? check(f, spec) && (f.type != 'event' || valid(f.event as Obj, EVENTS)) : null;
};

/**
 * Parses and validates one frame. Unknown frame and event types decode to `null` silently (a newer
 * server may send them); malformed, incomplete or oversized frames decode to `null` and are reported.
 */
function decode(text: string, table: Table, report: (reason: string) => void, max: number): Obj | null {
  let f: Obj | undefined;
  if (text.length > max) return report(`over ${max} chars`), null;
  try {
    f = JSON.parse(text);
  } catch {
    // reported as a frame without a type
  }
  const ok = typeof f?.type == 'string' && valid(f, table);
  return ok ? f! : (ok == false && report(`bad ${f?.type ?? 'frame'}`), null);
}

/**
 * Decodes a frame a server sent. Never throws.
 * @param text the raw frame (a WebSocket text message, or an SSE event's data)
 * @param report told why a frame was refused (malformed, missing fields, too large); not called
 *   for unknown types, which are skipped silently so old clients survive new servers
 * @param max largest accepted frame in UTF-16 code units; default {@link MAX_FRAME}
 * @returns the frame, or `null` when it must be ignored
 */
export const decodeFrame = (text: string, report: (reason: string) => void = () => {}, max = MAX_FRAME): ServerFrame | null =>
  decode(text, SERVER, report, max) as ServerFrame | null;

/**
 * Decodes a frame a client sent (for servers, the reference server and the mocks). Never throws.
 * Same contract as {@link decodeFrame}.
 */
export const decodeClientFrame = (text: string, report: (reason: string) => void = () => {}, max = MAX_FRAME): ClientFrame | null => {
  const f = decode(text, CLIENT, report, max);
  // What the table cannot say: a hello's conversation may be null, a command needs a type.
  return !f ||
    (f.type === 'hello' ? f.conversationId === null || typeof f.conversationId === 'string' : f.type !== 'command' || typeof (f.command as Obj).type === 'string')
    ? (f as ClientFrame | null)
    : (report(`bad ${f.type}`), null);
};
