/**
 * Built-in transports, chosen from the endpoint URL. Only this module and the types are public;
 * the adapters' shared machinery stays internal.
 */
import type { TransportOptions } from './core.js';
import { createHttpTransport } from './http.js';
import { TransportError, type ChatTransport } from './types.js';
import { createWebSocketTransport } from './ws.js';

export type { TransportOptions } from './core.js';
export { createHttpTransport } from './http.js';
export { createWebSocketTransport } from './ws.js';

/**
 * Creates the built-in transport for an endpoint: `ws:`/`wss:` → WebSocket, `http:`/`https:` →
 * HTTP POST + Server-Sent Events. Relative URLs resolve against `base`.
 * @throws TransportError `bad-request` (not retryable) for any other scheme or an unparsable URL.
 */
export function createTransport(endpoint: string, options?: TransportOptions, base?: string): ChatTransport {
  let url: URL | undefined;
  try {
    url = new URL(endpoint, base);
  } catch {
    // reported below
  }
  const scheme = url?.protocol;
  if (scheme === 'ws:' || scheme === 'wss:') return createWebSocketTransport(url!.href, options);
  if (scheme === 'http:' || scheme === 'https:') return createHttpTransport(url!.href, options);
  throw new TransportError('bad-request', `endpoint must be ws:, wss:, http: or https: (${endpoint})`, false);
}
