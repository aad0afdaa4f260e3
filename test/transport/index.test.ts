/**
 * createTransport, and the built-in adapters end to end over real sockets: against the real
 * local server (Node, ws, 127.0.0.1) and against the msw mock, with injected faults.
 */
import { expect } from '@open-wc/testing';
import type { Faults, ServerStats } from '../../src/testing/protocol-server.js';
import { createTransport, type TransportOptions } from '../../src/transport/index.js';
import { TransportError, type ChatTransport, type OutgoingMessage } from '../../src/transport/types.js';
import { remoteServer } from '../server/remote.js';
import { collect, mockServer, until } from './helpers.js';

describe('createTransport', () => {
  it('picks the adapter from the scheme, resolving relative endpoints', () => {
    for (const endpoint of ['wss://a.test/chat', 'ws://a.test', 'https://a.test/chat', 'http://a.test']) {
      const t = createTransport(endpoint);
      expect(t.send).to.be.a('function');
      t.close();
    }
    expect(() => createTransport('/chat', {}, 'https://help.test/page')).not.to.throw();
  });

  it('takes an unset endpoint for what it is, not for the page it would resolve to', () => {
    expect(() => createTransport('', {}, 'https://help.test/page')).to.throw(TransportError);
  });

  for (const endpoint of ['ftp://a.test', 'mailto:x@y.z', 'not a url', '', 'javascript:alert(1)']) {
    it(`refuses ${JSON.stringify(endpoint)} with a bad-request TransportError`, () => {
      let error: unknown;
      try {
        createTransport(endpoint);
      } catch (e) {
        error = e;
      }
      expect(error).to.be.instanceOf(TransportError);
      expect((error as TransportError).code).to.equal('bad-request');
      expect((error as TransportError).retryable).to.be.false;
    });
  }
});

/** A WebSocket constructor that counts how many of its sockets are alive at once. */
function countingWebSocket() {
  const sockets: WebSocket[] = [];
  let maxLive = 0;
  const WS = function (url: string) {
    const live = sockets.filter((s) => s.readyState < 2).length + 1;
    maxLive = Math.max(maxLive, live);
    const ws = new globalThis.WebSocket(url);
    sockets.push(ws);
    return ws;
  } as unknown as typeof WebSocket;
  return { WS, sockets, maxLive: () => maxLive };
}

/** The same surface over the real server (async controls) and the mock (sync ones). */
interface Target {
  wsUrl: string;
  httpUrl: string;
  faults: { [K in keyof Faults]: (...a: Parameters<Faults[K]>) => unknown };
  stats(): Promise<ServerStats> | ServerStats;
  received(id: string): Promise<OutgoingMessage[]> | OutgoingMessage[];
  say(id: string, text: string): Promise<void> | void;
  stop(): unknown;
}

const real = async (heartbeatMs?: number): Promise<Target> => {
  const s = await remoteServer(heartbeatMs ? { server: { heartbeatMs } } : {});
  return { ...s, say: s.say };
};
const mocked = async (heartbeatMs?: number): Promise<Target> => {
  const m = await mockServer(undefined, heartbeatMs ? { heartbeatMs } : {});
  return {
    wsUrl: m.wsUrl,
    httpUrl: m.httpUrl,
    faults: m.server.faults,
    stats: () => m.server.stats(),
    received: (id) => m.backend.control.received(id),
    say: (id, text) => m.backend.control.operator.say(id, text),
    stop: () => m.stop(),
  };
};

for (const [where, start] of [
  ['the real local server', real],
  ['the msw mock', mocked],
] as const) {
  for (const scheme of ['ws', 'http'] as const) {
    describe(`${scheme} adapter end to end against ${where}`, () => {
      let server: Target;
      let t: ChatTransport;
      const life = new AbortController();
      const open = async (options: TransportOptions = {}, heartbeatMs?: number) => {
        server = await start(heartbeatMs);
        t = createTransport(scheme === 'ws' ? server.wsUrl : server.httpUrl, { backoff: { base: 100, cap: 1000 }, ...options });
        const events = collect(t);
        return { events, session: t.connect({ conversationId: null, cursor: 0, locale: 'en', signal: life.signal }) };
      };
      afterEach(async () => {
        t?.close();
        await server?.stop();
      });

      it('delivers a burst of 20 sends once, in order, across a dropped connection, one socket at a time', async () => {
        const counting = countingWebSocket();
        const { events, session } = await open({ WebSocket: counting.WS });
        const { conversationId } = await session;
        await server.faults.dropAfterMessages(8);
        const texts = Array.from({ length: 20 }, (_, i) => `burst ${i + 1}`);
        const acks = await Promise.all(texts.map((text, i) => t.send({ clientId: `b${i}`, conversationId, text, createdAt: i })));
        expect(acks.map((a) => a.clientId)).to.deep.equal(texts.map((_, i) => `b${i}`));
        expect(acks.every((a, i) => i === 0 || a.seq > acks[i - 1]!.seq)).to.be.true;
        const stored = (await server.received(conversationId)).map((m) => m.text);
        expect(stored).to.deep.equal(texts);
        expect(events.statuses()).to.include('reconnecting');
        if (scheme === 'ws') {
          expect(counting.sockets.length).to.be.at.least(2);
          expect(counting.maxLive()).to.equal(1);
        }
        expect((await server.stats()).maxOpen).to.equal(1);
      });

      if (scheme === 'http') {
        it('resumes an event stream that ends after event 41 with Last-Event-ID: 41; events 42–45 arrive once', async () => {
          await (async () => {})();
          const { events, session } = await open();
          await server.faults.endAfterSeq(41);
          const { conversationId } = await session;
          for (let i = 2; i <= 45; i++) await server.say(conversationId, `line ${i}`);
          await until(() => events.seqs().length >= 45, 5000, '45 events');
          await new Promise((r) => setTimeout(r, 100));
          expect(events.seqs()).to.deep.equal(Array.from({ length: 45 }, (_, i) => i + 1));
          const streams = (await server.stats()).requests.filter((r) => r.kind === 'events');
          expect(streams.map((r) => r.lastEventId)).to.deep.equal(['0', '41']);
        });
      }

      it('connects through 503s with Retry-After, waiting at least the asked delay', async () => {
        server = await start();
        await server.faults.fail(2, { on: 'hello', retryAfter: 1 });
        t = createTransport(scheme === 'ws' ? server.wsUrl : server.httpUrl, { backoff: { base: 10, cap: 50 } });
        const started = performance.now();
        await t.connect({ conversationId: null, cursor: 0, locale: 'en', signal: life.signal });
        expect(performance.now() - started).to.be.at.least(2000);
        expect((await server.stats()).hellos).to.have.length(3);
      });

      it('calls the token callback once more after an auth failure, then succeeds', async () => {
        const tokens: boolean[] = [];
        server = await start();
        await server.faults.authFail(1);
        t = createTransport(scheme === 'ws' ? server.wsUrl : server.httpUrl, {
          getToken: (rejected) => (tokens.push(rejected), rejected ? 'fresh' : 'stale'),
        });
        const events = collect(t);
        const { conversationId } = await t.connect({ conversationId: null, cursor: 0, locale: 'en', signal: life.signal });
        expect(tokens.slice(0, 2)).to.deep.equal([false, true]);
        const hellos = (await server.stats()).hellos;
        expect(hellos.map((h) => h.token)).to.deep.equal(['stale', 'fresh']);
        // And on a send (HTTP sends carry the token on every request).
        tokens.length = 0;
        await server.faults.authFail(1);
        const ack = await t.send({ clientId: 'k', conversationId, text: 'hi', createdAt: 0 });
        expect(ack.clientId).to.equal('k');
        if (scheme === 'http') expect(tokens).to.deep.equal([false, true]);
        expect(events.errors()).to.deep.equal([]);
      });

      it('detects a stalled server within two heartbeat intervals and reconnects', async () => {
        const { events, session } = await open({}, 300);
        await session;
        await new Promise((r) => setTimeout(r, 350));
        await server.faults.stall(true);
        const stalled = performance.now();
        await until(() => events.statuses().at(-1) === 'reconnecting', 3000, 'reconnecting');
        const detected = performance.now() - stalled;
        expect(detected).to.be.below(2 * 300 + 150);
        await server.faults.stall(false);
        await until(() => events.statuses().at(-1) === 'online', 3000, 'online again');
      });

      it('survives garbage and a 5 MB frame without losing an outgoing message', async () => {
        const { events, session } = await open();
        const { conversationId } = await session;
        await server.faults.garbage('{"type":');
        await server.faults.garbage(JSON.stringify({ type: 'event', event: { type: 'message', seq: 1e9 } }));
        await server.faults.garbage(`{"type":"pong","pad":"${'x'.repeat(5 * 1024 * 1024)}"}`);
        const ack = await t.send({ clientId: 'after-garbage', conversationId, text: 'still here', createdAt: 0 });
        expect(ack.clientId).to.equal('after-garbage');
        await until(() => events.errors().length >= 3, 3000, 'three protocol errors');
        expect(events.errors().map((e) => e.code)).to.deep.equal(['protocol', 'protocol', 'protocol']);
        expect(events.statuses()).to.deep.equal(['connecting', 'online']);
        expect((await server.received(conversationId)).map((m) => m.text)).to.deep.equal(['still here']);
      });
    });
  }
}
