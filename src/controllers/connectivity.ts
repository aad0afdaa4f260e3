import type { ReactiveController, ReactiveControllerHost } from 'lit';

/** Tracks `navigator.onLine` and calls back when the browser comes back online. */
export class ConnectivityController implements ReactiveController {
  /** Whether the browser believes it has a network. */
  online = navigator.onLine;

  constructor(
    private readonly host: ReactiveControllerHost,
    private readonly onOnline: () => void,
  ) {
    host.addController(this);
  }

  private readonly update = () => {
    const online = navigator.onLine;
    if (online === this.online) return;
    this.online = online;
    this.host.requestUpdate();
    if (online) this.onOnline();
  };

  hostConnected(): void {
    addEventListener('online', this.update);
    addEventListener('offline', this.update);
    this.update();
  }

  hostDisconnected(): void {
    removeEventListener('online', this.update);
    removeEventListener('offline', this.update);
  }
}
