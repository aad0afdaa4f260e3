import { expect } from '@open-wc/testing';
import sinon from 'sinon';
import { createBackend, tokyoOfficeHours } from '../../../src/testing/backend/index.js';
import type { Backend, BackendEvent, BackendOptions, SequencedEvent } from '../../../src/testing/backend/index.js';
import { TOPICS } from '../../../src/testing/backend/bot.js';
import { TransportError, type ClientCommand, type ServerMessage } from '../../../src/transport/types.js';

/** 2025-01-15 12:00 in Tokyo (03:00 UTC): inside operator hours. */
const NOON_JST = Date.UTC(2025, 0, 15, 3, 0);
/** 2025-01-15 22:00 in Tokyo: outside operator hours. */
const NIGHT_JST = Date.UTC(2025, 0, 15, 13, 0);
const SECOND = 1000;

let clock: sinon.SinonFakeTimers;
let backend: Backend | undefined;

function setup(options: Partial<BackendOptions> = {}, locale = 'ja', context?: Record<string, unknown>) {
  backend = createBackend({ now: () => clock.now, random: () => 0, ...options });
  const connection = backend.open({ conversationId: null, cursor: 0, locale, context });
  const live: BackendEvent[] = [];
  connection.subscribe((event) => live.push(event));
  const id = connection.conversationId;
  let n = 0;
  const send = (text: string, clientId = `k${++n}`) => backend!.receive(id, { clientId, conversationId: id, text, createdAt: clock.now });
  const command = (cmd: ClientCommand) => backend!.command(id, cmd);
  const sequenced = () => live.filter((e): e is SequencedEvent => 'seq' in e);
  const messages = () => sequenced().flatMap((e) => (e.type === 'message' ? [e.message] : []));
  return { backend, connection, id, live, send, command, sequenced, messages };
}

/** The error a call throws, for asserting its code. */
function thrown(fn: () => unknown): TransportError {
  try {
    fn();
  } catch (error) {
    expect(error).to.be.instanceOf(TransportError);
    return error as TransportError;
  }
  throw new Error('expected a TransportError, nothing was thrown');
}

const strip = (e: BackendEvent) => ('seq' in e ? { ...e, seq: 0 } : e);

describe('createBackend', () => {
  beforeEach(() => {
    clock = sinon.useFakeTimers({ now: NOON_JST, toFake: ['setTimeout', 'clearTimeout'] });
  });
  afterEach(() => {
    backend?.dispose();
    backend = undefined;
    clock.restore();
  });

  describe('conversations', () => {
    it('opens a new conversation with a bot greeting offering the main topics', () => {
      const { connection } = setup({}, 'en');
      expect(connection.conversationId).to.match(/^c1-/);
      expect(connection.replay).to.have.length(1);
      const [greeting] = connection.replay;
      expect(greeting.seq).to.equal(1);
      const message = (greeting as Extract<SequencedEvent, { type: 'message' }>).message;
      expect(message).to.include({ id: 'm1', role: 'bot', at: NOON_JST });
      expect(message.text).to.match(/^Hi!/);
      expect(message.quickReplies).to.have.length(8);
    });

    it('greets in Japanese for a Japanese locale', () => {
      const { connection } = setup({}, 'ja-JP');
      const first = connection.replay[0] as Extract<SequencedEvent, { type: 'message' }>;
      expect(first.message.text).to.match(/^こんにちは/);
    });

    it('replays only the events after the cursor when resuming', () => {
      const { backend, id, send } = setup({ botDelayMs: 0 });
      send('送料について');
      send('返品について');
      const resumed = backend.open({ conversationId: id, cursor: 3, locale: 'ja' });
      expect(resumed.conversationId).to.equal(id);
      expect(resumed.replay.map((e) => e.seq)).to.deep.equal([4, 5]);
      expect(backend.open({ conversationId: id, cursor: 5, locale: 'ja' }).replay).to.deep.equal([]);
    });

    it('starts a new conversation, replayed from the start, for an unknown id', () => {
      const { backend, id } = setup();
      const fresh = backend.open({ conversationId: 'gone', cursor: 40, locale: 'en' });
      expect(fresh.conversationId).not.to.equal(id);
      expect(fresh.conversationId).not.to.equal('gone');
      expect(fresh.replay.map((e) => e.seq)).to.deep.equal([1]);
    });

    it('delivers live events to every connection of a conversation until unsubscribed', () => {
      const { backend, id, send, live } = setup({ botDelayMs: 0 });
      const other: BackendEvent[] = [];
      const stop = backend.open({ conversationId: id, cursor: 1, locale: 'ja' }).subscribe((e) => other.push(e));
      send('送料');
      expect(other.map(strip)).to.deep.equal(live.map(strip));
      stop();
      send('返品');
      expect(other).to.have.length(2);
      expect(live).to.have.length(4);
    });

    it('keeps the answer language in step with the latest hello', () => {
      const { backend, id, send, messages } = setup({ botDelayMs: 0 }, 'ja');
      backend.open({ conversationId: id, cursor: 1, locale: 'en' });
      send('shipping');
      expect(messages().at(-1)!.text).to.equal(TOPICS.find((t) => t.id === 'shipping')!.en.text);
    });

    it('rejects calls for a conversation it does not know', () => {
      const { backend } = setup();
      expect(thrown(() => backend.receive('nope', { clientId: 'a', conversationId: 'nope', text: 'x', createdAt: 0 })).code).to.equal('bad-request');
      expect(thrown(() => backend.command('nope', { type: 'end' })).code).to.equal('bad-request');
    });
  });

  describe('messages', () => {
    it('acks and emits the user message with its clientId, then the bot answers after botDelayMs with typing around it', () => {
      const { send, live } = setup();
      const ack = send('送料はいくら？', 'client-1');
      expect(ack).to.deep.equal({ clientId: 'client-1', id: 'm2', seq: 2, at: NOON_JST });
      expect(live).to.have.length(2);
      expect(live[0]).to.deep.include({ type: 'message', seq: 2 });
      expect((live[0] as Extract<SequencedEvent, { type: 'message' }>).message).to.include({ role: 'user', clientId: 'client-1', text: '送料はいくら？' });
      expect(live[1]).to.deep.equal({ type: 'typing', role: 'bot', active: true });
      clock.tick(399);
      expect(live).to.have.length(2);
      clock.tick(1);
      expect(live[2]).to.deep.equal({ type: 'typing', role: 'bot', active: false });
      const answer = (live[3] as Extract<SequencedEvent, { type: 'message' }>).message;
      expect(answer.role).to.equal('bot');
      expect(answer.text).to.equal(TOPICS.find((t) => t.id === 'shipping')!.ja.text);
      expect(answer.at).to.equal(NOON_JST + 400);
    });

    it('stores a message once per clientId: a repeat returns the first ack and emits nothing', () => {
      const { backend, id, send, live } = setup({ botDelayMs: 0 });
      const first = send('返品したい', 'same');
      const count = live.length;
      clock.tick(5 * SECOND);
      const again = send('返品したい', 'same');
      expect(again).to.deep.equal(first);
      expect(live).to.have.length(count);
      expect(backend.control.received(id).map((m) => m.clientId)).to.deep.equal(['same']);
    });

    it('numbers every sequenced event 1, 2, 3… with no gap or repeat', () => {
      const { backend, id, send, command } = setup({ botDelayMs: 0 });
      send('送料');
      command({ type: 'request-operator' });
      clock.tick(4 * 2500);
      send('よろしくお願いします');
      clock.tick(1500);
      command({ type: 'end' });
      command({ type: 'rate', score: 5 });
      const seqs = backend.control.events(id).map((e) => e.seq);
      expect(seqs).to.deep.equal(seqs.map((_, i) => i + 1));
      expect(seqs.length).to.be.greaterThan(10);
    });

    it('answers every main topic in both languages, through the full receive path', () => {
      for (const locale of ['ja', 'en'] as const) {
        const { send, messages } = setup({ botDelayMs: 0 }, locale);
        for (const topic of TOPICS) {
          send(topic[locale].label);
          const answer = messages().at(-1)!;
          expect(answer.text, `${topic.id} ${locale}`).to.equal(topic[locale].text);
          expect(answer.articles![0].url).to.match(/^https:/);
        }
        backend!.dispose();
      }
    });

    it('keeps attachments on the stored message', () => {
      const { messages, backend, id } = setup({ botDelayMs: 0 });
      const attachment = { url: backend.upload('photo.jpg', 'image/jpeg', 1200).url, type: 'image/jpeg', name: 'photo.jpg', size: 1200 };
      expect(attachment.url).to.equal('https://uploads.example.com/u1/photo.jpg');
      backend.receive(id, { clientId: 'p', conversationId: id, text: '写真です', attachments: [attachment], createdAt: 0 });
      expect(messages().find((m) => m.clientId === 'p')!.attachments).to.deep.equal([attachment]);
    });

    it('remembers whether the user is typing', () => {
      const { backend, id } = setup();
      backend.typing(id, true);
      expect(backend.control.inspect(id)!.userTyping).to.equal(true);
    });
  });

  describe('operator hand-off inside hours', () => {
    it('queues 3 → 2 → 1 every queueStepMs, then the operator joins and greets', () => {
      const { command, sequenced, id } = setup({}, 'ja', { transactionId: 'm123' });
      command({ type: 'request-operator', context: { topic: 'returns' } });
      expect(sequenced().map(strip)).to.deep.equal([{ type: 'queue', seq: 0, position: 3, etaSeconds: 8 }]);
      clock.tick(2500);
      expect(sequenced().at(-1)).to.deep.include({ type: 'queue', position: 2, etaSeconds: 5 });
      clock.tick(2500);
      expect(sequenced().at(-1)).to.deep.include({ type: 'queue', position: 1, etaSeconds: 3 });
      expect(backend!.control.inspect(id)).to.include({ mode: 'queued', position: 1 });
      clock.tick(2500);
      const [joined, hello] = sequenced().slice(-2);
      expect(joined).to.deep.include({ type: 'operator-joined', name: '佐藤' });
      const greeting = (hello as Extract<SequencedEvent, { type: 'message' }>).message;
      expect(greeting).to.include({ role: 'operator', author: '佐藤' });
      expect(greeting.text).to.contain('担当の佐藤です');
      expect(greeting.text).to.contain('m123');
      expect(backend!.control.inspect(id)).to.deep.include({ mode: 'operator', operator: '佐藤', context: { transactionId: 'm123', topic: 'returns' } });
    });

    it('uses the configured queue length, step and operator names', () => {
      const { command, sequenced } = setup({ queueLength: 1, queueStepMs: 100, random: () => 0.99, operatorNames: { en: ['Ann', 'Bob'] } }, 'en');
      command({ type: 'request-operator' });
      clock.tick(100);
      expect(sequenced().map((e) => e.type)).to.deep.equal(['queue', 'operator-joined', 'message']);
      expect(sequenced()[1]).to.deep.include({ name: 'Bob' });
    });

    it('lets the simulated operator answer each message after operatorReplyMs, typing meanwhile', () => {
      const { command, send, live } = setup({}, 'en');
      command({ type: 'request-operator' });
      clock.tick(3 * 2500);
      const before = live.length;
      send('My parcel has not arrived');
      expect(live.slice(before + 1)).to.deep.equal([{ type: 'typing', role: 'operator', active: true, name: 'Sato' }]);
      clock.tick(1500);
      expect(live[before + 2]).to.deep.equal({ type: 'typing', role: 'operator', active: false, name: 'Sato' });
      const reply = (live[before + 3] as Extract<SequencedEvent, { type: 'message' }>).message;
      expect(reply).to.include({ role: 'operator', author: 'Sato' });
      expect(reply.text).to.match(/^Thank you/);
      expect(live.filter((e) => e.type === 'message' && e.message.role === 'bot')).to.have.length(0);
    });

    it('does not answer while the user waits in the queue', () => {
      const { command, send, live } = setup();
      command({ type: 'request-operator' });
      send('まだですか');
      clock.tick(1000);
      expect(live.map((e) => e.type)).to.deep.equal(['queue', 'message']);
    });

    it('goes back to the bot with a queue position 0 and a notice when the user cancels', () => {
      const { command, sequenced, messages, send, id } = setup({ botDelayMs: 0 }, 'en');
      command({ type: 'request-operator' });
      clock.tick(2500);
      command({ type: 'cancel-operator' });
      expect(sequenced().slice(-2).map(strip)).to.deep.equal([
        { type: 'queue', seq: 0, position: 0 },
        { type: 'message', seq: 0, message: { id: 'm5', role: 'system', text: 'You left the queue. The bot will keep helping you.', at: NOON_JST + 2500 } },
      ]);
      clock.tick(60 * SECOND);
      expect(sequenced().at(-1)!.type).to.equal('message');
      send('refund');
      expect(messages().at(-1)!.role).to.equal('bot');
      expect(backend!.control.inspect(id)!.mode).to.equal('bot');
    });

    it('rejects an operator request while queued or chatting, and a cancel when not queued', () => {
      const { command } = setup();
      expect(thrown(() => command({ type: 'cancel-operator' })).code).to.equal('conflict');
      command({ type: 'request-operator' });
      const queued = thrown(() => command({ type: 'request-operator' }));
      expect(queued.code).to.equal('conflict');
      expect(queued.retryable).to.equal(false);
      clock.tick(3 * 2500);
      expect(thrown(() => command({ type: 'request-operator' })).code).to.equal('conflict');
      expect(thrown(() => command({ type: 'cancel-operator' })).code).to.equal('conflict');
    });

    it('drops the queue when hours close: hours closed until the next opening, queue 0, a notice', () => {
      const closing = Date.UTC(2025, 0, 15, 9, 29, 55); // 18:29:55 in Tokyo
      clock.setSystemTime(closing);
      const { command, sequenced, id } = setup({}, 'en');
      command({ type: 'request-operator' });
      clock.tick(2500);
      expect(sequenced().at(-1)).to.deep.include({ type: 'queue', position: 2 });
      clock.tick(2500);
      const tail = sequenced().slice(-3);
      expect(tail[0]).to.deep.include({
        type: 'hours',
        override: { state: 'closed', reason: 'Operator hours have ended', until: Date.UTC(2025, 0, 16, 1, 0) },
      });
      expect(tail[1]).to.deep.include({ type: 'queue', position: 0 });
      expect((tail[2] as Extract<SequencedEvent, { type: 'message' }>).message.text).to.match(/^Operator hours ended/);
      expect(backend!.control.inspect(id)!.mode).to.equal('bot');
      clock.tick(60 * SECOND);
      expect(sequenced().map((e) => e.type)).to.deep.equal(['queue', 'queue', 'hours', 'queue', 'message']);
    });

    it('keeps an operator who is already chatting when hours close', () => {
      clock.setSystemTime(Date.UTC(2025, 0, 15, 9, 29, 0));
      const { command, send, messages, id } = setup({}, 'en');
      command({ type: 'request-operator' });
      clock.tick(3 * 2500 + 60 * SECOND);
      send('still there?');
      clock.tick(1500);
      expect(messages().at(-1)!.role).to.equal('operator');
      expect(backend!.control.inspect(id)!.mode).to.equal('operator');
    });
  });

  describe('outside hours', () => {
    beforeEach(() => clock.setSystemTime(NIGHT_JST));

    it('refuses an operator request as unavailable, not retryable', () => {
      const { command, live } = setup();
      const error = thrown(() => command({ type: 'request-operator' }));
      expect(error.code).to.equal('unavailable');
      expect(error.retryable).to.equal(false);
      expect(live).to.deep.equal([]);
    });

    it('turns a left message into a ticket with the transcript and context, and gives its number (the widget confirms it)', () => {
      const { command, send, sequenced, messages, id } = setup({ botDelayMs: 0 }, 'ja', { transactionId: 'm42' });
      send('人と話したい');
      expect(messages().at(-1)!.text).to.contain('受付時間外');
      command({ type: 'leave-message', text: '商品が届きません', context: { topic: 'shipping' } });
      const [left, ticket, number] = sequenced().slice(-3);
      expect((left as Extract<SequencedEvent, { type: 'message' }>).message).to.include({ role: 'user', text: '商品が届きません' });
      expect(ticket).to.deep.include({ type: 'ticket', id: 'T1001' });
      const notice = (number as Extract<SequencedEvent, { type: 'message' }>).message;
      expect(notice).to.include({ role: 'system', text: '受付番号は T1001 です。' });
      const [stored] = backend!.control.tickets();
      expect(stored).to.deep.include({ id: 'T1001', conversationId: id, text: '商品が届きません', at: NIGHT_JST });
      expect(stored.context).to.deep.equal({ transactionId: 'm42', topic: 'shipping' });
      expect(stored.transcript.map((m: ServerMessage) => m.role)).to.deep.equal(['bot', 'user', 'bot']);
    });

    it('rejects an empty left message, and one while an operator is involved', () => {
      const { command } = setup();
      expect(thrown(() => command({ type: 'leave-message', text: '  ' })).code).to.equal('bad-request');
      clock.setSystemTime(NOON_JST);
      command({ type: 'request-operator' });
      expect(thrown(() => command({ type: 'leave-message', text: 'hi' })).code).to.equal('conflict');
    });

    it('keeps the bot answering', () => {
      const { send, messages } = setup({ botDelayMs: 0 }, 'en');
      send('How do I pay?');
      expect(messages().at(-1)!.text).to.equal(TOPICS.find((t) => t.id === 'payment')!.en.text);
    });
  });

  describe('ending and rating', () => {
    it('ends on request, once', () => {
      const { command, sequenced, id } = setup();
      command({ type: 'end' });
      expect(sequenced().map(strip)).to.deep.equal([{ type: 'ended', seq: 0, by: 'user' }]);
      expect(thrown(() => command({ type: 'end' })).code).to.equal('conflict');
      expect(backend!.control.inspect(id)!.mode).to.equal('ended');
    });

    it('ends a queued conversation and stops the queue', () => {
      const { command, sequenced } = setup();
      command({ type: 'request-operator' });
      command({ type: 'end' });
      clock.tick(60 * SECOND);
      expect(sequenced().map((e) => e.type)).to.deep.equal(['queue', 'ended']);
    });

    it('accepts one rating after the end, silently (the widget thanks the user), and refuses a second', () => {
      const { command, messages, id } = setup({}, 'en');
      expect(thrown(() => command({ type: 'rate', score: 4 })).code).to.equal('conflict');
      command({ type: 'end' });
      const before = messages().length;
      command({ type: 'rate', score: 4, comment: 'quick' });
      expect(messages()).to.have.length(before);
      expect(backend!.control.inspect(id)!.rating).to.deep.equal({ score: 4, comment: 'quick' });
      expect(thrown(() => command({ type: 'rate', score: 1 })).code).to.equal('conflict');
      expect(backend!.control.inspect(id)!.rating).to.deep.equal({ score: 4, comment: 'quick' });
    });

    it('lets the bot answer a message sent after the end', () => {
      const { command, send, messages, id } = setup({ botDelayMs: 0 });
      command({ type: 'end' });
      send('送料');
      expect(messages().at(-1)!.role).to.equal('bot');
      expect(backend!.control.inspect(id)!.mode).to.equal('bot');
    });
  });

  describe('control', () => {
    it('plays the operator by hand when simulation is off', () => {
      const { command, send, live, id } = setup({ simulateOperator: false }, 'en');
      command({ type: 'request-operator' });
      clock.tick(60 * SECOND);
      expect(live.map((e) => e.type)).to.deep.equal(['queue']);
      const ops = backend!.control.operator;
      ops.join(id, 'Mika');
      ops.typing(id, true);
      ops.say(id, 'Hello!');
      send('Hi');
      clock.tick(60 * SECOND);
      ops.leave(id);
      ops.join(id, 'Ken');
      ops.end(id);
      expect(live.map((e) => ('seq' in e ? e.type : `${e.type}:${e.active}`))).to.deep.equal([
        'queue',
        'operator-joined',
        'typing:true',
        'message',
        'message',
        'operator-left',
        'message',
        'operator-joined',
        'ended',
      ]);
      expect(live[1]).to.deep.include({ name: 'Mika' });
      expect(live[2]).to.deep.equal({ type: 'typing', role: 'operator', active: true, name: 'Mika' });
      expect((live[3] as Extract<SequencedEvent, { type: 'message' }>).message).to.include({ role: 'operator', author: 'Mika', text: 'Hello!' });
      expect((live[6] as Extract<SequencedEvent, { type: 'message' }>).message.text).to.equal('Mika has left the conversation. The bot will keep helping you.');
      expect(live[8]).to.deep.include({ by: 'operator' });
      expect(thrown(() => ops.leave(id)).code).to.equal('conflict');
      expect(thrown(() => ops.end(id)).code).to.equal('conflict');
    });

    it('overrides hours for every conversation: closed drops queues and refuses requests, open allows them at night', () => {
      const a = setup({ simulateOperator: false }, 'en');
      const b = a.backend.open({ conversationId: null, cursor: 0, locale: 'ja' });
      a.command({ type: 'request-operator' });
      a.backend.control.overrideHours('closed', 'Maintenance');
      expect(a.sequenced().slice(-3).map(strip)).to.deep.include.members([
        { type: 'hours', seq: 0, override: { state: 'closed', reason: 'Maintenance' } },
        { type: 'queue', seq: 0, position: 0 },
      ]);
      expect(a.backend.control.events(b.conversationId).at(-1)).to.deep.include({ type: 'hours', override: { state: 'closed', reason: 'Maintenance' } });
      expect(thrown(() => a.command({ type: 'request-operator' })).code).to.equal('unavailable');

      clock.setSystemTime(NIGHT_JST);
      a.backend.control.overrideHours('open');
      expect(a.sequenced().at(-1)).to.deep.include({ type: 'hours', override: { state: 'open' } });
      a.command({ type: 'request-operator' });
      expect(a.backend.control.inspect(a.id)!.mode).to.equal('queued');
      a.command({ type: 'cancel-operator' });

      a.backend.control.overrideHours(null);
      expect(a.sequenced().at(-1)).to.deep.include({ type: 'hours', override: { state: null } });
      expect(thrown(() => a.command({ type: 'request-operator' })).code).to.equal('unavailable');
    });

    it('lets the operator predicate be replaced', () => {
      clock.setSystemTime(NIGHT_JST);
      const { command, id } = setup({ isOperatorOpen: () => true });
      command({ type: 'request-operator' });
      expect(backend!.control.inspect(id)!.mode).to.equal('queued');
    });

    it('clears every timer on dispose', () => {
      const { command, send, live } = setup();
      command({ type: 'request-operator' });
      send('hello');
      expect(clock.countTimers()).to.be.greaterThan(0);
      const count = live.length;
      backend!.dispose();
      expect(clock.countTimers()).to.equal(0);
      clock.tick(60 * SECOND);
      expect(live).to.have.length(count);
    });
  });

  describe('tokyoOfficeHours', () => {
    const cases: Array<[string, number, boolean]> = [
      ['09:59 JST', Date.UTC(2025, 0, 15, 0, 59), false],
      ['10:00 JST', Date.UTC(2025, 0, 15, 1, 0), true],
      ['18:29 JST', Date.UTC(2025, 0, 15, 9, 29), true],
      ['18:30 JST', Date.UTC(2025, 0, 15, 9, 30), false],
      ['23:30 JST (14:30 UTC, previous UTC day boundary irrelevant)', Date.UTC(2025, 0, 15, 14, 30), false],
      ['Sunday 12:00 JST', Date.UTC(2025, 0, 19, 3, 0), true],
      ['before 1970', Date.UTC(1969, 11, 31, 3, 0), true],
    ];
    for (const [label, at, open] of cases) {
      it(`is ${open ? 'open' : 'closed'} at ${label}`, () => expect(tokyoOfficeHours(at)).to.equal(open));
    }
  });
});
