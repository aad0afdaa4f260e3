/**
 * Browser-side helpers of the benchmark, bundled from src/ by scripts/bench/lib.mjs so the
 * stored format and the delivery code are the production ones (they cannot drift). Loaded by
 * the bench pages as `/bench/lib.js`; everything is exposed on `window.mcsBench`.
 */
import { createOutbox } from '../../src/outbox/index.js';
import type { Outbox, OutboxRow } from '../../src/outbox/types.js';
import { createWebSocketTransport } from '../../src/transport/index.js';
import type { ChatTransport, ServerEvent } from '../../src/transport/types.js';

const never = () => new Promise<never>(() => {});
/** A transport that never answers: rows stay queued while a helper measures storage alone. */
const silent: Pick<ChatTransport, 'send' | 'upload'> = { send: never, upload: never };

const median = (values: number[]) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)];

/**
 * Texts shaped like a support conversation: short user lines, longer bot answers with the
 * markdown subset (bold, a list, a link) and now and then quick replies and an article card.
 */
export function conversationEvents(count: number, at: number): ServerEvent[] {
  const events: ServerEvent[] = [];
  for (let i = 1; i <= count; i++) {
    const user = i % 2 === 1;
    const text = user
      ? `Message ${i}: my item has not arrived yet, what should I do?`
      : `Message ${i}: **Sorry to hear that.** Please check the shipping status first:\n- open the transaction screen\n- look at the tracking number\n\nMore help: https://help.example.com/articles/${i}`;
    events.push({
      type: 'message',
      seq: i,
      message: {
        id: `m${i}`,
        role: user ? 'user' : 'bot',
        text,
        at: at - (count - i) * 1000,
        ...(user ? { clientId: `c${i}` } : {}),
        ...(!user && i % 10 === 0 ? { quickReplies: [{ id: 'yes', label: 'Solved' }, { id: 'no', label: 'Not solved' }] } : {}),
        ...(!user && i % 20 === 0 ? { articles: [{ title: `Article ${i}`, summary: 'What to do when an item does not arrive.', url: `https://help.example.com/a/${i}` }] } : {}),
      },
    });
  }
  return events;
}

/** Stores `count` messages as conversation `conversationId` of `userId`, through the real outbox. */
async function seedHistory(userId: string, conversationId: string, count: number): Promise<number> {
  const at = Date.now();
  const outbox = createOutbox({ userId, transport: silent, now: () => at, random: Math.random });
  await outbox.ready;
  if (!outbox.durable) throw new Error('IndexedDB is not available');
  await outbox.history.append(conversationId, conversationEvents(count, at));
  const stored = await outbox.history.load(conversationId);
  outbox.dispose();
  return stored.events.length;
}

/** Median and 95th percentile of `count` sequential enqueues (each durable on resolve), in ms. */
async function enqueueLatency(userId: string, count: number): Promise<{ median: number; p95: number; durable: boolean }> {
  const outbox = createOutbox({ userId, transport: silent, now: () => Date.now(), random: Math.random });
  await outbox.ready;
  const times: number[] = [];
  for (let i = 0; i < count; i++) {
    const t0 = performance.now();
    await outbox.enqueue(null, `queued message ${i}`);
    times.push(performance.now() - t0);
  }
  const durable = outbox.durable;
  await outbox.clear();
  times.sort((a, b) => a - b);
  return { median: median(times), p95: times[Math.floor(times.length * 0.95)], durable };
}

/**
 * The reconnect case: a conversation exists, the link drops, the user types `count` messages
 * offline, the link comes back. Uses the real WebSocket adapter against `wsUrl` and the session's
 * wiring (the outbox sends only while online; the transport is swapped on reconnect). Times
 * from the start of the reconnect to an empty outbox.
 */
async function flushToServer(userId: string, wsUrl: string, count: number, timeoutMs: number) {
  const life = new AbortController();
  let transport: ChatTransport = createWebSocketTransport(wsUrl);
  let online = false;
  let conversationId: string | null = null;
  let emptied = () => {};
  const empty = new Promise<void>((resolve) => (emptied = resolve));
  const outbox: Outbox = createOutbox({
    userId,
    // Looked up on every call, as the session's proxy does, so the new link is used after reconnecting.
    transport: { send: (m, o) => transport.send(m, o), upload: (f, o) => transport.upload(f, o) },
    now: () => Date.now(),
    random: Math.random,
    online: () => online,
    conversation: () => conversationId,
    onChange: (rows: readonly OutboxRow[]) => rows.length === 0 && online && emptied(),
  });
  await outbox.ready;
  conversationId = (await transport.connect({ conversationId: null, cursor: 0, locale: 'en', signal: life.signal })).conversationId;
  await outbox.history.append(conversationId, []);
  transport.close();

  const clientIds: string[] = [];
  for (let i = 0; i < count; i++) clientIds.push((await outbox.enqueue(conversationId, `flush ${i}`)).clientId);
  const queued = outbox.rows().length;

  const t0 = performance.now();
  transport = createWebSocketTransport(wsUrl);
  await transport.connect({ conversationId, cursor: outbox.history.cursor(conversationId), locale: 'en', signal: life.signal });
  const connected = performance.now() - t0;
  online = true;
  void outbox.flush();
  const timedOut = await Promise.race([empty.then(() => false), new Promise<boolean>((r) => setTimeout(() => r(true), timeoutMs))]);
  const elapsed = performance.now() - t0;
  const left = outbox.rows().length;
  const history = await outbox.history.load(conversationId);
  const acked = history.events.flatMap((e) => (e.type === 'message' && e.message.role === 'user' && e.message.clientId ? [e.message.clientId] : []));
  life.abort();
  transport.close();
  await outbox.clear();
  return { conversationId, clientIds, queued, connected, elapsed, timedOut, left, acked };
}

declare global {
  interface Window {
    mcsBench: typeof api;
  }
}

const api = { conversationEvents, seedHistory, enqueueLatency, flushToServer };
window.mcsBench = api;
