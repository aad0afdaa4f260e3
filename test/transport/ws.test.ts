import { expect } from '@open-wc/testing';
import sinon from 'sinon';
import type { ClientFrame } from '../../src/transport/protocol.js';
import { TransportError, type ChatTransport } from '../../src/transport/types.js';
import { createWebSocketTransport } from '../../src/transport/ws.js';
import { FakeSocket } from './fakes.js';
import { collect, unexpected } from './helpers.js';

const msg = (clientId: string, text = clientId) => ({ clientId, conversationId: 'c1', text, createdAt: 1 });
const ack = (clientId: string, seq: number) => ({ type: 'ack', clientId, id: `m${seq}`, seq, at: seq }) as const;
const event = (seq: number, text = `e${seq}`) =>
  ({ type: 'event', event: { type: 'message', seq, message: { id: `m${seq}`, role: 'bot', text, at: seq } } }) as const;
const sentOf = (s: FakeSocket, type: ClientFrame['type']) => s.frames().filter((f) => f.type === type);

describe('createWebSocketTransport', () => {
  let clock: sinon.SinonFakeTimers;
  let t: ChatTransport;
  let life: AbortController;
  const make = (options: Parameters<typeof createWebSocketTransport>[1] = {}) =>
    (t = createWebSocketTransport('wss://chat.test/v1', { WebSocket: FakeSocket as unknown as typeof WebSocket, random: () => 0.5, ...options }));
  const connect = (conversationId: string | null = null, cursor = 0) => {
    const session = t.connect({ conversationId, cursor, locale: 'ja', context: { topic: 'x' }, signal: life.signal });
    session.catch(() => {}); // tests that never finish connecting close the transport
    return session;
  };
  const flush = () => clock.tickAsync(0);

  beforeEach(() => {
    FakeSocket.reset();
    life = new AbortController();
    clock = sinon.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout', 'setInterval', 'clearInterval', 'Date'] });
  });
  afterEach(() => {
    t?.close();
    clock.restore();
  });

  describe('connecting', () => {
    it('sends hello with the token, locale, context and cursor, and resolves on welcome', async () => {
      const getToken = sinon.stub().resolves('tok-1');
      make({ getToken });
      const c = collect(t);
      const session = connect('c9', 7);
      await flush();
      const hello = FakeSocket.last().welcome('c9');
      expect(await session).to.deep.equal({ conversationId: 'c9' });
      expect(hello).to.deep.equal({ type: 'hello', v: 1, conversationId: 'c9', cursor: 7, locale: 'ja', context: { topic: 'x' }, token: 'tok-1' });
      expect(getToken.args).to.deep.equal([[false]]);
      expect(c.statuses()).to.deep.equal(['connecting', 'online']);
    });

    it('keeps trying with backoff while the server is unreachable, then resolves', async () => {
      make();
      const c = collect(t);
      const session = connect();
      await flush();
      for (let i = 0; i < 3; i++) {
        FakeSocket.last().drop();
        await clock.tickAsync(40_000);
      }
      expect(FakeSocket.instances).to.have.length(4);
      FakeSocket.last().welcome('c2');
      expect((await session).conversationId).to.equal('c2');
      expect(c.statuses()).to.deep.equal(['connecting', 'online']);
    });

    it('calls the token callback again, once, right away after auth-failed', async () => {
      const getToken = sinon.stub();
      getToken.onFirstCall().resolves('stale').onSecondCall().resolves('fresh');
      make({ getToken });
      const c = collect(t);
      const session = connect();
      await flush();
      const first = FakeSocket.last();
      first.open();
      first.receive({ type: 'auth-failed' });
      await flush();
      expect(first.readyState).to.equal(3);
      expect(getToken.args).to.deep.equal([[false], [true]]);
      const hello = FakeSocket.last().welcome();
      expect(hello.token).to.equal('fresh');
      await session;
      expect(c.errors()).to.deep.equal([]);
      expect(FakeSocket.maxLive).to.equal(1);
    });

    it('reports a second auth failure as an auth error and keeps retrying with backoff', async () => {
      make({ getToken: () => 'bad' });
      const c = collect(t);
      void connect();
      await flush();
      FakeSocket.last().open();
      FakeSocket.last().receive({ type: 'auth-failed' });
      await flush();
      FakeSocket.last().open();
      FakeSocket.last().receive({ type: 'auth-failed', message: 'expired' });
      await flush();
      expect(c.errors().map((e) => [e.code, e.message])).to.deep.equal([['auth', 'expired']]);
      expect(FakeSocket.instances).to.have.length(2);
      await clock.tickAsync(500);
      expect(FakeSocket.instances).to.have.length(3);
    });

    it('rejects connect and goes offline on a permanent error', async () => {
      make();
      const c = collect(t);
      const session = connect();
      await flush();
      FakeSocket.last().open();
      FakeSocket.last().receive({ type: 'error', code: 'bad-request', message: 'protocol version 1 unsupported', retryable: false });
      const error = await session.then(() => null, (e: TransportError) => e);
      expect(error).to.be.instanceOf(TransportError);
      expect(error!.code).to.equal('bad-request');
      expect(c.statuses()).to.deep.equal(['connecting', 'offline']);
      await clock.tickAsync(60_000);
      expect(FakeSocket.instances).to.have.length(1);
    });

    it('closes when the connect signal aborts', async () => {
      make();
      const c = collect(t);
      const session = connect();
      await flush();
      FakeSocket.last().welcome();
      await session;
      life.abort();
      expect(FakeSocket.last().readyState).to.equal(3);
      expect(c.statuses().at(-1)).to.equal('idle');
      await clock.tickAsync(60_000);
      expect(FakeSocket.instances).to.have.length(1);
    });
  });

  describe('heartbeat', () => {
    it('pings every interval and stays up while pongs come back', async () => {
      make({ heartbeatMs: 1000 });
      void connect();
      await flush();
      const s = FakeSocket.last();
      s.welcome();
      for (let i = 0; i < 10; i++) {
        await clock.tickAsync(1000);
        s.receive({ type: 'pong' });
      }
      expect(sentOf(s, 'ping')).to.have.length(10);
      expect(s.readyState).to.equal(1);
      expect(FakeSocket.instances).to.have.length(1);
    });

    it('treats a socket silent for two heartbeat intervals as dead and reconnects', async () => {
      make({ heartbeatMs: 1000 });
      const c = collect(t);
      void connect();
      await flush();
      const s = FakeSocket.last();
      s.welcome('c1', 30_000);
      await clock.tickAsync(500);
      s.receive({ type: 'pong' });
      // The server stalls now: nothing more arrives.
      await clock.tickAsync(1999);
      expect(s.readyState).to.equal(1);
      await clock.tickAsync(1);
      expect(s.readyState).to.equal(3);
      expect(c.statuses()).to.deep.equal(['connecting', 'online', 'reconnecting']);
      await clock.tickAsync(1000);
      expect(FakeSocket.instances).to.have.length(2);
      expect(FakeSocket.maxLive).to.equal(1);
    });

    it("uses the server's heartbeat when none is configured", async () => {
      make();
      void connect();
      await flush();
      const s = FakeSocket.last();
      s.welcome('c1', 5000);
      await clock.tickAsync(5000);
      expect(sentOf(s, 'ping')).to.have.length(1);
      await clock.tickAsync(5000);
      expect(s.readyState).to.equal(3);
    });

    it("keeps a link whose server's heartbeat is not a positive interval (-1, or too long for a timer)", async () => {
      for (const heartbeat of [-1, 2 ** 31]) {
        FakeSocket.reset();
        make();
        void connect();
        await flush();
        FakeSocket.last().welcome('c1', heartbeat);
        await clock.tickAsync(10_000);
        FakeSocket.last().receive({ type: 'pong' });
        await clock.tickAsync(10_000);
        expect(FakeSocket.instances, `heartbeat ${heartbeat}`).to.have.length(1);
        t.close();
      }
    });

    it('gives up on a socket that never answers hello', async () => {
      make({ heartbeatMs: 1000 });
      void connect();
      await flush();
      FakeSocket.last().open();
      await clock.tickAsync(2000);
      expect(FakeSocket.last().readyState).to.equal(3);
    });
  });

  describe('events', () => {
    it('delivers sequenced events once and resumes from the last one seen', async () => {
      make();
      const c = collect(t);
      void connect();
      await flush();
      const s1 = FakeSocket.last();
      s1.welcome();
      [1, 2, 3, 2, 3].forEach((n) => s1.receive(event(n)));
      s1.receive({ type: 'event', event: { type: 'typing', role: 'bot', active: true } });
      s1.drop();
      await clock.tickAsync(1000);
      const hello = FakeSocket.last().welcome();
      expect(hello.cursor).to.equal(3);
      expect(hello.conversationId).to.equal('c1');
      // A replay that overlaps what was seen renders once.
      [2, 3, 4, 5].forEach((n) => FakeSocket.last().receive(event(n)));
      expect(c.seqs()).to.deep.equal([1, 2, 3, 4, 5]);
      expect(c.events.filter((e) => e.type === 'typing')).to.have.length(1);
      expect(c.statuses()).to.deep.equal(['connecting', 'online', 'reconnecting', 'online']);
    });

    it('starts the cursor over when the server answers with another conversation', async () => {
      make();
      void connect('old', 40);
      await flush();
      FakeSocket.last().welcome('new');
      FakeSocket.last().receive(event(1));
      FakeSocket.last().drop();
      await clock.tickAsync(1000);
      const hello = FakeSocket.last().welcome('new');
      expect([hello.conversationId, hello.cursor]).to.deep.equal(['new', 1]);
    });

    it('names the conversation on every online event, a new one when the server lost the old one', async () => {
      make();
      const c = collect(t);
      const session = connect('old', 40);
      await flush();
      FakeSocket.last().welcome('old');
      expect(await session).to.deep.equal({ conversationId: 'old' });
      FakeSocket.last().drop();
      await clock.tickAsync(1000);
      FakeSocket.last().welcome('new');
      const connection = c.events.filter((e) => e.type === 'connection');
      expect(connection).to.deep.equal([
        { type: 'connection', status: 'connecting' },
        { type: 'connection', status: 'online', conversationId: 'old' },
        { type: 'connection', status: 'reconnecting' },
        { type: 'connection', status: 'online', conversationId: 'new' },
      ]);
    });

    it('keeps delivering to other listeners when one throws, and stops after unsubscribe', async () => {
      make();
      t.subscribe(() => {
        throw new Error('listener bug');
      });
      const c = collect(t);
      void connect();
      await flush();
      FakeSocket.last().welcome();
      FakeSocket.last().receive(event(1));
      c.stop();
      FakeSocket.last().receive(event(2));
      expect(c.seqs()).to.deep.equal([1]);
    });

    it('fails a waiting call as a network error when a listener closes the transport as it comes online', async () => {
      make();
      t.subscribe((e) => {
        if (e.type === 'connection' && e.status === 'online') t.close();
      });
      void connect().catch(() => {});
      const sent = t.send(msg('a1'));
      await flush();
      FakeSocket.last().welcome();
      const error = await sent.then(unexpected, (e: unknown) => e);
      expect(error).to.be.instanceOf(TransportError);
      expect((error as TransportError).code).to.equal('network');
    });
  });

  describe('bad frames', () => {
    it('ignores or reports malformed, unknown, incomplete, backward and oversized frames, and still delivers', async () => {
      make();
      const c = collect(t);
      void connect();
      await flush();
      const s = FakeSocket.last();
      s.welcome();
      s.receive(event(5));
      const pending = t.send(msg('k1'));
      await flush();
      s.receive('{not json');
      s.receive(JSON.stringify({ type: 'from-the-future', x: 1 }));
      s.receive(JSON.stringify({ type: 'event', event: { type: 'message', seq: 6 } }));
      s.receive(JSON.stringify({ type: 'event', event: { type: 'message', seq: 'x', message: {} } }));
      s.receive(JSON.stringify({ type: 'ack', clientId: 'k1' }));
      s.receive(JSON.stringify([1, 2]));
      s.receive('null');
      s.receive(event(3));
      s.receive(`{"type":"event","event":{"type":"message","seq":7,"message":{"id":"m7","role":"bot","text":"${'x'.repeat(5 * 1024 * 1024)}","at":1}}}`);
      s.receive(JSON.stringify({ type: 'event', event: { type: 'message', seq: 8, message: { id: 'm8', role: 'hacker', text: 'x', at: 1 } } }));
      s.receive(JSON.stringify({ type: 'event', event: { type: 'message', seq: 9, message: { id: 'm9', role: 'bot', text: 'x', at: 1, quickReplies: [{ id: 1 }] } } }));
      expect(c.errors().every((e) => e.code === 'protocol' && e.retryable)).to.be.true;
      expect(c.errors()).to.have.length(9);
      expect(c.errors()[6]!.message).to.contain('over 1048576 chars');
      s.receive(ack('k1', 10));
      expect((await pending).seq).to.equal(10);
      s.receive(event(11));
      expect(c.seqs()).to.deep.equal([5, 11]);
      expect(s.readyState).to.equal(1);
      expect(sentOf(s, 'message')).to.have.length(1);
    });

    it('refuses a seq too large for a number: later events still come, and the resume cursor is the last real one', async () => {
      make();
      const c = collect(t);
      void connect();
      await flush();
      FakeSocket.last().welcome();
      FakeSocket.last().receive(event(5));
      FakeSocket.last().receive(JSON.stringify(event(6)).replace('"seq":6', '"seq":1e999'));
      FakeSocket.last().receive(event(7));
      expect(c.seqs()).to.deep.equal([5, 7]);
      FakeSocket.last().drop();
      await clock.tickAsync(1000);
      expect(FakeSocket.last().welcome().cursor).to.equal(7);
    });

    it('keeps the connection when a late answer arrives for a call that already gave up', async () => {
      make({ timeoutMs: 1000 });
      void connect();
      await flush();
      const s = FakeSocket.last();
      s.welcome();
      const p = t.send(msg('k1')).then(unexpected, (e: TransportError) => e);
      await clock.tickAsync(1000);
      expect((await p).code).to.equal('timeout');
      s.receive({ type: 'error', code: 'conflict', message: 'late', retryable: false, clientId: 'k1' });
      s.receive(ack('k1', 3));
      s.receive({ type: 'result', id: 'r9' });
      expect(s.readyState).to.equal(1);
    });

    it('ignores binary frames without dropping the connection', async () => {
      make();
      const c = collect(t);
      void connect();
      await flush();
      const s = FakeSocket.last();
      s.welcome();
      s.onmessage?.(new MessageEvent('message', { data: new ArrayBuffer(8) }));
      expect(c.errors()).to.have.length(1);
      expect(s.readyState).to.equal(1);
    });
  });

  describe('send', () => {
    const online = async (options: Parameters<typeof make>[0] = {}) => {
      make(options);
      const session = connect();
      await flush();
      FakeSocket.last().welcome();
      await session;
      return FakeSocket.last();
    };

    it('resolves with the ack for its clientId', async () => {
      const s = await online();
      const p = t.send(msg('k1', 'hello'));
      await flush();
      expect(sentOf(s, 'message')).to.deep.equal([{ type: 'message', ...msg('k1', 'hello') }]);
      s.receive(ack('other', 1));
      s.receive(ack('k1', 2));
      expect(await p).to.deep.equal({ clientId: 'k1', id: 'm2', seq: 2, at: 2 });
    });

    it('sends one message at a time, in call order', async () => {
      const s = await online();
      const results = ['a', 'b', 'c'].map((k) => t.send(msg(k)));
      await flush();
      expect(sentOf(s, 'message').map((f) => (f as { clientId: string }).clientId)).to.deep.equal(['a']);
      s.receive(ack('a', 1));
      await flush();
      s.receive(ack('b', 2));
      await flush();
      s.receive(ack('c', 3));
      expect((await Promise.all(results)).map((a) => a.seq)).to.deep.equal([1, 2, 3]);
      expect(sentOf(s, 'message').map((f) => (f as { clientId: string }).clientId)).to.deep.equal(['a', 'b', 'c']);
    });

    it('sends a message lost with its socket again after the reconnect, with the same clientId', async () => {
      const s1 = await online();
      const p = t.send(msg('k1'));
      const q = t.send(msg('k2'));
      await flush();
      s1.drop();
      await clock.tickAsync(1000);
      const s2 = FakeSocket.last();
      s2.welcome();
      await flush();
      expect(sentOf(s2, 'message').map((f) => (f as { clientId: string }).clientId)).to.deep.equal(['k1']);
      s2.receive(ack('k1', 4));
      await flush();
      s2.receive(ack('k2', 5));
      expect([(await p).seq, (await q).seq]).to.deep.equal([4, 5]);
      expect(FakeSocket.maxLive).to.equal(1);
    });

    it('waits for the connection when called while reconnecting', async () => {
      const s1 = await online();
      s1.drop();
      const p = t.send(msg('k1'));
      await clock.tickAsync(1000);
      const s2 = FakeSocket.last();
      s2.welcome();
      await flush();
      s2.receive(ack('k1', 1));
      expect((await p).id).to.equal('m1');
    });

    it('rejects with the error frame for its clientId; later messages still go out', async () => {
      const s = await online();
      const p = t.send(msg('k1'));
      const q = t.send(msg('k2'));
      await flush();
      s.receive({ type: 'error', code: 'too-large', message: 'too long', retryable: false, clientId: 'k1' });
      const e = await p.then(unexpected, (e: TransportError) => e);
      expect([e.code, e.retryable, e.message]).to.deep.equal(['too-large', false, 'too long']);
      await flush();
      s.receive(ack('k2', 3));
      expect((await q).seq).to.equal(3);
    });

    it('fails the messages queued behind a retryable failure, so a retry keeps the order', async () => {
      const s = await online();
      const p = t.send(msg('k1'));
      const q = t.send(msg('k2'));
      await flush();
      s.receive({ type: 'error', code: 'rate-limited', message: 'slow down', retryable: true, retryAfter: 3000, clientId: 'k1' });
      const [e1, e2] = await Promise.all([p.then(unexpected, (e: TransportError) => e), q.then(unexpected, (e: TransportError) => e)]);
      expect([e1.code, e1.retryAfterMs, e2.code]).to.deep.equal(['rate-limited', 3000, 'rate-limited']);
      expect(sentOf(s, 'message')).to.have.length(1);
      // Retrying later starts afresh.
      const r = t.send(msg('k1'));
      await flush();
      s.receive(ack('k1', 1));
      expect((await r).seq).to.equal(1);
    });

    it('still sends the messages queued behind one whose caller aborted it', async () => {
      const s = await online();
      const ac = new AbortController();
      const p = t.send(msg('k1'), { signal: ac.signal }).then(unexpected, (e: TransportError) => e);
      const q = t.send(msg('k2'));
      await flush();
      ac.abort();
      expect((await p).code).to.equal('aborted');
      await flush();
      s.receive(ack('k2', 2));
      expect((await q).seq).to.equal(2);
    });

    it('rejects with a retryable timeout when no ack comes within timeoutMs', async () => {
      const s = await online({ timeoutMs: 3000, heartbeatMs: 1000 });
      const p = t.send(msg('k1')).then(unexpected, (e: TransportError) => e);
      for (let i = 0; i < 3; i++) {
        await clock.tickAsync(1000);
        s.receive({ type: 'pong' });
      }
      const e = await p;
      expect([e.code, e.retryable]).to.deep.equal(['timeout', true]);
    });

    it('rejects with a timeout when the connection never comes back', async () => {
      make({ timeoutMs: 5000 });
      void connect();
      const p = t.send(msg('k1')).then(unexpected, (e: TransportError) => e);
      await clock.tickAsync(5000);
      expect((await p).code).to.equal('timeout');
    });

    it('honours its AbortSignal, before and during the call', async () => {
      const s = await online();
      const ac = new AbortController();
      ac.abort();
      const early = await t.send(msg('k0'), { signal: ac.signal }).then(unexpected, (e: TransportError) => e);
      expect(early.code).to.equal('aborted');
      const ac2 = new AbortController();
      const p = t.send(msg('k1'), { signal: ac2.signal }).then(unexpected, (e: TransportError) => e);
      await flush();
      ac2.abort();
      expect((await p).code).to.equal('aborted');
      s.receive(ack('k1', 1));
      const q = t.send(msg('k2'));
      await flush();
      s.receive(ack('k2', 2));
      expect((await q).seq).to.equal(2);
    });

    it('rejects at once when not connected, and after close()', async () => {
      make();
      const e = await t.send(msg('k1')).then(unexpected, (e: TransportError) => e);
      expect([e.code, e.retryable]).to.deep.equal(['network', true]);
      await online();
      const p = t.send(msg('k2')).then(unexpected, (e: TransportError) => e);
      await flush();
      t.close();
      expect((await p).retryable).to.be.true;
    });
  });

  describe('commands and typing', () => {
    it('sends a command with a request id and resolves on its result', async () => {
      make();
      void connect();
      await flush();
      const s = FakeSocket.last();
      s.welcome();
      const p = t.command({ type: 'request-operator' });
      await flush();
      const frame = sentOf(s, 'command')[0] as Extract<ClientFrame, { type: 'command' }>;
      expect(frame).to.include({ conversationId: 'c1' });
      expect(frame.command).to.deep.equal({ type: 'request-operator' });
      s.receive({ type: 'result', id: frame.id });
      await p;
      const q = t.command({ type: 'end' }).then(unexpected, (e: TransportError) => e);
      await flush();
      const id = (sentOf(s, 'command')[1] as { id: string }).id;
      expect(id).not.to.equal(frame.id);
      s.receive({ type: 'error', id, code: 'conflict', message: 'already ended', retryable: false });
      expect((await q as TransportError).code).to.equal('conflict');
    });

    it('sends typing only while online', async () => {
      make();
      void connect();
      t.typing(true);
      await flush();
      const s = FakeSocket.last();
      s.welcome();
      t.typing(true);
      expect(sentOf(s, 'typing')).to.deep.equal([{ type: 'typing', conversationId: 'c1', active: true }]);
    });
  });
});
