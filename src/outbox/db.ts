/**
 * The only file that knows the database: its name, version, stores and upgrade, how it is
 * opened (with a time limit) and how a transaction becomes a promise. Plain IndexedDB on
 * purpose: idb's wrapper creates every transaction's `done` promise eagerly (an aborted
 * transaction nobody awaited becomes an unhandled rejection), its `openDB` cannot take an
 * injected factory, and it would add ~1.4 KiB gzip to the widget for two helpers.
 */

/** Prefix of every database the widget creates, so a host page's own databases are never touched. */
export const DB_PREFIX = 'mercari-chat-support:';
/** Schema version. Bump it (and extend `upgrade`) when a store or index changes. */
export const DB_VERSION = 1;
/** Outbox rows, keyed by `seq` (auto-increment: the database's commit order is the send order). */
export const OUTBOX = 'outbox';
/** Sequenced server events, keyed by `[conversationId, seq]`. */
export const HISTORY = 'history';
/** One record per conversation: `{ c, cursor, t }`. */
export const META = 'meta';

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
  return name === 'QuotaExceededError' ? 'quota' : name === 'VersionError' ? 'versionchange' : other;
};

/**
 * Opens (creating or upgrading) a user's database. Never rejects: resolves with the connection or
 * with the fault that prevented it. A connection that arrives after the time limit is closed at
 * once. `lost` is called at most once when a working connection goes away (after it is closed),
 * so the caller degrades instead of holding a dead handle or blocking another tab's upgrade.
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
    let blocked = false;
    let settled = false;
    const end = (result: IDBDatabase | StorageFault) => {
      if (settled) {
        if (typeof result !== 'string') result.close();
        return;
      }
      settled = true;
      clearTimeout(timer);
      resolve(result);
    };
    const timer = setTimeout(() => end(blocked ? 'blocked' : 'timeout'), timeoutMs);
    try {
      // Reading the global can throw (SecurityError in opaque-origin frames), hence inside the try.
      const request = (factory === undefined ? indexedDB : factory)!.open(name, DB_VERSION);
      request.onupgradeneeded = (event) => {
        const db = request.result;
        if (event.oldVersion < 1) {
          db.createObjectStore(OUTBOX, { keyPath: 'seq', autoIncrement: true });
          db.createObjectStore(HISTORY, { keyPath: ['c', 's'] });
          db.createObjectStore(META, { keyPath: 'c' });
        }
      };
      request.onsuccess = () => {
        const db = request.result;
        let gone = false;
        const drop = (fault: StorageFault) => {
          db.close();
          if (!gone && settled) lost(fault);
          gone = true;
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
      request.onblocked = () => {
        blocked = true;
      };
    } catch {
      end('unavailable');
    }
  });
}

/**
 * Runs one transaction over every store and resolves when it commits, with what `body`'s returned
 * reader gives (requests' results are read only after commit). Rejects with the transaction's
 * error on abort, or with what `body` threw (after aborting, so nothing partial is written).
 * @param durability `strict` waits for the disk; `relaxed` (default) for the OS buffer.
 */
export function run<T = void>(
  db: IDBDatabase,
  mode: IDBTransactionMode,
  body: (store: (name: string) => IDBObjectStore) => (() => T) | void,
  durability: IDBTransactionDurability = 'relaxed',
): Promise<T> {
  return new Promise<T>((resolve, reject) => {
    const tx = db.transaction([OUTBOX, HISTORY, META], mode, { durability });
    let read: (() => T) | void;
    tx.oncomplete = () => resolve(read ? read() : (undefined as T));
    tx.onabort = () => reject(tx.error ?? new DOMException('Transaction aborted', 'AbortError'));
    try {
      read = body((name) => tx.objectStore(name));
    } catch (error) {
      reject(error);
      try {
        tx.abort();
      } catch {
        // Already finished: nothing was written by this body anyway.
      }
    }
  });
}

/**
 * Deletes a user's database. Resolves when deleted, failed, or after `timeoutMs` when another
 * connection blocks it (the deletion then completes as soon as that connection closes).
 */
export function deleteDb(factory: IDBFactory | null | undefined, name: string, timeoutMs: number): Promise<void> {
  return new Promise((resolve) => {
    setTimeout(resolve, timeoutMs);
    try {
      const request = (factory === undefined ? indexedDB : factory)!.deleteDatabase(name);
      request.onsuccess = request.onerror = () => resolve();
    } catch {
      resolve();
    }
  });
}
