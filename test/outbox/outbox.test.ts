import { expect } from '@open-wc/testing';
import sinon from 'sinon';
import { dbName } from '../../src/outbox/index.js';
import { TransportError, type Ack, type OutgoingMessage, type ServerEvent } from '../../src/transport/types.js';
import { fakeServer, lifecycle, make, newUser, offlineOutbox, rank, realIndexedDB, storedConversation, storedRows, turn, until, type Recorder } from './fixtures.js';

const userMessage = (seq: number, clientId: string, text = 'x'): ServerEvent => ({
  type: 'message',
  seq,
  message: { id: `s-${clientId}`, role: 'user', text, at: 5, clientId },
});
const botMessage = (seq: number, text = 'hi'): ServerEvent => ({ type: 'message', seq, message: { id: `b${seq}`, role: 'bot', text, at: 5 } });

/** Every status sequence a recorder saw only moves forward. */
function expectForwardOnly(rec: Recorder) {
  for (const [id, seen] of rec.statuses) {
    const ranks = seen.map((s) => rank[s]);
    expect(ranks, `${id}: ${seen.join(' → ')}`).to.deep.equal([...ranks].sort((a, b) => a - b));
  }
}

const texts = (messages: OutgoingMessage[]) => messages.map((m) => m.text);

describe('createOutbox', () => {
  lifecycle();

  describe('durability and acknowledgement', () => {
    it('resolves enqueue only once the row is stored, and sends only stored rows', async () => {
      const user = newUser();
      const server = fakeServer();
      const transport = server.transport();
      const storedAtSend: boolean[] = [];
      const send = transport.send;
      transport.send = (m, o) => {
        // Read the database the moment the transport is called, before answering.
        const check = storedRows(user).then((rows) => storedAtSend.push(rows.some((r) => r.clientId === m.clientId)));
        return check.then(() => send(m, o));
      };
      const { outbox } = make(user, transport);
      await outbox.ready;
      transport.fallback = 'offline';
      const row = await outbox.enqueue('c1', 'hello');
      expect((await storedRows(user)).map((r) => [r.clientId, r.text])).to.deep.equal([[row.clientId, 'hello']]);
      expect(row.status).to.equal('queued');
      expect(outbox.durable).to.be.true;
      transport.fallback = 'ack';
      await outbox.flush();
      await until(() => server.stored.length === 1, 'delivery');
      expect(storedAtSend.length).to.be.greaterThan(0);
      expect(storedAtSend.every(Boolean)).to.be.true;
    });

    it('writes a queued message in a strict-durability transaction', async () => {
      const user = newUser();
      const { outbox } = make(user, fakeServer().transport('offline'));
      await outbox.ready;
      const transaction = IDBDatabase.prototype.transaction;
      const seen: [IDBTransactionMode | undefined, string | undefined][] = [];
      const spy = sinon.stub(IDBDatabase.prototype, 'transaction').callsFake(function (this: IDBDatabase, ...args: Parameters<IDBDatabase['transaction']>) {
        seen.push([args[1], args[2]?.durability]);
        return transaction.apply(this, args);
      });
      try {
        await outbox.enqueue('c1', 'on disk');
      } finally {
        spy.restore();
      }
      expect(seen[0]).to.deep.equal(['readwrite', 'strict']);
    });

    it('removes a row only when an ack carries the server id', async () => {
      const user = newUser();
      const server = fakeServer();
      const transport = server.transport();
      const { outbox, rec } = make(user, transport);
      await outbox.ready;
      transport.fallback = 'offline';
      const row = await outbox.enqueue('c1', 'hello');
      // A resolved request without a server id is not an ack.
      transport.send = async (m) => ({ clientId: m.clientId, id: '', seq: 1, at: 1 }) as Ack;
      await outbox.flush();
      expect(outbox.rows().map((r) => [r.clientId, r.status, r.lastError])).to.deep.equal([[row.clientId, 'sending', 'protocol']]);
      expect((await storedRows(user)).length).to.equal(1);
      // An ack for another client id is not this row's ack either.
      transport.send = async () => ({ clientId: 'someone-else', id: 's1', seq: 1, at: 1 });
      await outbox.flush();
      expect(outbox.rows().length).to.equal(1);
      transport.send = async (m) => ({ clientId: m.clientId, id: 'srv-1', seq: 4, at: 99 });
      await outbox.flush();
      expect(outbox.rows()).to.deep.equal([]);
      expect(await storedRows(user)).to.deep.equal([]);
      const event = rec.events.flatMap(([, e]) => e).find((e) => e.type === 'message');
      expect(event).to.deep.equal({ type: 'message', seq: 4, message: { id: 'srv-1', role: 'user', text: 'hello', at: 99, clientId: row.clientId } });
      const restored = await outbox.history.load('c1');
      expect(restored.events).to.deep.equal([event]);
      // An ack is not part of the stream: resuming must still replay from before it.
      expect(restored.cursor).to.equal(0);
    });

    it('retries with the same client id when the server stored the message but the ack was lost', async () => {
      const user = newUser();
      const server = fakeServer();
      const transport = server.transport();
      transport.script.push('lose-ack');
      const { outbox, rec } = make(user, transport);
      await outbox.ready;
      const row = await outbox.enqueue('c1', 'once');
      await until(() => transport.calls.length === 1, 'first attempt');
      await outbox.flush();
      await until(() => outbox.rows().length === 0, 'ack');
      expect(transport.calls.map((c) => c.clientId)).to.deep.equal([row.clientId, row.clientId]);
      expect(server.stored.map((m) => m.text)).to.deep.equal(['once']);
      const messages = rec.events.flatMap(([, e]) => e);
      expect(messages.length).to.equal(1);
      expectForwardOnly(rec);
    });

    it('sends one message at a time, in the order queued', async () => {
      const { server, transport, outbox } = await offlineOutbox();
      for (let i = 1; i <= 6; i++) await outbox.enqueue(i % 2 ? 'c1' : 'c2', `m${i}`);
      transport.calls.length = 0;
      transport.fallback = 'ack';
      await outbox.flush();
      expect(texts(server.stored)).to.deep.equal(['m1', 'm2', 'm3', 'm4', 'm5', 'm6']);
      expect(server.stored.map((m) => m.conversationId)).to.deep.equal(['c1', 'c2', 'c1', 'c2', 'c1', 'c2']);
      expect(transport.maxInFlight).to.equal(1);
      expect(new Set(server.stored.map((m) => m.clientId)).size).to.equal(6);
    });

    it('holds later messages of a conversation behind one waiting to be retried', async () => {
      const { server, transport, outbox, rec } = await offlineOutbox();
      await outbox.enqueue('c1', 'first');
      await outbox.enqueue('c1', 'second');
      await outbox.enqueue('c2', 'other');
      transport.calls.length = 0;
      transport.script.push('offline');
      transport.fallback = 'ack';
      await outbox.flush();
      // c1 waits behind "first"; c2 is independent.
      expect(texts(transport.calls)).to.deep.equal(['first', 'other']);
      expect(outbox.rows().map((r) => [r.text, r.status])).to.deep.equal([
        ['first', 'sending'],
        ['second', 'queued'],
      ]);
      await outbox.flush();
      expect(texts(server.stored)).to.deep.equal(['other', 'first', 'second']);
      expectForwardOnly(rec);
    });

    it('marks a permanently rejected message failed, still sends the next, and keeps it failed across reloads', async () => {
      const { user, server, transport, outbox } = await offlineOutbox();
      const bad = await outbox.enqueue('c1', 'rejected');
      await outbox.enqueue('c1', 'fine');
      transport.script.push(new TransportError('bad-request', 'no', false));
      transport.fallback = 'ack';
      await outbox.flush();
      expect(texts(server.stored)).to.deep.equal(['fine']);
      expect(outbox.rows().map((r) => [r.clientId, r.status, r.lastError])).to.deep.equal([[bad.clientId, 'failed', 'bad-request']]);
      expect((await storedRows(user)).map((r) => r.status)).to.deep.equal(['failed']);
      outbox.dispose();

      const again = server.transport();
      const { outbox: reopened } = make(user, again);
      await reopened.ready;
      await reopened.flush();
      expect(again.calls).to.deep.equal([]);
      expect(reopened.rows().map((r) => r.status)).to.deep.equal(['failed']);
      await reopened.retry(bad.clientId);
      await until(() => server.stored.length === 2, 'retried delivery');
      expect(again.calls.map((c) => c.clientId)).to.deep.equal([bad.clientId]);
      expect(reopened.rows()).to.deep.equal([]);
    });

    it('deletes a row on remove, from memory and storage', async () => {
      const { user, server, transport, outbox } = await offlineOutbox();
      const row = await outbox.enqueue('c1', 'never mind');
      await outbox.remove(row.clientId);
      expect(outbox.rows()).to.deep.equal([]);
      expect(await storedRows(user)).to.deep.equal([]);
      transport.fallback = 'ack';
      await outbox.flush();
      expect(server.stored).to.deep.equal([]);
    });

    it('uploads each attachment once, before its message, and reuses the URL after a retry and a reload', async () => {
      const user = newUser();
      const server = fakeServer();
      const transport = server.transport();
      transport.script.push('offline');
      const { outbox } = make(user, transport);
      await outbox.ready;
      const photo = new File([new Uint8Array([1, 2, 3])], 'damage.png', { type: 'image/png' });
      const row = await outbox.enqueue('c1', 'see photo', [photo]);
      expect(row.files.map((f) => [f.name, f.type, f.size])).to.deep.equal([['damage.png', 'image/png', 3]]);
      await until(() => transport.calls.length === 1, 'first attempt');
      expect(transport.uploads.length).to.equal(1);
      expect((await storedRows(user))[0].files[0].url).to.equal('https://files.test/1');
      outbox.dispose();

      const next = server.transport();
      const { outbox: reopened } = make(user, next);
      await reopened.ready;
      await reopened.flush();
      expect(next.uploads.length).to.equal(0);
      expect(server.stored[0].attachments).to.deep.equal([{ name: 'damage.png', type: 'image/png', size: 3, url: 'https://files.test/1' }]);
      expect(next.calls[0].clientId).to.equal(row.clientId);
    });

    it('stores attachment bytes where the browser cannot store Blobs', async () => {
      const user = newUser();
      const server = fakeServer();
      const transport = server.transport('offline');
      const add = IDBObjectStore.prototype.add;
      const stub = sinon.stub(IDBObjectStore.prototype, 'add').callsFake(function (this: IDBObjectStore, value: unknown, key?: IDBValidKey) {
        if ((value as { files?: { blob?: Blob }[] }).files?.some((f) => f.blob)) throw new DOMException('Blob', 'DataCloneError');
        return add.call(this, value, key);
      });
      try {
        const { outbox, rec } = make(user, transport);
        await outbox.ready;
        await outbox.enqueue('c1', 'bytes', [new Blob(['abc'], { type: 'image/jpeg' })]);
        const [stored] = await storedRows(user);
        expect((stored.files[0] as { blob?: Blob }).blob).to.be.undefined;
        expect(new TextDecoder().decode(stored.files[0].data)).to.equal('abc');
        expect(rec.notices).to.deep.equal([]);
        transport.fallback = 'ack';
        await outbox.flush();
        expect(transport.uploads.length).to.equal(1);
        expect(transport.uploads[0].type).to.equal('image/jpeg');
        expect(await transport.uploads[0].text()).to.equal('abc');
      } finally {
        stub.restore();
      }
    });

    it('leaves rows queued and untried while the session reports it is offline', async () => {
      const user = newUser();
      const server = fakeServer();
      const transport = server.transport();
      let online = false;
      const { outbox, rec } = make(user, transport, { online: () => online });
      await outbox.ready;
      await outbox.enqueue('c1', 'wait for me');
      await outbox.flush();
      expect(transport.calls).to.deep.equal([]);
      expect(outbox.rows().map((r) => [r.status, r.attempts])).to.deep.equal([['queued', 0]]);
      online = true;
      await outbox.flush();
      expect(texts(server.stored)).to.deep.equal(['wait for me']);
      expect([...rec.statuses.values()]).to.deep.equal([['queued', 'sending']]);
    });

    it('sends rows queued before a conversation existed to the one opened later, and records it first', async () => {
      const user = newUser();
      const server = fakeServer();
      const transport = server.transport();
      let current: string | null = null;
      const { outbox } = make(user, transport, { conversation: (c) => c || current });
      await outbox.ready;
      const row = await outbox.enqueue(null, 'before any conversation');
      await outbox.flush();
      expect(transport.calls).to.deep.equal([]);
      expect(outbox.rows()[0].status).to.equal('queued');
      current = 'c-new';
      const storedConversation: string[] = [];
      const send = transport.send;
      transport.send = (m, o) => storedRows(user).then((rows) => (storedConversation.push(rows[0].conversationId), send(m, o)));
      await outbox.flush();
      expect(server.stored.map((m) => [m.clientId, m.conversationId])).to.deep.equal([[row.clientId, 'c-new']]);
      expect(storedConversation).to.deep.equal(['c-new']);
      expect((await outbox.history.load('c-new')).events.length).to.equal(1);
    });
  });

  describe('acks out of order', () => {
    it('lets the stream acknowledge a row while its send is in flight, and ignores the late ack', async () => {
      const user = newUser();
      const server = fakeServer();
      let answer: (ack: Ack) => void = () => {};
      const transport = server.transport();
      transport.send = (m) => {
        transport.calls.push(m);
        return new Promise<Ack>((resolve) => (answer = resolve));
      };
      const { outbox, rec } = make(user, transport);
      await outbox.ready;
      const row = await outbox.enqueue('c1', 'echoed');
      await until(() => transport.calls.length === 1, 'send');
      await outbox.history.append('c1', [botMessage(1), userMessage(2, row.clientId, 'echoed')]);
      expect(outbox.rows()).to.deep.equal([]);
      expect(await storedRows(user)).to.deep.equal([]);
      answer({ clientId: row.clientId, id: `s-${row.clientId}`, seq: 2, at: 5 });
      await outbox.flush();
      await turn();
      expect(outbox.rows()).to.deep.equal([]);
      const seqs = rec.events.flatMap(([, e]) => e.map((x) => x.seq));
      expect(seqs).to.deep.equal([1, 2]);
      expect(outbox.history.cursor('c1')).to.equal(2);
      expectForwardOnly(rec);
    });

    it('keeps the transcript in seq order and each event once, whatever order and repeats they arrive in', async () => {
      const user = newUser();
      const { outbox, rec } = make(user, fakeServer().transport());
      await outbox.ready;
      await outbox.history.append('c1', [botMessage(3, 'three')]);
      await outbox.history.append('c1', [botMessage(1, 'one'), botMessage(2, 'two'), botMessage(3, 'three')]);
      await outbox.history.append('c1', [{ type: 'typing', role: 'bot', active: true }, botMessage(2, 'two')]);
      expect(rec.events.map(([, e]) => e.map((x) => x.seq))).to.deep.equal([[3], [1, 2]]);
      const loaded = await outbox.history.load('c1');
      expect(loaded.events.map((e) => e.seq)).to.deep.equal([1, 2, 3]);
      expect(loaded.cursor).to.equal(3);
    });

    it('never moves a status backwards while retrying, and shows sent only through the history', async () => {
      const { server, transport, outbox, rec } = await offlineOutbox();
      await outbox.enqueue('c1', 'a');
      await outbox.enqueue('c1', 'b');
      transport.script.push('lose-ack', 'offline', new TransportError('unavailable', 'busy', true));
      transport.fallback = 'ack';
      for (let i = 0; i < 4; i++) await outbox.flush();
      expect(texts(server.stored)).to.deep.equal(['a', 'b']);
      expect([...rec.statuses.values()]).to.deep.equal([
        ['queued', 'sending'],
        ['queued', 'sending'],
      ]);
      expectForwardOnly(rec);
    });
  });

  describe('backoff', () => {
    let clock: sinon.SinonFakeTimers;
    beforeEach(() => {
      clock = sinon.useFakeTimers({ now: 1_000_000, toFake: ['setTimeout', 'clearTimeout', 'Date'] });
    });
    afterEach(() => clock.restore());

    /** Waits (in real time, fake time frozen) until the pass is over and its retry timer is set. */
    const settled = () => until(() => clock.countTimers() > 0, 'retry timer');

    it('waits a full-jitter exponential delay between automatic attempts', async () => {
      const user = newUser();
      const server = fakeServer();
      const transport = server.transport('offline');
      const { outbox } = make(user, transport, { backoff: { base: 500, cap: 1500 } });
      await outbox.ready;
      await outbox.enqueue('c1', 'retry me');
      await until(() => transport.calls.length === 1, 'first attempt');
      // random 0.5: half of min(cap, 500·2^attempt) → 250, 500, 750 (capped), 750 ms.
      for (const [delay, calls] of [
        [250, 2],
        [500, 3],
        [750, 4],
        [750, 5],
      ]) {
        await settled();
        await clock.tickAsync(delay - 1);
        await turn();
        expect(transport.calls.length, `before ${delay} ms`).to.equal(calls - 1);
        if (calls === 5) transport.fallback = 'ack';
        await clock.tickAsync(1);
        await until(() => transport.calls.length === calls, `attempt ${calls}`);
      }
      await until(() => outbox.rows().length === 0, 'delivery');
      expect(new Set(transport.calls.map((c) => c.clientId)).size).to.equal(1);
      expect(server.stored.length).to.equal(1);
    });

    it('retries when its delay is over, also when the clock was set back meanwhile', async () => {
      const user = newUser();
      const server = fakeServer();
      const transport = server.transport();
      transport.script.push('offline');
      let skew = 0;
      const { outbox } = make(user, transport, { now: () => Date.now() - skew, backoff: { base: 1000, cap: 1000 } });
      await outbox.ready;
      await outbox.enqueue('c1', 'after the clock change');
      await until(() => transport.calls.length === 1, 'first attempt');
      await settled();
      // The user (or the demo) sets the clock back a quarter of an hour while the message waits.
      skew = 900_000;
      await clock.tickAsync(500);
      await until(() => server.stored.length === 1, 'delivery after the delay');
    });

    it('honours Retry-After, even when flushed explicitly', async () => {
      const user = newUser();
      const server = fakeServer();
      const transport = server.transport();
      transport.script.push(new TransportError('rate-limited', 'slow down', true, 5000));
      const { outbox } = make(user, transport, { random: () => 0 });
      await outbox.ready;
      await outbox.enqueue('c1', 'patient');
      await until(() => transport.calls.length === 1, 'first attempt');
      await settled();
      await clock.tickAsync(1000);
      await outbox.flush();
      await clock.tickAsync(4999 - 1000);
      await outbox.flush();
      expect(transport.calls.length).to.equal(1);
      await clock.tickAsync(1);
      await until(() => server.stored.length === 1, 'delivery after Retry-After');
      expect(transport.calls.length).to.equal(2);
    });

    it('retries at once on an explicit flush when no Retry-After was given', async () => {
      const user = newUser();
      const server = fakeServer();
      const transport = server.transport();
      transport.script.push('offline');
      const { outbox } = make(user, transport, { backoff: { base: 60_000, cap: 60_000 } });
      await outbox.ready;
      await outbox.enqueue('c1', 'online again');
      await until(() => transport.calls.length === 1, 'first attempt');
      await outbox.flush();
      expect(transport.calls.length).to.equal(2);
      expect(server.stored.length).to.equal(1);
    });
  });

  describe('reloads', () => {
    it('delivers exactly once when the page goes away between send and ack', async () => {
      const user = newUser();
      const server = fakeServer();
      const first = server.transport('commit-hang');
      const { outbox } = make(user, first);
      await outbox.ready;
      const row = await outbox.enqueue('c1', 'mid-flight');
      await until(() => first.calls.length === 1, 'send');
      outbox.dispose();

      const second = server.transport();
      const { outbox: reopened, rec } = make(user, second);
      await reopened.ready;
      expect(reopened.rows().map((r) => r.clientId)).to.deep.equal([row.clientId]);
      await reopened.flush();
      expect(second.calls.map((c) => c.clientId)).to.deep.equal([row.clientId]);
      expect(server.stored.length).to.equal(1);
      expect(reopened.rows()).to.deep.equal([]);
      expect(rec.events.flatMap(([, e]) => e).length).to.equal(1);
    });

    it('keeps 50 messages typed offline across 3 reloads and delivers each once, in typed order', async () => {
      const user = newUser();
      const server = fakeServer();
      const typed: string[] = [];
      for (let life = 0; life < 3; life++) {
        const { outbox } = make(user, server.transport('offline'));
        await outbox.ready;
        expect(outbox.rows().length).to.equal(typed.length);
        for (let i = 0; i < (life < 2 ? 17 : 16); i++) {
          typed.push(`msg ${typed.length + 1}`);
          await outbox.enqueue('c1', typed.at(-1)!);
        }
        outbox.dispose();
      }
      const online = server.transport();
      const { outbox, rec } = make(user, online);
      await outbox.ready;
      await outbox.flush();
      expect(texts(server.stored)).to.deep.equal(typed);
      expect(new Set(server.stored.map((m) => m.clientId)).size).to.equal(50);
      expect(online.calls.length).to.equal(50);
      expect(outbox.rows()).to.deep.equal([]);
      const shown = (await outbox.history.load('c1')).events;
      expect(shown.map((e) => (e.type === 'message' ? e.message.text : ''))).to.deep.equal(typed);
      expect(rec.events.flatMap(([, e]) => e).length).to.equal(50);
    });
  });

  describe('tabs', () => {
    it('elects one leader per user and lets the others follow', async () => {
      const user = newUser();
      const server = fakeServer();
      const a = make(user, server.transport());
      await a.outbox.ready;
      const b = make(user, server.transport());
      await b.outbox.ready;
      await until(() => a.outbox.leader, 'leader');
      await turn();
      expect([a.outbox.leader, b.outbox.leader]).to.deep.equal([true, false]);
      expect(a.rec.leader).to.deep.equal([true]);
      expect(b.rec.leader).to.deep.equal([]);
      // Another user's tab leads its own outbox.
      const other = make(newUser('other'), server.transport());
      await other.outbox.ready;
      await until(() => other.outbox.leader, 'other user leader');
    });

    it('two tabs each queue 10 offline: all 20 go out once, only through the leader', async () => {
      const user = newUser();
      const server = fakeServer();
      const ta = server.transport('offline');
      const tb = server.transport('offline');
      const a = make(user, ta);
      await a.outbox.ready;
      await until(() => a.outbox.leader, 'leader');
      const b = make(user, tb);
      await b.outbox.ready;
      for (let i = 1; i <= 10; i++) {
        await a.outbox.enqueue('c1', `A${i}`);
        await b.outbox.enqueue('c1', `B${i}`);
      }
      // Mirrored both ways.
      await until(() => a.outbox.rows().length === 20 && b.outbox.rows().length === 20, 'mirrored rows', 500);
      const queuedOrder = a.outbox.rows().map((r) => r.text);
      expect(b.outbox.rows().map((r) => r.text)).to.deep.equal(queuedOrder);
      ta.fallback = 'ack';
      await a.outbox.flush();
      await until(() => server.stored.length === 20, '20 deliveries');
      expect(tb.calls).to.deep.equal([]);
      expect(texts(server.stored).filter((t) => t.startsWith('A'))).to.deep.equal([...Array(10)].map((_, i) => `A${i + 1}`));
      expect(texts(server.stored).filter((t) => t.startsWith('B'))).to.deep.equal([...Array(10)].map((_, i) => `B${i + 1}`));
      expect(texts(server.stored)).to.deep.equal(queuedOrder);
      expect(new Set(ta.calls.map((c) => c.clientId)).size).to.equal(20);
      await until(() => b.outbox.rows().length === 0, 'follower sees acks', 500);
      expect(b.rec.events.flatMap(([, e]) => e).length).to.equal(20);
      expectForwardOnly(a.rec);
      expectForwardOnly(b.rec);
    });

    it('hands over when the leader goes: the next tab flushes the pending rows once within 1 s', async () => {
      const user = newUser();
      const server = fakeServer();
      const ta = server.transport('offline');
      const tb = server.transport();
      const a = make(user, ta);
      await a.outbox.ready;
      await until(() => a.outbox.leader, 'leader');
      const b = make(user, tb);
      await b.outbox.ready;
      for (let i = 1; i <= 5; i++) await b.outbox.enqueue('c1', `pending ${i}`);
      await until(() => ta.calls.length > 0, 'leader tried');
      expect(tb.calls).to.deep.equal([]);
      const started = performance.now();
      a.outbox.dispose();
      await until(() => server.stored.length === 5, 'takeover delivery', 1000);
      const took = performance.now() - started;
      console.log(`[outbox figures] takeover after the leader was disposed: 5 pending delivered in ${took.toFixed(0)} ms`);
      expect(took).to.be.below(1000);
      expect(b.rec.leader).to.deep.equal([true]);
      expect(texts(server.stored)).to.deep.equal([1, 2, 3, 4, 5].map((i) => `pending ${i}`));
      expect(tb.calls.length).to.equal(5);
    });

    it('hands over when the leader tab dies without saying goodbye (a removed frame)', async () => {
      const user = newUser();
      const server = fakeServer();
      const frame = document.createElement('iframe');
      const ready = new Promise<void>((resolve) => {
        window.addEventListener('message', function onMessage(event) {
          if (event.data === `ready:${user}`) {
            window.removeEventListener('message', onMessage);
            resolve();
          }
        });
      });
      const code = `
        import { createOutbox } from '/src/outbox/index.ts';
        const offline = () => Promise.reject(Object.assign(new Error('offline'), { retryable: true, code: 'network' }));
        const outbox = createOutbox({ userId: ${JSON.stringify(user)}, transport: { send: offline, upload: offline },
          now: () => Date.now(), random: () => 0.5, onLeader: () => parent.postMessage('ready:' + ${JSON.stringify(user)}, '*') });
        await outbox.ready;
        for (let i = 1; i <= 5; i++) await outbox.enqueue('c1', 'from frame ' + i);
      `;
      frame.srcdoc = `<!doctype html><script type="module">${code}</` + `script>`;
      document.body.append(frame);
      await ready;
      const tb = server.transport();
      const b = make(user, tb);
      await b.outbox.ready;
      await until(() => b.outbox.rows().length === 5, 'frame rows mirrored');
      expect(b.outbox.leader).to.be.false;
      const started = performance.now();
      frame.remove();
      await until(() => server.stored.length === 5, 'takeover after the frame died', 1000);
      console.log(`[outbox figures] takeover after the leader's frame died: ${(performance.now() - started).toFixed(0)} ms`);
      expect(performance.now() - started).to.be.below(1000);
      expect(texts(server.stored)).to.deep.equal([1, 2, 3, 4, 5].map((i) => `from frame ${i}`));
    });

    it('mirrors status, acks and history to a follower within a few hundred ms', async () => {
      const user = newUser();
      const server = fakeServer();
      const ta = server.transport('offline');
      const a = make(user, ta);
      await a.outbox.ready;
      await until(() => a.outbox.leader, 'leader');
      const b = make(user, server.transport());
      await b.outbox.ready;
      const row = await a.outbox.enqueue('c1', 'mirror me');
      await until(() => b.outbox.rows()[0]?.status === 'sending', 'mirrored sending', 300);
      ta.fallback = 'ack';
      await a.outbox.history.append('c1', [botMessage(server.nextSeq(), 'welcome')]);
      await a.outbox.flush();
      await until(() => b.outbox.rows().length === 0, 'mirrored ack', 300);
      const events = b.rec.events.flatMap(([, e]) => e);
      expect(events.map((e) => e.seq)).to.deep.equal([1, 2]);
      expect(events[1]).to.deep.include({ type: 'message' });
      expect(events[1].type === 'message' && events[1].message.clientId).to.equal(row.clientId);
      expect(b.outbox.history.cursor('c1')).to.equal(1);
      expectForwardOnly(b.rec);
    });

    it('passes a follower’s flush, retry and remove to the leader', async () => {
      const user = newUser();
      const server = fakeServer();
      const ta = server.transport('offline');
      const a = make(user, ta);
      await a.outbox.ready;
      await until(() => a.outbox.leader, 'leader');
      const tb = server.transport();
      const b = make(user, tb);
      await b.outbox.ready;
      ta.script.push(new TransportError('bad-request', 'no', false));
      const rejected = await b.outbox.enqueue('c1', 'rejected once');
      await until(() => b.outbox.rows()[0]?.status === 'failed', 'failed mirrored');
      const dropped = await b.outbox.enqueue('c1', 'dropped');
      await until(() => ta.calls.length >= 2, 'leader tried the second');
      await b.outbox.remove(dropped.clientId);
      await until(() => a.outbox.rows().length === 1, 'removal mirrored');
      ta.fallback = 'ack';
      await b.outbox.retry(rejected.clientId);
      await until(() => server.stored.length === 1, 'retry delivered through the leader');
      expect(texts(server.stored)).to.deep.equal(['rejected once']);
      expect(tb.calls).to.deep.equal([]);
      await b.outbox.flush();
      expect(tb.calls).to.deep.equal([]);
    });

    it('sends and stores alone when the tab channel is missing or refused', async () => {
      const refused = () => {
        throw new Error('no channel');
      };
      for (const channel of [null, refused]) {
        const user = newUser();
        const server = fakeServer();
        const { outbox } = make(user, server.transport(), { channel });
        await outbox.ready;
        await outbox.enqueue('c1', 'alone');
        await until(() => server.stored.length === 1, 'delivery');
        expect(await storedRows(user)).to.deep.equal([]);
        expect(outbox.rows()).to.deep.equal([]);
      }
    });

    it('without Web Locks never sends the same row from two tabs at once', async () => {
      const user = newUser();
      const server = fakeServer();
      const ta = server.transport();
      const tb = server.transport();
      let busy = 0;
      let overlap = false;
      for (const t of [ta, tb]) {
        const send = t.send;
        t.send = async (m, o) => {
          overlap ||= busy > 0;
          busy++;
          try {
            await new Promise((r) => setTimeout(r, 2));
            return await send(m, o);
          } finally {
            busy--;
          }
        };
      }
      const a = make(user, ta, { locks: null });
      const b = make(user, tb, { locks: null });
      await Promise.all([a.outbox.ready, b.outbox.ready]);
      expect([a.outbox.leader, b.outbox.leader]).to.deep.equal([true, true]);
      ta.fallback = tb.fallback = 'offline';
      for (let i = 1; i <= 10; i++) await (i % 2 ? a : b).outbox.enqueue('c1', `n${i}`);
      ta.fallback = tb.fallback = 'ack';
      const before = ta.calls.length + tb.calls.length;
      await Promise.all([a.outbox.flush(), b.outbox.flush(), a.outbox.flush(), b.outbox.flush()]);
      await until(() => server.stored.length === 10, '10 deliveries');
      const sends = ta.calls.length + tb.calls.length - before;
      expect(texts(server.stored)).to.deep.equal([...Array(10)].map((_, i) => `n${i + 1}`));
      expect(sends).to.equal(10);
      expect(overlap).to.be.false;
    });

    it('never lets a late copy of an acknowledged row bring it back', async () => {
      const user = newUser();
      const server = fakeServer();
      let deliver: (message: unknown) => void = () => {};
      const channel = {
        onmessage: null as ((event: MessageEvent) => void) | null,
        postMessage() {},
        close() {},
      };
      deliver = (data) => channel.onmessage?.({ data } as MessageEvent);
      const holder = make(user, server.transport('offline'));
      await holder.outbox.ready;
      const row = await holder.outbox.enqueue('c1', 'acked elsewhere');
      const stale = { ...holder.outbox.rows()[0] };
      holder.outbox.dispose();
      const b = make(user, server.transport('offline'), { channel: () => channel, locks: null });
      await b.outbox.ready;
      expect(b.outbox.rows().length).to.equal(1);
      deliver({ h: ['c1', [userMessage(9, row.clientId)], 0], g: [row.clientId] });
      await until(() => b.outbox.rows().length === 0, 'ack mirrored');
      deliver({ r: [{ ...stale, v: 99 }] });
      await turn();
      expect(b.outbox.rows()).to.deep.equal([]);
      // The stored copy (its sender could not delete it) is cleaned up, not resent.
      await b.outbox.flush();
      expect(await storedRows(user)).to.deep.equal([]);
      expect(server.stored).to.deep.equal([]);
    });

    it('without Web Locks or storage, each tab sends only the rows it holds itself', async () => {
      const server = fakeServer();
      const user = newUser();
      const ta = server.transport('commit-hang');
      const tb = server.transport();
      const a = make(user, ta, { locks: null, indexedDB: null });
      const b = make(user, tb, { locks: null, indexedDB: null });
      await Promise.all([a.outbox.ready, b.outbox.ready]);
      const fromA = await a.outbox.enqueue('c1', 'a1');
      await until(() => b.outbox.rows().some((r) => r.clientId === fromA.clientId), 'mirrored to b');
      const fromB = await b.outbox.enqueue('c1', 'b1');
      await until(() => tb.calls.length === 1, 'b sent its own');
      await b.outbox.flush();
      await new Promise((r) => setTimeout(r, 50));
      expect(tb.calls.map((c) => c.clientId)).to.deep.equal([fromB.clientId]);
      expect(ta.calls.map((c) => c.clientId)).to.deep.equal([fromA.clientId]);
    });

    it('without Web Locks lets another tab send a row once a vanished tab’s claim has expired', async () => {
      const user = newUser();
      const server = fakeServer();
      const ta = server.transport('hang');
      const a = make(user, ta, { locks: null, lease: 300 });
      await a.outbox.ready;
      await a.outbox.enqueue('c1', 'orphan');
      await until(() => ta.calls.length === 1, 'claimed and sent');
      a.outbox.dispose();
      const tb = server.transport();
      const b = make(user, tb, { locks: null, lease: 300 });
      await b.outbox.ready;
      await b.outbox.flush();
      expect(tb.calls).to.deep.equal([]);
      await until(() => server.stored.length === 1, 'sent after the lease', 1500);
      expect(tb.calls.length).to.equal(1);
    });
  });

  describe('storage faults', () => {
    it('works from memory, with a notice, when IndexedDB is missing', async () => {
      const server = fakeServer();
      const transport = server.transport();
      const { outbox, rec } = make(newUser(), transport, { indexedDB: null });
      await outbox.ready;
      expect(rec.notices).to.deep.equal([{ code: 'unavailable', key: 'outbox.memory' }]);
      expect(outbox.durable).to.be.false;
      expect(outbox.leader).to.be.true;
      await outbox.enqueue('c1', 'kept in memory');
      await until(() => server.stored.length === 1, 'delivery');
      expect((await outbox.history.load()).conversationId).to.equal('c1');
    });

    it('gives up on an open that never answers after 3 s', async () => {
      const clock = sinon.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout'] });
      try {
        let asked = false;
        const silent = { open: () => ((asked = true), {}) as IDBOpenDBRequest, deleteDatabase: () => ({}) as IDBOpenDBRequest } as unknown as IDBFactory;
        const { outbox, rec } = make(newUser(), fakeServer().transport(), { indexedDB: silent });
        let ready = false;
        void outbox.ready.then(() => (ready = true));
        // The time limit starts with the open (after any logout's deletion: see clearStored).
        await until(() => asked, 'never opened');
        await clock.tickAsync(2999);
        expect(ready).to.be.false;
        await clock.tickAsync(1);
        await until(() => ready, 'ready after the time limit');
        expect(rec.notices.map((n) => n.code)).to.deep.equal(['timeout']);
        const row = await outbox.enqueue('c1', 'still accepted');
        expect(row.own).to.be.a('string');
      } finally {
        clock.restore();
      }
    });

    it('gives up on an open that another tab’s old connection blocks', async () => {
      const user = newUser();
      // An "old version" tab that holds the database and never closes it.
      const old = await new Promise<IDBDatabase>((resolve) => {
        const request = realIndexedDB.open(dbName(user), 1);
        request.onsuccess = () => resolve(request.result);
      });
      try {
        const newer = { open: (name: string) => realIndexedDB.open(name, 2) } as unknown as IDBFactory;
        const { outbox, rec } = make(user, fakeServer().transport(), { indexedDB: newer, openTimeout: 300 });
        await outbox.ready;
        expect(rec.notices.map((n) => n.code)).to.deep.equal(['blocked']);
        expect(outbox.durable).to.be.false;
      } finally {
        old.close();
      }
      // The late connection is closed at once, so nothing stays blocked.
      await new Promise<void>((resolve) => {
        const request = realIndexedDB.open(dbName(user), 3);
        request.onsuccess = () => (request.result.close(), resolve());
      });
    });

    it('keeps a row in memory and still sends it when the quota is exceeded', async () => {
      const server = fakeServer();
      const transport = server.transport('offline');
      const { outbox, rec } = make(newUser(), transport);
      await outbox.ready;
      const stub = sinon.stub(IDBObjectStore.prototype, 'add').throws(new DOMException('full', 'QuotaExceededError'));
      let row;
      try {
        row = await outbox.enqueue('c1', 'no room');
      } finally {
        stub.restore();
      }
      expect(rec.notices).to.deep.equal([{ code: 'quota', key: 'outbox.full' }]);
      expect(outbox.durable).to.be.false;
      expect(outbox.rows().map((r) => r.clientId)).to.deep.equal([row.clientId]);
      transport.fallback = 'ack';
      await outbox.flush();
      expect(texts(server.stored)).to.deep.equal(['no room']);
    });

    it('degrades when a write transaction aborts', async () => {
      const server = fakeServer();
      const transport = server.transport('offline');
      const { outbox, rec } = make(newUser(), transport);
      await outbox.ready;
      const add = IDBObjectStore.prototype.add;
      const stub = sinon.stub(IDBObjectStore.prototype, 'add').callsFake(function (this: IDBObjectStore, value: unknown) {
        const request = add.call(this, value);
        this.transaction.abort();
        return request;
      });
      try {
        await outbox.enqueue('c1', 'aborted write');
      } finally {
        stub.restore();
      }
      expect(rec.notices.map((n) => n.code)).to.deep.equal(['error']);
      transport.fallback = 'ack';
      await outbox.flush();
      expect(texts(server.stored)).to.deep.equal(['aborted write']);
    });

    it('keeps its rows and sends them once when the database is deleted while open', async () => {
      const { user, server, transport, outbox, rec } = await offlineOutbox();
      await outbox.enqueue('c1', 'one');
      await outbox.enqueue('c1', 'two');
      await new Promise<void>((resolve, reject) => {
        const request = realIndexedDB.deleteDatabase(dbName(user));
        request.onsuccess = () => resolve();
        request.onblocked = () => reject(new Error('our connection blocked the deletion'));
      });
      await until(() => rec.notices.length === 1, 'notice');
      expect(rec.notices[0].code).to.equal('deleted');
      expect(outbox.rows().length).to.equal(2);
      transport.fallback = 'ack';
      await outbox.flush();
      expect(texts(server.stored)).to.deep.equal(['one', 'two']);
      expect(outbox.rows()).to.deep.equal([]);
    });

    it('steps aside when another tab upgrades the database', async () => {
      const user = newUser();
      const { outbox, rec } = make(user, fakeServer().transport());
      await outbox.ready;
      await new Promise<void>((resolve, reject) => {
        const request = realIndexedDB.open(dbName(user), 3);
        request.onsuccess = () => (request.result.close(), resolve());
        request.onblocked = () => reject(new Error('our connection blocked the upgrade'));
      });
      expect(rec.notices.map((n) => n.code)).to.deep.equal(['versionchange']);
      expect(outbox.durable).to.be.false;
      const row = await outbox.enqueue('c1', 'after the upgrade');
      expect(row.own).to.be.a('string');
    });

    it('lets a follower whose storage fails send its own unsaved rows, and only it', async () => {
      const user = newUser();
      const server = fakeServer();
      const ta = server.transport();
      const a = make(user, ta);
      await a.outbox.ready;
      await until(() => a.outbox.leader, 'leader');
      const tb = server.transport('offline');
      const b = make(user, tb);
      await b.outbox.ready;
      const stub = sinon.stub(IDBObjectStore.prototype, 'add').throws(new DOMException('full', 'QuotaExceededError'));
      let row;
      try {
        row = await b.outbox.enqueue('c1', 'only in tab b');
      } finally {
        stub.restore();
      }
      expect(b.outbox.leader).to.be.true;
      expect(b.rec.leader).to.deep.equal([true]);
      await until(() => a.outbox.rows().some((r) => r.clientId === row.clientId), 'mirrored to the leader');
      await a.outbox.flush();
      await new Promise((r) => setTimeout(r, 50));
      expect(ta.calls).to.deep.equal([]);
      tb.fallback = 'ack';
      await b.outbox.flush();
      expect(server.stored.map((m) => m.clientId)).to.deep.equal([row.clientId]);
      await until(() => a.outbox.rows().length === 0, 'mirrored ack');
      expect(ta.calls).to.deep.equal([]);
    });
  });

  describe('privacy', () => {
    /** One user in two tabs, a row and a history event stored by the first. */
    async function twoTabsWithData() {
      const user = newUser();
      const server = fakeServer();
      const a = make(user, server.transport('offline'));
      await a.outbox.ready;
      const b = make(user, server.transport('offline'));
      await b.outbox.ready;
      await a.outbox.enqueue('c1', 'secret');
      await a.outbox.history.append('c1', [botMessage(1)]);
      return { user, server, a, b };
    }

    it('clear() deletes the user’s database and wipes every tab of that user, and no other', async () => {
      const { user, server, a, b } = await twoTabsWithData();
      const otherUser = newUser('other');
      const c = make(otherUser, server.transport('offline'));
      await c.outbox.ready;
      await c.outbox.enqueue('c1', 'someone else');
      // The host page's own database.
      await new Promise<void>((resolve) => {
        const request = realIndexedDB.open(`host-app-${otherUser}`);
        request.onsuccess = () => (request.result.close(), resolve());
      });
      await until(() => b.outbox.rows().length === 1, 'mirrored');
      await a.outbox.clear();
      await until(() => b.rec.wiped === 1, 'wipe reached the other tab', 500);
      expect(b.outbox.rows()).to.deep.equal([]);
      expect(b.rec.changes.at(-1)).to.deep.equal([]);
      expect(a.outbox.rows()).to.deep.equal([]);
      const names = (await realIndexedDB.databases()).map((d) => d.name);
      expect(names).not.to.include(dbName(user));
      expect(names).to.include(dbName(otherUser));
      expect(names).to.include(`host-app-${otherUser}`);
      expect(c.outbox.rows().map((r) => r.text)).to.deep.equal(['someone else']);
      realIndexedDB.deleteDatabase(`host-app-${otherUser}`);
    });

    it('an outbox started in a wiped tab, while the deletion is still to come, opens only after it: nothing old, and durable', async () => {
      const { user, server, a, b: other } = await twoTabsWithData();
      const clearing = a.outbox.clear();
      await until(() => other.rec.wiped === 1, 'wipe reached the other tab', 90);
      // What an inline widget does when wiped: it starts over at once, before the deletion.
      const b = make(user, server.transport('offline'));
      await b.outbox.ready;
      await clearing;
      expect(b.outbox.rows()).to.deep.equal([]);
      expect((await b.outbox.history.load()).events).to.deep.equal([]);
      expect(b.rec.notices, 'no storage fault').to.deep.equal([]);
      await b.outbox.enqueue('c2', 'new user');
      expect(b.rec.notices).to.deep.equal([]);
      expect(b.outbox.durable).to.be.true;
      expect((await storedRows(user)).map((r) => r.text)).to.deep.equal(['new user']);
    });

    it('wipes a tab that is still loading when another tab clears: nothing old is shown or sent', async () => {
      const { user, server, a } = await twoTabsWithData();
      const transport = server.transport();
      const loading = make(user, transport);
      // The wipe goes out while this tab still opens the database and reads its rows.
      const clearing = a.outbox.clear();
      await loading.outbox.ready;
      await clearing;
      await loading.outbox.flush();
      expect(loading.rec.wiped).to.equal(1);
      expect(loading.outbox.rows()).to.deep.equal([]);
      expect(loading.rec.changes.at(-1) ?? []).to.deep.equal([]);
      expect(loading.outbox.leader).to.be.false;
      expect(transport.calls).to.deep.equal([]);
    });

    it('never shows or sends one user’s rows to the next user', async () => {
      const server = fakeServer();
      const alice = newUser('alice');
      const a = make(alice, server.transport('offline'));
      await a.outbox.ready;
      await a.outbox.enqueue('c1', 'alice private');
      await a.outbox.history.append('c1', [botMessage(1, 'alice transcript')]);
      a.outbox.dispose();
      const tb = server.transport();
      const b = make(newUser('bob'), tb);
      await b.outbox.ready;
      await b.outbox.flush();
      expect(b.outbox.rows()).to.deep.equal([]);
      expect(await b.outbox.history.load()).to.deep.equal({ conversationId: null, events: [], cursor: 0, rated: false });
      expect(tb.calls).to.deep.equal([]);
      expect(server.stored).to.deep.equal([]);
      expect(b.rec.changes.flat()).to.deep.equal([]);
    });

    it('generates random client ids, also where crypto.randomUUID is missing (insecure pages)', async () => {
      const user = newUser();
      const plain = make(user, fakeServer().transport('offline'), { newId: undefined });
      await plain.outbox.ready;
      const first = await plain.outbox.enqueue('c1', 'a');
      expect(first.clientId).to.match(/^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
      plain.outbox.dispose();
      const stub = sinon.stub(crypto, 'randomUUID').value(undefined);
      try {
        const fallback = make(user, fakeServer().transport('offline'), { newId: undefined });
        await fallback.outbox.ready;
        const ids = [(await fallback.outbox.enqueue('c1', 'b')).clientId, (await fallback.outbox.enqueue('c1', 'c')).clientId];
        for (const id of ids) expect(id).to.match(/^[0-9a-f]{32}$/);
        expect(ids[0]).not.to.equal(ids[1]);
      } finally {
        stub.restore();
      }
    });

    it('stores the message and nothing else: no transport, token or session data', async () => {
      const user = newUser();
      const { outbox } = make(user, fakeServer().transport('offline'));
      await outbox.ready;
      await outbox.enqueue('c1', 'plain');
      const [row] = await storedRows(user);
      expect(Object.keys(row).sort()).to.deep.equal(['attempts', 'clientId', 'conversationId', 'createdAt', 'files', 'seq', 'status', 'text', 'v']);
    });
  });

  describe('history', () => {
    it('restores the most recent conversation, its events and cursor after a reload', async () => {
      const user = newUser();
      let t = 1000;
      const { outbox } = make(user, fakeServer().transport(), { now: () => t });
      await outbox.ready;
      await outbox.history.append('old', [botMessage(1, 'old one')]);
      t = 2000;
      await outbox.history.append('c7', [botMessage(4, 'four'), { type: 'queue', seq: 5, position: 2 }, { type: 'operator-joined', seq: 6, name: 'Aki' }]);
      outbox.dispose();
      const { outbox: reopened, rec } = make(user, fakeServer().transport(), { now: () => t });
      await reopened.ready;
      const restored = await reopened.history.load();
      expect(restored.conversationId).to.equal('c7');
      expect(restored.cursor).to.equal(6);
      expect(restored.events.map((e) => e.type)).to.deep.equal(['message', 'queue', 'operator-joined']);
      expect(reopened.history.cursor('c7')).to.equal(6);
      expect((await reopened.history.load('old')).events.length).to.equal(1);
      expect(rec.events).to.deep.equal([]);
    });

    it('records a newly opened, still empty conversation as the current one', async () => {
      const user = newUser();
      let t = 1;
      const { outbox } = make(user, fakeServer().transport(), { now: () => t });
      await outbox.ready;
      await outbox.history.append('first', [botMessage(1)]);
      t = 2;
      await outbox.history.append('second', []);
      expect((await outbox.history.load()).conversationId).to.equal('second');
    });

    it('remembers whose survey was answered, for the next load and the other tabs, and only that', async () => {
      const user = newUser();
      const rated: string[] = [];
      const a = make(user, fakeServer().transport());
      await a.outbox.ready;
      const b = make(user, fakeServer().transport(), { onRated: (c) => rated.push(c) });
      await b.outbox.ready;
      await a.outbox.history.append('c1', [botMessage(1), { type: 'ended', seq: 2, by: 'operator' }]);
      await a.outbox.history.append('c2', [botMessage(1), { type: 'ended', seq: 2, by: 'operator' }]);
      expect((await a.outbox.history.load('c1')).rated, 'not before it is answered').to.equal(false);
      await a.outbox.history.rate('c1');
      await until(() => rated.length === 1, 'the other tab was told', 300);
      expect(rated).to.deep.equal(['c1']);
      // Events after the answer (a thank-you from the server) keep it.
      await a.outbox.history.append('c1', [botMessage(3)]);
      expect(await storedConversation(user, 'c1'), 'a flag, nothing of the answer itself').to.deep.equal({ seq: 'c1', n: 3, r: 1 });
      a.outbox.dispose();
      b.outbox.dispose();

      const { outbox: reloaded } = make(user, fakeServer().transport());
      await reloaded.ready;
      const restored = await reloaded.history.load();
      expect([restored.conversationId, restored.rated, restored.cursor]).to.deep.equal(['c1', true, 3]);
      expect((await reloaded.history.load('c2')).rated, 'another conversation still asks').to.equal(false);
      await reloaded.clear();
      const { outbox: next } = make(user, fakeServer().transport());
      await next.ready;
      expect(await next.history.load('c1'), 'forgotten at logout').to.deep.equal({ conversationId: 'c1', events: [], cursor: 0, rated: false });
    });
  });

  describe('measurements', () => {
    it('reports enqueue latency, a 200-message flush and a 1,000-message restore', async function () {
      this.timeout(30000);
      const user = newUser('bench');
      const server = fakeServer();
      const transport = server.transport('offline');
      const { outbox } = make(user, transport);
      await outbox.ready;
      const latencies: number[] = [];
      for (let i = 0; i < 200; i++) {
        const started = performance.now();
        await outbox.enqueue('c1', `queued ${i}`);
        latencies.push(performance.now() - started);
      }
      transport.fallback = 'ack';
      transport.calls.length = 0;
      const flushStarted = performance.now();
      await outbox.flush();
      const flushMs = performance.now() - flushStarted;
      expect(server.stored.length).to.equal(200);
      expect(transport.calls.length).to.equal(200);
      expect(texts(server.stored)).to.deep.equal([...Array(200)].map((_, i) => `queued ${i}`));

      const events: ServerEvent[] = [];
      for (let s = 1; s <= 1000; s++) events.push(botMessage(s, `history message ${s} with a realistic length of text in it`));
      await outbox.history.append('big', events);
      outbox.dispose();
      const { outbox: reopened } = make(user, fakeServer().transport());
      const restoreStarted = performance.now();
      await reopened.ready;
      const restored = await reopened.history.load('big');
      const restoreMs = performance.now() - restoreStarted;
      expect(restored.events.length).to.equal(1000);

      latencies.sort((a, b) => a - b);
      const median = latencies[100];
      const p95 = latencies[190];
      console.log(
        `[outbox figures] enqueue median ${median.toFixed(2)} ms, p95 ${p95.toFixed(2)} ms; ` +
          `flush of 200 to a loopback transport ${flushMs.toFixed(0)} ms; ` +
          `open + restore of 1,000 history events ${restoreMs.toFixed(1)} ms`,
      );
    });
  });
});
