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
import { HISTORY, META, OUTBOX, dbName, deleteDb, faultOf, openDb, run, type StorageFault } from './db.js';
import { holdLock, openChannel } from './tabs.js';
import type { Outbox, OutboxOptions, OutboxRow, SequencedEvent } from './types.js';

type Row = { -readonly [K in keyof OutboxRow]: OutboxRow[K] } & {
  /** Change counter: the higher version wins when tabs' copies meet. */
  v: number;
  /** Without Web Locks: the tab sending this row, and until when (ms). */
  lease?: [tab: string, until: number];
};
type Meta = { c: string; cursor: number; t: number };
/** Tab messages: rows upserted, rows gone, history appended (+cursor), flush asked, wipe. */
type Message = { r?: Row[]; g?: string[]; h?: [string, SequencedEvent[], number]; k?: 1; w?: 1 };
type Store = (name: string) => IDBObjectStore;

const bySeq = (a: { seq: number }, b: { seq: number }) => a.seq - b.seq;

/**
 * Creates the durable outbox and history of one user. Other users' databases are never read;
 * instances with the same user id (tabs, or two widgets) share one database and elect one sender.
 */
export function createOutbox(options: OutboxOptions): Outbox {
  const { transport, now, conversation = () => null } = options;
  const name = dbName(options.userId);
  // randomUUID exists only in secure contexts; getRandomValues everywhere (http: pages too).
  const newId =
    options.newId ?? (() => crypto.randomUUID?.() ?? [...crypto.getRandomValues(new Uint8Array(16))].map((b) => (b | 256).toString(16).slice(1)).join(''));
  const leaseMs = options.lease ?? 60_000;
  let locks = options.locks === undefined ? globalThis.navigator?.locks : options.locks;
  const tab = newId();
  const channel = openChannel(options.channel, name);
  const rows = new Map<string, Row>();
  /** Ids acked or removed: a late copy from storage or another tab must not bring them back. */
  const gone = new Set<string>();
  /** Per row waiting to be retried: [when, not before] — the second is the server's Retry-After. */
  const due = new Map<string, [number, number]>();
  /** Per conversation, the events this instance holds (and gave to the session). */
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
      if (!disposed) channel?.postMessage(message);
    } catch {
      // An event that cannot be cloned is still stored here; other tabs read it on their next load.
    }
  };
  const events = (c: string) => history.get(c) ?? history.set(c, new Map()).get(c)!;
  const remember = (m: Meta) => {
    const known = metas.get(m.c);
    metas.set(m.c, known ? { c: m.c, cursor: Math.max(known.cursor, m.cursor), t: Math.max(known.t, m.t) } : m);
  };

  /** Degrades to memory for the rest of this instance's life, keeping everything it holds. */
  const fail = (fault: StorageFault) => {
    if (!db || disposed) return;
    db.close();
    db = null;
    notice(fault);
    sync();
  };
  /** One transaction; any storage failure degrades to memory and yields `fallback`. */
  const tx = async <T>(
    mode: IDBTransactionMode,
    body: (store: Store) => IDBRequest | IDBRequest[] | void,
    fallback: T,
    durability?: IDBTransactionDurability,
  ): Promise<T> => {
    if (db)
      try {
        return await run<T>(db, mode, body, durability);
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
    const known = rows.get(r.clientId);
    // Disposed (or wiped): a read still in flight must not bring rows back.
    if (disposed || gone.has(r.clientId) || (known && known.v >= r.v)) return false;
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
    return ids.length;
  };
  /** Changes a row in memory and tells the UI and the other tabs. */
  const update = (r: Row, patch: Partial<Row>): Row => {
    const next = { ...r, ...patch, v: r.v + 1 };
    rows.set(r.clientId, next);
    changed();
    post({ r: [next] });
    return next;
  };
  /**
   * Writes a row if it is still stored and `may` allows it (strict: it records an upload URL or a
   * claim). Resolves true when written (or in memory), false when refused, undefined when gone.
   */
  const save = async (r: Row, may = (_stored: Row) => true): Promise<boolean | undefined> => {
    let ok = false;
    const stored = r.own
      ? r
      : await tx<Row | undefined>(
          'readwrite',
          (store) => {
            const get = store(OUTBOX).get(r.seq);
            get.onsuccess = () => get.result && (ok = may(get.result)) && store(OUTBOX).put(r);
            return get;
          },
          r,
          'strict',
        );
    return stored && (stored === r || ok);
  };

  /** Brings the stored rows into memory: the shared truth across tabs. */
  const reload = async () => {
    const stored = await tx<Row[] | null>('readonly', (store) => store(OUTBOX).getAll(), null);
    if (!stored) return;
    const ids = new Set(stored.map((r) => r.clientId));
    // Rows acked by a tab that could not delete them (memory mode): delete the leftovers now.
    const stale = stored.filter((r) => gone.has(r.clientId));
    let dirty = stored.map(merge).includes(true);
    for (const [id, r] of rows) if (!r.own && !ids.has(id)) dirty = !!drop([id]);
    if (stale.length) await tx('readwrite', (store) => stale.forEach((r) => store(OUTBOX).delete(r.seq)), 0);
    if (dirty) changed();
  };

  /** Loads a conversation's stored events and meta into memory, once. */
  const loadConversation = (c: string): Promise<void> => {
    if (!loading.has(c)) {
      loading.set(
        c,
        tx<[{ e: SequencedEvent }[], Meta?] | null>(
          'readonly',
          (store) => [store(HISTORY).getAll(IDBKeyRange.bound([c, -Infinity], [c, Infinity])), store(META).get(c)],
          null,
        ).then((stored) => {
          const known = events(c);
          for (const { e } of stored?.[0] ?? []) if (!known.has(e.seq)) known.set(e.seq, e);
          if (stored?.[1]) remember(stored[1]);
        }),
      );
    }
    return loading.get(c)!;
  };

  /**
   * Where every sequenced event enters the history: `stream` (this tab's transport: advances the
   * cursor), `ack` (the user's acknowledged message) or `mirror` (another tab's, memory only).
   * An event goes to `onEvents` unless this instance already gave it to the session (through
   * `onEvents` or `load`). A user message carrying a queued row's client id removes that row, in
   * the same transaction.
   */
  const absorb = async (c: string, incoming: readonly ServerEvent[], mode: 'stream' | 'ack' | 'mirror', cursor = 0, acked: readonly string[] = []) => {
    const known = events(c);
    const fresh: SequencedEvent[] = [];
    const sequenced: SequencedEvent[] = [];
    const ids = acked.filter((id) => rows.has(id));
    for (const event of incoming) {
      const e = event as SequencedEvent;
      // An event without a numeric seq (transient, or malformed) cannot be kept.
      if (typeof e.seq !== 'number') continue;
      if (!known.has(e.seq)) fresh.push(e);
      known.set(e.seq, e);
      sequenced.push(e);
      if (mode === 'stream') cursor = Math.max(cursor, e.seq);
      const id = e.type === 'message' && e.message.clientId;
      if (id && rows.has(id)) ids.push(id);
    }
    const seqs = ids.flatMap((id) => (rows.get(id)!.own ? [] : [rows.get(id)!.seq]));
    remember({ c, cursor, t: now() });
    // The message first, then the row's removal: the UI never shows neither.
    if (fresh.length) safe(options.onEvents, c, fresh);
    if (drop(ids)) changed();
    if (mode === 'mirror') return;
    post({ h: [c, sequenced, metas.get(c)!.cursor], g: ids });
    // Appends resolve once stored; an ack's write need not hold up the next send (IndexedDB
    // runs the transactions in order, so a later read still sees it).
    const write = tx(
      'readwrite',
      (store) => {
        for (const e of sequenced) store(HISTORY).put({ c, s: e.seq, e });
        // Merge with the stored record: this instance may not have loaded the conversation.
        const get = store(META).get(c);
        get.onsuccess = () => {
          if (get.result) remember(get.result);
          store(META).put(metas.get(c));
        };
        for (const seq of seqs) store(OUTBOX).delete(seq);
      },
      0,
    );
    if (mode === 'stream') await write;
  };

  /** One attempt at a row. True when it is settled for this pass (sent, failed, gone), false when it must wait. */
  const attempt = async (id: string): Promise<boolean> => {
    let r = rows.get(id)!;
    const c = r.conversationId || conversation();
    if (!c) return false;
    const assign = !r.conversationId;
    r = update(r, { status: 'sending', attempts: r.attempts + 1, conversationId: c, lease: locks ? undefined : [tab, now() + leaseMs] });
    // Without Web Locks this write is the claim: a readwrite transaction sees any other tab's lease.
    const claim = assign || !locks ? await save(r, (stored) => !!locks || !stored.lease || stored.lease[0] === tab || stored.lease[1] < now()) : true;
    if (!claim) {
      // Gone: acked or deleted by another tab. Refused: another tab's claim is still valid.
      if (claim === undefined && drop([id])) return changed(), true;
      due.set(id, [now() + leaseMs, 0]);
      return false;
    }
    try {
      const files: Attachment[] = [];
      for (const [i, f] of r.files.entries()) {
        let url = f.url;
        if (!url) {
          url = (await transport.upload(f.blob ?? new Blob([f.data!], { type: f.type }), { signal: calls.signal })).url;
          if (!rows.has(id)) return true;
          await save((r = update(rows.get(id)!, { files: r.files.map((x, j) => (j === i ? { ...x, url } : x)) })));
        }
        files.push({ name: f.name, type: f.type, size: f.size, url });
      }
      const attachments = files.length ? { attachments: files } : {};
      const ack = await transport.send({ clientId: id, conversationId: c, text: r.text, createdAt: r.createdAt, ...attachments }, { signal: calls.signal });
      // Only a receipt with the server's id proves the message is stored.
      if (!ack?.id || (ack.clientId && ack.clientId !== id)) throw { code: 'protocol' };
      await absorb(c, [{ type: 'message', seq: ack.seq, message: { id: ack.id, role: 'user', text: r.text, at: ack.at, clientId: id, ...attachments } }], 'ack', 0, [id]);
      return true;
    } catch (error) {
      const known = rows.get(id);
      // Acknowledged by the stream or deleted meanwhile: nothing to undo. (Disposed: storage and
      // callbacks are already detached, so whatever follows is not seen.)
      if (!known) return true;
      const { code: lastError = 'unknown', retryable, retryAfterMs: after = 0 } = (error ?? {}) as Partial<TransportError>;
      if (retryable === false) {
        await save(update(known, { status: 'failed', lastError, lease: undefined }));
        return true;
      }
      update(known, { lastError });
      due.set(id, [now() + backoffDelay(known.attempts - 1, options.random, options.backoff, after), after && now() + after]);
      return false;
    }
  };

  const loop = async () => {
    do {
      again = false;
      await reload();
      const waiting = new Set<string>();
      for (const r of list()) {
        // Offline: rows stay queued, untried, until the session flushes on (re)connecting.
        if (!isLeader() || options.online?.() === false) return;
        const key = r.conversationId || conversation() || '';
        // Rows this tab may not send are another tab's queue: skipped, not waited for.
        if (r.status === 'failed' || waiting.has(key) || !rows.has(r.clientId) || !sendable(r)) continue;
        if ((due.get(r.clientId)?.[0] ?? 0) > now() || !(await attempt(r.clientId))) waiting.add(key);
        else due.delete(r.clientId);
      }
      const next = Math.min(...[...due].filter(([id]) => rows.has(id)).map(([, [at]]) => at));
      clearTimeout(timer);
      if (next < Infinity) timer = setTimeout(kick, Math.max(0, next - now()));
    } while (again && !disposed);
  };
  /** Starts a pass, or asks the running one to go again. */
  const kick = (): Promise<void> => {
    if (!isLeader()) return Promise.resolve();
    if (pass) return (again = true), pass;
    return (pass = loop()
      .catch(() => {})
      .finally(() => {
        pass = null;
        if (again) void kick();
      }));
  };
  const flush = (): Promise<void> => {
    if (!isLeader()) return post({ k: 1 }), Promise.resolve();
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
    for (const map of [rows, history, metas, loading, due]) map.clear();
    changed();
    dispose();
  };

  const onMessage = ({ data: m }: MessageEvent<Message>) => {
    if (disposed) return;
    if (m.w) return safe(options.onWipe), wipe();
    if (m.h) void absorb(m.h[0], m.h[1], 'mirror', m.h[2], m.g);
    else if (m.g && drop(m.g)) changed();
    if (m.r?.map(merge).includes(true)) {
      changed();
      void kick();
    }
    if (m.k) void flush();
  };

  const ready = (async () => {
    const opening = await openDb(options.indexedDB, name, options.openTimeout ?? 3000, fail);
    if (typeof opening === 'string') notice(opening);
    else db = opening;
    if (disposed) return void db?.close();
    await reload();
    opened = true;
    if (channel) channel.onmessage = onMessage;
    try {
      if (locks) {
        const lock = holdLock(locks, name, () => {
          if (disposed) return false;
          haveLock = true;
          sync();
          return true;
        });
        release = lock.release;
        await lock.decided;
      }
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
      const add = async (): Promise<number> => {
        try {
          return db ? await run<number>(db, 'readwrite', (store) => store(OUTBOX).add(row), 'strict') : 0;
        } catch (error) {
          // Some WebKit versions cannot store Blobs: store the bytes instead (once).
          if ((error as Error)?.name !== 'DataCloneError' || !row.files.some((f) => f.blob)) throw error;
          row.files = await Promise.all(row.files.map(async ({ blob, ...f }) => ({ ...f, data: await blob!.arrayBuffer() })));
          return add();
        }
      };
      const seq = await add().catch((error) => (fail(faultOf(error)), 0));
      row.seq = seq || maxSeq + 1;
      if (!seq) row.own = tab;
      merge(row);
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
      if (!r || !drop([id])) return;
      changed();
      post({ g: [id] });
      if (!r.own) await tx('readwrite', (store) => void store(OUTBOX).delete(r.seq), 0);
    },
    flush,
    history: {
      async load(c) {
        await ready;
        if (c === undefined) {
          (await tx<Meta[]>('readonly', (store) => store(META).getAll(), [])).forEach(remember);
          c = [...metas.values()].sort((a, b) => b.t - a.t)[0]?.c;
          if (c === undefined) return { conversationId: null, events: [], cursor: 0 };
        }
        await loadConversation(c);
        return { conversationId: c, events: [...events(c).values()].sort(bySeq), cursor: metas.get(c)?.cursor ?? 0 };
      },
      async append(c, incoming) {
        await ready;
        await absorb(c, incoming, 'stream');
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
