/**
 * The replay policy: what is sent, when, by which tab, and when a row may leave the outbox.
 *
 * Invariants:
 * - a row reaches `transport.send` only after its strict-durability write committed (or, after a
 *   storage fault, once it is held in memory by this tab alone);
 * - a row leaves the outbox only when an ack with the server's id arrives (or the stream carries
 *   the user's message with its client id), and its history record is written in the same transaction;
 * - one message in flight at a time; a conversation's rows go in `seq` order, a row waiting to be
 *   retried holds back the later rows of its conversation, a failed one does not;
 * - every attempt sends the same client id; attachments are uploaded once, their URL stored first.
 */
import { backoffDelay } from '../transport/backoff.js';
import type { Attachment, ServerEvent, TransportError } from '../transport/types.js';
import { dbName, deleteDb, faultOf, onRead, openDb, run, type StorageFault } from './db.js';
import { holdLock } from './tabs.js';
import type { Outbox, OutboxChannel, OutboxOptions, OutboxRow, SequencedEvent } from './types.js';

type Row = { -readonly [K in keyof OutboxRow]: OutboxRow[K] } & {
  /** Change counter: the higher version wins when tabs' copies meet. */
  v: number;
  /** The tab sending this row, and until when (ms); only checked without Web Locks. */
  lease?: [tab: string, until: number];
};
/** Tab messages: rows upserted, rows gone, history appended [c, events, cursor], flush asked, wipe, survey answered in c. */
type Message = { r?: Row[]; g?: string[]; h?: [string, SequencedEvent[], number]; k?: 1; w?: 1; a?: string };

const bySeq = (a: { seq: number }, b: { seq: number }) => a.seq - b.seq;

/** The Web Locks to use: `undefined` means the browser's (none outside secure contexts), `null` none. */
const locksOf = ({ locks }: Pick<OutboxOptions, 'locks'>) => (locks === undefined ? navigator.locks : locks);
/** Held by a user's deletion while it runs; an outbox opens the database only when it is free. */
const deleting = (name: string) => name + '#';

/** The channel to a user's other tabs: `undefined` means a BroadcastChannel, `null` none. Can throw. */
const openChannel = (name: string, factory: OutboxOptions['channel']) => (factory === undefined ? new BroadcastChannel(name) : factory?.(name));

/** Whether a user has a database (messages may be waiting in it), without opening or creating it. */
export const hasStored = async (userId: string): Promise<boolean> =>
  (await indexedDB.databases().catch(() => [])).some((db) => db.name == dbName(userId));

/**
 * Deletes a user's stored conversation and queue; needs no outbox of its own. Every tab's outbox
 * of that user is told to wipe itself first, and given a moment to close before the deletion
 * would reach it as a `versionchange` (which alone would only degrade it to memory). An outbox
 * started meanwhile (an inline widget starts over at once) waits for the deletion: opened before
 * it, it would show the old user's conversation, then lose the database.
 */
export async function clearStored(userId: string, seams: Pick<OutboxOptions, 'indexedDB' | 'channel' | 'locks'> = {}): Promise<void> {
  const name = dbName(userId);
  const clear = async () => {
    try {
      const channel = openChannel(name, seams.channel);
      channel?.postMessage({ w: 1 } satisfies Message);
      channel?.close();
    } catch {
      // No BroadcastChannel: other tabs see the database deleted under them and carry on in memory.
    }
    await new Promise((resolve) => setTimeout(resolve, 100));
    await deleteDb(seams.indexedDB, name, 3000);
  };
  await (locksOf(seams)?.request(deleting(name), clear).catch(clear) ?? clear());
}

/**
 * Creates the durable outbox and history of one user. Other users' databases are never read;
 * instances with the same user id (tabs, or two widgets) share one database and elect one sender.
 */
export function createOutbox(options: OutboxOptions): Outbox {
  const { transport, now, conversation = (c: string) => c || null } = options;
  const name = dbName(options.userId);
  // randomUUID exists only in secure contexts; getRandomValues everywhere (http: pages too).
  const newId =
    options.newId ?? (() => crypto.randomUUID?.() ?? [...crypto.getRandomValues(new Uint8Array(16))].map((b) => (b | 256).toString(16).slice(1)).join(''));
  const leaseMs = options.lease ?? 60_000;
  let locks = locksOf(options);
  const tab = newId();
  let channel: OutboxChannel | null | undefined;
  try {
    channel = openChannel(name, options.channel);
  } catch {
    // No BroadcastChannel (or a refused one): tabs still never send twice, and see each other's rows on their next read.
  }
  const rows = new Map<string, Row>();
  /** Ids acked or removed: a late copy from storage or another tab must not bring them back. */
  const gone = new Set<string>();
  /** Per row waiting to be retried: [when, not before] — the second is the server's Retry-After. */
  const due = new Map<string, [number, number]>();
  /** Per conversation, the events this instance holds (and gave to the session). */
  const history = new Map<string | undefined, Map<number, SequencedEvent>>();
  /** Per conversation, the last seq received from the server's stream. */
  const cursors = new Map<string, number>();
  const stop = new AbortController();
  const call = { signal: stop.signal };
  let db: IDBDatabase | null = null;
  let opened = false;
  let disposed = false;
  let haveLock = false;
  let wasLeader = false;
  let timer: ReturnType<typeof setTimeout> | undefined;
  /** The passes over the rows, one after the other; `queued` while one is yet to start. */
  let passes = Promise.resolve();
  let queued = false;
  let release = () => {};
  /** The conversation used last here (stored as the record keyed ''). */
  let current: string | undefined;

  /** Calls back into the session; its exceptions are reported, never allowed to break delivery. */
  const safe = <A extends unknown[]>(callback: ((...args: A) => void) | undefined, ...args: A) => {
    if (!disposed)
      try {
        callback?.(...args);
      } catch (error) {
        reportError(error);
      }
  };
  const isLeader = () => opened && !disposed && (haveLock || !locks || !db);
  const list = () => [...rows.values()].sort(bySeq);
  const changed = () => safe(options.onChange, list());
  // An event that cannot be cloned is reported, and still stored here: other tabs read it on their next load.
  const post = (message: Message) => safe(() => channel?.postMessage(message));
  const events = (c?: string) => history.get(c) ?? history.set(c, new Map()).get(c)!;
  const cursor = (c?: string | null) => cursors.get(c!) ?? 0;
  const advance = (c: string, n = 0) => cursors.set(c, Math.max(cursor(c), n));

  /**
   * Degrades to memory for the rest of this instance's life, keeping everything it holds, and
   * tells the session once: when `open` fails, or when the open database fails.
   */
  const fail = (fault: StorageFault) => {
    if (disposed || (opened && !db)) return;
    db?.close();
    db = null;
    safe(options.onNotice, { code: fault, key: fault == 'quota' ? 'outbox.full' : 'outbox.memory' });
    sync();
  };
  /** One transaction; any storage failure degrades to memory and yields nothing. */
  const tx = <T>(body: (store: IDBObjectStore) => IDBRequest | void, durability?: IDBTransactionDurability) =>
    db && run<T>(db, body, durability).catch((error) => fail(faultOf(error)));

  const sync = () => {
    if (wasLeader != (wasLeader = isLeader())) {
      safe(options.onLeader, wasLeader);
      if (wasLeader) void flush();
    }
  };

  /** Takes rows from here, storage or another tab; a newer version is shown. */
  const mergeAll = (incoming: Row[]) => {
    let taken = false;
    for (const r of incoming) {
      const known = rows.get(r.clientId);
      // Disposed (or wiped): a read still in flight must not bring rows back; nor may an acked row return.
      if (disposed || gone.has(r.clientId) || (known && known.v >= r.v)) continue;
      rows.set(r.clientId, r);
      taken = true;
    }
    if (taken) changed();
  };
  /** Forgets rows for good; tells the UI when one was there. */
  const drop = (ids: readonly string[]) => ids.map((id) => (gone.add(id), due.delete(id), rows.delete(id))).includes(true) && changed();
  /** Takes a new or changed row here and tells the other tabs. */
  const share = (r: Row) => (mergeAll([r]), post({ r: [r] }), r);
  /** Changes a row in memory, as a newer version. */
  const update = (r: Row, patch: Partial<Row>) => share({ ...r, ...patch, v: r.v + 1 });
  /**
   * Writes a row if it is still stored and, without Web Locks, no other tab's claim on it is
   * still valid (the write is then this tab's claim). Resolves true when written (or held in
   * memory), false when refused, undefined when the row is gone (acked or deleted elsewhere).
   */
  const save = async (r: Row) => {
    let ok: boolean | undefined = true;
    if (!r.own)
      await tx((store) => {
        onRead(store.get(r.seq), (stored) => {
          const lease = (stored as Row | undefined)?.lease;
          if ((ok = stored && (!!locks || !lease || lease[0] == tab || lease[1] < now()))) store.put(r);
        });
      }, 'strict');
    return ok;
  };

  /** Brings the stored rows into memory (the shared truth across tabs), deleting rows already acked. */
  const reload = async () => {
    const stored = await tx<Row[]>((store) =>
      // Rows acked by a tab that could not delete them (memory mode).
      onRead(store.getAll(IDBKeyRange.upperBound(Infinity)), (all: Row[]) => all.forEach((r) => gone.has(r.clientId) && store.delete(r.seq))),
    );
    if (!stored) return;
    mergeAll(stored);
    drop(list().filter((r) => !r.own && !stored.some((s) => s.clientId == r.clientId)).map((r) => r.clientId));
  };

  /**
   * Where every sequenced event enters the history: from this tab's stream (`at` omitted: the
   * cursor advances to the highest seq), an ack (`at` 0: the user's acknowledged message is not part
   * of the stream), or another tab (`mirror`: memory only, `at` is that tab's cursor). An event goes
   * to `onEvents` unless this instance already gave it to the session (through `onEvents` or
   * `load`). A user message carrying a row's client id removes that row, in the same transaction.
   * Resolves once stored.
   */
  const absorb = (c: string, incoming: readonly ServerEvent[], at?: number, mirror?: 1) => {
    const known = events(c);
    const fresh: SequencedEvent[] = [];
    const kept: SequencedEvent[] = [];
    const acked: Row[] = [];
    for (const e of incoming as SequencedEvent[])
      // An event without a numeric seq (transient, or malformed) cannot be kept.
      if (typeof e.seq == 'number') {
        if (!known.has(e.seq)) fresh.push(e);
        known.set(e.seq, e);
        kept.push(e);
        const r = e.type == 'message' && rows.get(e.message.clientId!);
        if (r) acked.push(r);
      }
    advance(c, at ?? Math.max(...kept.map((e) => e.seq)));
    current = c;
    // The message first, then the row's removal: the UI never shows neither.
    if (fresh.length) safe(options.onEvents, c, fresh);
    drop(acked.map((r) => r.clientId));
    if (mirror) return;
    post({ h: [c, kept, cursor(c)] });
    return tx<void>((store) => {
      for (const e of kept) store.put({ seq: [c, e.seq], e });
      // Merge with the stored record (cursor, survey answered): this instance may not have loaded the conversation.
      onRead(store.get(c), (record) => store.put({ ...record, seq: c, n: advance(c, record?.n).get(c) }));
      store.put({ seq: '', c });
      // A row that never reached storage has a seq of its own tab's making.
      for (const r of acked) if (!r.own) store.delete(r.seq);
    });
  };

  /** One attempt at a row. True when it is settled for this pass (sent, failed, gone), false when it must wait. */
  const attempt = async (id: string): Promise<boolean> => {
    let r = rows.get(id)!;
    const c = conversation(r.conversationId);
    if (!c) return false;
    const claim = c != r.conversationId || !locks;
    r = update(r, { status: 'sending', attempts: r.attempts + 1, conversationId: c, lease: [tab, now() + leaseMs] });
    // The conversation must be stored before the send; without Web Locks this write is the claim.
    const ok = claim ? await save(r) : true;
    if (!ok) {
      // Gone: acked or deleted by another tab. Refused: another tab's claim is still valid.
      if (ok === undefined) return drop([id]), true;
      due.set(id, [now() + leaseMs, 0]);
      return false;
    }
    try {
      for (const f of r.files)
        if (!f.url) {
          f.url = (await transport.upload(new Blob([f.data], { type: f.type }), call)).url;
          // Gone meanwhile (acked or deleted): `update` throws, and the catch below finds no row.
          await save((r = update(rows.get(id)!, { files: r.files })));
        }
      const attachments = r.files.length ? { attachments: r.files.map(({ data: _, ...a }) => a as Attachment) } : {};
      const ack = await transport.send({ clientId: id, conversationId: c, text: r.text, createdAt: r.createdAt, ...attachments }, call);
      // Only a receipt with the server's id proves the message is stored.
      if (!ack?.id || (ack.clientId ?? id) != id) throw { code: 'protocol' };
      // Not awaited: IndexedDB runs the transactions in order, so a later read still sees it.
      void absorb(c, [{ type: 'message', seq: ack.seq, message: { id: ack.id, role: 'user', text: r.text, at: ack.at, clientId: id, ...attachments } }], 0);
      return true;
    } catch (error) {
      const known = rows.get(id);
      // Acknowledged by the stream or deleted meanwhile: nothing to undo. (Disposed: storage and
      // callbacks are already detached, so whatever follows is not seen.)
      if (!known) return true;
      const { code: lastError = 'unknown', retryable, retryAfterMs: after = 0 } = (error ?? {}) as Partial<TransportError>;
      if (retryable == false) {
        await save(update(known, { status: 'failed', lastError, lease: undefined }));
        return true;
      }
      update(known, { lastError });
      due.set(id, [now() + backoffDelay(known.attempts - 1, options.random, options.backoff, after), after && now() + after]);
      return false;
    }
  };

  const pass = async () => {
    queued = false;
    await reload();
    const waiting = new Set<string | null>();
    for (const r of list()) {
      // Offline: rows stay queued, untried, until the session flushes on (re)connecting.
      if (!isLeader() || options.online?.() == false) break;
      const key = conversation(r.conversationId);
      // Rows that never reached storage exist in one tab only, which alone may send them; other
      // rows this tab may not send are another tab's queue: skipped, not waited for.
      if (r.status == 'failed' || waiting.has(key) || !rows.has(r.clientId) || !(r.own ? r.own == tab : haveLock || (!locks && db)))
        continue;
      if ((due.get(r.clientId)?.[0] as number) > now() || !(await attempt(r.clientId))) waiting.add(key);
      else due.delete(r.clientId);
    }
    // Every row waiting here is in `rows`: `drop` forgets its wait too.
    const next = Math.min(...[...due.values()].map(([at]) => at));
    clearTimeout(timer);
    // What the timer waited for is due even if the clock was set back meanwhile (it can be).
    if (next < Infinity) timer = setTimeout(() => (due.forEach((w) => w[0] > next || (w[0] = 0)), kick()), next - now());
  };
  /** Starts a pass, or joins the one yet to start. */
  const kick = async () => {
    if (isLeader()) return queued ? passes : ((queued = true), (passes = passes.then(pass).catch(() => {})));
  };
  const flush = async () => {
    if (!isLeader()) return post({ k: 1 });
    for (const wait of due.values()) wait[0] = wait[1];
    return kick();
  };

  // Every step may run twice.
  const dispose = () => {
    disposed = true;
    stop.abort();
    clearTimeout(timer);
    release();
    channel?.close();
    db?.close();
    db = null;
  };
  const wipe = () => {
    for (const map of [rows, history, cursors]) map.clear();
    changed();
    dispose();
  };

  // Listening from the start: a wipe that arrives while this instance loads must reach it too.
  if (channel)
    channel.onmessage = ({ data: m }: MessageEvent<Message>) => {
      if (m.w) return safe(options.onWipe), wipe();
      // Anything else before then is read from storage by the load.
      if (!opened) return;
      if (m.h) void absorb(...m.h, 1);
      if (m.a) safe(options.onRated, m.a);
      if (m.g) drop(m.g);
      if (m.r) {
        mergeAll(m.r);
        void kick();
      }
      if (m.k) void flush();
    };

  const ready = (async () => {
    // Not while a logout deletes the database (see `clearStored`).
    await locks?.request(deleting(name), { mode: 'shared' }, () => {}).catch(() => {});
    const opening = await openDb(options.indexedDB, name, options.openTimeout ?? 3000, fail);
    if (typeof opening == 'string') fail(opening);
    else db = opening;
    if (disposed) return void db?.close();
    await reload();
    opened = true;
    try {
      // Held until `dispose` releases it or the tab dies; `stop` also gives up a place in line.
      if (locks) await holdLock(locks, name, stop.signal, () => !disposed && ((haveLock = true), sync(), new Promise((resolve) => (release = resolve))));
    } catch {
      locks = null;
    }
    sync();
  })();

  return {
    ready,
    get leader() {
      return isLeader();
    },
    get durable() {
      return !!db;
    },
    rows: list,
    async enqueue(conversationId, text, blobs = []) {
      // Bytes, not Blobs: some WebKit versions cannot store Blobs in IndexedDB.
      const files = await Promise.all(
        blobs.map(async (blob) => ({ name: (blob as File).name ?? '', type: blob.type, size: blob.size, data: await blob.arrayBuffer() })),
      );
      await ready;
      const row = { clientId: newId(), conversationId: conversationId ?? '', text, files, createdAt: now(), attempts: 0, status: 'queued', v: 0 } as Omit<Row, 'seq'> as Row;
      const seq = await tx<number>((store) => store.add(row), 'strict');
      row.seq = seq || (list().pop()?.seq ?? 0) + 1;
      if (!seq) row.own = tab;
      share(row);
      void kick();
      return row;
    },
    async retry(id) {
      const r = rows.get(id);
      if (r?.status != 'failed') return;
      await save(update(r, { status: 'queued', attempts: 0, lastError: undefined }));
      void kick();
    },
    async remove(id) {
      const r = rows.get(id);
      if (!r) return;
      drop([id]);
      post({ g: [id] });
      if (!r.own) await tx((store) => store.delete(r.seq));
    },
    flush,
    history: {
      async load(c) {
        await ready;
        c ??= (await tx<{ c: string }>((store) => store.get('')))?.c ?? current;
        let rated: unknown;
        if (c)
          await tx((store) => {
            onRead(store.get(c!), (record) => {
              advance(c!, record?.n);
              rated = record?.r;
            });
            onRead(store.getAll(IDBKeyRange.bound([c], [c, []])), (all) => all.forEach(({ e }: { e: SequencedEvent }) => events(c).set(e.seq, e)));
          });
        return { conversationId: c ?? null, events: [...events(c).values()].sort(bySeq), cursor: cursor(c), rated: !!rated };
      },
      async rate(c) {
        await ready;
        await tx((store) => onRead(store.get(c), (record) => store.put({ ...record, seq: c, r: 1 })));
        post({ a: c });
      },
      async append(c, incoming) {
        await ready;
        await absorb(c, incoming);
      },
      cursor,
    },
    async clear() {
      await ready;
      wipe();
      await clearStored(options.userId, options);
    },
    dispose,
  };
}
