/**
 * Built-in transports, chosen from the endpoint URL. Only this module and the types are public;
 * the adapters' shared machinery stays internal.
 */
import { badEndpoint, type TransportOptions } from './core.js';
import { createHttpTransport } from './http.js';
import type { ChatTransport } from './types.js';
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
  let url = '';
  try {
    // Unset is not "this page".
    url = endpoint && new URL(endpoint, base).href;
  } catch {
    // refused below
  }
  const scheme = /^(ws|http)s?:/.exec(url);
  if (!scheme) throw badEndpoint();
  return (scheme[1] == 'ws' ? createWebSocketTransport : createHttpTransport)(url, options);
}
