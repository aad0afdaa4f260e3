import { expect } from '@open-wc/testing';
import { ChatHarness, deleteWidgetDatabases, NIGHT_JST, NOON_JST, uniqueUser } from '../helpers/harness.js';
import { FakeTransport } from '../helpers/fake-transport.js';
import { connected, goOffline, nextSeq, waitUntil } from './states.js';
import { click, deleteOwnDatabases, mockBackend, mount, newUser, rows, unmountAll, type MockBackend } from '../e2e/helpers.js';

/** Lets pending store updates, renders and announcements settle. */
const settle = async (chat: ChatHarness) => {
  await new Promise((resolve) => setTimeout(resolve, 100));
  await chat.el.updateComplete;
};

async function openChat(options: { userId?: string; now?: number; locale?: string } = {}) {
  const transport = new FakeTransport();
  const chat = await ChatHarness.create({ transport, open: true, userId: options.userId, locale: options.locale, now: () => options.now ?? NOON_JST });
  await connected(chat, transport);
  return { chat, transport, said: chat.recordAnnouncements() };
}

describe('screen-reader announcements', () => {
  let restore = () => {};
  afterEach(async () => {
    restore();
    restore = () => {};
    await deleteWidgetDatabases();
  });

  describe('structure', () => {
    it('has one polite live region; the transcript is a log that stays silent and the typing indicator is outside it', async () => {
      const { chat } = await openChat();
      const live = chat.$$('[aria-live], [role="status"], [role="alert"]').filter((e) => e.getAttribute('aria-live') !== 'off');
      expect(live).to.have.length(1);
      expect(live[0].getAttribute('aria-live')).to.equal('polite');
      // aria-atomic would make every new line re-read the older ones.
      expect(live[0].hasAttribute('aria-atomic')).to.be.false;
      const log = chat.$('[role="log"]')!;
      expect(log.getAttribute('aria-live')).to.equal('off');
      expect(log.getAttribute('aria-label')).to.equal('Conversation');
      expect(log.contains(chat.$('.typing'))).to.be.false;
    });
  });

  describe('messages', () => {
    it('announces N new messages exactly N times, each with its sender', async () => {
      const { chat, transport, said } = await openChat();
      transport.say({ text: 'One' });
      transport.say({ text: 'Two **bold**' });
      transport.say({ role: 'operator', author: 'Aiko', text: 'Three' });
      transport.say({ role: 'system', text: 'Four' });
      transport.say({ text: 'One' });
      await waitUntil(() => chat.bubbles.length === 5);
      await settle(chat);
      expect(said).to.deep.equal(['Support bot: One', 'Support bot: Two bold', 'Aiko: Three', 'Notice: Four', 'Support bot: One']);
    });

    it('reads paragraphs, lines and list items as separate phrases, not as words run together', async () => {
      const { chat, transport, said } = await openChat();
      transport.say({ role: 'operator', author: 'Aiko', text: 'Hello.\n\nSecond paragraph\nnext line\n\n- one\n- two\n\n**Bold** end' });
      await chat.waitForBubble('Hello.');
      await settle(chat);
      expect(said).to.deep.equal(['Aiko: Hello. Second paragraph next line one two Bold end']);
    });

    it('announces in the UI language', async () => {
      const { chat, transport, said } = await openChat({ locale: 'ja' });
      transport.say({ text: 'こんにちは' });
      await waitUntil(() => chat.bubbles.length === 1);
      await settle(chat);
      expect(said).to.deep.equal(['サポートボット: こんにちは']);
    });

    it('does not announce the user’s own messages, re-renders, or a pushed duplicate', async () => {
      const { chat, transport, said } = await openChat();
      await chat.type('my question');
      await waitUntil(() => transport.sent.length === 1);
      const event = { type: 'message' as const, seq: nextSeq(), message: { id: 'dup', role: 'bot' as const, text: 'Once', at: 1 } };
      transport.emit(event);
      transport.emit(event);
      await chat.waitForBubble('Once');
      for (let i = 0; i < 3; i++) {
        chat.el.requestUpdate();
        await chat.el.updateComplete;
      }
      await settle(chat);
      expect(said).to.deep.equal(['Support bot: Once']);
    });

    it('stays silent while older messages slide into the window as the user scrolls back', async () => {
      const { chat, transport, said } = await openChat();
      for (let i = 1; i <= 60; i++) transport.say({ text: `m${i}` });
      await waitUntil(() => chat.bubbles.includes('m60'));
      await settle(chat);
      expect(said).to.have.length(60);
      const log = chat.$('.log')!;
      log.scrollTop = 0;
      log.dispatchEvent(new Event('scroll'));
      await waitUntil(() => chat.bubbles[0] !== 'm21', 'window did not slide');
      await settle(chat);
      expect(said).to.have.length(60);
    });

    it('announces nothing of the stored history after a reload, then each new message once', async () => {
      const userId = uniqueUser();
      const first = await openChat({ userId });
      first.transport.emit({ type: 'operator-joined', seq: nextSeq(), name: 'Aiko' });
      first.transport.say({ role: 'operator', author: 'Aiko', text: 'Earlier answer' });
      await first.chat.waitForBubble('Earlier answer');
      await settle(first.chat);
      first.chat.el.remove();

      const transport = new FakeTransport();
      const chat = await ChatHarness.create({ transport, open: true, userId, now: () => NOON_JST });
      const said = chat.recordAnnouncements();
      await chat.waitForBubble('Earlier answer');
      await connected(chat, transport);
      await settle(chat);
      expect(chat.phase).to.contain('Aiko');
      expect(said).to.deep.equal([]);
      transport.say({ role: 'operator', author: 'Aiko', text: 'New answer' });
      await chat.waitForBubble('New answer');
      await settle(chat);
      expect(said).to.deep.equal(['Aiko: New answer']);
    });

    it('announces a message that arrives while closed (the badge shows it to the eye), nothing else, and nothing old on opening', async () => {
      const transport = new FakeTransport();
      const chat = await ChatHarness.create({ transport, open: true, now: () => NOON_JST });
      await connected(chat, transport);
      transport.emit({ type: 'operator-joined', seq: nextSeq(), name: 'Aiko' });
      await waitUntil(() => /Aiko/.test(chat.phase));
      chat.el.hide();
      await chat.el.updateComplete;
      const said = chat.recordAnnouncements();
      transport.emit({ type: 'typing', role: 'operator', active: true, name: 'Aiko' });
      transport.say({ role: 'operator', author: 'Aiko', text: 'While closed' });
      await waitUntil(() => /1 unread/.test(chat.launcher.getAttribute('aria-label')!));
      await settle(chat);
      expect(said).to.deep.equal(['Aiko: While closed']);
      // Inside the hidden panel it would be out of the accessibility tree, and never read.
      expect(chat.live.getClientRects().length, 'the live region is rendered').to.equal(1);
      await chat.openPanel();
      await settle(chat);
      expect(said).to.deep.equal(['Aiko: While closed']);
    });
  });

  describe('typing', () => {
    it('announces the typing indicator once per episode', async () => {
      const { chat, transport, said } = await openChat();
      transport.emit({ type: 'operator-joined', seq: nextSeq(), name: 'Aiko' });
      await waitUntil(() => /Aiko/.test(chat.phase));
      for (let i = 0; i < 3; i++) {
        transport.emit({ type: 'typing', role: 'operator', active: true, name: 'Aiko' });
        await settle(chat);
      }
      transport.say({ role: 'operator', author: 'Aiko', text: 'Done' });
      await chat.waitForBubble('Done');
      await settle(chat);
      transport.emit({ type: 'typing', role: 'operator', active: true, name: 'Aiko' });
      await settle(chat);
      expect(said).to.deep.equal(['You are chatting with Aiko.', 'Aiko is typing…', 'Aiko: Done', 'Aiko is typing…']);
    });
  });

  describe('status changes', () => {
    it('announces going offline once, and each message saved for later', async () => {
      const { chat, transport, said } = await openChat();
      transport.sendBehaviour = 'hang';
      restore = goOffline();
      // What an adapter reports when the network goes: the connection dropped.
      transport.emit({ type: 'connection', status: 'offline' });
      await settle(chat);
      await chat.type('first');
      await chat.type('second');
      await settle(chat);
      expect(said).to.deep.equal(['You are offline. Messages will be sent when you are back online.', 'Will send when online', 'Will send when online']);
    });

    it('announces a failed send', async () => {
      const { chat, transport, said } = await openChat();
      transport.sendBehaviour = 'reject-permanent';
      await chat.type('rejected');
      await waitUntil(() => chat.$('.msg.failed'));
      await settle(chat);
      expect(said).to.deep.equal(['This message could not be sent.']);
    });

    it('announces the queue, each new position, the operator joining and the end', async () => {
      const { chat, transport, said } = await openChat();
      chat.el.requestOperator();
      await settle(chat);
      transport.emit({ type: 'queue', seq: nextSeq(), position: 2 });
      await waitUntil(() => /number 2/.test(chat.phase));
      transport.emit({ type: 'queue', seq: nextSeq(), position: 2 });
      transport.emit({ type: 'queue', seq: nextSeq(), position: 1 });
      await waitUntil(() => /number 1/.test(chat.phase));
      transport.emit({ type: 'operator-joined', seq: nextSeq(), name: 'Aiko' });
      await waitUntil(() => /Aiko/.test(chat.phase));
      transport.emit({ type: 'ended', seq: nextSeq(), by: 'operator' });
      await waitUntil(() => chat.$('.survey'));
      await settle(chat);
      expect(said).to.deep.equal([
        'Connecting you to an operator…',
        'You are number 2 in line.',
        'You are number 1 in line.',
        'You are chatting with Aiko.',
        'This conversation has ended.',
      ]);
    });

    it('announces that operators are away and when they are back', async () => {
      const { chat, said } = await openChat({ now: NIGHT_JST });
      chat.el.requestOperator();
      await waitUntil(() => chat.$('.phase .primary'));
      await settle(chat);
      expect(said).to.have.length(1);
      expect(said[0]).to.match(/^Operators are away right now\. They will be back .*10:00/);
    });

    it('announces a storage problem once', async () => {
      const { chat, said } = await openChat();
      const session = (chat.el as unknown as { session: { $notice: { set(n: object): void } } }).session;
      session.$notice.set({ key: 'outbox.memory', code: 'storage' });
      await settle(chat);
      session.$notice.set({ key: 'outbox.memory', code: 'storage' });
      await settle(chat);
      expect(said).to.deep.equal(['This device cannot save messages right now. Keep this page open until they are sent.']);
    });
  });

  describe('a message left for operators, with the reference backend', () => {
    let mock: MockBackend | undefined;
    afterEach(async () => {
      unmountAll();
      mock?.stop();
      mock = undefined;
      await deleteOwnDatabases();
    });

    for (const [locale, leave, confirmed, ticket] of [
      ['en', 'Leave a message for an operator', /^Your message was passed to our operators, who will reply as soon as they can\. They will be back /, 'Notice: Your ticket number is T1001.'],
      ['ja', 'オペレーターにメッセージを残す', /^メッセージをオペレーターにお渡ししました。順次ご返信します。.*から対応します。$/, 'お知らせ: 受付番号は T1001 です。'],
    ] as const) {
      it(`confirms it once, then says only what is new: the ticket number (${locale})`, async () => {
        mock = await mockBackend({ now: () => NIGHT_JST, botDelayMs: 0 });
        const chat = await mount({ endpoint: mock.wsUrl, userId: newUser(), locale, now: () => NIGHT_JST });
        await waitUntil(() => chat.bubbles.length, 'no greeting');
        chat.el.requestOperator();
        await click(chat, leave);
        await settle(chat);
        const said = chat.recordAnnouncements();
        await chat.type(locale == 'ja' ? '明日お電話ください' : 'Please call me tomorrow');
        await waitUntil(() => rows(chat).some((r) => r.role === 'system' && r.text.includes('T1001')), 'no ticket');
        await settle(chat);
        expect(said).to.have.length(2);
        expect(said[0]).to.match(confirmed);
        expect(said[1]).to.equal(ticket);
      });
    }
  });
});
