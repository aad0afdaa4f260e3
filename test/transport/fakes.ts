/** Scriptable stand-ins for WebSocket and fetch, for deterministic transport tests under fake timers. */
import type { ClientFrame, ServerFrame } from '../../src/transport/protocol.js';

/** A fake WebSocket: the test plays the server with `open`, `receive` and `drop`. */
export class FakeSocket {
  static instances: FakeSocket[] = [];
  /** Most sockets ever CONNECTING or OPEN at the same time. */
  static maxLive = 0;
  /** Called with every new socket (e.g. to refuse it while the "server" is down). */
  static onCreate: ((socket: FakeSocket) => void) | undefined;
  static reset() {
    FakeSocket.instances = [];
    FakeSocket.maxLive = 0;
    FakeSocket.onCreate = undefined;
  }
  static live = () => FakeSocket.instances.filter((s) => s.readyState < 2).length;
  static last = () => FakeSocket.instances.at(-1)!;

  readyState = 0;
  /** Clock time of creation (fake under fake timers). */
  readonly at = Date.now();
  sent: string[] = [];
  onopen: ((e: Event) => void) | null = null;
  onmessage: ((e: MessageEvent) => void) | null = null;
  onclose: ((e: CloseEvent) => void) | null = null;
  onerror: ((e: Event) => void) | null = null;

  constructor(readonly url: string) {
    FakeSocket.instances.push(this);
    FakeSocket.maxLive = Math.max(FakeSocket.maxLive, FakeSocket.live());
    FakeSocket.onCreate?.(this);
  }
  send(text: string) {
    if (this.readyState !== 1) throw new DOMException('not open', 'InvalidStateError');
    this.sent.push(text);
  }
  close() {
    if (this.readyState >= 2) return;
    this.readyState = 3;
    this.onclose?.(new CloseEvent('close'));
  }

  /** Frames the client sent, parsed. */
  frames = (): ClientFrame[] => this.sent.map((s) => JSON.parse(s));
  /** The server accepts the TCP connection. */
  open() {
    this.readyState = 1;
    this.onopen?.(new Event('open'));
  }
  /** The server sends a frame (or raw text). */
  receive(frame: ServerFrame | string) {
    this.onmessage?.(new MessageEvent('message', { data: typeof frame === 'string' ? frame : JSON.stringify(frame) }));
  }
  /** The server (or the network) cuts the connection. */
  drop() {
    if (this.readyState >= 2) return;
    this.readyState = 3;
    this.onclose?.(new CloseEvent('close'));
  }
  /** Opens, answers hello with welcome, returns the hello frame. */
  welcome(conversationId = 'c1', heartbeat = 10_000) {
    if (this.readyState === 0) this.open();
    const hello = this.frames().find((f) => f.type === 'hello');
    this.receive({ type: 'welcome', v: 1, conversationId, heartbeat });
    return hello as Extract<ClientFrame, { type: 'hello' }>;
  }
}

/** A recorded fetch call. */
export interface FetchCall {
  url: string;
  method: string;
  headers: Record<string, string>;
  body?: string;
  signal?: AbortSignal;
  /** Fake-clock time of the call. */
  at: number;
}

/** An event stream the test writes to. */
export function sseStream() {
  let controller!: ReadableStreamDefaultController<Uint8Array>;
  const encoder = new TextEncoder();
  const body = new ReadableStream<Uint8Array>({ start: (c) => void (controller = c) });
  return {
    body,
    write: (text: string) => controller.enqueue(encoder.encode(text)),
    event: (frame: ServerFrame, id?: number) => controller.enqueue(encoder.encode(`${id === undefined ? '' : `id: ${id}\n`}data: ${JSON.stringify(frame)}\n\n`)),
    end: () => controller.close(),
  };
}

/** A fake fetch answering with `route(call)`; every call is recorded. */
export function fakeFetch(route: (call: FetchCall) => Response | Promise<Response>, clock: () => number = () => performance.now()) {
  const calls: FetchCall[] = [];
  const fetch = async (input: RequestInfo | URL, init: RequestInit = {}) => {
    const call: FetchCall = {
      url: String(input),
      method: init.method ?? 'GET',
      headers: Object.fromEntries(new Headers(init.headers).entries()),
      body: typeof init.body === 'string' ? init.body : undefined,
      signal: init.signal ?? undefined,
      at: clock(),
    };
    calls.push(call);
    if (init.signal?.aborted) throw init.signal.reason;
    const res = await route(call);
    return res;
  };
  return { fetch: fetch as typeof globalThis.fetch, calls };
}

/**
 * A Response stand-in whose body resolves in microtasks: a real Response reads its body in a
 * task, which fake timers cannot step through in order.
 */
export const respond = (status: number, text = '', headers: Record<string, string> = {}, body: ReadableStream<Uint8Array> | null = null) =>
  ({
    ok: status >= 200 && status < 300,
    status,
    headers: new Headers(headers),
    body,
    text: async () => text,
    json: async () => JSON.parse(text),
  }) as unknown as Response;

/** A JSON response. */
export const reply = (status: number, frame?: unknown, headers: Record<string, string> = {}) =>
  respond(status, frame === undefined ? '' : JSON.stringify(frame), { 'content-type': 'application/json', ...headers });
