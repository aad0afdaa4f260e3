/**
 * msw handlers that serve a reference {@link Backend} over the wire protocol, in the page: a
 * `ws.link` for the WebSocket endpoint, and `http` handlers (POST frames, a streamed
 * `text/event-stream` GET, uploads) for the HTTP endpoint. For the demo and browser tests.
 */
import { http, HttpResponse, ws, type RequestHandler, type WebSocketHandler } from 'msw';
import type { Backend } from './backend/types.js';
import { createProtocolServer, type HttpReply, type HttpRequest, type ProtocolServer, type ProtocolServerOptions } from './protocol-server.js';

/** Where the mocks answer, and how. */
export interface MswOptions extends ProtocolServerOptions {
  /** WebSocket endpoint to serve, e.g. `wss://chat.example.test/v1`. Omit to serve no WebSocket. */
  wsUrl?: string;
  /** HTTP endpoint to serve, e.g. `https://chat.example.test/v1`. Omit to serve no HTTP. */
  httpUrl?: string;
  /** A protocol server to use (to reach its faults and stats); default a new one for `backend`. */
  server?: ProtocolServer;
}

const encoder = new TextEncoder();

const toResponse = (r: HttpReply): Response => {
  if (r.status === 0) return Response.error();
  if (!r.stream) return new HttpResponse(r.body ?? null, { status: r.status, headers: r.headers });
  let stop = () => {};
  const body = new ReadableStream<Uint8Array>({
    start(controller) {
      stop = r.stream!(
        (chunk) => controller.enqueue(encoder.encode(chunk)),
        () => controller.close(),
      );
    },
    cancel: () => stop(),
  });
  return new HttpResponse(body, { status: r.status, headers: r.headers });
};

const header = (request: Request) => (name: string) => request.headers.get(name);

/**
 * Returns msw handlers serving `backend` over the protocol. The returned array also carries the
 * protocol `server` (faults, stats).
 * @example setupWorker(...mswHandlers(createBackend({ now: () => Date.now() }), { wsUrl: 'wss://chat.test/v1' }))
 */
export function mswHandlers(backend: Backend, options: MswOptions): Array<RequestHandler | WebSocketHandler> & { server: ProtocolServer } {
  const server = options.server ?? createProtocolServer(backend, options);
  const handlers: Array<RequestHandler | WebSocketHandler> = [];
  if (options.wsUrl) {
    const link = ws.link(options.wsUrl);
    handlers.push(
      link.addEventListener('connection', ({ client }) => {
        // msw delivers sent frames in a microtask but closes at once: close a task later so that a
        // frame sent just before (auth-failed, error) still arrives, as it would on a real socket.
        const socket = server.accept({ send: (text) => client.send(text), close: () => setTimeout(() => client.close()) });
        client.addEventListener('message', (event) => socket.message(typeof event.data === 'string' ? event.data : ''));
        client.addEventListener('close', () => socket.close());
      }),
    );
  }
  const url = options.httpUrl;
  if (url) {
    const serve = (request: HttpRequest) => server.http(request).then(toResponse);
    handlers.push(
      http.post(`${url}/upload`, async ({ request }) => {
        const body = await request.arrayBuffer();
        return serve({ kind: 'upload', header: header(request), param: new URL(request.url).searchParams.get('name'), size: body.byteLength });
      }),
      http.post(url, async ({ request }) => serve({ kind: 'post', header: header(request), body: await request.text() })),
      http.get(url, ({ request }) => serve({ kind: 'events', header: header(request), param: new URL(request.url).searchParams.get('conversationId') })),
    );
  }
  return Object.assign(handlers, { server });
}
