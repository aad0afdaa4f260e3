// The README's custom-adapter example, verbatim: a ChatTransport for a made-up REST backend
// ("Helpdesk API") that cannot speak the wire protocol. custom-adapter.test.ts runs the
// conformance kit against it. In an app, import from 'mercari-chat-support' instead.
import { TransportError, type ChatTransport, type ServerEvent } from '../../src/index.js';

export function helpdeskTransport(base: string, token: () => string): ChatTransport {
  const listeners = new Set<(e: ServerEvent) => void>();
  const emit = (e: ServerEvent) => listeners.forEach((l) => l(e));
  let life = new AbortController();
  let id = '';
  let after = 0; // last seq seen: the long poll asks for what follows
  let queue: Promise<unknown> = Promise.resolve(); // sends go out one at a time, in order

  async function call(path: string, init: RequestInit, signal?: AbortSignal) {
    if (life.signal.aborted) throw new TransportError('network', 'closed', true);
    const headers = { 'content-type': 'application/json', authorization: `Bearer ${token()}`, ...init.headers };
    const res = await fetch(base + path, { ...init, headers, signal }).catch(() => {
      throw new TransportError(signal?.aborted ? 'aborted' : 'network', 'request failed', true);
    });
    if (res.ok) return res.status === 204 ? null : res.json();
    const retryable = res.status === 429 || res.status >= 500;
    const after = Number(res.headers.get('retry-after')) * 1000 || undefined;
    throw new TransportError(retryable ? 'unavailable' : 'bad-request', `HTTP ${res.status}`, retryable, after);
  }

  async function poll(signal: AbortSignal) {
    for (let failures = 0; !signal.aborted; ) {
      try {
        const { events } = await call(`/conversations/${id}/events?after=${after}`, {}, signal);
        emit({ type: 'connection', status: 'online' });
        failures = 0;
        for (const e of events as ServerEvent[]) {
          if ('seq' in e && e.seq <= after) continue; // seen already: render once
          if ('seq' in e) after = e.seq;
          if (!signal.aborted) emit(e);
        }
      } catch {
        if (signal.aborted) return;
        emit({ type: 'connection', status: 'reconnecting' });
        await new Promise((r) => setTimeout(r, Math.random() * Math.min(30_000, 1000 * 2 ** failures++)));
      }
    }
  }

  return {
    async connect({ conversationId, cursor, locale, context, signal }) {
      life.abort();
      life = new AbortController();
      signal.addEventListener('abort', () => life.abort());
      emit({ type: 'connection', status: 'connecting' });
      ({ id } = await call('/conversations', { method: 'POST', body: JSON.stringify({ conversationId, locale, context }) }, signal));
      after = id === conversationId ? cursor : 0;
      emit({ type: 'connection', status: 'online' });
      void poll(life.signal);
      return { conversationId: id };
    },
    close: () => life.abort(),
    send(m, options) {
      const body = JSON.stringify({ text: m.text, attachments: m.attachments });
      const sent = queue.then(() =>
        call(`/conversations/${m.conversationId}/messages`, { method: 'POST', headers: { 'idempotency-key': m.clientId }, body }, options?.signal),
      );
      queue = sent.catch(() => {});
      return sent.then((r) => ({ clientId: m.clientId, id: r.id, seq: r.seq, at: r.createdAt }));
    },
    command: (c, options) => call(`/conversations/${id}/commands`, { method: 'POST', body: JSON.stringify(c) }, options?.signal),
    typing: () => {}, // this backend has no typing indicator
    upload: (file, options) => call('/uploads', { method: 'POST', body: file, headers: { 'content-type': file.type } }, options?.signal),
    subscribe: (l) => (listeners.add(l), () => listeners.delete(l)),
  };
}
