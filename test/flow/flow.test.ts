import { expect } from '@open-wc/testing';
import { initialState, phaseOf, replay, transition, type FlowEvent, type FlowState, type Phase } from '../../src/flow/index.js';
import { createBackend } from '../../src/testing/backend/index.js';
import { TransportError, type ServerEvent } from '../../src/transport/types.js';

/** One representative state per phase. Operators are away in the two after-hours phases. */
const STATES: Record<Phase, FlowState> = {
  bot: { phase: 'bot', open: true, closingSoon: false },
  requested: { phase: 'requested', open: true, closingSoon: false },
  queued: { phase: 'queued', open: true, closingSoon: false, position: 2, etaSeconds: 5 },
  operator: { phase: 'operator', open: true, closingSoon: false, operator: 'Sato' },
  ended: { phase: 'ended', open: true, closingSoon: false, rated: false },
  'after-hours': { phase: 'after-hours', open: false, closingSoon: false },
  'message-left': { phase: 'message-left', open: false, closingSoon: false, ticket: 'T1001' },
};

const message = (role: 'user' | 'bot' | 'operator' | 'system'): ServerEvent => ({ type: 'message', seq: 9, message: { id: 'm9', role, text: 'hi', at: 0 } });

/** Every event the flow knows, with a name for the table. */
const EVENTS: Record<string, FlowEvent> = {
  'ask-operator': { type: 'ask-operator', context: { topic: 'returns' } },
  cancel: { type: 'cancel' },
  end: { type: 'end' },
  'ask-end': { type: 'ask-end' },
  rate: { type: 'rate', score: 4, comment: 'fast' },
  'leave-message': { type: 'leave-message', text: 'Please call me back', context: { transactionId: 'm1' } },
  'new-conversation': { type: 'new-conversation' },
  opened: { type: 'opened' },
  closed: { type: 'closed' },
  'closing-soon': { type: 'closing-soon' },
  'hours open': { type: 'hours', seq: 9, override: { state: 'open' } },
  'hours closed': { type: 'hours', seq: 9, override: { state: 'closed', until: 1 } },
  'hours cleared': { type: 'hours', seq: 9, override: { state: null } },
  'queue 3': { type: 'queue', seq: 9, position: 3, etaSeconds: 8 },
  'queue 0': { type: 'queue', seq: 9, position: 0 },
  'operator-joined': { type: 'operator-joined', seq: 9, name: 'Suzuki' },
  'operator-left': { type: 'operator-left', seq: 9, name: 'Sato' },
  ended: { type: 'ended', seq: 9, by: 'operator' },
  ticket: { type: 'ticket', seq: 9, id: 'T2002' },
  typing: { type: 'typing', role: 'operator', active: true, name: 'Sato' },
  'operator message': message('operator'),
  connection: { type: 'connection', status: 'reconnecting' },
  error: { type: 'error', error: new TransportError('protocol', 'bad frame', false) },
  'request failed, unavailable': { type: 'failed', command: 'request-operator', code: 'unavailable' },
  'request failed, network': { type: 'failed', command: 'request-operator', code: 'network' },
  'leave-message failed': { type: 'failed', command: 'leave-message', code: 'network' },
  'end failed': { type: 'failed', command: 'end', code: 'conflict' },
  'end failed, network': { type: 'failed', command: 'end', code: 'network' },
  'rate failed': { type: 'failed', command: 'rate', code: 'timeout' },
  rated: { type: 'rated' },
  lost: { type: 'lost' },
};

/**
 * Expected outcome of every event in every phase: `illegal` (same object, marked), `same`
 * (same object, not marked: a stale server event), or the next phase, `+command` when the
 * session must send one.
 */
const TABLE: Record<Phase, Record<keyof typeof EVENTS, string>> = {
  bot: {
    'ask-operator': 'requested+request-operator', cancel: 'illegal', end: 'ended+end', 'ask-end': 'illegal', rate: 'illegal',
    'leave-message': 'message-left+leave-message', 'new-conversation': 'bot',
    opened: 'bot', closed: 'bot', 'closing-soon': 'bot', 'hours open': 'bot', 'hours closed': 'bot', 'hours cleared': 'same',
    'queue 3': 'queued', 'queue 0': 'same', 'operator-joined': 'operator', 'operator-left': 'same', ended: 'ended',
    ticket: 'message-left', typing: 'bot', 'operator message': 'same', connection: 'same', error: 'same',
    'request failed, unavailable': 'same', 'request failed, network': 'same', 'leave-message failed': 'same', 'end failed': 'same',
    'end failed, network': 'same', 'rate failed': 'same', rated: 'same', lost: 'bot',
  },
  requested: {
    'ask-operator': 'illegal', cancel: 'bot+cancel-operator', end: 'ended+end', 'ask-end': 'illegal', rate: 'illegal',
    'leave-message': 'illegal', 'new-conversation': 'illegal',
    opened: 'requested', closed: 'after-hours+cancel-operator', 'closing-soon': 'requested', 'hours open': 'requested', 'hours closed': 'after-hours', 'hours cleared': 'same',
    'queue 3': 'queued', 'queue 0': 'bot', 'operator-joined': 'operator', 'operator-left': 'same', ended: 'ended',
    ticket: 'message-left', typing: 'requested', 'operator message': 'same', connection: 'same', error: 'same',
    'request failed, unavailable': 'after-hours', 'request failed, network': 'bot', 'leave-message failed': 'same', 'end failed': 'same',
    'end failed, network': 'same', 'rate failed': 'same', rated: 'same', lost: 'bot',
  },
  queued: {
    'ask-operator': 'illegal', cancel: 'bot+cancel-operator', end: 'ended+end', 'ask-end': 'illegal', rate: 'illegal',
    'leave-message': 'illegal', 'new-conversation': 'illegal',
    opened: 'queued', closed: 'after-hours+cancel-operator', 'closing-soon': 'queued', 'hours open': 'queued', 'hours closed': 'after-hours', 'hours cleared': 'same',
    'queue 3': 'queued', 'queue 0': 'bot', 'operator-joined': 'operator', 'operator-left': 'same', ended: 'ended',
    ticket: 'message-left', typing: 'queued', 'operator message': 'same', connection: 'same', error: 'same',
    'request failed, unavailable': 'same', 'request failed, network': 'same', 'leave-message failed': 'same', 'end failed': 'same',
    'end failed, network': 'same', 'rate failed': 'same', rated: 'same', lost: 'bot',
  },
  operator: {
    'ask-operator': 'illegal', cancel: 'illegal', end: 'ended+end', 'ask-end': 'operator', rate: 'illegal',
    'leave-message': 'illegal', 'new-conversation': 'illegal',
    opened: 'operator', closed: 'operator', 'closing-soon': 'operator', 'hours open': 'operator', 'hours closed': 'operator', 'hours cleared': 'same',
    'queue 3': 'same', 'queue 0': 'same', 'operator-joined': 'operator', 'operator-left': 'bot', ended: 'ended',
    ticket: 'message-left', typing: 'operator', 'operator message': 'same', connection: 'same', error: 'same',
    'request failed, unavailable': 'same', 'request failed, network': 'same', 'leave-message failed': 'same', 'end failed': 'same',
    'end failed, network': 'same', 'rate failed': 'same', rated: 'same', lost: 'bot',
  },
  ended: {
    'ask-operator': 'illegal', cancel: 'illegal', end: 'illegal', 'ask-end': 'illegal', rate: 'ended+rate',
    'leave-message': 'illegal', 'new-conversation': 'bot',
    opened: 'ended', closed: 'ended', 'closing-soon': 'ended', 'hours open': 'ended', 'hours closed': 'ended', 'hours cleared': 'same',
    'queue 3': 'same', 'queue 0': 'same', 'operator-joined': 'operator', 'operator-left': 'same', ended: 'same',
    ticket: 'message-left', typing: 'ended', 'operator message': 'same', connection: 'same', error: 'same',
    'request failed, unavailable': 'same', 'request failed, network': 'same', 'leave-message failed': 'same', 'end failed': 'same',
    'end failed, network': 'same', 'rate failed': 'same', rated: 'ended', lost: 'bot',
  },
  'after-hours': {
    'ask-operator': 'after-hours', cancel: 'bot', end: 'ended+end', 'ask-end': 'illegal', rate: 'illegal',
    'leave-message': 'message-left+leave-message', 'new-conversation': 'bot',
    opened: 'bot', closed: 'after-hours', 'closing-soon': 'after-hours', 'hours open': 'bot', 'hours closed': 'after-hours', 'hours cleared': 'same',
    'queue 3': 'same', 'queue 0': 'same', 'operator-joined': 'operator', 'operator-left': 'same', ended: 'ended',
    ticket: 'message-left', typing: 'after-hours', 'operator message': 'same', connection: 'same', error: 'same',
    'request failed, unavailable': 'same', 'request failed, network': 'same', 'leave-message failed': 'same', 'end failed': 'same',
    'end failed, network': 'same', 'rate failed': 'same', rated: 'same', lost: 'bot',
  },
  'message-left': {
    'ask-operator': 'after-hours', cancel: 'illegal', end: 'ended+end', 'ask-end': 'illegal', rate: 'illegal',
    'leave-message': 'message-left+leave-message', 'new-conversation': 'bot',
    opened: 'message-left', closed: 'message-left', 'closing-soon': 'message-left', 'hours open': 'message-left', 'hours closed': 'message-left', 'hours cleared': 'same',
    'queue 3': 'same', 'queue 0': 'same', 'operator-joined': 'operator', 'operator-left': 'same', ended: 'ended',
    ticket: 'message-left', typing: 'message-left', 'operator message': 'same', connection: 'same', error: 'same',
    'request failed, unavailable': 'same', 'request failed, network': 'same', 'leave-message failed': 'same', 'end failed': 'same',
    'end failed, network': 'same', 'rate failed': 'same', rated: 'same', lost: 'bot',
  },
};

describe('flow', () => {
  describe('transition table', () => {
    for (const [phase, row] of Object.entries(TABLE) as Array<[Phase, Record<string, string>]>) {
      for (const [name, expected] of Object.entries(row)) {
        it(`${phase} + ${name} → ${expected}`, () => {
          const state = STATES[phase];
          const snapshot = structuredClone(state);
          const result = transition(state, EVENTS[name]);
          expect(state, 'the input state is never mutated').to.deep.equal(snapshot);
          if (expected === 'illegal' || expected === 'same') {
            expect(result.state).to.equal(state);
            expect(result.illegal).to.equal(expected === 'illegal' ? true : undefined);
            expect(result.command).to.equal(undefined);
            return;
          }
          const [next, command] = expected.split('+');
          expect(result.illegal).to.equal(undefined);
          expect(result.state.phase).to.equal(next);
          expect(result.command?.type).to.equal(command);
        });
      }
    }

    it('covers every phase and every event', () => {
      expect(Object.keys(TABLE).sort()).to.deep.equal(Object.keys(STATES).sort());
      for (const row of Object.values(TABLE)) expect(Object.keys(row).sort()).to.deep.equal(Object.keys(EVENTS).sort());
      const types = new Set(Object.values(EVENTS).map((e) => e.type));
      expect([...types].sort()).to.deep.equal(
        [
          'ask-operator', 'cancel', 'end', 'ask-end', 'rate', 'leave-message', 'new-conversation', 'opened', 'closed', 'closing-soon',
          'hours', 'queue', 'operator-joined', 'operator-left', 'ended', 'ticket', 'typing', 'message', 'connection', 'error', 'failed', 'rated', 'lost',
        ].sort(),
      );
    });
  });

  describe('state details', () => {
    it('starts in the bot phase, operators available unless told otherwise', () => {
      expect(initialState()).to.deep.equal({ phase: 'bot', open: true, closingSoon: false });
      expect(initialState(false, true)).to.deep.equal({ phase: 'bot', open: false, closingSoon: true });
      expect(phaseOf(STATES.queued)).to.equal('queued');
    });

    it('asks the backend for an operator with the host context', () => {
      expect(transition(STATES.bot, EVENTS['ask-operator']).command).to.deep.equal({ type: 'request-operator', context: { topic: 'returns' } });
    });

    it('goes straight to after hours, without a command, when operators are away', () => {
      const result = transition({ ...STATES.bot, open: false }, { type: 'ask-operator' });
      expect(result).to.deep.equal({ state: { phase: 'after-hours', open: false, closingSoon: false }, command: undefined });
    });

    it('warns before queueing near closing time, and queues when asked again', () => {
      const near = { ...STATES.bot, closingSoon: true };
      const warned = transition(near, { type: 'ask-operator' });
      expect(warned.state).to.deep.equal({ ...near, confirm: true });
      expect(warned.command).to.equal(undefined);
      const queued = transition(warned.state, { type: 'ask-operator' });
      expect(queued.state).to.deep.equal({ phase: 'requested', open: true, closingSoon: true });
      expect(queued.command?.type).to.equal('request-operator');
    });

    it('drops the closing warning on cancel and when hours change', () => {
      const warned: FlowState = { ...STATES.bot, closingSoon: true, confirm: true };
      expect(transition(warned, { type: 'cancel' })).to.deep.equal({ state: { ...warned, confirm: false }, command: undefined });
      expect(transition(warned, { type: 'closed' }).state).to.deep.include({ phase: 'bot', open: false, closingSoon: false, confirm: false });
      const left = transition({ ...STATES['message-left'], open: true, closingSoon: true, confirm: true }, { type: 'cancel' }).state;
      expect(left).to.deep.include({ phase: 'message-left', ticket: 'T1001', confirm: false });
    });

    it('asks before the user ends a chat with an operator: `end` ends it, `cancel` keeps it, and the question goes with the chat', () => {
      const asked = transition(STATES.operator, EVENTS['ask-end']);
      expect(asked).to.deep.equal({ state: { ...STATES.operator, confirm: true }, command: undefined });
      const question = asked.state;
      expect(transition(question, EVENTS.cancel)).to.deep.equal({ state: { ...question, confirm: false }, command: undefined });
      const ended = transition(question, EVENTS.end);
      expect(ended.state).to.deep.include({ phase: 'ended', rated: false });
      expect(ended.command).to.deep.equal({ type: 'end' });
      // The chat goes on while the user thinks: a message or typing keeps the question.
      expect(transition(question, EVENTS.typing).state).to.deep.include({ confirm: true });
      // Whatever ends this chat or starts another takes the question with it.
      for (const name of ['operator-left', 'ended', 'operator-joined'] as const) {
        expect(transition(question, EVENTS[name]).state.confirm, name).to.equal(undefined);
      }
      // Should the end never reach the server, the chat comes back without the question.
      expect(transition(ended.state, EVENTS['end failed, network']).state).to.deep.equal({ ...STATES.operator, confirm: false });
    });

    it('sets the warning flag from the hours engine and clears it at opening or closing', () => {
      const soon = transition(STATES.operator, { type: 'closing-soon' }).state;
      expect(soon).to.deep.equal({ ...STATES.operator, closingSoon: true });
      expect(transition(soon, { type: 'closed' }).state).to.deep.include({ phase: 'operator', open: false, closingSoon: false });
      expect(transition(soon, { type: 'opened' }).state).to.deep.include({ open: true, closingSoon: false });
    });

    it('carries the queue position and wait, replacing them on each update', () => {
      const first = transition(STATES.requested, EVENTS['queue 3']).state;
      expect(first).to.deep.equal({ phase: 'queued', open: true, closingSoon: false, position: 3, etaSeconds: 8 });
      const second = transition(first, { type: 'queue', seq: 10, position: 1 }).state;
      expect(second).to.deep.equal({ phase: 'queued', open: true, closingSoon: false, position: 1, etaSeconds: undefined });
    });

    it('names the operator who joined, and forgets queue fields', () => {
      expect(transition(STATES.queued, EVENTS['operator-joined']).state).to.deep.equal({ phase: 'operator', open: true, closingSoon: false, operator: 'Suzuki' });
    });

    it('ends the conversation, from either side, with the survey to answer once', () => {
      const ended = transition(STATES.operator, EVENTS.end);
      expect(ended.state).to.deep.include({ phase: 'ended', rated: false });
      expect(ended.command).to.deep.equal({ type: 'end' });
      expect(transition(STATES.operator, EVENTS.ended).state).to.deep.include({ rated: false });
      const rated = transition(ended.state, EVENTS.rate);
      expect(rated.state).to.deep.include({ phase: 'ended', rated: true });
      expect(rated.command).to.deep.equal({ type: 'rate', score: 4, comment: 'fast' });
      const again = transition(rated.state, EVENTS.rate);
      expect(again.illegal).to.equal(true);
      expect(again.state).to.equal(rated.state);
      // The server's echo of the user's own end does not reopen the survey.
      expect(transition(rated.state, EVENTS.ended).state).to.deep.include({ phase: 'ended', rated: true });
    });

    it('goes back to the chat when the server never heard the end, and offers the survey again when it never heard the rating', () => {
      const chatting = transition(STATES.queued, EVENTS['operator-joined']).state;
      const ended = transition(chatting, EVENTS.end).state;
      // Hours changed while the end was under way: the chat resumes in the present hours.
      const later = transition(ended, { type: 'closing-soon' }).state;
      expect(transition(later, EVENTS['end failed, network']).state).to.deep.equal({ ...chatting, closingSoon: true, confirm: false });
      const rated = transition(ended, EVENTS.rate).state;
      expect(transition(rated, EVENTS['end failed, network']).state.phase, 'the end failed too').to.equal('operator');
      expect(transition(rated, EVENTS['rate failed']).state).to.deep.equal({ ...rated, rated: false });
      // A conflict: the server is already past the end (or has the rating).
      expect(transition(rated, EVENTS['end failed']).state).to.equal(rated);
      expect(transition(rated, { type: 'failed', command: 'rate', code: 'conflict' }).state).to.equal(rated);
      // Only the user's own end can be taken back: the operator's came from the server.
      const byOperator = transition(chatting, EVENTS.ended).state;
      expect(transition(byOperator, EVENTS['end failed, network']).state).to.equal(byOperator);
      // Once the server says the conversation ended, the user's end reached it, whatever its answer.
      const confirmed = transition(rated, EVENTS.ended).state;
      expect(confirmed).to.deep.include({ phase: 'ended', rated: true, back: undefined });
      expect(transition(confirmed, EVENTS['end failed, network']).state).to.equal(confirmed);
    });

    it('thanks at once for a survey answered before a reload or in another tab, and asks again in the next conversation', () => {
      const thanked = transition(STATES.ended, EVENTS.rated);
      expect(thanked).to.deep.equal({ state: { ...STATES.ended, rated: true }, command: undefined });
      expect(transition(thanked.state, EVENTS.rate).illegal, 'never sent twice').to.equal(true);
      // Only an ended conversation has a survey: news of another one's leaves this one as it is.
      expect(transition(STATES.operator, EVENTS.rated).state).to.equal(STATES.operator);
      const next = transition(thanked.state, EVENTS['new-conversation']).state;
      expect(next).to.deep.equal({ phase: 'bot', open: true, closingSoon: false });
      expect(transition(next, EVENTS.ended).state).to.deep.include({ phase: 'ended', rated: false });
    });

    it('hands the left message and context to the backend, then shows the ticket', () => {
      const left = transition(STATES['after-hours'], EVENTS['leave-message']);
      expect(left.command).to.deep.equal({ type: 'leave-message', text: 'Please call me back', context: { transactionId: 'm1' } });
      expect(left.state).to.deep.equal({ phase: 'message-left', open: false, closingSoon: false });
      expect(transition(left.state, EVENTS.ticket).state).to.deep.equal({ phase: 'message-left', open: false, closingSoon: false, ticket: 'T2002' });
    });

    it('returns to the offer when leaving a message fails before the ticket', () => {
      const pending: FlowState = { phase: 'message-left', open: false, closingSoon: false };
      expect(transition(pending, EVENTS['leave-message failed']).state.phase).to.equal('after-hours');
      expect(transition({ ...pending, open: true }, EVENTS['leave-message failed']).state.phase).to.equal('bot');
    });

    it('marks operators away when the backend refuses a request as unavailable', () => {
      expect(transition(STATES.requested, EVENTS['request failed, unavailable']).state).to.deep.equal({ phase: 'after-hours', open: false, closingSoon: false });
      expect(transition(STATES.requested, EVENTS['request failed, network']).state).to.deep.equal({ phase: 'bot', open: true, closingSoon: false });
    });

    it('shows typing until the other side says something', () => {
      const typing = transition(STATES.operator, EVENTS.typing).state;
      expect(typing.typing).to.equal(true);
      expect(transition(typing, message('user')).state).to.equal(typing);
      expect(transition(typing, message('operator')).state).to.deep.equal({ ...STATES.operator, typing: false });
      expect(transition(typing, { type: 'typing', role: 'operator', active: false }).state.typing).to.equal(false);
    });

    it('starts over in the bot phase, in the present hours, when the server lost the conversation', () => {
      // The conversation the server opened instead has no queue entry, operator, survey or ticket.
      const questioned = { ...STATES.operator, confirm: true, typing: true };
      expect(transition(questioned, EVENTS.lost)).to.deep.equal({ state: { phase: 'bot', open: true, closingSoon: false }, command: undefined });
      const ending = transition(STATES.operator, EVENTS.end).state;
      expect(transition(ending, EVENTS.lost).state, 'no chat to go back to').to.deep.equal({ phase: 'bot', open: true, closingSoon: false });
      // As a fresh start: after hours, only asking for an operator says they are away.
      expect(transition({ ...STATES['message-left'], closingSoon: true }, EVENTS.lost).state).to.deep.equal({ phase: 'bot', open: false, closingSoon: true });
    });

    it('keeps the open flag across phases and starts a new conversation with it', () => {
      const closed = { ...STATES.ended, open: false, closingSoon: false };
      expect(transition(closed, EVENTS['new-conversation']).state).to.deep.equal({ phase: 'bot', open: false, closingSoon: false });
    });
  });

  describe('replay', () => {
    const q = (seq: number, position: number): ServerEvent => ({ type: 'queue', seq, position, etaSeconds: position * 3 });
    const cases: Array<[string, ServerEvent[], Partial<FlowState>]> = [
      ['an empty history', [], { phase: 'bot' }],
      ['a queue still counting down', [message('bot'), q(2, 3), q(3, 2)], { phase: 'queued', position: 2, etaSeconds: 6 }],
      ['an operator who joined', [q(2, 3), q(3, 1), { type: 'operator-joined', seq: 4, name: '佐藤' }, message('operator')], { phase: 'operator', operator: '佐藤' }],
      ['a cancelled queue', [q(2, 3), q(3, 0), message('system')], { phase: 'bot' }],
      ['a queue dropped at closing', [q(2, 3), { type: 'hours', seq: 3, override: { state: 'closed' } }, q(4, 0), message('system')], { phase: 'after-hours', open: false }],
      ['a conversation the operator ended', [{ type: 'operator-joined', seq: 2, name: 'Sato' }, { type: 'ended', seq: 3, by: 'operator' }], { phase: 'ended', rated: false }],
      ['a message left after hours', [message('user'), { type: 'ticket', seq: 3, id: 'T1001' }, message('system')], { phase: 'message-left', ticket: 'T1001' }],
      ['an operator who left', [{ type: 'operator-joined', seq: 2, name: 'Sato' }, { type: 'operator-left', seq: 3 }], { phase: 'bot' }],
    ];
    for (const [label, events, expected] of cases) {
      it(`restores the phase from ${label}`, () => expect(replay(events)).to.deep.include(expected));
    }

    it('starts from the given state', () => {
      expect(replay([], STATES['after-hours'])).to.equal(STATES['after-hours']);
      expect(replay([q(1, 2)], initialState(false)).open).to.equal(false);
    });

    it('restores an operator chat from the reference backend history after a reload', () => {
      let now = Date.UTC(2025, 0, 15, 3, 0);
      const timers: Array<[number, () => void]> = [];
      const backend = createBackend({ now: () => now, random: () => 0, botDelayMs: 0, setTimer: (fn, ms) => timers.push([now + ms, fn]), clearTimer: () => {} });
      const { conversationId } = backend.open({ conversationId: null, cursor: 0, locale: 'en' });
      backend.receive(conversationId, { clientId: 'a', conversationId, text: 'refund', createdAt: now });
      backend.command(conversationId, { type: 'request-operator' });
      while (timers.length) {
        const [at, fn] = timers.shift()!;
        now = at;
        fn();
      }
      const history = backend.open({ conversationId, cursor: 0, locale: 'en' }).replay;
      expect(replay(history)).to.deep.equal({ phase: 'operator', open: true, closingSoon: false, operator: 'Sato' });
      backend.command(conversationId, { type: 'end' });
      expect(phaseOf(replay(backend.control.events(conversationId)))).to.equal('ended');
      backend.dispose();
    });
  });
});
