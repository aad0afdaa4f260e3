import { expect } from '@open-wc/testing';
import { DB_PREFIX, STORE, dbName, deleteDb, faultOf, openDb, run, type StorageFault } from '../../src/outbox/db.js';

const names: string[] = [];
const fresh = () => {
  const name = `${DB_PREFIX}db-test-${Date.now()}-${Math.random().toString(36).slice(2)}`;
  names.push(name);
  return name;
};
const openRaw = (name: string, version?: number) =>
  new Promise<IDBDatabase>((resolve, reject) => {
    const request = indexedDB.open(name, version);
    request.onsuccess = () => resolve(request.result);
    request.onerror = () => reject(request.error);
  });
const opened = async (name: string, lost: (f: StorageFault) => void = () => {}) => {
  const db = await openDb(undefined, name, 3000, lost);
  if (typeof db === 'string') throw new Error(`open failed: ${db}`);
  return db;
};

describe('db', () => {
  afterEach(async () => {
    await Promise.all(names.splice(0).map((name) => deleteDb(undefined, name, 1000)));
  });

  describe('dbName', () => {
    it('prefixes and encodes the user id so that different ids never share a database', () => {
      const ids = ['alice', 'a:b', 'a%3Ab', '', '../x', 'ユーザー', 'a b'];
      const all = ids.map(dbName);
      expect(new Set(all).size).to.equal(ids.length);
      expect(all.every((n) => n.startsWith('mercari-chat-support:'))).to.be.true;
      expect(dbName('a:b')).to.equal('mercari-chat-support:a%3Ab');
    });
  });

  describe('faultOf', () => {
    it('maps storage errors to faults', () => {
      expect(faultOf(new DOMException('', 'QuotaExceededError'))).to.equal('quota');
      expect(faultOf(new DOMException('', 'VersionError'))).to.equal('versionchange');
      expect(faultOf(new DOMException('', 'UnknownError'))).to.equal('error');
      expect(faultOf(null, 'unavailable')).to.equal('unavailable');
    });
  });

  describe('openDb', () => {
    it('creates one auto-incremented store whose key types keep rows, events, cursors and the current conversation apart', async () => {
      const db = await opened(fresh());
      expect([...db.objectStoreNames]).to.deep.equal([STORE]);
      const store = db.transaction(STORE, 'readwrite').objectStore(STORE);
      expect(store.keyPath).to.equal('seq');
      expect(store.autoIncrement).to.be.true;
      const result = <T>(request: IDBRequest<T>) => new Promise<T>((resolve) => (request.onsuccess = () => resolve(request.result)));
      expect(await result(store.add({ text: 'row' }))).to.equal(1);
      for (const record of [{ seq: ['c1', 7], e: 'event' }, { seq: 'c1', n: 7 }, { seq: '', c: 'c1' }]) await result(store.put(record));
      // Keys of other types leave the row counter alone.
      expect(await result(store.add({ text: 'next' }))).to.equal(2);
      expect(await result(store.getAll(IDBKeyRange.upperBound(Infinity)))).to.deep.equal([
        { text: 'row', seq: 1 },
        { text: 'next', seq: 2 },
      ]);
      expect(await result(store.getAll(IDBKeyRange.bound(['c1'], ['c1', []])))).to.deep.equal([{ seq: ['c1', 7], e: 'event' }]);
      db.close();
    });

    it('resolves with "unavailable" when there is no IndexedDB or open throws', async () => {
      expect(await openDb(null, fresh(), 1000, () => {})).to.equal('unavailable');
      const throwing = {
        open() {
          throw new DOMException('denied', 'SecurityError');
        },
      } as unknown as IDBFactory;
      expect(await openDb(throwing, fresh(), 1000, () => {})).to.equal('unavailable');
    });

    it('gives up after the time limit and closes a connection that arrives later', async () => {
      const request = {} as { onsuccess?: () => void; result?: unknown };
      let closed = 0;
      const late = { open: () => request } as unknown as IDBFactory;
      const started = performance.now();
      expect(await openDb(late, 'x', 60, () => {})).to.equal('timeout');
      expect(performance.now() - started).to.be.within(55, 1000);
      request.result = { close: () => closed++ };
      request.onsuccess?.();
      expect(closed).to.equal(1);
    });

    it('reports a database that is already at a newer version as "versionchange"', async () => {
      const name = fresh();
      (await openRaw(name, 5)).close();
      expect(await openDb(undefined, name, 3000, () => {})).to.equal('versionchange');
    });

    it('closes and reports when the database is deleted under it, without blocking the deletion', async () => {
      const name = fresh();
      const lost: StorageFault[] = [];
      await opened(name, (f) => lost.push(f));
      await new Promise<void>((resolve, reject) => {
        const request = indexedDB.deleteDatabase(name);
        request.onsuccess = () => resolve();
        request.onblocked = () => reject(new Error('blocked'));
      });
      expect(lost).to.deep.equal(['deleted']);
    });

    it('closes and reports when another tab upgrades the database', async () => {
      const name = fresh();
      const lost: StorageFault[] = [];
      await opened(name, (f) => lost.push(f));
      (await openRaw(name, 3)).close();
      expect(lost).to.deep.equal(['versionchange']);
    });
  });

  describe('run', () => {
    it('resolves with the result of the request', async () => {
      const db = await opened(fresh());
      const key = await run<number>(db, (store) => store.add({ text: 'a' }), 'strict');
      expect(key).to.equal(1);
      expect(await run(db, (store) => store.getAll())).to.deep.equal([{ text: 'a', seq: 1 }]);
      expect(await run(db, (store) => store.get('none'))).to.be.undefined;
      expect(await run(db, (store) => void store.clear())).to.be.undefined;
      db.close();
    });

    it('writes nothing and rejects with the error when the body throws halfway', async () => {
      const db = await opened(fresh());
      const failure = run(db, (store) => {
        store.add({ text: 'half' });
        throw new DOMException('no', 'DataCloneError');
      });
      const error = await failure.then(
        () => null,
        (e: Error) => e,
      );
      expect(error?.name).to.equal('DataCloneError');
      expect(await run(db, (store) => store.count())).to.equal(0);
      db.close();
    });

    it('rejects when the transaction aborts', async () => {
      const db = await opened(fresh());
      await run(db, (store) => store.add({ seq: 1 }));
      // A duplicate key fails the request, which aborts the transaction.
      const error = await run(db, (store) => store.add({ seq: 1 })).then(
        () => null,
        (e: Error) => e,
      );
      expect(error?.name).to.equal('ConstraintError');
      db.close();
    });
  });

  describe('deleteDb', () => {
    it('deletes the database', async () => {
      const name = fresh();
      (await opened(name)).close();
      await deleteDb(undefined, name, 3000);
      expect((await indexedDB.databases()).map((d) => d.name)).not.to.include(name);
    });

    it('stops waiting after the time limit when another connection blocks it', async () => {
      const name = fresh();
      const stubborn = await openRaw(name);
      const started = performance.now();
      await deleteDb(undefined, name, 80);
      expect(performance.now() - started).to.be.within(75, 1000);
      stubborn.close();
    });

    it('resolves when there is no IndexedDB', async () => {
      await deleteDb(null, 'x', 3000);
    });
  });
});
