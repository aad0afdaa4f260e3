/**
 * The WebSocket adapter: one text message per frame. Browsers cannot set headers on a WebSocket,
 * so the token travels in `hello`. Uploads go over HTTP to `<endpoint>/upload` (ws→http).
 */
import { badEndpoint, createCore, fail, type TransportOptions } from './core.js';
import { httpUpload } from './http.js';
import { decodeFrame } from './protocol.js';
import type { ChatTransport } from './types.js';

/** A WebSocket `ChatTransport` for a `ws:` or `wss:` endpoint. */
export const createWebSocketTransport = (endpoint: string, o: TransportOptions = {}): ChatTransport =>
  createCore(
    (hello, on, refresh, signal) => {
      let ws: WebSocket;
      const send = (frame: object) => ws.send(JSON.stringify(frame));
      (async () => {
        let token;
        try {
          token = await o.getToken?.(refresh);
        } catch {
          return on(fail('auth'));
        }
        if (signal.aborted) return;
        try {
          ws = new (o.WebSocket ?? WebSocket)(endpoint);
        } catch {
          return on(badEndpoint());
        }
        signal.onabort = () => ws.close();
        ws.onopen = () => send({ ...hello, token });
        ws.onclose = () => on(fail('network'));
        ws.onmessage = ({ data }) => on(decodeFrame(`${data}`, on, o.maxFrame)) // binary frames are refused;
      })();
      return send;
    },
    httpUpload(endpoint.replace(/^ws/, 'http'), o),
    o,
  );
