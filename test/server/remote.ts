/**
 * Browser side of the real test server: creates an isolated backend instance on it and drives
 * its faults and the backend's controls over the JSON control endpoint.
 */
import type { BackendOptions, SequencedEvent } from '../../src/testing/backend/types.js';
import type { Faults, ProtocolServerOptions, ServerStats } from '../../src/testing/protocol-server.js';
import type { OutgoingMessage } from '../../src/transport/types.js';

let where: Promise<string> | undefined;

/** Backend options that survive JSON: `open` fixes whether operators work (default true). */
export type RemoteBackendOptions = Omit<Partial<BackendOptions>, 'now' | 'random' | 'setTimer' | 'clearTimer' | 'isOperatorOpen' | 'uploadUrl'> & { open?: boolean };

type Async<F> = F extends (...a: infer A) => infer R ? (...a: A) => Promise<R> : never;

/** An instance of the reference backend on the real server. */
export interface RemoteServer {
  wsUrl: string;
  httpUrl: string;
  faults: { [K in keyof Faults]: Async<Faults[K]> };
  stats(): Promise<ServerStats>;
  received(conversationId: string): Promise<OutgoingMessage[]>;
  events(conversationId: string): Promise<SequencedEvent[]>;
  say(conversationId: string, text: string): Promise<void>;
  /** Any control by dotted path, e.g. `backend.control.operator.join`. */
  call<T = unknown>(op: string, ...args: unknown[]): Promise<T>;
  stop(): Promise<void>;
}

async function control<T>(body: { instance?: string; op: string; args?: unknown[] }): Promise<T> {
  where ??= fetch('/__test-server')
    .then((r) => r.json())
    .then((j: { url?: string }) => {
      if (!j.url) throw new Error('the test server is not running');
      return j.url;
    });
  const res = await fetch(`${await where}/__control`, { method: 'POST', body: JSON.stringify(body) });
  const answer = (await res.json()) as { ok: boolean; value?: T; error?: string };
  if (!answer.ok) throw new Error(answer.error);
  return answer.value as T;
}

/** Creates a fresh backend instance on the real server. */
export async function remoteServer(options: { backend?: RemoteBackendOptions; server?: Omit<ProtocolServerOptions, 'authorize' | 'now'> } = {}): Promise<RemoteServer> {
  const { id, wsUrl, httpUrl } = await control<{ id: string; wsUrl: string; httpUrl: string }>({ op: 'create', args: [options] });
  const call = <T>(op: string, ...args: unknown[]) => control<T>({ instance: id, op, args });
  const names: (keyof Faults)[] = ['drop', 'loseAcks', 'fail', 'reject', 'authFail', 'stall', 'garbage', 'dropAfterMessages', 'endAfterSeq', 'reset'];
  return {
    wsUrl,
    httpUrl,
    faults: Object.fromEntries(names.map((n) => [n, (...args: unknown[]) => call(`server.faults.${n}`, ...args)])) as RemoteServer['faults'],
    stats: () => call('stats'),
    received: (c) => call('backend.control.received', c),
    events: (c) => call('backend.control.events', c),
    say: (c, text) => call('backend.control.operator.say', c, text),
    call,
    stop: () => call('dispose'),
  };
}
