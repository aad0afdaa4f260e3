/**
 * Bot → operator hand-off, end to end (issue 6 acceptance): the real element in Chromium, its
 * built-in transports, and the reference backend served by msw. The element's `now` and the
 * backend's share one clock that runs at real speed from a chosen instant, so business hours
 * (10:00–18:30 Japan time, both sides' default) are decided by the test, and the backend's
 * queue and operator run on fast real timers.
 */
import { expect } from '@open-wc/testing';
import type { MercariChatSupport } from '../../src/element/mercari-chat-support.js';
import { DEFAULT_SCHEDULE, formatTime } from '../../src/hours/index.js';
import { translator } from '../../src/i18n/index.js';
import type { BackendOptions } from '../../src/testing/backend/types.js';
import { ChatHarness } from '../helpers/harness.js';
import { click, deleteOwnDatabases, eventually, mockBackend, mount, network, phaseButtons, phaseText, rows, spyWire, newUser, unmount, unmountAll, type MockBackend } from './helpers.js';

/** 2026-11-23 (a Monday) at hh:mm:ss Japan time (UTC+9, no DST), in ms. */
const jst = (hh: number, mm: number, ss = 0) => Date.UTC(2026, 10, 23, hh - 9, mm, ss);

/** 18:30 Japan time as the widget says it: a clock time in the user's own zone (the browser's). */
// The user's time, and Japan time after it when the test browser runs in another zone (the
// formatting itself is table-tested in test/hours/format.test.ts).
const CLOSES = formatTime(DEFAULT_SCHEDULE, jst(18, 30), 'en', translator('en'));

/** A clock that reads `base` now and runs at real speed. */
const clockFrom = (base: number) => {
  const t0 = Date.now();
  return () => base + (Date.now() - t0);
};

/** Fast backend timers; the operator is simulated (joins after the queue, answers each message). */
const FAST: Partial<BackendOptions> = { queueStepMs: 150, operatorReplyMs: 100, botDelayMs: 0, random: () => 0 };

/** Everything the element tells its host, in order. */
function listen(el: MercariChatSupport) {
  const phases: { phase: string; previous: string }[] = [];
  const requests: CustomEvent[] = [];
  const errors: unknown[] = [];
  el.addEventListener('mcs-phase', (e) => phases.push({ ...e.detail }));
  el.addEventListener('mcs-request-operator', (e) => requests.push(e));
  el.addEventListener('mcs-error', (e) => errors.push(e.detail));
  return { phases, requests, errors, sequence: () => phases.map((p) => p.phase) };
}

/**
 * Records every distinct text the phase bar and the typing line showed, as the user saw them
 * (a MutationObserver sees each render, however short-lived).
 */
function watch(chat: ChatHarness) {
  const bars: string[] = [];
  const typing: string[] = [];
  const look = () => {
    const bar = phaseText(chat);
    if (bar !== (bars.at(-1) ?? '')) bars.push(bar);
    const line = chat.$('.typing')?.textContent?.trim() ?? '';
    if (line !== (typing.at(-1) ?? '')) typing.push(line);
  };
  const observer = new MutationObserver(look);
  observer.observe(chat.el.shadowRoot!, { subtree: true, childList: true, characterData: true, attributes: true });
  look();
  return { bars, typing, stop: () => observer.disconnect() };
}

const seen = (chat: ChatHarness) => () => `phase "${phaseText(chat)}"; rows ${JSON.stringify(rows(chat).map((r) => `${r.role}: ${r.text.slice(0, 50)}`))}`;
const hasRow = (chat: ChatHarness, role: string, text: string | RegExp) =>
  rows(chat).some((r) => r.role === role && (typeof text === 'string' ? r.text.includes(text) : text.test(r.text)));
const waitRow = (chat: ChatHarness, role: string, text: string | RegExp, timeout?: number) => eventually(() => hasRow(chat, role, text), seen(chat), timeout);
const waitPhase = (chat: ChatHarness, text: string | RegExp, timeout?: number) =>
  eventually(() => (typeof text === 'string' ? phaseText(chat).includes(text) : text.test(phaseText(chat))), seen(chat), timeout);

/** Types a question the bot cannot settle and waits for its answer offering an operator. */
async function askBot(chat: ChatHarness, question: string, answer: string, operatorChip: string) {
  await chat.type(question);
  await waitRow(chat, 'bot', answer);
  expect(chat.$$('.chip').map((b) => b.textContent?.trim())).to.include(operatorChip);
}

describe('hand-off through the msw mock backend', () => {
  let mock: MockBackend | undefined;
  let wire: ReturnType<typeof spyWire> | undefined;

  /** The mock backend on the shared clock, and a spy on the conversation ids it hands out. */
  async function serve(now: () => number, options: Partial<BackendOptions> = {}, postLatencyMs = 0) {
    const served = { mock: await mockBackend({ ...FAST, now, ...options }), wire: spyWire(window, { postLatencyMs }) };
    ({ mock, wire } = served);
    return served;
  }

  afterEach(async () => {
    unmountAll();
    wire?.stop();
    mock?.stop();
    mock = wire = undefined;
    await deleteOwnDatabases();
  });

  for (const scheme of ['WebSocket', 'HTTP+SSE'] as const) {
    it(`inside hours over ${scheme}: bot → queue (live position) → operator → exchange → end → survey → thanks → new conversation`, async () => {
      const now = clockFrom(jst(12, 0));
      const { mock, wire } = await serve(now);
      const userId = newUser();
      const chat = await mount({ endpoint: scheme === 'WebSocket' ? mock.wsUrl : mock.httpUrl, userId, locale: 'en', now, context: { transactionId: 'm123456' } });
      const host = listen(chat.el);
      const ui = watch(chat);

      await askBot(chat, 'The item I received is damaged', 'If an item is not as described', 'Talk to an operator');
      const conversation = wire.last;
      expect(mock.backend.control.inspect(conversation)?.mode).to.equal('bot');

      // Hand-off: the quick reply asks for an operator; the queue counts down live, then Sato joins.
      await click(chat, 'Talk to an operator');
      expect(host.requests, 'mcs-request-operator fired once').to.have.length(1);
      await waitPhase(chat, 'You are number');
      expect(phaseButtons(chat)).to.deep.equal(['Cancel']);
      await waitPhase(chat, 'You are chatting with Sato.', 3000);
      const queue = ui.bars.filter((b) => b.startsWith('You are number'));
      expect(queue.map((b) => /number (\d)/.exec(b)?.[1]), `queue bars seen: ${JSON.stringify(ui.bars)}`).to.deep.equal(['3', '2', '1']);
      expect(queue[0]).to.equal('You are number 3 in line.');

      // The operator's greeting: named, visibly distinct from the bot, and aware of the context.
      await waitRow(chat, 'operator', "Hi, this is Sato from Mercari support. I've read your conversation so far");
      const greeting = rows(chat).find((r) => r.role === 'operator')!;
      expect(greeting.text).to.include('(I can see this is about transaction m123456.)');
      expect(greeting.li.querySelector('.meta')?.textContent?.trim(), 'operator name on the message').to.equal('Sato');
      const bot = rows(chat).find((r) => r.role === 'bot')!;
      const look = (li: HTMLElement) => getComputedStyle(li.querySelector('.bubble')!).backgroundColor;
      expect(look(greeting.li), 'operator bubble looks different from the bot bubble').to.not.equal(look(bot.li));

      // The exchange: the backend sees the user typing; the operator types, then answers.
      await chat.type('The box was crushed and the cup inside is broken');
      await eventually(() => mock.backend.control.inspect(conversation)?.userTyping, () => 'the backend never saw the user typing');
      await waitRow(chat, 'operator', 'Thank you. Let me check that for you, one moment please.');
      expect(mock.backend.control.received(conversation).map((m) => m.text)).to.deep.equal(['The item I received is damaged', 'The box was crushed and the cup inside is broken']);
      expect(ui.typing, 'operator typing indicator').to.include('Sato is typing…');
      expect(chat.$('.typing')?.textContent?.trim(), 'typing cleared by the answer').to.equal('');
      mock.backend.control.operator.say(conversation, 'Could you send a photo of the box?');
      await waitRow(chat, 'operator', 'Could you send a photo of the box?');
      const order = rows(chat).map((r) => r.role);
      expect(order.slice(-4)).to.deep.equal(['operator', 'user', 'operator', 'operator']);

      // End → survey → rating → thanks → a new conversation.
      await click(chat, 'End chat');
      // One tap only asks.
      expect(phaseButtons(chat)).to.deep.equal(['Keep chatting', 'End chat']);
      await click(chat, 'End chat');
      await waitPhase(chat, 'This conversation has ended.');
      expect(chat.$<HTMLFormElement>('form[part="composer"]')!.hidden, 'no composer after the end').to.be.true;
      const survey = chat.$<HTMLFormElement>('form.survey')!;
      survey.querySelector<HTMLInputElement>('input[name="score"][value="4"]')!.click();
      survey.querySelector<HTMLTextAreaElement>('textarea[name="comment"]')!.value = 'Quick and kind';
      await click(chat, 'Send feedback');
      await waitPhase(chat, 'Thank you for your feedback.');
      await eventually(() => mock.backend.control.inspect(conversation)?.rating, () => 'no rating on the backend');
      expect(mock.backend.control.inspect(conversation)).to.include({ mode: 'ended' });
      expect(mock.backend.control.inspect(conversation)?.rating).to.deep.equal({ score: 4, comment: 'Quick and kind' });
      expect(rows(chat).filter((r) => r.text.includes('Thank you for your feedback')), 'thanked once, in the bar').to.deep.equal([]);
      expect(hasRow(chat, 'operator', 'Could you send a photo of the box?'), 'the transcript stays readable').to.be.true;

      // The rating's answer may still be on its way (HTTP): starting over at once is its own test
      // ("starting a new conversation right after ending…"); here the user reads the thanks first.
      await eventually(() => wire.inFlight === 0, () => `${wire.inFlight} requests in flight`);
      await click(chat, 'Start a new conversation');
      await eventually(() => !hasRow(chat, 'operator', 'Sato'), seen(chat));
      expect(chat.$<HTMLFormElement>('form[part="composer"]')!.hidden).to.be.false;
      expect(chat.$('[part="ask-operator"]')?.textContent?.trim()).to.equal('Talk to an operator');
      await chat.type('What are the fees?');
      await waitRow(chat, 'bot', 'selling fee of 10%');
      const next = wire.last;
      expect(next, 'a new conversation on the backend').to.not.equal(conversation);
      expect(mock.backend.control.received(next).map((m) => m.text)).to.deep.equal(['What are the fees?']);

      expect(host.phases).to.deep.equal([
        { phase: 'requested', previous: 'bot' },
        { phase: 'queued', previous: 'requested' },
        { phase: 'operator', previous: 'queued' },
        { phase: 'ended', previous: 'operator' },
        { phase: 'bot', previous: 'ended' },
      ]);
      expect(host.errors).to.deep.equal([]);
      ui.stop();
    });
  }

  it('outside hours: says when operators are back, takes a message for them, and the backend gets a ticket with the text and the context', async () => {
    const now = clockFrom(jst(20, 0));
    const { mock, wire } = await serve(now);
    const userId = newUser();
    const context = { transactionId: 'm987654', topic: 'shipping' };
    const chat = await mount({ endpoint: mock.wsUrl, userId, locale: 'ja', now, context });
    const host = listen(chat.el);
    expect(chat.$('header p')?.textContent?.trim()).to.equal('オペレーター対応時間外です。ボットが引き続きご案内します。');

    await askBot(chat, 'オペレーターと話したい', 'ただいまオペレーターの受付時間外です。', 'オペレーターと話す');
    await click(chat, 'オペレーターと話す');
    await waitPhase(chat, '現在オペレーターは対応時間外です。');
    // Back at 10:00 Japan time tomorrow, said in the user's zone (plus Japan time when it differs);
    // Japanese runs its sentences on, with no space after the full stop.
    expect(phaseText(chat)).to.match(/^現在オペレーターは対応時間外です。明日.*10:00/);
    const conversation = wire.last;
    expect(mock.backend.control.inspect(conversation)?.mode, 'no operator request outside hours').to.equal('bot');

    await click(chat, 'オペレーターにメッセージを残す');
    expect(chat.input.placeholder).to.equal('オペレーターへのメッセージを入力してください…');
    await chat.type('明日、取引 m987654 の配送についてお電話ください。');
    await waitPhase(chat, 'メッセージをオペレーターにお渡ししました。');
    expect(phaseText(chat)).to.match(/ご返信します。明日.*10:00/);
    await waitRow(chat, 'system', '受付番号は T1001 です。');

    const tickets = mock.backend.control.tickets();
    expect(tickets).to.have.length(1);
    expect(tickets[0]).to.include({ conversationId: conversation, text: '明日、取引 m987654 の配送についてお電話ください。' });
    expect(tickets[0].context).to.deep.equal(context);
    expect(tickets[0].transcript.map((m) => m.role)).to.include.members(['user', 'bot']);
    expect(tickets[0].transcript.some((m) => m.text === 'オペレーターと話したい')).to.be.true;
    // The left message stays in the user's transcript, right above its ticket number.
    const tail = rows(chat).slice(-2).map((r) => [r.role, r.text]);
    expect(tail[0]).to.deep.equal(['user', '明日、取引 m987654 の配送についてお電話ください。']);
    expect(tail[1][0]).to.equal('system');

    // The bot keeps answering meanwhile.
    await chat.type('支払い方法を教えてください');
    await waitRow(chat, 'bot', 'お支払い方法は次のとおりです。');
    expect(host.sequence()).to.deep.equal(['after-hours', 'message-left']);
    expect(host.errors).to.deep.equal([]);
  });

  /**
   * Opens the widget at 18:29:55 Japan time (inside the closing-soon window, 5 s before closing:
   * room for a slow start on a loaded machine) with a queue too slow for any operator to join,
   * and waits until it is ready (greeted).
   */
  async function nearClosing() {
    const now = clockFrom(jst(18, 29, 55));
    const { mock, wire } = await serve(now, { queueStepMs: 60_000 });
    const chat = await mount({ endpoint: mock.wsUrl, userId: newUser(), locale: 'en', now, context: { topic: 'payment' } });
    const host = listen(chat.el);
    await waitRow(chat, 'bot', "I'm the Mercari support bot");
    return { now, mock, wire, chat, host };
  }

  /** Gets in line near closing: the closing-soon warning first, then "Ask anyway". */
  async function queueNearClosing(chat: ChatHarness) {
    await click(chat, 'Talk to an operator');
    await waitPhase(chat, `Operators close at ${CLOSES}.`);
    await click(chat, 'Ask anyway');
    await waitPhase(chat, 'You are number 3 in line.');
  }

  it('warns near closing time before queueing; asking anyway queues', async () => {
    const { now, chat, host, mock, wire } = await nearClosing();
    expect(chat.$('header p')?.textContent).to.match(/^Operators are available/);
    await click(chat, 'Talk to an operator');
    await waitPhase(chat, `Operators close at ${CLOSES}. You may not reach one before then.`);
    expect(phaseButtons(chat)).to.deep.equal(['Ask anyway', 'Cancel']);
    expect(host.phases, 'a warning is not a phase').to.deep.equal([]);
    expect(mock.server.stats().requests.filter((r) => r.kind === 'command'), 'nothing asked of the backend yet').to.deep.equal([]);
    await click(chat, 'Ask anyway');
    await waitPhase(chat, 'You are number 3 in line.');
    expect(now()).to.be.below(jst(18, 30));
    expect(mock.backend.control.inspect(wire.last)?.mode).to.equal('queued');
    expect(host.sequence()).to.deep.equal(['requested', 'queued']);
  }).timeout(20_000);

  it('closing-soon-minutes="60" warns from an hour before closing', async () => {
    // 17:29:58: the 60-minute window opens 2 s later, after the page is loaded.
    const now = clockFrom(jst(17, 29, 58));
    const { mock } = await serve(now, { queueStepMs: 60_000 });
    const el = document.createElement('mercari-chat-support');
    el.setAttribute('closing-soon-minutes', '60');
    el.setAttribute('user-id', newUser());
    el.setAttribute('locale', 'en');
    Object.assign(el, { endpoint: mock.wsUrl, now, open: true });
    document.body.append(el);
    const chat = new ChatHarness(el);
    try {
      await waitRow(chat, 'bot', "I'm the Mercari support bot");
      await eventually(() => now() >= jst(17, 30) + 100, () => 'the clock stopped');
      await click(chat, 'Talk to an operator');
      await waitPhase(chat, `Operators close at ${CLOSES}.`);
    } finally {
      el.remove();
    }
  });

  it('hours closing while waiting: at 18:30 the widget leaves the queue, says when operators are back and offers to leave a message', async () => {
    const { now, mock, wire, chat, host } = await nearClosing();
    await queueNearClosing(chat);
    expect(mock.backend.control.inspect(wire.last)?.mode).to.equal('queued');
    expect(now(), 'still before closing time').to.be.below(jst(18, 30));

    // The boundary passes in real time: the widget notices without any server event.
    await waitPhase(chat, 'Operators are away right now.', 7000);
    expect(now(), 'not before closing time').to.be.at.least(jst(18, 30));
    expect(phaseText(chat)).to.match(/back tomorrow at .*10:00\sAM/);
    expect(phaseButtons(chat)).to.deep.equal(['Leave a message for an operator']);
    expect(chat.$('header p')?.textContent?.trim()).to.equal('Outside operator hours. The bot can still help.');
    expect(host.sequence()).to.deep.equal(['requested', 'queued', 'after-hours']);
    expect(host.errors).to.deep.equal([]);
  }).timeout(20_000);

  it('hours closing while waiting: the message left then reaches the operators as a ticket', async () => {
    const { mock, wire, chat, host } = await nearClosing();
    await queueNearClosing(chat);
    await waitPhase(chat, 'Operators are away right now.', 7000);
    await click(chat, 'Leave a message for an operator');
    await chat.type('Please check my payment for order m55');
    await waitPhase(chat, 'Your message was passed to our operators, who will reply');
    await waitRow(chat, 'system', 'Your ticket number is T1001.');
    expect(mock.backend.control.tickets().map((t) => [t.conversationId, t.text, t.context])).to.deep.equal([
      [wire.last, 'Please check my payment for order m55', { topic: 'payment' }],
    ]);
    expect(mock.backend.control.inspect(wire.last)?.mode).to.equal('bot');
    expect(host.sequence()).to.deep.equal(['requested', 'queued', 'after-hours', 'message-left']);
    expect(host.errors).to.deep.equal([]);
  }).timeout(20_000);

  /** At noon, asks the bot for an operator and waits in line; the backend's queue moves every `queueStepMs`. */
  async function queuedAtNoon(queueStepMs: number) {
    const now = clockFrom(jst(12, 0));
    const { mock, wire } = await serve(now, { queueStepMs });
    const chat = await mount({ endpoint: mock.wsUrl, userId: newUser(), locale: 'en', now });
    const host = listen(chat.el);
    await askBot(chat, 'This did not help', "I'm sorry that didn't help.", 'Talk to an operator');
    await click(chat, 'Talk to an operator');
    await waitPhase(chat, 'You are number 3 in line.');
    return { mock, chat, host, conversation: wire.last };
  }

  it('cancel while waiting: back to the bot, and no operator joins', async () => {
    const { mock, chat, host, conversation } = await queuedAtNoon(300);

    await click(chat, 'Cancel');
    await waitRow(chat, 'system', 'You left the queue. The bot will keep helping you.');
    expect(phaseText(chat)).to.equal('');
    expect(chat.$('[part="ask-operator"]')?.textContent?.trim()).to.equal('Talk to an operator');
    await eventually(() => mock.backend.control.inspect(conversation)?.mode === 'bot', () => `backend mode ${mock.backend.control.inspect(conversation)?.mode}`);

    // The bot answers again; and past the time the operator would have joined, nobody did.
    await chat.type('How do I pay?');
    await waitRow(chat, 'bot', 'You can pay with:');
    await new Promise((resolve) => setTimeout(resolve, 3 * 300 + 200));
    expect(mock.backend.control.events(conversation).some((e) => e.type === 'operator-joined')).to.be.false;
    expect(rows(chat).some((r) => r.role === 'operator')).to.be.false;
    expect(host.sequence()).to.deep.equal(['requested', 'queued', 'bot']);
    expect(host.errors).to.deep.equal([]);
  });

  it('cancel while offline: the queue stays shown, as the backend still has it, and Cancel works once back online', async () => {
    // Slow enough that no operator joins while the test looks.
    const { mock, chat, host, conversation } = await queuedAtNoon(3000);

    network().offline();
    try {
      await click(chat, 'Cancel');
      expect(phaseText(chat)).to.match(/in line/);
      expect(chat.notice).to.contain('You are offline. Try again when you are back online.');
      await new Promise((resolve) => setTimeout(resolve, 100));
      expect(mock.backend.control.inspect(conversation)?.mode, 'the backend and the screen agree').to.equal('queued');
    } finally {
      network().online();
    }
    await chat.el.updateComplete;
    expect(chat.notice).to.equal('');
    await click(chat, 'Cancel');
    await waitRow(chat, 'system', 'You left the queue. The bot will keep helping you.');
    await eventually(() => mock.backend.control.inspect(conversation)?.mode === 'bot', () => `backend mode ${mock.backend.control.inspect(conversation)?.mode}`);
    expect(host.sequence()).to.deep.equal(['requested', 'queued', 'bot']);
    expect(host.errors.map((e) => (e as { code: string }).code)).to.deep.equal(['transport']);
  });

  it('a reload in the middle of an operator chat restores the phase and the transcript from IndexedDB, and the chat goes on', async () => {
    const now = clockFrom(jst(12, 0));
    const { mock, wire } = await serve(now);
    const userId = newUser();
    let chat = await mount({ endpoint: mock.wsUrl, userId, locale: 'en', now });
    await askBot(chat, 'talk to a human please', 'I can connect you to an operator', 'Talk to an operator');
    await click(chat, 'Talk to an operator');
    await waitPhase(chat, 'You are chatting with Sato.', 3000);
    await chat.type('My parcel has not arrived');
    await waitRow(chat, 'operator', 'Let me check that for you');
    const conversation = wire.last;
    const before = rows(chat).map(({ role, text, status }) => ({ role, text, status }));
    const cursor = mock.backend.control.inspect(conversation)!.seq;

    unmount(chat);
    // While the page is away the operator writes; the reloaded page must pick it up.
    mock.backend.control.operator.say(conversation, 'I found your parcel: it is at the depot.');

    const hellos = mock.server.stats().hellos.length;
    chat = await mount({ endpoint: mock.wsUrl, userId, locale: 'en', now });
    const host = listen(chat.el);
    await waitPhase(chat, 'You are chatting with Sato.');
    await eventually(() => rows(chat).length >= before.length, seen(chat));
    expect(rows(chat).slice(0, before.length).map(({ role, text, status }) => ({ role, text, status }))).to.deep.equal(before);
    expect(phaseButtons(chat)).to.deep.equal(['End chat']);

    // Resumed where it left off (the transcript came from storage, not from a full replay)...
    await waitRow(chat, 'operator', 'I found your parcel: it is at the depot.');
    const resume = mock.server.stats().hellos.slice(hellos);
    expect(resume).to.have.length(1);
    expect(resume[0]).to.include({ conversationId: conversation, cursor });
    // ...and the operator chat goes on both ways.
    mock.backend.control.operator.say(conversation, 'Is there anything else?');
    await waitRow(chat, 'operator', 'Is there anything else?');
    await chat.type('No, thank you!');
    await waitRow(chat, 'operator', "I've checked it.");
    const after = rows(chat);
    expect(after.filter((r) => r.role === 'operator').every((r) => r.li.querySelector('.meta')?.textContent?.trim() === 'Sato')).to.be.true;
    expect(after.map((r) => r.text).filter((t) => t === 'My parcel has not arrived')).to.have.length(1);
    expect(host.phases, 'a restore is not a phase change').to.deep.equal([]);
  });

  it('a host can veto the hand-off by cancelling mcs-request-operator', async () => {
    const now = clockFrom(jst(12, 0));
    const { mock, wire } = await serve(now);
    const userId = newUser();
    const chat = await mount({ endpoint: mock.wsUrl, userId, locale: 'en', now });
    const host = listen(chat.el);
    const veto = (e: Event) => e.preventDefault();
    chat.el.addEventListener('mcs-request-operator', veto);
    await askBot(chat, 'operator please', 'I can connect you to an operator', 'Talk to an operator');
    const conversation = wire.last;

    await click(chat, 'Talk to an operator');
    expect(host.requests).to.have.length(1);
    expect(host.requests[0].cancelable).to.be.true;
    expect(host.requests[0].defaultPrevented).to.be.true;
    expect(chat.el.requestOperator(), 'the method reports the veto').to.be.false;
    await chat.el.updateComplete;
    expect(phaseText(chat)).to.equal('');
    expect(host.phases).to.deep.equal([]);
    expect(mock.server.stats().requests.filter((r) => r.kind === 'command')).to.deep.equal([]);
    expect(mock.backend.control.inspect(conversation)?.mode).to.equal('bot');

    // Without the veto the same button hands off.
    chat.el.removeEventListener('mcs-request-operator', veto);
    expect(chat.el.requestOperator()).to.be.true;
    await waitPhase(chat, 'You are number');
    expect(host.sequence().slice(0, 2)).to.deep.equal(['requested', 'queued']);
  });

  it('sends the element\'s context to the backend when the conversation starts and, as updated, at hand-off', async () => {
    const now = clockFrom(jst(12, 0));
    const { mock, wire } = await serve(now, { queueStepMs: 60_000 });
    const userId = newUser();
    const chat = await mount({ endpoint: mock.wsUrl, userId, locale: 'en', now, context: { article: 'shipping-delays' } });
    await chat.type('Where is my parcel?');
    await waitRow(chat, 'bot', 'Here is how shipping works');
    const conversation = wire.last;
    expect(mock.backend.control.inspect(conversation)?.context).to.deep.equal({ article: 'shipping-delays' });

    // The host learns more (the user picked a transaction) before the user asks for a person.
    chat.el.context = { article: 'shipping-delays', transactionId: 'm42', topic: 'shipping' };
    expect(chat.el.requestOperator()).to.be.true;
    await waitPhase(chat, 'You are number 3 in line.');
    const info = mock.backend.control.inspect(conversation)!;
    expect(info.mode).to.equal('queued');
    expect(info.context).to.deep.equal({ article: 'shipping-delays', transactionId: 'm42', topic: 'shipping' });
  });

  it('starting a new conversation right after ending: the end still reaches the backend, and no error shows', async () => {
    const now = clockFrom(jst(12, 0));
    // A slow network: every POST takes 150 ms to leave the page.
    const { mock, wire } = await serve(now, {}, 150);
    const chat = await mount({ endpoint: mock.httpUrl, userId: newUser(), locale: 'en', now });
    const host = listen(chat.el);
    await waitRow(chat, 'bot', "I'm the Mercari support bot");
    const first = wire.last;
    await click(chat, 'Talk to an operator');
    await waitPhase(chat, 'You are chatting with Sato.', 4000);
    await click(chat, 'End chat');
    await click(chat, 'End chat');
    await click(chat, 'Start a new conversation');
    await eventually(() => wire.ids.length === 2, () => `conversations ${JSON.stringify(wire.ids)}`);
    await eventually(() => mock.backend.control.inspect(first)?.mode === 'ended', () => `first conversation ${JSON.stringify(mock.backend.control.inspect(first))}`);
    // "Connecting…" while the new conversation opens; no error banner, then nothing.
    await eventually(() => chat.notice === '', () => `notice "${chat.notice}"`);
    expect(host.errors).to.deep.equal([]);
    expect(host.sequence()).to.deep.equal(['requested', 'queued', 'operator', 'ended', 'bot']);
  });
});
