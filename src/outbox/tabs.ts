/**
 * Requests the user's leader lock. `hold` runs when the lock is granted and returns what keeps it
 * held: a promise the caller settles to release it (the browser grants it to the next waiting tab
 * when this tab dies), or false to hand it back at once (the instance was disposed meanwhile).
 * Resolves as soon as it is known whether the lock was free right now, so a lone tab is the leader
 * by the time its outbox is ready; rejects only if `locks.request` itself throws (then: no locks).
 * @param signal aborting it gives up the place in line when the lock was taken.
 */
export const holdLock = (
  locks: Pick<LockManager, 'request'>,
  name: string,
  signal: AbortSignal,
  hold: () => Promise<void> | false,
): Promise<unknown> =>
  new Promise((decide) =>
    locks
      .request(name, { ifAvailable: true }, (lock) => {
        decide(0);
        // Taken: wait in line (no lock is held meanwhile).
        return lock ? hold() : locks.request(name, { signal }, hold).catch(decide);
      })
      .catch(decide),
  );
