/**
 * The replay policy: what is sent, when, by which tab, and when a row may leave the outbox.
 *
 * Invariants:
 * - a row reaches `transport.send` only after its strict-durability write committed (or, after a
 *   storage fault, once it is held in memory by this tab alone);
 * - a row leaves the outbox only when an ack with a server id arrives (or the stream carries the
 *   user's message with its client id), and its history record is written in the same transaction;
 * - one message in flight at a time; a conversation's rows go in `seq` order, a row waiting to be
 *   retried holds back the later rows of its conversation, a failed one does not;
 * - every attempt sends the same client id; attachments are uploaded once, their URL stored first.
 */
import { backoffDelay } from '../transport/backoff.js';
import { TransportError, type Attachment, type ServerEvent } from '../transport/types.js';
import { HISTORY, META, OUTBOX, dbName, deleteDb, faultOf, openDb, run, type StorageFault } from './db.js';
import { holdLock, openChannel } from './tabs.js';
import type { HistorySnapshot, Outbox, OutboxOptions, OutboxRow, SequencedEvent } from './types.js';

type Row = { -readonly [K in keyof OutboxRow]: OutboxRow[K] } & {
  /** Change counter: the higher version wins when tabs' copies meet. */
  v: number;
  /** Without Web Locks: the tab sending this row, and until when (ms). */
  lease?: [tab: string, until: number];
};
type Meta = { c: string; cursor: number; t: number };
/** Tab messages: rows upserted, rows gone, history appended (+cursor), flush asked, wipe. */
type Message = { r?: Row[]; g?: string[]; h?: [string, SequencedEvent[], number]; k?: 1; w?: 1 };
type Claim = 'ok' | 'busy' | 'gone';

const bySeq = (a: { seq: number }, b: { seq: number }) => a.seq - b.seq;

/**
 * Creates the durable outbox and history of one user. Rows from other users' databases are never
 * read; two instances with the same user id (tabs, or two widgets) share one database and elect
 * one sender.
 */
export function createOutbox(options: OutboxOptions): Outbox {
  const { transport, now, random } = options;
  const name = dbName(options.userId);
  const newId = options.newId ?? (() => crypto.randomUUID());
  const leaseMs = options.lease ?? 60_000;
  let locks = options.locks === undefined ? globalThis.navigator?.locks : options.locks;
  const tab = newId();
  const channel = openChannel(options.channel, name);
  const rows = new Map<string, Row>();
  /** Ids acked or removed: a late copy from storage or another tab must not bring them back. */
  const gone = new Set<string>();
  /** Per row waiting to be retried: [when, not before] — the second is the server's Retry-After. */
  const due = new Map<string, [number, number]>();
  const history = new Map<string, Map<number, SequencedEvent>>();
  const metas = new Map<string, Meta>();
  const loading = new Map<string, Promise<void>>();
  const calls = new AbortController();
  let db: IDBDatabase | null = null;
  let opened = false;
  let disposed = false;
  let haveLock = false;
  let wasLeader = false;
  let maxSeq = 0;
  let timer: ReturnType<typeof setTimeout> | undefined;
  let pass: Promise<void> | null = null;
  let again = false;
  let release = () => {};

  /** Calls back into the session; its exceptions are reported, never allowed to break delivery. */
  const safe = <A extends unknown[]>(callback: ((...args: A) => void) | undefined, ...args: A) => {
    if (!disposed)
      try {
        callback?.(...args);
      } catch (error) {
        queueMicrotask(() => {
          throw error;
        });
      }
  };
  const notice = (code: StorageFault) => safe(options.onNotice, { code, key: code === 'quota' ? 'outbox.full' : 'outbox.memory' });
  const isLeader = () => opened && !disposed && (haveLock || !locks || !db);
  // Rows that never reached storage exist in one tab only, which alone may send them.
  const sendable = (r: Row) => (r.own ? r.own === tab : haveLock || (!locks && !!db));
  const list = () => [...rows.values()].sort(bySeq);
  const changed = () => safe(options.onChange, list());
  const post = (message: Message) => {
    try {
      channel?.postMessage(message);
    } catch {
      // Channel closed: nobody left to tell.
    }
  };

  /** Degrades to memory for the rest of this instance's life, keeping every row it holds. */
  const fail = (fault: StorageFault) => {
    if (!db || disposed) return;
    db.close();
    db = null;
    notice(fault);
    sync();
  };
  /** Runs a storage operation; any failure degrades to memory and yields `fallback`. */
  const io = async <T>(body: (db: IDBDatabase) => Promise<T>, fallback: T): Promise<T> => {
    if (db)
      try {
        return await body(db);
      } catch (error) {
        fail(faultOf(error));
      }
    return fallback;
  };

  const sync = () => {
    const leader = isLeader();
    if (leader !== wasLeader) {
      wasLeader = leader;
      safe(options.onLeader, leader);
      if (leader) void flush();
    }
  };

  const merge = (r: Row) => {
    const current = rows.get(r.clientId);
    if (gone.has(r.clientId) || (current && current.v >= r.v)) return false;
    rows.set(r.clientId, r);
    maxSeq = Math.max(maxSeq, r.seq);
    return true;
  };
  const drop = (ids: readonly string[]) => {
    for (const id of ids) {
      rows.delete(id);
      gone.add(id);
      due.delete(id);
    }
  };
  /** Changes a row in memory and tells the UI and the other tabs. */
  const update = (r: Row, patch: Partial<Row>): Row => {
    const next = { ...r, ...patch, v: r.v + 1 };
    rows.set(r.clientId, next);
    changed();
    post({ r: [next] });
    return next;
  };
  /** Writes a row if it is still stored and `may` allows it (a strict write: it records an upload URL or a claim). */
  const save = (r: Row, may: (stored: Row) => boolean = () => true): Promise<Claim> =>
    r.own
      ? Promise.resolve('ok')
      : io(
          (d) =>
            run(
              d,
              'readwrite',
              (store) => {
                const outbox = store(OUTBOX);
                const get = outbox.get(r.seq);
                let claim: Claim = 'gone';
                get.onsuccess = () => {
                  if (get.result) claim = may(get.result) ? (outbox.put(r), 'ok') : 'busy';
                };
                return () => claim;
              },
              'strict',
            ),
          'ok',
        );

  /** Brings the stored rows into memory: the shared truth across tabs. */
  const reload = async () => {
    const stored = await io((d) => run(d, 'readonly', (store) => ((q) => () => q.result as Row[])(store(OUTBOX).getAll())), null);
    if (!stored) return;
    const ids = new Set<string>();
    const stale: number[] = [];
    let dirty = false;
    for (const r of stored) {
      ids.add(r.clientId);
      if (gone.has(r.clientId)) stale.push(r.seq);
      else dirty = merge(r) || dirty;
    }
    for (const [id, r] of rows)
      if (!r.own && !ids.has(id)) {
        drop([id]);
        dirty = true;
      }
    // Acked by a tab that could not write (memory mode): delete the leftovers now.
    if (stale.length) await io((d) => run(d, 'readwrite', (store) => stale.forEach((seq) => store(OUTBOX).delete(seq))), undefined);
    if (dirty) changed();
  };

  const remember = (m: Meta) => {
    const current = metas.get(m.c);
    metas.set(m.c, current ? { c: m.c, cursor: Math.max(current.cursor, m.cursor), t: Math.max(current.t, m.t) } : m);
  };
  /** The events of a conversation this instance holds (and has given to the session). */
  const events = (c: string) => {
    if (!history.has(c)) history.set(c, new Map());
    return history.get(c)!;
  };
  /** Loads a conversation's stored events into memory, once. */
  const loadConversation = (c: string): Promise<void> => {
    if (!loading.has(c)) {
      const known = events(c);
      loading.set(
        c,
        io(
          (d) =>
            run(d, 'readonly', (store) => {
              const events = store(HISTORY).getAll(IDBKeyRange.bound([c, -Infinity], [c, Infinity]));
              const meta = store(META).get(c);
              return () => [events.result as { e: SequencedEvent }[], meta.result as Meta | undefined] as const;
            }),
          null,
        ).then((stored) => {
          if (!stored) return;
          for (const { e } of stored[0]) if (!known.has(e.seq)) known.set(e.seq, e);
          if (stored[1]) remember(stored[1]);
        }),
      );
    }
    return loading.get(c)!;
  };

  /**
   * Where every sequenced event enters the history: `stream` (this tab's transport: advances the
   * cursor), `ack` (the user's acknowledged message) or `mirror` (another tab's, memory only).
   * An event is passed to `onEvents` unless this instance already gave it to the session (through
   * `onEvents` or `load`). A user message carrying a queued row's client id removes that row, in
   * the same transaction.
   */
  const absorb = async (
    c: string,
    incoming: readonly ServerEvent[],
    mode: 'stream' | 'ack' | 'mirror',
    cursorSeen = 0,
    acked: readonly string[] = [],
  ) => {
    const known = events(c);
    const fresh: SequencedEvent[] = [];
    const sequenced: SequencedEvent[] = [];
    const ids = acked.filter((id) => rows.has(id));
    let cursor = cursorSeen;
    for (const event of incoming) {
      // A malformed event (no numeric seq) cannot be keyed: skip it rather than fail the write.
      if (typeof (event as { seq?: unknown }).seq !== 'number') continue;
      const e = event as SequencedEvent;
      if (!known.has(e.seq)) fresh.push(e);
      known.set(e.seq, e);
      sequenced.push(e);
      if (mode === 'stream') cursor = Math.max(cursor, e.seq);
      const id = e.type === 'message' ? e.message.clientId : undefined;
      if (id && rows.has(id)) ids.push(id);
    }
    const seqs = ids.flatMap((id) => (rows.get(id)!.own ? [] : [rows.get(id)!.seq]));
    remember({ c, cursor, t: now() });
    drop(ids);
    // The message first, then the row's removal: the UI never shows neither.
    if (fresh.length) safe(options.onEvents, c, fresh);
    if (ids.length) changed();
    if (mode === 'mirror') return;
    post({ h: [c, sequenced, metas.get(c)!.cursor], g: ids });
    await io(
      (d) =>
        run(d, 'readwrite', (store) => {
          for (const e of sequenced) store(HISTORY).put({ c, s: e.seq, e });
          // Merge with the stored record: this instance may not have loaded the conversation.
          const meta = store(META);
          const get = meta.get(c);
          get.onsuccess = () => {
            if (get.result) remember(get.result);
            meta.put(metas.get(c));
          };
          for (const seq of seqs) store(OUTBOX).delete(seq);
        }),
      undefined,
    );
  };

  /** One attempt at a row. True when it is settled for this pass (sent, failed, gone), false when it must wait. */
  const attempt = async (id: string): Promise<boolean> => {
    let r = rows.get(id)!;
    const c = r.conversationId || options.conversation?.();
    if (!c) return false;
    const assign = !r.conversationId;
    r = update(r, { status: 'sending', attempts: r.attempts + 1, conversationId: c, lease: locks ? undefined : [tab, now() + leaseMs] });
    if (assign || !locks) {
      // Without Web Locks this write is the claim: a readwrite transaction sees any other tab's lease.
      const claim = await save(r, (stored) => !!locks || !stored.lease || stored.lease[0] === tab || stored.lease[1] < now());
      if (claim === 'gone') {
        drop([id]);
        changed();
        return true;
      }
      if (claim === 'busy') {
        due.set(id, [now() + leaseMs, 0]);
        return false;
      }
    }
    try {
      const files: Attachment[] = [];
      for (let i = 0; i < r.files.length; i++) {
        if (!r.files[i].url) {
          const f = r.files[i];
          const { url } = await transport.upload(f.blob ?? new Blob([f.data!], { type: f.type }), { signal: calls.signal });
          if (!rows.has(id)) return true;
          r = update(rows.get(id)!, { files: r.files.map((x, j) => (j === i ? { ...x, url } : x)) });
          await save(r);
        }
        const { name, type, size, url } = r.files[i];
        files.push({ name, type, size, url: url! });
      }
      const attachments = files.length ? { attachments: files } : {};
      const ack = await transport.send({ clientId: id, conversationId: c, text: r.text, createdAt: r.createdAt, ...attachments }, { signal: calls.signal });
      // Only a receipt with the server's id proves the message is stored.
      if (!ack?.id || (ack.clientId && ack.clientId !== id)) throw new TransportError('protocol', 'Ack without the server id', true);
      if (rows.has(id))
        await absorb(c, [{ type: 'message', seq: ack.seq, message: { id: ack.id, role: 'user', text: r.text, at: ack.at, clientId: id, ...attachments } }], 'ack', 0, [id]);
      return true;
    } catch (error) {
      const current = rows.get(id);
      // Disposed mid-call, or acknowledged by the stream / deleted meanwhile: nothing to undo.
      if (calls.signal.aborted || !current) return true;
      const e = error as Partial<TransportError> | null;
      const lastError = e?.code ?? 'unknown';
      if (e?.retryable === false) {
        await save(update(current, { status: 'failed', lastError, lease: undefined }));
        return true;
      }
      update(current, { lastError });
      const after = e?.retryAfterMs ?? 0;
      due.set(id, [now() + backoffDelay(current.attempts - 1, random, options.backoff, after), after && now() + after]);
      return false;
    }
  };

  const loop = async () => {
    do {
      again = false;
      await reload();
      const waiting = new Set<string>();
      for (const r of list()) {
        if (!isLeader()) return;
        const key = r.conversationId || options.conversation?.() || '';
        // Rows this tab may not send are another tab's queue: skipped, not waited for.
        if (r.status === 'failed' || waiting.has(key) || !rows.has(r.clientId) || !sendable(r)) continue;
        if ((due.get(r.clientId)?.[0] ?? 0) > now() || !(await attempt(r.clientId))) waiting.add(key);
        else due.delete(r.clientId);
      }
      let next = Infinity;
      for (const [id, [at]] of due) if (rows.has(id)) next = Math.min(next, at);
      clearTimeout(timer);
      if (next < Infinity) timer = setTimeout(kick, Math.max(0, next - now()));
    } while (again && !disposed);
  };
  /** Starts a pass, or asks the running one to go again. */
  const kick = (): Promise<void> => {
    if (!isLeader()) return Promise.resolve();
    if (pass) {
      again = true;
      return pass;
    }
    clearTimeout(timer);
    return (pass = loop()
      .catch(() => {})
      .finally(() => {
        pass = null;
        if (again) void kick();
      }));
  };
  const flush = (): Promise<void> => {
    if (!isLeader()) {
      post({ k: 1 });
      return Promise.resolve();
    }
    for (const [id, [, hold]] of due) due.set(id, [hold, hold]);
    return kick();
  };

  const dispose = () => {
    if (disposed) return;
    disposed = true;
    calls.abort();
    clearTimeout(timer);
    release();
    channel?.close();
    db?.close();
    db = null;
  };
  const wipe = () => {
    rows.clear();
    history.clear();
    metas.clear();
    loading.clear();
    due.clear();
    changed();
    dispose();
  };

  const onMessage = ({ data: m }: MessageEvent<Message>) => {
    if (disposed) return;
    if (m.w) {
      safe(options.onWipe);
      return wipe();
    }
    if (m.h) void absorb(m.h[0], m.h[1], 'mirror', m.h[2], m.g);
    else if (m.g) {
      drop(m.g);
      changed();
    }
    if (m.r && m.r.map(merge).includes(true)) {
      changed();
      void kick();
    }
    if (m.k) void flush();
  };

  const ready = (async () => {
    const opening = await openDb(options.indexedDB, name, options.openTimeout ?? 3000, fail);
    if (disposed) return typeof opening === 'string' ? undefined : opening.close();
    if (typeof opening === 'string') notice(opening);
    else db = opening;
    await reload();
    opened = true;
    if (channel) channel.onmessage = onMessage;
    if (locks)
      try {
        const lock = holdLock(locks, name, () => {
          if (disposed) return false;
          haveLock = true;
          sync();
          return true;
        });
        release = lock.release;
        await lock.decided;
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
      await ready;
      const row = {
        clientId: newId(),
        conversationId: conversationId ?? '',
        text,
        files: blobs.map((blob) => ({ name: (blob as File).name ?? '', type: blob.type, size: blob.size, blob })),
        createdAt: now(),
        attempts: 0,
        status: 'queued',
        v: 0,
      } as Omit<Row, 'seq'> as Row;
      const add = (d: IDBDatabase) => run(d, 'readwrite', (store) => ((q) => () => q.result as number)(store(OUTBOX).add(row)), 'strict');
      let seq = await io(async (d) => {
        try {
          return await add(d);
        } catch (error) {
          // Some WebKit versions cannot store Blobs: store the bytes instead.
          if ((error as Error)?.name !== 'DataCloneError' || !blobs.length) throw error;
          row.files = await Promise.all(row.files.map(async ({ blob, ...f }) => ({ ...f, data: await blob!.arrayBuffer() })));
          return add(d);
        }
      }, 0);
      if (!seq) {
        seq = maxSeq + 1;
        row.own = tab;
      }
      row.seq = seq;
      maxSeq = Math.max(maxSeq, seq);
      rows.set(row.clientId, row);
      changed();
      post({ r: [row] });
      void kick();
      return row;
    },
    async retry(id) {
      const r = rows.get(id);
      if (r?.status !== 'failed') return;
      due.delete(id);
      await save(update(r, { status: 'queued', attempts: 0, lastError: undefined }));
      void kick();
    },
    async remove(id) {
      const r = rows.get(id);
      if (!r) return;
      drop([id]);
      changed();
      post({ g: [id] });
      if (!r.own) await io((d) => run(d, 'readwrite', (store) => void store(OUTBOX).delete(r.seq)), undefined);
    },
    flush,
    history: {
      async load(c) {
        await ready;
        if (c === undefined) {
          (await io((d) => run(d, 'readonly', (store) => ((q) => () => q.result as Meta[])(store(META).getAll())), [])).forEach(remember);
          let latest: Meta | undefined;
          for (const m of metas.values()) if (!latest || m.t > latest.t) latest = m;
          c = latest?.c;
        }
        if (c === undefined) return { conversationId: null, events: [], cursor: 0 } satisfies HistorySnapshot;
        await loadConversation(c);
        return { conversationId: c, events: [...history.get(c)!.values()].sort(bySeq), cursor: metas.get(c)?.cursor ?? 0 };
      },
      async append(c, events) {
        await ready;
        await absorb(c, events, 'stream');
      },
      cursor: (c) => metas.get(c)?.cursor ?? 0,
    },
    async clear() {
      await ready;
      post({ w: 1 });
      wipe();
      // Give the other tabs a moment to close on the wipe message before the deletion would
      // reach them as a `versionchange` (which alone would only degrade them to memory).
      await new Promise((resolve) => setTimeout(resolve, 100));
      await deleteDb(options.indexedDB, name, 3000);
    },
    dispose,
  };
}
