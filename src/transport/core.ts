/**
 * What both built-in adapters share: the connection loop (backoff with full jitter, resume from
 * the last seen sequence, heartbeat deadline), event dedupe, per-call timeouts and aborts, and
 * in-order, one-at-a-time message delivery. An adapter only knows how to open one link.
 */
import { backoffDelay, type BackoffOptions } from './backoff.js';
import { PROTOCOL_VERSION, type ClientFrame, type ErrorFrame, type HelloFrame, type ServerFrame } from './protocol.js';
import { TransportError, type Ack, type ChatTransport, type ConnectionStatus, type ServerEvent, type TransportErrorCode } from './types.js';

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

/** What a link reports to the core. */
export interface LinkHandlers {
  /** Bytes arrived: the link is alive. */
  alive(): void;
  /** A decoded frame that is not the answer to a request. */
  frame(frame: ServerFrame): void;
  /** A frame was refused (malformed, too large…). */
  bad(reason: string): void;
  /** The link is gone; the core reconnects unless the error is permanent. */
  down(error: TransportError): void;
}

/** One connection attempt of an adapter. */
export interface Link {
  /** Send a `message` or `command` frame; resolves with the `ack` or `result` frame. */
  request(frame: ClientFrame, signal: AbortSignal): Promise<ServerFrame>;
  /** Fire and forget (typing, ping). */
  post(frame: ClientFrame): void;
  close(): void;
}

/** An adapter: how to open links and upload files. */
export interface Adapter {
  /** Start one link. `refresh` tells the token callback the previous token was refused. */
  open(hello: HelloFrame, handlers: LinkHandlers, refresh: boolean): Link;
  upload(file: Blob, signal: AbortSignal): Promise<{ url: string }>;
}

/** A TransportError shorthand. */
export const fail = (code: TransportErrorCode, message: string, retryable = true, retryAfterMs?: number) =>
  new TransportError(code, message, retryable, retryAfterMs);

/** The TransportError an `error` frame stands for. */
export const fromFrame = (f: ErrorFrame) => fail(f.code, f.message, f.retryable, f.retryAfter);

/** Resolves like `p`, or rejects with the signal's reason when it aborts first. */
export const race = <T>(p: Promise<T>, signal: AbortSignal): Promise<T> =>
  new Promise<T>((resolve, reject) => {
    const stop = () => reject(signal.reason);
    if (signal.aborted) stop();
    signal.addEventListener('abort', stop);
    p.then(resolve, reject);
  });

/** Builds a ChatTransport around an adapter. */
export function createCore(adapter: Adapter, o: TransportOptions): ChatTransport {
  const timeoutMs = o.timeoutMs ?? 20_000;
  const random = o.random ?? Math.random;
  const listeners = new Set<(event: ServerEvent) => void>();
  let status: ConnectionStatus = 'idle';
  let conversationId: string | null = null;
  let cursor = 0;
  let hello: HelloFrame;
  let link: Link | undefined;
  let linkId: object | undefined;
  let online = false;
  let everOnline = false;
  let attempt = 0;
  let gen = 0;
  let heartbeat = 0;
  let retryTimer: ReturnType<typeof setTimeout> | undefined;
  let deadline: ReturnType<typeof setTimeout> | undefined;
  let pinger: ReturnType<typeof setInterval> | undefined;
  let connecting: { resolve(v: { conversationId: string }): void; reject(e: unknown): void } | undefined;
  let waiters: { resolve(): void; reject(e: unknown): void }[] = [];
  let requests = 0;
  let tail: Promise<unknown> = Promise.resolve();
  let queued = 0;

  const emit = (event: ServerEvent) =>
    listeners.forEach((l) => {
      try {
        l(event);
      } catch {
        // A throwing listener must not break delivery to the others or the connection.
      }
    });
  const setStatus = (s: ConnectionStatus) => status !== s && emit({ type: 'connection', status: (status = s) });
  const settle = (e?: unknown) => {
    waiters.forEach((w) => (e ? w.reject(e) : w.resolve()));
    waiters = [];
  };
  // A link that stops answering is dead after two heartbeats (or a slow first welcome).
  const arm = () => {
    clearTimeout(deadline);
    const ms = 2 * (heartbeat || o.heartbeatMs || 25_000);
    deadline = setTimeout(() => down(fail('timeout', 'stalled')), ms);
  };
  const unlink = () => {
    link?.close();
    link = linkId = undefined;
    online = false;
    clearTimeout(deadline);
    clearInterval(pinger);
    clearTimeout(retryTimer);
    retryTimer = undefined;
  };

  const dial = (refresh = false) => {
    const id = (linkId = {});
    const mine = <A extends unknown[]>(f: (...a: A) => void) => (...a: A) => linkId === id && f(...a);
    setStatus(everOnline ? 'reconnecting' : 'connecting');
    link = adapter.open(
      { ...hello, conversationId, cursor },
      { alive: mine(arm), frame: mine(onFrame), bad: mine(bad), down: mine(down) },
      refresh,
    );
    arm();
  };

  const bad = (reason: string) => emit({ type: 'error', error: fail('protocol', `frame ignored: ${reason}`) });

  const onFrame = (f: ServerFrame) => {
    if (f.type === 'welcome') {
      // A server that lost the conversation starts a new one: its sequence starts over.
      if (conversationId !== f.conversationId) cursor = conversationId ? 0 : cursor;
      conversationId = f.conversationId;
      heartbeat = o.heartbeatMs || f.heartbeat;
      online = everOnline = true;
      attempt = 0;
      arm();
      clearInterval(pinger);
      if (heartbeat > 0) pinger = setInterval(() => link?.post({ type: 'ping' }), heartbeat);
      setStatus('online');
      connecting?.resolve({ conversationId });
      connecting = undefined;
      settle();
    } else if (f.type === 'event') {
      const e = f.event;
      // Replays overlap live delivery: a sequenced event seen before is dropped, so it renders once.
      if ('seq' in e) {
        if (e.seq <= cursor) return;
        cursor = e.seq;
      }
      emit(e);
    } else if (f.type === 'auth-failed') {
      down(fail('auth', f.message ?? 'auth-failed', false));
    } else if (f.type === 'error' && !f.id && !f.clientId) {
      // About the connection (a late answer to a call that timed out is not).
      down(fromFrame(f));
    }
  };

  const down = (e: TransportError) => {
    if (!linkId) return;
    unlink();
    // Auth failures stay worth retrying for the connection: the host may sign in again.
    if (!e.retryable && e.code !== 'auth') {
      setStatus('offline');
      emit({ type: 'error', error: e });
      connecting?.reject(e);
      connecting = undefined;
      return settle(e);
    }
    if (e.code === 'auth') emit({ type: 'error', error: e });
    setStatus(everOnline ? 'reconnecting' : 'connecting');
    retryTimer = setTimeout(() => dial(e.code === 'auth'), backoffDelay(attempt++, random, o.backoff ?? { base: 1000 }, e.retryAfterMs));
  };

  const close = () => {
    gen++;
    unlink();
    connecting?.reject(fail('aborted', 'closed'));
    connecting = undefined;
    settle(fail('network', 'closed'));
    setStatus('idle');
  };

  /** Runs `fn` with a signal that aborts on the caller's signal, the timeout, or `close()`. */
  const call = async <T>(fn: (signal: AbortSignal) => Promise<T>, outer?: AbortSignal): Promise<T> => {
    const ac = new AbortController();
    const abort = () => ac.abort(fail('aborted', 'aborted'));
    const timer = setTimeout(() => ac.abort(fail('timeout', `no answer in ${timeoutMs} ms`)), timeoutMs);
    if (outer?.aborted) abort();
    outer?.addEventListener('abort', abort);
    try {
      return await race(fn(ac.signal), ac.signal);
    } finally {
      clearTimeout(timer);
      outer?.removeEventListener('abort', abort);
    }
  };

  const whenOnline = (signal: AbortSignal): Promise<void> =>
    online
      ? Promise.resolve()
      : linkId || retryTimer
        ? race(new Promise<void>((resolve, reject) => waiters.push({ resolve, reject })), signal)
        : Promise.reject(fail('network', 'not connected'));

  /** One request on the current link; a link that fails mid-request is torn down and redialled. */
  const request = async (frame: ClientFrame, signal: AbortSignal): Promise<ServerFrame> => {
    await whenOnline(signal);
    const id = linkId;
    try {
      return await link!.request(frame, signal);
    } catch (e) {
      if (linkId === id && (e as TransportError).code === 'network') down(e as TransportError);
      throw e;
    }
  };

  return {
    connect({ conversationId: id, cursor: c, locale, context, signal }) {
      close();
      const g = gen;
      conversationId = id;
      cursor = c;
      everOnline = false;
      attempt = 0;
      heartbeat = 0;
      hello = { type: 'hello', v: PROTOCOL_VERSION, conversationId: id, cursor: c, locale, context };
      signal.addEventListener('abort', () => g === gen && close());
      return new Promise((resolve, reject) => {
        connecting = { resolve, reject };
        if (signal.aborted) close();
        else dial();
      });
    },
    close,
    send(message, options) {
      const behind = queued++ > 0;
      const previous = tail;
      // One message at a time, in call order. A message lost with its link is sent again after the
      // reconnect (servers dedupe on clientId); any other retryable failure also fails the messages
      // queued behind it, so a caller retrying from the first failure keeps the order.
      const p = call(async (signal) => {
        const before = (await race(previous, signal)) as TransportError | undefined;
        if (behind && before?.retryable && before.code !== 'aborted') throw before;
        for (;;) {
          try {
            const { type: _, ...ack } = (await request({ type: 'message', ...message }, signal)) as Ack & { type: 'ack' };
            return ack;
          } catch (e) {
            if ((e as TransportError).code !== 'network' || signal.aborted || (!linkId && !retryTimer)) throw e;
          }
        }
      }, options?.signal);
      tail = p.then(
        () => (queued--, undefined),
        (e) => (queued--, e),
      );
      return p;
    },
    async command(command, options) {
      await call(
        (signal) =>
          request({ type: 'command', id: `r${++requests}`, conversationId: conversationId!, command }, signal),
        options?.signal,
      );
    },
    typing(active) {
      if (online) link!.post({ type: 'typing', conversationId: conversationId!, active });
    },
    upload: (file, options) => call((signal) => adapter.upload(file, signal), options?.signal),
    subscribe(listener) {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
  };
}
