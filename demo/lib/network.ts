/**
 * The demo's network between the widget and the mock backend: a wrapper around the protocol
 * server that msw serves, so the widget meets a real outage, a slow line or a refusal on the
 * wire — the same code paths a real network exercises — with no change to the widget.
 */
import type { HttpReply, ProtocolServer, SocketHandler } from '../../src/testing/protocol-server.js';

/** The network controls. */
export interface DemoNetwork {
  /** The protocol server to hand to `mswHandlers({ server })`. */
  readonly server: ProtocolServer;
  /** Whether the backend is unreachable (sockets refused, HTTP requests fail like a dead network). */
  readonly offline: boolean;
  /**
   * Makes the backend unreachable (drops every open link) or reachable again. Also what
   * `navigator.onLine` reports in `target`, with an `offline`/`online` event there.
   */
  setOffline(offline: boolean): void;
  /** Extra delay in each direction, in ms (0 = none). */
  latencyMs: number;
  /** Closes every open socket and event stream now (the widget reconnects). */
  drop(): void;
  /** Whether new connections are refused with a permanent error (a backend that is down for good). */
  readonly refusing: boolean;
  /** Refuse (true) or accept (false) new connections. */
  setRefusing(refusing: boolean): void;
  /** Rejects the user's next message permanently (HTTP 400 / error frame): it shows as failed. */
  rejectNextMessage(): void;
  /** Calls `listener` after every change; returns the unsubscribe function. */
  onChange(listener: () => void): () => void;
}

const refusal = JSON.stringify({ type: 'error', code: 'unavailable', message: 'The support service is down (demo)', retryable: false });

/**
 * Wraps `server`. `target` is the window whose `navigator.onLine` and `online`/`offline` events
 * follow the offline switch (the widget listens there).
 */
export function createNetwork(server: ProtocolServer, target: Window = window): DemoNetwork {
  let offline = false;
  let refusing = false;
  let latencyMs = 0;
  let lastDue = 0;
  const listeners = new Set<() => void>();
  const changed = () => listeners.forEach((listener) => listener());

  // Every frame is its own task, as on a real socket (msw alone delivers a burst of frames in
  // microtasks, which no browser does); and order holds when the latency changes mid-flight.
  const later = (fn: () => void) => {
    const due = Math.max(performance.now() + latencyMs, lastDue);
    lastDue = due;
    setTimeout(fn, Math.max(0, due - performance.now()));
  };
  const sleep = () => new Promise<void>((resolve) => later(resolve));
  const dead = (): HttpReply => ({ status: 0, headers: {} });

  Object.defineProperty(target.navigator, 'onLine', { configurable: true, get: () => !offline });

  const wrapped: ProtocolServer = {
    ...server,
    accept(peer): SocketHandler {
      if (offline) {
        // A socket that cannot connect: closed before anything is said.
        setTimeout(() => peer.close());
        return { message() {}, close() {} };
      }
      if (refusing) {
        return {
          message() {
            peer.send(refusal);
            setTimeout(() => peer.close());
          },
          close() {},
        };
      }
      const inner = server.accept({ send: (text) => later(() => peer.send(text)), close: () => later(() => peer.close()) });
      return { message: (text) => later(() => inner.message(text)), close: () => inner.close() };
    },
    async http(request) {
      if (offline) return dead();
      if (refusing) return { status: 400, headers: { 'content-type': 'application/json' }, body: refusal };
      await sleep();
      if (offline) return dead();
      const reply = await server.http(request);
      await sleep();
      return offline ? dead() : reply;
    },
  };

  return {
    server: wrapped,
    get offline() {
      return offline;
    },
    setOffline(next) {
      if (next === offline) return;
      offline = next;
      if (offline) server.faults.drop();
      target.dispatchEvent(new Event(offline ? 'offline' : 'online'));
      changed();
    },
    get latencyMs() {
      return latencyMs;
    },
    set latencyMs(ms: number) {
      latencyMs = Math.max(0, ms);
      changed();
    },
    drop() {
      server.faults.drop();
      changed();
    },
    get refusing() {
      return refusing;
    },
    setRefusing(next) {
      refusing = next;
      if (refusing) server.faults.drop();
      changed();
    },
    rejectNextMessage() {
      server.faults.reject(1, { code: 'bad-request', retryable: false, message: 'Rejected by the demo' });
      changed();
    },
    onChange(listener) {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
  };
}
