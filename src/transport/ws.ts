/**
 * The WebSocket adapter: one text message per frame. Browsers cannot set headers on a WebSocket,
 * so the token travels in `hello`. Uploads go over HTTP to `<endpoint>/upload` (ws→http).
 */
import { createCore, fail, fromFrame, type Link, type TransportOptions } from './core.js';
import { httpUpload } from './http.js';
import { decodeFrame, type ServerFrame } from './protocol.js';
import type { ChatTransport } from './types.js';

/** A WebSocket `ChatTransport` for a `ws:` or `wss:` endpoint. */
export function createWebSocketTransport(endpoint: string, o: TransportOptions = {}): ChatTransport {
  return createCore(
    {
      open(hello, h, refresh) {
        let ws: WebSocket | undefined;
        let closed = false;
        const pending = new Map<string, [(f: ServerFrame) => void, (e: unknown) => void]>();
        const send = (frame: object) => {
          try {
            ws?.send(JSON.stringify(frame));
          } catch {
            // A socket that is closing drops the frame; its close event takes care of the rest.
          }
        };
        const drop = (e = fail('network', 'closed')) => {
          closed = true;
          if (ws) ws.onopen = ws.onmessage = ws.onclose = null;
          ws?.close();
          pending.forEach(([, reject]) => reject(e));
          pending.clear();
        };
        const dial = async (rejected: boolean) => {
          let token: string | undefined;
          try {
            token = await o.getToken?.(rejected);
          } catch {
            return h.down(fail('auth', 'getToken failed'));
          }
          if (closed) return;
          try {
            ws = new (o.WebSocket ?? WebSocket)(endpoint);
          } catch {
            return h.down(fail('bad-request', `cannot open ${endpoint}`, false));
          }
          ws.onopen = () => send({ ...hello, token });
          ws.onclose = () => h.down(fail('network', 'closed'));
          ws.onmessage = ({ data }) => {
            h.alive();
            const f = decodeFrame(typeof data === 'string' ? data : '', h.bad, o.maxFrame);
            if (!f) return;
            if (f.type === 'auth-failed' && !rejected) {
              // One fresh token, right away, on a new socket once this one is shut.
              ws!.onclose = ws!.onmessage = null;
              ws!.close();
              return void dial(true);
            }
            // Answers are matched by clientId (messages) or request id (commands).
            const key = (f as { clientId?: string }).clientId ?? (f as { id?: string }).id;
            const waiter = f.type !== 'event' && key !== undefined && pending.get(key);
            if (!waiter) return h.frame(f);
            pending.delete(key!);
            if (f.type === 'error') waiter[1](fromFrame(f));
            else waiter[0](f);
          };
        };
        void dial(refresh);
        return {
          request: (frame, signal) =>
            new Promise((resolve, reject) => {
              const key = (frame as { clientId?: string }).clientId ?? (frame as { id: string }).id;
              pending.set(key, [resolve, reject]);
              signal.addEventListener('abort', () => pending.delete(key));
              send(frame);
            }),
          post: send,
          close: () => drop(),
        } satisfies Link;
      },
      upload: httpUpload(endpoint.replace(/^ws/, 'http'), o),
    },
    o,
  );
}
