import { waitUntil as openWcWaitUntil } from '@open-wc/testing';

/**
 * open-wc's `waitUntil` with a 5 s default instead of 1 s: these waits cover IndexedDB, real
 * sockets and whole conversations, which a loaded CI machine can stretch past a second. A
 * condition that is met returns as soon as it is; only failures wait longer.
 */
export const waitUntil: typeof openWcWaitUntil = (predicate, message, options = {}) =>
  openWcWaitUntil(predicate, message, { timeout: 5000, ...options });
