import { expect, fixture, html, oneEvent } from '@open-wc/testing';
import { waitUntil } from '../helpers/wait.js';
import sinon from 'sinon';
import { ChatHarness, deleteWidgetDatabases, NOON_JST, uniqueUser, until } from '../helpers/harness.js';
import { FakeTransport } from '../helpers/fake-transport.js';
import { TransportError } from '../../src/transport/types.js';
import { en } from '../../src/i18n/en.js';
import type { MercariChatSupport } from '../../src/element/mercari-chat-support.js';

/** A 1×1 PNG. */
const PNG = Uint8Array.from(atob('iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mP8z8BQDwAEhQGAhKmMIQAAAABJRU5ErkJggg=='), (c) => c.charCodeAt(0));

/** Fake timers for the widget's own timeouts and backoff; IndexedDB, rendering and promises keep real time. */
const fakeClock = (now?: number) => sinon.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout', 'Date'], now, shouldClearNativeTimers: true });

const echoBot = (text: string) => ({ text: `Bot: ${text}`, quickReplies: [{ id: 'ship', label: 'Shipping' }] });

/** Two animation frames: layout, resize observers and image decoding have had their turn. */
const frames = () => new Promise((resolve) => requestAnimationFrame(() => requestAnimationFrame(resolve)));

/** How far the transcript's end is below what it shows, in px (0: the newest message is in view). */
const gap = (log: HTMLElement) => log.scrollHeight - log.scrollTop - log.clientHeight;

/** An open widget, connected, whose transcript overflows: twelve three-line bot messages. */
async function overflowing() {
  const transport = new FakeTransport();
  const chat = await ChatHarness.create({ transport, open: true });
  await until(() => transport.connects.length === 1, 'never connected');
  for (let i = 0; i < 12; i++) transport.say({ text: `line ${i}\nmore\nmore` });
  await until(() => chat.bubbles.length >= 12, 'no messages');
  return { transport, chat, log: chat.$('.log')! };
}

describe('<mercari-chat-support>', () => {
  afterEach(async () => {
    sinon.restore();
    await deleteWidgetDatabases();
  });

  it('renders only a labelled launcher until first opened, then keeps the dialog (hidden when closed)', async () => {
    const chat = await ChatHarness.create({ transport: new FakeTransport() });
    expect(chat.launcher.getAttribute('aria-label')).to.equal('Chat support');
    expect(chat.launcher.getAttribute('aria-expanded')).to.equal('false');
    expect(chat.$('[part~="panel"]'), 'no dialog in the DOM before the first open').to.equal(null);
    const shown = (selector: string) => chat.$$(selector).filter((e) => e.getClientRects().length);
    expect(shown('.launcher svg'), 'one icon').to.have.length(1);
    expect(shown('.launcher path')[0].getAttribute('d'), 'the chat bubble').to.match(/^M4 3h16/);
    expect(shown('.badge'), 'no unread count').to.have.length(0);
    expect(chat.root.adoptedStyleSheets, "only the launcher's rules").to.have.length(1);
    await chat.openPanel();
    expect(chat.root.adoptedStyleSheets, "the panel's rules as well").to.have.length(2);
    expect(getComputedStyle(chat.panel).position, 'the dialog is styled').to.equal('fixed');
    expect(shown('.launcher svg'), 'one icon').to.have.length(1);
    expect(shown('.launcher path')[0].getAttribute('d'), 'the close cross').to.match(/^M6.4 5 5 6.4/);
    // Now it closes: a name that said "open" would contradict what it does.
    expect(chat.launcher.getAttribute('aria-label')).to.equal('Chat support');
    expect(chat.launcher.getAttribute('aria-expanded')).to.equal('true');
    expect(chat.panel.getAttribute('role')).to.equal('dialog');
    expect(chat.$('[role="log"]')).to.exist;
    chat.input.value = 'a draft';
    chat.launcher.click();
    await chat.el.updateComplete;
    expect(chat.panel.hidden).to.be.true;
    expect(chat.input.value, 'the draft survives closing').to.equal('a draft');
  });

  it("takes the panel's stylesheet when a pointer or keyboard focus reaches the launcher, before the click", async () => {
    for (const type of ['pointerenter', 'focus']) {
      const chat = await ChatHarness.create({ transport: new FakeTransport() });
      chat.launcher.dispatchEvent(new Event(type));
      expect(chat.root.adoptedStyleSheets, type).to.have.length(2);
      expect(chat.$('[part~="panel"]'), 'the dialog itself still waits for the click').to.equal(null);
      chat.el.remove();
    }
  });

  it('is accessible, closed and open', async () => {
    const chat = await ChatHarness.create({ transport: new FakeTransport() });
    await expect(chat.el).to.be.accessible();
    await chat.openPanel();
    await expect(chat.el).to.be.accessible();
  });

  describe('opening and closing', () => {
    it('opens from the launcher, moves focus to the composer, and fires mcs-open', async () => {
      const chat = await ChatHarness.create({ transport: new FakeTransport() });
      const opened = oneEvent(chat.el, 'mcs-open');
      chat.launcher.click();
      await opened;
      expect(chat.el.open).to.be.true;
      expect(chat.el.hasAttribute('open')).to.be.true;
      expect(chat.el.shadowRoot!.activeElement).to.equal(chat.input);
    });

    it('closes on Escape, returns focus to the launcher, and fires mcs-close', async () => {
      const chat = await ChatHarness.create({ transport: new FakeTransport() });
      await chat.openPanel();
      const closed = oneEvent(chat.el, 'mcs-close');
      chat.input.dispatchEvent(new KeyboardEvent('keydown', { key: 'Escape', bubbles: true, composed: true }));
      await closed;
      await chat.el.updateComplete;
      expect(chat.panel.hidden).to.be.true;
      expect(chat.el.shadowRoot!.activeElement).to.equal(chat.launcher);
    });

    it('follows the open attribute and show()/hide()', async () => {
      const el = await fixture<MercariChatSupport>(html`<mercari-chat-support open user-id=${uniqueUser()} .transport=${new FakeTransport()}></mercari-chat-support>`);
      const panel = el.shadowRoot!.querySelector<HTMLElement>('.panel')!;
      expect(panel.hidden).to.be.false;
      el.hide();
      await el.updateComplete;
      expect(panel.hidden).to.be.true;
      el.show();
      await el.updateComplete;
      expect(panel.hidden).to.be.false;
    });

    it('sits in the page flow, always open and without a launcher, with position="inline"', async () => {
      const el = await fixture<MercariChatSupport>(html`<mercari-chat-support position="inline" user-id=${uniqueUser()} .transport=${new FakeTransport()}></mercari-chat-support>`);
      const root = el.shadowRoot!;
      const panel = root.querySelector<HTMLElement>('.panel')!;
      expect(el.open).to.be.true;
      expect(panel.getClientRects().length, 'the dialog shows').to.be.greaterThan(0);
      expect(getComputedStyle(panel).position).to.equal('relative');
      expect(root.querySelector('.launcher')!.getClientRects().length, 'no launcher').to.equal(0);
      expect(root.querySelector('[part~="panel"] [aria-label="Close chat"]'), 'nothing to close').to.equal(null);
    });

    it('makes no connection until first opened', async () => {
      const transport = new FakeTransport();
      const chat = await ChatHarness.create({ transport });
      expect(transport.connects).to.have.length(0);
      await chat.openPanel();
      await waitUntil(() => transport.connects.length === 1);
    });
  });

  describe('conversation', () => {
    it('asks again after a reload for a rating the server refused with a conflict (it came before the end)', async () => {
      const userId = uniqueUser();
      const survey = (chat: ChatHarness) => {
        const form = chat.$<HTMLFormElement>('form.survey');
        return !form ? 'none' : form.hidden ? 'thanks' : 'form';
      };
      // HTTP posts "end" and "rate" side by side: the server may see the rating first.
      const transport = new FakeTransport();
      transport.command = async (command) => {
        transport.commands.push(command);
        if (command.type === 'rate') throw new TransportError('conflict', 'Only an ended conversation can be rated', false);
      };
      const chat = await ChatHarness.create({ transport, userId, open: true });
      await until(() => transport.connects.length > 0);
      transport.emit({ type: 'ended', seq: 1, by: 'operator' });
      await until(() => survey(chat) === 'form');
      chat.$<HTMLInputElement>('form.survey input[value="5"]')!.click();
      chat.$$<HTMLButtonElement>('form.survey button').find((b) => b.textContent === en['survey.submit'])!.click();
      await until(() => transport.commands.some((c) => c.type === 'rate'));
      await new Promise((resolve) => setTimeout(resolve, 100));
      chat.el.remove();

      const again = await ChatHarness.create({ transport: new FakeTransport(), userId, open: true });
      await until(() => survey(again) !== 'none');
      expect(survey(again), 'the server keeps no rating').to.equal('form');
    });

    it('keeps a message sent just before the widget is removed or its user changes, and sends it as that user only', async () => {
      for (const leave of ['removed', 'user changed'] as const) {
        const userId = uniqueUser();
        const transport = new FakeTransport();
        // Closed: `send` opens the session, whose storage is still loading when the widget goes.
        const chat = await ChatHarness.create({ transport, userId });
        const sent = chat.el.send(`my order number (${leave})`);
        if (leave === 'removed') chat.el.remove();
        else chat.el.userId = uniqueUser();
        expect(await sent, leave).to.be.a('string');
        await new Promise((resolve) => setTimeout(resolve, 300));
        expect(transport.sent, `${leave}: sent for the next user`).to.deep.equal([]);
        const next = new FakeTransport();
        await ChatHarness.create({ transport: next, userId, open: true });
        await until(() => next.sent.length === 1, `${leave}: the message was lost`);
        expect(next.sent.map((m) => [m.clientId, m.text])).to.deep.equal([[await sent, `my order number (${leave})`]]);
      }
    });

    it('sends a typed message and shows the reply, firing mcs-message-sent and mcs-message', async () => {
      const transport = new FakeTransport();
      transport.botReply = echoBot;
      const chat = await ChatHarness.create({ transport, open: true });
      const sent = oneEvent(chat.el, 'mcs-message-sent');
      const received = oneEvent(chat.el, 'mcs-message');
      await chat.type('Where is my parcel?');
      expect((await sent).detail.text).to.equal('Where is my parcel?');
      expect((await received).detail.text).to.equal('Bot: Where is my parcel?');
      await chat.waitForBubble('Bot: Where is my parcel?');
      expect(chat.bubbles).to.deep.equal(['Where is my parcel?', 'Bot: Where is my parcel?']);
      expect(chat.input.value).to.equal('');
      expect(transport.sent[0].clientId).to.match(/^[0-9a-f-]{36}$/);
    });

    it('sends a quick reply as the user', async () => {
      const transport = new FakeTransport();
      transport.botReply = echoBot;
      const chat = await ChatHarness.create({ transport, open: true });
      await chat.type('hi');
      await waitUntil(() => chat.$('.chip'));
      chat.$<HTMLButtonElement>('.chip')!.click();
      await chat.waitForBubble('Bot: Shipping');
      expect(transport.sent.map((m) => m.text)).to.deep.equal(['hi', 'Shipping']);
    });

    it('offers one "talk to an operator" control: the bot’s own quick reply when it has one, else the composer’s button', async () => {
      const transport = new FakeTransport();
      const chat = await ChatHarness.create({ transport, open: true });
      await chat.type('hi');
      await until(() => transport.sent.length === 1, 'never sent');
      const asks = () => chat.$$('button').filter((b) => /operator/i.test(b.textContent ?? '')).map((b) => b.textContent!.trim());
      await waitUntil(() => chat.$('[part~="ask-operator"]'));
      expect(asks()).to.deep.equal(['Talk to an operator']);
      transport.say({ text: 'Shall I connect you?', quickReplies: [{ id: 'op', label: 'Yes, an operator please', action: 'operator' }] });
      await chat.waitForBubble('Shall I connect you?');
      expect(asks()).to.deep.equal(['Yes, an operator please']);
      transport.say({ text: 'Anything else?' });
      await chat.waitForBubble('Anything else?');
      expect(asks()).to.deep.equal(['Talk to an operator']);
    });

    it('drops the bot’s "talk to an operator" quick reply while one is asked for or chatting, and keeps its others', async () => {
      const transport = new FakeTransport();
      const chat = await ChatHarness.create({ transport, open: true, now: () => NOON_JST });
      await until(() => transport.connects.length === 1, 'never connected');
      transport.say({ text: 'Shall I connect you?', quickReplies: [{ id: 'op', label: 'Yes, an operator please', action: 'operator' }, { id: 'ship', label: 'Shipping' }] });
      await chat.waitForBubble('Shall I connect you?');
      const chips = () => chat.$$('.chip').map((b) => b.textContent!.trim());
      expect(chips()).to.deep.equal(['Yes, an operator please', 'Shipping']);
      chat.$<HTMLButtonElement>('.chip')!.click();
      await until(() => transport.commands.length === 1, 'no operator asked for');
      transport.emit({ type: 'queue', seq: 10, position: 2 });
      await until(() => chat.phase.includes('number 2'), `not queued: ${chat.phase}`);
      // Pressed again, it would do nothing but report an error: the user is already in line.
      expect(chips(), 'queued').to.deep.equal(['Shipping']);
      transport.emit({ type: 'operator-joined', seq: 11, name: 'Sato' });
      await until(() => chat.phase.includes('Sato'), `no operator: ${chat.phase}`);
      expect(chips(), 'with the operator').to.deep.equal(['Shipping']);
    });

    it('never sends on Enter during IME composition, and Shift+Enter is a newline', async () => {
      const transport = new FakeTransport();
      const chat = await ChatHarness.create({ transport, open: true });
      await chat.type('にほんご', { isComposing: true });
      chat.input.dispatchEvent(new CompositionEvent('compositionstart'));
      await chat.type('にほんご');
      chat.input.dispatchEvent(new CompositionEvent('compositionend'));
      await chat.type('two\nlines', { shiftKey: true });
      expect(transport.sent).to.have.length(0);
      await chat.type('送信');
      await waitUntil(() => transport.sent.length === 1);
      expect(transport.sent[0].text).to.equal('送信');
    });

    it('ignores blank messages', async () => {
      const transport = new FakeTransport();
      const chat = await ChatHarness.create({ transport, open: true });
      await chat.type('   \n ');
      expect(chat.bubbles).to.have.length(0);
      expect(await chat.el.send('  ')).to.be.undefined;
    });

    it('counts unread replies on the launcher while closed', async () => {
      const transport = new FakeTransport();
      const chat = await ChatHarness.create({ transport, open: true });
      chat.el.hide();
      await chat.el.updateComplete;
      await waitUntil(() => transport.connects.length === 1);
      transport.say({ text: 'One' });
      transport.say({ text: 'Two' });
      await waitUntil(() => chat.launcher.getAttribute('aria-label') !== 'Chat support');
      expect(chat.launcher.getAttribute('aria-label')).to.equal('Chat support, 2 unread');
      const badge = chat.$<HTMLElement>('.badge')!;
      expect(badge.getClientRects().length, 'the count shows').to.be.greaterThan(0);
      expect(badge.textContent).to.equal('2');
      await chat.openPanel();
      expect(badge.getClientRects().length, 'and goes once read').to.equal(0);
      expect(chat.launcher.getAttribute('aria-label')).to.equal('Chat support');
    });

    it('renders a message pushed twice only once', async () => {
      const transport = new FakeTransport();
      const chat = await ChatHarness.create({ transport, open: true });
      await waitUntil(() => transport.connects.length === 1);
      const event = { type: 'message' as const, seq: 7, message: { id: 'm7', role: 'bot' as const, text: 'Once', at: 1 } };
      transport.emit(event);
      transport.emit(event);
      await chat.waitForBubble('Once');
      transport.say({ text: 'After' });
      await chat.waitForBubble('After');
      expect(chat.bubbles).to.deep.equal(['Once', 'After']);
    });

    it('keeps two widgets on one page independent', async () => {
      const a = new FakeTransport();
      const b = new FakeTransport();
      const [first, second] = await Promise.all(
        [a, b].map(async (transport) => new ChatHarness(await fixture<MercariChatSupport>(html`<mercari-chat-support open user-id=${uniqueUser()} .transport=${transport}></mercari-chat-support>`))),
      );
      await first.type('only in the first');
      await until(() => a.sent.length === 1, 'the first widget never sent');
      await second.el.updateComplete;
      expect(second.bubbles).to.deep.equal([]);
      expect(b.sent).to.have.length(0);
    });
  });

  describe('offline', () => {
    /** The browser reports no network until the returned function brings it back. */
    const goOffline = () => {
      const stub = sinon.stub(navigator, 'onLine').get(() => false);
      window.dispatchEvent(new Event('offline'));
      return () => {
        stub.restore();
        window.dispatchEvent(new Event('online'));
      };
    };
    const OFFLINE = 'You are offline. Try again when you are back online.';
    const phaseButton = (chat: ChatHarness, name: RegExp) => chat.$$<HTMLButtonElement>('[part~="phase"] button').find((b) => name.test(b.textContent!));

    /** A connected widget; the host's phases and errors are recorded. */
    async function connected(now?: () => number) {
      const transport = new FakeTransport();
      const chat = await ChatHarness.create({ transport, open: true, now });
      const phases: string[] = [];
      const errors: { code: string; recoverable: boolean }[] = [];
      chat.el.addEventListener('mcs-phase', (e) => phases.push(e.detail.phase));
      chat.el.addEventListener('mcs-error', (e) => errors.push({ code: e.detail.code, recoverable: e.detail.recoverable }));
      await until(() => transport.connects.length === 1 && chat.el['session']!.$connection.get() === 'online', 'never connected');
      return { transport, chat, phases, errors };
    }

    it('refuses to ask for an operator: the bot stays, nothing is sent, the user is told; back online the button asks', async () => {
      const { transport, chat, phases, errors } = await connected(() => NOON_JST);
      await until(() => chat.$('[part~="ask-operator"]'), 'no way to ask for an operator');
      const online = goOffline();
      expect(chat.el.requestOperator(), 'refused').to.be.false;
      await chat.el.updateComplete;
      expect(chat.notice).to.contain(OFFLINE);
      await until(() => chat.live.textContent!.includes(OFFLINE), 'not announced');
      expect(errors).to.deep.equal([{ code: 'transport', recoverable: true }]);
      expect(chat.phase, 'no "connecting you to an operator"').to.equal('');
      expect(phases).to.deep.equal([]);
      online();
      await chat.el.updateComplete;
      expect(chat.notice, 'the refusal goes with the outage').to.equal('');
      chat.$<HTMLButtonElement>('[part~="ask-operator"]')!.click();
      await until(() => transport.commands.length === 1, 'not asked');
      expect(transport.commands[0].type).to.equal('request-operator');
      expect(phases).to.deep.equal(['requested']);
    });

    it('keeps a message for operators in the composer instead of claiming it was passed on; back online it goes', async () => {
      // 21:00 in Tokyo: operators are away.
      const { transport, chat, errors } = await connected(() => Date.UTC(2026, 0, 5, 12));
      await until(() => chat.$('[part~="ask-operator"]'), 'no way to ask for an operator');
      chat.el.requestOperator();
      await until(() => phaseButton(chat, /Leave a message/), 'no way to leave a message');
      phaseButton(chat, /Leave a message/)!.click();
      await chat.el.updateComplete;
      const online = goOffline();
      const text = 'Please refund order m123: the item arrived broken.';
      await chat.type(text);
      expect(chat.input.value, 'the text stays with the user').to.equal(text);
      expect(chat.input.placeholder, 'still leaving a message').to.equal(en['flow.leavePlaceholder']);
      expect(chat.phase).to.not.contain('passed');
      expect(chat.notice).to.contain(OFFLINE);
      expect(errors.map((e) => e.code)).to.deep.equal(['transport']);
      await new Promise((resolve) => setTimeout(resolve, 50));
      expect(transport.commands, 'nothing sent').to.deep.equal([]);
      online();
      await chat.type(text);
      await until(() => transport.commands.length === 1, 'not sent when back online');
      expect(transport.commands[0]).to.deep.include({ type: 'leave-message', text });
      expect(chat.phase).to.contain('passed');
      expect(chat.input.value).to.equal('');
    });

    it('keeps the user in the queue rather than leave it on screen only; back online Cancel leaves it', async () => {
      const { transport, chat, phases } = await connected(() => NOON_JST);
      chat.el.requestOperator();
      transport.emit({ type: 'queue', seq: 1, position: 2 });
      await until(() => chat.phase.includes('number 2'), `not queued: ${chat.phase}`);
      const online = goOffline();
      phaseButton(chat, /Cancel/)!.click();
      await chat.el.updateComplete;
      expect(chat.phase, 'the queue stays shown, as the server has it').to.contain('number 2');
      expect(chat.notice).to.contain(OFFLINE);
      expect(transport.commands.map((c) => c.type)).to.deep.equal(['request-operator']);
      online();
      phaseButton(chat, /Cancel/)!.click();
      await until(() => transport.commands.length === 2, 'cancel not sent');
      expect(transport.commands[1].type).to.equal('cancel-operator');
      expect(phases).to.deep.equal(['requested', 'queued', 'bot']);
    });

    it('refuses to end the chat or send the survey: the operator and the survey, as filled in, stay', async () => {
      const { transport, chat, errors } = await connected();
      transport.emit({ type: 'operator-joined', seq: 1, name: 'Sato' });
      await until(() => phaseButton(chat, /End chat/), 'no way to end the chat');
      let online = goOffline();
      expect(chat.el.endConversation(), 'refused').to.be.false;
      // The panel's button asks first; the answer is what is refused, and the question stays.
      phaseButton(chat, /End chat/)!.click();
      await chat.el.updateComplete;
      chat.$$<HTMLButtonElement>('.phase button')[1]!.click();
      await chat.el.updateComplete;
      expect(chat.$('.survey'), 'no survey').to.be.null;
      expect(chat.phase).to.contain('End chat?');
      expect(chat.notice).to.contain(OFFLINE);
      online();
      expect(chat.el.endConversation()).to.be.true;
      await until(() => chat.$('.survey'), 'no survey');
      online = goOffline();
      chat.$<HTMLInputElement>('.survey input[value="4"]')!.click();
      chat.$<HTMLButtonElement>('.survey .primary')!.click();
      await chat.el.updateComplete;
      expect(chat.$('.survey')!.hidden, 'the survey stays').to.be.false;
      expect(chat.$<HTMLInputElement>('.survey input[value="4"]')!.checked, 'the score kept').to.be.true;
      expect(chat.notice).to.contain(OFFLINE);
      expect(transport.commands.map((c) => c.type)).to.deep.equal(['end']);
      expect(errors.map((e) => e.code)).to.deep.equal(['transport', 'transport', 'transport']);
      online();
      chat.$<HTMLButtonElement>('.survey .primary')!.click();
      await until(() => transport.commands.length === 2, 'rating not sent');
      expect(transport.commands[1]).to.deep.include({ type: 'rate', score: 4 });
    });
  });

  describe('bad input', () => {
    it('falls back on unknown attribute values and reports a config error', async () => {
      const errors: string[] = [];
      const el = document.createElement('mercari-chat-support');
      el.addEventListener('mcs-error', (e) => errors.push(e.detail.code));
      el.setAttribute('theme', 'neon');
      el.setAttribute('position', 'middle');
      document.body.append(el);
      await el.updateComplete;
      expect(el.theme).to.equal('auto');
      expect(el.position).to.equal('bottom-right');
      expect(errors).to.deep.equal(['config', 'config']);
      el.remove();
    });

    it('stays closed, launcher and all, when a host in plain JavaScript sets `open` to 0', async () => {
      const el = await fixture<MercariChatSupport>(html`<mercari-chat-support user-id=${uniqueUser()} .transport=${new FakeTransport()}></mercari-chat-support>`);
      const events: string[] = [];
      el.addEventListener('mcs-open', () => events.push('mcs-open'));
      (el as unknown as { open: unknown }).open = 0;
      await el.updateComplete;
      await el.updateComplete;
      const launcher = el.shadowRoot!.querySelector('.launcher')!;
      expect([el.hasAttribute('open'), launcher.ariaExpanded, !!el.shadowRoot!.querySelector('.panel'), events]).to.deep.equal([false, 'false', false, []]);
    });

    it('shows a translated error for an endpoint it cannot use', async () => {
      const el = await fixture<MercariChatSupport>(html`<mercari-chat-support locale="ja" endpoint="ftp://example.test"></mercari-chat-support>`);
      const error = oneEvent(el, 'mcs-error');
      el.show();
      expect((await error).detail.code).to.equal('config');
      await el.updateComplete;
      expect(new ChatHarness(el).notice).to.contain('設定に問題があります');
    });

    it('says it is not set up when opened with no endpoint, instead of calling the page it is on', async () => {
      const el = await fixture<MercariChatSupport>(html`<mercari-chat-support user-id=${uniqueUser()}></mercari-chat-support>`);
      const error = oneEvent(el, 'mcs-error');
      el.show();
      expect((await error).detail.code).to.equal('config');
      await el.updateComplete;
      expect(new ChatHarness(el).notice).to.contain('not set up correctly');
    });

    it('keeps the message and reports a transport that throws', async () => {
      const transport = new FakeTransport();
      transport.sendBehaviour = 'throw';
      const chat = await ChatHarness.create({ transport, open: true });
      const error = oneEvent(chat.el, 'mcs-error');
      await chat.type('still here');
      expect((await error).detail.recoverable).to.be.true;
      await chat.el.updateComplete;
      expect(chat.bubbles).to.deep.equal(['still here']);
      // Forward-only: once tried, it stays "sending" while it waits for the next attempt.
      expect(chat.$('.msg.user .meta')?.textContent).to.contain('Sending');
      expect(chat.notice).to.contain('could not reach support');
    });

    it('times out a transport that never answers, keeping the message', async () => {
      const clock = fakeClock();
      const transport = new FakeTransport();
      transport.sendBehaviour = 'hang';
      const chat = await ChatHarness.create({ transport, open: true });
      const error = oneEvent(chat.el, 'mcs-error');
      await chat.type('hello?');
      await until(() => transport.sent.length === 1, 'never sent');
      await clock.tickAsync(30_001);
      expect((await error).detail.code).to.equal('timeout');
      await chat.el.updateComplete;
      expect(chat.bubbles).to.deep.equal(['hello?']);
      expect(chat.notice).to.contain('taking too long');
      transport.sendBehaviour = 'ack';
      await clock.tickAsync(31_000);
      await until(() => !chat.$('.msg.user .meta'), 'still not sent');
      expect(transport.sent.map((m) => m.clientId)).to.have.length.greaterThan(1);
      expect(new Set(transport.sent.map((m) => m.clientId)).size).to.equal(1);
      expect(chat.$('.msg.user .meta')).to.be.null;
      await chat.el.updateComplete;
      expect(chat.notice, 'delivered: the banner goes with the problem').to.equal('');
    });

    it('reports a bad server frame, and shows nothing of it once the link has come back', async () => {
      const transport = new FakeTransport();
      const chat = await ChatHarness.create({ transport, open: true });
      await until(() => transport.connects.length === 1, 'never connected');
      const error = oneEvent(chat.el, 'mcs-error');
      transport.emit({ type: 'error', error: new TransportError('protocol', 'bad event', true) });
      expect((await error).detail.code).to.equal('protocol');
      transport.emit({ type: 'connection', status: 'reconnecting' });
      transport.emit({ type: 'connection', status: 'online' });
      await chat.el.updateComplete;
      expect(chat.notice).to.equal('');
    });

    it('waits for a slow answer within the transport\'s own timeout: no error, and the message goes once', async () => {
      const clock = fakeClock();
      const transport = new FakeTransport();
      // Slower than the widget once waited (15 s), within the built-in adapters' own 20 s.
      transport.ackDelayMs = 17_000;
      const errors: string[] = [];
      const chat = await ChatHarness.create({ transport, open: true });
      chat.el.addEventListener('mcs-error', (e) => errors.push(e.detail.code));
      await chat.type('slow server');
      await until(() => transport.sent.length === 1, 'never sent');
      await clock.tickAsync(17_001);
      await until(() => !chat.$('.msg.user .meta'), 'not marked sent');
      await clock.tickAsync(60_000);
      expect(errors).to.deep.equal([]);
      expect(transport.sent, 'one copy').to.have.length(1);
    });

    it('gives a message for operators that could not be left back to the composer, to send again', async () => {
      const transport = new FakeTransport();
      let down = true;
      transport.command = async (command) => {
        if (down) throw new TransportError('network', 'down', true);
        transport.commands.push(command);
      };
      const errors: string[] = [];
      // 21:00 in Tokyo: operators are away.
      const chat = await ChatHarness.create({ transport, open: true, now: () => Date.UTC(2026, 0, 5, 12) });
      chat.el.addEventListener('mcs-error', (e) => errors.push(e.detail.code));
      await until(() => transport.connects.length === 1 && chat.$('[part~="ask-operator"]'), 'no way to ask for an operator');
      chat.el.requestOperator();
      const leave = () => chat.$$<HTMLButtonElement>('[part~="phase"] button').find((b) => /Leave a message/.test(b.textContent!));
      await until(leave, 'no way to leave a message');
      leave()!.click();
      await chat.el.updateComplete;
      const text = 'Please refund order m123: the item arrived broken.';
      await chat.type(text);
      await until(() => chat.input.value === text, 'the text was lost');
      await chat.el.updateComplete;
      expect(chat.notice).to.contain('did not go through');
      expect(errors).to.include('transport');
      expect(chat.input.placeholder, 'still leaving a message').to.equal(en['flow.leavePlaceholder']);
      expect(chat.$('[part~="phase"]')!.textContent).to.contain('Cancel');
      down = false;
      await chat.type(text);
      await until(() => transport.commands.length === 1, 'not sent again');
      expect(transport.commands[0]).to.deep.include({ type: 'leave-message', text });
    });

    it('goes back to the operator when "End chat" never reached the server, and offers the survey again, as filled in, when the rating never did', async () => {
      const transport = new FakeTransport();
      let down = true;
      // Each failure waits for the test's word, so what the user sees in between can be checked.
      let fail = () => {};
      transport.command = async (command) => {
        if (down) {
          await new Promise<void>((resolve) => (fail = resolve));
          throw new TransportError('network', 'down', true);
        }
        transport.commands.push(command);
      };
      const chat = await ChatHarness.create({ transport, open: true });
      await until(() => transport.connects.length === 1, 'never connected');
      transport.emit({ type: 'operator-joined', seq: 1, name: 'Sato' });
      const end = () => chat.$$<HTMLButtonElement>('[part~="phase"] button').find((b) => /End chat/.test(b.textContent!));
      // The bar asks first; its own "End chat" then ends.
      const endNow = async () => {
        end()!.click();
        await chat.el.updateComplete;
        end()!.click();
      };
      await until(end, 'no way to end the chat');
      await endNow();
      await until(() => chat.$('.survey'), 'not ended at once');
      fail();
      await until(() => chat.notice.includes('did not go through'), 'no error shown');
      expect(chat.phase).to.contain('Sato');
      expect(end(), 'can end it again').to.exist;
      expect(chat.$('form[part~="composer"]')!.hidden, 'the composer is back').to.be.false;
      down = false;
      await endNow();
      await until(() => chat.$('.survey'), 'no survey');
      expect(transport.commands.map((c) => c.type)).to.deep.equal(['end']);
      down = true;
      chat.$<HTMLInputElement>('.survey input[value="4"]')!.click();
      chat.$<HTMLTextAreaElement>('.survey textarea')!.value = 'Quick and kind.';
      chat.$<HTMLButtonElement>('.survey .primary')!.click();
      await until(() => chat.phase.includes('Thank') && chat.$('.survey')!.hidden, 'not thanked');
      fail();
      await until(() => !chat.$('.survey')!.hidden, 'the survey did not come back');
      expect(chat.$<HTMLInputElement>('.survey input[value="4"]')!.checked, 'the score kept').to.be.true;
      expect(chat.$<HTMLTextAreaElement>('.survey textarea')!.value, 'the comment kept').to.equal('Quick and kind.');
      down = false;
      chat.$<HTMLButtonElement>('.survey .primary')!.click();
      await until(() => transport.commands.length === 2, 'rating not sent');
      expect(transport.commands[1]).to.deep.include({ type: 'rate', score: 4, comment: 'Quick and kind.' });
      await chat.el.updateComplete;
      expect(chat.$('.survey')!.hidden).to.be.true;
      expect(chat.phase).to.contain('Thank');
    });

    it('says nothing when the server answers that it is already past a rating (rated before a reload, say): the thanks stay', async () => {
      const transport = new FakeTransport();
      transport.command = async (command) => {
        transport.commands.push(command);
        if (command.type === 'rate') throw new TransportError('conflict', 'This conversation has already been rated', false);
      };
      const chat = await ChatHarness.create({ transport, open: true });
      await until(() => transport.connects.length === 1, 'never connected');
      const errors: string[] = [];
      chat.el.addEventListener('mcs-error', (e) => errors.push(e.detail.code));
      transport.emit({ type: 'ended', seq: 1, by: 'operator' });
      await until(() => chat.$('.survey'), 'no survey');
      chat.$<HTMLInputElement>('.survey input[value="4"]')!.click();
      chat.$<HTMLButtonElement>('.survey .primary')!.click();
      await until(() => transport.commands.length === 1, 'rating not sent');
      await new Promise((resolve) => setTimeout(resolve, 50));
      await chat.el.updateComplete;
      expect(chat.phase).to.contain('Thank');
      expect(chat.notice).to.equal('');
      expect(errors).to.deep.equal([]);
    });

    it('shows "Connecting…" only once it has lasted a second, and never says it: a quick connect neither flashes nor shifts the transcript', async () => {
      const { transport, chat, log } = await overflowing();
      await frames();
      const top = log.offsetTop;
      // The link drops and the transport starts over.
      transport.emit({ type: 'connection', status: 'connecting' });
      await until(() => chat.$('.notice'), 'no banner');
      const banner = chat.$('.notice')!;
      expect(banner.textContent).to.contain('Connecting');
      const [wait] = banner.getAnimations();
      expect(wait?.effect?.getTiming().duration, 'hidden for a second').to.equal(1000);
      expect(getComputedStyle(banner).display, 'hidden at first').to.equal('none');
      expect(log.offsetTop, 'nothing moved').to.equal(top);
      // Skipped to its end rather than waited for: the test then needs no real second.
      wait.finish();
      await frames();
      expect(getComputedStyle(banner).display, 'shown after a second').to.not.equal('none');
      expect(log.offsetTop, 'the banner takes its place').to.be.above(top);
      expect(gap(log), 'the newest message stays in view').to.be.below(1);
      expect(chat.live.textContent, 'not announced').to.not.contain('Connecting');
      // Reconnecting, offline and errors are news at once, and said.
      transport.emit({ type: 'connection', status: 'reconnecting' });
      await chat.el.updateComplete;
      expect(getComputedStyle(chat.$('.notice')!).display).to.not.equal('none');
      await until(() => chat.live.textContent!.includes('Reconnecting'), 'reconnecting not announced');
      // Offline while the transport is still connecting: the user is told at once.
      transport.emit({ type: 'connection', status: 'connecting' });
      const offline = sinon.stub(navigator, 'onLine').get(() => false);
      try {
        window.dispatchEvent(new Event('offline'));
        await chat.el.updateComplete;
        expect(chat.notice).to.contain('offline');
        expect(getComputedStyle(chat.$('.notice')!).display).to.not.equal('none');
        await until(() => chat.live.textContent!.includes('offline'), 'offline not announced');
      } finally {
        offline.restore();
        window.dispatchEvent(new Event('online'));
      }
      chat.el['session']!.$notice.set({ key: 'error.transport', code: 'transport' });
      await chat.el.updateComplete;
      expect(getComputedStyle(chat.$('.notice.error')!).display).to.not.equal('none');
    });

    it('keeps the transcript at its end when a photo loads after its message rendered', async () => {
      const { transport, chat, log } = await overflowing();
      const canvas = document.createElement('canvas');
      canvas.width = 400;
      canvas.height = 200;
      canvas.getContext('2d')!.fillRect(0, 0, 400, 200);
      const blob = await new Promise<Blob>((resolve) => canvas.toBlob((b) => resolve(b!), 'image/png'));
      const url = URL.createObjectURL(blob);
      transport.say({ text: 'here is the photo', attachments: [{ url, type: 'image/png', name: 'photo.png', size: blob.size }] });
      await until(() => chat.$('img.photo'), 'no photo');
      const photo = chat.$<HTMLImageElement>('img.photo')!;
      const before = photo.offsetHeight;
      await until(() => photo.complete && photo.naturalWidth > 0, 'never loaded');
      await frames();
      expect(before, 'its box is there before it loads').to.be.above(0);
      expect(photo.offsetHeight).to.equal(before);
      expect(gap(log), 'the newest message stays in view').to.be.below(1);
      URL.revokeObjectURL(url);
    });

    it('keeps the transcript at its end while the composer grows with a long question, and after the panel is resized', async () => {
      const { chat, log } = await overflowing();
      await frames();
      expect(gap(log), 'at the end to begin with').to.be.below(1);
      const height = log.clientHeight;
      // Typed, not rendered: a keystroke below the counter's threshold starts no update.
      chat.input.value = 'My parcel\nhas not arrived\nand the seller\ndoes not answer\nwhat can I do?';
      chat.input.dispatchEvent(new InputEvent('input', { bubbles: true, composed: true }));
      await frames();
      expect(log.clientHeight, 'the composer grew into the transcript').to.be.below(height - 40);
      expect(gap(log), 'the newest message stays in view').to.be.below(1);
      // Reading earlier messages, the user stays where they are.
      log.scrollTop = 0;
      await frames();
      chat.input.value = 'short';
      chat.input.dispatchEvent(new InputEvent('input', { bubbles: true, composed: true }));
      await frames();
      expect(log.scrollTop, 'not pulled down while reading').to.be.below(1);
      log.scrollTop = log.scrollHeight;
      await frames();
      chat.$('.panel')!.style.maxBlockSize = '300px';
      await frames();
      expect(gap(log), 'still at the end in a smaller panel').to.be.below(1);
    });

    it('after clearUserData (a logout) closes the old link and starts over: the next message is shown and goes to a new conversation', async () => {
      const transport = new FakeTransport();
      const chat = await ChatHarness.create({ transport, open: true });
      await until(() => transport.connects.length === 1, 'never connected');
      await chat.type('my address is 1-2-3 Roppongi');
      await until(() => transport.sent.length === 1, 'not sent');
      // A draft and a photo not sent yet.
      chat.input.value = 'my card number is';
      const picker = chat.$<HTMLInputElement>('input[type="file"]')!;
      const data = new DataTransfer();
      data.items.add(new File([PNG], 'receipt.png', { type: 'image/png' }));
      picker.files = data.files;
      picker.dispatchEvent(new Event('change'));
      await until(() => chat.$('.files img'), 'no photo preview');
      const preview = chat.$<HTMLImageElement>('.files img')!.src;
      await chat.el.clearUserData();
      await chat.el.updateComplete;
      expect(transport.closed, "the old user's link is closed").to.be.true;
      expect(chat.el.open, 'the panel closes').to.be.false;
      chat.el.show();
      await chat.el.updateComplete;
      expect(chat.bubbles, 'nothing of the old user').to.deep.equal([]);
      expect(chat.input.value, "nor the old user's draft").to.equal('');
      expect(chat.$('.files'), "nor the old user's photo").to.be.null;
      expect(await fetch(preview).then(() => 'still readable', () => 'freed')).to.equal('freed');
      await until(() => transport.connects.length === 2, 'no new connection');
      expect(transport.connects[1].conversationId, 'a new conversation').to.equal(null);
      await chat.type('a new question');
      await until(() => transport.sent.length === 2, 'the next message was lost');
      expect(transport.sent[1].text).to.equal('a new question');
      await chat.el.updateComplete;
      expect(chat.bubbles).to.deep.equal(['a new question']);
    });

    it('clearUserData deletes the stored conversation even where no endpoint is set yet, and every tab of the user lets go of it', async () => {
      const userId = uniqueUser();
      const transport = new FakeTransport();
      const other = await ChatHarness.create({ transport, open: true, userId });
      await until(() => transport.connects.length === 1, 'never connected');
      await other.type('my address is 1-2-3 Roppongi');
      await until(() => transport.sent.length === 1, 'not sent');
      const name = `mercari-chat-support:${userId}`;
      expect((await indexedDB.databases()).map((d) => d.name)).to.include(name);
      // A page whose widget is not configured (the host sets the endpoint after sign-in, say).
      const bare = new ChatHarness(await fixture<MercariChatSupport>(html`<mercari-chat-support user-id=${userId}></mercari-chat-support>`));
      const errors: string[] = [];
      bare.el.addEventListener('mcs-error', (e) => errors.push(e.detail.code));
      await bare.el.clearUserData();
      await until(async () => !(await indexedDB.databases()).some((d) => d.name === name), 'the database is still there');
      await until(() => !other.el.open && transport.closed, 'the other widget kept the old user');
      expect(errors, 'a logout is no configuration error').to.deep.equal([]);
    });

    it("waits out an outage on the transport's own reconnects: one timeout report, no restarts, and the message goes once the link is up", async () => {
      const clock = fakeClock();
      const transport = new FakeTransport();
      transport.connectBehaviour = 'retrying';
      const errors: string[] = [];
      const statuses: string[] = [];
      const chat = await ChatHarness.create({ transport, open: true });
      chat.el.addEventListener('mcs-error', (e) => errors.push(e.detail.code));
      chat.el.addEventListener('mcs-connection', (e) => statuses.push(e.detail.status));
      await chat.type('are you there?');
      await until(() => transport.connects.length === 1 && chat.bubbles.includes('are you there?'), 'not stored, or never connected');
      await clock.tickAsync(5 * 60_000);
      // Restarting it would also restart its backoff: a fleet of widgets in an outage would dial
      // several times as often as the backoff allows.
      expect(transport.connects, 'connected once, never restarted').to.have.length(1);
      expect(transport.closed).to.be.false;
      expect(errors, 'told once').to.deep.equal(['timeout']);
      expect(statuses, 'only the transport\'s own, no offline-idle-connecting round every 15 s').to.deep.equal(['connecting']);
      await chat.el.updateComplete;
      expect(chat.notice).to.contain('taking too long');
      expect(chat.bubbles).to.deep.equal(['are you there?']);
      transport.finishConnect();
      await until(() => transport.sent.length === 1, 'not sent once the link was up');
      await chat.el.updateComplete;
      expect(chat.notice).to.equal('');
      expect(transport.sent.map((m) => m.text)).to.deep.equal(['are you there?']);
    });

    it('tells the user about a slow connection again after starting over when the browser came back online', async () => {
      const clock = fakeClock();
      const transport = new FakeTransport();
      transport.connectBehaviour = 'retrying';
      const errors: string[] = [];
      const chat = await ChatHarness.create({ transport, open: true });
      chat.el.addEventListener('mcs-error', (e) => errors.push(e.detail.code));
      await until(() => transport.connects.length === 1, 'never connected');
      // What the browser's `online` event does: start over at once, skipping the backoff.
      (chat.el as unknown as { session: { resume(): void } }).session.resume();
      await until(() => transport.connects.length === 2, 'not started over');
      await clock.tickAsync(15_001);
      expect(errors).to.deep.equal(['timeout']);
    });

    /** A connected widget whose link dropped: a reconnect for the current conversation is under way. */
    async function reconnecting() {
      const transport = new FakeTransport();
      const chat = await ChatHarness.create({ transport, open: true });
      await until(() => transport.connects.length === 1, 'never connected');
      const session = (chat.el as unknown as { session: { resume(): void; act(e: { type: 'new-conversation' }): boolean } }).session;
      transport.connectBehaviour = 'retrying';
      transport.emit({ type: 'connection', status: 'reconnecting' });
      session.resume();
      await until(() => transport.connects.length === 2, 'no reconnect');
      return { transport, chat, session };
    }

    it('a new conversation started while the link is still coming back does not ride on the old conversation\'s connect', async () => {
      const { transport, session } = await reconnecting();
      expect(transport.connects[1].conversationId).to.equal('c1');
      expect(session.act({ type: 'new-conversation' })).to.be.true;
      await until(() => transport.connects.length === 3, 'the new conversation waited on the old connect');
      expect(transport.connects[1].signal.aborted, 'the old connect is abandoned').to.be.true;
      expect(transport.connects[2].conversationId, 'asks for a new conversation').to.equal(null);
    });

    it('a new conversation started while the end waits for the link is not taken back by that link', async () => {
      const { transport, chat, session } = await reconnecting();
      // "End chat" waits for the link; the user starts over before it is back.
      expect(chat.el.endConversation()).to.be.true;
      expect(session.act({ type: 'new-conversation' })).to.be.true;
      transport.finishConnect();
      await until(() => transport.commands.some((c) => c.type === 'end'), 'the end was not sent');
      await until(() => transport.connects.length === 3, 'no connect for the new conversation');
      expect(transport.connects.map((c) => c.conversationId)).to.deep.equal([null, 'c1', null]);
    });

    it('a question typed right after "Start a new conversation", while the end is still on its way, goes to the new conversation and stays shown', async () => {
      const transport = new FakeTransport();
      let arrive = () => {};
      // The end reaches the server late (a slow network); the rest is instant.
      transport.command = async (command) => {
        transport.commands.push(command);
        if (command.type === 'end') await new Promise<void>((resolve) => (arrive = resolve));
      };
      let conversations = 0;
      const connect = transport.connect.bind(transport);
      transport.connect = async (options) => ({ ...(await connect(options)), conversationId: options.conversationId ?? `c${++conversations}` });
      const chat = await ChatHarness.create({ transport, open: true });
      await chat.type('first');
      await until(() => transport.sent.length === 1, 'not sent');
      expect(chat.el.endConversation()).to.be.true;
      await until(() => transport.commands.length === 1, 'the end was not sent');
      const session = (chat.el as unknown as { session: { act(e: { type: 'new-conversation' }): boolean } }).session;
      expect(session.act({ type: 'new-conversation' })).to.be.true;
      await chat.el.updateComplete;
      await chat.type('new question');
      arrive();
      await until(() => transport.sent.length === 2, 'the question was not sent');
      expect(transport.sent.map((m) => [m.text, m.conversationId])).to.deep.equal([
        ['first', 'c1'],
        ['new question', 'c2'],
      ]);
      await new Promise((resolve) => setTimeout(resolve, 50));
      await chat.el.updateComplete;
      expect(chat.bubbles).to.deep.equal(['new question']);
    });

    it('still gives up on, and starts again, a transport that does not report its status and never connects', async () => {
      const clock = fakeClock();
      const transport = new FakeTransport();
      transport.connectBehaviour = 'hang';
      const chat = await ChatHarness.create({ transport, open: true });
      const error = oneEvent(chat.el, 'mcs-error');
      await until(() => transport.connects.length === 1, 'never connected');
      await clock.tickAsync(15_001);
      expect((await error).detail.code).to.equal('timeout');
      expect(transport.connects[0].signal.aborted, 'the hung attempt is abandoned').to.be.true;
      await clock.tickAsync(2_000);
      expect(transport.connects).to.have.length(2);
      await chat.el.updateComplete;
      expect(chat.notice).to.contain('taking too long');
    });

    it('fails a command that waits on a link in an outage after 15 s, and never sends it when the link is up', async () => {
      const clock = fakeClock(Date.UTC(2026, 0, 5, 3));
      const transport = new FakeTransport();
      transport.connectBehaviour = 'retrying';
      const phases: string[] = [];
      const chat = await ChatHarness.create({ transport, open: true });
      chat.el.addEventListener('mcs-phase', (e) => phases.push(e.detail.phase));
      await until(() => transport.connects.length === 1 && chat.$('[part~="ask-operator"]'), 'no way to ask for an operator');
      expect(chat.el.requestOperator()).to.be.true;
      await clock.tickAsync(15_001);
      expect(phases).to.deep.equal(['requested', 'bot']);
      transport.finishConnect();
      await clock.tickAsync(1_000);
      expect(transport.commands).to.deep.equal([]);
    });

    it('marks a rejected message failed, still sends later ones, and retries or deletes it', async () => {
      const transport = new FakeTransport();
      transport.sendBehaviour = 'reject-permanent';
      const chat = await ChatHarness.create({ transport, open: true });
      await chat.type('rejected');
      await waitUntil(() => chat.$('.msg.failed'));
      transport.sendBehaviour = 'ack';
      await chat.type('accepted');
      await waitUntil(() => transport.sent.length === 2);
      await chat.el.updateComplete;
      expect(chat.$('.msg.failed .meta')?.textContent).to.contain('Not sent');
      const [retry, remove] = chat.$$<HTMLButtonElement>('.msg.failed button');
      expect(chat.bubbles, 'typed order while unsent').to.deep.equal(['rejected', 'accepted']);
      retry.click();
      await waitUntil(() => transport.sent.length === 3);
      expect(transport.sent[2].clientId).to.equal(transport.sent[0].clientId);
      transport.sendBehaviour = 'reject-permanent';
      await chat.type('doomed');
      await waitUntil(() => chat.$('.msg.failed'));
      expect(remove).to.exist;
      chat.$$<HTMLButtonElement>('.msg.failed button')[1].click();
      await waitUntil(() => chat.bubbles.length === 2);
      // Once the server has both, its order is the truth: the retried message came second.
      expect(chat.bubbles).to.deep.equal(['accepted', 'rejected']);
    });

    it('retries a connection that fails, without throwing out of the element or into the page', async () => {
      // A host's error tracker listens for these: a retry that fails is reported once, as mcs-error.
      const unhandled: unknown[] = [];
      const record = (event: PromiseRejectionEvent) => {
        unhandled.push(event.reason);
        event.preventDefault();
      };
      window.addEventListener('unhandledrejection', record);
      try {
        const transport = new FakeTransport();
        transport.connectBehaviour = 'throw';
        const chat = await ChatHarness.create({ transport });
        const error = oneEvent(chat.el, 'mcs-error');
        await chat.openPanel();
        expect((await error).detail.code).to.equal('transport');
        await waitUntil(() => transport.connects.length >= 2, 'no retry', { timeout: 3000 });
        transport.connectBehaviour = 'ok';
        await waitUntil(() => transport.connects.length >= 3, 'no reconnect', { timeout: 3000 });
        await new Promise((resolve) => setTimeout(resolve, 50));
        expect(unhandled.map(String)).to.deep.equal([]);
      } finally {
        window.removeEventListener('unhandledrejection', record);
      }
    });
  });
});
