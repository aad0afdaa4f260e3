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
import { ChatHarness } from '../helpers/harness.js';

export { deleteWidgetDatabases, uniqueUser } from '../helpers/harness.js';

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

/** Text of the phase bar (queue, operator, after hours, survey…), or '' when none. */
export const phaseText = (chat: ChatHarness) => chat.$('[part~="phase"]')?.textContent?.replace(/\s+/g, ' ').trim() ?? '';

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
 * The conversation id the widget stored for `userId` (its most recently used one), read from the
 * widget's own IndexedDB database, or null before it has one. Never creates the database.
 */
export async function storedConversation(userId: string): Promise<string | null> {
  const name = `mercari-chat-support:${encodeURIComponent(userId)}`;
  if (!(await indexedDB.databases()).some((d) => d.name === name)) return null;
  const db = await new Promise<IDBDatabase>((resolve, reject) => {
    const request = indexedDB.open(name);
    request.onsuccess = () => resolve(request.result);
    request.onerror = () => reject(request.error);
  });
  try {
    if (!db.objectStoreNames.contains('meta')) return null;
    const metas = await new Promise<{ c: string; t: number }[]>((resolve, reject) => {
      const request = db.transaction('meta').objectStore('meta').getAll();
      request.onsuccess = () => resolve(request.result);
      request.onerror = () => reject(request.error);
    });
    return metas.sort((a, b) => b.t - a.t)[0]?.c ?? null;
  } finally {
    db.close();
  }
}
