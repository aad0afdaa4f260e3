/**
 * Scenario presets: each puts the real widget into one state by doing what a user, an operator
 * and the network would do — calling the element's public methods, playing the operator through
 * the reference backend's `control`, and breaking the demo network. No mock-up UI.
 */
import type { MercariChatSupport } from '../../src/element/mercari-chat-support.js';
import type { Phase } from '../../src/flow/index.js';
import type { BackendControl } from '../../src/testing/backend/types.js';
import type { ConnectionStatus } from '../../src/transport/types.js';
import type { DemoNetwork } from './network.js';
import { $, $$, click, hasErrorNotice, hasSurvey, phaseText, rows, typeAndSend, typingText } from './widget.js';

/** What a preset can reach while it runs. */
export interface PresetContext {
  el: MercariChatSupport;
  lang: 'ja' | 'en';
  control: BackendControl;
  network: DemoNetwork;
  /** The conversation the widget is in, once the backend has opened one. */
  conversation(): Promise<string>;
  /** The phase the widget last reported (`mcs-phase`); `bot` before any report. */
  phase(): Phase;
  /** The connection status the widget last reported (`mcs-connection`). */
  connection(): ConnectionStatus;
  /** The simulated time, ms. */
  now(): number;
  /** Jumps the simulated clock (ms); the widget re-reads it at once. */
  jump(at: number): void;
  /** Resolves with `check()` once it is truthy; rejects after `ms` naming `what`. */
  until<T>(check: () => T, what: string, ms?: number): Promise<NonNullable<T>>;
}

/** One scenario. */
export interface Preset {
  /** URL id, e.g. `queue`. */
  id: string;
  /** Button label. */
  label: string;
  /** One sentence for designers: what they see and what to try next. */
  description: string;
  /** Simulated wall time (the schedule's zone) the scenario starts at, `YYYY-MM-DDTHH:MM`. */
  at: string;
  /** Whether the backend's simulated operator acts by itself (false: only the operator console does). */
  auto: boolean;
  /** The phase the widget is in once the preset has run. */
  phase: Phase;
  /** Whether the widget visibly shows the state (checked at the end of `run`, and by tests). */
  check(el: MercariChatSupport): boolean;
  /** Drives the widget there. */
  run(ctx: PresetContext): Promise<void>;
}

/** A Monday in June, inside operator hours unless a preset says otherwise. */
const DAY = '2026-06-15';

/** What the demo user and operator say, per language. */
export const LINES = {
  ja: {
    question: '商品がまだ届かないのですが、どうすればいいですか？',
    human: 'オペレーターと話したいです',
    operator: '佐藤',
    hello: (name: string) => `担当の${name}です。お待たせいたしました。ご注文の配送状況をお調べしますので、取引IDを教えていただけますか？`,
    reply: '取引IDは m12345678901 です。よろしくお願いします。',
    solved: '出品者に確認したところ、本日発送されたとのことです。ほかにご不明な点はございますか？',
    leave: '発送通知から1週間たっても商品が届きません。取引ID m12345678901 の状況を確認していただけますか。',
    offline: ['追跡番号が表示されません', '出品者に連絡しても返事がありません'],
    failed: '取引画面のスクリーンショットを送ります',
  },
  en: {
    question: 'My item has not been delivered yet. What should I do?',
    human: 'I would like to talk to an operator',
    operator: 'Sato',
    hello: (name: string) => `Hi, this is ${name} from Mercari support. Thanks for waiting! Could you tell me the transaction ID so I can check the delivery?`,
    reply: 'Sure, it is m12345678901. Thank you!',
    solved: 'I checked with the seller: the item was shipped today. Is there anything else I can help you with?',
    leave: 'My item has not arrived a week after it was shipped. Could you check transaction m12345678901?',
    offline: ['The tracking number does not show up', 'The seller does not answer my messages'],
    failed: 'Here is a screenshot of the transaction screen',
  },
} as const;

const lines = (ctx: PresetContext) => LINES[ctx.lang];
const count = (el: MercariChatSupport, role: string) => rows(el).filter((r) => r.role === role).length;

/** Opens the panel and waits for the bot's greeting. */
async function opened(ctx: PresetContext) {
  ctx.el.show();
  await ctx.until(() => count(ctx.el, 'bot'), 'the bot greeting');
}

/** Sends `text` as the user and waits for the bot's answer to it. */
async function ask(ctx: PresetContext, text: string) {
  const before = count(ctx.el, 'bot');
  await ctx.el.send(text);
  await ctx.until(() => count(ctx.el, 'bot') > before, 'the bot answer');
}

/** Waits until every message the user sent is acknowledged. */
const allSent = (ctx: PresetContext) => ctx.until(() => rows(ctx.el).every((r) => r.role !== 'user' || !r.status), 'the user message to be sent');

async function queued(ctx: PresetContext) {
  await opened(ctx);
  await ask(ctx, lines(ctx).human);
  if (!ctx.el.requestOperator()) throw new Error('requestOperator() refused');
  await ctx.until(() => ctx.phase() === 'queued' && phaseText(ctx.el), 'the queue');
}

async function chatting(ctx: PresetContext) {
  await queued(ctx);
  const id = await ctx.conversation();
  const { operator, hello, reply } = lines(ctx);
  ctx.control.operator.join(id, operator);
  await ctx.until(() => ctx.phase() === 'operator', 'the operator to join');
  ctx.control.operator.say(id, hello(operator));
  await ctx.until(() => count(ctx.el, 'operator'), 'the operator greeting');
  await ctx.el.send(reply);
  await allSent(ctx);
  return id;
}

async function afterHours(ctx: PresetContext) {
  await opened(ctx);
  await ask(ctx, lines(ctx).human);
  ctx.el.requestOperator();
  await ctx.until(() => ctx.phase() === 'after-hours' && phaseText(ctx.el), 'the after-hours notice');
}

async function survey(ctx: PresetContext) {
  const id = await chatting(ctx);
  ctx.control.operator.say(id, lines(ctx).solved);
  await ctx.until(() => count(ctx.el, 'operator') > 1, 'the operator answer');
  ctx.control.operator.end(id);
  await ctx.until(() => ctx.phase() === 'ended' && hasSurvey(ctx.el), 'the survey');
}

/** Runs `steps`, then waits until the preset's own check passes. */
const preset = (p: Omit<Preset, 'run'> & { steps(ctx: PresetContext): Promise<void> }): Preset => ({
  ...p,
  async run(ctx) {
    try {
      await p.steps(ctx);
      await ctx.until(() => p.check(ctx.el), `the "${p.label}" state`);
    } catch (error) {
      // What the widget shows instead, for the panel's message and test failures.
      const shown = rows(ctx.el).map((r) => `${r.role}${r.status ? `(${r.status})` : ''}`);
      throw new Error(`${(error as Error).message}; phase ${ctx.phase()}, connection ${ctx.connection()}, transcript [${shown.join(', ')}]`);
    }
  },
});

/** Every preset, in the order the panel lists them. */
export const PRESETS: readonly Preset[] = [
  preset({
    id: 'greeting',
    label: 'Greeting',
    description: 'The panel just opened: the bot greets and offers the main topics as quick replies.',
    at: `${DAY}T12:00`,
    auto: true,
    phase: 'bot',
    check: (el) => rows(el).some((r) => r.role === 'bot' && r.replies > 0),
    steps: opened,
  }),
  preset({
    id: 'bot-answer',
    label: 'Bot answer',
    description: 'The bot answers a question with a help-article card and follow-up quick replies.',
    at: `${DAY}T12:00`,
    auto: true,
    phase: 'bot',
    check: (el) => rows(el).some((r) => r.role === 'bot' && r.cards > 0 && r.replies > 0),
    steps: async (ctx) => {
      await opened(ctx);
      await ask(ctx, lines(ctx).question);
    },
  }),
  preset({
    id: 'queue',
    label: 'Waiting in queue',
    description: 'The user asked for an operator and waits in line. Join from the operator console.',
    at: `${DAY}T12:00`,
    auto: false,
    phase: 'queued',
    check: (el) => /\d/.test(phaseText(el)),
    steps: queued,
  }),
  preset({
    id: 'operator',
    label: 'Operator chatting',
    description: 'An operator joined and is typing a reply. Type, send and end from the operator console.',
    at: `${DAY}T12:00`,
    auto: false,
    phase: 'operator',
    check: (el) => !!typingText(el) && rows(el).some((r) => r.role === 'operator'),
    steps: async (ctx) => {
      const id = await chatting(ctx);
      ctx.control.operator.typing(id, true);
    },
  }),
  preset({
    id: 'end-asked',
    label: 'Ending the chat',
    description: 'The user pressed "End chat": the bar asks first, with "Keep chatting" and "End chat".',
    at: `${DAY}T12:00`,
    auto: false,
    phase: 'operator',
    check: (el) => $$(el, '[part~="phase"] button').length == 2,
    steps: async (ctx) => {
      await chatting(ctx);
      if (!click(ctx.el, '[part~="phase"] button')) throw new Error('no "End chat" button');
    },
  }),
  preset({
    id: 'after-hours',
    label: 'After hours',
    description: 'Operators are away (20:00 Japan time): the widget says when they are back and offers to leave a message.',
    at: `${DAY}T20:00`,
    auto: true,
    phase: 'after-hours',
    check: (el) => !!$(el, '[part~="phase"] button'),
    steps: afterHours,
  }),
  preset({
    id: 'message-left',
    label: 'Message left',
    description: 'After hours, the user left a message for the operators and got a ticket number.',
    at: `${DAY}T20:00`,
    auto: true,
    phase: 'message-left',
    check: (el) => rows(el).some((r) => r.role === 'system'),
    steps: async (ctx) => {
      await afterHours(ctx);
      if (!click(ctx.el, '[part~="phase"] button.primary')) throw new Error('no "leave a message" button');
      await ctx.el.updateComplete;
      typeAndSend(ctx.el, lines(ctx).leave);
      await ctx.until(() => ctx.phase() === 'message-left', 'the message to be left');
    },
  }),
  preset({
    id: 'closing-soon',
    label: 'Closing soon',
    description: 'Ten minutes before operators close (18:20): asking for one shows a warning first.',
    at: `${DAY}T18:20`,
    auto: true,
    phase: 'bot',
    check: (el) => $$(el, '[part~="phase"] button').length >= 2,
    steps: async (ctx) => {
      await opened(ctx);
      // Workaround: a session that starts inside the closing-soon window forgets it (its first
      // 'opened' clears closingSoon, and the element reports only the window's start). Leaving
      // the window and coming back makes the element report the start again.
      const at = ctx.now();
      ctx.jump(at - 10 * 60_000);
      await ctx.el.updateComplete;
      ctx.jump(at);
      await ctx.el.updateComplete;
      ctx.el.requestOperator();
    },
  }),
  preset({
    id: 'offline',
    label: 'Offline, messages queued',
    description: 'The network is gone: two messages wait on the device, marked "will send when online". Go online to send them.',
    at: `${DAY}T12:00`,
    auto: true,
    phase: 'bot',
    check: (el) => rows(el).filter((r) => r.role === 'user' && r.status === 'queued').length >= 2,
    steps: async (ctx) => {
      await opened(ctx);
      // A first exchange online also lets the widget finish connecting before the network goes.
      await ask(ctx, lines(ctx).question);
      ctx.network.setOffline(true);
      await ctx.until(() => ctx.connection() !== 'online', 'the widget to notice the network is gone');
      for (const text of lines(ctx).offline) await ctx.el.send(text);
    },
  }),
  preset({
    id: 'failed',
    label: 'Failed send',
    description: 'The server refused a message for good: it is marked "not sent" with Retry and Delete.',
    at: `${DAY}T12:00`,
    auto: true,
    phase: 'bot',
    check: (el) => rows(el).some((r) => r.role === 'user' && r.status === 'failed'),
    steps: async (ctx) => {
      await opened(ctx);
      ctx.network.rejectNextMessage();
      await ctx.el.send(lines(ctx).failed);
    },
  }),
  preset({
    id: 'survey',
    label: 'Survey',
    description: 'The operator ended the chat: the satisfaction survey asks for a score and a comment.',
    at: `${DAY}T12:00`,
    auto: false,
    phase: 'ended',
    check: hasSurvey,
    steps: survey,
  }),
  preset({
    id: 'ended',
    label: 'Ended',
    description: 'The survey is answered: the transcript stays readable and a new conversation can start.',
    at: `${DAY}T12:00`,
    auto: false,
    phase: 'ended',
    check: (el) => !hasSurvey(el) && !!$(el, '[part~="phase"] button'),
    steps: async (ctx) => {
      await survey(ctx);
      click(ctx.el, '[part~="survey"] input[name="score"][value="5"]');
      $<HTMLFormElement>(ctx.el, 'form[part~="survey"]')?.requestSubmit();
    },
  }),
  preset({
    id: 'error',
    label: 'Error',
    description: 'The support service refuses connections: the widget explains and keeps the message for later.',
    at: `${DAY}T12:00`,
    auto: true,
    phase: 'bot',
    check: hasErrorNotice,
    steps: async (ctx) => {
      ctx.network.setRefusing(true);
      ctx.el.show();
      await ctx.until(() => hasErrorNotice(ctx.el), 'the error notice');
      await ctx.el.send(lines(ctx).question);
    },
  }),
];

/** The preset with `id`, or undefined. */
export const presetById = (id: string): Preset | undefined => PRESETS.find((p) => p.id === id);
