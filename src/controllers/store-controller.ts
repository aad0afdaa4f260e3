import type { ReactiveController, ReactiveControllerHost } from 'lit';
import type { ReadableAtom } from 'nanostores';

/** Re-renders the host whenever one of the stores changes; unsubscribes when disconnected. */
export class StoreController implements ReactiveController {
  /** Subscribes to the current stores (called again when the host swaps its session). */
  declare readonly hostConnected: () => void;
  /** Unsubscribes from every store. */
  declare readonly hostDisconnected: () => void;

  // Methods as closures over the constructor's arguments: nothing is kept in (unmangled) fields.
  constructor(host: ReactiveControllerHost, stores: () => ReadonlyArray<ReadableAtom<unknown>>) {
    let unsubscribers: Array<() => void> = [];
    this.hostDisconnected = () => {
      for (const unsubscribe of unsubscribers) unsubscribe();
      unsubscribers = [];
    };
    this.hostConnected = () => {
      this.hostDisconnected();
      // listen() skips the immediate call subscribe() makes: the host renders the current value anyway.
      unsubscribers = stores().map((store) => store.listen(() => host.requestUpdate()));
    };
    host.addController(this);
  }
}
