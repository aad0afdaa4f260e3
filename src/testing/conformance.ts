/**
 * The conformance kit: a mocha-style suite that checks any `ChatTransport` against a server it
 * can control — ack semantics, dedupe on client id, ordering, events, resume after a disconnect,
 * error codes, aborts and close. Backend teams run it against their adapter and a staging server;
 * the built-in adapters run it against the reference server (real and mocked).
 */
import { TransportError, type ChatTransport, type OutgoingMessage, type ServerEvent, type TransportErrorCode } from '../transport/types.js';
import type { Backend } from './backend/types.js';
import type { ProtocolServer } from './protocol-server.js';

type MaybePromise<T> = T | Promise<T>;

/** What the kit needs from the server side. */
export interface ServerDouble {
  /** User messages the server stored for a conversation, oldest first. */
  received(conversationId: string): MaybePromise<OutgoingMessage[]>;
  /** Make the server push a new sequenced `message` event with this text (an operator line). */
  say(conversationId: string, text: string): MaybePromise<void>;
  /** Cut every open connection, as a server restart or a network drop would. */
  dropConnections(): MaybePromise<void>;
  /** Optional: answer the next message with this error instead of storing it. Enables the error-code checks. */
  rejectNextMessage?(error: { code: TransportErrorCode; retryable: boolean; retryAfterMs?: number }): MaybePromise<void>;
}

/** A BDD `describe`/`it` pair (mocha, jasmine, vitest, node:test…). */
export interface Bdd {
  describe(name: string, body: () => void): unknown;
  it(name: string, body: () => Promise<void>): unknown;
}

/** How to run the kit. */
export interface ConformanceOptions extends Partial<Bdd> {
  /** Suite name. Default `ChatTransport conformance`. */
  name?: string;
  /** Creates a fresh, unconnected transport; called once per check (and twice for the resume check). */
  makeTransport(): MaybePromise<ChatTransport>;
  /** The server the transports talk to. */
  server: ServerDouble;
  /** Locale sent in `connect`. Default `en`. */
  locale?: string;
  /** How long to wait for something to arrive, in ms. Default 5000. */
  waitMs?: number;
}

/** A check failed. */
export class ConformanceError extends Error {
  override name = 'ConformanceError';
}

const assert: (ok: unknown, message: string) => asserts ok = (ok, message) => {
  if (!ok) throw new ConformanceError(message);
};
const show = (v: unknown) => JSON.stringify(v);
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** A ServerDouble for the reference backend served by a {@link ProtocolServer} in the same page or process. */
export const protocolDouble = (backend: Backend, server: ProtocolServer): ServerDouble => ({
  received: (id) => backend.control.received(id),
  say: (id, text) => backend.control.operator.say(id, text),
  dropConnections: () => server.faults.drop(),
  rejectNextMessage: (error) => server.faults.reject(1, error),
});

/**
 * Registers the suite. Call it where `describe`/`it` work (top level of a mocha test file), or
 * pass them in.
 * @example runConformance({ makeTransport: () => createTransport('wss://staging.example/chat'), server: myDouble })
 */
export function runConformance(options: ConformanceOptions): void {
  const g = globalThis as unknown as Partial<Bdd>;
  const describe = options.describe ?? g.describe;
  const it = options.it ?? g.it;
  if (!describe || !it) throw new Error('runConformance needs describe/it: run it under mocha or pass them in');
  const { server, locale = 'en', waitMs = 5000 } = options;
  let serial = 0;
  const unique = () => `conf-${(++serial).toString(36)}-${Math.random().toString(36).slice(2, 10)}`;

  /** A connected transport with its event log. */
  async function open(conversationId: string | null = null, cursor = 0) {
    const transport = await options.makeTransport();
    const events: ServerEvent[] = [];
    transport.subscribe((e) => events.push(e));
    const life = new AbortController();
    const session = await transport.connect({ conversationId, cursor, locale, signal: life.signal });
    assert(typeof session?.conversationId === 'string' && session.conversationId, `connect() must resolve with a conversationId, got ${show(session)}`);
    const id = session.conversationId;
    const message = (text = 'hello', clientId = unique()): OutgoingMessage => ({ clientId, conversationId: id, text, createdAt: 0 });
    const seqs = () => events.flatMap((e) => ('seq' in e ? [e.seq] : []));
    const waitFor = async <T>(what: string, find: () => T | undefined | false): Promise<T> => {
      for (const start = performance.now(); performance.now() - start < waitMs; await sleep(10)) {
        const found = find();
        if (found) return found;
      }
      throw new ConformanceError(`timed out after ${waitMs} ms waiting for ${what}`);
    };
    const said = (text: string) =>
      waitFor(`the message "${text}"`, () => events.find((e) => e.type === 'message' && e.message.text === text) as Extract<ServerEvent, { type: 'message' }> | undefined);
    const increasing = () => {
      const s = seqs();
      assert(
        s.every((v, i) => i === 0 || v > s[i - 1]!),
        `sequenced events must arrive once, in increasing order; got seqs ${show(s)}`,
      );
    };
    return { transport, events, id, message, seqs, said, waitFor, increasing, close: () => (life.abort(), transport.close()) };
  }

  type Open = Awaited<ReturnType<typeof open>>;
  const check = (name: string, body: (open: (id?: string | null, cursor?: number) => Promise<Open>) => Promise<void>) =>
    it(name, async () => {
      const opened: Open[] = [];
      try {
        await body(async (id, cursor) => {
          const o = await open(id, cursor);
          opened.push(o);
          return o;
        });
      } finally {
        opened.forEach((o) => o.close());
      }
    });

  const rejects = async (p: Promise<unknown>, what: string): Promise<TransportError> => {
    try {
      await p;
    } catch (e) {
      assert(e instanceof TransportError, `${what} must reject with a TransportError, got ${String(e)}`);
      return e;
    }
    throw new ConformanceError(`${what} must reject`);
  };

  describe(options.name ?? 'ChatTransport conformance', () => {
    check('connect() resolves with a conversation id and reports the connection online', async (connect) => {
      const c = await connect();
      const statuses = c.events.flatMap((e) => (e.type === 'connection' ? [e.status] : []));
      assert(statuses.at(-1) === 'online', `the last connection status must be "online", got ${show(statuses)}`);
    });

    check("send() resolves with the server's ack: the same clientId, a server id, a sequence number and a time", async (connect) => {
      const c = await connect();
      const m = c.message('ack me');
      const ack = await c.transport.send(m);
      assert(ack.clientId === m.clientId, `ack.clientId must echo ${m.clientId}, got ${show(ack.clientId)}`);
      assert(typeof ack.id === 'string' && ack.id, `ack.id must be a non-empty string, got ${show(ack.id)}`);
      assert(Number.isInteger(ack.seq) && ack.seq > 0, `ack.seq must be a positive integer, got ${show(ack.seq)}`);
      assert(Number.isFinite(ack.at), `ack.at must be a time in ms, got ${show(ack.at)}`);
      const stored = (await server.received(c.id)).filter((r) => r.clientId === m.clientId);
      assert(stored.length === 1 && stored[0]!.text === 'ack me', `the server must store the message once, got ${show(stored)}`);
    });

    check('a clientId sent twice is stored once and acked twice with the same id and seq', async (connect) => {
      const c = await connect();
      const m = c.message('only once');
      const first = await c.transport.send(m);
      const second = await c.transport.send({ ...m });
      assert(first.id === second.id && first.seq === second.seq, `a repeat must get the first ack, got ${show(first)} then ${show(second)}`);
      const stored = (await server.received(c.id)).filter((r) => r.clientId === m.clientId);
      assert(stored.length === 1, `the server must dedupe on clientId, stored ${stored.length} copies`);
    });

    check('sends issued together are stored in call order and acked with increasing seq', async (connect) => {
      const c = await connect();
      const texts = Array.from({ length: 10 }, (_, i) => `burst ${i + 1}`);
      const acks = await Promise.all(texts.map((t) => c.transport.send(c.message(t))));
      const seqs = acks.map((a) => a.seq);
      assert(
        seqs.every((s, i) => i === 0 || s > seqs[i - 1]!),
        `acks must carry increasing seqs in call order, got ${show(seqs)}`,
      );
      const stored = (await server.received(c.id)).map((r) => r.text).filter((t) => t.startsWith('burst '));
      assert(show(stored) === show(texts), `the server must store them in call order, got ${show(stored)}`);
    });

    check('server events arrive once, with increasing seq', async (connect) => {
      const c = await connect();
      await server.say(c.id, 'from the server');
      const e = await c.said('from the server');
      assert(e.message.role !== 'user' && typeof e.message.id === 'string', `a pushed message needs a role and an id, got ${show(e.message)}`);
      await sleep(50);
      c.increasing();
    });

    check('after a dropped connection it reconnects, resumes, and events from the gap arrive once', async (connect) => {
      const c = await connect();
      await c.transport.send(c.message('before the drop'));
      await server.dropConnections();
      await server.say(c.id, 'during the gap');
      await c.said('during the gap');
      const ack = await c.transport.send(c.message('after the drop'));
      assert(ack.seq > 0, 'send() must work after the reconnect');
      await sleep(50);
      c.increasing();
      const count = c.events.filter((e) => e.type === 'message' && e.message.text === 'during the gap').length;
      assert(count === 1, `an event must be delivered once, got it ${count} times`);
    });

    check('a new transport resuming with a cursor receives only the events after it', async (connect) => {
      const a = await connect();
      await a.transport.send(a.message('first life'));
      await sleep(50);
      const cursor = Math.max(0, ...a.seqs());
      a.close();
      await server.say(a.id, 'while away');
      const b = await connect(a.id, cursor);
      assert(b.id === a.id, `resuming must keep the conversation ${a.id}, got ${b.id}`);
      const e = await b.said('while away');
      assert(e.seq > cursor, `a replayed event must be after the cursor ${cursor}, got seq ${e.seq}`);
      const old = b.seqs().filter((s) => s <= cursor);
      assert(old.length === 0, `events at or before the cursor must not be replayed, got seqs ${show(old)}`);
    });

    check('a permanent error rejects send() with its code, not retryable', async (connect) => {
      if (!server.rejectNextMessage) return;
      const c = await connect();
      await server.rejectNextMessage({ code: 'bad-request', retryable: false });
      const e = await rejects(c.transport.send(c.message('refused')), 'a refused message');
      assert(e.code === 'bad-request' && !e.retryable, `expected bad-request, not retryable; got ${e.code}, retryable ${e.retryable}`);
      const ack = await c.transport.send(c.message('next one'));
      assert(ack.seq > 0, 'later messages must still go out');
    });

    check('a temporary error rejects send() as retryable, with the delay the server asked for', async (connect) => {
      if (!server.rejectNextMessage) return;
      const c = await connect();
      await server.rejectNextMessage({ code: 'unavailable', retryable: true, retryAfterMs: 2000 });
      const m = c.message('try later');
      const e = await rejects(c.transport.send(m), 'an unavailable server');
      assert(e.code === 'unavailable' && e.retryable, `expected unavailable, retryable; got ${e.code}, retryable ${e.retryable}`);
      assert((e.retryAfterMs ?? 0) >= 1000, `retryAfterMs must carry the server's delay, got ${e.retryAfterMs}`);
      const ack = await c.transport.send(m);
      assert(ack.clientId === m.clientId, 'the same message must go through on retry');
    });

    check('an aborted signal rejects send() with code "aborted"', async (connect) => {
      const c = await connect();
      const ac = new AbortController();
      ac.abort();
      const e = await rejects(c.transport.send(c.message('never'), { signal: ac.signal }), 'a send with an aborted signal');
      assert(e.code === 'aborted', `expected code aborted, got ${e.code}`);
    });

    check('after close() no event is delivered and send() rejects', async (connect) => {
      const c = await connect();
      c.transport.close();
      const before = c.events.filter((e) => e.type === 'message').length;
      await server.say(c.id, 'too late');
      await sleep(200);
      assert(c.events.filter((e) => e.type === 'message').length === before, 'no message may be delivered after close()');
      await rejects(c.transport.send(c.message('closed')), 'a send after close()');
    });
  });
}
