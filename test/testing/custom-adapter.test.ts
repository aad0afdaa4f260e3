/**
 * The README's custom adapter passes the conformance kit against an msw mock of its made-up
 * REST backend (backed by the reference backend). This keeps the README example honest.
 */
import { http, HttpResponse } from 'msw';
import { setupWorker } from 'msw/browser';
import { protocolDouble, runConformance } from '../../src/testing/conformance.js';
import { createProtocolServer } from '../../src/testing/protocol-server.js';
import type { ClientCommand, TransportError } from '../../src/transport/types.js';
import type { SequencedEvent } from '../../src/testing/backend/types.js';
import { quietBackend } from '../transport/helpers.js';
import { helpdeskTransport } from './helpdesk-transport.js';

const BASE = 'https://helpdesk.example.test/api';

/** The made-up REST API over the reference backend: long polls, Idempotency-Key, Retry-After. */
function helpdeskMock() {
  const backend = quietBackend();
  const server = createProtocolServer(backend); // only for its fault switches (reject) in the double
  const locales = new Map<string, string>();
  const polls = new Set<() => void>();
  let reject: { code: string; retryable: boolean; retryAfterMs?: number } | undefined;
  const double = {
    ...protocolDouble(backend, server),
    dropConnections: () => [...polls].forEach((cut) => cut()),
    rejectNextMessage: (error: NonNullable<typeof reject>) => void (reject = error),
  };
  const handlers = [
    http.post(`${BASE}/conversations`, async ({ request }) => {
      const body = (await request.json()) as { conversationId: string | null; locale: string; context?: Record<string, unknown> };
      const c = backend.open(body.conversationId ? { ...body, cursor: 0 } : { ...body, conversationId: null, cursor: 0 });
      locales.set(c.conversationId, body.locale);
      return HttpResponse.json({ id: c.conversationId });
    }),
    http.post(`${BASE}/conversations/:id/messages`, async ({ request, params }) => {
      if (reject) {
        const r = reject;
        reject = undefined;
        return HttpResponse.json({ error: r.code }, { status: r.retryable ? 503 : 400, headers: r.retryAfterMs ? { 'retry-after': String(r.retryAfterMs / 1000) } : {} });
      }
      const body = (await request.json()) as { text: string };
      const clientId = request.headers.get('idempotency-key')!;
      const ack = backend.receive(params.id as string, { clientId, conversationId: params.id as string, text: body.text, createdAt: 0 });
      return HttpResponse.json({ id: ack.id, seq: ack.seq, createdAt: ack.at }, { status: 201 });
    }),
    http.post(`${BASE}/conversations/:id/commands`, async ({ request, params }) => {
      try {
        backend.command(params.id as string, (await request.json()) as ClientCommand);
        return new HttpResponse(null, { status: 204 });
      } catch (e) {
        return HttpResponse.json({ error: (e as TransportError).code }, { status: 409 });
      }
    }),
    http.get(`${BASE}/conversations/:id/events`, ({ request, params }) => {
      const id = params.id as string;
      const after = Number(new URL(request.url).searchParams.get('after'));
      const c = backend.open({ conversationId: id, cursor: after, locale: locales.get(id) ?? 'en' });
      if (c.replay.length) return HttpResponse.json({ events: c.replay });
      // Long poll: answer with the next event, or an empty list after a while.
      return new Promise<Response>((resolve) => {
        const done = (r: Response) => {
          stop();
          clearTimeout(timer);
          polls.delete(cut);
          resolve(r);
        };
        const cut = () => done(Response.error());
        const stop = c.subscribe((e) => 'seq' in e && done(HttpResponse.json({ events: [e as SequencedEvent] })));
        const timer = setTimeout(() => done(HttpResponse.json({ events: [] })), 2000);
        polls.add(cut);
        request.signal.addEventListener('abort', cut);
      });
    }),
  ];
  return { backend, double, handlers };
}

describe('the README custom adapter (Helpdesk REST API)', () => {
  const mock = helpdeskMock();
  const worker = setupWorker(...mock.handlers);
  before(() => worker.start({ quiet: true, onUnhandledRequest: 'bypass' }));
  after(() => {
    worker.stop();
    mock.backend.dispose();
  });
  runConformance({ name: 'passes the conformance kit', makeTransport: () => helpdeskTransport(BASE, () => 'demo-token'), server: mock.double });
});
