import { expect } from '@open-wc/testing';
import sinon from 'sinon';
import { deleteWidgetDatabases, uniqueUser, until } from '../helpers/harness.js';
import { FakeTransport } from '../helpers/fake-transport.js';
import { createChatSession, type ChatSession, type SessionReports } from '../../src/session/chat-session.js';
import type { ServerEvent } from '../../src/transport/types.js';
import type { UserEvent } from '../../src/flow/index.js';

type Report = [keyof SessionReports, unknown];

/** A session on a fake transport, started and online; `open`: whether operators work now. */
async function online(open = true) {
  const transport = new FakeTransport();
  const reports: Report[] = [];
  const session = createChatSession({
    transport,
    userId: uniqueUser(),
    locale: () => 'en',
    context: () => undefined,
    hours: () => ({ open, closingSoon: false }),
    report: (name, detail) => reports.push([name, detail]),
  });
  await session.start();
  await until(() => session.$connection.get() === 'online', 'never online');
  return { transport, reports, session };
}

/** Pushes a sequenced server event and waits for the flow to reach `phase`. */
async function serve(transport: FakeTransport, session: ChatSession, event: ServerEvent, phase: string) {
  transport.emit(event);
  await until(() => session.$flow.get().phase === phase, `not ${phase}: ${session.$flow.get().phase}`);
}

/** The browser reports no network, as `navigator.onLine` and the window's event say. */
const goOffline = () => {
  sinon.stub(navigator, 'onLine').get(() => false);
  window.dispatchEvent(new Event('offline'));
};

describe('ChatSession', () => {
  let session: ChatSession | undefined;

  afterEach(async () => {
    sinon.restore();
    session?.dispose();
    session = undefined;
    await deleteWidgetDatabases();
  });

  describe('flow commands while the browser is offline', () => {
    /** From each phase, the action that would send a command. */
    const cases: { name: string; open?: boolean; setup: (t: FakeTransport, s: ChatSession) => Promise<unknown>; act: UserEvent }[] = [
      { name: 'asking for an operator', setup: async () => {}, act: { type: 'ask-operator' } },
      {
        name: 'leaving a message for operators',
        open: false,
        // Asking after hours sends nothing: it only says so, and is allowed offline too.
        setup: async (_, s) => expect(s.act({ type: 'ask-operator' })).to.be.true,
        act: { type: 'leave-message', text: 'Please refund order m123.' },
      },
      {
        name: 'cancelling the queue',
        setup: async (t, s) => (s.act({ type: 'ask-operator' }), serve(t, s, { type: 'queue', seq: 1, position: 2 }, 'queued')),
        act: { type: 'cancel' },
      },
      { name: 'ending the chat', setup: (t, s) => serve(t, s, { type: 'operator-joined', seq: 1, name: 'Sato' }, 'operator'), act: { type: 'end' } },
      { name: 'rating', setup: (t, s) => serve(t, s, { type: 'ended', seq: 1, by: 'operator' }, 'ended'), act: { type: 'rate', score: 4 } },
    ];

    for (const { name, open, setup, act } of cases) {
      it(`refuses ${name} at once: the flow stays, nothing is sent, the user is told and the host gets mcs-error`, async () => {
        const made = await online(open);
        ({ session } = made);
        const { transport, reports } = made;
        await setup(transport, session);
        const before = session.$flow.get();
        const sent = transport.commands.length;
        reports.length = 0;
        goOffline();
        expect(session.act(act), 'refused').to.be.false;
        expect(session.$flow.get(), 'the flow did not move').to.equal(before);
        expect(session.$notice.get()).to.deep.equal({ key: 'flow.offline', code: 'transport' });
        expect(reports.map(([n]) => n)).to.deep.equal(['mcs-error']);
        expect(reports[0][1]).to.deep.include({ code: 'transport', recoverable: true });
        // Long enough for a command to have started on its way.
        await new Promise((resolve) => setTimeout(resolve, 50));
        expect(transport.commands, 'nothing sent').to.have.length(sent);
        expect(reports.map(([n]) => n), 'no phase change, nothing put back').to.deep.equal(['mcs-error']);
      });
    }

    it('takes the action once the browser is back online, and drops the offline notice', async () => {
      const made = await online(false);
      ({ session } = made);
      const { transport } = made;
      session.act({ type: 'ask-operator' });
      goOffline();
      expect(session.act({ type: 'leave-message', text: 'Call me back' })).to.be.false;
      sinon.restore();
      window.dispatchEvent(new Event('online'));
      session.resume();
      expect(session.$notice.get(), 'the notice went with the outage').to.be.null;
      expect(session.act({ type: 'leave-message', text: 'Call me back' })).to.be.true;
      expect(session.$flow.get().phase).to.equal('message-left');
      await until(() => transport.commands.length === 1, 'not sent');
      expect(transport.commands[0]).to.deep.include({ type: 'leave-message', text: 'Call me back' });
    });

    it('still leaves the queue when operators close while offline: that cancel is not the user\'s to refuse', async () => {
      const made = await online();
      ({ session } = made);
      session.act({ type: 'ask-operator' });
      await serve(made.transport, session, { type: 'queue', seq: 1, position: 2 }, 'queued');
      goOffline();
      expect(session.act({ type: 'closed' })).to.be.true;
      expect(session.$flow.get().phase).to.equal('after-hours');
    });
  });

  it('waits for the link while merely reconnecting (the browser online): the flow moves, and the command goes once the link is back', async () => {
    const made = await online();
    ({ session } = made);
    const { transport } = made;
    transport.connectBehaviour = 'retrying';
    transport.emit({ type: 'connection', status: 'reconnecting' });
    expect(session.act({ type: 'ask-operator' })).to.be.true;
    expect(session.$flow.get().phase).to.equal('requested');
    expect(session.$notice.get()).to.be.null;
    await until(() => transport.connects.length === 2, 'not reconnecting');
    transport.finishConnect();
    await until(() => transport.commands.length === 1, 'never sent');
    expect(transport.commands[0].type).to.equal('request-operator');
    expect(session.$flow.get().phase).to.equal('requested');
  });

  describe('when the server lost the conversation and opened another', () => {
    /** Reaches each phase on the first conversation, `c1`. */
    const phases: { phase: string; open?: boolean; setup: (t: FakeTransport, s: ChatSession) => Promise<unknown> }[] = [
      { phase: 'queued', setup: async (t, s) => (s.act({ type: 'ask-operator' }), serve(t, s, { type: 'queue', seq: 1, position: 2 }, 'queued')) },
      { phase: 'operator', setup: (t, s) => serve(t, s, { type: 'operator-joined', seq: 1, name: 'Sato' }, 'operator') },
      { phase: 'ended', setup: (t, s) => serve(t, s, { type: 'ended', seq: 1, by: 'operator' }, 'ended') },
      { phase: 'after-hours', open: false, setup: async (_, s) => s.act({ type: 'ask-operator' }) },
      {
        phase: 'message-left',
        open: false,
        setup: async (t, s) => (s.act({ type: 'ask-operator' }), s.act({ type: 'leave-message', text: 'Call me' }), serve(t, s, { type: 'ticket', seq: 1, id: 'T1' }, 'message-left')),
      },
    ];

    for (const { phase, open = true, setup } of phases) {
      it(`starts the flow over from ${phase}, in the bot phase and the present hours, and tells the host`, async () => {
        const made = await online(open);
        ({ session } = made);
        const { transport, reports } = made;
        await setup(transport, session);
        expect(session.$flow.get().phase).to.equal(phase);
        reports.length = 0;
        // The link came back to a server that no longer had c1.
        transport.emit({ type: 'connection', status: 'reconnecting' });
        transport.emit({ type: 'connection', status: 'online', conversationId: 'c2' });
        expect(session.$flow.get()).to.deep.equal({ phase: 'bot', open, closingSoon: false });
        expect(reports.filter(([n]) => n === 'mcs-phase')).to.deep.equal([['mcs-phase', { phase: 'bot', previous: phase }]]);
        expect(session.$messages.get(), 'the transcript starts over too').to.deep.equal([]);
      });
    }

    /** From each phase, a command that waits for the link while the server restarts. */
    const commands: { name: string; open?: boolean; setup: (t: FakeTransport, s: ChatSession) => Promise<unknown>; act: UserEvent }[] = [
      { name: 'a request for an operator', setup: async () => {}, act: { type: 'ask-operator' } },
      { name: 'an end', setup: (t, s) => serve(t, s, { type: 'operator-joined', seq: 1, name: 'Sato' }, 'operator'), act: { type: 'end' } },
      { name: 'a survey rating', setup: (t, s) => serve(t, s, { type: 'ended', seq: 1, by: 'operator' }, 'ended'), act: { type: 'rate', score: 5 } },
      { name: 'a message for operators', open: false, setup: async (_, s) => s.act({ type: 'ask-operator' }), act: { type: 'leave-message', text: 'Call me' } },
    ];

    for (const { name, open, setup, act } of commands) {
      it(`does not send ${name} meant for the lost conversation to the new one`, async () => {
        const made = await online(open);
        ({ session } = made);
        const { transport, reports } = made;
        await setup(transport, session);
        transport.connectBehaviour = 'retrying';
        transport.emit({ type: 'connection', status: 'reconnecting' });
        expect(session.act(act)).to.be.true;
        await until(() => transport.connects.length === 2, 'not reconnecting');
        reports.length = 0;
        transport.opens = 'c2';
        transport.finishConnect();
        await until(() => made.session.$connection.get() === 'online', 'never online');
        await new Promise((resolve) => setTimeout(resolve, 50));
        expect(transport.commands, 'nothing sent').to.deep.equal([]);
        expect(session.$flow.get().phase).to.equal('bot');
        expect(session.$notice.get(), 'nothing to retry: the new conversation never had it').to.be.null;
        // A message for operators goes back to the composer, to send again if still wanted.
        expect(reports.filter(([n]) => n === 'unsent')).to.deep.equal(act.type === 'leave-message' ? [['unsent', 'Call me']] : []);
        expect(reports.some(([n]) => n === 'mcs-error')).to.be.false;
      });
    }

    it('does not show the old conversation\'s survey as answered in the new one', async () => {
      const made = await online();
      ({ session } = made);
      const { transport } = made;
      await serve(transport, session, { type: 'ended', seq: 1, by: 'operator' }, 'ended');
      transport.connectBehaviour = 'retrying';
      transport.emit({ type: 'connection', status: 'reconnecting' });
      session.act({ type: 'rate', score: 5 });
      await until(() => transport.connects.length === 2, 'not reconnecting');
      transport.opens = 'c2';
      transport.finishConnect();
      await until(() => made.session.$connection.get() === 'online', 'never online');
      // The new conversation ends: its own survey is asked.
      await serve(transport, session, { type: 'ended', seq: 1, by: 'operator' }, 'ended');
      expect(session.$flow.get().rated).to.equal(false);
    });
  });
});
