import type { OutboxChannel } from './types.js';

/**
 * Requests the user's leader lock and holds it until `release` is called or the tab dies (the
 * browser then grants it to the next waiting tab). `granted` runs when the lock is granted and
 * returns false to hand it back at once (the instance was disposed meanwhile). `decided` resolves
 * as soon as it is known whether the lock was free right now, so a lone tab is the leader by the
 * time its outbox is ready; it rejects only if `locks.request` itself throws (then: no locks).
 */
export function holdLock(
  locks: Pick<LockManager, 'request'>,
  name: string,
  granted: () => boolean,
): { release: () => void; decided: Promise<unknown> } {
  const stop = new AbortController();
  let release = () => {};
  const hold = () => granted() && new Promise<void>((resolve) => (release = resolve));
  return {
    release: () => {
      stop.abort();
      release();
    },
    decided: new Promise((decide) =>
      locks
        .request(name, { ifAvailable: true }, (lock) => {
          decide(0);
          // Taken: wait in line (no lock is held meanwhile). Aborted when released before our turn.
          return lock ? hold() : locks.request(name, { signal: stop.signal }, hold).catch(decide);
        })
        .catch(decide),
    ),
  };
}

/** Opens the tab channel; null when BroadcastChannel is missing or refused. */
export function openChannel(factory: ((name: string) => OutboxChannel) | null | undefined, name: string): OutboxChannel | null {
  try {
    return factory === undefined ? new BroadcastChannel(name) : (factory?.(name) ?? null);
  } catch {
    return null;
  }
}
