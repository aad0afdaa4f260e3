import { expect } from '@open-wc/testing';
import { holdLock } from '../../src/outbox/tabs.js';

const lockName = () => `tabs-test-${Math.random().toString(36).slice(2)}`;
const held = async (name: string) => (await navigator.locks.query()).held?.filter((l) => l.name === name).length ?? 0;
const tick = () => new Promise((r) => setTimeout(r, 20));

/** A holder as the outbox makes one: it keeps the lock until `release()` or `stop.abort()` in line. */
function holder(name: string, wanted = () => true) {
  const stop = new AbortController();
  let granted = 0;
  let release = () => {};
  const decided = holdLock(navigator.locks, name, stop.signal, () => wanted() && (granted++, new Promise<void>((resolve) => (release = resolve))));
  return {
    decided,
    granted: () => granted,
    release: () => (stop.abort(), release()),
  };
}

describe('tabs', () => {
  describe('holdLock', () => {
    it('grants a free lock before deciding, and holds it until released', async () => {
      const name = lockName();
      const lock = holder(name);
      await lock.decided;
      expect(lock.granted()).to.equal(1);
      expect(await held(name)).to.equal(1);
      lock.release();
      await tick();
      expect(await held(name)).to.equal(0);
    });

    it('queues a second holder, decided at once as not granted, and grants it after the first releases', async () => {
      const name = lockName();
      const first = holder(name);
      await first.decided;
      const second = holder(name);
      await second.decided;
      expect(second.granted()).to.equal(0);
      first.release();
      await tick();
      expect(second.granted()).to.equal(1);
      second.release();
    });

    it('hands the lock back at once when the holder no longer wants it', async () => {
      const name = lockName();
      const refused = holder(name, () => false);
      await refused.decided;
      await tick();
      expect(await held(name)).to.equal(0);
    });

    it('gives up its place in line when released before its turn', async () => {
      const name = lockName();
      const first = holder(name);
      await first.decided;
      const waiting = holder(name);
      await waiting.decided;
      waiting.release();
      first.release();
      await tick();
      expect(waiting.granted()).to.equal(0);
      expect(await held(name)).to.equal(0);
    });

    it('rejects when locks.request throws', async () => {
      const throwing = {
        request() {
          throw new DOMException('denied', 'SecurityError');
        },
      } as unknown as LockManager;
      const error = await holdLock(throwing, lockName(), new AbortController().signal, () => false).then(
        () => null,
        (e: Error) => e,
      );
      expect(error?.name).to.equal('SecurityError');
    });
  });
});
