/**
 * The server side of the wire protocol, over any socket-like peer and any HTTP stack, serving a
 * {@link Backend}. The msw mocks (browser) and the real test server (Node, `ws`) both wrap this
 * one module, so the two cannot drift. No Node-only imports here.
 */
import { decodeClientFrame, MAX_FRAME, PROTOCOL_VERSION, type ClientFrame, type ServerFrame } from '../transport/protocol.js';
import { TransportError, type TransportErrorCode } from '../transport/types.js';
import type { Backend, BackendEvent, BackendConnection } from './backend/types.js';

/** How a protocol server is set up. */
export interface ProtocolServerOptions {
  /** Heartbeat announced in `welcome`, and the SSE keep-alive period, in ms. Default 15 000. */
  heartbeatMs?: number;
  /** Whether a token is accepted. Default: every token, and none. */
  authorize?: (token: string | undefined) => boolean;
  /** Largest accepted client frame, in UTF-16 code units. Default 1 MiB. */
  maxFrame?: number;
  /** Clock for the request log, ms since the epoch. Default `Date.now`. */
  now?: () => number;
}

/** One socket as the server sees it. */
export interface Peer {
  send(text: string): void;
  close(): void;
}

/** The server's side of one socket: feed it what the peer says. */
export interface SocketHandler {
  message(text: string): void;
  /** The peer closed (idempotent). */
  close(): void;
}

/** Where an HTTP request or a WebSocket frame goes, for faults and the request log. */
export type RequestKind = 'hello' | 'message' | 'command' | 'typing' | 'ping' | 'events' | 'upload';

/** An HTTP request, stack-neutral. */
export interface HttpRequest {
  kind: 'post' | 'events' | 'upload';
  /** Request header by lower-case name. */
  header(name: string): string | null;
  /** `post`: the body. */
  body?: string;
  /** `events`: the `conversationId` query parameter. `upload`: the `name` one. */
  param?: string | null;
  /** `upload`: body size in bytes. */
  size?: number;
}

/** An HTTP answer: a body, a stream, or `status: 0` for "reset the connection without answering". */
export interface HttpReply {
  status: number;
  headers: Record<string, string>;
  body?: string;
  /** For event streams: starts writing; returns the function that stops. */
  stream?: (write: (chunk: string) => void, end: () => void) => () => void;
}

/** Ways to make the server misbehave, for tests and the demo. Counts apply to the next N occurrences. */
export interface Faults {
  /** Close every socket and event stream now. */
  drop(): void;
  /** Store the next `count` messages but never answer (WebSocket: no ack; HTTP: connection reset). */
  loseAcks(count?: number): void;
  /**
   * Refuse the next `count` requests of a kind as unavailable: HTTP `status` (default 503) with
   * `Retry-After: retryAfter` seconds when given; WebSocket `error` frame (then close, for hello).
   */
  fail(count: number, options?: { on?: RequestKind | 'any'; status?: number; retryAfter?: number }): void;
  /** Answer the next `count` messages with this error frame instead of storing them. */
  reject(count: number, error: { code: TransportErrorCode; retryable: boolean; retryAfterMs?: number; message?: string }): void;
  /** Refuse the next `count` tokens: `auth-failed` (WebSocket hello) or 401 (any HTTP request). */
  authFail(count?: number): void;
  /** Go silent (true) or speak again (false): no answers, events, pongs or keep-alives; links stay open. */
  stall(on?: boolean): void;
  /** Send raw text to every open socket and stream, as a frame. */
  garbage(text: string): void;
  /** Close the connection right after storing the next `count`-th message, before answering it. */
  dropAfterMessages(count: number): void;
  /** Close the connection right after sending the event with this sequence number. */
  endAfterSeq(seq: number): void;
  /** Clear every pending fault. */
  reset(): void;
}

/** What the server saw. */
export interface ServerStats {
  /** Sockets and event streams open now. */
  open: number;
  /** Most sockets and event streams open at once so far. */
  maxOpen: number;
  /** Every hello, in order (WebSocket frame or HTTP POST). */
  hellos: { conversationId: string | null; cursor: number; token?: string }[];
  /** Every HTTP request and WebSocket frame, in order. */
  requests: { kind: RequestKind; at: number; lastEventId?: string | null; authorization?: string | null }[];
}

/** The protocol server. */
export interface ProtocolServer {
  /** Serve a new WebSocket. */
  accept(peer: Peer): SocketHandler;
  /** Serve an HTTP request (POST of a frame, GET of the event stream, upload). */
  http(request: HttpRequest): Promise<HttpReply>;
  faults: Faults;
  stats(): ServerStats;
  /** Close every link and stop keep-alive timers. */
  dispose(): void;
}

const STATUS: Partial<Record<TransportErrorCode, number>> = {
  auth: 401,
  'bad-request': 400,
  conflict: 409,
  'too-large': 413,
  'rate-limited': 429,
  timeout: 408,
  unavailable: 503,
  protocol: 400,
};

const json = (frame: ServerFrame) => JSON.stringify(frame);
const errorFrame = (e: unknown, ids: { id?: string; clientId?: string } = {}): ServerFrame => {
  const t = e instanceof TransportError ? e : new TransportError('unknown', String(e), true);
  return { type: 'error', code: t.code, message: t.message, retryable: t.retryable, ...(t.retryAfterMs ? { retryAfter: t.retryAfterMs } : {}), ...ids };
};
const JSON_HEADERS = { 'content-type': 'application/json' };

/** Creates a protocol server for a backend. */
export function createProtocolServer(backend: Backend, options: ProtocolServerOptions = {}): ProtocolServer {
  const { heartbeatMs = 15_000, authorize = () => true, maxFrame = MAX_FRAME, now = Date.now } = options;
  interface Link {
    send(text: string, seq?: number): void;
    close(): void;
  }
  const links = new Set<Link>();
  let maxOpen = 0;
  const stats: Omit<ServerStats, 'open' | 'maxOpen'> = { hellos: [], requests: [] };
  let lose = 0;
  let authFailures = 0;
  let failures: { count: number; on: RequestKind | 'any'; status: number; retryAfter?: number }[] = [];
  let rejects: { count: number; error: Parameters<Faults['reject']>[1] }[] = [];
  let dropAfter = 0;
  let endSeq = -1;
  let stalled = false;
  // The conversation's locale and context from its last hello, for event streams (HTTP GET has no body).
  const hellos = new Map<string, { locale: string; context?: Record<string, unknown> }>();

  const track = (link: Link) => {
    links.add(link);
    maxOpen = Math.max(maxOpen, links.size);
  };
  const take = <T extends { count: number }>(list: T[], match: (t: T) => boolean): T | undefined => {
    const found = list.find((t) => t.count > 0 && match(t));
    if (found) found.count--;
    return found;
  };
  const failure = (kind: RequestKind) => take(failures, (f) => f.on === 'any' || f.on === kind);
  const eventText = (e: BackendEvent) => json({ type: 'event', event: e });
  const onEvent = (link: Link) => (e: BackendEvent) => {
    link.send(eventText(e), 'seq' in e ? e.seq : undefined);
    if ('seq' in e && e.seq === endSeq) {
      endSeq = -1;
      link.close();
    }
  };

  /** Handles a message frame; `undefined` means "say nothing" (lost ack or dropped link). */
  const message = (conversationId: string, f: Extract<ClientFrame, { type: 'message' }>, drop: () => void): ServerFrame | undefined => {
    const r = take(rejects, () => true);
    if (r) return errorFrame(new TransportError(r.error.code, r.error.message ?? 'rejected by fault injection', r.error.retryable, r.error.retryAfterMs), { clientId: f.clientId });
    const { type: _, ...m } = f;
    let ack;
    try {
      ack = backend.receive(conversationId, { ...m, conversationId });
    } catch (e) {
      return errorFrame(e, { clientId: f.clientId });
    }
    if (dropAfter > 0 && --dropAfter === 0) return drop(), undefined;
    if (lose > 0) return lose--, undefined;
    return { type: 'ack', ...ack };
  };

  const command = (conversationId: string, f: Extract<ClientFrame, { type: 'command' }>): ServerFrame => {
    try {
      backend.command(conversationId, f.command);
      return { type: 'result', id: f.id };
    } catch (e) {
      return errorFrame(e, { id: f.id });
    }
  };

  const log = (kind: RequestKind, extra: Partial<ServerStats['requests'][number]> = {}) => stats.requests.push({ kind, at: now(), ...extra });

  const accept = (peer: Peer): SocketHandler => {
    let connection: BackendConnection | undefined;
    let unsubscribe = () => {};
    let open = true;
    const link: Link = {
      send: (text) => {
        if (open && !stalled) peer.send(text);
      },
      close: () => {
        if (!open) return;
        handler.close();
        peer.close();
      },
    };
    const handler: SocketHandler = {
      message(text) {
        if (!open || stalled) return;
        const f = decodeClientFrame(text, (reason) => link.send(json({ type: 'error', code: 'protocol', message: reason, retryable: false })), maxFrame);
        if (!f) return;
        log(f.type);
        const fault = f.type === 'typing' ? undefined : failure(f.type);
        if (f.type === 'hello') {
          stats.hellos.push({ conversationId: f.conversationId, cursor: f.cursor, ...(f.token === undefined ? {} : { token: f.token }) });
          if (authFailures > 0 || !authorize(f.token)) {
            authFailures = Math.max(0, authFailures - 1);
            link.send(json({ type: 'auth-failed', message: 'token refused' }));
            return link.close();
          }
          if (fault) {
            link.send(json({ type: 'error', code: 'unavailable', message: 'unavailable (fault injection)', retryable: true, ...(fault.retryAfter ? { retryAfter: fault.retryAfter * 1000 } : {}) }));
            return link.close();
          }
          unsubscribe();
          connection = backend.open(f);
          link.send(json({ type: 'welcome', v: PROTOCOL_VERSION, conversationId: connection.conversationId, heartbeat: heartbeatMs }));
          const send = onEvent(link);
          for (const e of connection.replay) send(e);
          unsubscribe = connection.subscribe(send);
          return;
        }
        if (f.type === 'ping') return link.send(json({ type: 'pong' }));
        const id = f.type === 'message' ? { clientId: f.clientId } : f.type === 'command' ? { id: f.id } : undefined;
        if (fault && id) return link.send(json({ type: 'error', code: 'unavailable', message: 'unavailable (fault injection)', retryable: true, ...id }));
        if (!connection) return link.send(json({ type: 'error', code: 'protocol', message: 'hello first', retryable: false, ...id }));
        const c = connection.conversationId;
        if (f.type === 'typing') return backend.typing(c, f.active);
        const answer = f.type === 'message' ? message(c, f, link.close) : command(c, f);
        if (answer) link.send(json(answer));
      },
      close() {
        if (!open) return;
        open = false;
        unsubscribe();
        links.delete(link);
      },
    };
    track(link);
    return handler;
  };

  const reply = (status: number, frame?: ServerFrame, headers: Record<string, string> = {}): HttpReply => ({
    status,
    headers: { ...JSON_HEADERS, ...headers },
    ...(frame ? { body: json(frame) } : {}),
  });
  const errorReply = (frame: ServerFrame): HttpReply => {
    const e = frame as Extract<ServerFrame, { type: 'error' }>;
    return reply(STATUS[e.code] ?? 500, frame, e.retryAfter ? { 'retry-after': String(Math.ceil(e.retryAfter / 1000)) } : {});
  };

  const http = async (req: HttpRequest): Promise<HttpReply> => {
    let f: ClientFrame | null = null;
    if (req.kind === 'post') {
      let reason = 'bad frame';
      f = decodeClientFrame(req.body ?? '', (r) => (reason = r), maxFrame);
      if (!f) return reply(400, { type: 'error', code: 'protocol', message: reason, retryable: false });
    }
    const kind: RequestKind = f ? f.type : req.kind === 'events' ? 'events' : 'upload';
    log(kind, { lastEventId: req.header('last-event-id'), authorization: req.header('authorization') });
    const auth = req.header('authorization');
    const token = auth?.startsWith('Bearer ') ? auth.slice(7) : undefined;
    if (f?.type === 'hello') stats.hellos.push({ conversationId: f.conversationId, cursor: f.cursor, ...(token === undefined ? {} : { token }) });
    if (authFailures > 0 || !authorize(token)) {
      authFailures = Math.max(0, authFailures - 1);
      return reply(401, { type: 'error', code: 'auth', message: 'token refused', retryable: false });
    }
    const fault = failure(kind);
    if (fault) return reply(fault.status, { type: 'error', code: 'unavailable', message: 'unavailable (fault injection)', retryable: true }, fault.retryAfter === undefined ? {} : { 'retry-after': String(fault.retryAfter) });
    if (req.kind === 'upload') {
      return { status: 200, headers: JSON_HEADERS, body: JSON.stringify(backend.upload(req.param ?? 'file', req.header('content-type') ?? '', req.size ?? 0)) };
    }
    if (req.kind === 'events' || !f) return events(req);
    switch (f.type) {
      case 'hello': {
        const c = backend.open(f);
        hellos.set(c.conversationId, { locale: f.locale, context: f.context });
        return reply(200, { type: 'welcome', v: PROTOCOL_VERSION, conversationId: c.conversationId, heartbeat: heartbeatMs });
      }
      case 'message': {
        let lost = false;
        const answer = message(f.conversationId, f, () => {
          lost = true;
          faults.drop();
        });
        return !answer || lost ? { status: 0, headers: {} } : answer.type === 'error' ? errorReply(answer) : reply(200, answer);
      }
      case 'command': {
        const answer = command(f.conversationId, f);
        return answer.type === 'error' ? errorReply(answer) : reply(200, answer);
      }
      case 'typing':
        try {
          backend.typing(f.conversationId, f.active);
        } catch {
          // best effort, like the client
        }
        return { status: 204, headers: {} };
      default:
        return reply(400, { type: 'error', code: 'protocol', message: `${f.type} is WebSocket-only`, retryable: false });
    }
  };

  const events = (req: HttpRequest): HttpReply => {
    const id = req.param ?? '';
    const known = hellos.get(id);
    const cursor = Number(req.header('last-event-id') ?? 0) || 0;
    // A stream for a conversation this server does not know (restarted?) sends the client back to hello.
    if (!known) return reply(503, { type: 'error', code: 'unavailable', message: `unknown conversation ${id}`, retryable: true });
    const connection = backend.open({ conversationId: id, cursor, ...known });
    return {
      status: 200,
      headers: { 'content-type': 'text/event-stream', 'cache-control': 'no-store' },
      stream(write, end) {
        let open = true;
        const put = (chunk: string) => {
          if (!open || stalled) return;
          try {
            write(chunk);
          } catch {
            link.close();
          }
        };
        const link: Link = {
          send: (text, seq) => put(`${seq === undefined ? '' : `id: ${seq}\n`}data: ${text}\n\n`),
          close() {
            if (!open) return;
            open = false;
            unsubscribe();
            clearInterval(keepAlive);
            links.delete(link);
            try {
              end();
            } catch {
              // already gone
            }
          },
        };
        track(link);
        const keepAlive = setInterval(() => put(':\n\n'), heartbeatMs);
        const send = onEvent(link);
        for (const e of connection.replay) send(e);
        const unsubscribe = connection.subscribe(send);
        return link.close;
      },
    };
  };

  const faults: Faults = {
    drop: () => [...links].forEach((l) => l.close()),
    loseAcks: (count = 1) => void (lose += count),
    fail: (count, { on = 'any', status = 503, retryAfter } = {}) => void failures.push({ count, on, status, retryAfter }),
    reject: (count, error) => void rejects.push({ count, error }),
    authFail: (count = 1) => void (authFailures += count),
    stall: (on = true) => void (stalled = on),
    garbage: (text) => links.forEach((l) => l.send(text)),
    dropAfterMessages: (count) => void (dropAfter = count),
    endAfterSeq: (seq) => void (endSeq = seq),
    reset() {
      lose = authFailures = dropAfter = 0;
      failures = [];
      rejects = [];
      endSeq = -1;
      stalled = false;
    },
  };

  return {
    accept,
    http,
    faults,
    stats: () => ({ open: links.size, maxOpen, hellos: [...stats.hellos], requests: [...stats.requests] }),
    dispose() {
      faults.reset();
      faults.drop();
    },
  };
}
