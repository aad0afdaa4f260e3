import { expect } from '@open-wc/testing';
import sinon from 'sinon';
import { createHttpTransport } from '../../src/transport/http.js';
import type { ClientFrame } from '../../src/transport/protocol.js';
import { TransportError, type ChatTransport } from '../../src/transport/types.js';
import { fakeFetch, reply, respond, sseStream, type FetchCall } from './fakes.js';
import { collect, unexpected } from './helpers.js';

const URL_ = 'https://chat.test/v1';
const msg = (clientId: string) => ({ clientId, conversationId: 'c1', text: clientId, createdAt: 1 });
const event = (seq: number) => ({ type: 'event', event: { type: 'message', seq, message: { id: `m${seq}`, role: 'bot', text: `e${seq}`, at: seq } } }) as const;
const frameOf = (call: FetchCall) => JSON.parse(call.body ?? 'null') as ClientFrame;
const welcome = (conversationId = 'c1', heartbeat = 10_000) => reply(200, { type: 'welcome', v: 1, conversationId, heartbeat });

describe('createHttpTransport', () => {
  let clock: sinon.SinonFakeTimers;
  let t: ChatTransport;
  let life: AbortController;
  let streams: ReturnType<typeof sseStream>[];

  /** A server: hello → welcome, GET → a new stream, message → ack; `override` answers first when it returns something. */
  const server = (override: (call: FetchCall) => Response | undefined | Promise<Response | undefined> = () => undefined) =>
    fakeFetch(async (call) => {
      const special = await override(call);
      if (special) return special;
      if (call.method === 'GET') {
        const s = sseStream();
        streams.push(s);
        return respond(200, '', { 'content-type': 'text/event-stream' }, s.body);
      }
      const f = frameOf(call);
      if (f.type === 'hello') return welcome(f.conversationId ?? 'c1');
      if (f.type === 'message') return reply(200, { type: 'ack', clientId: f.clientId, id: `id-${f.clientId}`, seq: 100, at: 1 });
      if (f.type === 'command') return reply(200, { type: 'result', id: f.id });
      return respond(204);
    }, () => clock.now);

  const make = (fetch: typeof globalThis.fetch, options: Parameters<typeof createHttpTransport>[1] = {}) =>
    (t = createHttpTransport(URL_, { fetch, random: () => 0.5, ...options }));
  const connect = (conversationId: string | null = null, cursor = 0) => {
    const session = t.connect({ conversationId, cursor, locale: 'en', signal: life.signal });
    session.catch(() => {});
    return session;
  };
  const flush = () => clock.tickAsync(0);

  beforeEach(() => {
    streams = [];
    life = new AbortController();
    clock = sinon.useFakeTimers({ now: 1_700_000_000_000, toFake: ['setTimeout', 'clearTimeout', 'setInterval', 'clearInterval', 'Date'] });
  });
  afterEach(() => {
    t?.close();
    clock.restore();
  });

  describe('connecting', () => {
    it('POSTs hello, opens the event stream with Authorization and Last-Event-ID, then reports online', async () => {
      const f = server();
      make(f.fetch, { getToken: () => 'tok' });
      const c = collect(t);
      const session = connect('c7', 12);
      await flush();
      expect(await session).to.deep.equal({ conversationId: 'c7' });
      const [hello, get] = f.calls;
      expect(frameOf(hello!)).to.deep.equal({ type: 'hello', v: 1, conversationId: 'c7', cursor: 12, locale: 'en' });
      expect(hello!.headers).to.include({ 'content-type': 'application/json', authorization: 'Bearer tok' });
      expect(get!.url).to.equal(`${URL_}?conversationId=c7`);
      expect(get!.headers).to.include({ accept: 'text/event-stream', 'last-event-id': '12', authorization: 'Bearer tok' });
      expect(c.statuses()).to.deep.equal(['connecting', 'online']);
    });

    it('after the stream ends after event 41, reconnects with Last-Event-ID: 41 and delivers 42–45 once', async () => {
      const f = server();
      make(f.fetch);
      const c = collect(t);
      await connect();
      for (let seq = 1; seq <= 41; seq++) streams[0]!.event(event(seq), seq);
      streams[0]!.end();
      await flush();
      expect(c.statuses().at(-1)).to.equal('reconnecting');
      await clock.tickAsync(1000);
      const gets = f.calls.filter((x) => x.method === 'GET');
      expect(gets.map((g) => g.headers['last-event-id'])).to.deep.equal(['0', '41']);
      expect(frameOf(f.calls.filter((x) => x.method === 'POST')[1]!)).to.include({ cursor: 41, conversationId: 'c1' });
      // The server replays a little too much: 40 and 41 again, then 42–45.
      for (let seq = 40; seq <= 45; seq++) streams[1]!.event(event(seq), seq);
      await flush();
      expect(c.seqs()).to.deep.equal(Array.from({ length: 45 }, (_, i) => i + 1));
    });

    it('follows a server that lost the conversation: new id on the stream and the online event, cursor from 0', async () => {
      const f = server((call) => (call.method === 'POST' && frameOf(call).type === 'hello' ? welcome('c2') : undefined));
      make(f.fetch);
      const c = collect(t);
      expect(await connect('c1', 30)).to.deep.equal({ conversationId: 'c2' });
      const get = f.calls.find((x) => x.method === 'GET')!;
      expect(get.url).to.equal(`${URL_}?conversationId=c2`);
      expect(get.headers['last-event-id']).to.equal('0');
      expect(c.events.filter((e) => e.type === 'connection' && e.status === 'online')).to.deep.equal([
        { type: 'connection', status: 'online', conversationId: 'c2' },
      ]);
      streams[0]!.event(event(1), 1);
      await flush();
      expect(c.seqs()).to.deep.equal([1]);
    });

    it('retries hello through 503 ×10 with capped, jittered exponential backoff, honouring Retry-After', async () => {
      const randoms = [0.5, 0.25, 0.75, 0.1, 0.999, 0.5, 0.1, 0.9, 0.3, 0.6];
      let failures = 0;
      const f = server((call) => {
        if (call.method !== 'POST' || failures >= 10) return undefined;
        const n = failures++;
        const headers: Record<string, string> =
          n === 3 ? { 'retry-after': '7' } : n === 6 ? { 'retry-after': new Date(call.at + 12_000).toUTCString() } : {};
        return reply(503, { type: 'error', code: 'unavailable', message: 'restarting', retryable: true }, headers);
      });
      let r = 0;
      make(f.fetch, { random: () => randoms[r++]!, backoff: { base: 500, cap: 30_000 } });
      const c = collect(t);
      const session = connect();
      await clock.tickAsync(200_000);
      await session;
      // (the silent fake stream is later dropped as stalled: only the first 11 hellos matter)
      const posts = f.calls.filter((x) => x.method === 'POST').map((x) => x.at).slice(0, 11);
      const delays = posts.slice(1).map((at, i) => at - posts[i]!);
      // ceilings 500·2^n capped at 30 000: 500, 1000, 2000, 4000, 8000, 16 000, 30 000…
      expect(delays.slice(0, 6)).to.deep.equal([250, 250, 1500, 7000, 7992, 8000]);
      expect(delays[6]).to.be.within(11_001, 12_000); // Retry-After as an HTTP date beats the 3000 of jitter
      expect(delays.slice(7)).to.deep.equal([27_000, 9000, 18_000]);
      expect(c.statuses().slice(0, 2)).to.deep.equal(['connecting', 'online']);
    });

    it('keeps the 1 s first retry ceiling when a host sets only the backoff cap', async () => {
      let failures = 0;
      const f = server((call) => (call.method === 'POST' && failures++ < 1 ? reply(503, { type: 'error', code: 'unavailable', message: 'restarting', retryable: true }) : undefined));
      make(f.fetch, { random: () => 0.999, backoff: { cap: 5000 } });
      const session = connect();
      await clock.tickAsync(5000);
      await session;
      const [first, second] = f.calls.filter((x) => x.method === 'POST').map((x) => x.at);
      expect(second! - first!).to.equal(999);
    });

    it('calls the token callback once more after a 401, then succeeds', async () => {
      const getToken = sinon.stub();
      getToken.onFirstCall().returns('old').returns('new');
      let refused = false;
      const f = server((call) => {
        if (!refused && call.method === 'POST') return ((refused = true), reply(401, { type: 'error', code: 'auth', message: 'expired', retryable: false }));
      });
      make(f.fetch, { getToken });
      await connect();
      expect(getToken.args.slice(0, 2)).to.deep.equal([[false], [true]]);
      expect(f.calls.map((x) => x.headers.authorization)).to.deep.equal(['Bearer old', 'Bearer new', 'Bearer new']);
    });

    it('detects a stream that goes silent for two heartbeat intervals; keep-alive comments keep it up', async () => {
      const f = server((call) => (call.method === 'POST' && frameOf(call).type === 'hello' ? welcome('c1', 1000) : undefined));
      make(f.fetch);
      const c = collect(t);
      await connect();
      for (let i = 0; i < 5; i++) {
        await clock.tickAsync(1000);
        streams[0]!.write(':\n\n');
      }
      expect(c.statuses()).to.deep.equal(['connecting', 'online']);
      await clock.tickAsync(1999);
      expect(c.statuses().at(-1)).to.equal('online');
      await clock.tickAsync(1);
      expect(c.statuses().at(-1)).to.equal('reconnecting');
      expect(f.calls.filter((x) => x.method === 'GET')[0]!.signal!.aborted).to.be.true;
    });

    it('parses events split across chunks, CRLF line ends, comments, ids and multi-line data', async () => {
      const f = server();
      make(f.fetch);
      const c = collect(t);
      await connect();
      const json = JSON.stringify(event(1));
      const s = streams[0]!;
      s.write(`: hi\r\nid: 1\r\ndata: ${json.slice(0, 20)}`);
      s.write(`${json.slice(20)}\r`);
      s.write('\n\r\n');
      s.write(`data: ${JSON.stringify(event(2)).replace('"seq":2,', '"seq":2,\ndata:')}\n\n`);
      await flush();
      expect(c.seqs()).to.deep.equal([1, 2]);
      expect(c.errors()).to.deep.equal([]);
    });

    it('takes U+2028 and U+2029 for text, not line ends, in comments and in messages', async () => {
      const f = server();
      make(f.fetch);
      const c = collect(t);
      await connect();
      // A comment holding U+2028 then `data:` stays a comment; a message's text holding them
      // (JSON.stringify leaves both as they are) stays its text.
      const text = 'a\u2028data: {"x":1}\u2029data:b';
      const frame = { type: 'event', event: { type: 'message', seq: 1, message: { id: 'm1', role: 'user', text, at: 1 } } };
      const s = streams[0]!;
      s.write(`: keep-alive\u2028data: ${JSON.stringify(event(9))}\n`);
      s.write(`data: ${JSON.stringify(frame)}\n\n`);
      await flush();
      expect(c.errors()).to.deep.equal([]);
      expect(c.seqs()).to.deep.equal([1]);
      expect(c.events.find((e) => e.type === 'message')).to.have.nested.property('message.text', text);
    });

    it('reads a CRLF split between two chunks as one line end, and CR alone as a line end', async () => {
      const f = server();
      make(f.fetch);
      const c = collect(t);
      await connect();
      const [head, tail] = JSON.stringify(event(1)).split('"seq":1,');
      const s = streams[0]!;
      // One event whose data spans two lines; the CR ends one chunk and its LF starts the next.
      s.write(`data: ${head}"seq":1,\r`);
      s.write(`\ndata: ${tail}\r\n\r\n`);
      s.write(`data: ${JSON.stringify(event(2))}\r\r`);
      await flush();
      expect(c.errors()).to.deep.equal([]);
      expect(c.seqs()).to.deep.equal([1, 2]);
    });

    it('drops an oversized event and a line that never ends, reports them, and carries on', async () => {
      const f = server();
      make(f.fetch, { maxFrame: 1000 });
      const c = collect(t);
      await connect();
      const s = streams[0]!;
      s.write(`data: ${'x'.repeat(600)}\ndata: ${'y'.repeat(600)}\n\n`);
      s.write(`data: ${'z'.repeat(3000)}`);
      s.write(`${'z'.repeat(3000)}\n\n`);
      s.event(event(1), 1);
      await flush();
      expect(c.seqs()).to.deep.equal([1]);
      expect(c.errors().map((e) => e.code)).to.deep.equal(['protocol', 'protocol']);
      expect(c.statuses().at(-1)).to.equal('online');
    });

    it('survives a 5 MB event on the stream', async () => {
      const f = server();
      make(f.fetch);
      const c = collect(t);
      await connect();
      streams[0]!.write(`data: {"type":"event","event":{"type":"message","seq":1,"message":{"id":"m","role":"bot","at":1,"text":"${'x'.repeat(5 * 1024 * 1024)}"}}}\n\n`);
      streams[0]!.event(event(2), 2);
      await flush();
      expect(c.seqs()).to.deep.equal([2]);
      expect(c.errors()).to.have.length(1);
    });

    it('rejects connect on a permanent error', async () => {
      const f = server((call) => (call.method === 'POST' ? reply(400, { type: 'error', code: 'bad-request', message: 'version', retryable: false }) : undefined));
      make(f.fetch);
      const e = await connect().then(unexpected, (e: TransportError) => e);
      expect(e).to.be.instanceOf(TransportError);
      expect((e as TransportError).code).to.equal('bad-request');
    });
  });

  describe('send', () => {
    it('POSTs the message frame and resolves with the ack', async () => {
      const f = server();
      make(f.fetch, { getToken: async () => 'tok' });
      await connect();
      const ack = await t.send(msg('k1'));
      expect(ack).to.deep.equal({ clientId: 'k1', id: 'id-k1', seq: 100, at: 1 });
      const post = f.calls.at(-1)!;
      expect(frameOf(post)).to.deep.equal({ type: 'message', ...msg('k1') });
      expect(post.headers.authorization).to.equal('Bearer tok');
    });

    it('calls the token callback once more after a 401, then the send succeeds', async () => {
      const getToken = sinon.stub().returns('t');
      let refuse = false;
      const f = server((call) => {
        if (refuse && call.method === 'POST') return ((refuse = false), reply(401));
      });
      make(f.fetch, { getToken });
      await connect();
      getToken.resetHistory();
      refuse = true;
      const ack = await t.send(msg('k1'));
      expect(ack.clientId).to.equal('k1');
      expect(getToken.args).to.deep.equal([[false], [true]]);
    });

    it('sends no stale Authorization when the refreshed token is undefined', async () => {
      const getToken = sinon.stub();
      getToken.onFirstCall().returns('old').returns(undefined);
      let refuse = true;
      const f = server((call) => (refuse && call.method === 'POST' ? ((refuse = false), reply(401)) : undefined));
      make(f.fetch, { getToken });
      await connect();
      expect(f.calls.map((x) => x.headers.authorization)).to.deep.equal(['Bearer old', undefined, undefined]);
    });

    it('a 401 after the refresh rejects as auth, not retryable', async () => {
      const f = server((call) => (call.method === 'POST' && frameOf(call).type === 'message' ? reply(401) : undefined));
      make(f.fetch);
      await connect();
      const e = await t.send(msg('k1')).then(unexpected, (e: TransportError) => e);
      expect([e.code, e.retryable]).to.deep.equal(['auth', false]);
    });

    for (const [status, header, code, retryable, after] of [
      [503, '5', 'unavailable', true, 5000],
      [429, 'Wed, 15 Nov 2023 00:00:10 GMT', 'rate-limited', true, undefined],
      [413, null, 'too-large', false, undefined],
      [408, null, 'timeout', true, undefined],
      [409, null, 'conflict', false, undefined],
      [400, null, 'bad-request', false, undefined],
      [500, null, 'unavailable', true, undefined],
    ] as const) {
      it(`maps HTTP ${status} to ${code}${header ? ' with Retry-After' : ''}`, async () => {
        const f = server((call) =>
          call.method === 'POST' && frameOf(call).type === 'message' ? respond(status, 'oops', header ? { 'retry-after': header } : {}) : undefined,
        );
        make(f.fetch);
        await connect();
        const e = await t.send(msg('k1')).then(unexpected, (e: TransportError) => e);
        expect([e.code, e.retryable]).to.deep.equal([code, retryable]);
        if (after) expect(e.retryAfterMs).to.equal(after);
        if (status === 429) expect(e.retryAfterMs).to.equal(Date.parse(header!) - clock.now);
      });
    }

    it('uses the code of an error frame in the body', async () => {
      const f = server((call) =>
        call.method === 'POST' && frameOf(call).type === 'message'
          ? reply(422, { type: 'error', code: 'too-large', message: 'text over 5000 chars', retryable: false, clientId: 'k1' })
          : undefined,
      );
      make(f.fetch);
      await connect();
      const e = await t.send(msg('k1')).then(unexpected, (e: TransportError) => e);
      expect([e.code, e.message]).to.deep.equal(['too-large', 'text over 5000 chars']);
    });

    it('after a network failure, reconnects and sends the same message again', async () => {
      let cut = true;
      const f = server((call) => {
        if (cut && call.method === 'POST' && frameOf(call).type === 'message') {
          cut = false;
          throw new TypeError('Failed to fetch');
        }
        return undefined;
      });
      make(f.fetch);
      const c = collect(t);
      await connect();
      const p = t.send(msg('k1'));
      await clock.tickAsync(1000);
      expect((await p).clientId).to.equal('k1');
      const messages = f.calls.filter((x) => x.body && frameOf(x).type === 'message');
      expect(messages.map((x) => (frameOf(x) as { clientId: string }).clientId)).to.deep.equal(['k1', 'k1']);
      expect(c.statuses()).to.deep.equal(['connecting', 'online', 'reconnecting', 'online']);
    });

    it('aborts the request when its signal aborts', async () => {
      const f = server((call) => (call.method === 'POST' && frameOf(call).type === 'message' ? new Promise<Response>(() => {}) : undefined));
      make(f.fetch);
      await connect();
      const ac = new AbortController();
      const p = t.send(msg('k1'), { signal: ac.signal }).then(unexpected, (e: TransportError) => e);
      await flush();
      ac.abort();
      expect((await p).code).to.equal('aborted');
      expect(f.calls.at(-1)!.signal!.aborted).to.be.true;
    });
  });

  describe('commands, typing and upload', () => {
    it('POSTs commands and typing with the conversation id', async () => {
      const f = server();
      make(f.fetch);
      await connect();
      await t.command({ type: 'rate', score: 5 });
      t.typing(true);
      await flush();
      const frames = f.calls.filter((x) => x.method === 'POST').map(frameOf);
      expect(frames.map((x) => x.type)).to.deep.equal(['hello', 'command', 'typing']);
      expect(frames[1]).to.deep.include({ conversationId: 'c1', command: { type: 'rate', score: 5 } });
      expect(frames[2]).to.deep.equal({ type: 'typing', conversationId: 'c1', active: true });
    });

    it('uploads the raw file to <endpoint>/upload and returns the url', async () => {
      const f = server((call) => (call.url.includes('/upload') ? reply(200, { url: 'https://files.test/u1/a.png' }) : undefined));
      make(f.fetch, { getToken: () => 'tok' });
      const { url } = await t.upload(new File(['png'], 'a b.png', { type: 'image/png' }));
      expect(url).to.equal('https://files.test/u1/a.png');
      expect(f.calls[0]!.url).to.equal(`${URL_}/upload?name=a%20b.png`);
      expect(f.calls[0]!.headers).to.include({ 'content-type': 'image/png', authorization: 'Bearer tok' });
    });

    it('rejects an upload answer without a url', async () => {
      const f = server((call) => (call.url.includes('/upload') ? reply(200, { nope: 1 }) : undefined));
      make(f.fetch);
      const e = await t.upload(new Blob(['x'])).then(unexpected, (e: TransportError) => e);
      expect(e.code).to.equal('protocol');
    });
  });
});
