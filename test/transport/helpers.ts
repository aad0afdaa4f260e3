/** Shared helpers for transport tests: an msw worker, a reference backend, event collection. */
import { setupWorker, type SetupWorker } from 'msw/browser';
import { createBackend } from '../../src/testing/backend/index.js';
import type { Backend, BackendOptions } from '../../src/testing/backend/types.js';
import { mswHandlers } from '../../src/testing/msw.js';
import { createProtocolServer, type ProtocolServer, type ProtocolServerOptions } from '../../src/testing/protocol-server.js';
import type { ChatTransport, ServerEvent } from '../../src/transport/types.js';

let worker: SetupWorker | undefined;
let serial = 0;

/** A reference backend that answers at once and never lets an operator act on its own. */
export const quietBackend = (options: Partial<BackendOptions> = {}): Backend =>
  createBackend({ now: () => Date.now(), botDelayMs: 0, simulateOperator: false, isOperatorOpen: () => true, ...options });

/** Serves a backend with msw on fresh URLs; `stop()` removes the handlers. */
export async function mockServer(backend: Backend = quietBackend(), options: ProtocolServerOptions = {}) {
  if (!worker) {
    worker = setupWorker();
    await worker.start({ quiet: true, onUnhandledRequest: 'bypass' });
  }
  const n = ++serial;
  const wsUrl = `wss://chat-${n}.mock.test/v1`;
  const httpUrl = `https://chat-${n}.mock.test/v1`;
  const server: ProtocolServer = createProtocolServer(backend, options);
  worker.use(...mswHandlers(backend, { wsUrl, httpUrl, server }));
  return {
    backend,
    server,
    wsUrl,
    httpUrl,
    stop() {
      server.dispose();
      backend.dispose();
      worker!.resetHandlers();
    },
  };
}

/** Resolves once `check` returns truthy (polling every 5 ms), or rejects after `ms`. */
export async function until<T>(check: () => T, ms = 3000, what = 'condition'): Promise<NonNullable<T>> {
  const start = performance.now();
  for (;;) {
    const v = check();
    if (v) return v as NonNullable<T>;
    if (performance.now() - start > ms) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 5));
  }
}

/** Collects every event a transport emits. */
export function collect(transport: ChatTransport) {
  const events: ServerEvent[] = [];
  const stop = transport.subscribe((e) => events.push(e));
  return {
    events,
    stop,
    statuses: () => events.flatMap((e) => (e.type === 'connection' ? [e.status] : [])),
    seqs: () => events.flatMap((e) => ('seq' in e ? [e.seq] : [])),
    messages: () => events.flatMap((e) => (e.type === 'message' ? [e.message] : [])),
    errors: () => events.flatMap((e) => (e.type === 'error' ? [e.error] : [])),
  };
}

/** For `.then(unexpected, (e) => e)`: a promise that should have rejected resolved instead. */
export const unexpected = (value: unknown): never => {
  throw new Error(`expected a rejection, got ${JSON.stringify(value)}`);
};
