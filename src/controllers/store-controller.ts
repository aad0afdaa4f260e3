import type { ReactiveController, ReactiveControllerHost } from 'lit';
import type { ReadableAtom } from 'nanostores';

/** Re-renders the host whenever one of the stores changes; unsubscribes when disconnected. */
export class StoreController implements ReactiveController {
  private unsubscribers: Array<() => void> = [];

  constructor(
    private readonly host: ReactiveControllerHost,
    private readonly stores: () => ReadonlyArray<ReadableAtom<unknown>>,
  ) {
    host.addController(this);
  }

  /** Subscribes to the current stores (called again when the host swaps its session). */
  hostConnected(): void {
    this.hostDisconnected();
    // listen() skips the immediate call subscribe() makes: the host renders the current value anyway.
    this.unsubscribers = this.stores().map((store) => store.listen(() => this.host.requestUpdate()));
  }

  hostDisconnected(): void {
    for (const unsubscribe of this.unsubscribers) unsubscribe();
    this.unsubscribers = [];
  }
}
