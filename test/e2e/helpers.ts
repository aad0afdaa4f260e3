/**
 * Shared helpers for the end-to-end tests: the real element in real Chromium, talking to the
 * reference backend either through msw (in the page) or through the real local server.
 */
import { waitUntil } from '../helpers/wait.js';
import '../../src/element/define.js';
import type { MercariChatSupport } from '../../src/element/mercari-chat-support.js';
import { createBackend } from '../../src/testing/backend/index.js';
import { mockServer } from '../transport/helpers.js';
import type { Backend, BackendOptions } from '../../src/testing/backend/types.js';
import type { ProtocolServer } from '../../src/testing/protocol-server.js';
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


/** A reference backend served by msw on fresh URLs (WebSocket and HTTP+SSE). */
export interface MockBackend {
  backend: Backend;
  server: ProtocolServer;
  wsUrl: string;
  httpUrl: string;
  stop(): void;
}

/** Serves a new reference backend (default options: real-speed timers) through msw on fresh URLs. */
export const mockBackend = (options: Partial<BackendOptions> = {}): Promise<MockBackend> =>
  mockServer(createBackend({ now: () => Date.now(), ...options }));

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
    // Scrolling slides the window when the log overflows; otherwise its buttons do.
    const button = chat.$<HTMLButtonElement>(to === 'top' ? '.earlier button' : '.jump');
    if (log.scrollHeight <= log.clientHeight + 1 && button) button.click();
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

/** A user message as it left the page (WebSocket frame or HTTP POST). */
export interface SentFrame {
  clientId: string;
  text: string;
}

/**
 * Watches (and can slow) the traffic between a window and the chat backend: records the
 * conversation id of every `welcome` frame (one per connection) and every user message that leaves (WebSocket
 * frames of `win`, or its `fetch` calls for the HTTP transport), and counts `fetch` calls in
 * flight. `postLatencyMs` delays each POST before it leaves (a slow uplink); `ackLatencyMs` holds
 * the answer to each message POST after the server has committed it (a slow downlink). Both are
 * settable later, and an abort during a delay cancels the request as with a real network. Install
 * it before the widget connects (and after msw's worker started); `stop()` restores the originals.
 */
export function spyWire(
  win: Window & typeof globalThis = window,
  latency: { postLatencyMs?: number; ackLatencyMs?: number; /** New WebSockets go nowhere (a closed port) while set: no network. */ cut?: boolean } = {},
) {
  const ids: string[] = [];
  const sent: SentFrame[] = [];
  let inFlight = 0;
  const parse = (text: unknown) => {
    try {
      return typeof text === 'string' ? (JSON.parse(text) as { type?: string; conversationId?: string; clientId?: string; text?: string }) : undefined;
    } catch {
      return undefined;
    }
  };
  const incoming = (text: unknown) => {
    const frame = parse(text);
    if (frame?.type === 'welcome' && frame.conversationId) ids.push(frame.conversationId);
  };
  const outgoing = (text: unknown) => {
    const frame = parse(text);
    if (frame?.type === 'message') sent.push({ clientId: frame.clientId!, text: frame.text! });
    return frame?.type;
  };
  const wait = (ms: number, signal?: AbortSignal | null) =>
    ms > 0 &&
    new Promise<void>((resolve, reject) => {
      const timer = setTimeout(resolve, ms);
      signal?.addEventListener('abort', () => (clearTimeout(timer), reject(signal.reason)));
    });
  const { WebSocket: Socket, fetch: originalFetch } = win;
  win.WebSocket = class extends Socket {
    constructor(url: string | URL, protocols?: string | string[]) {
      super(latency.cut ? 'ws://127.0.0.1:9/' : url, protocols);
      this.addEventListener('message', (event) => incoming(event.data));
    }

    override send(data: string | ArrayBufferLike | Blob | ArrayBufferView) {
      outgoing(data);
      super.send(data);
    }
  };
  win.fetch = async (...args: Parameters<typeof fetch>) => {
    inFlight++;
    // A call the transport waits on (message, command) is in flight until its answer is read.
    let release = () => void inFlight--;
    try {
      const init = args[1];
      const signal = init?.signal;
      if (init?.method === 'POST') await wait(latency.postLatencyMs ?? 0, signal);
      const type = init?.method === 'POST' ? outgoing(init.body) : undefined;
      const response = await originalFetch.apply(win, args);
      if (type === 'message') await wait(latency.ackLatencyMs ?? 0, signal);
      if (response.headers.get('content-type')?.includes('json')) await response.clone().text().then(incoming, () => {});
      if (type === 'message' || type === 'command') {
        const read = response.text.bind(response);
        const done = release;
        release = () => {};
        response.text = () => read().finally(done);
      }
      return response;
    } finally {
      release();
    }
  };
  return {
    ids,
    /** Every user message sent, in order (retries included). */
    sent,
    latency,
    /** The conversation of the latest welcome; throws when none came. */
    get last(): string {
      if (!ids.length) throw new Error('no welcome frame seen');
      return ids.at(-1)!;
    },
    /** `fetch` calls not answered yet: a message or command until its answer is read, an event stream until its headers arrive. */
    get inFlight() {
      return inFlight;
    },
    stop() {
      win.WebSocket = Socket;
      win.fetch = originalFetch;
    },
  };
}

/** Simulates the browser losing and regaining its network, as the page sees it (`navigator.onLine` and the window events). */
export function network(win: Window & typeof globalThis = window) {
  return {
    offline() {
      Object.defineProperty(win.navigator, 'onLine', { configurable: true, get: () => false });
      win.dispatchEvent(new Event('offline'));
    },
    online() {
      delete (win.navigator as { onLine?: boolean }).onLine;
      win.dispatchEvent(new Event('online'));
    },
  };
}

/** Another "tab": a same-origin frame with its own window, element registry, locks holder and channel. */
export interface Tab {
  frame: HTMLIFrameElement;
  win: Window & typeof globalThis;
  body: HTMLElement;
  /** Removes the frame: its document dies without running any of the page's code, as a closed or crashed tab. */
  close(): void;
}

const tabs = new Set<HTMLIFrameElement>();

/** Opens a tab (test/e2e/fixtures/tab.html) and waits until the element is defined in it. */
export async function openTab(): Promise<Tab> {
  const frame = document.createElement('iframe');
  frame.src = new URL('./fixtures/tab.html', import.meta.url).href;
  const loaded = new Promise((resolve) => frame.addEventListener('load', resolve, { once: true }));
  document.body.append(frame);
  tabs.add(frame);
  await loaded;
  const win = frame.contentWindow as Window & typeof globalThis;
  await waitUntil(() => win.customElements.get('mercari-chat-support'), 'the element was not defined in the tab', { timeout: 10000 });
  return {
    frame,
    win,
    body: win.document.body,
    close() {
      frame.remove();
      tabs.delete(frame);
    },
  };
}

/** Closes every tab `openTab` opened; for afterEach. */
export function closeTabs(): void {
  for (const frame of tabs) frame.remove();
  tabs.clear();
}
