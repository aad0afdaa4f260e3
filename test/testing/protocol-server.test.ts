import { expect } from '@open-wc/testing';
import sinon from 'sinon';
import { createProtocolServer, type HttpReply, type HttpRequest } from '../../src/testing/protocol-server.js';
import type { ServerFrame } from '../../src/transport/protocol.js';
import { quietBackend } from '../transport/helpers.js';

/** A socket peer recording what the server sends. */
function peer() {
  const sent: ServerFrame[] = [];
  const raw: string[] = [];
  let closed = false;
  return {
    sent,
    raw,
    closed: () => closed,
    send(text: string) {
      raw.push(text);
      try {
        sent.push(JSON.parse(text));
      } catch {
        // garbage stays in raw
      }
    },
    close() {
      closed = true;
    },
  };
}

const hello = (extra: object = {}) => JSON.stringify({ type: 'hello', v: 1, conversationId: null, cursor: 0, locale: 'en', ...extra });
const message = (clientId: string, conversationId: string, text = clientId) => JSON.stringify({ type: 'message', clientId, conversationId, text, createdAt: 1 });
const types = (frames: ServerFrame[]) => frames.map((f) => (f.type === 'event' ? `event:${f.event.type}` : f.type));
const req = (kind: HttpRequest['kind'], body?: string, headers: Record<string, string> = {}, param?: string): HttpRequest => ({
  kind,
  body,
  param,
  header: (name) => headers[name] ?? null,
});
const frameOf = (r: HttpReply) => JSON.parse(r.body!) as ServerFrame;

describe('createProtocolServer', () => {
  let backend: ReturnType<typeof quietBackend>;
  beforeEach(() => (backend = quietBackend()));
  afterEach(() => backend.dispose());

  describe('over a socket', () => {
    const connect = (server = createProtocolServer(backend)) => {
      const p = peer();
      const s = server.accept(p);
      s.message(hello());
      const w = p.sent[0] as Extract<ServerFrame, { type: 'welcome' }>;
      return { p, s, server, id: w.conversationId };
    };

    it('welcomes a hello, replays the history, then streams live events', () => {
      const { p, id, server } = connect(createProtocolServer(backend, { heartbeatMs: 1234 }));
      expect(p.sent[0]).to.deep.include({ type: 'welcome', v: 1, heartbeat: 1234 });
      expect(types(p.sent)).to.deep.equal(['welcome', 'event:message']);
      backend.control.operator.say(id, 'live');
      expect(types(p.sent)).to.deep.equal(['welcome', 'event:message', 'event:message']);
      // A resume replays after the cursor only.
      const q = peer();
      server.accept(q).message(hello({ conversationId: id, cursor: 1 }));
      expect((q.sent as Extract<ServerFrame, { type: 'event' }>[]).slice(1).map((f) => 'seq' in f.event && f.event.seq)).to.deep.equal([2]);
    });

    it('acks a message, and a repeat of its clientId with the same ack', () => {
      const { p, s, id } = connect();
      s.message(message('k1', id));
      s.message(message('k1', id));
      const acks = p.sent.filter((f) => f.type === 'ack');
      expect(acks).to.have.length(2);
      expect(acks[0]).to.deep.equal(acks[1]);
      expect(backend.control.received(id)).to.have.length(1);
    });

    it('answers ping, commands, and refuses frames before hello or malformed ones', () => {
      const p = peer();
      const s = createProtocolServer(backend).accept(p);
      s.message(message('k', 'c'));
      s.message('{oops');
      expect(p.sent.map((f) => f.type === 'error' && f.code)).to.deep.equal(['protocol', 'protocol']);
      s.message(hello());
      const id = (p.sent[2] as { conversationId: string }).conversationId;
      s.message('{"type":"ping"}');
      s.message(JSON.stringify({ type: 'command', id: 'r1', conversationId: id, command: { type: 'end' } }));
      s.message(JSON.stringify({ type: 'command', id: 'r2', conversationId: id, command: { type: 'end' } }));
      const tail = p.sent.slice(-4).filter((f) => f.type !== 'event');
      expect(tail).to.deep.equal([
        { type: 'pong' },
        { type: 'result', id: 'r1' },
        { type: 'error', code: 'conflict', message: 'The conversation has already ended', retryable: false, id: 'r2' },
      ]);
    });

    it('loses acks, rejects, fails and drops on request', () => {
      const { p, s, id, server } = connect();
      server.faults.loseAcks(1);
      s.message(message('lost', id));
      expect(p.sent.filter((f) => f.type === 'ack')).to.have.length(0);
      expect(backend.control.received(id).map((m) => m.clientId)).to.deep.equal(['lost']);
      server.faults.reject(1, { code: 'rate-limited', retryable: true, retryAfterMs: 3000 });
      s.message(message('refused', id));
      expect(p.sent.at(-1)).to.deep.equal({ type: 'error', code: 'rate-limited', message: 'rejected by fault injection', retryable: true, retryAfter: 3000, clientId: 'refused' });
      expect(backend.control.received(id)).to.have.length(1);
      server.faults.fail(1, { on: 'message' });
      s.message(message('failed', id));
      expect(p.sent.at(-1)).to.deep.include({ type: 'error', code: 'unavailable', clientId: 'failed' });
      server.faults.dropAfterMessages(2);
      s.message(message('a', id));
      expect(p.closed()).to.be.false;
      s.message(message('b', id));
      expect(p.closed()).to.be.true;
      expect(backend.control.received(id).map((m) => m.clientId)).to.deep.equal(['lost', 'a', 'b']);
      expect(server.stats().open).to.equal(0);
    });

    it('refuses tokens: auth-failed then close', () => {
      const server = createProtocolServer(backend, { authorize: (t) => t === 'good' });
      const a = peer();
      server.accept(a).message(hello({ token: 'bad' }));
      expect([types(a.sent), a.closed()]).to.deep.equal([['auth-failed'], true]);
      const b = peer();
      server.faults.authFail(1);
      server.accept(b).message(hello({ token: 'good' }));
      expect(types(b.sent)).to.deep.equal(['auth-failed']);
      const c = peer();
      server.accept(c).message(hello({ token: 'good' }));
      expect(types(c.sent)[0]).to.equal('welcome');
      expect(server.stats().hellos.map((h) => h.token)).to.deep.equal(['bad', 'good', 'good']);
    });

    it('refuses a hello as unavailable with Retry-After in ms', () => {
      const server = createProtocolServer(backend);
      server.faults.fail(1, { on: 'hello', retryAfter: 4 });
      const p = peer();
      server.accept(p).message(hello());
      expect(p.sent).to.deep.equal([{ type: 'error', code: 'unavailable', message: 'unavailable (fault injection)', retryable: true, retryAfter: 4000 }]);
      expect(p.closed()).to.be.true;
    });

    it('goes silent when stalled, sends garbage, ends after a seq', () => {
      const { p, s, id, server } = connect();
      server.faults.stall();
      s.message('{"type":"ping"}');
      backend.control.operator.say(id, 'unheard');
      expect(p.sent).to.have.length(2);
      server.faults.stall(false);
      server.faults.garbage('{nope');
      expect(p.raw.at(-1)).to.equal('{nope');
      server.faults.endAfterSeq(4);
      backend.control.operator.say(id, 'three');
      expect(p.closed()).to.be.false;
      backend.control.operator.say(id, 'four');
      expect(p.closed()).to.be.true;
    });

    it('counts open links and the most at once', () => {
      const server = createProtocolServer(backend);
      const a = server.accept(peer());
      const b = server.accept(peer());
      a.close();
      a.close();
      expect(server.stats()).to.include({ open: 1, maxOpen: 2 });
      b.close();
      expect(server.stats().open).to.equal(0);
    });
  });

  describe('over HTTP', () => {
    const open = async (server = createProtocolServer(backend)) => {
      const w = frameOf(await server.http(req('post', hello()))) as Extract<ServerFrame, { type: 'welcome' }>;
      return { server, id: w.conversationId };
    };

    it('answers hello with welcome and a message with its ack', async () => {
      const { server, id } = await open();
      const r = await server.http(req('post', message('k', id)));
      expect(r.status).to.equal(200);
      expect(frameOf(r)).to.include({ type: 'ack', clientId: 'k' });
      expect((await server.http(req('post', JSON.stringify({ type: 'typing', conversationId: id, active: true })))).status).to.equal(204);
      expect(backend.control.inspect(id)!.userTyping).to.be.true;
    });

    it('maps errors to statuses with Retry-After in seconds', async () => {
      const { server, id } = await open();
      expect((await server.http(req('post', '{bad'))).status).to.equal(400);
      expect((await server.http(req('post', '{"type":"ping"}'))).status).to.equal(400);
      const end = (rid: string) => JSON.stringify({ type: 'command', id: rid, conversationId: id, command: { type: 'end' } });
      expect((await server.http(req('post', end('1')))).status).to.equal(200);
      expect((await server.http(req('post', end('2')))).status).to.equal(409);
      server.faults.reject(1, { code: 'unavailable', retryable: true, retryAfterMs: 2500 });
      const r = await server.http(req('post', message('k', id)));
      expect([r.status, r.headers['retry-after']]).to.deep.equal([503, '3']);
      server.faults.fail(1, { on: 'message', status: 429, retryAfter: 7 });
      const s = await server.http(req('post', message('k', id)));
      expect([s.status, s.headers['retry-after']]).to.deep.equal([429, '7']);
      server.faults.loseAcks(1);
      expect((await server.http(req('post', message('k2', id)))).status).to.equal(0);
    });

    it('refuses bad tokens with 401 and logs Authorization', async () => {
      const server = createProtocolServer(backend, { authorize: (t) => t === 'ok' });
      expect((await server.http(req('post', hello(), { authorization: 'Bearer no' }))).status).to.equal(401);
      expect((await server.http(req('post', hello(), { authorization: 'Bearer ok' }))).status).to.equal(200);
      expect(server.stats().requests.map((r) => r.authorization)).to.deep.equal(['Bearer no', 'Bearer ok']);
    });

    it('streams events after Last-Event-ID with ids, keep-alives, and ends on drop', async () => {
      const clock = sinon.useFakeTimers({ toFake: ['setInterval', 'clearInterval'] });
      try {
        const { server, id } = await open(createProtocolServer(backend, { heartbeatMs: 1000 }));
        backend.control.operator.say(id, 'two');
        const r = await server.http(req('events', undefined, { 'last-event-id': '1' }, id));
        expect(r.headers['content-type']).to.equal('text/event-stream');
        const chunks: string[] = [];
        let ended = false;
        r.stream!((c) => chunks.push(c), () => (ended = true));
        expect(chunks).to.have.length(1);
        expect(chunks[0]).to.match(/^id: 2\ndata: \{"type":"event".*"two".*\}\n\n$/);
        clock.tick(1000);
        expect(chunks[1]).to.equal(':\n\n');
        backend.control.operator.typing(id, true);
        expect(chunks[2]).to.match(/^data: .*"typing"/);
        server.faults.drop();
        expect(ended).to.be.true;
        clock.tick(5000);
        expect(chunks).to.have.length(3);
      } finally {
        clock.restore();
      }
    });

    it('sends a stream for an unknown conversation back to hello with 503', async () => {
      const server = createProtocolServer(backend);
      expect((await server.http(req('events', undefined, {}, 'nope'))).status).to.equal(503);
    });

    it('stores uploads and answers their url', async () => {
      const server = createProtocolServer(backend);
      const r = await server.http(req('upload', undefined, { 'content-type': 'image/png' }, 'a.png'));
      expect(JSON.parse(r.body!).url).to.match(/a\.png$/);
    });
  });
});
