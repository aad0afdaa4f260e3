import { expect } from '@open-wc/testing';
import { holdLock, openChannel } from '../../src/outbox/tabs.js';

const lockName = () => `tabs-test-${Math.random().toString(36).slice(2)}`;
const held = async (name: string) => (await navigator.locks.query()).held?.filter((l) => l.name === name).length ?? 0;

describe('tabs', () => {
  describe('holdLock', () => {
    it('grants a free lock before deciding, and holds it until released', async () => {
      const name = lockName();
      let granted = 0;
      const lock = holdLock(navigator.locks, name, () => (granted++, true));
      await lock.decided;
      expect(granted).to.equal(1);
      expect(await held(name)).to.equal(1);
      lock.release();
      await new Promise((r) => setTimeout(r, 20));
      expect(await held(name)).to.equal(0);
    });

    it('queues a second holder, decided at once as not granted, and grants it after the first releases', async () => {
      const name = lockName();
      const first = holdLock(navigator.locks, name, () => true);
      await first.decided;
      let secondGranted = false;
      const second = holdLock(navigator.locks, name, () => (secondGranted = true));
      await second.decided;
      expect(secondGranted).to.be.false;
      first.release();
      await new Promise((r) => setTimeout(r, 20));
      expect(secondGranted).to.be.true;
      second.release();
    });

    it('hands the lock back at once when the holder no longer wants it', async () => {
      const name = lockName();
      const refused = holdLock(navigator.locks, name, () => false);
      await refused.decided;
      await new Promise((r) => setTimeout(r, 20));
      expect(await held(name)).to.equal(0);
    });

    it('gives up its place in line when released before its turn', async () => {
      const name = lockName();
      const first = holdLock(navigator.locks, name, () => true);
      await first.decided;
      let granted = false;
      const waiting = holdLock(navigator.locks, name, () => (granted = true));
      await waiting.decided;
      waiting.release();
      first.release();
      await new Promise((r) => setTimeout(r, 20));
      expect(granted).to.be.false;
      expect(await held(name)).to.equal(0);
    });
  });

  describe('openChannel', () => {
    it('opens a BroadcastChannel by default', () => {
      const channel = openChannel(undefined, 'x');
      expect(channel).to.be.instanceOf(BroadcastChannel);
      channel?.close();
    });

    it('returns null when channels are absent or refused', () => {
      expect(openChannel(null, 'x')).to.be.null;
      expect(
        openChannel(() => {
          throw new Error('no');
        }, 'x'),
      ).to.be.null;
    });
  });
});
