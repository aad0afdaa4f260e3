/**
 * The stage: the mock help page with the real widget, the reference backend served in the page
 * by msw, the simulated clock and network. The panel drives it through the `Stage` object it
 * publishes as `window.mcsStage`; the screenshot script and the demo test read it too.
 */
import { render } from 'lit';
import { setupWorker } from 'msw/browser';
import { isOpen, type Schedule } from '../../src/hours/engine.js';
import { parseSchedule } from '../../src/hours/index.js';
import type { MercariChatSupport } from '../../src/element/mercari-chat-support.js';
import type { Phase } from '../../src/flow/index.js';
import { createBackend } from '../../src/testing/backend/index.js';
import type { Backend, BackendControl, ConversationInfo } from '../../src/testing/backend/types.js';
import { mswHandlers } from '../../src/testing/msw.js';
import { createProtocolServer } from '../../src/testing/protocol-server.js';
import type { ConnectionStatus } from '../../src/transport/types.js';
import { createClock, wallTime, type DemoClock } from './clock.js';
import { helpPage } from './help-page.js';
import { createNetwork, type DemoNetwork } from './network.js';
import { PRESETS, presetById, type Preset, type PresetContext } from './presets.js';
import { DEMO_HOURS, ENDPOINTS, type DemoState, type Position } from './state.js';
import { mergeTokens, themeById, themeCss, type ThemeTokens } from './tokens.js';


/** One line of the stage's event log. */
export interface LogEntry {
  /** Simulated time, ms. */
  at: number;
  /** `mcs-*` event name, or `demo` for the demo's own actions. */
  type: string;
  /** A short summary of the detail. */
  text: string;
}

/** What the panel (and tests) can do with a running stage. */
export interface Stage {
  /** `starting` until the preset has run; `failed` when it could not be reached (see `failure`). */
  readonly status: 'starting' | 'ready' | 'failed';
  /** Why the preset failed. */
  readonly failure?: string;
  /** Settles when the preset has run (never rejects: read `status`). */
  readonly ready: Promise<void>;
  readonly state: DemoState;
  readonly preset: Preset;
  /** Every preset (ids and labels, for the screenshot script). */
  readonly presets: readonly Preset[];
  readonly el: MercariChatSupport;
  readonly clock: DemoClock;
  readonly network: DemoNetwork;
  readonly control: BackendControl;
  /** The business hours in force (the element's and the backend's). */
  readonly schedule: Schedule;
  /** The phase the widget last reported. */
  phase(): Phase;
  /** The connection status the widget last reported. */
  connection(): ConnectionStatus;
  /** The conversation the widget is in, if the backend opened one. */
  conversationId(): string | undefined;
  /** Whether the operator is shown as typing (until they say something or stop). */
  operatorTyping(): boolean;
  /** The backend's view of that conversation. */
  conversation(): ConversationInfo | undefined;
  /** Widget events and demo actions, newest last (at most 200). */
  readonly log: readonly LogEntry[];
  /** Uncaught errors, unhandled rejections and `console.error` calls in the stage. */
  readonly errors: readonly string[];
  setTheme(theme: DemoState['theme']): void;
  setPosition(position: Position): void;
  /** Applies a demo theme plus token edits; returns the host CSS that does it. */
  setTokens(palette: string, edits: ThemeTokens): string;
  /** The host CSS in force. */
  readonly css: string;
  /** Sets business hours (attribute form) for the element and the backend; returns problems, if any. */
  setHours(hours: string): string[];
  /** Jumps the simulated clock (ms) and has the widget re-read it at once. */
  jump(at: number): void;
  /** The backend's emergency override (`null` clears it). */
  overrideHours(state: 'open' | 'closed' | null): void;
  /** Play the operator in the current conversation; each returns an error message, or undefined. */
  operator: {
    join(name: string): string | undefined;
    typing(active: boolean): string | undefined;
    say(text: string): string | undefined;
    leave(): string | undefined;
    end(): string | undefined;
  };
  /** Calls `listener` when anything shown in the panel may have changed; returns the unsubscribe function. */
  onChange(listener: () => void): () => void;
}

declare global {
  interface Window {
    /** The running stage (the demo's `?view=stage` page). */
    mcsStage?: Stage;
    /** Errors collected by the inline script in index.html, before any module ran. */
    __demoErrors?: string[];
  }
}

/** A small seeded PRNG, so operator names and ids repeat from run to run (stable screenshots). */
const seeded = (seed: number) => () => {
  seed = (seed + 0x6d2b79f5) | 0;
  let t = Math.imul(seed ^ (seed >>> 15), 1 | seed);
  t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
  return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
};

/** Deletes the widget databases of demo runs older than ten minutes (each run uses a fresh user id). */
async function forgetOldRuns(now: number) {
  const all = (await indexedDB.databases?.().catch(() => [])) ?? [];
  for (const { name } of all) {
    const stamp = /^mercari-chat-support:demo-[\w-]+?-([0-9a-z]+)-[0-9a-z]+$/.exec(name ?? '')?.[1];
    if (stamp && parseInt(stamp, 36) < now - 600_000) indexedDB.deleteDatabase(name!);
  }
}

const summary = (detail: unknown): string => {
  if (detail == null) return '';
  const d = detail as Record<string, unknown>;
  if (typeof d.text === 'string') return `${d.role ? `${d.role}: ` : ''}${d.text.replace(/\s+/g, ' ').slice(0, 80)}`;
  return JSON.stringify(detail).slice(0, 120);
};

const WIDGET_EVENTS = ['mcs-open', 'mcs-close', 'mcs-message', 'mcs-message-sent', 'mcs-phase', 'mcs-request-operator', 'mcs-connection', 'mcs-error'];

/**
 * Builds the stage in `doc` for `state` and runs its preset. Resolves once the widget is on the
 * page (before the preset has finished: await `stage.ready` for that).
 */
export async function startStage(state: DemoState, doc: Document = document): Promise<Stage> {
  const win = doc.defaultView ?? window;
  const preset = presetById(state.preset) ?? PRESETS[0];
  const hours = state.hours ?? DEMO_HOURS;
  let schedule = parseSchedule(hours).schedule;
  const start = (at: string) => wallTime(schedule.timeZone, ...(at.split('T') as [string, string]));
  const clock = createClock(state.at && !Number.isNaN(start(state.at)) ? start(state.at) : start(preset.at));
  const errors = (win.__demoErrors ??= []);
  const log: LogEntry[] = [];
  const listeners = new Set<() => void>();
  const changed = () => listeners.forEach((listener) => listener());
  const note = (type: string, text: string) => {
    log.push({ at: clock.now(), type, text });
    if (log.length > 200) log.shift();
    changed();
  };

  void forgetOldRuns(Date.now());

  // The backend, wrapped to learn which conversation the widget is in (the operator console needs it).
  const backend = createBackend({
    now: clock.now,
    random: seeded(7),
    isOperatorOpen: (at) => isOpen(schedule, at),
    simulateOperator: state.auto ?? preset.auto,
    botDelayMs: 500,
    queueStepMs: 4000,
  });
  let conversationId: string | undefined;
  let operatorTyping = false;
  const waiting: Array<(id: string) => void> = [];
  const tracked: Backend = {
    ...backend,
    open(hello) {
      const connection = backend.open(hello);
      if (connection.conversationId !== conversationId) {
        conversationId = connection.conversationId;
        operatorTyping = false;
        connection.subscribe((event) => {
          if (event.type === 'typing' && event.role === 'operator') operatorTyping = event.active;
          if (event.type === 'message' && event.message.role === 'operator') operatorTyping = false;
          changed();
        });
        waiting.splice(0).forEach((resolve) => resolve(conversationId!));
      }
      return connection;
    },
  };
  const network = createNetwork(createProtocolServer(tracked, { now: clock.now }), win);
  network.onChange(changed);
  const worker = setupWorker(...mswHandlers(tracked, { wsUrl: ENDPOINTS.ws, httpUrl: ENDPOINTS.http, server: network.server }));
  await worker.start({ quiet: true, onUnhandledRequest: 'bypass' });
  const { MercariChatSupport } = await import('../../src/index.js');
  // package.json's `sideEffects` names only dist/ files, so a bundler building from source drops
  // the registering import of src/index.ts: register here (a no-op when it did run).
  if (!customElements.get('mercari-chat-support')) customElements.define('mercari-chat-support', MercariChatSupport);

  const el = doc.createElement('mercari-chat-support');
  el.id = 'chat';
  el.setAttribute('endpoint', ENDPOINTS[state.transport]);
  el.setAttribute('user-id', `demo-${preset.id}-${Date.now().toString(36)}-${Math.floor(Math.random() * 36 ** 4).toString(36)}`);
  el.setAttribute('locale', state.lang);
  el.setAttribute('hours', hours);
  el.setAttribute('theme', state.theme);
  el.setAttribute('position', state.position);
  el.now = clock.now;
  el.context = { page: 'help/item-not-arrived', transactionId: 'm12345678901' };
  let phase: Phase = 'bot';
  let connection: ConnectionStatus = 'idle';
  for (const type of WIDGET_EVENTS) {
    el.addEventListener(type, (event) => {
      const detail = (event as CustomEvent).detail;
      if (type === 'mcs-phase') phase = detail.phase;
      if (type === 'mcs-connection') connection = detail.status;
      note(type, summary(detail));
    });
  }

  doc.documentElement.lang = state.lang;
  doc.title = state.lang === 'ja' ? 'ヘルプセンター — チャットサポートのデモ' : 'Help Center — chat support demo';
  doc.body.classList.add('stage');
  render(helpPage(state.lang, el, () => el.show()), doc.body);

  const style = doc.head.appendChild(doc.createElement('style'));
  style.id = 'demo-theme';

  const operatorCall = (fn: (id: string) => void, what: string) => {
    if (!conversationId) return 'No conversation yet: open the widget first.';
    try {
      fn(conversationId);
      note('demo', `operator ${what}`);
      return undefined;
    } catch (error) {
      return (error as Error).message;
    }
  };

  let status: Stage['status'] = 'starting';
  let failure: string | undefined;
  const until = async <T>(check: () => T, what: string, ms = 8000): Promise<NonNullable<T>> => {
    const end = performance.now() + ms;
    for (;;) {
      const value = check();
      if (value) return value as NonNullable<T>;
      if (performance.now() > end) throw new Error(`Timed out waiting for ${what}`);
      await new Promise((resolve) => setTimeout(resolve, 20));
    }
  };
  const ctx: PresetContext = {
    el,
    lang: state.lang,
    control: backend.control,
    network,
    conversation: () => (conversationId ? Promise.resolve(conversationId) : new Promise((resolve) => waiting.push(resolve))),
    phase: () => phase,
    connection: () => connection,
    now: clock.now,
    jump: (at) => stage.jump(at),
    until,
  };

  const stage: Stage = {
    get status() {
      return status;
    },
    get failure() {
      return failure;
    },
    ready: Promise.resolve(),
    state,
    preset,
    presets: PRESETS,
    el,
    clock,
    network,
    control: backend.control,
    get schedule() {
      return schedule;
    },
    phase: () => phase,
    connection: () => connection,
    conversationId: () => conversationId,
    operatorTyping: () => operatorTyping,
    conversation: () => (conversationId ? backend.control.inspect(conversationId) : undefined),
    log,
    errors,
    setTheme(theme) {
      el.setAttribute('theme', theme);
      doc.documentElement.style.colorScheme = theme === 'auto' ? 'light dark' : theme;
    },
    setPosition(position) {
      el.setAttribute('position', position);
    },
    get css() {
      return style.textContent ?? '';
    },
    setTokens(palette, edits) {
      const theme = themeById(palette);
      style.textContent = themeCss(mergeTokens(theme.tokens, edits), theme.parts);
      changed();
      return style.textContent;
    },
    setHours(text) {
      const parsed = parseSchedule(text || DEMO_HOURS);
      schedule = parsed.schedule;
      el.hours = text || DEMO_HOURS;
      win.dispatchEvent(new Event('focus'));
      changed();
      return parsed.errors;
    },
    jump(at) {
      clock.set(at);
      // The element's hours controller re-reads the clock on focus (it cannot know the clock jumped).
      win.dispatchEvent(new Event('focus'));
      el.requestUpdate();
      note('demo', `clock set to ${new Date(at).toISOString()}`);
    },
    overrideHours(next) {
      backend.control.overrideHours(next, next === 'closed' ? (state.lang === 'ja' ? '臨時休業' : 'Emergency closure') : undefined);
      note('demo', `backend hours override: ${next ?? 'cleared'}`);
    },
    operator: {
      join: (name) => operatorCall((id) => backend.control.operator.join(id, name), `${name} joined`),
      typing: (active) => operatorCall((id) => backend.control.operator.typing(id, active), active ? 'typing' : 'stopped typing'),
      say: (text) => operatorCall((id) => backend.control.operator.say(id, text), 'said something'),
      leave: () => operatorCall((id) => backend.control.operator.leave(id), 'left'),
      end: () => operatorCall((id) => backend.control.operator.end(id), 'ended the conversation'),
    },
    onChange(listener) {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
  };
  stage.setTheme(state.theme);
  stage.setTokens(state.palette, state.tokens);
  win.mcsStage = stage;
  doc.documentElement.dataset.stage = status;

  (stage as { ready: Promise<void> }).ready = (async () => {
    try {
      await preset.run(ctx);
      status = 'ready';
    } catch (error) {
      status = 'failed';
      failure = (error as Error).message;
      note('demo', `preset failed: ${failure}`);
    }
    doc.documentElement.dataset.stage = status;
    changed();
  })();
  return stage;
}
