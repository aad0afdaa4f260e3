import { setViewport } from '@web/test-runner-commands';
import { waitUntil } from '../helpers/wait.js';
import sinon from 'sinon';
import { ChatHarness, deleteWidgetDatabases, NIGHT_JST, NOON_JST, type ChatOptions } from '../helpers/harness.js';
import { FakeTransport } from '../helpers/fake-transport.js';

/** Every state the widget can be in, reached through its real code paths (transport events, clock, network). */
export const STATES = [
  'closed',
  'open',
  'bot with quick replies',
  'waiting in queue',
  'operator chatting',
  'asked whether to end',
  'after hours',
  'offline with queued messages',
  'failed send',
  'survey',
  'error',
] as const;
export type State = (typeof STATES)[number];

export { waitUntil };

/**
 * A server sequence number above anything the fake has used: it leaves room for the fake's own
 * `say()`, which numbers on from the highest seq emitted (a reused seq would be dropped as a duplicate).
 */
let seq = 0;
export const nextSeq = () => (seq += 1000);

const article = { url: 'https://help.example.test/shipping', title: '配送について / Shipping', summary: '配送の目安 / Delivery times' };

/** Pretends the browser lost its network (navigator.onLine is read by the connectivity controller). */
export function goOffline(): () => void {
  Object.defineProperty(navigator, 'onLine', { configurable: true, get: () => false });
  dispatchEvent(new Event('offline'));
  return () => {
    delete (navigator as { onLine?: boolean }).onLine;
    dispatchEvent(new Event('online'));
  };
}

/** Waits until the session is connected and its stored history is shown. */
export async function connected(chat: ChatHarness, transport: FakeTransport) {
  await waitUntil(() => transport.connects.length > 0, 'never connected');
  await waitUntil(() => chat.$('[part="ask-operator"]') || chat.phase, 'flow never started');
  // Announcements start once history is shown: one more macrotask for the priming promise.
  await new Promise((resolve) => setTimeout(resolve, 50));
}

/**
 * Creates a widget (light DOM fixture) and drives it into `state`. `restore` undoes global fakes
 * (network); call it in afterEach.
 */
export async function enter(state: State, options: ChatOptions = {}) {
  const transport = new FakeTransport();
  let restore = () => {};
  if (state === 'error') {
    // Storage refused (private mode, a sandboxed frame): the outbox keeps messages in memory and says so.
    const open = sinon.stub(indexedDB, 'open').throws(new DOMException('refused', 'SecurityError'));
    restore = () => open.restore();
  }
  const night = state === 'after hours';
  const chat = await ChatHarness.create({ transport, now: () => (night ? NIGHT_JST : NOON_JST), open: state !== 'closed', ...options });
  if (state === 'closed') return { chat, transport, restore };
  await connected(chat, transport);
  switch (state) {
    case 'bot with quick replies':
      transport.say({
        text: '**お問い合わせ** ありがとうございます / Thanks for asking. See [the guide](https://help.example.test/guide).',
        quickReplies: [
          { id: 'ship', label: '配送 / Shipping' },
          { id: 'pay', label: '支払い / Payment' },
          { id: 'op', label: 'オペレーター / Operator', action: 'operator' },
        ],
        articles: [article],
      });
      await waitUntil(() => chat.$$('.chip').length === 3 && chat.$('.card a'), 'no quick replies');
      break;
    case 'waiting in queue':
      chat.el.requestOperator();
      transport.emit({ type: 'queue', seq: nextSeq(), position: 3, etaSeconds: 240 });
      await waitUntil(() => /3/.test(chat.phase), 'not queued');
      break;
    case 'operator chatting':
      transport.emit({ type: 'operator-joined', seq: nextSeq(), name: 'Aiko' });
      transport.say({ role: 'operator', author: 'Aiko', text: 'こんにちは / Hello, how can I help?' });
      transport.emit({ type: 'typing', role: 'operator', active: true, name: 'Aiko' });
      await waitUntil(() => chat.$('.msg.operator') && /Aiko/.test(chat.phase) && chat.$('.typing')?.textContent, 'no operator');
      break;
    case 'asked whether to end':
      transport.emit({ type: 'operator-joined', seq: nextSeq(), name: 'Aiko' });
      await waitUntil(() => /Aiko/.test(chat.phase), 'no operator');
      chat.$<HTMLButtonElement>('[part~="phase"] button')!.click();
      await waitUntil(() => chat.$$('[part~="phase"] button').length === 2, 'not asked');
      break;
    case 'after hours':
      chat.el.requestOperator();
      await waitUntil(() => chat.$('.phase .primary'), 'not after hours');
      break;
    case 'offline with queued messages':
      transport.sendBehaviour = 'hang';
      restore = goOffline();
      transport.emit({ type: 'connection', status: 'offline' });
      await chat.type('オフライン / offline one');
      await chat.type('two');
      await waitUntil(() => chat.$$('.msg.user .meta').length === 2, 'not queued');
      break;
    case 'failed send':
      transport.sendBehaviour = 'reject-permanent';
      await chat.type('rejected');
      await waitUntil(() => chat.$('.msg.failed button') && chat.notice, 'not failed');
      break;
    case 'survey':
      transport.emit({ type: 'operator-joined', seq: nextSeq(), name: 'Aiko' });
      transport.emit({ type: 'ended', seq: nextSeq(), by: 'operator' });
      await waitUntil(() => chat.$('.survey'), 'no survey');
      break;
    case 'error':
      await waitUntil(() => chat.$('[part="notice"] button'), 'no error banner');
      break;
  }
  await chat.el.updateComplete;
  return { chat, transport, restore };
}

/**
 * For a `describe` whose tests size the page: returns `enterAt(viewport, state, options)`, and
 * after each test undoes the state's fakes, puts the page back to 800×600 and deletes the stored data.
 */
export function sizedStates() {
  let restore = () => {};
  afterEach(async () => {
    restore();
    restore = () => {};
    await setViewport({ width: 800, height: 600 });
    await deleteWidgetDatabases();
  });
  return async (viewport: { width: number; height: number }, state: State, options?: ChatOptions) => {
    await setViewport(viewport);
    const entered = await enter(state, options);
    restore = entered.restore;
    return entered;
  };
}
