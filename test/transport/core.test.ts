import { expect } from '@open-wc/testing';
import sinon from 'sinon';
import type { ChatTransport } from '../../src/transport/types.js';
import { createWebSocketTransport } from '../../src/transport/ws.js';
import { FakeSocket } from './fakes.js';

/** A small seeded PRNG (mulberry32), so the simulation is the same on every run. */
const prng = (seed: number) => () => {
  seed = (seed + 0x6d2b79f5) | 0;
  let t = Math.imul(seed ^ (seed >>> 15), 1 | seed);
  t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
  return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
};

/** Spread of a set of times: range, quartiles, and how crowded the busiest 1 ms bucket is. */
function spread(times: number[]) {
  const sorted = [...times].sort((a, b) => a - b);
  const buckets = new Map<number, number>();
  for (const t of sorted) buckets.set(Math.floor(t), (buckets.get(Math.floor(t)) ?? 0) + 1);
  const q = (p: number) => sorted[Math.floor(p * (sorted.length - 1))]!;
  return {
    count: sorted.length,
    min: sorted[0]!,
    p25: q(0.25),
    median: q(0.5),
    p75: q(0.75),
    max: sorted.at(-1)!,
    busiestMs: Math.max(...buckets.values()),
    distinctMs: buckets.size,
  };
}

describe('core: reconnect storm after a server restart', () => {
  let clock: sinon.SinonFakeTimers;
  const clients: ChatTransport[] = [];

  beforeEach(() => {
    FakeSocket.reset();
    clock = sinon.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout', 'setInterval', 'clearInterval', 'Date'] });
  });
  afterEach(() => {
    clients.splice(0).forEach((c) => c.close());
    clock.restore();
    FakeSocket.reset();
  });

  it('spreads the first retries of 1,000 clients over the backoff window', async () => {
    const N = 1000;
    const life = new AbortController();
    const owner = new Map<FakeSocket, number>();
    for (let i = 0; i < N; i++) {
      // Each client gets its own constructor, so every socket can be traced back to its client.
      const WS = function (url: string) {
        const socket = new FakeSocket(url);
        owner.set(socket, i);
        return socket;
      } as unknown as typeof WebSocket;
      const t = createWebSocketTransport('wss://chat.test/v1', { WebSocket: WS, random: prng(i + 1) });
      clients.push(t);
      t.connect({ conversationId: null, cursor: 0, locale: 'en', signal: life.signal }).catch(() => {});
    }
    await clock.tickAsync(0);
    FakeSocket.instances.forEach((s, i) => s.welcome(`c${i}`));
    expect(FakeSocket.instances).to.have.length(N);

    // The server restarts: every socket drops at the same instant, and new ones are refused.
    const restart = Date.now();
    FakeSocket.onCreate = (s) => queueMicrotask(() => s.drop());
    FakeSocket.instances.forEach((s) => s.drop());
    // One fake millisecond at a time, settling the microtasks a reconnect takes in between
    // (tickAsync would yield a real task per timer: minutes for thousands of timers).
    for (let ms = 0; ms < 3100; ms++) {
      clock.tick(1);
      for (let i = 0; i < 10; i++) await Promise.resolve();
    }

    const retries: number[][] = Array.from({ length: N }, () => []);
    for (const s of FakeSocket.instances.slice(N)) retries[owner.get(s)!]!.push(s.at - restart);
    const first = retries.map((r) => r[0]!);
    const second = retries.map((r) => r[1]! - r[0]!);
    const report = spread(first);
    console.log(`first retries of ${N} clients, ms after the restart: ${JSON.stringify(report)}`);
    console.log(`second retries, ms after each client's first: ${JSON.stringify(spread(second))}`);

    expect(retries.every((r) => r.length >= 2)).to.be.true;
    expect(report.min).to.be.at.least(0);
    // The default window for a first retry is [0, 1000) ms.
    expect(report.max).to.be.below(1000);
    expect(report.max - report.min).to.be.above(950);
    expect(report.median).to.be.within(400, 600);
    expect(report.busiestMs, 'clients retrying in the same millisecond').to.be.at.most(7);
    // Even, not merely wide: every 100 ms slice of the window holds 100 ± 40 clients.
    for (let slice = 0; slice < 1000; slice += 100) {
      const inSlice = first.filter((t) => t >= slice && t < slice + 100).length;
      expect(inSlice, `clients retrying in [${slice}, ${slice + 100}) ms`).to.be.within(60, 140);
    }
    // The window doubles for the next attempt.
    expect(Math.max(...second)).to.be.below(2000);
    expect(spread(second).median).to.be.within(800, 1200);
    expect(spread(second).busiestMs).to.be.at.most(7);
  });
});
