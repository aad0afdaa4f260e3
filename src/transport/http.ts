/**
 * The HTTP adapter: client frames are POSTed to the endpoint (the reply frame is the response
 * body); server frames arrive as Server-Sent Events from `GET <endpoint>?conversationId=…`, read
 * with fetch streaming rather than EventSource so that `Authorization` and `Last-Event-ID` can be
 * set on every reconnect.
 */
import { createCore, fail, fromFrame, type TransportOptions } from './core.js';
import { decodeFrame, MAX_FRAME, type ClientFrame } from './protocol.js';
import { isRetryableStatus, TransportError, type ChatTransport, type TransportErrorCode } from './types.js';

type Request = (url: string, init: RequestInit & { headers: Record<string, string> }, signal: AbortSignal, refresh?: boolean) => Promise<Response>;

const codeOf = (s: number): TransportErrorCode =>
  s === 401 || s === 403 ? 'auth' : s === 408 ? 'timeout' : s === 409 ? 'conflict' : s === 413 ? 'too-large' : s === 429 ? 'rate-limited' : s > 499 ? 'unavailable' : 'bad-request';

/** fetch with the host's token, one token refresh on 401, and non-2xx answers turned into TransportErrors. */
const requester =
  (o: TransportOptions): Request =>
  async (url, init, signal, refresh = false) => {
    for (let rejected = refresh; ; rejected = true) {
      let res: Response;
      try {
        const token = await o.getToken?.(rejected);
        res = await (o.fetch ?? fetch)(url, { ...init, signal, headers: token ? { ...init.headers, authorization: `Bearer ${token}` } : init.headers });
      } catch {
        throw signal.aborted ? signal.reason : fail('network', `${init.method ?? 'GET'} failed`);
      }
      if (res.ok) return res;
      if (res.status === 401 && !rejected) continue;
      const f = decodeFrame(await res.text().catch(() => ''));
      const header = res.headers.get('retry-after');
      // Retry-After is either delay-seconds or an HTTP date.
      const after = header ? (isNaN(+header) ? Date.parse(header) - (o.now ?? Date.now)() : +header * 1000) : f?.type === 'error' ? f.retryAfter : 0;
      const s = res.status;
      const [code, message, retryable] = f?.type === 'error' ? [f.code, f.message, f.retryable] : [codeOf(s), `HTTP ${s}`, isRetryableStatus(s)];
      throw fail(code, message, retryable, after! > 0 ? after : undefined);
    }
  };

const json = (frame: ClientFrame) => ({ method: 'POST', body: JSON.stringify(frame), headers: { 'content-type': 'application/json' } });

/** Uploads to `<base>/upload?name=…` (raw body) and expects `{ "url": "…" }`. Shared with the WebSocket adapter. */
export const httpUpload = (base: string, o: TransportOptions) => {
  const req = requester(o);
  return async (file: Blob, signal: AbortSignal) => {
    const res = await req(`${base}/upload?name=${encodeURIComponent((file as File).name ?? 'file')}`, { method: 'POST', body: file, headers: { 'content-type': file.type || 'application/octet-stream' } }, signal);
    const body = await res.json().catch(() => 0);
    if (typeof body?.url !== 'string') throw fail('protocol', 'no url');
    return { url: body.url as string };
  };
};

/** An HTTP + Server-Sent Events `ChatTransport` for an `http:` or `https:` endpoint. */
export function createHttpTransport(endpoint: string, o: TransportOptions = {}): ChatTransport {
  const req = requester(o);
  const max = o.maxFrame;
  return createCore(
    {
      open(hello, h, refresh) {
        const ac = new AbortController();
        void (async () => {
          const w = decodeFrame(await (await req(endpoint, json(hello), ac.signal, refresh)).text(), h.bad, max);
          if (w?.type !== 'welcome') throw w?.type === 'error' ? fromFrame(w) : fail('protocol', 'no welcome');
          const res = await req(
            `${endpoint}${endpoint.includes('?') ? '&' : '?'}conversationId=${encodeURIComponent(w.conversationId)}`,
            { headers: { accept: 'text/event-stream', 'last-event-id': `${w.conversationId === hello.conversationId ? hello.cursor : 0}` }, cache: 'no-store' },
            ac.signal,
          );
          h.frame(w);
          const reader = res.body!.pipeThrough(new TextDecoderStream()).getReader();
          let buffer = '';
          let data: string | undefined;
          let skip = false;
          const limit = max ?? MAX_FRAME;
          const over = (s: string) => s.length > limit && (skip || h.bad(`over ${limit} chars`), (skip = true));
          for (;;) {
            const { value, done } = await reader.read();
            if (done) throw fail('network', 'stream ended');
            h.alive();
            const lines = (buffer + value).split(/\r\n?|\n/);
            buffer = lines.pop()!;
            for (const line of lines) {
              if (!line) {
                const f = skip || data === undefined ? null : decodeFrame(data, h.bad, max);
                if (f) h.frame(f);
                data = undefined;
                skip = false;
              } else if (line.startsWith('data:') && !skip) {
                const d = line.slice(line[5] === ' ' ? 6 : 5);
                data = data === undefined ? d : `${data}\n${d}`;
                if (over(data)) data = '';
              }
            }
            // A line that never ends is dropped rather than buffered without bound.
            if (over(buffer)) buffer = '';
          }
        })().catch((e) => h.down(e instanceof TransportError ? e : fail('network', String(e))));
        return {
          async request(frame, signal) {
            const f = decodeFrame(await (await req(endpoint, json(frame), signal)).text(), h.bad, max);
            if (f?.type !== (frame.type === 'message' ? 'ack' : 'result')) throw fail('protocol', `bad answer to ${frame.type}`);
            return f!;
          },
          post: (frame) => void (frame.type !== 'ping' && req(endpoint, json(frame), ac.signal).catch(() => {})),
          close: () => ac.abort(),
        };
      },
      upload: httpUpload(endpoint, o),
    },
    o,
  );
}
