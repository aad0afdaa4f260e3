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
      // What a throw means: first the token callback failed, then the socket could not be made.
      let failure = fail('auth');
      (async () => {
        const token = await o.getToken?.(refresh);
        failure = badEndpoint();
        if (signal.aborted) return;
        ws = new (o.WebSocket ?? WebSocket)(endpoint);
        signal.onabort = () => ws.close();
        ws.onopen = () => send({ ...hello, token });
        ws.onclose = () => on(fail('network'));
        ws.onmessage = ({ data }) => on(decodeFrame(`${data}`, on, o.maxFrame)); // binary frames are refused
      })().catch(() => on(failure));
      return send;
    },
    httpUpload(endpoint.replace(/^ws/, 'http'), o),
    o,
  );
