/** The durable outbox and history: public surface for the session. */
export { clearStored, createOutbox, hasStored } from './outbox.js';
export { DB_PREFIX, dbName, type StorageFault } from './db.js';
export type {
  HistorySnapshot,
  Outbox,
  OutboxChannel,
  OutboxFile,
  OutboxNotice,
  OutboxOptions,
  OutboxRow,
  OutboxStatus,
  SequencedEvent,
} from './types.js';
