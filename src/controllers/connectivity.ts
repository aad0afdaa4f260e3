import type { ReactiveController, ReactiveControllerHost } from 'lit';

/** What `createConnectivityController` returns: the browser's network state, kept current. */
export interface ConnectivityController extends ReactiveController {
  /** Whether the browser believes it has a network. */
  readonly online: boolean;
}

/**
 * Tracks `navigator.onLine` for `host` (updating it on a change) and calls `onOnline` when the
 * browser comes back online. Adds itself to `host`.
 */
export const createConnectivityController = (host: ReactiveControllerHost, onOnline: () => void): ConnectivityController => {
  const update = () => {
    if (navigator.onLine == c.online) return;
    c.online = navigator.onLine;
    host.requestUpdate();
    if (c.online) onOnline();
  };
  const listen = (method: 'addEventListener' | 'removeEventListener') => {
    window[method]('online', update);
    window[method]('offline', update);
  };
  const c = {
    online: navigator.onLine,
    hostConnected() {
      listen('addEventListener');
      update();
    },
    hostDisconnected: () => listen('removeEventListener'),
  };
  host.addController(c);
  return c;
};
