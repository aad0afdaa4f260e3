/**
 * The only file that knows the database: its name, version, stores and upgrade, how it is
 * opened (with a time limit) and how a transaction becomes a promise. Plain IndexedDB on
 * purpose: idb's wrapper creates every transaction's `done` promise eagerly (an aborted
 * transaction nobody awaited becomes an unhandled rejection), its `openDB` cannot take an
 * injected factory, and it would add ~1.4 KiB gzip to the widget for two helpers.
 */

/** Prefix of every database the widget creates, so a host page's own databases are never touched. */
export const DB_PREFIX = 'mercari-chat-support:';
/**
 * The one object store, keyed by `seq`, holding four kinds of record told apart by their key's type:
 * - outbox rows (`OutboxRow`): a number, auto-incremented, so the commit order is the send order;
 * - sequenced server events `{ seq: [conversationId, event seq], e: event }`: an array;
 * - a conversation's stream cursor `{ seq: conversationId, n: last streamed seq, r?: 1 }`, `r` once
 *   the user answered its survey: a string;
 * - the conversation used last `{ seq: '', c: conversationId }`.
 * One store keeps every write (an ack's history record and its row's removal) in one transaction.
 */
export const STORE = 's';

/**
 * The database of one user: the prefix plus the URI-encoded user id, which is injective (two ids
 * never share a database) and keeps the name printable.
 */
export const dbName = (userId: string): string => DB_PREFIX + encodeURIComponent(userId);

/**
 * Why storage stopped working; the outbox carries on in memory.
 * - `unavailable`: no IndexedDB (private mode, sandboxed frame) or `open` failed.
 * - `timeout`: `open` neither succeeded nor failed in time.
 * - `blocked`: `open` waited in vain for another tab to close an older version.
 * - `quota`: the browser refused to store more (`QuotaExceededError`).
 * - `deleted`: the database was deleted or the browser closed it while open.
 * - `versionchange`: another tab upgraded the database to a newer version.
 * - `error`: any other failed transaction.
 */
export type StorageFault = 'unavailable' | 'timeout' | 'blocked' | 'quota' | 'deleted' | 'versionchange' | 'error';

/** Maps a DOMException from a transaction or open request to a fault. */
export const faultOf = (error: unknown, other: StorageFault = 'error'): StorageFault => {
  const name = (error as Error | null)?.name;
  return name == 'QuotaExceededError' ? 'quota' : name == 'VersionError' ? 'versionchange' : other;
};

/** The factory to use: `undefined` means the global (read lazily: it can throw in opaque origins). */
const factoryOf = (factory: IDBFactory | null | undefined) => (factory === undefined ? indexedDB : factory)!;

/**
 * Opens (creating or upgrading) a user's database. Never rejects: resolves with the connection or
 * with the fault that prevented it. A connection that arrives after the time limit is closed at
 * once. `lost` is called when a working connection goes away (after it is closed), so the caller
 * degrades instead of holding a dead handle or blocking another tab's deletion or upgrade.
 * @param factory `indexedDB`, or a stand-in; `undefined` means the global, `null` none at all.
 * @param timeoutMs how long `open` may take, in ms.
 */
export function openDb(
  factory: IDBFactory | null | undefined,
  name: string,
  timeoutMs: number,
  lost: (fault: StorageFault) => void,
): Promise<IDBDatabase | StorageFault> {
  return new Promise((resolve) => {
    let late: StorageFault = 'timeout';
    let settled = false;
    const end = (result: IDBDatabase | StorageFault) => {
      clearTimeout(timer);
      // Too late: a connection is closed at once (a fault has no `close`).
      if (settled) (result as IDBDatabase).close?.();
      else resolve(result);
      settled = true;
    };
    const timer = setTimeout(() => end(late), timeoutMs);
    try {
      // Version 1 had a store per kind of record; version 2 leaves them unused.
      const request = factoryOf(factory).open(name, 2);
      request.onupgradeneeded = () => request.result.createObjectStore(STORE, { keyPath: 'seq', autoIncrement: true });
      request.onsuccess = () => {
        const db = request.result;
        const drop = (fault: StorageFault) => {
          db.close();
          lost(fault);
        };
        // Closing on `versionchange` lets another tab delete or upgrade the database instead of
        // being blocked by us; a null new version means deletion.
        db.onversionchange = (event) => drop(event.newVersion ? 'versionchange' : 'deleted');
        // Fired only when the browser closes the connection (storage cleared, disk error).
        db.onclose = () => drop('deleted');
        end(db);
      };
      request.onerror = (event) => {
        event.preventDefault();
        end(faultOf(request.error, 'unavailable'));
      };
      request.onblocked = () => (late = 'blocked');
    } catch {
      end('unavailable');
    }
  });
}

/**
 * Runs one read-write transaction over the store (reads too: the store is small, and transactions
 * then run in the order they were started) and resolves when it commits, with the result of the
 * request `body` returns. Rejects with the transaction's error on abort (null when aborted without
 * one), or with what `body` threw (after aborting: nothing partial is kept).
 * @param durability `strict` waits for the disk; default: the browser's (relaxed in Chromium).
 */
export const run = <T>(db: IDBDatabase, body: (store: IDBObjectStore) => IDBRequest | void, durability?: IDBTransactionDurability): Promise<T> =>
  new Promise<T>((resolve, reject) => {
    const tx = db.transaction(STORE, 'readwrite', { durability });
    let request: IDBRequest | void;
    tx.oncomplete = () => resolve(request?.result);
    tx.onabort = () => reject(tx.error);
    try {
      request = body(tx.objectStore(STORE));
    } catch (error) {
      reject(error);
      tx.abort();
    }
  });

/** Calls `use` with what a request read, once it succeeds (in the same transaction); returns the request. */
export const onRead = <T>(request: IDBRequest<T>, use: (result: T) => void): IDBRequest<T> => ((request.onsuccess = () => use(request.result)), request);

/**
 * Deletes a user's database. Resolves when deleted, failed, or after `timeoutMs` when another
 * connection blocks it (the deletion then completes as soon as that connection closes).
 */
export function deleteDb(factory: IDBFactory | null | undefined, name: string, timeoutMs: number): Promise<unknown> {
  return new Promise<unknown>((resolve) => {
    setTimeout(resolve, timeoutMs);
    try {
      factoryOf(factory).deleteDatabase(name).onsuccess = resolve;
    } catch {
      resolve(0);
    }
  });
}
