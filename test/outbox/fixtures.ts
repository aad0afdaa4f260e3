/** Shared fixtures for the outbox tests: a deduplicating fake server, its transports, and helpers. */
import { createOutbox } from '../../src/outbox/index.js';
import { STORE } from '../../src/outbox/db.js';
import type { Outbox, OutboxOptions, OutboxRow, OutboxNotice, SequencedEvent } from '../../src/outbox/index.js';
import { TransportError, type Ack, type OutgoingMessage } from '../../src/transport/types.js';
import { macrotask as turn, until } from '../helpers/wait.js';

/**
 * How one `send` call behaves:
 * - `ack`: store (once per client id) and acknowledge;
 * - `offline`: fail retryably before reaching the server;
 * - `lose-ack`: store, then fail retryably as if the ack was lost on the way back;
 * - `hang` / `commit-hang`: never answer (rejects only when aborted); the latter stores first;
 * - a TransportError: reject with it without storing.
 */
export type Behaviour = 'ack' | 'offline' | 'lose-ack' | 'hang' | 'commit-hang' | TransportError;

/** A server that stores each client id once, like the protocol requires. */
export function fakeServer() {
  const byClientId = new Map<string, Ack>();
  const stored: OutgoingMessage[] = [];
  let seq = 0;
  const commit = (m: OutgoingMessage): Ack => {
    let ack = byClientId.get(m.clientId);
    if (!ack) {
      ack = { clientId: m.clientId, id: `s-${m.clientId}`, seq: ++seq, at: 1000 + seq };
      byClientId.set(m.clientId, ack);
      stored.push(m);
    }
    return ack;
  };
  return {
    /** Messages stored, in arrival order, each client id once. */
    stored,
    commit,
    /** Pushes a server-side event number (as a bot message would take one). */
    nextSeq: () => ++seq,
    /** A transport bound to this server; each has its own call log and script. */
    transport(initial: Behaviour = 'ack') {
      const t = {
        /** Every send call, retries included. */
        calls: [] as OutgoingMessage[],
        uploads: [] as Blob[],
        /** Behaviours for the next calls, consumed in order; then `fallback`. */
        script: [] as Behaviour[],
        fallback: initial,
        inFlight: 0,
        maxInFlight: 0,
        async upload(file: Blob) {
          t.uploads.push(file);
          return { url: `https://files.test/${t.uploads.length}` };
        },
        send(m: OutgoingMessage, options?: { signal?: AbortSignal }): Promise<Ack> {
          t.calls.push(m);
          const behaviour = t.script.shift() ?? t.fallback;
          t.inFlight++;
          t.maxInFlight = Math.max(t.maxInFlight, t.inFlight);
          const settle = <T>(p: Promise<T>) => p.finally(() => t.inFlight--);
          if (behaviour instanceof TransportError) return settle(Promise.reject(behaviour));
          switch (behaviour) {
            case 'offline':
              return settle(Promise.reject(new TransportError('network', 'offline', true)));
            case 'lose-ack':
              commit(m);
              return settle(Promise.reject(new TransportError('timeout', 'ack lost', true)));
            case 'hang':
            case 'commit-hang':
              if (behaviour === 'commit-hang') commit(m);
              return settle(
                new Promise<Ack>((_, reject) =>
                  options?.signal?.addEventListener('abort', () => reject(new TransportError('aborted', 'aborted', false))),
                ),
              );
            default:
              return settle(Promise.resolve(commit(m)));
          }
        },
      };
      return t;
    },
  };
}

export type FakeTransport = ReturnType<ReturnType<typeof fakeServer>['transport']>;

/** What an outbox under test reported. */
export interface Recorder {
  changes: (readonly OutboxRow[])[];
  events: [string, SequencedEvent[]][];
  notices: OutboxNotice[];
  leader: boolean[];
  wiped: number;
  /** Every status each client id showed, in order (consecutive repeats collapsed). */
  statuses: Map<string, string[]>;
}

const open: Outbox[] = [];
const users = new Set<string>();
let counter = 0;

/**
 * A fresh user id; its database is deleted after the test. The `test-` prefix marks it as another
 * test file's, which the element tests' clean-up leaves alone when files run side by side.
 */
export function newUser(label = 'u'): string {
  const id = `test-${label}-${Date.now().toString(36)}-${++counter}-${Math.random().toString(36).slice(2)}`;
  users.add(id);
  return id;
}

/** A new user's outbox, ready, whose transport starts offline (the test scripts it from there). */
export async function offlineOutbox() {
  const user = newUser();
  const server = fakeServer();
  const transport = server.transport('offline');
  const { outbox, rec } = make(user, transport);
  await outbox.ready;
  return { user, server, transport, outbox, rec };
}

/** Creates an outbox that is disposed after the test, recording what it reports. */
export function make(userId: string, transport: FakeTransport, extra: Partial<OutboxOptions> = {}) {
  const rec: Recorder = { changes: [], events: [], notices: [], leader: [], wiped: 0, statuses: new Map() };
  let ids = 0;
  const outbox = createOutbox({
    userId,
    transport,
    now: () => Date.now(),
    random: () => 0.5,
    conversation: (c) => c || 'c1',
    newId: () => `${userId.slice(-6)}-${++ids}-${Math.random().toString(36).slice(2, 8)}`,
    onChange: (rows) => {
      rec.changes.push(rows);
      for (const r of rows) {
        const seen = rec.statuses.get(r.clientId) ?? [];
        if (seen.at(-1) !== r.status) seen.push(r.status);
        rec.statuses.set(r.clientId, seen);
      }
    },
    onEvents: (c, events) => rec.events.push([c, events]),
    onNotice: (n) => rec.notices.push(n),
    onLeader: (l) => rec.leader.push(l),
    onWipe: () => rec.wiped++,
    ...extra,
  });
  open.push(outbox);
  return { outbox, rec };
}

/** One macrotask (a timer-free turn), and polling between them on a real-time deadline. */
export { turn, until };

/** The browser's own IndexedDB, for tests that reach under the outbox. */
export const realIndexedDB = indexedDB;

/** Unhandled rejections seen during the current test. */
export const unhandled: unknown[] = [];
const onUnhandled = (event: PromiseRejectionEvent) => {
  unhandled.push(event.reason);
  event.preventDefault();
};

/** Registers per-test setup and cleanup in the calling describe block. */
export function lifecycle() {
  beforeEach(() => {
    unhandled.length = 0;
    window.addEventListener('unhandledrejection', onUnhandled);
  });
  afterEach(async () => {
    for (const o of open.splice(0)) o.dispose();
    // Give pending rejections a chance to surface before checking.
    await turn();
    await turn();
    window.removeEventListener('unhandledrejection', onUnhandled);
    const { dbName } = await import('../../src/outbox/index.js');
    await Promise.all(
      [...users].map(
        (u) =>
          new Promise<void>((resolve) => {
            const request = realIndexedDB.deleteDatabase(dbName(u));
            request.onsuccess = request.onerror = request.onblocked = () => resolve();
          }),
      ),
    );
    users.clear();
    if (unhandled.length) throw new Error(`Unhandled rejection: ${String(unhandled[0])}`);
  });
}

/** Rank of a status: a status sequence must never go down (failed only by explicit retry). */
export const rank: Record<string, number> = { queued: 0, sending: 1, failed: 2 };

/** Reads the records of a user's database under `query` (for assertions on what is durable). */
async function stored<T>(userId: string, query: IDBValidKey | IDBKeyRange): Promise<T[]> {
  const { dbName } = await import('../../src/outbox/index.js');
  const db = await new Promise<IDBDatabase>((resolve, reject) => {
    const request = realIndexedDB.open(dbName(userId));
    request.onsuccess = () => resolve(request.result);
    request.onerror = () => reject(request.error);
  });
  try {
    if (!db.objectStoreNames.contains(STORE)) return [];
    return await new Promise<T[]>((resolve, reject) => {
      const request = db.transaction(STORE).objectStore(STORE).getAll(query);
      request.onsuccess = () => resolve(request.result as T[]);
      request.onerror = () => reject(request.error);
    });
  } finally {
    db.close();
  }
}

/** Reads the raw outbox rows of a user's database: the records with number keys. */
export const storedRows = (userId: string) => stored<OutboxRow>(userId, IDBKeyRange.upperBound(Infinity));

/** Reads the raw record a user's database keeps for a conversation (its cursor and survey), if any. */
export const storedConversation = async (userId: string, conversationId: string) => (await stored<object>(userId, conversationId))[0];
