/**
 * The HTTP adapter: client frames are POSTed to the endpoint (the reply frame is the response
 * body); server frames arrive as Server-Sent Events from `GET <endpoint>?conversationId=…`, read
 * with fetch streaming rather than EventSource so that `Authorization` and `Last-Event-ID` can be
 * set on every reconnect.
 */
import { createCore, fail, fromFrame, type TransportOptions } from './core.js';
import { decodeFrame, MAX_FRAME, type ClientFrame, type ErrorFrame } from './protocol.js';
import { TransportError, type ChatTransport, type TransportErrorCode } from './types.js';

const CODES: Record<number, TransportErrorCode> = { 401: 'auth', 403: 'auth', 408: 'timeout', 409: 'conflict', 413: 'too-large', 429: 'rate-limited' };

/** fetch with the host's token, one token refresh on 401, and non-2xx answers turned into TransportErrors. */
const req = async (o: TransportOptions, url: string, init: RequestInit & { headers: Record<string, string> }, signal: AbortSignal, rejected = false): Promise<Response> => {
  let res: Response;
  try {
    const token = await o.getToken?.(rejected);
    res = await (o.fetch ?? fetch)(url, { ...init, signal, headers: { ...init.headers, ...(token && { authorization: `Bearer ${token}` }) } });
  } catch {
    throw signal.aborted ? signal.reason : fail('network');
  }
  const s = res.status;
  if (res.ok) return res;
  if (s == 401 && !rejected) return req(o, url, init, signal, true);
  const f = decodeFrame(await res.text().catch(() => ''));
  const e: Omit<ErrorFrame, 'type'> =
    f?.type == 'error' ? f : { code: CODES[s] ?? (s > 499 ? 'unavailable' : 'bad-request'), message: `HTTP ${s}`, retryable: s == 408 || s == 429 || s > 499 };
  const header = res.headers.get('retry-after');
  // Retry-After is either delay-seconds or an HTTP date.
  const after = (header && (+header * 1000 || Date.parse(header) - (o.now ?? Date.now)())) || e.retryAfter;
  throw fromFrame({ ...e, retryAfter: after! > 0 ? after : undefined });
};

/** Uploads to `<base>/upload?name=…` (raw body) and expects `{ "url": "…" }`. Shared with the WebSocket adapter. */
export const httpUpload = (base: string, o: TransportOptions) => async (file: Blob, signal: AbortSignal) => {
  const res = await req(o, `${base}/upload?name=${encodeURIComponent((file as File).name ?? 'file')}`, { method: 'POST', body: file, headers: { 'content-type': file.type || 'application/octet-stream' } }, signal);
  const body = await res.json().catch(() => 0);
  if (typeof body?.url != 'string') throw fail('protocol');
  return body;
};

/** An HTTP + Server-Sent Events `ChatTransport` for an `http:` or `https:` endpoint. */
export function createHttpTransport(endpoint: string, o: TransportOptions = {}): ChatTransport {
  // Longest unfinished event kept: one holding the largest accepted frame, with room to spare.
  const longest = 2 * (o.maxFrame ?? MAX_FRAME);
  const post = (frame: ClientFrame, signal: AbortSignal, r?: boolean) =>
    req(o, endpoint, { method: 'POST', body: JSON.stringify(frame), headers: { 'content-type': 'application/json' } }, signal, r);
  return createCore(
    (hello, on, refresh, signal) => {
      const call = async (frame: ClientFrame, signal: AbortSignal, r?: boolean) => decodeFrame(await (await post(frame, signal, r)).text(), on, o.maxFrame);
      (async () => {
        const w = await call(hello, signal, refresh);
        if (w?.type != 'welcome') {
          // An error frame about the connection takes the link down with its own error first.
          on(w);
          throw fail('protocol');
        }
        const res = await req(
          o,
          `${endpoint}${endpoint.includes('?') ? '&' : '?'}conversationId=${encodeURIComponent(w.conversationId)}`,
          { headers: { accept: 'text/event-stream', 'last-event-id': `${w.conversationId == hello.conversationId ? hello.cursor : 0}` }, cache: 'no-store' },
          signal,
        );
        on(w);
        let buffer = '';
        await res.body!.pipeThrough(new TextDecoderStream()).pipeTo(
          new WritableStream({
            write(chunk) {
              on();
              // Events end with a blank line: two line ends, each CRLF, LF or CR. A CR that ends the
              // text so far counts as one; an LF after it only adds an empty line, which dispatches
              // nothing. An event that never ends is cut to size: still refused as too large.
              const events = (buffer + chunk).split(/(?:\r\n|\r(?!\n)|\n){2}/);
              buffer = events.pop()!.slice(0, longest);
              for (const event of events) {
                // Lines end only at CR and LF: U+2028 in a message's JSON is text, not a line end.
                const data = event.split(/\r\n?|\n/).flatMap((line) => (line.startsWith('data:') ? [line.slice(line[5] == ' ' ? 6 : 5)] : []));
                if (data.length) on(decodeFrame(data.join('\n'), on, o.maxFrame));
              }
            },
          }),
        );
        throw fail('network');
      })().catch((e) => on(e instanceof TransportError ? e : fail('network', String(e))));
      return (frame, callSignal) => {
        if (callSignal) return call(frame, callSignal);
        if (frame.type != 'ping') post(frame, signal).catch(() => {});
      };
    },
    httpUpload(endpoint, o),
    o,
  );
}
