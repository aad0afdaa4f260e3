/**
 * Shared helpers for the end-to-end tests: the real element in real Chromium, talking to the
 * reference backend either through msw (in the page) or through the real local server.
 */
import { waitUntil } from '@open-wc/testing';
import { setupWorker, type SetupWorker } from 'msw/browser';
import '../../src/element/define.js';
import type { MercariChatSupport } from '../../src/element/mercari-chat-support.js';
import { createBackend } from '../../src/testing/backend/index.js';
import type { Backend, BackendOptions } from '../../src/testing/backend/types.js';
import { mswHandlers } from '../../src/testing/msw.js';
import { createProtocolServer, type ProtocolServer } from '../../src/testing/protocol-server.js';
import { dbName } from '../../src/outbox/db.js';
import { ChatHarness, uniqueUser } from '../helpers/harness.js';

/** User ids this page created, so it deletes only its own databases (other test files run meanwhile in other pages of the same origin). */
const users = new Set<string>();

/** A user id no other test uses; its database is deleted by `deleteOwnDatabases`. */
export function newUser(): string {
  const id = uniqueUser();
  users.add(id);
  return id;
}

/**
 * Deletes the databases of the users `newUser` made (not every widget database of the origin:
 * that would pull storage from under tests running in parallel pages). Resolves when each is
 * deleted, or blocked by a connection still open (it is then deleted when that one closes).
 */
export async function deleteOwnDatabases(): Promise<void> {
  const ids = [...users];
  users.clear();
  await Promise.all(
    ids.map(
      (id) =>
        new Promise((resolve) =>
          Object.assign(indexedDB.deleteDatabase(dbName(id)), { onsuccess: resolve, onerror: resolve, onblocked: resolve }),
        ),
    ),
  );
}

/** What `mount` sets on a new element before it is connected. */
export interface MountOptions {
  endpoint: string;
  userId: string;
  locale?: string;
  now?: () => number;
  context?: Record<string, unknown>;
  open?: boolean;
  /** Where to put it (another frame's body, for "tabs"); default this document's body. */
  parent?: HTMLElement;
}

const mounted = new Set<MercariChatSupport>();

/**
 * Creates `<mercari-chat-support>` the way a page does (createElement, properties, append), so
 * `now` and `context` are in place before it connects. A "reload" is `unmount` + `mount` with
 * the same user id: nothing but IndexedDB carries over.
 */
export async function mount(options: MountOptions): Promise<ChatHarness> {
  const doc = options.parent?.ownerDocument ?? document;
  const el = doc.createElement('mercari-chat-support') as MercariChatSupport;
  el.setAttribute('user-id', options.userId);
  el.setAttribute('locale', options.locale ?? 'en');
  el.endpoint = options.endpoint;
  if (options.now) el.now = options.now;
  if (options.context) el.context = options.context;
  el.open = options.open ?? true;
  (options.parent ?? document.body).append(el);
  mounted.add(el);
  await el.updateComplete;
  return new ChatHarness(el);
}

/** Removes an element (its session closes its connection and storage): a page going away. */
export function unmount(chat: ChatHarness | MercariChatSupport): void {
  const el = chat instanceof ChatHarness ? chat.el : chat;
  el.remove();
  mounted.delete(el);
}

/** Removes every element `mount` created; for afterEach. */
export function unmountAll(): void {
  for (const el of mounted) el.remove();
  mounted.clear();
}

let worker: SetupWorker | undefined;
let serial = 0;

/** A reference backend served by msw on fresh URLs (WebSocket and HTTP+SSE). */
export interface MockBackend {
  backend: Backend;
  server: ProtocolServer;
  wsUrl: string;
  httpUrl: string;
  stop(): void;
}

/** Starts (once per page) the msw worker and serves a new reference backend on fresh URLs. */
export async function mockBackend(options: Partial<BackendOptions> = {}): Promise<MockBackend> {
  if (!worker) {
    worker = setupWorker();
    await worker.start({ quiet: true, onUnhandledRequest: 'bypass' });
  }
  const n = ++serial;
  const wsUrl = `wss://chat-e2e-${n}.mock.test/v1`;
  const httpUrl = `https://chat-e2e-${n}.mock.test/v1`;
  const backend = createBackend({ now: () => Date.now(), ...options });
  const server = createProtocolServer(backend, {});
  worker.use(...mswHandlers(backend, { wsUrl, httpUrl, server }));
  return {
    backend,
    server,
    wsUrl,
    httpUrl,
    stop() {
      server.dispose();
      backend.dispose();
      worker!.resetHandlers();
    },
  };
}

/** Rows of the transcript (as rendered now): role, delivery status, text, key. */
export function rows(chat: ChatHarness) {
  return chat.$$('li.msg').map((li) => ({
    key: li.dataset.key ?? '',
    role: (['user', 'bot', 'operator', 'system'] as const).find((r) => li.classList.contains(r)) ?? 'unknown',
    status: (['queued', 'sending', 'sent', 'failed'] as const).find((s) => li.classList.contains(s)),
    text: li.querySelector('.bubble')?.textContent?.trim() ?? '',
    /** Visible status label ("Will send when online"…), empty when none is shown. */
    label: li.querySelector(':scope > .meta:not([aria-hidden])')?.textContent?.trim() ?? '',
    li,
  }));
}

/**
 * Every row of the transcript, oldest first, although the element keeps only a window of them
 * in the DOM: scrolls the log to the top until the first message shows, then down to the end,
 * collecting rows by key, as a person scrolling through the conversation would see them.
 */
export async function allRows(chat: ChatHarness) {
  const log = chat.$<HTMLElement>('.log')!;
  const scroll = async (to: 'top' | 'bottom') => {
    log.scrollTop = to === 'top' ? 0 : log.scrollHeight;
    log.dispatchEvent(new Event('scroll'));
    await chat.el.updateComplete;
  };
  let first = '';
  for (let i = 0; i < 200; i++) {
    await scroll('top');
    const now = rows(chat)[0]?.key ?? '';
    if (now === first) break;
    first = now;
  }
  const seen = new Map<string, ReturnType<typeof rows>[number]>();
  let last = '';
  for (let i = 0; i < 200; i++) {
    for (const row of rows(chat)) if (!seen.has(row.key)) seen.set(row.key, row);
    await scroll('bottom');
    const now = rows(chat).at(-1)?.key ?? '';
    if (now === last) break;
    last = now;
  }
  for (const row of rows(chat)) if (!seen.has(row.key)) seen.set(row.key, row);
  return [...seen.values()];
}

/** What the phase bar says (queue, operator, after hours, survey…), without its buttons; '' when none. */
export const phaseText = (chat: ChatHarness) => chat.$('[part~="phase"] > p')?.textContent?.replace(/\s+/g, ' ').trim() ?? '';

/** Labels of the phase bar's buttons. */
export const phaseButtons = (chat: ChatHarness) => chat.$$('[part~="phase"] button').map((b) => b.textContent?.trim() ?? '');

/** The button with exactly this visible text (phase bar, quick replies, composer row). */
export function button(chat: ChatHarness, label: string): HTMLButtonElement {
  const found = chat.$$<HTMLButtonElement>('button').find((b) => b.textContent?.trim() === label);
  if (!found) throw new Error(`no button "${label}"; saw ${JSON.stringify(chat.$$('button').map((b) => b.textContent?.trim()).filter(Boolean))}`);
  return found;
}

/** Waits for a button with this text, then clicks it. */
export async function click(chat: ChatHarness, label: string, timeout = 5000): Promise<void> {
  await waitUntil(() => chat.$$('button').some((b) => b.textContent?.trim() === label), `no button "${label}"`, { timeout });
  button(chat, label).click();
  await chat.el.updateComplete;
}

/** Waits for `predicate`, failing with `describe()` (what was seen) on timeout. */
export async function eventually(predicate: () => unknown, describe: () => string, timeout = 5000): Promise<void> {
  try {
    await waitUntil(predicate, undefined, { timeout, interval: 10 });
  } catch {
    throw new Error(`timed out after ${timeout} ms: ${describe()}`);
  }
}

/**
 * Watches the page's traffic to the chat backend: records the conversation ids the server hands
 * out in `welcome` frames (WebSocket messages of `win`, or `fetch` answers for the HTTP
 * transport) and counts the `fetch` calls in flight; `postLatencyMs` delays every POST before it
 * leaves (a slow network; an abort during the delay cancels it, as with a real request). Install
 * it before the widget connects (and after msw's worker started); `stop()` restores the originals.
 */
export function spyWire(win: Window & typeof globalThis = window, { postLatencyMs = 0 } = {}) {
  const ids: string[] = [];
  let inFlight = 0;
  const note = (text: unknown) => {
    if (typeof text !== 'string' || !text.includes('"welcome"')) return;
    try {
      const frame = JSON.parse(text) as { type?: string; conversationId?: string };
      if (frame.type === 'welcome' && frame.conversationId && ids.at(-1) !== frame.conversationId) ids.push(frame.conversationId);
    } catch {
      // not a frame
    }
  };
  const { WebSocket: Socket, fetch: originalFetch } = win;
  win.WebSocket = class extends Socket {
    constructor(url: string | URL, protocols?: string | string[]) {
      super(url, protocols);
      this.addEventListener('message', (event) => note(event.data));
    }
  };
  win.fetch = async (...args: Parameters<typeof fetch>) => {
    inFlight++;
    try {
      const signal = args[1]?.signal;
      if (postLatencyMs && args[1]?.method === 'POST') {
        await new Promise<void>((resolve, reject) => {
          const timer = setTimeout(resolve, postLatencyMs);
          signal?.addEventListener('abort', () => (clearTimeout(timer), reject(signal.reason)));
        });
      }
      const response = await originalFetch.apply(win, args);
      if (response.headers.get('content-type')?.includes('json')) await response.clone().text().then(note, () => {});
      return response;
    } finally {
      inFlight--;
    }
  };
  return {
    ids,
    /** The conversation of the latest welcome; throws when none came. */
    get last(): string {
      if (!ids.length) throw new Error('no welcome frame seen');
      return ids.at(-1)!;
    },
    /** `fetch` calls that have not answered yet (an open event stream counts until its headers arrive). */
    get inFlight() {
      return inFlight;
    },
    stop() {
      win.WebSocket = Socket;
      win.fetch = originalFetch;
    },
  };
}
