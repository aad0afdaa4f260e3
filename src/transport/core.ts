/**
 * What both built-in adapters share: the connection loop (backoff with full jitter, resume from
 * the last seen sequence, heartbeat deadline, one token refresh after `auth-failed`), event
 * dedupe, answers matched to calls, per-call timeouts and aborts, and in-order, one-at-a-time
 * message delivery. An adapter only knows how to open one link.
 */
import { backoffDelay, type BackoffOptions } from './backoff.js';
import { PROTOCOL_VERSION, type ClientFrame, type ErrorFrame, type HelloFrame, type ServerFrame } from './protocol.js';
import { TransportError, type CallOptions, type ChatTransport, type ConnectionStatus, type ServerEvent, type TransportErrorCode } from './types.js';

/** Options of the built-in adapters (`createTransport`). */
export interface TransportOptions {
  /**
   * The host's auth-token callback, called before every connection attempt and HTTP request, and
   * again with `rejected = true` once after a 401 / `auth-failed`. The token is never stored.
   */
  getToken?: (rejected: boolean) => string | undefined | Promise<string | undefined>;
  /** Clock in ms since the epoch (for HTTP-date `Retry-After`). Default `Date.now`. */
  now?: () => number;
  /** Source of [0, 1) numbers for backoff jitter. Default `Math.random`. */
  random?: () => number;
  /**
   * Heartbeat interval in ms. Default: the server's (`welcome.heartbeat`). A link that receives
   * nothing for two intervals is closed and reconnected. Before `welcome`, 25 000 is assumed.
   */
  heartbeatMs?: number;
  /** Longest a `send`, `command` or `upload` may take, waiting for the connection included, in ms. Default 20 000. */
  timeoutMs?: number;
  /**
   * Reconnect backoff. Default base 1000 ms, cap 30 000 ms: the first retry after a drop comes
   * within a second, and a thousand clients dropped together spread over that whole second.
   */
  backoff?: BackoffOptions;
  /** Largest accepted server frame, in UTF-16 code units. Default 1 MiB. */
  maxFrame?: number;
  /** WebSocket constructor. Default the global one, read at connect time. */
  WebSocket?: typeof WebSocket;
  /** fetch. Default the global one, read at call time. */
  fetch?: typeof fetch;
}

/**
 * How a link reports to the core, never synchronously from `open`: a decoded frame; a string,
 * the reason a frame was refused; a TransportError, the link is gone (the core reconnects unless
 * it is permanent); `null` or nothing, bytes arrived (the link is alive).
 */
export type LinkHandler = (x?: ServerFrame | TransportError | string | null) => void;

/**
 * Sends a frame on a link. With a signal it is a call: the answer comes back through the handler
 * (WebSocket), or as the returned promise's frame (HTTP). Without, fire and forget.
 */
export type Send = (frame: ClientFrame, signal?: AbortSignal) => Promise<ServerFrame | null> | void;

/**
 * Starts one link (one connection attempt), which lives until `signal` aborts. `refresh`: the
 * previous token was refused, ask the host for a new one.
 */
export type Open = (hello: HelloFrame, on: LinkHandler, refresh: boolean, signal: AbortSignal) => Send;

/**
 * A TransportError shorthand. The code says what failed; a message is added only where it tells
 * more (a server's text, an HTTP status, why a frame was refused).
 */
export const fail = (code: TransportErrorCode, message: string = code, retryable = true, retryAfterMs?: number) =>
  new TransportError(code, message, retryable, retryAfterMs);

/** The endpoint is not one a built-in adapter can open: permanent. */
export const badEndpoint = () => fail('bad-request', 'bad endpoint', false);

/** The TransportError an `error` frame (or an HTTP error answer read as one) stands for. */
export const fromFrame = (f: Omit<ErrorFrame, 'type'>) => fail(f.code, f.message, f.retryable, f.retryAfter);

type Answer = [(f: ServerFrame) => void, (e: unknown) => void];

/** Builds a ChatTransport around an adapter's `open` and `upload`. */
export function createCore(open: Open, upload: (file: Blob, signal: AbortSignal) => Promise<{ url: string }>, o: TransportOptions): ChatTransport {
  const listeners = new Set<(event: ServerEvent) => void>();
  // Calls waiting for their answer frame, by clientId (messages) or request id (commands).
  const pending = new Map<string, Answer>();
  let status: ConnectionStatus = 'idle';
  let conversationId: string | null = null;
  let cursor = 0;
  let hello: Pick<HelloFrame, 'locale' | 'context'>;
  let link: Send | undefined;
  let life: AbortController | undefined;
  let attempt = 0;
  // In ms: the host's, else the last welcome's; with neither yet, 25 000 is assumed.
  let heartbeat: number | undefined;
  let requests = 0;
  // The stall deadline while a link is up, the next dial while none is.
  let timer: ReturnType<typeof setTimeout> | undefined;
  let pinger: ReturnType<typeof setInterval> | undefined;
  // Settles when the link is online: calls wait on it. A rejected gate means idle or offline.
  let gate!: Promise<void>;
  let opened!: () => void;
  let refused!: (e: TransportError) => void;
  // The last message's outcome while nothing was sent after it: its error, or undefined.
  let tail: Promise<TransportError | void> | undefined;

  const emit = (event: ServerEvent) =>
    listeners.forEach((l) => {
      try {
        l(event);
      } catch {
        // A throwing listener must not break delivery to the others or the connection.
      }
    });
  const setStatus = (s: ConnectionStatus, extra?: object) => status != s && emit({ type: 'connection', status: (status = s), ...extra });
  const report = (error: TransportError) => emit({ type: 'error', error });
  const lock = () => {
    (gate = new Promise((resolve, reject) => ((opened = resolve), (refused = reject)))).catch(() => {});
  };
  // A link that stops answering is dead after two heartbeats (or a slow first welcome).
  const arm = () => {
    clearTimeout(timer);
    timer = setTimeout(() => down(fail('timeout')), 2 * (heartbeat || 25_000));
  };
  const unlink = () => {
    link = undefined;
    life?.abort();
    clearTimeout(timer);
    clearInterval(pinger);
    pending.forEach(([, reject]) => reject(fail('network')));
    pending.clear();
    if (status == 'online') lock();
  };

  const dial = (refresh: boolean) => {
    const { signal } = (life = new AbortController());
    link = open(
      { type: 'hello', v: PROTOCOL_VERSION, conversationId, cursor, ...hello },
      (x) => {
        if (signal.aborted) return;
        arm();
        if (x instanceof TransportError) down(x);
        else if (typeof x == 'string') report(fail('protocol', x));
        else if (x && !answer(x)) onFrame(x, refresh);
      },
      refresh,
      signal,
    );
    arm();
  };

  /** Settles the call a frame answers (by clientId or request id); false when it answers none. */
  const answer = (f: ServerFrame) => {
    const key = (f as { clientId?: string }).clientId ?? (f as { id?: string }).id;
    const call = pending.get(key!);
    if (call) {
      pending.delete(key!);
      if (f.type == 'error') call[1](fromFrame(f));
      else call[0](f);
    }
    return call;
  };

  const onFrame = (f: ServerFrame, refreshed: boolean) => {
    if (f.type == 'welcome') {
      // A server that lost the conversation starts a new one: its sequence starts over.
      if (conversationId != f.conversationId) cursor = 0;
      conversationId = f.conversationId;
      // Within what a timer can wait twice: a negative one, or one over 2^30 ms, fired at once and
      // made the link look dead the moment it came up, again after every reconnect.
      heartbeat = o.heartbeatMs || Math.min(Math.max(f.heartbeat, 0), 1e9);
      attempt = 0;
      arm();
      clearInterval(pinger);
      if (heartbeat > 0) pinger = setInterval(() => link?.({ type: 'ping' }), heartbeat);
      opened();
      setStatus('online', { conversationId });
    } else if (f.type == 'event') {
      const e = f.event as { seq?: number };
      // Replays overlap live delivery: a sequenced event seen before is dropped, so it renders once.
      if (!(e.seq! <= cursor)) {
        cursor = e.seq ?? cursor;
        emit(f.event);
      }
    } else if (f.type == 'auth-failed') {
      // One fresh token, right away, on a new link; a second refusal waits for the backoff.
      down(fail('auth', f.message, false), !refreshed);
    } else if (f.type == 'error' && !f.id && !f.clientId) {
      // About the connection (a late answer to a call that timed out is not).
      down(fromFrame(f));
    }
  };

  /** The link is gone: reconnect after the backoff (`now`: at once, silently), or go offline for good. */
  const down = (e: TransportError, now?: boolean) => {
    if (!link) return;
    unlink();
    // Auth failures stay worth retrying for the connection: the host may sign in again.
    const auth = e.code == 'auth';
    if (!e.retryable && !auth) {
      setStatus('offline');
      report(e);
      return refused(e);
    }
    if (auth && !now) report(e);
    if (status != 'connecting') setStatus('reconnecting');
    timer = setTimeout(() => dial(auth), now ? 0 : backoffDelay(attempt++, o.random ?? Math.random, { base: 1000, ...o.backoff }, e.retryAfterMs));
  };

  const close = () => {
    unlink();
    refused(fail('network'));
    setStatus('idle');
  };
  lock();
  close();

  /** Runs `fn` with a signal that aborts on the caller's signal or the timeout, and rejects at once then. */
  const call = <T>(fn: (signal: AbortSignal) => Promise<T>, { signal: outer }: CallOptions = {}) =>
    new Promise<T>((resolve, reject) => {
      const ac = new AbortController();
      const signal = ac.signal;
      const abort = () => ac.abort(fail('aborted'));
      const t = setTimeout(() => ac.abort(fail('timeout')), o.timeoutMs ?? 20_000);
      signal.onabort = () => {
        clearTimeout(t);
        reject(signal.reason);
      };
      if (outer?.aborted) abort();
      outer?.addEventListener('abort', abort, { signal });
      // Aborting once settled removes the listener from `outer` and the timer.
      fn(signal)
        .then(resolve, reject)
        .finally(() => ac.abort());
    });

  /**
   * One call on the link once it is online. A call whose link went down fails with `network`;
   * `retry` sends it again on the next link (servers dedupe messages on clientId).
   */
  const request = async (frame: ClientFrame, key: string, signal: AbortSignal, retry?: boolean): Promise<ServerFrame> => {
    for (;;) {
      const g = gate;
      try {
        await g;
        signal.throwIfAborted();
        return await new Promise<ServerFrame>((resolve, reject) => {
          // (an abandoned call's entry goes with its link, or with a late answer)
          // A listener may have closed the transport while the gate opened.
          if (!link) throw fail('network');
          pending.set(key, [resolve, reject]);
          link(frame, signal)?.then((f) => {
            if (f) answer(f);
            reject(fail('protocol'));
          }, reject);
        });
      } catch (e) {
        const network = (e as TransportError).code == 'network';
        // An HTTP call that could not reach the server: that link is gone too.
        if (network && g == gate) down(e as TransportError);
        if (!retry || !network || g == gate) throw e;
      }
    }
  };

  return {
    connect({ conversationId: id, cursor: c, locale, context, signal }) {
      close();
      // A new object per connect: aborting an older connect's signal leaves this one alone.
      const mine = (hello = { locale, context });
      conversationId = id;
      cursor = c;
      attempt = 0;
      heartbeat = o.heartbeatMs;
      lock();
      const session = gate.then(() => ({ conversationId: conversationId! }));
      signal.addEventListener('abort', () => mine == hello && close());
      setStatus('connecting');
      if (signal.aborted) close();
      else dial(false);
      return session;
    },
    close,
    send(message, options) {
      const previous = tail;
      // One message at a time, in call order. A message lost with its link is sent again after the
      // reconnect; any other retryable failure also fails the messages queued behind it, so a
      // caller retrying from the first failure keeps the order.
      const p = call(async (signal) => {
        const before = await previous;
        if (before?.retryable && before.code != 'aborted') throw before;
        const { type: _, ...ack } = (await request({ type: 'message', ...message }, message.clientId, signal, true)) as Extract<ServerFrame, { type: 'ack' }>;
        return ack;
      }, options);
      // A failure with nothing queued behind it is forgotten: the next send starts afresh.
      const mine: typeof tail = (tail = p.then(
        () => {},
        (e: TransportError) => (tail == mine ? undefined : e),
      ));
      return p;
    },
    command(command, options) {
      const id = `r${++requests}`;
      // (resolves with the result frame: callers only wait for it)
      return call((signal) => request({ type: 'command', id, conversationId: conversationId!, command }, id, signal), options) as Promise<never>;
    },
    typing(active) {
      if (status == 'online') link!({ type: 'typing', conversationId: conversationId!, active });
    },
    upload: (file, options) => call((signal) => upload(file, signal), options),
    subscribe(listener) {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
  };
}
